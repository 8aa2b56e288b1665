"""The build, top to bottom: gather everything (read, validate, catalog), then render and write.

    content/    read files with positions, validate records and settings  -> ValidContent
    directory/  the catalog: hubs, sessions, partners, courses, places    -> Catalog
    render/     one generator per kind of output                          -> Output, ...
    output/     the one writer: the spare tree updated, swapped in         -> site/

Nothing touches the output before every file has validated and every page has rendered.
`build`, `check`, `serve` and `geocode` all read the content through `validated` or `gather`.

The stages are imported when a build needs them, not with this module: a build that finds
nothing changed (output/inputs.py) answers before pydantic, Jinja, folium and the place data
load, which is most of its time.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from hubsite.incremental.store import open_store
from hubsite.options import BuildOptions
from hubsite.output.inputs import inputs_digest
from hubsite.output.lock import locked
from hubsite.output.manifest import read_manifest, save_manifest
from hubsite.output.refusals import KeptFileGone
from hubsite.output.writer import check_out_dir, finish_site, open_staging, site_is_whole, write_staged
from hubsite.problems import BuildFailed, Problem

if TYPE_CHECKING:
    from hubsite.content.validate import ValidContent
    from hubsite.directory.catalog import Catalog
    from hubsite.incremental.store import Store
    from hubsite.render.site import Keeping


@dataclass(frozen=True)
class Result:
    catalog: Catalog | None
    warnings: list[Problem]
    files: int = 0
    pages: int = 0
    seconds: float = 0.0
    counts: str = ""
    up_to_date: bool = False
    coverage: tuple[str, ...] = ()  # how much of each language the catalogues translate (check)
    taken: int = 0  # files taken from the last build, not rendered again (incremental/artifacts.py)
    made: tuple[tuple[str, ...], ...] = ()  # the artifacts rendered, by id: ("hub", "en", slug)...

    def summary(self, verb: str) -> str:
        what = self.counts or (f"{len(self.catalog.hubs)} hubs, {len(self.catalog.partners)} partners" if self.catalog else "")
        if verb == "checked":
            assert self.catalog is not None
            return f"checked {what}, {len(self.catalog.pages)} pages: no errors"
        if self.up_to_date:
            return f"site is up to date ({what}, {self.pages} pages; nothing changed since the last build) in {self.seconds:.2f} s"
        built = f"built {what}, {self.pages} pages in {self.seconds:.2f} s"
        return f"{built} ({self.taken:,} files unchanged since the last build were not rendered again)" if self.taken else built


def validated(options: BuildOptions, store: Store | None = None) -> tuple[ValidContent | None, list[Problem]]:
    """Read and validate the content folder: the records (None when site.yaml is unusable) and
    every problem found. `store`: what earlier builds made of the files unchanged since."""
    from hubsite.content.reader import load_content
    from hubsite.content.validate import validate_content

    return validate_content(load_content(options.content_dir, store), options.content_dir, store, content_workers(options))


def content_workers(options: BuildOptions) -> int:
    """Processes that read and validate hub files: as asked, or by default one per core (used
    only for many files: validate.PARALLEL_FROM_HUB_FILES)."""
    return options.workers if options.workers is not None else (os.cpu_count() or 1)


def gather(options: BuildOptions, store: Store | None = None) -> tuple[Catalog, list[Problem]]:
    """Read, validate and catalog the content; raise BuildFailed listing every error. `store`:
    what earlier builds made, taken where its inputs are unchanged."""
    from hubsite.directory.catalog import build_catalog

    content, problems = validated(options, store)
    catalog = None
    if content is not None and not any(p.severity == "error" for p in problems):
        catalog, found = build_catalog(content, options.today, store)
        problems += found
    if options.strict:
        problems = [Problem(p.path, p.line, p.col, p.field, p.message) for p in problems]
    if catalog is None or any(p.severity == "error" for p in problems):
        raise BuildFailed(problems)
    return catalog, sorted(set(problems))


def catalogues_checked(options: BuildOptions, catalog: Catalog, warnings: list[Problem], extract: bool = False,
                       store: Store | None = None) -> tuple[list[Problem], tuple[str, ...]]:
    """The site's catalogues (templates/locale/): a broken translation stops the build as a
    content error does, with the .po's file and line; returns the warnings and the coverage (with
    `extract`, of the messages the interface uses too). `store`: what an earlier build found of
    the same catalogues."""
    from hubsite.render.catalogues import catalogue_problems, kept_catalogue_problems

    languages = catalog.site.site_languages
    if store is not None and not extract:
        problems, coverage = kept_catalogue_problems(options.templates_dir, languages, store)
    else:
        problems, coverage = catalogue_problems(options.templates_dir, languages, extract)
    if options.strict:
        problems = [Problem(p.path, p.line, p.col, p.field, p.message) for p in problems]
    if any(p.severity == "error" for p in problems):
        raise BuildFailed(sorted(problems))
    return sorted(set(warnings + problems)), tuple(line.line() for line in coverage)


def check(options: BuildOptions) -> Result:
    catalog, warnings = gather(options)
    warnings, coverage = catalogues_checked(options, catalog, warnings, extract=True)
    return Result(catalog, warnings, coverage=coverage)


def build(options: BuildOptions) -> Result:
    """Build the site, unless the last build into the same folder had the same inputs; one build
    at a time into one folder."""
    started = time.perf_counter()
    check_out_dir(options.out_dir, options.content_dir)
    with locked(options.out_dir), fewer_collections():
        return build_locked(options, started)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """A build makes millions of objects that live as long as it does: Python's collector would
    look at them again and again (a seventh of reading hub files). Collect less often meanwhile;
    afterwards, let it see what was frozen out of its sight as it was loaded from the store
    (incremental/store.py: out_of_collections), so that `serve`'s next build can free it."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def build_locked(options: BuildOptions, started: float) -> Result:
    store = open_store(options)
    digest = inputs_digest(options, store)
    previous = read_manifest(options.out_dir)
    if previous is not None and previous.get("inputs") == digest and site_is_whole(options.out_dir, previous["files"]):
        store.commit()  # the hashes of files touched since, not read again next time
        return unchanged(previous["summary"], time.perf_counter() - started)
    catalog, warnings = gather(options, store)
    warnings, _ = catalogues_checked(options, catalog, warnings, store=store)
    files, keeping = rendered_and_written(catalog, options, store, previous["files"] if previous else {})
    pages = sum(1 for path in files if path.endswith(".html"))
    counts = f"{len(catalog.hubs)} hubs, {len(catalog.partners)} partners"
    summary = {"counts": counts, "pages": pages, "warnings": [list(vars(w).values()) for w in warnings]}
    save_manifest(options.out_dir, digest, summary)
    store.commit()
    return Result(catalog, warnings, len(files), pages, time.perf_counter() - started, taken=keeping.taken, made=tuple(keeping.made))


def rendered_and_written(catalog: Catalog, options: BuildOptions, store: Store, live: dict[str, str]) -> tuple[dict[str, str], Keeping]:
    """Render the site and write it; what the last build made from the same inputs is taken from
    the live site (`live`: its files by path, from its manifest). Should a file of it be gone, the
    build starts again, taking nothing. Returns the files written and how many were taken."""
    try:
        return written_site(catalog, options, store, live)
    except KeptFileGone:
        store.table("artifacts").forget_this_build()  # what the attempt made names files of a tree never put in place
        return written_site(catalog, options, store, {})


def written_site(catalog: Catalog, options: BuildOptions, store: Store, live: dict[str, str]) -> tuple[dict[str, str], Keeping]:
    """The site rendered into the tree that replaces the live one, the pages written by the
    processes that render them."""
    from hubsite.render.site import Keeping, render_site  # only now: a content error is told before Jinja and folium load

    staging = open_staging(options.out_dir, options.content_dir)
    keeping = Keeping(store, live, partial(write_staged, staging))
    return finish_site(staging, render_site(catalog, options, keeping)), keeping


def unchanged(summary: dict, seconds: float) -> Result:
    """The result of a build skipped because nothing changed: the last build's warnings stand."""
    warnings = [Problem(*fields) for fields in summary.get("warnings", [])]
    return Result(None, warnings, pages=summary.get("pages", 0), seconds=seconds, counts=summary.get("counts", ""), up_to_date=True)
