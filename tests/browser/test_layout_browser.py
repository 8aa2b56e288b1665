"""The bundled site on a phone, in real headless Chromium: every kind of page, in each of its nine
languages, fits a 320 px screen with every disclosure open (no sideways scrolling); Latin runs on
Arabic pages read whole and in their place (a facilitator's name before their bio, a partner's
name on one line, the flyer's course title beside its time); and the root of the site sends a
browser to its language when the site has it, and shows a headed list of languages otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import require_tool, serve_directory, watched_page
from conftest import CORPUS, ROOT, TODAY, run_main
from corpus import corpus_site
from quality import AXE_JS, nu_check, route_tiles, tile_hosts

KEYS = ("en", "es", "fr", "ar", "zh-hans", "ru", "uk", "ko", "vi")
HUB = "american-space-baghdad"  # Latin names and English bios, shown on an Arabic page too
# One page of each kind, in a language's folder: the longest names and titles the bundled site has.
KINDS = {
    "home": "",
    "hub": f"hubs/{HUB}/",
    "flyer": f"hubs/{HUB}/flyer/",
    "partner": "partners/us-department-of-state/",
    "partners": "partners/",
    "country": "countries/us/",
    "countries": "countries/",
    "course": "courses/programming-for-everybody-getting-started-with-python/",
    "courses": "courses/",
    "page": "about/",
    "host": "host/",
    "apply": "host/apply/",
    "numbers": "numbers/",
    "404": "404.html",
}
PHONE = 320
# A browser language the bundled site does not have: the root stays the picker.
ELSEWHERE = "de-DE"
# Hostile cases of the corpus: words, addresses and URLs wider than a phone, wide tables, code.
LONG_WORDS = (CORPUS / "hubs/long-unbroken-words.yaml", CORPUS / "pages/wide-table-and-long-words.md")

# What sticks out of the viewport sideways, the first few in document order: an element as
# 'tag#id.class (left..right)', a text that overflows its box as 'tag.class "text" (left..right)'.
OVERFLOW = """(width) => {
    const found = [], outside = box => box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
    const name = element => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + (typeof element.className === "string" && element.className.trim() ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    const span = box => ` (${Math.round(box.left)}..${Math.round(box.right)})`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && found.length < 6; node = walker.nextNode()) {
        if (node.nodeType === Node.ELEMENT_NODE) {
            const box = node.getBoundingClientRect();
            if (outside(box)) found.push(name(node) + span(box));
        } else if (node.data.trim()) {
            const range = document.createRange(); range.selectNodeContents(node);
            const box = range.getBoundingClientRect();
            if (outside(box)) found.push(`${name(node.parentElement)} "${node.data.trim().slice(0, 40)}"` + span(box));
        }
    }
    return {width: document.documentElement.scrollWidth, offenders: found};
}"""

# The box on screen of each line of one text found in an element: [{left, right, top}, ...].
TEXT_LINES = """([selector, text]) => {
    const root = document.querySelector(selector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(text);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + text.length);
        return [...range.getClientRects()].map(r => ({left: r.left, right: r.right, top: r.top}));
    }
    return null;
}"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "site"
    # At the host's root, so the 404 pages' links from the site's path ('/hubs/' in site.yaml) load here too.
    result = run_main("build", "--content", str(ROOT / "content"), "--out", str(out), "--today", TODAY, "--base-url", "https://example.org/")
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def served(bundled: Path) -> Iterator[str]:
    with serve_directory(bundled) as base:
        yield base


@pytest.fixture(scope="module")
def long_words(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus's long-word cases in a site in English and Arabic, built."""
    root = tmp_path_factory.mktemp("long-words")
    content = corpus_site(root, LONG_WORDS[0])
    (content / "pages").mkdir()
    (content / "pages" / LONG_WORDS[1].name).write_bytes(LONG_WORDS[1].read_bytes())
    settings = content / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: en", "languages: [en, ar]"), encoding="utf-8")
    result = run_main("build", "--content", str(content), "--out", str(root / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    return root / "site"


def sideways(page, url: str) -> dict:
    """Open the page, open every disclosure (the finder's filters, ended sessions, the language
    menu): what a visitor can reach; then measure how wide the document is."""
    page.goto(url)
    page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")
    return page.evaluate(OVERFLOW, PHONE)


@pytest.mark.browser
def test_every_kind_of_page_fits_a_320_px_phone_in_every_language(browser, served: str) -> None:
    too_wide = {}
    with watched_page(browser, viewport={"width": PHONE, "height": 640}, locale=ELSEWHERE) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        pages = [("picker", ""), ("root 404", "404.html")] + [(f"{key} {kind}", f"{key}/{path}") for key in KEYS for kind, path in KINDS.items()]
        for name, path in pages:
            found = sideways(page, served + path)
            if found["width"] > PHONE:
                too_wide[name] = f"{found['width']} px: {', '.join(found['offenders'])}"
        assert page.console_errors == []
    assert too_wide == {}


@pytest.mark.browser
def test_words_wider_than_a_phone_break_and_tables_scroll_in_their_own_box(browser, long_words: Path) -> None:
    pages = sorted(path.parent.relative_to(long_words).as_posix() + "/" for path in long_words.glob("*/**/index.html") if "embed" not in path.parts)
    assert len(pages) > 20 and "ar/wide-table-and-long-words/" in pages
    too_wide = {}
    with serve_directory(long_words) as served, watched_page(browser, viewport={"width": PHONE, "height": 640}) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        for path in pages:
            found = sideways(page, served + path)
            if found["width"] > PHONE:
                too_wide[path] = f"{found['width']} px: {', '.join(found['offenders'])}"
        page.goto(f"{served}en/wide-table-and-long-words/")
        table = page.locator(".prose table").evaluate("table => [table.scrollWidth, table.clientWidth]")
    assert too_wide == {}
    assert table[0] > table[1]  # the table keeps its columns and scrolls, inside the page


def text_lines(page, selector: str, text: str) -> list[dict]:
    lines = page.evaluate(TEXT_LINES, [selector, text])
    assert lines, f"{text!r} not found in {selector}"
    return lines


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_latin_runs_on_arabic_pages_read_whole_and_in_their_place(browser, served: str, width: int) -> None:
    with watched_page(browser, viewport={"width": width, "height": 800}) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        page.goto(f"{served}ar/hubs/{HUB}/")
        name = text_lines(page, ".facilitators li", "Zainab Al-Hashimi")
        bio = text_lines(page, ".facilitators li", "English teacher and exchange programme alumna")
        assert name[-1]["top"] < bio[0]["top"]  # the name on its own line, the bio after it, whole
        page.goto(f"{served}ar/partners/us-department-of-state/")
        for card in range(page.locator(".hub-card .meta").count()):
            host = text_lines(page, f".hub-card:nth-child({card + 1}) .meta", "U.S. Department of State")
            assert len(host) == 1, host  # one line: not split around the Arabic words
        page.goto(f"{served}ar/hubs/{HUB}/flyer/")
        course = text_lines(page, ".flyer-sessions li", "English for Career Development")
        when = page.locator(".flyer-sessions li .flyer-when").first.evaluate("p => { const r = document.createRange(); r.selectNodeContents(p); return r.getBoundingClientRect().right; }")
        assert abs(course[0]["right"] - when) < 2  # the title on the right, above its time, as the page reads
        assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize(("locale", "lands"), [("es-ES", "es/"), ("zh-CN", "zh-hans/"), ("ar-EG", "ar/")])
def test_the_root_sends_a_browser_to_its_language(browser, served: str, locale: str, lands: str) -> None:
    with watched_page(browser, locale=locale) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        page.goto(served)
        page.wait_for_url(served + lands)
        assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("scripts", [True, False])
def test_the_root_stays_a_headed_list_of_languages_for_any_other_browser(browser, served: str, scripts: bool) -> None:
    with watched_page(browser, locale=ELSEWHERE, java_script_enabled=scripts) as page:
        page.goto(served)
        page.wait_for_load_state("networkidle")  # a redirect, were there one, would have gone
        assert page.url == served
        assert page.locator("h1").inner_text() == "Learning Hubs"
        assert page.locator("html").get_attribute("lang") == "en"
        prompts = page.locator(".picker-prompt [lang]")
        assert prompts.count() == len(KEYS) and prompts.nth(3).inner_text() == "اختر لغتك"
        assert page.locator("[data-picker] a").count() == len(KEYS)
        assert page.console_errors == []


@pytest.mark.browser
def test_the_root_and_its_404_have_no_accessibility_violations_at_all(browser, served: str) -> None:
    require_tool(AXE_JS.is_file(), f"axe-core ({AXE_JS})")
    found = {}
    with watched_page(browser, locale=ELSEWHERE) as page:
        for path in ("", "404.html"):
            page.goto(served + path)
            page.evaluate(AXE_JS.read_text(encoding="utf-8"))
            violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
            found[path] = [v["id"] for v in violations]
    assert found == {"": [], "404.html": []}  # of any impact: a page without an <h1> is a moderate one


@pytest.mark.validator
def test_the_root_and_its_404_are_valid_html(bundled: Path) -> None:
    errors, _ = nu_check([bundled / "index.html", bundled / "404.html"])
    assert errors == []
