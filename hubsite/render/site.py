"""The whole site, rendered: `render_site` yields the files as they are made, so a large site is
never held in memory whole: the pages about hubs in every language (tasks.py, in worker
processes for large sites: workers.py), interleaved with each language's own files and the files the languages share,
then each language's calendar of every session, then the publishing files (sitemap,
robots.txt, _headers, _redirects), which are made from every path written before them.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, islice
from urllib.parse import urlsplit

from hubsite import urls
from hubsite.content.schema import schema_files
from hubsite.directory.catalog import Catalog
from hubsite.memo import Memo, Shelf
from hubsite.options import BuildOptions
from hubsite.render.calendars import events_start, site_calendar
from hubsite.render.catalogues import load_words
from hubsite.render.context import Site
from hubsite.render.feeds import feed
from hubsite.render.gazetteer import places_data
from hubsite.render.mapping import map_points
from hubsite.render.opendata import open_data
from hubsite.render.outputs import File, Output
from hubsite.render.pages import content_pages, directory_pages, language_picker
from hubsite.render.publishing import index_links, publishing_files
from hubsite.render.reuse import Note, Reuse
from hubsite.render.tasks import cut_tasks
from hubsite.render.workers import task_results


def render_site(catalog: Catalog, options: BuildOptions, units: Memo | None = None, shelf: Shelf | None = None) -> Iterator[File]:
    """Every file of the site, in a stable order (`units`: what `serve` keeps between builds;
    `shelf`: what the last `build` made, on disk, and where this one notes what it made)."""
    site = Site(catalog, options, load_words(options.templates_dir, catalog.site.site_languages))
    editions = site.editions()
    from_disk = urlsplit(site.base_url).scheme == "file"  # opened from disk: folder links must name index.html
    seen: list[str] = []  # what publishing needs: every path
    for output in every_file(editions, Reuse(editions, units, shelf)):
        if from_disk and isinstance(output, Output) and output.path.endswith(".html"):  # a Kept page had it done when it was made
            output = Output(output.path, index_links(output.data))
        seen.append(output.path)
        yield output
    yield from publishing_files(site, seen)


def every_file(editions: list[Site], reuse: Reuse) -> Iterator[File]:
    """The task results in order, one of the site's own files after each (so results never pile
    up waiting to be written), then each language's site calendar, made of every hub's events."""
    own = chain(shared_files(editions[0]), *(language_files(edition) for edition in editions))
    events: list[list[bytes]] = [[] for _ in editions]
    notes: list[Note] = []
    for files, found, made in task_results(reuse, cut_tasks(editions)):
        yield from files
        for number, language_events in enumerate(found):
            events[number] += language_events
        notes += made
        yield from islice(own, 1)
    yield from own
    starts = []
    for edition, language_events in zip(editions, events, strict=True):
        calendar = site_calendar(edition, language_events)
        starts.append(events_start(calendar, sum(map(len, language_events))))
        yield calendar
    if reuse.shelf is not None:
        shelve(reuse.shelf, notes, starts)


def shelve(shelf: Shelf, notes: list[Note], starts: list[int]) -> None:
    """What the next build can take off the shelf: each unit's files, and where its events lie in
    its language's calendar (they follow one another there in the order the units were made)."""
    offsets = list(starts)
    for key, language, paths, length, taken in notes:
        start = offsets[language]
        offsets[language] += length
        shelf.made[key] = (paths, start, start + length) if length else (paths, 0, 0)
        shelf.taken += len(paths) if taken else 0


def shared_files(site: Site) -> Iterator[Output]:
    """The files every language shares: the open data, the place names, the schema, the assets,
    and for a site in several languages the picker at its root and the neutral 404 page."""
    catalog = site.catalog
    yield from open_data(catalog, site.absolute)
    yield places_data(catalog, [language.tag for language in site.languages])
    yield Output(urls.MAP_POINTS, map_points(catalog))
    yield from (Output(path, data) for path, data in schema_files())
    yield from site.assets.outputs(catalog.files, catalog.static)
    if site.multilingual:
        yield from language_picker(site)


def language_files(site: Site) -> Iterator[Output]:
    """The files about the whole site, in one language."""
    yield from directory_pages(site)
    yield Output(site.path(urls.MAP_DATA), site.maps.data())
    yield from content_pages(site)
    yield feed(site)
