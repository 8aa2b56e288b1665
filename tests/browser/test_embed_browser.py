"""The lists made to be framed, in real Chromium: the built site served on 127.0.0.1 with its
_headers as response headers (as Netlify or Cloudflare Pages would send them), and a partner's
page on another origin (another port) holding the code its kit gives. The list loads in the frame,
the home page is refused (frame-ancestors), links open the full site in the top window, the list
is complete without JavaScript, the map comes only with ?map=1, the printable list fits one page.

Screenshots (the partner page with its kit at 375 and 1280 px, a list in a 400 px frame, in en,
ar and zh-hans) are written to $HUBSITE_SCREENSHOTS when it is set, to be looked at.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import lxml.html
import pypdf
import pytest
from chromium import QuietHandler, serve_directory, serve_with, watched_page
from conftest import build_site, parse_html, scratch_content
from quality import axe_violations, route_tiles
from sites import network
from weight import page_weight

from hubsite.render.publishing import headers_for, parse_headers

pytestmark = pytest.mark.browser

PARTNER = "partners/example-library/"
TILES = {"tile.openstreetmap.org"}
SHOTS = os.environ.get("HUBSITE_SCREENSHOTS")


class HeadersHandler(QuietHandler):
    """A static host that sends the site's _headers (read at each request: the site is built after
    the server starts, so that its base URL can be the server's own)."""

    site: ClassVar[Path]

    def end_headers(self) -> None:
        rules = parse_headers((self.site / "_headers").read_text())
        for name, value in headers_for(rules, urlsplit(self.path).path).items():
            self.send_header(name, value)
        super().end_headers()


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The network's site, built for and served at http://127.0.0.1:PORT/ with its headers."""
    root = tmp_path_factory.mktemp("embed-browser")
    site = root / "site"
    site.mkdir()
    with serve_with(site, type("Handler", (HeadersHandler,), {"site": site})) as base:
        build_site(scratch_content(root / "content", network(), hub=False), site, "--base-url", base)
        yield base, site


def snippet(site: Path, key: str) -> str:
    """The code the partner's kit gives to copy, as a reader selects it (the textarea's text)."""
    return parse_html(site / key / PARTNER / "index.html").xpath("string(//textarea[@id='embed-code'])")


@pytest.fixture(scope="module")
def partner_site(hosted: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A partner's website on another origin: a page per language with the kit's code pasted in a
    400 px column, and a page that tries to frame the directory's home page."""
    base, site = hosted
    folder = tmp_path_factory.mktemp("partner-site")
    for key in ("en", "ar", "zh-hans"):
        page = f'<!DOCTYPE html><html lang="en"><title>Our library</title><body style="margin:0"><div style="width:400px">{snippet(site, key)}</div></body></html>'
        (folder / f"{key}.html").write_text(page)
    (folder / "home.html").write_text(f'<!DOCTYPE html><html lang="en"><title>Framing the home page</title><iframe id="home" src="{base}en/" title="home"></iframe></html>')
    with serve_directory(folder) as partner:
        assert urlsplit(partner).port != urlsplit(base).port  # another origin
        yield partner


def framed_list(page):
    """The frame that holds the partner's list, once its list is in."""
    frame = page.locator("iframe").first.element_handle().content_frame()
    frame.locator("li.embed-group").first.wait_for()
    return frame


def test_the_kits_code_frames_the_list_from_another_origin(hosted: tuple[str, Path], partner_site: str, browser) -> None:
    base, site = hosted
    code = lxml.html.fragment_fromstring(snippet(site, "en"))
    assert code.get("src") == f"{base}embed/en/{PARTNER}"  # absolute, from the site's base URL
    with watched_page(browser, viewport={"width": 800, "height": 900}) as page:
        route_tiles(page, TILES)
        page.goto(partner_site + "en.html")
        frame = framed_list(page)
        assert frame.locator("li.embed-group").count() == 10
        assert frame.locator("h1").inner_text() == "Learning hubs of Example Library"
        assert page.console_errors == []


def test_the_home_page_refuses_to_be_framed(hosted: tuple[str, Path], partner_site: str, browser) -> None:
    base, _ = hosted
    with watched_page(browser) as page:
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto(partner_site + "home.html")
        page.wait_for_timeout(1500)
        frame = page.locator("#home").element_handle().content_frame()
        assert frame.url != f"{base}en/" or frame.locator(".site-header").count() == 0
        assert frame.evaluate("document.querySelector('.site-header') === null")
        assert any("frame-ancestors" in text for text in messages), messages


def test_links_open_the_full_site_in_the_top_window(hosted: tuple[str, Path], partner_site: str, browser) -> None:
    base, _ = hosted
    with watched_page(browser) as page:
        route_tiles(page, TILES)
        page.goto(partner_site + "ar.html")
        frame = framed_list(page)
        link = frame.locator("li.embed-hub h2 a").first
        href = link.evaluate("a => a.href")
        assert href.startswith(f"{base}ar/hubs/")
        link.click()
        page.wait_for_url(href)  # the partner's page is left for the hub's: the Back button returns to it
        assert page.locator(".site-header").count() == 1


def test_the_list_is_complete_without_javascript(hosted: tuple[str, Path], browser) -> None:
    base, _ = hosted
    with watched_page(browser, java_script_enabled=False) as page:
        page.goto(f"{base}embed/zh-hans/{PARTNER}?map=1")
        assert page.locator("li.embed-group").count() == 10
        assert page.locator("li.embed-group .embed-signup a").count() == 10
        assert page.locator(".map").is_hidden() and page.locator("[data-print]").is_hidden()


@pytest.mark.parametrize(("query", "shown"), [
    ("?map=1", True), ("", False), ("?map=0", False), ("?map=%3Cscript%3Ealert(1)%3C/script%3E", False),
    ("?map=1%0A", False), ("?map=javascript:alert(1)", False), ("?map=1;map=1", False), ("?x=1&map=1", True),
])
@pytest.mark.parametrize("path", [f"embed/en/{PARTNER}", "embed/ar/"])  # a partner's hubs inline; every hub from the home map's data files
def test_the_map_comes_only_when_the_address_asks_for_it(hosted: tuple[str, Path], browser, path: str, query: str, shown: bool) -> None:
    base, _ = hosted
    with watched_page(browser) as page:
        route_tiles(page, TILES)
        page.goto(f"{base}{path}{query}")
        if shown:
            page.locator(".map .leaflet-marker-icon, .map .marker-cluster").first.wait_for()
        else:
            page.wait_for_timeout(500)
        assert page.locator(".map").is_visible() == shown
        assert page.evaluate("typeof window.L") == ("object" if shown else "undefined")
        assert page.console_errors == [] and page.dialogs == []


def test_opened_on_its_own_the_list_prints_on_one_page(hosted: tuple[str, Path], browser) -> None:
    """The partner's printable list: ten groups in five hubs on one A4 and one Letter page, in a
    language that sets its lines long (Arabic) as well; the Print button is there, not in a frame."""
    base, _ = hosted
    for key in ("en", "ar", "zh-hans"):
        with watched_page(browser) as page:
            page.goto(f"{base}embed/{key}/{PARTNER}")
            assert page.locator("[data-print] button").is_visible()
            page.emulate_media(media="print")
            for paper in ("A4", "Letter"):
                pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
                assert len(pdf.pages) == 1, (key, paper)
                text = "".join(pdf.pages[0].extract_text().split())  # the PDF's text, spaced its own way
                assert "MachineLearning" in text and f"{base}{key}/{PARTNER}" in text


def test_the_copy_button_copies_the_code(hosted: tuple[str, Path], browser) -> None:
    base, site = hosted
    with watched_page(browser) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        route_tiles(page, TILES)
        page.goto(f"{base}en/{PARTNER}")
        page.locator("[data-copy] button").click()
        assert page.locator("[data-copy] [role=status]").inner_text() == "Copied: paste it into your page."
        assert page.evaluate("navigator.clipboard.readText()") == snippet(site, "en")


@pytest.mark.parametrize("path", [f"embed/ar/{PARTNER}?map=1", "embed/zh-hans/", f"en/{PARTNER}"])
def test_no_serious_accessibility_violations_in_a_list_or_a_kit(hosted: tuple[str, Path], browser, path: str) -> None:
    base, _ = hosted
    violations = axe_violations(browser, base + path, TILES, {"width": 400, "height": 700})
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_a_list_is_light(hosted: tuple[str, Path]) -> None:
    """A partner's list with its stylesheet and script: well under a hub page's weight (Leaflet
    only with ?map=1)."""
    _, site = hosted
    weight = page_weight(site, site / f"embed/en/{PARTNER}index.html")
    assert weight.total <= 10 * 1024, weight  # gzipped


def test_lists_and_kits_fit_a_320_px_phone(hosted: tuple[str, Path], browser) -> None:
    base, _ = hosted
    with watched_page(browser, viewport={"width": 320, "height": 700}) as page:
        route_tiles(page, TILES)
        for key in ("en", "ar", "zh-hans"):
            for path in (f"embed/{key}/{PARTNER}?map=1", f"embed/{key}/", f"embed/{key}/courses/financial-markets/", f"{key}/{PARTNER}"):
                page.goto(base + path)
                assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


@pytest.mark.skipif(not SHOTS, reason="HUBSITE_SCREENSHOTS names no folder for the screenshots")
def test_screenshots(hosted: tuple[str, Path], partner_site: str, browser) -> None:
    base, _ = hosted
    folder = Path(SHOTS or ".")
    folder.mkdir(parents=True, exist_ok=True)
    for key in ("en", "ar", "zh-hans"):
        for width in (375, 1280):
            with watched_page(browser, viewport={"width": width, "height": 900}) as page:
                route_tiles(page, TILES)
                page.goto(f"{base}{key}/{PARTNER}")
                page.locator(".partner-kit").scroll_into_view_if_needed()
                page.screenshot(path=str(folder / f"partner-{key}-{width}.png"), full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth") <= width
        with watched_page(browser, viewport={"width": 420, "height": 900}) as page:
            route_tiles(page, TILES)
            page.goto(partner_site + f"{key}.html")
            frame = framed_list(page)
            assert frame.evaluate("document.documentElement.scrollWidth") <= 400
            page.screenshot(path=str(folder / f"embed-{key}-400.png"))
