"""The built site served under a path prefix, with its _headers as real response headers:
every page and file it links to loads (no 404), and Chromium reports no CSP violation on any
kind of page. This is the issue's "done when", run on the bundled content when there is one.
"""

from __future__ import annotations

import http.server
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

import pytest
from chromium import serve_with, watched_page
from conftest import ROOT, build_site, scratch_content
from quality import route_tiles, tile_hosts

from hubsite.render.publishing import headers_for, parse_headers

pytestmark = pytest.mark.browser

PREFIX = "/some/prefix/"
BASE = "https://example.org" + PREFIX
BUNDLED = ROOT / "content"
PAGE = "---\ntitle: About us\nnav: 1\n---\nSee [a hub](../hubs/example-hub/).\n"
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("subpath")
    content = BUNDLED if any((BUNDLED / "hubs").glob("*.yaml")) else scratch_content(root / "content", {"pages/about.md": PAGE})
    build_site(content, root / "site", "--base-url", BASE)
    return root / "site", tile_hosts(content / "site.yaml")


class PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """A static host serving the folder at PREFIX only, 404.html for anything missing, and the
    site's _headers as response headers (as Netlify or Cloudflare Pages would)."""

    rules: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):
        path = urlsplit(self.path).path
        self.inside = "/" + path.removeprefix(PREFIX) if path.startswith(PREFIX) else None
        local = Path(self.translate_path(self.inside)) if self.inside is not None else None
        if local is not None and local.is_dir() and (local / "index.html").is_file() and not path.endswith("/"):
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.end_headers()
            return None
        if local is None or not (local.is_file() or (local / "index.html").is_file()):
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)  # HEAD is not used here
            return None
        self.path = self.inside
        return super().send_head()

    def end_headers(self) -> None:
        for name, value in headers_for(self.rules, getattr(self, "inside", None) or "/").items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve_under_prefix(site: Path) -> Iterator[str]:
    rules = parse_headers((site / "_headers").read_text())
    with serve_with(site, type("Handler", (PrefixHandler,), {"rules": rules}), PREFIX) as base:
        yield base


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.found.append(value)
            elif value and name == "srcset":
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]


def links_in(body: bytes, kind: str) -> list[str]:
    text = body.decode("utf-8", "replace")
    if "html" in kind:
        parser = Links()
        parser.feed(text)
        return parser.found
    if "css" in kind:
        return [m.group(2) for m in re.finditer(r"""url\((['"]?)([^'")]+)\1\)""", text) if not m.group(2).startswith("data:")]
    return []


def fetch(url: str) -> tuple[int, str, bytes, Message]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(), error.headers


def crawl(start: str, local: str) -> tuple[dict[str, int], dict[str, Message]]:
    """Follow every link under the served prefix (canonical URLs mapped to the local server)."""
    statuses: dict[str, int] = {}
    headers: dict[str, Message] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in statuses:
            continue
        status, kind, body, headers[url] = fetch(url)
        statuses[url] = status
        for link in links_in(body, kind):
            target = urljoin(url, link).replace(BASE, local).split("#")[0]
            if target.startswith(local) and target not in statuses:
                queue.append(target)
    return statuses, headers


def test_every_linked_page_and_file_loads_under_the_prefix(built: tuple[Path, set[str]]) -> None:
    site, _ = built
    with serve_under_prefix(site) as local:
        statuses, headers = crawl(local, local)
        sitemap = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
        for url in sitemap:
            status, *_ = fetch(url.replace(BASE, local))
            assert status == 200, url
        missing, *_ = fetch(local + "hubs/a/b/c/nowhere/")
        deep_404, _, body, _ = fetch(local + "no/such/page/")
        deep_links, _ = crawl(local + "no/such/page/", local)
    assert missing == 404 and deep_404 == 404 and b"Page not found" in body
    broken = sorted(url for url, status in {**statuses, **deep_links}.items() if status != 200 and "no/such/page" not in url)
    assert broken == []
    pages = [url for url, h in headers.items() if h.get("Content-Type", "").startswith("text/html")]
    assert len(pages) >= len(sitemap) and len(statuses) > len(pages)  # the assets were fetched too
    assert all("Content-Security-Policy" in headers[url] for url in pages)


def page_kinds(site: Path) -> list[str]:
    """One URL path (under the prefix) per kind of page, and a 404 deep in the tree."""
    paths = [p.relative_to(site).as_posix().removesuffix("index.html") for p in sorted(site.rglob("index.html"))]
    kinds: dict[str, str] = {}
    for path in paths:
        kinds.setdefault(page_kind(site, path.strip("/").split("/")), path)
    return [*kinds.values(), "hubs/deep/missing/page/"]


def page_kind(site: Path, parts: list[str]) -> str:
    """A page's path with what varies from one page of its kind to the next left out: its language
    (each language's pages are the same kinds; the language homes stay apart, the root that sends a
    reader to one is not one of them) and the names of hubs, partners, countries and courses:
    `hubs/*/flyer`, `embed/countries/*`."""
    framed = parts[0] == "embed"
    if framed:
        parts = parts[1:]
    if parts and (framed or len(parts) > 1) and (site / parts[0] / "404.html").is_file():
        parts = parts[1:]
    named = ("hubs", "partners", "countries", "courses")
    kind = "/".join("*" if i and parts[i - 1] in named else part for i, part in enumerate(parts)) or "home"
    return f"embed/{kind}" if framed else kind


def visit(browser, url: str, hosts: set[str]) -> tuple[int, list[str]]:
    """Load a page; return its status and every problem: CSP violations (events and console),
    failed requests, other console errors. The main document of a 404 page is not a problem."""
    with watched_page(browser) as page:
        route_tiles(page, hosts)
        page.add_init_script(CSP_LISTENER)
        failed: list[str] = []
        page.on("response", lambda r: r.status >= 400 and r.url != url and failed.append(f"{r.status} {r.url}"))
        response = page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(100)
        errors = [e for e in page.console_errors if not (response.status == 404 and "status of 404" in e)]
        return response.status, page.evaluate("window.__csp") + failed + errors


def test_no_csp_violation_on_any_kind_of_page(built: tuple[Path, set[str]], browser) -> None:
    site, hosts = built
    problems: dict[str, list[str]] = {}
    with serve_under_prefix(site) as local:
        for path in page_kinds(site):
            status, found = visit(browser, local + path, hosts)
            assert status == (404 if "missing" in path else 200), path
            if found:
                problems[path] = found
    assert problems == {}


def test_a_csp_violation_would_be_seen(built: tuple[Path, set[str]], browser, tmp_path: Path) -> None:
    """The check above can fail: inline script and style on a copy of the home page are reported."""
    site, hosts = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    # The root of a site in several languages sends an English browser on to en/ (languages.js): use the page it stays on.
    folder = "en/" if (copy / "en").is_dir() else ""
    home = copy / folder / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace("</main>", '<p style="color:red">x</p><script>document.title = "ran"</script></main>', 1), encoding="utf-8")
    with serve_under_prefix(copy) as local:
        status, found = visit(browser, local + folder, hosts)
    assert status == 200
    assert any(v.startswith("script-src") for v in found) and any(v.startswith("style-src") for v in found), found
