"""Links that add a session to the calendar a student already uses, beside its .ics file: Google
Calendar's and Outlook's "new event" forms, filled in from the URL's query.

Neither service documents these links; what they read is what they have read for years, as
collected in InteractionDesignFoundation/add-event-to-calendar-docs (services/google.md,
services/outlook-web.md) and used by datebook and add-to-calendar-button:

- Google: `https://calendar.google.com/calendar/render?action=TEMPLATE` with `text`, `dates`
  (`START/END` as `YYYYMMDDTHHMMSS`: without a `Z`, wall-clock times in the zone `ctz` names, an
  IANA name), `ctz`, `recur` (RFC 5545 lines: here one `RRULE:`; EXDATE is not read there, so the
  dates without a meeting are said in words beside the link), `details` and `location`. The rule
  is the .ics file's own (`calendars.recurrence`): weekly or every other week, UNTIL in UTC.
- Outlook: `https://outlook.live.com/calendar/0/action/compose` with `rru=addevent`, `subject`,
  `startdt` and `enddt` (ISO 8601 in UTC, with `Z`), `location` and `body`. It carries no rule:
  the link adds one meeting, the next one, and the page says so.

Every value is made from parsed parts (the record's texts, the session's dates, the hub's zone)
and percent-encoded whole (`quote`, nothing safe), so a line break, `&`, `#` or `=` in a hub's
name stays inside its parameter. Line breaks are turned into spaces in one-line fields, controls
are removed, and each text is cut to a length every browser and both services accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from hubsite.content.dates import first_meeting_day
from hubsite.directory.catalog import HubView, SessionView
from hubsite.directory.schedule import local_end, local_start
from hubsite.render.calendars import clean, describe, recurrence

if TYPE_CHECKING:
    from hubsite.render.context import Site

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/action/compose"
# UTF-8 octets kept of each text: percent-encoded (three characters an octet), a link stays under
# 6,000 characters, which browsers, proxies and both services accept, whatever the script.
TITLE_LIMIT, LOCATION_LIMIT, DETAILS_LIMIT = 300, 300, 1200


@dataclass(frozen=True)
class SessionLinks:
    """A session's links to other calendars, and what the page says beside them."""

    google: str
    outlook: str | None  # None: no meeting is left to add
    outlook_day: date | None  # the one meeting Outlook's link adds
    skips: bool  # the session has dates without a meeting, which Google's link cannot carry


def session_links(site: Site, hub: HubView, view: SessionView) -> SessionLinks:
    title = event_title(site, hub, view)
    location = one_line(", ".join((site.text(hub.name), hub.record.address.query())), LOCATION_LIMIT)
    details = event_details(site, hub, view)
    day = view.next_meeting
    outlook = outlook_link(hub, view, day, title, location, details) if day else None
    return SessionLinks(google_link(hub, view, title, location, details), outlook, day, bool(view.session.exceptions))


def event_title(site: Site, hub: HubView, view: SessionView) -> str:
    """The event's title, as the .ics files' SUMMARY says it."""
    return one_line(site.words._("%(course)s · %(hub)s", course=site.text(view.session.course), hub=site.text(hub.name)), TITLE_LIMIT)


def event_details(site: Site, hub: HubView, view: SessionView) -> str:
    """The .ics files' DESCRIPTION, cut to fit a link; its last line, the page's address, kept whole."""
    *lines, address = clean(describe(site, hub, view)).split("\n")
    return cut("\n".join(lines), DETAILS_LIMIT - len(address.encode()) - 1) + "\n" + address


def google_link(hub: HubView, view: SessionView, title: str, location: str, details: str) -> str:
    """The first meeting, in the hub's zone, repeated as the .ics file's RRULE says."""
    session = view.session
    first = first_meeting_day(session) or session.starts
    start, end = local_start(hub.timezone, first, session), local_end(hub.timezone, first, session)
    dates = f"{start:%Y%m%dT%H%M%S}/{end:%Y%m%dT%H%M%S}"
    query = {"action": "TEMPLATE", "text": title, "dates": dates, "ctz": hub.timezone, "recur": "RRULE:" + recurrence(hub, view), "details": details, "location": location}
    return GOOGLE + "?" + encoded(query)


def outlook_link(hub: HubView, view: SessionView, day: date, title: str, location: str, details: str) -> str:
    """One meeting, on `day`, in UTC."""
    session = view.session
    start, end = local_start(hub.timezone, day, session), local_end(hub.timezone, day, session)
    query = {"rru": "addevent", "subject": title, "startdt": utc_stamp(start), "enddt": utc_stamp(end), "location": location, "body": details}
    return OUTLOOK + "?" + encoded(query)


def utc_stamp(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def encoded(query: dict[str, str]) -> str:
    """The query, every character but letters, digits and '-._~' percent-encoded (spaces as %20,
    which both services read; '+' would be read as a plus sign by some)."""
    return urlencode(query, quote_via=quote, safe="")


def one_line(text: str, limit: int) -> str:
    """A text for a one-line field: controls removed, line breaks as spaces, cut to `limit`."""
    return cut(" ".join(clean(text).split("\n")), limit)


def cut(text: str, limit: int) -> str:
    """`text`, or as many of its first characters as fit in `limit` UTF-8 octets with an ellipsis."""
    octets = text.encode()
    if len(octets) <= limit:
        return text
    return octets[: max(0, limit - 3)].decode(errors="ignore").rstrip() + "…"
