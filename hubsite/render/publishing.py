"""The files a static host, a crawler or a data user reads beside the pages.

- `/sitemap.xml` (every HTML page but 404.html, absolute URLs under base_url; `lastmod` only
  where the content dates a page: a hub's `last_verified`) and `/robots.txt` pointing at it;
- `/hubs.json` (every public field of every hub) and `/hubs.geojson` (RFC 7946 points);
- `/_headers` for Netlify and Cloudflare Pages: a Content-Security-Policy the site satisfies,
  and cache lifetimes (a year for fingerprinted assets; HTML and data revalidated every time);
- asset fingerprints (`fingerprint`, used by render.Renderer.asset_path) and schema.org JSON-LD
  for hub pages (`hub_structured_data`, embedded by partials/meta.html with `|tojson`).

Everything is computed from the catalog and the rendered pages: no clock, sorted walks.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from hubsite.content.records import Address
from hubsite.directory.catalog import Catalog, HubView, SessionView

Files = Iterator[tuple[str, bytes]]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (the protocol's limit); past it, a sitemap index
IMMUTABLE = "public, max-age=31536000, immutable"  # the name changes whenever the bytes do
REVALIDATE = "public, max-age=0, must-revalidate"  # pages and data: a new deploy shows at once
ONE_DAY = "public, max-age=86400"  # vendored libraries and logos: stable names, rare changes
# Files from content (logos) opened at their own URL: nothing in them may run or load (images.py
# already refuses SVG with script; this holds on the hosts that read _headers).
CONTENT_FILE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
MAX_HEADER_RULES = 100  # Cloudflare Pages ignores rules past the 100th
SCHEMA_DAYS = {day: f"https://schema.org/{day.capitalize()}" for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


# --- asset fingerprints ----------------------------------------------------------------------


def fingerprinted(name: str) -> bool:
    """Our own top-level assets (style.css, favicon.svg, js/*.js) carry a content hash in their name.

    Vendored folders keep their paths: their CSS refers to images relatively, and their version
    is recorded in vendor/README.md.
    """
    folder, _, _ = name.rpartition("/")
    return folder in ("", "js")


def fingerprint(name: str, data: bytes) -> str:
    """'js/map.js' -> 'js/map.3f2a9c1b.js': the first 8 hex digits of the file's SHA-256."""
    if not fingerprinted(name):
        return name
    folder, _, file = name.rpartition("/")
    stem, dot, suffix = file.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:8]
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{file}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


# --- the entry point ---------------------------------------------------------------------------


def publish_files(catalog: Catalog, base_url: str, tiles: dict[str, Any], outputs: list[tuple[str, bytes]], immutable: Iterable[str]) -> Files:
    """Every publishing file, from the rendered outputs: (path, bytes) in a stable order.

    `tiles` is the map's tile layer as mapping.Maps resolves it; `immutable` the published paths
    of fingerprinted assets. `outputs` holds every path, with its bytes where a page has a form
    (the Content-Security-Policy's form-action comes from them).
    """
    pages = [(path, data) for path, data in outputs if path.endswith(".html")]
    files: list[tuple[str, bytes]] = []
    if urlsplit(base_url).scheme in ("http", "https"):  # a site opened from disk has no crawlers
        files += sitemap_files(base_url, [path for path, _ in pages], page_dates(catalog))
        files.append(("robots.txt", robots_txt(base_url)))
    files.append(("hubs.json", hubs_json(catalog, base_url)))
    files.append(("hubs.geojson", hubs_geojson(catalog, base_url)))
    policy = content_security_policy(tile_sources(tiles), form_sources(pages))
    every_path = [path for path, _ in outputs] + [path for path, _ in files]
    files.append(("_headers", headers_file(every_path, immutable, policy)))
    yield from files


# --- sitemap and robots ------------------------------------------------------------------------


def absolute(base_url: str, path: str) -> str:
    """The page's full URL, percent-encoded as the sitemap protocol asks (RFC 3986)."""
    return quote(base_url + path, safe=":/?#[]@!$&'()*+,;=%~")


def page_dates(catalog: Catalog) -> dict[str, date]:
    """The pages whose content carries a date: hub pages, by `last_verified`."""
    return {f"hubs/{hub.slug}/index.html": hub.record.last_verified for hub in catalog.hubs if hub.record.last_verified}


def sitemap_files(base_url: str, html_paths: list[str], dates: dict[str, date]) -> list[tuple[str, bytes]]:
    """/sitemap.xml: one urlset, or past SITEMAP_LIMIT URLs an index of sitemap-N.xml files."""
    pages = sorted((p for p in html_paths if p != "404.html"), key=lambda p: (p.count("/"), p))
    entries = [(absolute(base_url, p.removesuffix("index.html")), dates.get(p)) for p in pages]
    chunks = [entries[i : i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)]
    if len(chunks) <= 1:
        return [("sitemap.xml", urlset(entries))]
    names = [f"sitemap-{number}.xml" for number in range(1, len(chunks) + 1)]
    index = "".join(f"<sitemap><loc>{escape(absolute(base_url, name))}</loc></sitemap>\n" for name in names)
    files = [(name, urlset(chunk)) for name, chunk in zip(names, chunks, strict=True)]
    return [*files, ("sitemap.xml", xml_document("sitemapindex", index))]


def urlset(entries: list[tuple[str, date | None]]) -> bytes:
    body = "".join(
        f"<url><loc>{escape(url)}</loc>{f'<lastmod>{day.isoformat()}</lastmod>' if day else ''}</url>\n" for url, day in entries
    )
    return xml_document("urlset", body)


def xml_document(root: str, body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{SITEMAP_NS}">\n{body}</{root}>\n'.encode()


def robots_txt(base_url: str) -> bytes:
    lines = ["User-agent: *", "Disallow:", "", f"Sitemap: {absolute(base_url, 'sitemap.xml')}"]
    if urlsplit(base_url).path not in ("", "/"):
        lines[:0] = ["# Crawlers read robots.txt only at the root of a host: under a path prefix, add the", "# Sitemap line below to the host's own /robots.txt.", ""]
    return ("\n".join(lines) + "\n").encode()


# --- open data ---------------------------------------------------------------------------------


def dump(data: Any) -> bytes:
    """Deterministic, compact JSON: sorted keys, UTF-8, no NaN."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def hubs_json(catalog: Catalog, base_url: str) -> bytes:
    """/hubs.json: every public field of every hub, sorted by slug (fields listed in the README)."""
    hubs = [hub_record(hub, base_url) for hub in sorted(catalog.hubs, key=lambda h: h.slug)]
    return dump({"version": 1, "title": catalog.site.title, "url": base_url, "as_of": catalog.today.isoformat(), "hubs": hubs})


def partner_ref(partner: Any, base_url: str) -> dict[str, Any]:
    return {"id": partner.id, "name": partner.record.name, "url": f"{base_url}partners/{partner.id}/", "website": partner.record.website}


def hub_record(hub: HubView, base_url: str) -> dict[str, Any]:
    record, url = hub.record, f"{base_url}hubs/{hub.slug}/"
    contact = record.contact
    return {
        "slug": hub.slug,
        "url": url,
        "name": record.name,
        "status": record.status,
        "summary": record.summary,
        "description": record.description,
        "host": partner_ref(hub.host, base_url),
        "partners": [partner_ref(p, base_url) for p in hub.partners],
        "address": {**record.address.model_dump(mode="json"), "country_name": hub.country_name},
        "location": {"lat": hub.location.lat, "lon": hub.location.lon},
        "location_source": "geocache" if hub.location_from_cache else "record",
        "timezone": hub.timezone,
        "timezone_derived": hub.timezone_derived,
        "languages": list(record.languages),
        "facilities": list(record.facilities),
        "contact": {"email": contact.email if contact else None, "phone": contact.phone if contact else None, "url": contact.url if contact else None},
        "signup_url": record.signup_url,
        "last_verified": record.last_verified.isoformat() if record.last_verified else None,
        "stale": hub.stale,
        "facilitators": [{"name": f.name, "bio": f.bio} for f in record.facilitators],
        "calendar_url": f"{url}calendar.ics",
        "sessions": [session_record(view, url, base_url) for view in hub.sessions],
    }


def session_record(view: SessionView, hub_url: str, base_url: str) -> dict[str, Any]:
    session = view.session
    return {
        "slug": view.slug,
        "url": f"{hub_url}#session-{view.slug}",
        "course": session.course,
        "course_url": session.course_url,
        "course_page": f"{base_url}courses/{view.course_slug}/",
        "starts": session.starts.isoformat(),
        "ends": session.ends.isoformat(),
        "days": list(session.weekdays),
        "time": str(session.time),
        "frequency": session.frequency,
        "exceptions": sorted(day.isoformat() for day in session.exceptions),
        "language": session.language,
        "facilitator": session.facilitator,
        "capacity": session.capacity,
        "signup_url": view.signup_url,
        "state": view.state,
        "next_meeting": view.next_meeting.isoformat() if view.next_meeting else None,
        "calendar_url": f"{hub_url}sessions/{view.slug}.ics",
    }


def hubs_geojson(catalog: Catalog, base_url: str) -> bytes:
    """/hubs.geojson: an RFC 7946 FeatureCollection, one Point per hub ([lon, lat]), flat properties."""
    features = [hub_feature(hub, base_url) for hub in sorted(catalog.hubs, key=lambda h: h.slug)]
    return dump({"type": "FeatureCollection", "features": features})


def hub_feature(hub: HubView, base_url: str) -> dict[str, Any]:
    record = hub.record
    coming = sorted((v.next_meeting, v.session.course) for v in hub.sessions if v.next_meeting)
    properties = {
        "slug": hub.slug,
        "name": record.name,
        "url": f"{base_url}hubs/{hub.slug}/",
        "status": record.status,
        "summary": record.summary,
        "city": record.address.city,
        "country": record.address.country,
        "country_name": hub.country_name,
        "host": hub.host.record.name,
        "host_id": hub.host.id,
        "timezone": hub.timezone,
        "languages": list(record.languages),
        "facilities": list(record.facilities),
        "courses": sorted({v.session.course for v in hub.sessions if v.state != "ended"}),
        "next_meeting": coming[0][0].isoformat() if coming else None,
        "signup_url": record.signup_url,
    }
    geometry = {"type": "Point", "coordinates": [hub.location.lon, hub.location.lat]}
    return {"type": "Feature", "id": hub.slug, "geometry": geometry, "properties": properties}


# --- schema.org JSON-LD ------------------------------------------------------------------------


def hub_structured_data(hub: HubView, url: str) -> dict[str, Any]:
    """A hub page's schema.org data: the place (with address and geo) and each session as a
    CourseInstance (an Event) with its weekly schedule. Rendered with `|tojson`, which escapes
    `<`, `>` and `&`, so no text can close the <script> element."""
    record, contact = hub.record, hub.record.contact
    place = f"{url}#hub"
    data = {
        "@context": "https://schema.org",
        "@type": ["EducationalOrganization", "Place"],
        "@id": place,
        "name": record.name,
        "url": url,
        "description": record.summary,
        "address": postal_address(record.address),
        "geo": {"@type": "GeoCoordinates", "latitude": hub.location.lat, "longitude": hub.location.lon},
        "email": contact.email if contact else None,
        "telephone": contact.phone if contact else None,
        "sameAs": contact.url if contact else None,
        "parentOrganization": {"@type": "Organization", "name": hub.host.record.name, "url": hub.host.record.website},
        "event": [course_instance(hub, view, url, place) for view in hub.sessions],
    }
    return without_empty(data)


def postal_address(address: Address) -> dict[str, Any]:
    street = ", ".join(line for line in (address.line1, address.line2) if line)
    return {"@type": "PostalAddress", "streetAddress": street, "addressLocality": address.city, "addressRegion": address.region,
            "postalCode": address.postal_code, "addressCountry": address.country}


def course_instance(hub: HubView, view: SessionView, url: str, place: str) -> dict[str, Any]:
    session = view.session
    schedule = {
        "@type": "Schedule",
        "repeatFrequency": "P1W" if session.frequency == "weekly" else "P2W",
        "byDay": [SCHEMA_DAYS[day] for day in session.weekdays],
        "startDate": session.starts.isoformat(),
        "endDate": session.ends.isoformat(),
        "startTime": f"{session.time.start:%H:%M}",
        "endTime": f"{session.time.end:%H:%M}",
        "scheduleTimezone": hub.timezone,
        "exceptDate": sorted(day.isoformat() for day in session.exceptions),
    }
    return {
        "@type": "CourseInstance",
        "name": session.course,
        "url": f"{url}#session-{view.slug}",
        "about": {"@type": "Course", "name": session.course, "url": session.course_url},
        "courseMode": "blended",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "startDate": session.starts.isoformat(),
        "endDate": session.ends.isoformat(),
        "location": {"@id": place},
        "inLanguage": session.language,
        "instructor": {"@type": "Person", "name": session.facilitator} if session.facilitator else None,
        "maximumAttendeeCapacity": session.capacity,
        "courseSchedule": schedule,
    }


def without_empty(value: Any) -> Any:
    """Drop None and empty lists/objects, recursively: absent facts are left out, not null."""
    if isinstance(value, dict):
        cleaned = {key: without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, [], {}, "")}
    if isinstance(value, list):
        return [without_empty(item) for item in value]
    return value


# --- _headers: CSP and cache lifetimes ---------------------------------------------------------

_FORM_ACTION = re.compile(rb'\s(?:form)?action="([^"]*)"', re.IGNORECASE)


def tile_sources(tiles: dict[str, Any]) -> list[str]:
    """Where map tiles load from: '{s}' expanded with the layer's subdomains (Leaflet's default: abc)."""
    parts = urlsplit(tiles["url"])
    subdomains = tiles.get("options", {}).get("subdomains") or "abc"
    hosts = [parts.netloc.replace("{s}", s) for s in subdomains] if "{s}" in parts.netloc else [parts.netloc]
    return sorted({f"{parts.scheme}://{wildcard_host(host)}" for host in hosts})


def wildcard_host(host: str) -> str:
    """A host still holding a placeholder ('{variant}.tiles.example') -> '*.tiles.example'."""
    if "{" not in host:
        return host
    labels = host.split(".")
    last = max(i for i, label in enumerate(labels) if "{" in label)
    return ".".join(["*", *labels[last + 1 :]])


def form_sources(pages: list[tuple[str, bytes]]) -> list[str]:
    """Where the site's forms submit to, beyond its own origin (a mailto: form, GitHub)."""
    found = set()
    for _, data in pages:
        for match in _FORM_ACTION.finditer(data) if b"action=" in data else ():
            parts = urlsplit(html.unescape(match.group(1).decode("utf-8", "replace")))
            if parts.scheme in ("http", "https") and parts.netloc:
                found.add(f"{parts.scheme}://{parts.netloc}")
            elif parts.scheme == "mailto":
                found.add("mailto:")
    return sorted(found)


def content_security_policy(tiles: list[str], forms: list[str]) -> str:
    """No inline script or style anywhere; images from the site and the tile hosts only."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *tiles],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *forms],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(policy: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
    }


def cache_rules(paths: list[str], immutable: set[str]) -> list[tuple[str, dict[str, str]]]:
    """One Cache-Control per path, from exactly one rule: both hosts join a header that two
    matching rules set into one comma-separated value, so rules must not overlap."""
    rules: dict[str, str] = {f"/{path}": IMMUTABLE for path in sorted(immutable)}
    mixed = {path.split("/")[1] for path in immutable if path.count("/") > 1}  # assets/js/ holds hashed files
    for path in paths:
        parts = path.split("/")
        if parts[0] == "assets" and path not in immutable:
            whole_folder = len(parts) > 2 and parts[1] not in mixed
            rules.setdefault(f"/assets/{parts[1]}/*" if whole_folder else f"/{path}", ONE_DAY)
    short = {"/": REVALIDATE}
    for path in paths:
        top, slash, _ = path.partition("/")
        if top != "assets" and path != "_headers":
            short.setdefault(f"/{top}/*" if slash else f"/{top}", REVALIDATE)
    found = [(rule, {"Cache-Control": value}) for rule, value in rules.items()]
    if len(found) + len(short) + 1 > MAX_HEADER_RULES:
        return found  # too many top-level pages to list: both hosts revalidate HTML by default
    extra = {"/hubs.geojson": {"Content-Type": "application/geo+json"}}
    return found + [(rule, {"Cache-Control": value, **extra.get(rule, {})}) for rule, value in sorted(short.items())]


def headers_file(paths: Iterable[str], immutable: Iterable[str], policy: str) -> bytes:
    """/_headers (Netlify, Cloudflare Pages). GitHub Pages ignores it: it cannot send headers."""
    lines = [
        "# Response headers for Netlify and Cloudflare Pages, written by hubsite on every build.",
        "# Paths are relative to the published folder. Each path gets Cache-Control from exactly one",
        "# rule: both hosts join a header set by two matching rules into one value.",
    ]
    rules = [("/*", security_headers(policy)), *cache_rules(sorted(set(paths)), set(immutable))]
    for rule, headers in rules:
        if rule.startswith("/assets/content/"):
            headers = {**headers, "Content-Security-Policy": CONTENT_FILE_POLICY}
        lines += ["", rule, *(f"  {name}: {value}" for name, value in headers.items())]
    return ("\n".join(lines) + "\n").encode()


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    """Read a _headers file back into (path pattern, headers) rules (for `serve` and tests)."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] not in " \t":
            rules.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
    return rules


def headers_for(rules: list[tuple[str, dict[str, str]]], path: str) -> dict[str, str]:
    """The headers a host sends for URL path `path` (from the published folder's root)."""
    found: dict[str, str] = {}
    for pattern, headers in rules:
        prefix = pattern.removesuffix("*")
        if path == pattern or (pattern.endswith("*") and path.startswith(prefix)):
            for name, value in headers.items():
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found


# --- sites opened from disk --------------------------------------------------------------------

_LOCAL_LINK = re.compile(rb'(\s(?:href|action)=")([^"#?]*)')


def index_links(page: bytes) -> bytes:
    """For a site opened with file://: 'hubs/x/' -> 'hubs/x/index.html'. A browser shows a folder,
    not its index.html, so every link to a folder must name the file."""

    def fix(match: re.Match[bytes]) -> bytes:
        path = match.group(2)
        local = path and b":" not in path.split(b"/")[0] and not path.startswith(b"//")
        if local and (path.endswith(b"/") or path in (b".", b"..")):
            path = path.rstrip(b"/") + b"/index.html" if path.strip(b"/") else path + b"index.html"
        return match.group(1) + path

    return _LOCAL_LINK.sub(fix, page)
