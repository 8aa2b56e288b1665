"""urls.py owns every path: a crawl of built sites finds no file and no link that it does not know."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import PARTNER_YAML, ROOT, build_site, scratch_content, tree_hash

from hubsite import pipeline, urls
from hubsite.options import BuildOptions

BASE = "https://example.org/hubs/"
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><circle r="2" cx="2" cy="2"/></svg>'


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in ("href", "src", "action", "data-load-css", "data-load-js") and value]


def site_paths(site: Path, page: str, links: list[str]) -> list[str]:
    """The paths (relative to the site root) that a page's links point at inside the site."""
    out = []
    for link in links:
        target = urlsplit(urljoin(BASE + page, link))
        if (target.scheme, target.netloc) == ("https", "example.org") and target.path.startswith(urlsplit(BASE).path):
            out.append(target.path.removeprefix(urlsplit(BASE).path))
    return out


def language_keys(content: Path) -> tuple[str, ...]:
    """The URL keys of a site in several languages (none for a site in one)."""
    valid, _ = pipeline.validated(BuildOptions(content_dir=content))
    assert valid is not None
    languages = valid.site.site_languages
    return tuple(language.key for language in languages) if len(languages) > 1 else ()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, tuple[str, ...]]]:
    """The bundled site (in several languages), and a scratch one with a logo, a content page and
    a course twice; with their language keys."""
    root = tmp_path_factory.mktemp("urls")
    scratch = scratch_content(root / "content", {
        "partners/example-library.yaml": PARTNER_YAML + "logo: logos/library.svg\nlogo_alt: Library logo\n",
        "logos/library.svg": LOGO,
        "pages/about.md": "---\ntitle: About\nnav: 1\n---\nSee [the courses](../courses/).\n",
    })
    build_site(scratch, root / "scratch")
    build_site(ROOT / "content", root / "bundled", "--base-url", BASE)
    bundled_keys = language_keys(ROOT / "content")
    assert len(bundled_keys) >= 9
    return [(root / "scratch", ()), (root / "bundled", bundled_keys)]


def test_every_file_written_is_a_route_of_urls(sites: list[tuple[Path, tuple[str, ...]]]) -> None:
    for site, keys in sites:
        unknown = [path for path in tree_hash(site) if urls.route_of(path, keys) is None]
        assert unknown == [], site.name


def test_every_link_of_every_page_is_a_route_of_urls(sites: list[tuple[Path, tuple[str, ...]]]) -> None:
    for site, keys in sites:
        for page in (p for p in tree_hash(site) if p.endswith(".html")):
            parser = Links()
            text = (site / page).read_text(encoding="utf-8")
            parser.feed(text)
            for target in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', text, re.S):
                config = json.loads(target)
                if isinstance(config, dict) and "hubPage" in config:
                    parser.found.append(config["root"] + config["hubPage"].replace("{slug}", "example-hub"))
            unknown = [path for path in site_paths(site, page, parser.found) if urls.route_of(path, keys) is None]
            assert unknown == [], (site.name, page)


def test_routes_reject_what_the_site_never_writes() -> None:
    for path in ("hubs/Bad Slug/", "hubs/x/secret.txt", "countries/kenya/", "../etc/passwd", "hubs/x/sessions/y.txt"):
        assert urls.route_of(path) is None, path
    assert urls.route_of(urls.output_file(urls.hub("nairobi"))) == "hub"
    assert urls.route_of(urls.session_calendar("nairobi", "c-2")) == "session calendar"


def test_routes_of_a_site_in_several_languages() -> None:
    """Pages live under a language's key, the shared files once at the root: neither elsewhere."""
    keys = ("en", "es", "zh-hans")
    assert urls.route_of("zh-hans/hubs/nairobi/index.html", keys) == "hub"
    assert urls.route_of("es/feed.xml", keys) == "data"
    assert urls.route_of("assets/style.css", keys) == "asset"
    assert urls.route_of("hubs.json", keys) == "data"
    assert urls.route_of("", keys) == "home" and urls.route_of("404.html", keys) == "data"
    for path in ("hubs/nairobi/", "es/assets/style.css", "es/hubs.json", "de/hubs/nairobi/", "feed.xml", "es/es/hubs/nairobi/"):
        assert urls.route_of(path, keys) is None, path


def test_the_lists_made_to_be_framed_are_under_one_folder_whatever_the_language() -> None:
    """One folder, embed/, holds every language's (so one _headers rule lets them be framed)."""
    keys = ("en", "es")
    assert urls.embed("es/partners/nypl/") == "embed/es/partners/nypl/"
    for path in ("embed/es/", "embed/en/partners/nypl/index.html", "embed/es/countries/ke/", "embed/es/courses/c-2/"):
        assert urls.route_of(path, keys) == "embed", path
    for path in ("es/embed/", "embed/", "embed/de/", "embed/es/hubs/nairobi/", "embed/es/es/", "embed/es/countries/kenya/"):
        assert urls.route_of(path, keys) is None, path
    assert urls.route_of("embed/partners/nypl/") == "embed" and urls.route_of("embed/") == "embed"
    assert urls.route_of("embed/es/") is None  # a site in one language has no key
    assert "embed" in urls.RESERVED
