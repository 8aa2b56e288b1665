"""Render the catalog into the site's files (HTML pages, copied assets) in memory.

One Jinja environment, built in one place: autoescape on, StrictUndefined so a template
typo fails the build, rendered Markdown marked safe only in `markup.render_markdown`.
Every link is relative to the page (`root`), so the site works under any base_url path.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property, partial
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import pycountry
from markupsafe import Markup

from hubsite.commands.new import apply_form
from hubsite.content.fields import FACILITIES
from hubsite.content.schema import schema_files
from hubsite.directory.catalog import Catalog, Country, Course, HubView, PartnerView
from hubsite.memo import Memo
from hubsite.options import PARALLEL_FROM_HUBS, BuildOptions
from hubsite.problems import BuildFailed, Problem
from hubsite.render.calendars import hub_calendars, site_calendar, zone_spans
from hubsite.render.feeds import render_feed
from hubsite.render.mapping import DATA_PATH, Maps
from hubsite.render.markup import render_markdown
from hubsite.render.publishing import fingerprint, fingerprinted, hub_structured_data, index_links, publish_files

TEMPLATES = BuildOptions.templates_dir

FACILITY_LABELS = {
    "wifi": "Wi-Fi",
    "computers": "Computers available",
    "wheelchair-access": "Wheelchair access",
    "quiet-room": "Quiet room",
    "childcare": "Childcare",
    "printing": "Printing",
}
assert set(FACILITY_LABELS) == set(FACILITIES)

# Past this many hubs the home directory lists countries with counts, not every hub (home page stays small).
HOME_LIST_LIMIT = 300

# Pages whose Markdown gets build-time data beside it (host.html: who hosts, counts, the ways to apply).
PAGE_TEMPLATES = {"host": "host.html"}

# Hubs per task sent to a worker: large enough that pickling results back stays cheap per hub.
HUBS_PER_TASK = 50

# A task: (kind, start, stop) over catalog.hubs, .partners, .countries or .courses.
Task = tuple[str, int, int]

STATUS_LABELS = {"active": "Active", "upcoming": "Opening soon", "paused": "Paused", "closed": "Closed"}


@dataclass(frozen=True)
class Output:
    """One file of the site: its path relative to the site root, and its bytes."""

    path: str
    data: bytes


def make_environment(templates_dir: Path = TEMPLATES, cache_dir: Path | None = None) -> jinja2.Environment:
    """`cache_dir`: where compiled templates are kept between builds (Jinja checks each against
    its source, so an edited template is compiled again)."""
    bytecode = None
    if cache_dir is not None:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "templates"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = untranslated
    env.filters["markdown"] = render_markdown
    env.filters["longdate"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}" if d else ""
    env.filters["shortdate"] = lambda d: f"{d.day} {d:%b %Y}" if d else ""
    env.filters["language"] = language_name
    env.filters["weekdays"] = lambda days: ", ".join(day.capitalize() for day in days)
    env.globals.update(facility_labels=FACILITY_LABELS, status_labels=STATUS_LABELS)
    return env


def untranslated(message: str, **variables: object) -> Markup:
    """`_()` without a catalogue: what the i18n extension's newstyle gettext does (the message
    is template text, the variables are escaped), minus its per-call context lookups, which
    were a tenth of a large build. Installing real translations replaces it."""
    text = Markup(message)  # noqa: S704 - a template's own literal, never content
    return text % variables if variables else text


@cache
def shared_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """One environment per templates folder, kept across builds in one process (`serve`): compiled
    templates are reused, and Jinja recompiles any whose file changed (auto_reload)."""
    return make_environment(templates_dir, cache_dir)


@cache
def language_name(tag: str) -> str:
    """'vi' -> 'Vietnamese', 'pt-BR' -> 'Portuguese (BR)'; unknown tags are shown as written."""
    base, _, region = tag.partition("-")
    found = pycountry.languages.get(alpha_2=base.lower()) if len(base) == 2 else pycountry.languages.get(alpha_3=base.lower())
    name = found.name if found else tag
    return f"{name} ({region})" if found and region else name


def root_for(path: str) -> str:
    """The relative prefix from a page at `path` back to the site root: 'hubs/x/index.html' -> '../../'."""
    return "../" * path.count("/")


class Renderer:
    def __init__(self, catalog: Catalog, options: BuildOptions, units: Memo | None = None) -> None:
        self.catalog = catalog
        self.options = options
        self.units = units
        self._hub_states: dict[str, bytes] = {}  # hub_state, once per hub and build
        self.templates_dir = options.templates_dir
        self.env = shared_environment(options.templates_dir, options.cache_dir)
        self.base_url = options.base_url or catalog.site.base_url
        self.maps = Maps(catalog)

    def page(self, path: str, template: str, root: str | None = None, **context: Any) -> Output:
        prefix = root_for(path) if root is None else root
        html = self.env.get_template(template).render(
            site=self.catalog.site,
            catalog=self.catalog,
            today=self.catalog.today,
            root=prefix,
            asset=lambda name: prefix + self.asset_path(name),
            canonical=self.base_url + path.removesuffix("index.html"),
            **context,
        )
        return Output(path, html.encode("utf-8"))

    def render_all(self) -> Iterator[Output]:
        """Every file. The pages about hubs (each hub's, each partner's, country's and course's)
        are rendered as tasks, in worker processes when there are several; this process writes
        their results in task order and, one per result received, renders the site's own pages
        (home, indexes, content pages, feed), so results never pile up in memory."""
        results = self.task_results()
        own = self.own_pages()
        events: list[bytes] = []
        for outputs, task_events in results:
            yield from outputs
            events += task_events
            yield from islice(own, 1)
        yield from own
        yield Output("calendar.ics", site_calendar(self.catalog, events, self.zone_spans))

    def own_pages(self) -> Iterator[Output]:
        """The pages about the whole site."""
        catalog = self.catalog
        yield self.home_page()
        yield Output(DATA_PATH, self.maps.data_file())
        yield self.page("partners/index.html", "partners.html")
        yield self.page("courses/index.html", "courses.html")
        for page in catalog.pages:
            yield self.page(f"{page.slug}/index.html", PAGE_TEMPLATES.get(page.slug, "page.html"), page=page)
        yield self.page("host/apply/index.html", "apply.html", form=apply_form(catalog))
        yield from (Output(path, data) for path, data in schema_files())
        # Static hosts serve 404.html at any depth: its links start from the site's path.
        yield self.page("404.html", "404.html", root=urlsplit(self.base_url).path)
        yield Output("feed.xml", render_feed(catalog, self.base_url))
        yield from self.assets()

    def tasks(self) -> list[Task]:
        """The pages about hubs, cut into tasks of similar weight, in a fixed order."""
        catalog = self.catalog
        sizes = (("hubs", len(catalog.hubs), HUBS_PER_TASK), ("partners", len(catalog.partners), 20), ("countries", len(catalog.countries), 10), ("courses", len(catalog.courses), 1))
        return [(kind, start, min(start + step, count)) for kind, count, step in sizes for start in range(0, count, step)]

    def run_task(self, task: Task) -> tuple[list[Output], list[bytes]]:
        kind, start, stop = task
        catalog = self.catalog
        if kind == "hubs":
            outputs: list[Output] = []
            events: list[bytes] = []
            for hub in catalog.hubs[start:stop]:
                hub_outputs, hub_events = self.hub_unit(hub)
                outputs += hub_outputs
                events += hub_events
            return outputs, events
        if kind == "partners":
            return [self.partner_output(p) for p in catalog.partners[start:stop]], []
        if kind == "countries":
            return [self.country_output(c) for c in catalog.countries[start:stop]], []
        return [self.course_output(c) for c in catalog.courses[start:stop]], []

    def partner_output(self, partner: PartnerView) -> Output:
        return self.kept(partner.hosted + partner.supported, f"{partner.id}\0{partner.record.model_dump_json()}", partial(self.partner_page, partner))

    def country_output(self, country: Country) -> Output:
        path = f"countries/{country.code.lower()}/index.html"
        return self.kept(country.hubs, path, partial(self.page, path, "country.html", country=country))

    def course_output(self, course: Course) -> Output:
        path = f"courses/{course.slug}/index.html"
        sessions = repr([(o.hub.slug, o.session.index) for o in course.offerings])
        return self.kept([o.hub for o in course.offerings], f"{path}\0{course.name}\0{course.url}\0{sessions}", partial(self.page, path, "course.html", course=course))

    def hub_unit(self, hub: HubView) -> tuple[list[Output], list[bytes]]:
        """Everything one hub contributes: its page, its .ics files, and its events for /calendar.ics.
        Its small map shows its neighbours (with their hosts' names): they are inputs too."""
        near = [self.maps.by_slug[n.slug] for n in hub.neighbours]
        what = f"unit\0{hub.slug}\0{[(n.slug, n.km) for n in hub.neighbours]!r}"
        return self.kept([hub, *near], what, partial(self.render_unit, hub))

    def render_unit(self, hub: HubView) -> tuple[list[Output], list[bytes]]:
        calendars, events = hub_calendars(hub, self.base_url, self.catalog.today, self.zone_spans)
        return [self.hub_page(hub), *(Output(path, data) for path, data in calendars)], events

    def kept(self, hubs: Iterable[HubView], what: str, render: Callable[[], Any]) -> Any:
        """What `render` makes about a set of hubs (a hub's unit, a partner's, country's or course's
        page): made, or taken from the previous build (serve) when the site-wide inputs, `what`
        (which names the result) and those hubs are unchanged."""
        if self.units is None:
            return render()
        digest = hashlib.blake2b(self.global_key, digest_size=20)
        digest.update(what.encode())
        for hub in hubs:
            digest.update(self.hub_state(hub))
        return self.units.get(digest.digest(), render)

    def hub_state(self, hub: HubView) -> bytes:
        if hub.slug not in self._hub_states:
            partners = "\0".join(p.record.model_dump_json() for p in (hub.host, *hub.partners))
            facts = (hub.slug, hub.location.lat, hub.location.lon, hub.location_from_cache, hub.timezone, hub.timezone_derived, hub.stale, self.zone_spans.get(hub.timezone))
            self._hub_states[hub.slug] = f"{facts!r}\0{hub.record.model_dump_json()}\0{partners}\0".encode()
        return self._hub_states[hub.slug]

    @cached_property
    def zone_spans(self) -> dict[str, tuple[int, int]]:
        """The years each zone's VTIMEZONEs cover (calendars.zone_spans)."""
        return zone_spans(self.catalog.hubs)

    @cached_property
    def global_key(self) -> bytes:
        """What every page shares: the date, the address, site.yaml, the pages (navigation) and the templates."""
        catalog = self.catalog
        pages = [(p.slug, p.record.model_dump_json(), p.body) for p in catalog.pages]
        templates = sorted((path.relative_to(self.templates_dir).as_posix(), path.read_bytes()) for path in self.templates_dir.rglob("*") if path.is_file())
        return hashlib.blake2b(repr((catalog.today, self.base_url, catalog.site.model_dump_json(), pages, templates)).encode()).digest()

    def task_results(self) -> Iterator[tuple[list[Output], list[bytes]]]:
        """Every task's result, in task order: here, or in `workers` forked processes."""
        tasks = self.tasks()
        workers = self.options.workers
        if workers is None:
            workers = (multiprocessing.cpu_count() or 1) if len(self.catalog.hubs) >= PARALLEL_FROM_HUBS else 1
        if workers <= 1 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return map(self.run_task, tasks)
        return self.results_from_workers(tasks, min(workers, len(tasks)))

    def results_from_workers(self, tasks: list[Task], workers: int) -> Iterator[tuple[list[Output], list[bytes]]]:
        """Fork workers that inherit this renderer (no pickling of the catalog); results come back
        in task order, so the site is the same whatever the worker count."""
        global _FORKED  # read by the forked children only
        for template in ("hub.html", "partner.html", "country.html", "course.html"):
            self.env.get_template(template)  # compiled once, before the fork, for every worker
        _ = self.static_files, self.zone_spans
        _FORKED = self
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=die_with_parent, initargs=(os.getpid(),))
        _FORKED = None
        return collect(pool, pool.imap(run_forked, tasks))

    @cached_property
    def static_files(self) -> dict[str, bytes]:
        """templates/static/, read once per build: name -> bytes."""
        static = self.templates_dir / "static"
        return {p.relative_to(static).as_posix(): p.read_bytes() for p in sorted(static.rglob("*")) if p.is_file()}

    def asset_path(self, name: str) -> str:
        """Where a file of templates/static/ is published, relative to the site root: our own
        top-level files carry a content hash (assets/style.3f2a9c1b.css), vendored ones do not."""
        if name not in self.static_files:
            where = self.options.display(self.templates_dir / "static" / name)
            raise BuildFailed([Problem(where, 1, 1, "asset", f"a template asks for asset('{name}'), but there is no such file")])
        return "assets/" + fingerprint(name, self.static_files[name])

    def hub_page(self, hub: HubView) -> Output:
        return self.page(f"hubs/{hub.slug}/index.html", "hub.html", hub=hub, hub_map=self.maps.hub(hub, "../../"),
                         structured_data=hub_structured_data(hub, f"{self.base_url}hubs/{hub.slug}/"))

    def home_page(self) -> Output:
        """The map and finder on top of the no-JS directory (every hub, or countries past HOME_LIST_LIMIT)."""
        languages = sorted((language_name(code), code) for code in self.maps.languages())
        return self.page("index.html", "index.html", home_map=self.maps.home(""), finder_languages=languages, finder_courses=self.maps.courses(),
                         list_every_hub=len(self.catalog.hubs) <= HOME_LIST_LIMIT)

    def partner_page(self, partner: PartnerView) -> Output:
        return self.page(f"partners/{partner.id}/index.html", "partner.html", partner=partner, partner_map=self.maps.partner(partner, "../../"))

    def assets(self) -> Iterator[Output]:
        for name, data in self.static_files.items():
            yield Output(self.asset_path(name), data)
        for name, data in sorted(self.catalog.files.items()):
            yield Output("assets/content/" + name, data)


_FORKED: Renderer | None = None


def die_with_parent(parent: int) -> None:
    """In a worker, first: end when the build's process ends, even by kill -9, instead of
    rendering on for nobody (Linux: the kernel sends SIGKILL; elsewhere a thread watches)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before prctl took effect
        os._exit(1)


def watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def run_forked(task: Task) -> tuple[list[Output], list[bytes]]:
    """In a worker: one task, rendered by the renderer inherited at fork."""
    assert _FORKED is not None
    return _FORKED.run_task(task)


def collect(pool: multiprocessing.pool.Pool, results: Iterable[tuple[list[Output], list[bytes]]]) -> Iterator[tuple[list[Output], list[bytes]]]:
    try:
        yield from results
    finally:
        pool.terminate()
        pool.join()


def render_site(catalog: Catalog, options: BuildOptions, units: Memo | None = None) -> Iterator[Output]:
    """Every file of the site, in a stable order, as it is rendered, then the publishing files
    (sitemap, open data, _headers) made from them. Streamed, so a large site is never held in
    memory whole: what publishing needs is kept on the way (every path; pages with a form)."""
    renderer = Renderer(catalog, options, units)
    from_disk = urlsplit(renderer.base_url).scheme == "file"  # opened from disk: folder links must name index.html
    seen: list[tuple[str, bytes]] = []
    for output in renderer.render_all():
        if from_disk and output.path.endswith(".html"):
            output = Output(output.path, index_links(output.data))
        seen.append((output.path, output.data if b"<form" in output.data else b""))
        yield output
    immutable = [renderer.asset_path(name) for name in renderer.static_files if fingerprinted(name)]
    for path, data in publish_files(catalog, renderer.base_url, renderer.maps.tiles, seen, immutable):
        yield Output(path, data)
