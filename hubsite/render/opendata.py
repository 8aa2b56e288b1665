"""The directory as open data: `/hubs.json` (every public field of every hub, documented in the
README) and `/hubs.geojson` (RFC 7946 points for map tools). Sorted, compact, no clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from typing import Any

from hubsite import urls
from hubsite.content.records import MODES
from hubsite.directory.catalog import Catalog, HubView, SessionView
from hubsite.incremental.dependencies import record_dependency
from hubsite.languages import translations
from hubsite.render.outputs import Output

# A hub's part of a file: what `make` gives about it, kept from the last build while the hub is unchanged (Sources.part).
Part = Callable[[tuple[str, ...], HubView, Callable[[], bytes]], bytes]


def open_data(catalog: Catalog, at: Callable[[str], str], part: Part) -> Iterator[Output]:
    """`at`: the full URL of a page of the site, in its default language (Site.absolute)."""
    record_dependency(("hubs",))
    hubs = sorted(catalog.hubs, key=lambda h: h.slug)
    yield Output(urls.output_file(urls.HUBS_JSON), hubs_json(catalog, at, [part(("open data",), hub, partial(compact, hub_record, hub, at)) for hub in hubs]))
    yield Output(urls.output_file(urls.HUBS_GEOJSON), hubs_geojson([part(("geojson",), hub, partial(compact, hub_feature, hub, at)) for hub in hubs]))


def dump(data: Any) -> bytes:
    """Deterministic, compact JSON: sorted keys, UTF-8, no NaN."""
    return compact(lambda: data) + b"\n"


def compact(make: Callable[..., Any], *args: Any) -> bytes:
    """make(*args) as dump writes it, without the line end: a part of a larger file."""
    return json.dumps(make(*args), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")


def joined(envelope: dict[str, Any], key: str, items: list[bytes]) -> bytes:
    """dump(envelope) with `key`'s list being `items`, each already dumped: the same bytes as
    dumping the whole, but each hub's part is kept from build to build."""
    head, _, tail = dump({**envelope, key: []}).partition(f'"{key}":[]'.encode())
    listed = [b","] * (2 * len(items) - 1) if items else []  # a comma between each two items
    listed[0::2] = items
    return b"".join([head, f'"{key}":['.encode(), *listed, b"]", tail])  # one copy: hubs.json is 84 MB at 10,000 hubs


def hubs_json(catalog: Catalog, at: Callable[[str], str], hubs: list[bytes]) -> bytes:
    """/hubs.json: every public field of every hub, sorted by slug (fields listed in the README)."""
    return joined({"version": 1, "title": catalog.site.title, "url": at(urls.HOME), "as_of": catalog.today.isoformat(),
                   "translations": translated(title=catalog.site.title)}, "hubs", hubs)


def translated(**texts: str | None) -> dict[str, dict[str, str]]:
    """The texts given in several languages, by field: {'summary': {'en': ..., 'es': ...}}. A
    field's own key keeps the default language's text, so readers of one language need nothing new."""
    return {name: every for name, value in texts.items() if (every := translations(value))}


def partner_ref(partner: Any, at: Callable[[str], str]) -> dict[str, Any]:
    record = partner.record
    return {"id": partner.id, "name": record.name, "url": at(urls.partner(partner.id)), "website": record.website,
            "translations": translated(name=record.name, description=record.description)}


def hub_record(hub: HubView, at: Callable[[str], str]) -> dict[str, Any]:
    record, url = hub.record, at(urls.hub(hub.slug))
    contact = record.contact
    return {
        "slug": hub.slug,
        "url": url,
        "name": record.name,
        "status": record.status,
        "summary": record.summary,
        "description": record.description,
        "host": partner_ref(hub.host, at),
        "partners": [partner_ref(p, at) for p in hub.partners],
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
        "online_only": not hub.meets_in_person,
        "facilitators": [{"name": f.name, "bio": f.bio, "translations": translated(bio=f.bio)} for f in record.facilitators],
        "calendar_url": at(urls.hub_calendar(hub.slug)),
        "sessions": [session_record(hub, view, at) for view in hub.sessions],
        "translations": translated(name=record.name, summary=record.summary, description=record.description),
    }


def session_record(hub: HubView, view: SessionView, at: Callable[[str], str]) -> dict[str, Any]:
    session = view.session
    return {
        "slug": view.slug,
        "url": at(urls.session(hub.slug, view.slug)),
        "course": session.course,
        "course_url": session.course_url,
        "course_page": at(urls.course(view.course_slug)),
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
        "mode": session.mode,
        "online_url": session.online_url,
        "signup": session.signup,
        "signup_opens": iso(session.signup_opens),
        "signup_closes": iso(session.signup_closes),
        "join_until": iso(session.join_until),
        "signup_state": view.signup,
        "signup_state_date": iso(view.signup_date),
        "week": view.week or None,
        "weeks": view.weeks or None,
        "state": view.state,
        "next_meeting": view.next_meeting.isoformat() if view.next_meeting else None,
        "calendar_url": at(urls.session_calendar(hub.slug, view.slug)),
        "translations": translated(course=session.course),
    }


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def hubs_geojson(features: list[bytes]) -> bytes:
    """/hubs.geojson: an RFC 7946 FeatureCollection, one Point per hub ([lon, lat]), flat properties."""
    return joined({"type": "FeatureCollection"}, "features", features)


def hub_feature(hub: HubView, at: Callable[[str], str]) -> dict[str, Any]:
    record = hub.record
    coming = sorted((v.next_meeting, v.session.course) for v in hub.sessions if v.next_meeting)
    properties = {
        "slug": hub.slug,
        "name": record.name,
        "url": at(urls.hub(hub.slug)),
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
        "modes": [mode for mode in MODES if any(v.session.mode == mode for v in hub.sessions if v.state != "ended")],
        "online_only": not hub.meets_in_person,
    }
    # A hub whose every group meets online is no point on a map (RFC 7946 3.2: an unlocated feature).
    geometry = {"type": "Point", "coordinates": [hub.location.lon, hub.location.lat]} if hub.meets_in_person else None
    return {"type": "Feature", "id": hub.slug, "geometry": geometry, "properties": properties}
