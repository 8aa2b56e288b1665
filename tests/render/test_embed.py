"""The lists made to be framed (/embed/: every hub; per partner, country and course; in every
language) and the partner kit on each partner's page, on real builds read back with lxml."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from conftest import TODAY, build_site, parse_html, run_main, scratch_content, tree_hash
from sites import NETWORK_COURSES, NETWORK_PLACES, network

from hubsite.render import embed

BASE = "https://example.org/hubs/"
RUNNABLE = "//script[contains(., 'alert') and not(starts-with(@type, 'application/'))]"  # a script, not data (the map's JSON)
HOSTILE = 'Lib "quoted" </textarea><script>alert(1)</script> & <b>co</b>'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("embed")
    build_site(scratch_content(root / "content", network(), hub=False), root / "site")
    return root / "site"


def groups_of(page) -> list[tuple[str, str, str, str]]:
    """(hub, course, when, sign-up link) of every group a framed list shows."""
    return [(group.xpath("string(ancestor::li[@class='embed-hub']//h2 | ancestor::li[@class='embed-hub']//h3)").strip(),
             group.findtext(".//p[@class='embed-course']"), " ".join(group.xpath("string(.//p[@class='embed-when'])").split()),
             (group.xpath(".//p[@class='embed-signup']/a/@href") or [""])[0]) for group in page.xpath("//li[@class='embed-group']")]


def test_every_scope_has_its_list_in_every_language(site: Path) -> None:
    """Every hub, each partner, country and course, in each language, under the one embed/ folder:
    compact (no site header, navigation or footer; its own small stylesheet), noindex, canonical to
    the full page, every link opening in the top window."""
    for key, direction in (("en", "ltr"), ("ar", "rtl"), ("zh-hans", "ltr")):
        for full in ("", "partners/example-library/", "countries/cz/", "countries/in/", "courses/financial-markets/"):
            file = site / "embed" / key / full / "index.html"
            page = parse_html(file)
            assert page.get("dir") == direction, file
            assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
            assert page.xpath("//link[@rel='canonical']/@href") == [f"{BASE}{key}/{full}"]
            assert page.xpath("//base/@target") == ["_top"] and page.xpath("//base/@href") == []
            assert page.xpath("//header[contains(@class, 'site-header')] | //nav | //footer[contains(@class, 'site-footer')]") == []
            sheets = page.xpath("//link[@rel='stylesheet']/@href")
            assert len(sheets) == 1 and "/assets/embed." in sheets[0]
    assert (site / "assets").exists() and max(len(data) for path, data in read_assets(site) if "/embed." in path) < 8_000


def read_assets(site: Path) -> list[tuple[str, bytes]]:
    return [(path, (site / path).read_bytes()) for path in tree_hash(site) if path.startswith("assets/")]


def test_a_partners_list_names_every_group_still_to_meet_and_nothing_else(site: Path) -> None:
    """Ten groups in five hubs (hub, city, course, day and local time, language, sign-up), and
    not the one that has ended."""
    page = parse_html(site / "embed/en/partners/example-library/index.html")
    groups = groups_of(page)
    assert len(groups) == 10
    assert {hub for hub, *_ in groups} == {name for name, _ in NETWORK_PLACES}
    assert sorted(course for _, course, *_ in groups) == sorted(NETWORK_COURSES * 2)
    assert "Ended Course" not in page.text_content()
    assert ("Prague Library Hub", "Learning How to Learn", "Tuesday, 6:00 – 8:00 PM Czechia time · English", "https://example.org/signup") in groups
    assert ("Santiago Community Hub", "Financial Markets", "Thursday and Saturday, 6:00 – 8:00 PM Santiago time · Spanish", "https://example.org/signup") in groups
    places = page.xpath("//p[@class='embed-place']/text()")
    assert "Kolkata, India" in [p.strip() for p in places]


def test_a_country_and_a_course_list_only_their_own(site: Path) -> None:
    czech = groups_of(parse_html(site / "embed/en/countries/cz/index.html"))
    assert {hub for hub, *_ in czech} == {"Prague Library Hub", "Old Town Library"} and len(czech) == 4
    course = groups_of(parse_html(site / "embed/en/courses/financial-markets/index.html"))
    assert sorted((hub, name) for hub, name, *_ in course) == [("Kolkata Learning Centre", "Financial Markets"), ("Santiago Community Hub", "Financial Markets")]
    every = parse_html(site / "embed/en/index.html")
    assert len(groups_of(every)) == 10 and len(every.xpath("//h2[@class='embed-section']")) == 4  # a heading per country


def test_links_go_to_the_full_site_in_this_language(site: Path) -> None:
    """Each hub's name links to its page in the list's language (relative, so a preview stays one)."""
    page = parse_html(site / "embed/ar/partners/example-library/index.html")
    hubs = page.xpath("//li[@class='embed-hub']//a[not(ancestor::p[@class='embed-signup'])]/@href")
    assert hubs and all(href.startswith("../../../../ar/hubs/") for href in hubs)
    assert all((site / "embed/ar/partners/example-library" / href / "index.html").resolve().is_file() for href in hubs)
    assert page.xpath("//a/@target") == []  # every link takes <base target="_top">


def test_a_very_large_directory_lists_countries_whose_lists_open_in_the_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "ALL_HUBS_LIMIT", 3)
    out = tmp_path / "site"
    result = run_main("build", "--content", str(scratch_content(tmp_path / "content", network("[en]"), hub=False)), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    page = parse_html(out / "embed/index.html")
    assert page.xpath("//li[@class='embed-group']") == []
    links = page.xpath("//ul[@class='embed-countries']//a")
    assert [(a.get("href"), a.get("target")) for a in links][:1] == [("../embed/countries/cl/", "_self")] and len(links) == 4
    assert all((out / "embed" / a.get("href") / "index.html").resolve().is_file() for a in links)


# --- the partner kit ---------------------------------------------------------------------------


def kit_of(page) -> lxml.html.HtmlElement:
    return page.xpath("//section[@class='partner-kit']")[0]


def test_the_kit_has_the_code_the_printable_list_and_every_flyer(site: Path) -> None:
    for key in ("en", "ar"):
        page = parse_html(site / key / "partners/example-library/index.html")
        kit = kit_of(page)
        code = lxml.html.fragment_fromstring(kit.xpath("string(.//textarea)"))
        assert (code.tag, code.get("src")) == ("iframe", f"{BASE}embed/{key}/partners/example-library/")
        printable, *flyers = kit.xpath(".//ul[@class='kit-links']//a/@href")
        assert printable == f"../../../embed/{key}/partners/example-library/"
        assert sorted(flyers) == sorted(f"../../hubs/{name.lower().replace(' ', '-')}/flyer/" for name, _ in NETWORK_PLACES)
        assert all((site / key / "partners/example-library" / href / "index.html").resolve().is_file() for href in [printable, *flyers])
        assert len(kit.xpath(".//*[@data-copy][@hidden]")) == 1  # the button needs the script: the code is selectable text without it


def test_the_code_to_copy_is_escaped_once_for_the_attribute_and_once_as_text(tmp_path: Path) -> None:
    """A partner's name is escaped in the iframe's title (the code), and the code escaped as the
    textarea's text: nothing of it becomes markup of the partner's page."""
    files = {"partners/example-library.yaml": f"name: {json.dumps(HOSTILE)}\nkind: library\n"}
    build_site(scratch_content(tmp_path / "content", {**network("[en]"), **files}, hub=False), tmp_path / "site")
    page = parse_html(tmp_path / "site/partners/example-library/index.html")
    assert page.xpath(RUNNABLE) == [] and page.xpath("//b[.='co']") == []
    text = kit_of(page).xpath("string(.//textarea)")
    code = lxml.html.fragment_fromstring(text)
    assert code.get("title") == f"Learning hubs of {HOSTILE}" and code.get("src") == f"{BASE}embed/partners/example-library/"
    assert text.count("<") == 2 and "&#34;quoted&#34;" in text  # one element; its title's quotes escaped in the code
    framed = parse_html(tmp_path / "site/embed/partners/example-library/index.html")
    assert framed.findtext(".//h1") == f"Learning hubs of {HOSTILE}" and framed.xpath(RUNNABLE) == []


def test_a_site_without_a_web_address_has_no_code_to_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", network("[en]"), hub=False), out, "--base-url", out.as_uri() + "/")
    kit = kit_of(parse_html(out / "partners/example-library/index.html"))
    assert kit.xpath(".//textarea") == [] and "no web address" in kit.text_content()
    assert kit.xpath(".//ul[@class='kit-links']//a/@href")[0] == "../../embed/partners/example-library/index.html"


def test_a_partner_without_hubs_has_no_kit(tmp_path: Path) -> None:
    files = {"partners/lonely.yaml": "name: Lonely Partner\nkind: library\n"}
    build_site(scratch_content(tmp_path / "content", {**network("[en]"), **files}, hub=False), tmp_path / "site")
    assert parse_html(tmp_path / "site/partners/lonely/index.html").xpath("//section[@class='partner-kit']") == []
    assert parse_html(tmp_path / "site/embed/partners/lonely/index.html").xpath("//li[@class='embed-hub']") == []
