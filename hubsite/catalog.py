"""The whole directory, derived once from validated records so every page sees one consistent whole.

Resolves partners, locations (from the record or the geocode cache), time zones (from the
record or derived offline from the coordinates), courses across hubs, countries, each
session's state and next meeting as of the build date, and each hub's nearest neighbours.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from geopy.distance import geodesic

from hubsite.errors import Problem
from hubsite.models import Hub, HubRecord, Location, Page, Partner, PartnerRecord, Session, SiteConfig, ValidContent, country_name
from hubsite.schedule import State, ZonePeriod, coming_instants, duration_minutes, next_meeting, session_state, zone_labels, zone_periods

NEAREST = 3


@dataclass(frozen=True)
class SessionView:
    session: Session
    index: int
    course_slug: str
    state: State
    next_meeting: date | None
    zone_labels: tuple[str, ...]
    signup_url: str | None
    slug: str = ""  # unique within the hub: the row's anchor, the .ics file name, the calendar UID
    zone_periods: tuple[ZonePeriod, ...] = ()
    meetings: tuple[str, ...] = ()  # UTC instants from the next meeting on, for the visitor-time script
    more_meetings: bool = False
    minutes: int = 0


@dataclass(frozen=True)
class Neighbour:
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
class Country:
    code: str
    name: str
    hubs: tuple[HubView, ...]


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

    def hub(self, slug: str) -> HubView:
        return next(h for h in self.hubs if h.slug == slug)


def slugify(text: str) -> str:
    """'Introduction to Public Speaking' -> 'introduction-to-public-speaking' (ASCII, stable)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "course-" + format(abs(hash_text(text)), "x")[:8]


def hash_text(text: str) -> int:
    """A stable (not salted) hash, for ids made from text without any ASCII letter."""
    import hashlib

    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


@cache
def _timezone_finder():  # noqa: ANN202 - loaded once, only when a hub has no timezone
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def derive_timezone(location: Location) -> str | None:
    return _timezone_finder().timezone_at(lng=location.lon, lat=location.lat)


def build_catalog(content: ValidContent, today: date) -> tuple[Catalog | None, list[Problem]]:
    """Derive the directory; return problems that only the whole can reveal."""
    problems: list[Problem] = []
    partners = {p.id: p for p in content.partners}
    hubs = []
    for hub in content.hubs:
        view = build_hub(hub, partners, content, today, problems)
        if view is not None:
            hubs.append(view)
    hubs = add_neighbours(hubs)
    if any(p.severity == "error" for p in problems):
        return None, problems
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
    )
    return catalog, problems


def build_hub(hub: Hub, partners: dict[str, Partner], content: ValidContent, today: date, problems: list[Problem]) -> HubView | None:
    record = hub.record
    location, from_cache = record.location, False
    if location is None:
        location = content.geocache.get(record.address.query())
        from_cache = location is not None
    if location is None:
        problems.append(hub.doc.problem(("address",), f"no location: add location: {{lat: ..., lon: ...}} or run `python build.py geocode` to look up '{record.address.query()}'"))
        return None
    timezone, derived = record.timezone, False
    if timezone is None:
        timezone, derived = derive_timezone(location), True
        if timezone is None:
            problems.append(hub.doc.problem(("location",), "no time zone could be derived from this location; add timezone: (an IANA name)"))
            return None
    stale = is_stale(record.last_verified, today, content.site.stale_after_days)
    if stale:
        problems.append(hub.doc.problem(("last_verified",), f"details may be out of date: last confirmed {record.last_verified}, over {content.site.stale_after_days} days ago", severity="warning"))
    if hub.record.host not in partners or any(p not in partners for p in record.partners):
        return None  # reported by validation
    slugs = unique_slugs([slugify(s.course) for s in record.sessions])
    sessions = tuple(build_session(s, i, timezone, today, record.signup_url, slugs[i]) for i, s in enumerate(record.sessions))
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
    )


def is_stale(verified: date | None, today: date, max_age_days: int) -> bool:
    return verified is not None and today - verified > timedelta(days=max_age_days)


def build_session(session: Session, index: int, timezone: str, today: date, hub_signup: str | None, slug: str = "") -> SessionView:
    coming = next_meeting(session, today)
    meetings, more = coming_instants(timezone, session, coming)
    return SessionView(
        session=session,
        index=index,
        course_slug=slugify(session.course),
        state=session_state(session, today),
        next_meeting=coming,
        zone_labels=zone_labels(timezone, session),
        signup_url=session.signup_url or hub_signup,
        slug=slug or slugify(session.course),
        zone_periods=zone_periods(timezone, session),
        meetings=meetings,
        more_meetings=more,
        minutes=duration_minutes(session),
    )


def unique_slugs(slugs: list[str]) -> list[str]:
    """Make slugs unique in order: 'c', 'c' -> 'c', 'c-2' ('C++' and 'C#' both slugify to 'c')."""
    taken: set[str] = set()
    out = []
    for slug in slugs:
        candidate, number = slug, 1
        while candidate in taken:
            number += 1
            candidate = f"{slug}-{number}"
        taken.add(candidate)
        out.append(candidate)
    return out


def build_partners(partners: list[Partner], hubs: list[HubView]) -> tuple[PartnerView, ...]:
    views = []
    for partner in sorted(partners, key=lambda p: p.id):
        hosted = tuple(h for h in hubs if h.host.id == partner.id)
        supported = tuple(h for h in hubs if any(p.id == partner.id for p in h.partners))
        views.append(PartnerView(partner.id, partner.record, hosted, supported))
    return tuple(views)


def build_countries(hubs: list[HubView]) -> tuple[Country, ...]:
    grouped: dict[str, list[HubView]] = defaultdict(list)
    for hub in hubs:
        grouped[hub.record.address.country].append(hub)  # type: ignore[attr-defined]
    countries = [Country(code, country_name(code), tuple(items)) for code, items in grouped.items()]
    return tuple(sorted(countries, key=lambda c: (c.name.casefold(), c.code)))


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


# --- nearest neighbours -----------------------------------------------------------------------

CELL_DEGREES = 2.0
KM_PER_DEGREE = 111.2


def add_neighbours(hubs: list[HubView]) -> list[HubView]:
    """Attach each hub's nearest others: a grid narrows the candidates, geodesic ranks them."""
    hubs = sorted(hubs, key=lambda h: h.slug)
    grid = Grid(hubs)
    out = []
    for hub in hubs:
        nearest = grid.nearest(hub, NEAREST)
        neighbours = tuple(
            Neighbour(o.slug, o.name, o.record.address.city, o.country_name, round(geodesic((hub.location.lat, hub.location.lon), (o.location.lat, o.location.lon)).km, 1))  # type: ignore[attr-defined]
            for o in nearest
        )
        out.append(HubView(**{**hub.__dict__, "neighbours": neighbours}))
    return out


class Grid:
    """Hubs bucketed into CELL_DEGREES cells, for nearest-neighbour queries without O(n^2)."""

    def __init__(self, hubs: list[HubView]) -> None:
        self.cells: dict[tuple[int, int], list[HubView]] = defaultdict(list)
        self.size = len(hubs)
        for hub in hubs:
            self.cells[self.cell(hub.location)].append(hub)
        self.lon_cells = int(360 / CELL_DEGREES)

    @staticmethod
    def cell(location: Location) -> tuple[int, int]:
        return int((location.lat + 90) // CELL_DEGREES), int((location.lon + 180) // CELL_DEGREES)

    def nearest(self, hub: HubView, k: int) -> list[HubView]:
        if self.size <= 1:
            return []
        found = self.ring_search(hub, k)
        radius_km = sorted(haversine_km(hub.location, o.location) for o in found)[min(k, len(found)) - 1]
        candidates = self.within(hub.location, radius_km) if len(found) >= k else found
        ranked = sorted((haversine_km(hub.location, o.location), o.slug, o) for o in candidates if o.slug != hub.slug)
        return [o for _, _, o in ranked[:k]]

    def ring_search(self, hub: HubView, k: int) -> list[HubView]:
        row, col = self.cell(hub.location)
        found: list[HubView] = []
        for ring in range(0, self.lon_cells):
            for r in range(row - ring, row + ring + 1):
                for c in range(col - ring, col + ring + 1):
                    if max(abs(r - row), abs(c - col)) == ring:
                        found += [o for o in self.cells.get((r, c % self.lon_cells), ()) if o.slug != hub.slug]
            if len(found) >= k:
                return found
        return found

    def within(self, center: Location, radius_km: float) -> list[HubView]:
        """Every hub in the cells of a lat/lon box that surely contains the circle."""
        dlat = radius_km / KM_PER_DEGREE + CELL_DEGREES
        lat_low, lat_high = max(-90.0, center.lat - dlat), min(90.0, center.lat + dlat)
        widest = max(abs(lat_low), abs(lat_high))
        shrink = math.cos(math.radians(widest)) if widest < 89 else 0.0
        dlon = 180.0 if shrink == 0 else min(180.0, radius_km / (KM_PER_DEGREE * shrink) + CELL_DEGREES)
        rows = range(int((lat_low + 90) // CELL_DEGREES), int((lat_high + 90) // CELL_DEGREES) + 1)
        first, last = int((center.lon - dlon + 180) // CELL_DEGREES), int((center.lon + dlon + 180) // CELL_DEGREES)
        cols = {c % self.lon_cells for c in range(first, last + 1)}
        return [o for r in rows for c in sorted(cols) for o in self.cells.get((r, c), ())]


def haversine_km(a: Location, b: Location) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
