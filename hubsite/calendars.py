"""iCalendar files: every hub's sessions, one file per session ("Add to calendar"), and the whole site.

Paths (relative to the site root):

- `hubs/SLUG/calendar.ics`: the hub's sessions, one recurring VEVENT each (subscribe to it);
- `hubs/SLUG/sessions/SESSION.ics`: one session alone, the target of its "Add to calendar"
  link. A sub-folder, because a course called "Calendar" would otherwise collide with the
  hub's calendar.ics. The event has the same UID as in the hub and site calendars, so
  importing it twice updates one event rather than adding a copy;
- `calendar.ics`: every session of every hub.

A session is one VEVENT: DTSTART/DTEND at its first meeting in the hub's zone (TZID plus a
matching VTIMEZONE), RRULE FREQ=WEEKLY (INTERVAL=2 when biweekly), BYDAY, WKST=MO (so
biweekly weeks are counted as `schedule.meeting_dates` counts them), UNTIL in UTC, EXDATE for
exceptions. Output is deterministic: DTSTAMP is the build date, zones are sorted, and each
VTIMEZONE covers whole years around the sessions. Text goes through the icalendar library,
which escapes commas, semicolons, backslashes and newlines; control characters, which RFC 5545
forbids in TEXT, are removed first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import cache
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, vText
from icalendar.prop import vGeo

from hubsite.catalog import Catalog, HubView, SessionView
from hubsite.schedule import first_meeting, local_end, local_start, until_utc

PRODID = "-//hubsite//Learning Hubs directory//EN"
END = b"END:VCALENDAR\r\n"
# RFC 5545 TEXT excludes CONTROL characters other than HTAB; newlines are escaped by the library.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Geo(vGeo):
    """GEO with plain decimals (at most six places): Python's repr would write 1e-05, which is not an RFC 5545 FLOAT."""

    def to_ical(self) -> str:
        return f"{decimal(self.latitude)};{decimal(self.longitude)}"


def decimal(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def clean(text: str) -> str:
    """Text as iCalendar may carry it: CRLF and CR become LF (escaped later), other controls go."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def hub_url(base_url: str, hub: HubView) -> str:
    return f"{base_url}hubs/{hub.slug}/"


def session_uid(base_url: str, hub: HubView, view: SessionView) -> str:
    """'learning-how-to-learn@example-hub.example.org': stable across builds and across the three files."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"{view.slug}@{hub.slug}.{host}"


def calendar_files(catalog: Catalog, base_url: str) -> Iterator[tuple[str, bytes]]:
    """Every .ics file of the site as (path, bytes): each event is serialised once and reused."""
    stamp = datetime.combine(catalog.today, datetime.min.time(), UTC)
    everything: list[tuple[HubView, bytes]] = []
    for hub in catalog.hubs:
        events = [(view, session_event(hub, view, base_url, stamp).to_ical()) for view in hub.sessions]
        everything += [(hub, data) for _, data in events]
        yield f"hubs/{hub.slug}/calendar.ics", assemble(hub.name, timezones([hub]), (data for _, data in events))
        for view, data in events:
            yield f"hubs/{hub.slug}/sessions/{view.slug}.ics", assemble(f"{view.session.course} · {hub.name}", timezones([hub], [view]), [data])
    yield "calendar.ics", assemble(catalog.site.title, timezones(catalog.hubs), (data for _, data in everything))


def assemble(name: str, zones: list[bytes], events: Iterable[bytes]) -> bytes:
    """One VCALENDAR: properties, then the VTIMEZONEs its events refer to, then the events."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(clean(name)))
    head = calendar.to_ical()
    assert head.endswith(END)
    parts = [head.removesuffix(END), *zones, *events, END]
    return b"".join(parts)


def timezones(hubs: Iterable[HubView], only: list[SessionView] | None = None) -> list[bytes]:
    """A VTIMEZONE per zone in use, sorted, each covering whole years around its sessions.

    A calendar must hold at least one component (RFC 5545), so a hub without sessions still
    gets its zone, covering the library's default span (1970 to 2038), and an empty site UTC.
    """
    spans: dict[str, tuple[int, int]] = {}
    idle: set[str] = set()
    for hub in hubs:
        for session in (v.session for v in (hub.sessions if only is None else only)):
            first, last = spans.get(hub.timezone, (session.starts.year, session.ends.year))
            spans[hub.timezone] = (min(first, session.starts.year), max(last, session.ends.year))
        idle.add(hub.timezone)
    zones = {tzid: spans.get(tzid, (0, 0)) for tzid in idle | set(spans)} or {"UTC": (0, 0)}
    return [zone_ical(tzid, *zones[tzid]) for tzid in sorted(zones)]


@cache
def zone_ical(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE for `tzid` from 1 January of `first_year` to 1 January after `last_year` (cached: it is slow)."""
    if first_year == 0:
        return Timezone.from_tzid(tzid).to_ical()
    return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)).to_ical()


def session_event(hub: HubView, view: SessionView, base_url: str, stamp: datetime) -> Event:
    session = view.session
    event = Event()
    event.add("uid", session_uid(base_url, hub, view))
    event.add("dtstamp", stamp)
    event.add("summary", clean(f"{session.course} · {hub.name}"))
    first = first_meeting(session) or session.starts  # validation guarantees a first meeting
    event.add("dtstart", local_start(hub.timezone, first, session))
    event.add("dtend", local_end(hub.timezone, first, session))
    event.add("rrule", recurrence(hub, view))
    if session.exceptions:
        event.add("exdate", [local_start(hub.timezone, day, session) for day in sorted(session.exceptions)])
    event.add("location", clean(", ".join((hub.name, hub.record.address.query()))))
    event["GEO"] = Geo((hub.location.lat, hub.location.lon))
    event.add("url", hub_url(base_url, hub))
    event.add("description", clean(describe(hub, view, base_url)))
    return event


def recurrence(hub: HubView, view: SessionView) -> dict[str, object]:
    session = view.session
    rule: dict[str, object] = {"freq": "weekly"}
    if session.frequency == "biweekly":
        rule["interval"] = 2
    rule["until"] = until_utc(hub.timezone, session)
    rule["byday"] = [day[:2].upper() for day in session.weekdays]
    rule["wkst"] = "MO"
    return rule


def describe(hub: HubView, view: SessionView, base_url: str) -> str:
    """The event's plain-text description: what, when, with whom, and where to read more."""
    session = view.session
    every = "Every other" if session.frequency == "biweekly" else "Every"
    days = " and ".join(day.capitalize() for day in session.weekdays)
    lines = [
        f"{session.course}: a study group at {hub.name}, {hub.record.address.city}.",
        f"{every} {days}, {session.time} local time ({hub.timezone}), {session.starts} to {session.ends}.",
    ]
    if session.facilitator:
        lines.append(f"Facilitator: {session.facilitator}")
    if session.course_url:
        lines.append(f"Course: {session.course_url}")
    if view.signup_url:
        lines.append(f"Sign up: {view.signup_url}")
    lines.append(f"Details: {hub_url(base_url, hub)}#session-{view.slug}")
    return "\n".join(lines)
