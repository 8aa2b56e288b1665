"""The directory as open data: `/hubs.json` (every public field of every hub, documented in the
README) and `/hubs.geojson` (RFC 7946 points for map tools). Sorted, compact, no clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from hubsite import urls
from hubsite.directory.catalog import Catalog, HubView, SessionView
from hubsite.render.outputs import Output


def open_data(catalog: Catalog, base_url: str) -> Iterator[Output]:
    yield Output(urls.output_file(urls.HUBS_JSON), hubs_json(catalog, base_url))
    yield Output(urls.output_file(urls.HUBS_GEOJSON), hubs_geojson(catalog, base_url))


def dump(data: Any) -> bytes:
    """Deterministic, compact JSON: sorted keys, UTF-8, no NaN."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def hubs_json(catalog: Catalog, base_url: str) -> bytes:
    """/hubs.json: every public field of every hub, sorted by slug (fields listed in the README)."""
    hubs = [hub_record(hub, base_url) for hub in sorted(catalog.hubs, key=lambda h: h.slug)]
    return dump({"version": 1, "title": catalog.site.title, "url": base_url, "as_of": catalog.today.isoformat(), "hubs": hubs})


def partner_ref(partner: Any, base_url: str) -> dict[str, Any]:
    return {"id": partner.id, "name": partner.record.name, "url": urls.absolute(base_url, urls.partner(partner.id)), "website": partner.record.website}


def hub_record(hub: HubView, base_url: str) -> dict[str, Any]:
    record, url = hub.record, urls.absolute(base_url, urls.hub(hub.slug))
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
        "calendar_url": urls.absolute(base_url, urls.hub_calendar(hub.slug)),
        "sessions": [session_record(hub, view, base_url) for view in hub.sessions],
    }


def session_record(hub: HubView, view: SessionView, base_url: str) -> dict[str, Any]:
    session = view.session
    return {
        "slug": view.slug,
        "url": urls.absolute(base_url, urls.session(hub.slug, view.slug)),
        "course": session.course,
        "course_url": session.course_url,
        "course_page": urls.absolute(base_url, urls.course(view.course_slug)),
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
        "calendar_url": urls.absolute(base_url, urls.session_calendar(hub.slug, view.slug)),
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
        "url": urls.absolute(base_url, urls.hub(hub.slug)),
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
