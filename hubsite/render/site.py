"""The whole site, rendered: `render_site` yields the files as they are made, so a large site is
never held in memory whole: the pages about hubs in every language (tasks.py, in worker
processes for large sites: workers.py; each an artifact the last build may have kept),
interleaved with each language's own files and the files the languages share, then each
language's calendar of every session and the calendars and feeds that follow a country, city,
course or partner (follow.py: joined here, from every hub's events that the tasks gave back,
kept or made, so no event is made twice), then the publishing files (sitemap, robots.txt, _headers,
_redirects), which are made from every path written before them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice

from hubsite import urls
from hubsite.content.schema import schema_files
from hubsite.directory.catalog import Catalog
from hubsite.incremental.artifacts import Artifact, ArtifactId, Artifacts, artifact_group, digest_of, file_digest
from hubsite.incremental.store import Store
from hubsite.options import BuildOptions
from hubsite.render.calendars import site_calendar
from hubsite.render.catalogues import load_words
from hubsite.render.context import Build, Site
from hubsite.render.embed import embed_all
from hubsite.render.feeds import feed
from hubsite.render.follow import follow_files
from hubsite.render.gazetteer import places_data
from hubsite.render.mapping import map_points
from hubsite.render.numbers import numbers_json
from hubsite.render.offline import service_worker
from hubsite.render.opendata import open_data
from hubsite.render.outputs import File, Kept, Output
from hubsite.render.pages import apply_page, content_page, directory_pages, language_picker, not_found_page, numbers_page
from hubsite.render.publishing import page_dates, publishing_files
from hubsite.render.sources import Sources
from hubsite.render.tasks import Events, Rendering, cut_tasks, opened_from_disk
from hubsite.render.workers import task_results

SHARED = ("site",)  # what every artifact depends on: render/sources.py


@dataclass
class Keeping:
    """How this build keeps its artifacts: `live` is the site in place (path -> digest, from its
    manifest) for `build`, whose artifacts keep digests and take their bytes from there; None for
    `serve`, which keeps the bytes in memory. `taken` counts the files taken, not rendered again."""

    store: Store
    live: dict[str, str] | None = None
    write: Callable[[str, bytes], str] | None = None  # puts a file into the tree being made (build), where its task runs
    taken: int = 0
    made: list[ArtifactId] = field(default_factory=list)  # the artifacts made again, in order

    def note(self, artifacts: Artifacts, notes: list[tuple[ArtifactId, Artifact | None]]) -> None:
        taken, made = artifacts.adopt(notes)
        self.taken += taken
        self.made += made

    def artifacts(self, sources: Sources) -> Artifacts:
        table = self.store.table("artifacts", artifact_group)
        if self.live is None:
            return Artifacts(table, sources.fingerprint, sources.every_dependency, same, same, lambda file: True, SHARED)
        live = self.live
        return Artifacts(table, sources.fingerprint, sources.every_dependency, kept_file, Kept._make, lambda kept: live.get(kept[0]) == kept[1], SHARED)


def same(file: File) -> File:
    """What `serve` keeps of a file: the file, bytes and all."""
    return file


def kept_file(file: File) -> tuple[str, str]:
    """What `build` keeps of a file: its path and digest (the bytes are the live site's), a plain tuple."""
    return (file.path, file.digest) if isinstance(file, Kept) else (file.path, file_digest(file.data))


def render_site(catalog: Catalog, options: BuildOptions, keeping: Keeping | None = None) -> Iterator[File]:
    """Every file of the site, in a stable order. `keeping`: the store and how artifacts are kept
    (none: everything is made, nothing kept beyond this build)."""
    keeping = keeping or Keeping(Store(), {})
    build = Build(catalog, options, load_words(options.templates_dir, catalog.site.site_languages, keeping.store), keeping.store)
    editions = build.editions()
    site = editions[0]
    seen: list[str] = []  # what publishing needs: every path
    rendering = Rendering(editions, keeping.artifacts(site.sources), keeping.write)
    for output in every_file(editions, rendering, keeping):
        seen.append(output.path)
        yield output
    site.sources.retain_current_parts()
    yield from own_files(site, [publishing(site, seen)], rendering.artifacts, keeping)


def every_file(editions: list[Site], rendering: Rendering, keeping: Keeping) -> Iterator[File]:
    """The task results in order, one of the site's own files after each (so results never pile
    up waiting to be written), then each language's site calendar, made of every hub's events.
    The site's own files are artifacts too, but for the assets (content's files are not in any
    fingerprint: they are copied as they are, every build)."""
    site_wide = chain(shared_files(editions[0]), *(language_files(edition) for edition in editions))
    own = chain(editions[0].assets.outputs(editions[0].catalog.files, editions[0].catalog.static), own_files(editions[0], site_wide, rendering.artifacts, keeping))
    events: list[Events] = [{} for _ in editions]
    for files, found, notes in task_results(rendering, cut_tasks(editions)):
        keeping.note(rendering.artifacts, notes)
        yield from files
        for number, language_events in enumerate(found):
            events[number].update(language_events)
        yield from islice(own, 1)
    yield from own
    for edition, language_events in zip(editions, events, strict=True):
        yield site_calendar(edition, [event for hub in edition.catalog.hubs for event in language_events.get(hub.slug, ())])
        yield from own_files(edition, follow_files(edition, language_events), rendering.artifacts, keeping)


# One of the site's own artifacts: its id and what makes its files.
Own = tuple[ArtifactId, Callable[[], Iterable[Output]]]


def own_files(site: Site, artifacts: Iterable[Own], kept: Artifacts, keeping: Keeping) -> Iterator[File]:
    """Each of the site's own artifacts, taken or made (as the tasks make theirs), file by file."""
    for artifact_id, make in artifacts:
        files, _ = kept.get(artifact_id, partial(opened_from_disk, site, lambda make=make: (list(make()), [])))
        keeping.note(kept, kept.take_notes())
        yield from files


def publishing(site: Site, paths: list[str]) -> Own:
    """The publishing files, made from every path written before them: an artifact named by those
    paths and the dates the sitemap gives pages (anything else they read is site-wide), so that an
    edit that adds or removes no page takes them (a sitemap of 60,000 pages in nine languages
    took 1.7 s)."""
    named = digest_of((paths, sorted(page_dates(site.catalog).items())))
    return ("publishing", named), lambda: publishing_files(site, paths)


def shared_files(site: Site) -> Iterator[Own]:
    """The files every language shares: the open data, the place names, the schema, the service
    worker, and for a site
    in several languages the picker at its root and the neutral 404 page."""
    catalog = site.catalog
    yield ("open data",), lambda: open_data(catalog, site.absolute, site.sources.part)
    yield ("places",), lambda: [places_data(catalog, [language.tag for language in site.languages])]
    yield ("map points",), lambda: [Output(urls.MAP_POINTS, map_points(catalog))]
    yield ("schema",), lambda: [Output(path, data) for path, data in schema_files()]
    yield ("numbers data",), lambda: numbers_json(catalog, site.absolute, site.sources.part)
    yield ("service worker",), lambda: [service_worker(site)]
    if site.multilingual:
        yield ("language picker",), lambda: language_picker(site)


def language_files(site: Site) -> Iterator[Own]:
    """The files about the whole site, in one language."""
    tag = site.language.tag
    yield ("directory", tag), lambda: directory_pages(site)
    yield ("map data", tag), lambda: [Output(site.path(urls.MAP_DATA), site.maps.data())]
    for page in site.catalog.pages:  # each its own: an edit of a hub makes the host guide again, not the others
        yield ("page", tag, page.slug), lambda page=page: [content_page(site, page)]
    yield ("apply", tag), lambda: [apply_page(site)]
    yield ("not found", tag), lambda: [not_found_page(site)]
    yield ("feed", tag), lambda: [feed(site)]
    yield ("numbers", tag), lambda: [numbers_page(site)]
    yield ("embed", tag), lambda: [embed_all(site)]
