"""The whole directory, derived once from validated records so every page sees one consistent whole.

Resolves partners, locations (from the record or the geocode cache), time zones (from the
record or derived offline from the coordinates), courses across hubs, countries, each
session's facts as of the build date (schedule.SessionFacts, which render reads and never works
out again), each hub's nearest neighbours, and the years each zone's VTIMEZONEs cover.

A build hands the catalog its store (incremental/store.py): every value that depends on one hub
alone is kept there by exactly its inputs, and what depends on all hubs by all of theirs, so the
next build works out again only what an edit touched.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, partial
from hashlib import blake2b
from typing import NamedTuple

from hubsite.content.dates import WEEKDAYS, State
from hubsite.content.fields import country_name
from hubsite.content.records import Hub, HubRecord, Location, Page, Partner, PartnerRecord, Session
from hubsite.content.settings import SiteConfig
from hubsite.content.slugs import slugify, unique_slugs
from hubsite.content.validate import ValidContent
from hubsite.directory.places import Spot, check_places, geodesic_km, nearest_neighbours, shown_km, zone_at
from hubsite.directory.schedule import Clash, KeptFacts, SessionFacts, SignUp, ZonePeriod, facts_key, session_facts
from hubsite.incremental.store import Store
from hubsite.problems import Problem

NEAREST = 3
NEARBY_KM = 200.0  # "nearby" on a hub page: a trip a student might make; further hubs are not shown


@dataclass(frozen=True)
class SessionView:
    """A session as the pages show it: what names it on the site, and its facts (schedule.SessionFacts:
    state, next meeting, zone labels and periods, UTC instants), decoded from the form the store
    keeps them in when first read: a build after an edit reads the facts of the few sessions whose
    pages it makes, and the state, sign-up and clashes of the others."""

    kept: KeptFacts = field(repr=False)
    session: Session
    index: int
    course_slug: str
    signup_url: str | None
    timezone: str
    slug: str  # unique within the hub: the row's anchor, the .ics file name, the calendar UID

    @cached_property
    def facts(self) -> SessionFacts:
        return SessionFacts.from_kept(self.kept)

    @property
    def state(self) -> State:
        return self.kept.state

    @property
    def next_meeting(self) -> date | None:
        return self.facts.next_meeting

    @property
    def minutes(self) -> int:
        return self.kept.minutes

    @property
    def zone_labels(self) -> tuple[str, ...]:
        return self.kept.zone_labels

    @property
    def zone_periods(self) -> tuple[ZonePeriod, ...]:
        return self.facts.zone_periods

    @property
    def meetings(self) -> tuple[str, ...]:
        return self.facts.meetings

    @property
    def more_meetings(self) -> bool:
        return self.kept.more_meetings

    @property
    def clashes(self) -> tuple[Clash, ...]:
        return self.facts.clashes if self.kept.clashes else ()

    @property
    def signup(self) -> SignUp:
        return self.kept.signup

    @property
    def signup_date(self) -> date | None:
        return self.facts.signup_date

    @property
    def week(self) -> int:
        return self.kept.week

    @property
    def weeks(self) -> int:
        return self.kept.weeks


class Neighbour(NamedTuple):
    """A hub near another (a plain tuple: tens of thousands are made every build)."""

    slug: str
    name: str
    city: str
    country: str
    km: float


@dataclass(frozen=True)
class HubView:
    slug: str
    record: HubRecord
    host: Partner
    partners: tuple[Partner, ...]
    location: Location
    location_from_cache: bool
    timezone: str
    timezone_derived: bool
    country_name: str
    sessions: tuple[SessionView, ...]
    stale: bool
    neighbours: tuple[Neighbour, ...] = ()
    source: bytes = b""  # the hash of its file's bytes, which the record is made of (a short name for it, for fingerprints)

    @property
    def name(self) -> str:
        return self.record.name  # type: ignore[attr-defined]

    @property
    def current(self) -> tuple[SessionView, ...]:
        return tuple(s for s in self.sessions if s.state == "current")

    @property
    def upcoming(self) -> tuple[SessionView, ...]:
        return tuple(s for s in self.sessions if s.state == "upcoming")

    @property
    def ended(self) -> tuple[SessionView, ...]:
        return tuple(s for s in self.sessions if s.state == "ended")

    @property
    def meets_in_person(self) -> bool:
        """False for a hub whose every group meets online only: it is no pin on a map and near no
        one. A hub without groups is still a place (it may start one)."""
        return not self.sessions or any(view.session.mode != "online" for view in self.sessions)

    @property
    def next_session(self) -> SessionView | None:
        """The session with the soonest meeting among the current and upcoming ones."""
        coming = [(s.next_meeting, s.index, s) for s in self.sessions if s.state != "ended" and s.next_meeting]
        return min(coming)[2] if coming else None


@dataclass(frozen=True)
class PartnerView:
    id: str
    record: PartnerRecord
    hosted: tuple[HubView, ...]
    supported: tuple[HubView, ...]


@dataclass(frozen=True)
class Offering:
    hub: HubView
    session: SessionView


@dataclass(frozen=True)
class Course:
    slug: str
    name: str
    url: str | None
    offerings: tuple[Offering, ...]


@dataclass(frozen=True)
class City:
    """A city with several hubs in one country: followed on its own (a section of the country page
    with its calendar and feed). Hubs are grouped by their city as written, case and Unicode form
    aside; its name is the first hub's spelling."""

    slug: str  # unique within the country
    name: str
    hubs: tuple[HubView, ...]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    hubs: tuple[HubView, ...]
    cities: tuple[City, ...] = ()  # those with several hubs, by slug


# Zone -> (first year, last year) its VTIMEZONEs cover.
Spans = dict[str, tuple[int, int]]
# The span of a zone on a site without sessions: its calendars hold no events, any year would do.
NO_SESSIONS = (1970, 1970)


@dataclass(frozen=True)
class Catalog:
    site: SiteConfig
    today: date
    hubs: tuple[HubView, ...]
    partners: tuple[PartnerView, ...]
    countries: tuple[Country, ...]
    courses: tuple[Course, ...]
    pages: tuple[Page, ...]
    nav: tuple[Page, ...] = field(default=())
    files: dict[str, bytes] = field(default_factory=dict)  # files content names (logos): path under content/ -> bytes
    static: dict[str, bytes] = field(default_factory=dict)  # content/static/: path in the site -> bytes
    zone_spans: Spans = field(default_factory=dict)  # the years each zone's VTIMEZONEs cover, the same in every calendar

    def hub(self, slug: str) -> HubView:
        return next(h for h in self.hubs if h.slug == slug)

    @cached_property
    def courses_by_slug(self) -> dict[str, Course]:
        return {course.slug: course for course in self.courses}


def build_catalog(content: ValidContent, today: date, store: Store | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Derive the directory; return problems that only the whole can reveal. What depends on one
    hub alone (its session facts, its place checks, a derived zone) and what depends on every
    hub's place (neighbours) or course (course slugs) is kept in `store` by its inputs, so the next
    build works out again only what an edit touched."""
    store = store if store is not None else Store()
    problems: list[Problem] = []
    partners = {p.id: p for p in content.partners}
    courses = course_slugs(content.hubs, store)
    hubs = []
    for hub in content.hubs:
        view = build_hub(hub, partners, content, today, problems, courses, store)
        if view is not None:
            hubs.append(view)
    hubs = add_neighbours(hubs, store)
    if any(p.severity == "error" for p in problems):
        return None, problems
    problems += check_places(spots(hubs, content), today.year, store)
    pages = tuple(sorted(content.pages, key=lambda p: p.slug))
    nav = tuple(sorted((p for p in pages if p.record.nav is not None), key=lambda p: (p.record.nav, p.slug)))
    catalog = Catalog(
        site=content.site,
        today=today,
        hubs=tuple(hubs),
        partners=build_partners(content.partners, hubs),
        countries=build_countries(hubs),
        courses=build_courses(hubs),
        pages=pages,
        nav=nav,
        files=content.files,
        static=content.static,
        zone_spans=zone_spans(hubs),
    )
    return catalog, problems


def build_hub(hub: Hub, partners: dict[str, Partner], content: ValidContent, today: date, problems: list[Problem], courses: dict[str, str],
              store: Store) -> HubView | None:
    record = hub.record
    location, from_cache = record.location, False
    if location is None:
        cached = content.geocache.get(record.address.query())
        location, from_cache = (Location(lat=cached.lat, lon=cached.lon), True) if cached else (None, False)
    if location is None:
        problems.append(hub.doc.problem(("address",), f"no location: add location: {{lat: ..., lon: ...}} or run `python build.py geocode` to look up '{record.address.query()}'"))
        return None
    timezone, derived = record.timezone, False
    if timezone is None:
        timezone, derived = zone_at(location, store), True
        if timezone is None:
            problems.append(hub.doc.problem(("location",), "no time zone could be derived from this location; add timezone: (an IANA name)"))
            return None
    stale = is_stale(record.last_verified, today, content.site.stale_after_days)
    if stale:
        problems.append(hub.doc.problem(("last_verified",), f"details may be out of date: last confirmed {record.last_verified}, over {content.site.stale_after_days} days ago", severity="warning"))
    if hub.record.host not in partners or any(p not in partners for p in record.partners):
        return None  # reported by validation
    sessions = build_sessions(hub, timezone, today, courses, store)
    problems += clock_change_problems(hub, sessions)
    return HubView(
        slug=hub.slug,
        record=record,
        host=partners[record.host],
        partners=tuple(partners[p] for p in record.partners),
        location=location,
        location_from_cache=from_cache,
        timezone=timezone,
        timezone_derived=derived,
        country_name=country_name(record.address.country),
        sessions=sessions,
        stale=stale,
        source=hub.doc.digest,
    )


def build_sessions(hub: Hub, timezone: str, today: date, courses: dict[str, str], store: Store) -> tuple[SessionView, ...]:
    """The hub's sessions with their facts, worked out once and kept by their inputs: for a hub
    read from a file, the file's bytes (its sessions are made of them), the zone and the date, one
    key for all its sessions (working out each session's key was most of the work); else each
    session's own (`facts_key`)."""
    record = hub.record
    course_of = [courses[s.course.casefold()] for s in record.sessions]
    slugs = session_slugs(record.sessions, course_of)
    table = store.table("session-facts")
    if hub.doc.digest:
        every = table.get(("file", hub.doc.digest, timezone, today.toordinal()), partial(kept_sessions_facts, timezone, record.sessions, today))
    else:
        every = tuple(table.get(facts_key(timezone, session, today), partial(kept_facts, timezone, session, today)) for session in record.sessions)
    return tuple(SessionView(KeptFacts._make(kept), session=session, index=index, course_slug=course_of[index],
                             signup_url=session.signup_url or record.signup_url, timezone=timezone, slug=slugs[index])
                 for index, (session, kept) in enumerate(zip(record.sessions, every, strict=True)))


def kept_facts(zone: str, session: Session, today: date) -> tuple:
    return session_facts(zone, session, today).kept()


def kept_sessions_facts(zone: str, sessions: list[Session], today: date) -> tuple:
    return tuple(kept_facts(zone, session, today) for session in sessions)


CLOCKS = {"gap": "does not exist on {day}: the clocks in {zone} jump over it that night",
          "fold": "happens twice on {day}: the clocks in {zone} go back over it that night, and calendars may show either"}


def clock_change_problems(hub: Hub, sessions: tuple[SessionView, ...]) -> list[Problem]:
    """Warn about meetings that start or end at a time the hub's clocks skip or repeat (first one of each session)."""
    problems = []
    for view in sessions:
        for day, which, moment, kind in view.clashes[:1]:
            when = f"{WEEKDAYS[day.weekday()].capitalize()} {day}"
            message = f"the {which}, {moment}, " + CLOCKS[kind].format(day=when, zone=view.timezone) + f"; choose another time, or list {day} under exceptions"
            problems.append(hub.doc.problem(("sessions", view.index, "time"), message, severity="warning"))
    return problems


def course_slugs(hubs: list[Hub], store: Store) -> dict[str, str]:
    """Every course of the site (by its name, case aside) and the slug of its page: 'C++' and 'C#'
    both slugify to 'c', so the names are taken in sorted order and made unique ('c', 'c-2').
    Kept by the names: slugifying thousands of them is most of the work."""
    names = tuple(sorted({session.course.casefold() for hub in hubs for session in hub.record.sessions}))
    return store.table("course-slugs").get(names, lambda: dict(zip(names, unique_slugs([slugify(name) for name in names]), strict=True)))


def session_slugs(sessions: list[Session], courses: list[str]) -> list[str]:
    """Each session's slug: its row's anchor, its .ics file name, its calendar UID. A course's first
    session takes the course's slug; when the course comes back (another term, another section),
    its start date is added, so the slug stays the same when sessions are added or reordered."""
    seen: set[str] = set()
    slugs = []
    for session, course in zip(sessions, courses, strict=True):
        slugs.append(course if course not in seen else f"{course}-{session.starts.isoformat()}")
        seen.add(course)
    return unique_slugs(slugs)


def is_stale(verified: date | None, today: date, max_age_days: int) -> bool:
    return verified is not None and today - verified > timedelta(days=max_age_days)


def build_partners(partners: list[Partner], hubs: list[HubView]) -> tuple[PartnerView, ...]:
    """Each partner with the hubs it hosts and those it supports, in hub order: one pass over the hubs."""
    hosted: dict[str, list[HubView]] = defaultdict(list)
    supported: dict[str, list[HubView]] = defaultdict(list)
    for hub in hubs:
        hosted[hub.host.id].append(hub)
        for partner_id in dict.fromkeys(p.id for p in hub.partners):
            supported[partner_id].append(hub)
    return tuple(PartnerView(p.id, p.record, tuple(hosted[p.id]), tuple(supported[p.id])) for p in sorted(partners, key=lambda p: p.id))


def build_countries(hubs: list[HubView]) -> tuple[Country, ...]:
    grouped: dict[str, list[HubView]] = defaultdict(list)
    for hub in hubs:
        grouped[hub.record.address.country].append(hub)  # type: ignore[attr-defined]
    countries = [Country(code, country_name(code), tuple(items), cities_of(items)) for code, items in grouped.items()]
    return tuple(sorted(countries, key=lambda c: (c.name.casefold(), c.code)))


# A city is followed on its own from this many hubs on: with one, its hub's own calendar is the same.
CITY_FROM_HUBS = 2


def cities_of(hubs: list[HubView]) -> tuple[City, ...]:
    """A country's cities with several hubs, each with its hubs in the country's order, sorted by slug."""
    grouped: dict[str, list[HubView]] = defaultdict(list)
    for hub in hubs:
        grouped[unicodedata.normalize("NFKC", hub.record.address.city).casefold()].append(hub)  # type: ignore[attr-defined]
    several = sorted((key, items) for key, items in grouped.items() if len(items) >= CITY_FROM_HUBS)
    slugs = unique_slugs([slugify(key) for key, _ in several])
    cities = [City(slug, items[0].record.address.city, tuple(items)) for slug, (_, items) in zip(slugs, several, strict=True)]  # type: ignore[attr-defined]
    return tuple(sorted(cities, key=lambda c: c.slug))


def build_courses(hubs: list[HubView]) -> tuple[Course, ...]:
    grouped: dict[str, list[Offering]] = defaultdict(list)
    for hub in hubs:
        for view in hub.sessions:
            grouped[view.course_slug].append(Offering(hub, view))
    courses = []
    for slug, offerings in grouped.items():
        name = offerings[0].session.session.course
        url = next((o.session.session.course_url for o in offerings if o.session.session.course_url), None)
        courses.append(Course(slug, name, url, tuple(offerings)))
    return tuple(sorted(courses, key=lambda c: (c.name.casefold(), c.slug)))


ALTERNATIVES = 3  # other groups a full or closed one points to


def other_groups(course: Course, hub: HubView, view: SessionView, limit: int = ALTERNATIVES) -> tuple[Offering, ...]:
    """Where a student turned away by a full or closed group can take the same course: the other
    groups of it that still take sign-ups (or will), those that meet in person within NEARBY_KM of
    this hub nearest first, then those a student can join online, earliest first."""
    near: list[tuple[float, date, Offering]] = []
    online: list[tuple[date, str, Offering]] = []
    for offering in course.offerings:
        other = offering.session
        if (offering.hub.slug == hub.slug and other.index == view.index) or other.state == "ended" or other.signup not in ("open", "opens"):
            continue
        starts = other.next_meeting or other.session.starts
        if other.session.mode != "online" and offering.hub.meets_in_person:
            km = geodesic_km(hub.location, offering.hub.location)
            if km <= NEARBY_KM and hub.meets_in_person and view.session.mode != "online":
                near.append((km, starts, offering))
                continue
        if other.session.mode != "in-person":
            online.append((starts, offering.hub.slug, offering))
    near.sort(key=lambda row: (row[0], row[1], row[2].hub.slug, row[2].session.index))
    online.sort(key=lambda row: (row[0], row[1], row[2].session.index))
    return tuple(row[-1] for row in near + online)[:limit]


def zone_spans(hubs: list[HubView]) -> Spans:
    """For each hub's zone, the years from the earliest start to the latest end among the sessions
    in that zone, site-wide: every calendar's VTIMEZONE for that zone covers those years. One span
    per zone (not one per calendar) so a zone is written once. A zone without sessions gets the
    years of all sessions (its calendars hold no events: any span is right; this one is short and
    stays put while sessions elsewhere do), or NO_SESSIONS on a site without any."""
    spans: Spans = {}
    for hub in hubs:
        for session in (v.session for v in hub.sessions):
            first, last = spans.get(hub.timezone, (session.starts.year, session.ends.year))
            spans[hub.timezone] = (min(first, session.starts.year), max(last, session.ends.year))
    overall = (min(f for f, _ in spans.values()), max(last for _, last in spans.values())) if spans else NO_SESSIONS
    return {hub.timezone: overall for hub in hubs} | spans


# --- places ------------------------------------------------------------------------------------


def add_neighbours(hubs: list[HubView], store: Store) -> list[HubView]:
    """Attach each hub's nearest others within NEARBY_KM (hubsite.directory.places: a grid narrows,
    geodesic measures). They depend on where every hub is, and on nothing else: kept by that."""
    hubs = sorted(hubs, key=lambda h: h.slug)
    by_slug = {hub.slug: hub for hub in hubs}
    places = [hub for hub in hubs if hub.meets_in_person]  # an online-only hub is near no one
    nearby = store.table("neighbours").get(locations_key(places), lambda: nearby_hubs(places))
    for hub in hubs:
        others = ((by_slug[slug], km) for slug, km in nearby.get(hub.slug, ()))
        neighbours = tuple(Neighbour(o.slug, o.name, o.record.address.city, o.country_name, km) for o, km in others)  # type: ignore[attr-defined]
        # The views are this catalog's own, not yet handed out: set in place, as a frozen
        # dataclass's __post_init__ would (making each again took a tenth of a second at 10,000 hubs).
        object.__setattr__(hub, "neighbours", neighbours)
    return hubs


def locations_key(hubs: list[HubView]) -> bytes:
    """Every hub's slug and point, as one digest (a key of a few bytes, not of 10,000 points): the
    points as their exact doubles (a repr of each took a tenth of a second at 10,000 hubs)."""
    digest = blake2b("\n".join(hub.slug for hub in hubs).encode(), digest_size=20)
    digest.update(array("d", [degrees for hub in hubs for degrees in (hub.location.lat, hub.location.lon)]).tobytes())
    return digest.digest()


def nearby_hubs(hubs: list[HubView]) -> dict[str, tuple[tuple[str, float], ...]]:
    """Each hub's NEAREST others, as (slug, km to one decimal) within NEARBY_KM."""
    nearest = nearest_neighbours(hubs, NEAREST, partial(shown_km, within=NEARBY_KM))
    return {slug: tuple((o.slug, km) for o, km in found if km is not None) for slug, found in nearest.items()}


def spots(hubs: list[HubView], content: ValidContent) -> list[Spot]:
    """What the location checks need of each hub, with the file to point at."""
    docs = {h.slug: h.doc for h in content.hubs}
    return [Spot(h.slug, docs[h.slug], h.location, h.record.address.country, h.record.timezone, h.location_from_cache, h.record.status == "closed") for h in hubs]  # type: ignore[attr-defined]
