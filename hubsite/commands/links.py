"""Check a built site's links without the network.

Every internal href, src, srcset, form action, CSS url() and sitemap <loc> must name a file
of the site, and every #anchor an id in the page it points to. Links are resolved the way a
browser would, from each file's URL under base_url, so `../` that climbs above the site's
path prefix is caught too. External links (other hosts, mailto:, tel:) are listed, never fetched.

`check_links(folder)` works on any built folder (tests use it); `check_build(options)` is
`python build.py check --links`: build into a temporary folder, then check it.
"""

from __future__ import annotations

import html
import re
import tempfile
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from hubsite import urls
from hubsite.options import BuildOptions
from hubsite.pipeline import Result, build

URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster"})
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
_SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: str  # the file holding the link, relative to the site folder
    url: str  # the link as written
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


@dataclass
class LinkReport:
    broken: list[BrokenLink] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # sorted, each once
    checked: int = 0  # internal links that were resolved

    def summary(self) -> str:
        verdict = f"{len(self.broken)} broken" if self.broken else "all resolve"
        return f"links: {self.checked} internal links and anchors checked, {verdict}; {len(self.external)} external links (--verbose lists them, --external fetches them)"


class PageScanner(HTMLParser):
    """Collects a page's ids (and <a name>) and every URL-valued attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name == "srcset":
                self.links += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
            elif name in URL_ATTRIBUTES:
                self.links.append(value)


def scan_page(path: Path) -> PageScanner:
    scanner = PageScanner()
    scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
    scanner.close()
    return scanner


def site_base_url(site: Path) -> str:
    """The base_url a site was built for, read back from its home page's canonical link."""
    found = _CANONICAL.search((site / urls.output_file(urls.HOME)).read_text(encoding="utf-8"))
    if not found:
        raise ValueError(f"{site}/index.html has no canonical link: pass base_url")
    return found.group(1)


class Checker:
    """Resolves links against one built folder; remembers ids of pages already scanned."""

    def __init__(self, site: Path, base_url: str) -> None:
        self.site, self.base = site, urlsplit(base_url)
        self.base_url = base_url
        self.ids: dict[str, set[str]] = {}
        self.report = LinkReport()
        self.external: set[str] = set()

    def check_file(self, relative: str, links: list[str]) -> None:
        page_url = self.base_url + relative
        for link in links:
            reason = self.resolve(page_url, link.strip())
            if reason:
                self.report.broken.append(BrokenLink(relative, link, reason))

    def resolve(self, page_url: str, link: str) -> str | None:
        """None when the link is fine (or external, and recorded); else why it is broken."""
        if not link or link.startswith("data:"):
            return None
        if link.lower().startswith("javascript:"):
            return "javascript: link"
        written, target = urlsplit(link), urlsplit(urljoin(page_url, link))
        inside = (target.scheme, target.netloc) == (self.base.scheme, self.base.netloc) and target.path.startswith(self.base.path)
        if not inside and (written.scheme or written.netloc):  # an absolute URL elsewhere, even on our host
            self.external.add(target.geturl())
            return None
        if not inside:
            return f"climbs out of the site (above {self.base.path})"
        self.report.checked += 1
        return self.find(unquote(target.path[len(self.base.path) :]), unquote(target.fragment))

    def find(self, path: str, fragment: str) -> str | None:
        file = urls.output_file(path)
        target = self.site / file
        if not target.is_file():
            return "a folder: end the link with '/'" if target.is_dir() else f"no file {file} in the site"
        if fragment and file.endswith(".html"):
            if file not in self.ids:
                self.ids[file] = scan_page(target).ids
            if fragment not in self.ids[file]:
                return f"no id '{fragment}' in {file}"
        return None


def check_links(site: Path, base_url: str | None = None) -> LinkReport:
    """Check every link of the built site in `site` (base_url: read from its home page if None)."""
    checker = Checker(site, base_url or site_base_url(site))
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            scanner = scan_page(path)
            checker.ids[relative] = scanner.ids
            checker.check_file(relative, scanner.links)
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            checker.check_file(relative, [m.group(2) or m.group(4) for m in _CSS_URL.finditer(text)])
        elif path.name.startswith("sitemap") and path.suffix == ".xml":
            checker.check_file(relative, [html.unescape(m.group(1)) for m in _SITEMAP_LOC.finditer(path.read_text(encoding="utf-8"))])
    checker.report.broken.sort()
    checker.report.external = sorted(checker.external)
    return checker.report


def broken_links(site: Path, base_url: str | None = None) -> list[BrokenLink]:
    """Every broken internal link or anchor of a built site (empty when all resolve)."""
    return check_links(site, base_url).broken


def check_build(options: BuildOptions) -> tuple[Result, LinkReport]:
    """Build into a temporary folder (the real output is untouched) and check its links."""
    with tempfile.TemporaryDirectory(prefix="hubsite-links-") as folder:
        site = Path(folder) / "site"
        result = build(replace(options, out_dir=site))
        return result, check_links(site, options.base_url or result.catalog.site.base_url)
