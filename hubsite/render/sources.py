"""What a page can be made from, and each thing's fingerprint in this build: the one resolver of
the dependencies that rendering records (incremental/dependencies.py).

    ("site",)          what every page shares: the code, the date, the address, site.yaml, the
                       pages of the navigation, the templates and catalogues, the logos
    ("hub", slug)      a hub as its own page shows it: its record, its partners' records, its
                       place, zone and the years its zone's calendars cover, its sessions' and
                       courses' slugs (which depend on the other hubs' courses), its neighbours
    ("listed", slug)   a hub as the pages that list it show it (cards, groups, framed lists): the
                       same but for the texts only its own pages show (OWN_PAGES_ONLY), so an
                       edit of its summary makes its own pages again, not its partners' or courses'
    ("map", slug)      what a map says of a hub (mapping.hub_facts in every language at once): a
                       hub's small map shows its neighbours, so a neighbour's summary is not a
                       dependency of it, its name and next meeting are
    ("hubs",)          every hub as its own page shows it, in order: what a file about the whole
                       directory that shows the hubs' own texts (the feed, the open data, the host
                       guide) depends on
    ("lists",)         every hub as lists show it, in order: what the files about the whole
                       directory that list hubs (the home page, the indexes, the map data, the
                       numbers page and JSON, the framed list of every hub) depend on
    ("partners",)      every partner's record, in order (the index of partners)
    ("points",)        where every hub is, in order, and whether it meets in person (the place
                       names the finder knows, the map's points)
    ("apply",)         what the application form offers: partners, hubs, their languages, courses
    ("partner", id)    a partner's record and which hubs it hosts and supports
    ("country", code)  which hubs are in a country
    ("course", slug)   a course's name, link and which sessions offer it

A page that lists things depends on the list itself as well as on each thing listed: a hub
added to a partner changes no listed hub, but it changes the partner.

A dependency that no longer exists has no fingerprint (None), so whatever recorded it is made again.
A map's facts cost more to work out than a hub's fingerprint: they are kept in the store by the
hub's fingerprint, so only the hubs an edit touched have theirs worked out again. So are the
parts that files about the whole directory are joined from (`part`): a hub's feed entries, its
map facts in a language, its open data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from hubsite.content.records import Partner
from hubsite.directory.catalog import HubView
from hubsite.fingerprint import code_fingerprint
from hubsite.incremental.artifacts import digest_of
from hubsite.incremental.dependencies import Dependency
from hubsite.incremental.store import Table
from hubsite.render.environment import names_read, template_files
from hubsite.render.mapping import hub_facts

if TYPE_CHECKING:
    from hubsite.render.context import Build


Value = TypeVar("Value")

# What only a hub's own pages show of its record (its page and flyer, the feed, the open data, the
# calendars): no card, group or framed list does, so no list depends on them; unless the site's own
# templates of lists (LIST_TEMPLATES, and what they include) read them (Sources.hidden_from_lists).
OWN_PAGES_ONLY = frozenset({"summary", "description", "facilitators", "contact", "last_verified"})
LIST_TEMPLATES = ("partner.html", "country.html", "course.html", "embed.html", "index.html", "partners.html", "courses.html", "countries.html", "numbers.html")


class Sources:
    def __init__(self, build: Build, kept: Table) -> None:
        self.site = build  # what the languages share: the catalog, the options, the address
        self.kept = kept
        catalog = build.catalog
        self.hubs = {hub.slug: hub for hub in catalog.hubs}
        self.partners = {partner.id: partner for partner in catalog.partners}
        self.courses = {course.slug: course for course in catalog.courses}
        self.countries = {country.code: country for country in catalog.countries}
        self.found: dict[Dependency, str | None] = {}
        self.kinds: dict[str, Callable[..., str | None]] = {"site": lambda: self.site_wide, "hubs": self.every_hub, "lists": self.every_listed, "points": self.points, "apply": self.apply, "partners": self.every_partner, "hub": self.hub, "listed": self.listed, "map": self.map, "partner": self.partner, "country": self.country, "course": self.course}
        self.named: dict[str, Iterable[str]] = {"hub": self.hubs, "listed": self.hubs, "map": self.hubs, "partner": self.partners, "country": self.countries, "course": self.courses}

    def fingerprint(self, dependency: Dependency) -> str | None:
        if dependency not in self.found:
            kind, *names = dependency
            self.found[dependency] = self.kinds[str(kind)](*names)
        return self.found[dependency]

    def every_dependency(self) -> Iterator[Dependency]:
        """Every dependency of this build, each kind with every name it has (a kind not `named`
        has one): what an artifact recorded and is not among them is gone."""
        for kind in self.kinds:
            names = self.named.get(kind)
            if names is None:
                yield (kind,)
            else:
                yield from ((kind, name) for name in names)

    @cached_property
    def site_wide(self) -> str:
        catalog, templates_dir = self.site.catalog, self.site.options.templates_dir
        pages = [(p.slug, p.record.model_dump_json(), getattr(p.body, "texts", p.body)) for p in catalog.pages]
        templates = sorted((path.relative_to(templates_dir).as_posix(), path.read_bytes()) for path in template_files(templates_dir))  # with the catalogues
        files = sorted((path, hashlib.blake2b(data).hexdigest()) for path, data in catalog.files.items())  # logos: pages name them by their hash
        return digest_of((code_fingerprint(), catalog.today, self.site.base_url, catalog.site.model_dump_json(), pages, templates, files))

    def every_hub(self) -> str:
        return digest_of([self.fingerprint(("hub", hub.slug)) for hub in self.site.catalog.hubs])

    def every_listed(self) -> str:
        return digest_of([self.fingerprint(("listed", hub.slug)) for hub in self.site.catalog.hubs])

    def every_partner(self) -> str:
        return digest_of([(p.id, p.record.model_dump_json()) for p in self.site.catalog.partners])

    def points(self) -> str:
        return digest_of([(hub.location.lat, hub.location.lon, hub.meets_in_person) for hub in self.site.catalog.hubs])

    def apply(self) -> str:
        catalog = self.site.catalog
        partners = [(p.id, getattr(p.record.name, "texts", p.record.name)) for p in catalog.partners]
        hubs = [(hub.slug, hub.record.languages) for hub in catalog.hubs]
        courses = [(getattr(c.name, "texts", c.name), c.url) for c in catalog.courses]
        return digest_of((partners, hubs, courses))

    def part(self, kind: tuple[str, ...], hub: HubView, make: Callable[[], Value]) -> Value:
        """What `make` gives about `hub`, for a file about the whole directory: kept by the hub's
        fingerprint and the site-wide one, so it is made again only when either changed."""
        return self.kept.get((*kind, self.site_wide, self.fingerprint(("hub", hub.slug))), make)

    def hub(self, slug: str) -> str | None:
        hub = self.hubs.get(slug)
        return None if hub is None else digest_of((self.hub_facts(hub), hub.source or hub.record.model_dump_json(), self.partner_sources(hub)))

    def listed(self, slug: str) -> str | None:
        """A hub as the lists show it: all of it but the texts only its own pages show, kept by
        the hub's fingerprint (worked out again only for a hub an edit touched)."""
        hub = self.hubs.get(slug)
        if hub is None:
            return None
        return self.kept.get(("listed", self.site_wide, self.fingerprint(("hub", slug))),
                             lambda: digest_of((self.hub_facts(hub), hub.record.model_dump_json(exclude=set(self.hidden_from_lists)), self.partner_sources(hub))))

    @cached_property
    def hidden_from_lists(self) -> frozenset[str]:
        """OWN_PAGES_ONLY but what the templates of lists read: a site's own may show a hub's
        summary on its cards. Kept by the site-wide fingerprint, which holds every template (parsing
        them took a quarter of a second)."""
        return self.kept.get(self.hidden_key, self.hidden_by_templates)

    @cached_property
    def hidden_key(self) -> tuple[str, str]:
        return ("hidden from lists", self.site_wide)

    def hidden_by_templates(self) -> frozenset[str]:
        read = names_read(self.site.env, LIST_TEMPLATES)
        return frozenset() if read is None else OWN_PAGES_ONLY - read

    def hub_facts(self, hub: HubView) -> tuple:
        """What the catalog adds to a hub's record: its place, zone, sessions' and courses' slugs, neighbours."""
        slugs = [(view.slug, view.course_slug) for view in hub.sessions]
        return (hub.slug, hub.location.lat, hub.location.lon, hub.location_from_cache, hub.timezone, hub.timezone_derived, hub.stale,
                self.site.catalog.zone_spans.get(hub.timezone), slugs, [tuple(neighbour) for neighbour in hub.neighbours])  # a plain tuple pickles faster than a NamedTuple

    def partner_sources(self, hub: HubView) -> list[bytes | str]:
        return [self.partner_source(partner) for partner in (hub.host, *hub.partners)]

    def partner_source(self, partner: Partner) -> bytes | str:
        """A partner's record by the hash of its file (its record is made of it), else by its fields."""
        return partner.doc.digest or partner.record.model_dump_json()

    def map(self, slug: str) -> str | None:
        hub = self.hubs.get(slug)
        if hub is None:
            return None
        return self.kept.get(("map", self.site_wide, self.fingerprint(("hub", slug))), lambda: digest_of(every_language_facts(hub)))

    def retain_current_parts(self) -> None:
        """Parts are asked for only when a file made of them is made again: those of hubs still as
        they were are kept for the next build all the same, as is what the templates of lists hide."""
        current = {self.fingerprint(("hub", hub.slug)) for hub in self.site.catalog.hubs}
        self.kept.retain(lambda key: (key[-2] == self.site_wide and key[-1] in current) or key == self.hidden_key)

    def partner(self, partner_id: str) -> str | None:
        partner = self.partners.get(partner_id)
        if partner is None:
            return None
        return digest_of((partner.record.model_dump_json(), [hub.slug for hub in partner.hosted], [hub.slug for hub in partner.supported]))

    def country(self, code: str) -> str | None:
        country = self.countries.get(code)
        return None if country is None else digest_of((country.name, [hub.slug for hub in country.hubs]))

    def course(self, slug: str) -> str | None:
        course = self.courses.get(slug)
        if course is None:
            return None
        return digest_of((getattr(course.name, "texts", course.name), course.url, [(o.hub.slug, o.session.index) for o in course.offerings]))


def part_group(key: tuple[str, ...]) -> str:
    """What a kept part is of: the hub, by the fingerprint its key ends with. Every part of a hub
    (its entries, map facts and open data in each language) is saved in one shard, so an edit of
    it rewrites that shard alone."""
    return key[-1]


def every_language_facts(hub: HubView) -> object:
    """What the map says of a hub with every text in all its languages and countries by code: the
    same function the maps use, so a fact the map starts to show is in the fingerprint at once."""
    return hub_facts(hub, lambda value: repr(getattr(value, "texts", value)), str)
