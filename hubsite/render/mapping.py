"""Maps: the one module that imports folium.

folium builds the Leaflet objects (the map's options, the tile layer resolved offline from
an xyzservices name, the element ids), but we never render folium's HTML: it writes one
JavaScript statement per marker, pulls ten CDN URLs and makes random ids. Instead each page
gets a small JSON config (`<script type="application/json">`), and the hubs themselves go
into one compact JSON file that templates/static/js/map.js clusters in the browser. What folium
says of a site's maps is kept in the build's cache folder (`leaflet_for`): folium is imported
only when that changed, not by every build.

The data file is columnar-ish: repeated strings (places, countries, partners, courses,
languages, sign-up links) live once in tables and each hub is a short array. Row layout:
  [slug, or "" when it is the name slugified; name; place; lat and lon in 1/10,000 degree;
   partner (host first) or [partners]; [sessions]; [languages]; facility bits; status; area;
   postal code; 1 when every group meets online only (no pin on a map, near no one), else 0]
and each session not yet ended, soonest meeting first (the finder matches sessions, not hubs):
  [course; weekday bits (Monday 1, ... Sunday 64; EVERY_OTHER_WEEK when it meets every other
   week); start and end in minutes after local midnight; language or -1;
   next meeting in days after "today" or -1; sign-up link or -1; 0 current, 1 upcoming;
   its slug, or "" when it is the course's; how it meets (the index in MODES: 0 in person,
   1 online, 2 hybrid); its sign-up state (the index in SIGNUP_STATES); the hub's UTC offset in
   minutes at the next meeting, or null without one (its UTC instant, which the finder shows in
   the visitor's own zone)]
templates/static/js/map.js decodes it; tests/render/test_map.py pins it down.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hubsite import urls
from hubsite.content.dates import WEEKDAYS
from hubsite.content.fields import FACILITIES, STATUSES
from hubsite.content.records import MODES
from hubsite.content.settings import MapSettings, tile_provider
from hubsite.content.slugs import ascii_slug
from hubsite.directory.catalog import Catalog, HubView, PartnerView, SessionView
from hubsite.fingerprint import code_fingerprint
from hubsite.incremental.dependencies import record_dependency
from hubsite.incremental.store import signed, verified

EPOCH = date(1970, 1, 1)
HUB_ZOOM = 14
SCALE = 10_000  # coordinates in 1/10,000 degree (about 11 m: plenty for a building), as integers
EVERY_OTHER_WEEK = 1 << 7  # beside the seven weekday bits: the rhythm costs the row no extra value
SIGNUP_STATES = ("open", "opens", "waitlist", "full", "closed")  # directory/schedule.py SignUp, as map.js numbers them


def leaflet_options(options: dict[str, Any]) -> dict[str, Any]:
    """folium keeps options in snake_case and camelizes them when it writes JS: so do we."""
    from folium.utilities import camelize

    return {camelize(key): value for key, value in sorted(options.items()) if value is not None}


def resolve_tiles(settings: MapSettings) -> dict[str, Any]:
    """Leaflet's tile URL and options from map.tiles: an xyzservices name or an http(s) template
    (content/settings.py has checked it, so this cannot fail)."""
    import folium

    tiles, attribution = settings.tiles, settings.attribution
    # A site-written attribution is text, not markup: Leaflet sets it with innerHTML.
    text_attribution = html.escape(attribution) if attribution else None
    source = tiles if "://" in tiles else tile_provider(tiles)
    layer = folium.TileLayer(source, attr=text_attribution)
    layer._id = "tiles"  # folium's ids are random (urandom): ours are fixed
    return {"url": layer.tiles, "options": leaflet_options(layer.options)}


def map_base(kind: str, zoom: int) -> tuple[str, dict[str, Any]]:
    """folium's Map for one kind of map (not one per page: it costs ~1 ms): its fixed element id
    and Leaflet options."""
    import folium

    # The page scrolls past the map: the wheel must not zoom it (buttons and keys do).
    fmap = folium.Map(location=[0, 0], zoom_start=zoom, tiles=None, scroll_wheel_zoom=False)
    fmap._id = kind  # deterministic: the element id is "map_" + kind, not urandom hex
    return fmap.get_name(), leaflet_options(fmap.options)


@dataclass(frozen=True)
class Leaflet:
    """What folium says of the site's maps: the tile layer, and each kind of map's element id and options."""

    tiles: dict[str, Any]
    maps: dict[str, tuple[str, dict[str, Any]]]


# Where a build keeps its Leaflet, in its cache folder: importing folium (which brings requests
# and compiles some forty templates) was a tenth of the bundled site's build.
LEAFLET_FILE = "leaflet.json"
MAP_KINDS = ("home", "hub", "partner")


def map_zooms(settings: MapSettings) -> dict[str, int]:
    """Each kind of map and the zoom it opens at: hub maps close up, the others as site.yaml says."""
    return {kind: HUB_ZOOM if kind == "hub" else settings.zoom for kind in MAP_KINDS}


def leaflet_for(settings: MapSettings, cache_dir: Path | None) -> Leaflet:
    """The site's Leaflet: as the last build with the same code and map settings kept it, or from folium."""
    key = [code_fingerprint(), settings.tiles, settings.attribution, settings.zoom]
    path = cache_dir / LEAFLET_FILE if cache_dir is not None else None
    kept = kept_leaflet(path, key) if path is not None else None
    if kept is not None:
        return kept
    made = Leaflet(resolve_tiles(settings), {kind: map_base(kind, zoom) for kind, zoom in map_zooms(settings).items()})
    if path is not None:
        keep_leaflet(path, key, made)
    return made


def kept_leaflet(path: Path, key: list[Any]) -> Leaflet | None:
    """The file a build wrote for the same key, or None (missing, another key, not that shape, or
    not signed by this user: incremental/store.py). It is read as JSON data, never run; it is signed
    all the same, because what it holds is published on every map (an attribution is HTML to
    Leaflet) and its key names no secret: one planted there by a pull request is never read."""
    try:
        body = verified(path.read_bytes())
        data = json.loads(body) if body is not None else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    tiles, maps = data.get("tiles"), data.get("maps")
    if not (isinstance(tiles, dict) and isinstance(tiles.get("url"), str) and isinstance(tiles.get("options"), dict)):
        return None
    if not (isinstance(maps, dict) and sorted(maps) == sorted(MAP_KINDS) and all(is_map_base(base) for base in maps.values())):
        return None
    return Leaflet(tiles, {kind: (name, options) for kind, (name, options) in maps.items()})


def is_map_base(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], dict)


def keep_leaflet(path: Path, key: list[Any], leaflet: Leaflet) -> None:
    """Write the file whole or not at all (another build may be reading it)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(signed(json.dumps({"key": key, "tiles": leaflet.tiles, "maps": leaflet.maps}).encode("utf-8")))
        os.replace(partial, path)
    except OSError:  # a read-only or full disk: the next build asks folium again, as without a cache
        partial.unlink(missing_ok=True)


def map_config(leaflet: Leaflet, kind: str, center: tuple[float, float], root: str) -> dict[str, Any]:
    """One page's map: the kind's folium options centred here, the tiles, and where links start."""
    name, options = leaflet.maps[kind]
    centre = [round(c, 4) for c in center]
    return {"id": name, "options": dict(options) | {"center": centre}, "tiles": leaflet.tiles, "root": root, "hubPage": urls.hub("{slug}")}


def slug_from_name(name: str) -> str | None:
    """The slug map.js derives from an ASCII name (lower case, runs of other characters to '-')."""
    return ascii_slug(name) if name.isascii() else None


def bits(chosen: set[str], names: tuple[str, ...]) -> int:
    return sum(1 << i for i, name in enumerate(names) if name in chosen)


@dataclass(frozen=True)
class SessionFacts:
    course: tuple[str, str]  # (slug, name)
    days: int
    start: int
    end: int
    language: str | None
    next: date | None
    signup: str | None
    state: int
    slug: str  # "" when it is the course's slug
    mode: int  # the index in MODES
    signup_state: int  # the index in SIGNUP_STATES
    offset: int | None  # the hub's UTC offset at the next meeting, in minutes


@dataclass(frozen=True)
class Facts:
    """What the map and the finder know of one hub, worked out once per build: the home data, the
    hub's own page and its neighbours' and partners' pages all encode it again."""

    slug: str
    name: str
    place: tuple[str, str, str]  # country code, country name, city
    lat: int
    lon: int
    partners: tuple[tuple[str, str], ...]  # (id, name), the host first
    sessions: tuple[SessionFacts, ...]  # not yet ended, soonest meeting first
    languages: tuple[str, ...]
    facilities: int
    status: int
    area: str
    postal: str
    online_only: bool

    def kept(self) -> tuple:
        """The facts as plain tuples, as the store keeps them: 10,000 hubs' load in a fifth of the
        time their objects take."""
        fields = vars(self) | {"sessions": tuple(tuple(vars(session).values()) for session in self.sessions)}
        return tuple(fields.values())

    @classmethod
    def from_kept(cls, kept: tuple) -> Facts:
        slug, name, place, lat, lon, partners, sessions, *rest = kept
        return cls(slug, name, place, lat, lon, partners, tuple(SessionFacts(*session) for session in sessions), *rest)


def hub_facts(hub: HubView, text: Callable[[str], str], country: Callable[[str], str]) -> Facts:
    """What the map says of a hub, in one language: `text` gives a content text in it, `country` a country's name."""
    record = hub.record
    coming = sorted((s for s in hub.sessions if s.state != "ended"), key=lambda s: (s.next_meeting or date.max, s.index))
    name = text(hub.name)
    return Facts(
        slug="" if slug_from_name(name) == hub.slug else hub.slug,
        name=name,
        place=(record.address.country, country(record.address.country), record.address.city),
        lat=round(hub.location.lat * SCALE),
        lon=round(hub.location.lon * SCALE),
        partners=tuple((p.id, text(p.record.name)) for p in (hub.host, *hub.partners)),
        sessions=tuple(session_facts(view, text) for view in coming),
        languages=tuple(sorted(record.languages)),
        facilities=bits(set(record.facilities), FACILITIES),
        status=STATUSES.index(record.status),
        area=record.address.area or "",
        postal=record.address.postal_code or "",
        online_only=not hub.meets_in_person,
    )


def session_facts(view: SessionView, text: Callable[[str], str]) -> SessionFacts:
    session = view.session
    return SessionFacts(
        course=(view.course_slug, text(session.course)),
        days=bits(set(session.weekdays), WEEKDAYS) | (EVERY_OTHER_WEEK if session.frequency == "biweekly" else 0),
        start=session.time.start_minutes,
        end=session.time.end_minutes,
        language=session.language,
        next=view.next_meeting,
        signup=view.signup_url,
        state=0 if view.state == "current" else 1,
        slug="" if view.slug == view.course_slug else view.slug,
        mode=MODES.index(session.mode),
        signup_state=SIGNUP_STATES.index(view.signup),
        offset=utc_offset(view),
    )


def utc_offset(view: SessionView) -> int | None:
    """The hub's UTC offset at the session's next meeting, in minutes (schedule.py worked out the
    meeting's UTC instant): the next meeting's day, start and this give the finder its instant."""
    if not view.next_meeting or not view.meetings:
        return None
    local = datetime.combine(view.next_meeting, view.session.time.start)
    return round((local - datetime.strptime(view.meetings[0], "%Y-%m-%dT%H:%MZ")).total_seconds() / 60)


class Encoder:
    """Turns hubs' facts into compact rows, interning repeated strings into tables as it goes."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.tables: dict[str, dict[Any, Any]] = {name: {} for name in ("places", "countries", "partners", "courses", "languages", "signups")}

    def intern(self, table: str, key: Any, value: Any) -> int:
        entries = self.tables[table]
        if key not in entries:
            entries[key] = (len(entries), value)
        return entries[key][0]

    def row(self, facts: Facts) -> list[Any]:
        partners = [self.intern("partners", key, name) for key, name in facts.partners]
        return [
            facts.slug, facts.name, self.place(facts), facts.lat, facts.lon,
            partners[0] if len(partners) == 1 else partners,
            [self.session(session) for session in facts.sessions],
            [self.intern("languages", code, code) for code in facts.languages],
            facts.facilities, facts.status, facts.area, facts.postal, int(facts.online_only),
        ]

    def session(self, s: SessionFacts) -> list[Any]:
        return [
            self.intern("courses", s.course[0], list(s.course)), s.days, s.start, s.end,
            self.intern("languages", s.language, s.language) if s.language else -1,
            (s.next - self.today).days if s.next else -1,
            self.intern("signups", s.signup, s.signup) if s.signup else -1,
            s.state, s.slug, s.mode, s.signup_state, s.offset,
        ]

    def place(self, facts: Facts) -> int:
        code, name, city = facts.place
        return self.intern("places", (code, city), [city, self.intern("countries", code, [code, name])])

    def encode(self, facts: list[Facts]) -> dict[str, Any]:
        rows = [self.row(f) for f in facts]
        tables = {name: [value for _, value in entries.values()] for name, entries in self.tables.items()}
        return {"version": 4, "today": (self.today - EPOCH).days, "scale": SCALE, **tables, "facilities": list(FACILITIES), "modes": list(MODES), "signupStates": list(SIGNUP_STATES), "hubs": rows}


def dump_json(data: Any) -> bytes:
    """Compact JSON, with <, > and & escaped as Jinja's tojson does (safe inside any HTML)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


def map_points(catalog: Catalog) -> bytes:
    """hubs/points.json: every hub's coordinates in 1/SCALE degree, [lat, lon, lat, lon, ...] in
    the order of map.json's rows, and `online`: the rows of hubs whose every group meets online,
    which no map pins. The same in every language: a home map draws its clusters from it (a
    fifteenth of map.json) while the details are still on their way."""
    record_dependency(("points",))
    points = [value for hub in catalog.hubs for value in (round(hub.location.lat * SCALE), round(hub.location.lon * SCALE))]
    online = [row for row, hub in enumerate(catalog.hubs) if not hub.meets_in_person]
    return dump_json({"version": 1, "scale": SCALE, "points": points, "online": online})


class Maps:
    """Every map of the site in one language, from one catalog: the data and each page's config.
    `leaflet`: the site's tiles and kinds of map; `text` and `country` say content texts and countries in the language."""

    def __init__(self, catalog: Catalog, leaflet: Leaflet, text: Callable[[str], str], country: Callable[[str], str], kept: Callable[[HubView, Callable[[], tuple]], tuple]) -> None:
        self.catalog = catalog
        self.settings = catalog.site.map
        self.leaflet = leaflet
        self.text = text
        self.country = country
        self.by_slug = {hub.slug: hub for hub in catalog.hubs}
        self.kept = kept  # a hub's facts (Facts.kept), kept from the last build while the hub is unchanged
        self.facts: dict[str, Facts] = {}

    def encode(self, hubs: list[HubView] | tuple[HubView, ...]) -> dict[str, Any]:
        for hub in hubs:
            record_dependency(("map", hub.slug))
            if hub.slug not in self.facts:
                self.facts[hub.slug] = Facts.from_kept(self.kept(hub, lambda hub=hub: hub_facts(hub, self.text, self.country).kept()))
        return Encoder(self.catalog.today).encode([self.facts[hub.slug] for hub in hubs])

    def data(self) -> bytes:
        """hubs/map.json: every hub, fetched by the home page's map and finder: what the map says
        of each (its own dependency) in the order of the lists."""
        record_dependency(("lists",))
        return dump_json(self.encode(self.catalog.hubs))

    def home(self, root: str, site_root: str) -> dict[str, Any]:
        config = map_config(self.leaflet, "home", self.settings.center, root)
        return config | {"data": root + urls.MAP_DATA, "points": site_root + urls.MAP_POINTS, "places": site_root + urls.PLACES_DATA, "sessionAnchor": urls.session_anchor("{slug}"), "cluster": True, "fit": True}

    def hub(self, hub: HubView, root: str) -> dict[str, Any]:
        """A small map centred on the hub, with its nearest neighbours as well."""
        near = [self.by_slug[n.slug] for n in hub.neighbours if n.slug in self.by_slug]
        config = map_config(self.leaflet, "hub", (hub.location.lat, hub.location.lon), root)
        return config | {"hubs": self.encode([hub, *near]), "focus": hub.slug}

    def partner(self, partner: PartnerView, root: str) -> dict[str, Any] | None:
        return self.listed(partner.hosted + partner.supported, root)

    def listed(self, listed: Iterable[HubView], root: str) -> dict[str, Any] | None:
        """A map of the hubs a list shows (a partner's page, a page made to be framed), its data inline."""
        hubs = sorted({h.slug: h for h in listed}.values(), key=lambda h: h.slug)
        if not hubs:
            return None
        config = map_config(self.leaflet, "partner", self.settings.center, root)
        return config | {"hubs": self.encode(hubs), "cluster": len(hubs) > 1, "fit": True}

    def picker(self, root: str) -> dict[str, Any]:
        """The apply form's map, where an applicant clicks on the venue: the home map's view."""
        return map_config(self.leaflet, "home", self.settings.center, root) | {"id": "pick-map"}

    def languages(self) -> list[str]:
        """Every language a hub or an open session uses: the finder's language choices."""
        codes = {code for hub in self.catalog.hubs for code in hub.record.languages}
        codes |= {s.session.language for hub in self.catalog.hubs for s in hub.sessions if s.state != "ended" and s.session.language}
        return sorted(codes)
