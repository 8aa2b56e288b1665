"""Page weight as a static host sends it: each page's HTML plus the CSS and JS it loads,
gzip-compressed, map tiles and data files excluded. Used by the tests and bench/page_weight.py.

Assets a page fetches only on demand (a hub page's Leaflet, named by data-load-css/js and
loaded when the map nears the viewport) are counted apart, as `on_demand`.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html


@dataclass(frozen=True)
class Weight:
    page: str
    html: int
    css: int
    js: int
    files: tuple[str, ...]
    on_demand: int = 0

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


@cache
def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def local_target(site: Path, page: Path, reference: str) -> Path | None:
    """The file a relative reference on `page` points at, or None for other origins."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (page.parent / parts.path).resolve()
    return target if target.is_file() and site.resolve() in target.parents else None


def page_weight(site: Path, page: Path) -> Weight:
    doc = lxml.html.fromstring(page.read_bytes())
    references = {
        "css": doc.xpath("//link[@rel='stylesheet']/@href"),
        "js": doc.xpath("//script/@src"),
        "on_demand": doc.xpath("//@data-load-css | //@data-load-js"),
    }
    files: list[str] = []
    sizes = dict.fromkeys(references, 0)
    for kind, found in references.items():
        for reference in found:
            target = local_target(site, page, reference)
            if target is not None:
                sizes[kind] += gzip_size(target)
                files.append(target.relative_to(site.resolve()).as_posix())
    return Weight(page.relative_to(site).as_posix(), gzip_size(page), sizes["css"], sizes["js"], tuple(files), sizes["on_demand"])


def site_weights(site: Path) -> list[Weight]:
    """Every HTML page's weight, heaviest first."""
    pages = sorted(site.rglob("*.html"))
    return sorted((page_weight(site, page) for page in pages), key=lambda w: (-w.total, w.page))
