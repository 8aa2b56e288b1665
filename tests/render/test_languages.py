"""A site in several languages, built for real: every page once per language under its key, the
picker at the root, hreflang and the switcher, the sitemap's alternates, Netlify's rules, words
and formats in each language, texts given in several languages and their fallbacks, calendars
and feeds per language. Browser checks are in tests/browser/test_languages_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import icalendar
import lxml.etree
import pytest
from conftest import HUB_YAML, ROOT, SITE_YAML, TODAY, parse_html, run_main, scratch_content, tree_hash, visible_text

BASE = "https://example.org/hubs/"
KEYS = ("en", "es", "ar", "zh-hans")
SITE = SITE_YAML.replace("language: en\n", "languages: [en, es, ar, {tag: zh-Hans, label: 简体中文}]\n")
TRANSLATED_HUB = (
    HUB_YAML.replace("name: Example Hub", "name: {en: Example Hub, ar: مركز المثال}")
    .replace("summary: Weekly study groups.", "summary: {en: Weekly study groups., es: Grupos de estudio semanales.}")
    .replace("  - course: Learning How to Learn", "  - course: {en: Learning How to Learn, es: Aprender a aprender}")
)
PAGES = {
    "pages/about.md": "---\ntitle: About us\nnav: 1\n---\nWe are **a network**.\n",
    "pages/about.es.md": "---\ntitle: Quiénes somos\n---\nSomos **una red**.\n",
}


def build(tmp_path: Path, files: dict[str, str] | None = None, site: str = SITE) -> Path:
    content = scratch_content(tmp_path / "content", {"site.yaml": site, "hubs/example-hub.yaml": TRANSLATED_HUB, **PAGES, **(files or {})})
    out = tmp_path / "site"
    result = run_main("build", "--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("languages"))


def pages_of(site: Path, key: str) -> set[str]:
    return {path.removeprefix(f"{key}/") for path in tree_hash(site) if path.startswith(f"{key}/") and path.endswith(".html")}


# --- paths -------------------------------------------------------------------------------------


def test_every_page_exists_once_in_every_language_with_the_same_slugs(site: Path) -> None:
    english = pages_of(site, "en")
    assert {"index.html", "hubs/example-hub/index.html", "about/index.html", "404.html", "host/apply/index.html"} <= english
    for key in KEYS:
        assert pages_of(site, key) == english, key
        for name in ("feed.xml", "calendar.ics", "hubs/map.json", "hubs/example-hub/calendar.ics"):
            assert (site / key / name).is_file(), (key, name)
    shared = {path for path in tree_hash(site) if "/" not in path or path.split("/")[0] in ("assets", "schema", "hubs")}
    assert {"index.html", "404.html", "hubs.json", "hubs.geojson", "sitemap.xml", "_redirects", "_headers", "hubs/places.json"} <= shared
    # at the root, a hub has only its record for the correction form, which every language's form reads
    assert [p.name for p in (site / "hubs" / "example-hub").iterdir()] == ["record.js"] and not (site / "en" / "assets").exists()


def test_a_site_in_one_language_keeps_its_paths(tmp_path: Path) -> None:
    out = build(tmp_path, site=SITE_YAML)
    assert (out / "hubs/example-hub/index.html").is_file() and not (out / "en").exists() and not (out / "_redirects").exists()
    page = parse_html(out / "hubs/example-hub/index.html")
    assert page.xpath("//link[@hreflang]") == [] and page.xpath("//details[@class='languages']") == []


def test_html_lang_and_dir_on_every_page_of_every_language(site: Path) -> None:
    expected = {"en": ("en", "ltr"), "es": ("es", "ltr"), "ar": ("ar", "rtl"), "zh-hans": ("zh-Hans", "ltr")}
    for path in (p for p in tree_hash(site) if p.endswith(".html")):
        html = parse_html(site / path)
        key = path.removeprefix("embed/").split("/")[0]  # the lists made to be framed: embed/KEY/...
        lang, direction = expected.get(key, ("en", "ltr"))  # the picker and the root 404: the default's
        assert (html.get("lang"), html.get("dir")) == (lang, direction), path


# --- hreflang, switcher, picker, sitemap, Netlify ----------------------------------------------


def alternates(page: Path) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in parse_html(page).xpath("//head/link[@rel='alternate'][@hreflang]")}


def local_path(url: str) -> str:
    path = urlsplit(url).path.removeprefix(urlsplit(BASE).path)
    return path + "index.html" if path.endswith("/") or path == "" else path


def test_hreflang_is_absolute_reciprocal_self_including_and_every_target_exists(site: Path) -> None:
    for key in KEYS:
        for path in sorted(pages_of(site, key) - {"404.html"}):
            found = alternates(site / key / path)
            assert set(found) == {"en", "es", "ar", "zh-Hans", "x-default"}, (key, path)
            assert found["zh-Hans"].startswith(BASE + "zh-hans/") and all(url.startswith(BASE) for url in found.values())
            assert local_path(found[{"zh-hans": "zh-Hans"}.get(key, key)]) == f"{key}/{path}"  # itself
            for target in found.values():
                assert (site / local_path(target)).is_file(), (key, path, target)
                assert alternates(site / local_path(target)) == found, (key, path, target)  # reciprocal: the same set everywhere
            assert found["x-default"] == (BASE if path == "index.html" else found["en"])


def test_the_switcher_leads_to_the_same_page_in_each_language(site: Path) -> None:
    for key in KEYS:
        page = f"{key}/hubs/example-hub/index.html"
        links = parse_html(site / page).xpath("//details[@class='languages']//a")
        assert [link.get("hreflang") for link in links] == ["en", "es", "ar", "zh-Hans"]
        assert [link.text_content() for link in links] == ["English", "Español", "العربية", "简体中文"]  # each in its own name, the label of site.yaml
        for link in links:
            target = urljoin(BASE + page, link.get("href"))
            assert target == f"{BASE}{link.get('data-language')}/hubs/example-hub/", (page, target)
        assert [link.get("hreflang") for link in links if link.get("aria-current")] == [{"zh-hans": "zh-Hans"}.get(key, key)]


def test_the_root_is_a_picker_of_languages_in_their_own_names(site: Path) -> None:
    picker = parse_html(site / "index.html")
    links = picker.xpath("//ul[@data-picker]//a")
    assert [(a.get("href"), a.get("hreflang")) for a in links] == [("en/", "en"), ("es/", "es"), ("ar/", "ar"), ("zh-hans/", "zh-Hans")]
    assert [li.get("dir") for li in picker.xpath("//ul[@data-picker]/li")] == ["ltr", "ltr", "rtl", "ltr"]
    assert picker.xpath("//img[contains(@src, 'flag')]") == []  # no flags: a language is not a country
    assert alternates(site / "index.html")["x-default"] == BASE
    root_404 = parse_html(site / "404.html")
    assert [a.get("href") for a in root_404.xpath("//ul//a")] == ["/hubs/en/", "/hubs/es/", "/hubs/ar/", "/hubs/zh-hans/"]
    spanish_404 = parse_html(site / "es/404.html")
    assert spanish_404.get("lang") == "es"
    assert all(a.get("href").startswith("/hubs/") for a in spanish_404.xpath("//a[not(starts-with(@href, 'mailto:') or starts-with(@href, '#'))]"))


def test_the_sitemap_carries_the_same_alternates(site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    doc = lxml.etree.fromstring((site / "sitemap.xml").read_bytes())
    entries = {url.findtext("s:loc", namespaces=ns): {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)} for url in doc.findall("s:url", ns)}
    hub = f"{BASE}ar/hubs/example-hub/"
    assert entries[hub] == alternates(site / "ar/hubs/example-hub/index.html")
    assert BASE in entries and not any(loc.endswith("404.html") for loc in entries)
    assert len([loc for loc in entries if loc.endswith("/hubs/example-hub/")]) == len(KEYS)


def test_netlify_sends_a_browser_language_to_its_home_and_a_missing_page_to_its_404(site: Path) -> None:
    rules = [line.split() for line in (site / "_redirects").read_text().splitlines() if line and not line.startswith("#")]
    assert ["/hubs/", "/hubs/es/", "302!", "Language=es"] in rules
    assert ["/hubs/", "/hubs/zh-hans/", "302!", "Language=zh"] in rules
    assert ["/hubs/ar/*", "/hubs/ar/404.html", "404"] in rules


# --- words and formats -------------------------------------------------------------------------


def test_weekday_and_month_names_and_clocks_are_the_page_language(site: Path) -> None:
    text = {key: visible_text(site / key / "hubs/example-hub/index.html") for key in KEYS}
    assert "Tuesday" in text["en"] and "6:00" in text["en"]
    assert "martes" in text["es"] and "18:00" in text["es"] and "feb" in text["es"]
    assert "الثلاثاء" in text["ar"] and "فبراير" in text["ar"]
    assert "星期二" in text["zh-hans"] or "周二" in text["zh-hans"]
    assert "Tuesday" not in text["es"] + text["ar"] + text["zh-hans"]


def test_the_feed_and_the_calendars_speak_the_language_and_keep_one_event(site: Path) -> None:
    feeds = {key: lxml.etree.fromstring((site / key / "feed.xml").read_bytes()) for key in KEYS}
    assert {key: doc.get("{http://www.w3.org/XML/1998/namespace}lang") for key, doc in feeds.items()} == {"en": "en", "es": "es", "ar": "ar", "zh-hans": "zh-Hans"}
    events = {key: next(iter(icalendar.Calendar.from_ical((site / key / "hubs/example-hub/calendar.ics").read_bytes()).walk("VEVENT"))) for key in KEYS}
    assert len({str(e["UID"]) for e in events.values()}) == 1  # the same event in every language: importing two updates one
    assert len({e["DTSTART"].dt for e in events.values()}) == 1 and len({e["RRULE"].to_ical() for e in events.values()}) == 1
    assert "Aprender a aprender" in str(events["es"]["SUMMARY"]) and "martes" in str(events["es"]["DESCRIPTION"])
    assert str(events["es"]["URL"]) == f"{BASE}es/hubs/example-hub/"


# --- texts in several languages ----------------------------------------------------------------


def test_a_translated_text_shows_in_its_language_and_a_missing_one_falls_back_marked(site: Path) -> None:
    spanish = parse_html(site / "es/hubs/example-hub/index.html")
    assert spanish.xpath("string(//p[@class='lead'])") == "Grupos de estudio semanales."
    assert spanish.xpath("//p[@class='lead']/span") == []
    # The name has no Spanish: the default's text, marked as English so screen readers and bidi get it right.
    name = spanish.xpath("//h1/span")[0]
    assert (name.text, name.get("lang"), name.get("dir")) == ("Example Hub", "en", "ltr")
    arabic = parse_html(site / "ar/hubs/example-hub/index.html")
    assert arabic.xpath("string(//h1)") == "مركز المثال"
    lead = arabic.xpath("//p[@class='lead']/span")[0]  # no Arabic summary: English, left to right, inside the right-to-left page
    assert (lead.text, lead.get("lang"), lead.get("dir")) == ("Weekly study groups.", "en", "ltr")
    english = parse_html(site / "en/hubs/example-hub/index.html")
    assert english.xpath("string(//h1)") == "Example Hub" and english.xpath("//h1/span") == []


def test_a_page_translation_replaces_title_and_body_and_others_fall_back(site: Path) -> None:
    spanish = parse_html(site / "es/about/index.html")
    assert spanish.xpath("string(//h1)") == "Quiénes somos" and "Somos una red." in spanish.xpath("string(//div[@class='prose'])")
    assert "Quiénes somos" in spanish.xpath("string(//header//nav)")
    arabic = parse_html(site / "ar/about/index.html")
    body = arabic.xpath("//div[@class='prose']/div")[0]
    assert (body.get("lang"), body.get("dir")) == ("en", "ltr") and "We are a network." in body.text_content()


def test_hubs_json_carries_every_translation(site: Path) -> None:
    data = json.loads((site / "hubs.json").read_text(encoding="utf-8"))
    hub = data["hubs"][0]
    assert hub["name"] == "Example Hub" and hub["url"] == f"{BASE}en/hubs/example-hub/"
    assert hub["translations"] == {"name": {"en": "Example Hub", "ar": "مركز المثال"}, "summary": {"en": "Weekly study groups.", "es": "Grupos de estudio semanales."}}
    assert hub["sessions"][0]["translations"] == {"course": {"en": "Learning How to Learn", "es": "Aprender a aprender"}}
    assert hub["host"]["translations"] == {}


def test_the_map_data_of_each_language_has_its_names(site: Path) -> None:
    arabic = json.loads((site / "ar/hubs/map.json").read_text(encoding="utf-8"))
    spanish = json.loads((site / "es/hubs/map.json").read_text(encoding="utf-8"))
    assert arabic["hubs"][0][1] == "مركز المثال" and arabic["hubs"][0][0] == "example-hub"  # a non-ASCII name carries its slug
    assert spanish["courses"][0][1] == "Aprender a aprender"
    assert spanish["countries"][0][1] == "Kenia"


# --- what check says ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "where", "message"), [
    ("summary: {en: One., es: \"Dos\\nlíneas\"}", "summary.es", "single line"),
    ("summary: {en: One., e s: Dos}", "summary.e s", "not a language tag"),
    ("summary: {}", "summary", "empty mapping"),
    ("summary: {en: One., es: " + "x" * 400 + "}", "summary.es", "300"),
])
def test_a_problem_in_one_translation_names_its_language(tmp_path: Path, text: str, where: str, message: str) -> None:
    hub = HUB_YAML.replace("summary: Weekly study groups.", text)
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE, "hubs/example-hub.yaml": hub})
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 1
    line = HUB_YAML.split("\n").index("summary: Weekly study groups.") + 1
    found = [problem for problem in result.lines if f": {where}: " in problem]
    assert found and found[0].startswith(f"{content / 'hubs/example-hub.yaml'}:{line}:") and message in found[0], result.err


@pytest.mark.parametrize(("languages", "message"), [
    ("languages: [en, xx-unknown]", "CLDR has no data"),
    ("languages: [en, es, ES]", "es is listed twice"),
    ("language: fr\nlanguages: [en, fr]", "disagree about the default language"),
])
def test_site_languages_are_checked(tmp_path: Path, languages: str, message: str) -> None:
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML.replace("language: en", languages)})
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 1 and message in result.err, result.err


def test_a_translation_of_a_missing_page_is_an_error(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE, "pages/faq.es.md": "---\ntitle: Preguntas\n---\nHola.\n"})
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 1 and "faq.es.md" in result.err and "pages/faq.md, which does not exist" in result.err


def test_check_prints_the_coverage_of_each_language(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE.replace("zh-Hans, label: 简体中文}", "de}")})
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 0, result.err
    coverage = result.out.split("interface translated:")[1]
    assert re.search(r"es: (\d+) of \1 messages translated \(100%\)", coverage), coverage
    assert "de: no catalogue" in coverage and "no catalogue for de" in result.err  # a warning, with the file to make


def test_a_build_in_the_repository_languages_needs_no_network_and_no_absolute_paths(tmp_path: Path) -> None:
    """The bundled site: every language's home links its assets relatively, from its own depth."""
    out = tmp_path / "site"
    assert run_main("build", "--content", str(ROOT / "content"), "--out", str(out), "--today", TODAY).code == 0
    for key in ("en", "ar", "zh-hans"):
        html = parse_html(out / key / "index.html")
        assert all(src.startswith("../assets/") for src in html.xpath("//script/@src | //link[@rel='stylesheet']/@href")), key
