"""The bundled directory in its nine languages, in real headless Chromium: right-to-left laid out
as such, Latin names kept in their order inside Arabic sentences, the switcher landing on the
same hub and remembered at the root, Arabic plurals in Python and in the scripts, every
language's hub page Nu-valid and without serious axe violations, and every language's flyer
printed to one A4 and one Letter page whose QR code a decoder reads back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from chromium import require_tool, serve_directory, watched_page
from conftest import ROOT, TODAY, run_main
from PIL import Image
from quality import AXE_JS, nu_check, route_tiles, tile_hosts

from hubsite.languages import language
from hubsite.render.catalogues import load_words

HUB = "nypl-seward-park-library"  # a Latin name, a Latin host, sessions to come
KEYS = ("en", "es", "fr", "ar", "zh-hans", "ru", "uk", "ko", "vi")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = run_main("build", "--content", str(ROOT / "content"), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def served(bundled: Path) -> Iterator[str]:
    with serve_directory(bundled) as base:
        yield base


def word_lefts(page, selector: str, words: list[str]) -> list[float | None]:
    """The left edge on screen of each word in the element's text, each found after the one before."""
    return page.evaluate("""([selector, words]) => {
        const root = document.querySelector(selector);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const nodes = []; for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
        let node = 0, from = 0;
        return words.map(word => {
          for (; node < nodes.length; node++, from = 0) {
            const at = nodes[node].data.indexOf(word, from);
            if (at < 0) continue;
            const range = document.createRange(); range.setStart(nodes[node], at); range.setEnd(nodes[node], at + word.length);
            from = at + word.length;
            return range.getBoundingClientRect().left;
          }
          return null;
        }); }""", [selector, words])


@pytest.mark.browser
def test_arabic_pages_are_laid_out_right_to_left_with_latin_names_in_their_order(browser, served: str) -> None:
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        page.goto(f"{served}ar/hubs/{HUB}/")
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        title = page.locator("header a").first.bounding_box()
        assert title["x"] > 1280 / 2  # the site's name is on the right
        assert page.locator("main p.meta").evaluate("p => p.getClientRects().length") == 1  # one line
        host, *latin = word_lefts(page, "main p.meta", ["باستضافة", "New", "York", "Public", "Library"])
        assert None not in latin and latin == sorted(latin)  # "New York Public Library" reads left to right
        assert host > latin[-1]  # ... and the Arabic word before it in the sentence stands to its right
        assert page.console_errors == []


@pytest.mark.browser
def test_the_switcher_lands_on_the_same_hub_and_the_root_remembers(browser, served: str) -> None:
    with watched_page(browser) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        page.goto(f"{served}en/hubs/{HUB}/")
        page.click("details.languages summary")
        page.click("details.languages a[data-language='es']")
        page.wait_for_url(f"{served}es/hubs/{HUB}/")
        assert page.evaluate("document.documentElement.lang") == "es"
        page.goto(served)  # the picker at the root: the choice is remembered
        page.wait_for_url(f"{served}es/")
        assert page.console_errors == []


ARABIC_COUNTS = {0: "zero", 1: "one", 2: "two", 3: "few", 11: "many", 100: "other"}


def test_arabic_plurals_take_all_six_forms_in_python() -> None:
    arabic = language("ar")
    words = load_words(ROOT / "templates", (arabic,))["ar"]
    said = {n: words.ngettext("%(num)d hub", "%(num)d hubs", n) for n in ARABIC_COUNTS}
    assert len(set(said.values())) == 6, said  # six different words for six counts
    assert all("hub" not in text for text in said.values())


@pytest.mark.browser
def test_arabic_plurals_take_all_six_forms_in_the_scripts(browser, served: str) -> None:
    with watched_page(browser) as page:
        page.goto(f"{served}ar/")
        forms = page.evaluate("""(counts) => {
            const box = document.querySelector('script[id$="-config"]');
            const words = JSON.parse(box.textContent).labels.hubs;
            const rules = new Intl.PluralRules('ar');
            return counts.map(n => [rules.select(n), (words[rules.select(n)] || words.other).replace('{n}', n)]); }""", list(ARABIC_COUNTS))
    assert [category for category, _ in forms] == list(ARABIC_COUNTS.values())
    assert len({text for _, text in forms}) == 6, forms


@pytest.mark.validator
def test_a_hub_page_is_valid_html_in_every_language(bundled: Path) -> None:
    errors, _ = nu_check([bundled / key / "hubs" / HUB / "index.html" for key in KEYS] + [bundled / key / "hubs" / HUB / "flyer" / "index.html" for key in KEYS])
    assert errors == []


@pytest.mark.browser
def test_a_hub_page_has_no_serious_accessibility_violations_in_any_language(browser, bundled: Path, served: str) -> None:
    require_tool(AXE_JS.is_file(), f"axe-core ({AXE_JS})")
    serious = {}
    with watched_page(browser) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        for key in KEYS:
            page.goto(f"{served}{key}/hubs/{HUB}/")
            page.evaluate(AXE_JS.read_text(encoding="utf-8"))
            violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
            serious[key] = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == {key: [] for key in KEYS}


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_flyer_prints_on_one_page_with_a_readable_qr_code_in_every_language(browser, served: str, paper: str) -> None:
    read = {}
    with watched_page(browser, viewport={"width": 900, "height": 1300}) as page:
        for key in KEYS:
            page.goto(f"{served}{key}/hubs/{HUB}/flyer/")
            page.emulate_media(media="print")
            pages = len(pypdf.PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True))).pages)
            shot = Image.open(io.BytesIO(page.locator(".flyer-code svg").screenshot()))
            found = zxingcpp.read_barcodes(shot)
            read[key] = (pages, found[0].text if found else None)
            page.emulate_media(media="screen")
        assert page.console_errors == []
    assert read == {key: (1, f"https://example.org/hubs/{key}/hubs/{HUB}/") for key in KEYS}
