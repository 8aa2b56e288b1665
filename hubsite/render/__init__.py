"""The render stage: the catalog into every file of the site, one generator per kind of output.

`render_site` yields the files as they are made, so a large site is never held in memory whole:
the pages about hubs (tasks.py, in worker processes for large sites: workers.py), interleaved
with the site's own files, then the calendar of every session, then the publishing files
(sitemap, robots.txt, _headers), which are made from every path written before them.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from urllib.parse import urlsplit

from hubsite.content.schema import schema_files
from hubsite.directory.catalog import Catalog
from hubsite.memo import Memo
from hubsite.options import BuildOptions
from hubsite.render.calendars import site_calendar
from hubsite.render.context import Site
from hubsite.render.feeds import feed
from hubsite.render.gazetteer import places_data
from hubsite.render.opendata import open_data
from hubsite.render.outputs import Output
from hubsite.render.pages import content_pages, directory_pages
from hubsite.render.publishing import index_links, publishing_files
from hubsite.render.reuse import Reuse
from hubsite.render.tasks import cut_tasks
from hubsite.render.workers import task_results


def render_site(catalog: Catalog, options: BuildOptions, units: Memo | None = None) -> Iterator[Output]:
    """Every file of the site, in a stable order (`units`: what `serve` keeps between builds)."""
    site = Site(catalog, options)
    from_disk = urlsplit(site.base_url).scheme == "file"  # opened from disk: folder links must name index.html
    seen: list[tuple[str, bytes]] = []  # what publishing needs: every path, and the pages that have a form
    for output in every_file(site, Reuse(site, units)):
        if from_disk and output.path.endswith(".html"):
            output = Output(output.path, index_links(output.data))
        seen.append((output.path, output.data if b"<form" in output.data else b""))
        yield output
    yield from publishing_files(catalog, site.base_url, site.maps.tiles, seen, site.assets.immutable())


def every_file(site: Site, reuse: Reuse) -> Iterator[Output]:
    """The task results in order, one of the site's own files after each (so results never pile
    up waiting to be written), then the site calendar, made of every hub's events."""
    own = site_files(site)
    events: list[bytes] = []
    for outputs, found in task_results(reuse, cut_tasks(site)):
        yield from outputs
        events += found
        yield from islice(own, 1)
    yield from own
    yield site_calendar(site.catalog, events, site.zone_spans)


def site_files(site: Site) -> Iterator[Output]:
    """The files about the whole site."""
    catalog = site.catalog
    yield from directory_pages(site)
    yield site.maps.data_file()
    yield places_data(catalog, [catalog.site.language])
    yield from content_pages(site)
    yield from (Output(path, data) for path, data in schema_files())
    yield feed(catalog, site.base_url)
    yield from open_data(catalog, site.base_url)
    yield from site.assets.outputs(catalog.files, catalog.static)
