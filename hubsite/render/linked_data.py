"""schema.org JSON-LD for hub pages: the place (address, geo, host) and each session as a
CourseInstance with its weekly schedule, embedded by partials/meta.html with `|tojson`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hubsite import urls
from hubsite.content.dates import WEEKDAYS
from hubsite.content.records import Address, Session
from hubsite.directory.catalog import HubView, SessionView

SCHEMA_DAYS = {day: f"https://schema.org/{day.capitalize()}" for day in WEEKDAYS}


def hub_structured_data(hub: HubView, url: str, say: Callable[[str | None], str]) -> dict[str, Any]:
    """A hub page's schema.org data, in the page's language (`say` gives a content text in it):
    the place (with address and geo) and each session as a CourseInstance (an Event) with its
    weekly schedule. Rendered with `|tojson`, which escapes `<`, `>` and `&`, so no text can
    close the <script> element."""
    record, contact = hub.record, hub.record.contact
    place = f"{url}#hub"
    data = {
        "@context": "https://schema.org",
        "@type": ["EducationalOrganization", "Place"],
        "@id": place,
        "name": say(record.name),
        "url": url,
        "description": say(record.summary),
        "address": postal_address(record.address),
        "geo": {"@type": "GeoCoordinates", "latitude": hub.location.lat, "longitude": hub.location.lon},
        "email": contact.email if contact else None,
        "telephone": contact.phone if contact else None,
        "sameAs": contact.url if contact else None,
        "parentOrganization": {"@type": "Organization", "name": say(hub.host.record.name), "url": hub.host.record.website},
        "event": [course_instance(hub, view, url, place, say(view.session.course)) for view in hub.sessions],
    }
    return without_empty(data)


def postal_address(address: Address) -> dict[str, Any]:
    street = ", ".join(line for line in (address.line1, address.line2) if line)
    return {"@type": "PostalAddress", "streetAddress": street, "addressLocality": address.city, "addressRegion": address.region,
            "postalCode": address.postal_code, "addressCountry": address.country}


def course_instance(hub: HubView, view: SessionView, url: str, place: str, course: str) -> dict[str, Any]:
    session = view.session
    schedule = {
        "@type": "Schedule",
        "repeatFrequency": "P1W" if session.frequency == "weekly" else "P2W",
        "byDay": [SCHEMA_DAYS[day] for day in session.weekdays],
        "startDate": session.starts.isoformat(),
        "endDate": session.ends.isoformat(),
        "startTime": f"{session.time.start:%H:%M}",
        "endTime": session.time.end_text,
        "scheduleTimezone": hub.timezone,
        "exceptDate": sorted(day.isoformat() for day in session.exceptions),
    }
    return {
        "@type": "CourseInstance",
        "name": course,
        "url": url + "#" + urls.session_anchor(view.slug),
        "about": {"@type": "Course", "name": course, "url": session.course_url},
        "courseMode": COURSE_MODES[session.mode],
        "eventAttendanceMode": ATTENDANCE_MODES[session.mode],
        "startDate": session.starts.isoformat(),
        "endDate": session.ends.isoformat(),
        "location": event_location(session, place, url + "#" + urls.session_anchor(view.slug)),
        "offers": offer(view),
        "inLanguage": session.language,
        "instructor": {"@type": "Person", "name": session.facilitator} if session.facilitator else None,
        "maximumAttendeeCapacity": session.capacity,
        "courseSchedule": schedule,
    }


# How each mode reads to schema.org: the course is taken online in every case ("blended" with the
# weekly meeting); the event is attended in person, online, or both.
COURSE_MODES = {"in-person": "blended", "online": "online", "hybrid": "blended"}
ATTENDANCE_MODES = {mode: f"https://schema.org/{kind}EventAttendanceMode" for mode, kind in (("in-person", "Offline"), ("online", "Online"), ("hybrid", "Mixed"))}
# The sign-up state (directory/schedule.py signup_state) as an Offer's availability.
AVAILABILITY = {state: f"https://schema.org/{kind}" for state, kind in
                (("open", "InStock"), ("opens", "PreOrder"), ("waitlist", "LimitedAvailability"), ("full", "SoldOut"), ("closed", "Discontinued"))}


def event_location(session: Session, place: str, page: str) -> Any:
    """The hub for a group that meets there; a VirtualLocation for one that meets online (its call's
    link, or the group's row on the page, where the link after sign-up is explained); both for hybrid."""
    virtual = {"@type": "VirtualLocation", "url": session.online_url or page}
    if session.mode == "online":
        return virtual
    return [{"@id": place}, virtual] if session.mode == "hybrid" else {"@id": place}


def offer(view: SessionView) -> dict[str, Any]:
    """Whether a student can sign up, as an Offer: its availability, and from and until when."""
    session = view.session
    until = min((day for day in (session.signup_closes, session.join_until) if day), default=None)
    return {
        "@type": "Offer",
        "url": view.signup_url,
        "availability": AVAILABILITY[view.signup],
        "validFrom": session.signup_opens.isoformat() if session.signup_opens else None,
        "validThrough": until.isoformat() if until else None,
    }


def without_empty(value: Any) -> Any:
    """Drop None and empty lists/objects, recursively: absent facts are left out, not null."""
    if isinstance(value, dict):
        cleaned = {key: without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, [], {}, "")}
    if isinstance(value, list):
        return [without_empty(item) for item in value]
    return value
