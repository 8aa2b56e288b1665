"""Offline reading in real Chromium: the service worker keeps what a visitor opened (the home page,
a hub page and its calendar), and with the network gone (Playwright's set_offline) they open
again with a notice of when they were saved, while a page never opened fails; another origin's
answers are never kept; a site under a sub path gets a worker scoped to it; file:// registers none."""

from __future__ import annotations

import http.server
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import pytest
from chromium import serve_directory, serve_with, watched_page
from conftest import ROOT, SITE_YAML
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sites import build, placed_hub
from test_subpath_browser import PREFIX, serve_under_prefix

from hubsite.render.publishing import parse_headers

pytestmark = pytest.mark.browser

HUBS = {"nairobi": placed_hub("Nairobi Hub"), "thika": placed_hub("Thika Hub", "Thika", lat=-1.0333, lon=37.0693)}
SAVED = re.compile(r"You are offline\. This page was saved on [A-Z][a-z]+ [0-9]{1,2}\.")
KEPT = """async address => {
  for (const name of await caches.keys()) if (await (await caches.open(name)).match(address)) return true;
  return false;
}"""
CACHED_URLS = """async () => {
  const found = [];
  for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) found.push(request.url);
  return found;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("offline"), HUBS)


@contextmanager
def served_with_headers(site: Path) -> Iterator[str]:
    """The site at the root of 127.0.0.1:PORT, sending its _headers' security headers (its CSP among them)."""
    security = next(headers for pattern, headers in parse_headers((site / "_headers").read_text()) if pattern == "/*")
    with serve_directory(site, security) as url:
        yield url


def visit(page, url: str) -> None:
    """Open `url` and wait until the worker has kept it."""
    page.goto(url)
    page.evaluate("() => navigator.serviceWorker.ready")
    for _ in range(100):
        if page.evaluate(KEPT, url.split("?")[0]):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{url} was not kept")


def no_map_tiles(page) -> None:
    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())


def test_visited_pages_open_offline_with_the_date_they_were_saved(browser, site: Path) -> None:
    with served_with_headers(site) as url, watched_page(browser) as page:
        no_map_tiles(page)
        visit(page, url)
        visit(page, url + "hubs/nairobi/")
        assert page.evaluate(KEPT, url + "hubs/nairobi/calendar.ics")  # its calendar, though never opened
        assert not page.locator("#offline-notice").is_visible()  # online: no notice
        page.context.set_offline(True)
        page.reload()
        assert page.locator("h1").inner_text() == "Nairobi Hub"
        assert SAVED.fullmatch(page.locator("#offline-notice").inner_text())
        assert "BEGIN:VCALENDAR" in page.evaluate("() => fetch('calendar.ics').then(r => r.text())")
        page.goto(url + "?radius=25")  # the home page, as the finder shares it
        assert page.locator("h1").inner_text() == "Find a learning hub near you"
        assert SAVED.fullmatch(page.locator("#offline-notice").inner_text())
        assert page.locator("#directory").inner_text().count("Hub") >= 2
        with pytest.raises(PlaywrightError):
            page.goto(url + "hubs/thika/")  # never opened: not kept
        page.context.set_offline(False)
        page.goto(url + "hubs/thika/")
        assert not page.locator("#offline-notice").is_visible()
        assert [e for e in page.console_errors if "Content Security Policy" in e] == []


class OtherOrigin(http.server.SimpleHTTPRequestHandler):
    """Another origin: a script and an image anyone may load, and a CORS-readable text."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def test_another_origins_answers_are_never_kept(browser, site: Path, tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("elsewhere\n")
    with serve_directory(site) as url, serve_with(tmp_path, OtherOrigin) as other, watched_page(browser) as page:
        no_map_tiles(page)
        visit(page, url)
        visit(page, url + "hubs/nairobi/")
        assert page.evaluate("address => fetch(address).then(r => r.text())", other + "data.txt") == "elsewhere\n"
        page.evaluate("address => fetch(address, {mode: 'no-cors'})", other + "data.txt")
        page.evaluate("urls => navigator.serviceWorker.controller.postMessage({type: 'keep', urls})", [other + "data.txt", "javascript:alert(1)", "<script>"])
        page.evaluate("() => fetch('hubs/no-such-hub/')")  # an error: not kept either
        page.wait_for_timeout(500)
        kept = page.evaluate(CACHED_URLS)
        assert kept and all(address.startswith(url) for address in kept)
        assert url + "hubs/no-such-hub/" not in kept


def test_a_site_under_a_sub_path_gets_a_worker_of_that_path(browser, tmp_path: Path) -> None:
    site = build(tmp_path, HUBS, site_yaml=SITE_YAML.replace("https://example.org/hubs/", "https://example.org" + PREFIX))
    with serve_under_prefix(site) as url, watched_page(browser) as page:
        no_map_tiles(page)
        assert url.endswith(PREFIX)
        visit(page, url + "hubs/nairobi/")
        assert page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)") == url
        response = page.request.get(url + "service-worker.js")
        assert response.headers["content-type"].startswith("text/javascript") and response.headers["cache-control"] == "no-cache"
        page.context.set_offline(True)
        page.reload()
        assert page.locator("h1").inner_text() == "Nairobi Hub" and SAVED.fullmatch(page.locator("#offline-notice").inner_text())


def test_no_worker_from_disk(browser, site: Path) -> None:
    with watched_page(browser) as page:
        no_map_tiles(page)
        page.goto((site / "hubs/nairobi/index.html").as_uri())
        page.wait_for_load_state("load")
        registered = "() => navigator.serviceWorker ? navigator.serviceWorker.getRegistrations().then(r => r.length, () => 0) : 0"
        assert page.evaluate(registered) == 0
        assert [e for e in page.console_errors if "offline" in e or "ServiceWorker" in e] == []


def reload_or_visit(page, url: str) -> None:
    """Reload the page; if Chromium's reload does not come back (one in a few runs, before and
    after this test was written, while the new worker takes over: never seen outside a reload
    under Playwright), open the page anew instead."""
    try:
        page.reload(wait_until="domcontentloaded", timeout=10_000)
    except PlaywrightTimeoutError:
        page.goto(url, wait_until="domcontentloaded")


def test_a_new_version_of_the_site_replaces_the_cache(browser, tmp_path: Path) -> None:
    """The site is built again with another stylesheet into the folder being served: the next
    visit installs the new worker, whose cache is the only one left, holding the new stylesheet."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    site = build(tmp_path, HUBS, "--templates", str(templates))
    with serve_directory(site) as url, watched_page(browser) as page:
        no_map_tiles(page)
        visit(page, url + "hubs/nairobi/")
        before = page.evaluate("() => caches.keys()")
        with (templates / "static/style.css").open("a") as css:
            css.write("\n.new-version { color: red; }\n")
        build(tmp_path, HUBS, "--templates", str(templates))
        for attempt in range(150):  # up to half a minute on a busy machine
            if attempt % 10 == 0:
                reload_or_visit(page, url + "hubs/nairobi/")
            names = page.evaluate("() => caches.keys()")
            if len(names) == 1 and names != before:
                break
            page.wait_for_timeout(200)
        assert len(before) == 1 and len(names) == 1 and names != before
        stylesheet = page.locator("link[rel=stylesheet][href*='style.']").get_attribute("href")
        visit(page, url + "hubs/nairobi/")
        assert page.evaluate(KEPT, urljoin(url + "hubs/nairobi/", stylesheet))
