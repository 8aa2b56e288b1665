"""Every path of the site, in one place: pages, calendars, data files, assets, publishing files.

A path here is relative to the site's root, without a leading slash (or, for a site in several
languages, to a language's root: `in_language` puts it under the language's key, `es/hubs/nairobi/`): a page ends with '/'
(`hubs/nairobi/`, the home page is ''), and is written to the `index.html` in it
(`output_file`); a file is named whole (`hubs/nairobi/calendar.ics`). Pages link to each other
as `root + path`, where `root` climbs from the page back to the site's root (`root_for`), so a
site works under any base_url path; full URLs are `base_url + path` (`absolute`).

Python, templates (as the `urls` global) and the data the scripts read take their paths from
here; `route_of` names the route of any path the site may contain, and the test suite crawls
built sites with it. Not a stage: every stage may import it (validation, for one, keeps content
pages off the names the site uses itself).
"""

from __future__ import annotations

import re
from urllib.parse import quote

HOME = ""
PARTNERS = "partners/"
HUB_PAGES = "hubs/"  # each hub's page is under it
COUNTRIES = "countries/"
COURSES = "courses/"
APPLY = "host/apply/"
MAP_DATA = "hubs/map.json"
MAP_POINTS = "hubs/points.json"  # every hub's coordinates, which the home map draws before map.json's details
PLACES_DATA = "hubs/places.json"  # names of places near the hubs, for the finder
HUBS_JSON = "hubs.json"
HUBS_GEOJSON = "hubs.geojson"
NUMBERS = "numbers/"  # the network in numbers: hubs, countries, sessions, meetings, hubs active per year
NUMBERS_JSON = "numbers.json"  # the same figures as open data
SITE_CALENDAR = "calendar.ics"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
HEADERS = "_headers"
NOT_FOUND = "404.html"
REDIRECTS = "_redirects"  # Netlify's: a visitor's language at the root, each language's 404 page
SERVICE_WORKER = "service-worker.js"  # at the root, so its scope is the site's own path: offline reading
LANGUAGE_PICKER = ""  # a site in several languages: its root lists them, and is their x-default
MARKER = ".hubsite"  # the writer's: which tree this folder holds
ASSETS = "assets/"
EMBED = "embed/"  # pages made to be framed by partners' websites: the only paths _headers lets be framed
CONTENT_FILES = "assets/content/"  # files that content names (logos), under their content/ paths


def language_root(key: str) -> str:
    """The folder of one language's pages: 'es/', 'zh-hans/'."""
    return f"{key}/"


def in_language(prefix: str, path: str) -> str:
    """A path of a language's pages as a path of the site: ('es/', 'hubs/x/') -> 'es/hubs/x/';
    a site in one language has no prefix."""
    return prefix + path


def hub(slug: str) -> str:
    return f"{HUB_PAGES}{slug}/"


def hub_record(slug: str) -> str:
    """A hub's record as the application form reads it to open a correction: a classic script,
    so that it loads from file:// too. Shared by every language."""
    return f"hubs/{slug}/record.js"


def correction(slug: str) -> str:
    """The application form opened on a hub's record: a visitor suggests a correction."""
    return f"{APPLY}?hub={slug}"


def flyer(slug: str) -> str:
    """A hub's printable flyer, with a QR code of its page."""
    return f"hubs/{slug}/flyer/"


def hub_calendar(slug: str) -> str:
    return f"hubs/{slug}/calendar.ics"


def session_calendar(hub_slug: str, session_slug: str) -> str:
    """One session's .ics: in a sub-folder, since a course called "Calendar" would collide with calendar.ics."""
    return f"hubs/{hub_slug}/sessions/{session_slug}.ics"


def session_anchor(session_slug: str) -> str:
    """The id of a session's row on its hub page."""
    return f"session-{session_slug}"


def session(hub_slug: str, session_slug: str) -> str:
    return f"{hub(hub_slug)}#{session_anchor(session_slug)}"


def partner(partner_id: str) -> str:
    return f"partners/{partner_id}/"


def country(code: str) -> str:
    return f"countries/{code.lower()}/"


def city(code: str, slug: str) -> str:
    """The folder of a city's follow files, under its country's: 'countries/ke/cities/nairobi/'.
    A city has no page of its own: its section on the country page (city_anchor) is it."""
    return f"{country(code)}cities/{slug}/"


def city_anchor(slug: str) -> str:
    """The id of a city's section on its country page."""
    return f"city-{slug}"


def follow_calendar(scope: str) -> str:
    """The calendar of every group of a scope (a country's, city's, course's or partner's folder
    above): 'countries/ke/calendar.ics'. Inside the scope's folder, so no name can collide with it."""
    return f"{scope}calendar.ics"


def follow_feed(scope: str) -> str:
    """The Atom feed of a scope's hubs and groups: 'courses/machine-learning/feed.xml'."""
    return f"{scope}feed.xml"


def webcal(url: str) -> str | None:
    """A calendar's http(s) URL as the webcal:// address calendar apps subscribe to (the scheme
    swapped, nothing else); None for any other URL (a site opened from disk, file:, cannot be
    subscribed to: a calendar app fetches the address again every few hours)."""
    scheme, sep, rest = url.partition("://")
    return "webcal://" + rest if sep and scheme.lower() in ("http", "https") else None


def country_anchor(code: str) -> str:
    """The id of a country's heading in the home page's directory."""
    return f"country-{code.lower()}"


def course(slug: str) -> str:
    return f"courses/{slug}/"


def embed(site_path: str) -> str:
    """The page made to be framed that lists what the page at `site_path` lists (a path of the site,
    its language's key included: 'es/partners/x/' -> 'embed/es/partners/x/'; the home page's is
    every hub). Every language's under the one folder, so that one _headers rule covers them all."""
    return EMBED + site_path


def page(slug: str) -> str:
    """A Markdown page of content/pages/."""
    return f"{slug}/"


def schema(kind: str) -> str:
    return f"schema/{kind}.schema.json"


def asset(name: str) -> str:
    """A file of templates/static/ under its published name (render/assets.py hashes our own)."""
    return ASSETS + name


def content_file(name: str) -> str:
    return CONTENT_FILES + name


def sitemap_part(number: int) -> str:
    return f"sitemap-{number}.xml"


def output_file(path: str) -> str:
    """The file a path is written to: a page's index.html, else the path itself."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def page_path(file: str) -> str:
    """The inverse of output_file for pages: 'hubs/x/index.html' -> 'hubs/x/'."""
    return file.removesuffix("index.html")


def root_for(file: str) -> str:
    """The relative prefix from the file at `file` back to the site root: 'hubs/x/index.html' -> '../../'."""
    return "../" * file.count("/")


def absolute(base_url: str, path: str) -> str:
    return base_url + path


def mailto(address: str, subject: str | None = None) -> str:
    """A mailto: link to one validated address, each part percent-encoded (never pasted)."""
    link = "mailto:" + quote(address, safe="@")
    return link + "?subject=" + quote(subject, safe="") if subject else link


# Top-level folders the site uses itself: a content page may not take one of these names.
RESERVED = frozenset({"hubs", "partners", "countries", "courses", "assets", "schema", "embed", "404", NUMBERS.strip("/")})

_SLUG = "[a-z0-9]+(?:-[a-z0-9]+)*"
ROUTES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "home": "(?:index.html)?",
        "hub": f"hubs/{_SLUG}/(?:index.html)?",
        "hub calendar": f"hubs/{_SLUG}/calendar.ics",
        "flyer": f"hubs/{_SLUG}/flyer/(?:index.html)?",
        "hub record": f"hubs/{_SLUG}/record.js",
        "session calendar": f"hubs/{_SLUG}/sessions/{_SLUG}.ics",
        "partners": "partners/(?:index.html)?",
        "partner": f"partners/{_SLUG}/(?:index.html)?",
        "countries": "countries/(?:index.html)?",
        "country": "countries/[a-z]{2}/(?:index.html)?",
        "courses": "courses/(?:index.html)?",
        "course": f"courses/{_SLUG}/(?:index.html)?",
        "apply": "host/apply/(?:index.html)?",
        "numbers": "numbers/(?:index.html)?",
        "follow calendar": f"(?:countries/[a-z]{{2}}(?:/cities/{_SLUG})?|courses/{_SLUG}|partners/{_SLUG})/calendar.ics",
        "follow feed": f"(?:countries/[a-z]{{2}}(?:/cities/{_SLUG})?|courses/{_SLUG}|partners/{_SLUG})/feed.xml",
        "embed": f"embed/(?:(?:partners/{_SLUG}|countries/[a-z]{{2}}|courses/{_SLUG})/)?(?:index.html)?",
        "page": f"{_SLUG}/(?:index.html)?",
        "schema": f"schema/{_SLUG}.schema.json",
        "content file": "assets/content/[A-Za-z0-9_./-]+",
        "asset": "assets/[A-Za-z0-9_./-]+",
        "sitemap part": "sitemap-[0-9]+.xml",
        "data": "|".join(re.escape(name) for name in (MAP_DATA, MAP_POINTS, PLACES_DATA, HUBS_JSON, HUBS_GEOJSON, NUMBERS_JSON, SITE_CALENDAR, FEED, SITEMAP, ROBOTS, HEADERS, REDIRECTS, NOT_FOUND, MARKER, SERVICE_WORKER)),
    }.items()
}
# The files a site in several languages has once, at its root, rather than once per language.
SHARED = ("content file", "asset", "schema", "sitemap part", "hub record")
SHARED_FILES = frozenset({MAP_POINTS, PLACES_DATA, HUBS_JSON, HUBS_GEOJSON, NUMBERS_JSON, SITEMAP, ROBOTS, HEADERS, REDIRECTS, MARKER, SERVICE_WORKER})


def route_of(path: str, keys: tuple[str, ...] = ()) -> str | None:
    """Which route a path of the site (relative to its root, a fragment or query removed) is, or
    None. `keys`: the language keys of a site in several languages, whose pages are under them."""
    if keys and path.startswith(EMBED):
        key, slash, rest = path.removeprefix(EMBED).partition("/")
        return "embed" if slash and key in keys and route_of(EMBED + rest) == "embed" else None
    if keys:
        key, slash, rest = path.partition("/")
        if slash and key in keys:
            found = route_of(rest)
            return found if found not in (*SHARED, "embed") and rest not in SHARED_FILES else None
        found = route_of(path)
        return found if found in SHARED or path in SHARED_FILES or path in ("", "index.html", NOT_FOUND) else None
    return next((name for name, pattern in ROUTES.items() if pattern.fullmatch(path)), None)
