"""iCalendar files: every hub's sessions, one file per session ("Add to calendar"), and the whole site.

Paths (relative to the site root):

- `hubs/SLUG/calendar.ics`: the hub's sessions, one recurring VEVENT each (subscribe to it);
- `hubs/SLUG/sessions/SESSION.ics`: one session alone, the target of its "Add to calendar"
  link. A sub-folder, because a course called "Calendar" would otherwise collide with the
  hub's calendar.ics. The event has the same UID as in the hub and site calendars, so
  importing it twice updates one event rather than adding a copy;
- `calendar.ics`: every session of every hub;
- `countries/CC/calendar.ics` and the like (follow.py): every session of a country, city, course
  or partner, joined from the events each hub's calendar was made with.

A session is one VEVENT: DTSTART/DTEND at its first meeting in the hub's zone (TZID plus a
matching VTIMEZONE), RRULE FREQ=WEEKLY (INTERVAL=2 when biweekly), BYDAY, WKST=MO (so
biweekly weeks are counted as `schedule.meeting_dates` counts them), UNTIL in UTC, EXDATE for
exceptions. Output is deterministic: DTSTAMP is the build date, zones are sorted, and each
VTIMEZONE covers the whole years of every session in that zone on the site (the catalog's zone_spans).
VTIMEZONEs are written here from zoneinfo's exact changes (`zone_ical`), in the one shape
icalendar, libical (Evolution) and ical.js (Thunderbird, Nextcloud) read alike, and Outlook
maps to its yearly rules: each onset stated once, by a yearly weekday RRULE or its own DTSTART,
never DTSTART plus RDATE (tests/render/test_calendar_parsers.py reads them in all three).
Events and the calendar's own lines are written line for line as icalendar writes them,
because its serialiser dominated the build at scale. TEXT is escaped (backslashes,
semicolons, commas, newlines) after removing the control characters RFC 5545 forbids, and
lines are folded at 75 octets.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache, partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hubsite import urls
from hubsite.content.dates import first_meeting_day
from hubsite.directory.catalog import NO_SESSIONS, HubView, SessionView
from hubsite.directory.schedule import local_end, local_start, until_utc
from hubsite.incremental.dependencies import record_dependency
from hubsite.render.outputs import Output

if TYPE_CHECKING:
    from hubsite.render.context import Site

PRODID = "-//hubsite//Learning Hubs directory//EN"
HEAD = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n".encode()
END = b"END:VCALENDAR\r\n"
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# RFC 5545 TEXT excludes CONTROL characters other than HTAB; newlines are escaped by the library.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decimal(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def clean(text: str) -> str:
    """Text as iCalendar may carry it: CRLF and CR become LF (escaped later), other controls go."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def session_uid(base_url: str, hub: HubView, view: SessionView) -> str:
    """'learning-how-to-learn@example-hub.example.org': stable across builds and across the three files."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"{view.slug}@{hub.slug}.{host}"


def hub_calendars(site: Site, hub: HubView) -> tuple[list[Output], list[bytes]]:
    """A hub's .ics files in the site's language, and its events (serialised once) for the site calendar."""
    record_dependency(("hub", hub.slug))
    events = [session_event(site, hub, view) for view in hub.sessions]
    zones = timezones(site, [hub.timezone])
    name = site.text(hub.name)
    files = [Output(site.path(urls.hub_calendar(hub.slug)), assemble(name, zones, events))]
    for view, data in zip(hub.sessions, events, strict=True):
        title = site.words._("%(course)s · %(hub)s", course=site.text(view.session.course), hub=name)
        files.append(Output(site.path(urls.session_calendar(hub.slug, view.slug)), assemble(title, zones, [data])))
    return files, events


def site_calendar(site: Site, events: Iterable[bytes]) -> Output:
    """calendar.ics: every hub's events, in hub order."""
    zones = timezones(site, (hub.timezone for hub in site.catalog.hubs))
    return Output(site.path(urls.SITE_CALENDAR), assemble(site.text(site.catalog.site.title), zones, events))


def follow_calendar(site: Site, path: str, name: str, hubs: Iterable[HubView], events: Iterable[bytes]) -> Output:
    """The calendar of a country, city, course or partner (follow.py): its hubs' events, kept
    with each hub's own calendar and joined here, never made again; one UID per session
    whatever the calendar or language (session_uid), so a student who follows two of them sees
    one event."""
    zones = timezones(site, (hub.timezone for hub in hubs))
    return Output(site.path(path), assemble(name, zones, events))


def assemble(name: str, zones: list[bytes], events: Iterable[bytes]) -> bytes:
    """One VCALENDAR: properties, then the VTIMEZONEs its events refer to, then the events."""
    head = HEAD + (fold("X-WR-CALNAME:" + text(name)) + "\r\n").encode()
    return b"".join([head, *zones, *events, END])


def timezones(site: Site, zones: Iterable[str]) -> list[bytes]:
    """A VTIMEZONE per zone, sorted, each kept by its years (the store's `time-zones`; the code's
    fingerprint holds the zone data's version): the site calendar holds every zone, and working
    them out took a fifth of a second of every build that changed a hub. A calendar must hold at
    least one component (RFC 5545), so a site without hubs gets UTC's."""
    years = {tzid: site.catalog.zone_spans.get(tzid, NO_SESSIONS) for tzid in sorted(set(zones)) or ["UTC"]}
    return [site.build.time_zones.get((tzid, *span), partial(zone_ical, tzid, *span)) for tzid, span in years.items()]


@cache  # `serve` too: its store forgets what a build did not ask for (a build that changed no hub)
def zone_ical(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE for `tzid` from 1 January of `first_year` to 1 January after `last_year`."""
    lines = [f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n".encode()]
    lines += [observance_ical(first, rule) for first, rule in observances(zone_onsets(tzid, first_year, last_year))]
    return b"".join([*lines, b"END:VTIMEZONE\r\n"])


def observance_ical(first: Onset, rule: str) -> bytes:
    """One STANDARD or DAYLIGHT sub-component: DTSTART in the local time before the change (RFC 5545 3.6.5)."""
    kind = "DAYLIGHT" if first.daylight else "STANDARD"
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{first.local:%Y%m%dT%H%M%S}",
        *([f"RRULE:{rule}"] if rule else []),
        "TZNAME:" + text(first.name),
        "TZOFFSETFROM:" + utc_offset(first.offset_from),
        "TZOFFSETTO:" + utc_offset(first.offset_to),
        f"END:{kind}",
    ]
    return "".join(line + "\r\n" for line in lines).encode()


def utc_offset(offset: timedelta) -> str:
    """'+0530', '-0300', '+0019' (seconds only when there are some: '+001932')."""
    seconds = int(offset.total_seconds())
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{'-' if offset < timedelta(0) else '+'}{hours:02}{minutes:02}" + (f"{seconds:02}" if seconds else "")


@dataclass(frozen=True)
class Onset:
    """A moment the zone's offset, abbreviation or daylight flag changes, as a VTIMEZONE states it."""

    daylight: bool
    name: str
    offset_from: timedelta
    offset_to: timedelta
    local: datetime  # naive: the wall-clock time of the change in offset_from

    @property
    def kind(self) -> tuple[bool, str, timedelta, timedelta]:
        return (self.daylight, self.name, self.offset_from, self.offset_to)


def zone_onsets(tzid: str, first_year: int, last_year: int) -> list[Onset]:
    """The zone's state on 1 January of `first_year` (as an onset from and to its own offset),
    then every change until 1 January after `last_year`, in order."""
    tz = ZoneInfo(tzid)
    start = int(datetime(first_year, 1, 1, tzinfo=tz).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=tz).timestamp())
    return [onset(tz, start, start), *(onset(tz, moment - 1, moment) for moment in zone_changes(tz, start, end))]


def onset(tz: ZoneInfo, before: int, after: int) -> Onset:
    """The change between two POSIX seconds (the same one for the zone's state at a moment)."""
    old, new = datetime.fromtimestamp(before, tz), datetime.fromtimestamp(after, tz)
    offset_from, offset_to = old.utcoffset() or timedelta(0), new.utcoffset() or timedelta(0)
    local = datetime.fromtimestamp(after, UTC).replace(tzinfo=None) + offset_from
    return Onset(bool(new.dst()), new.tzname() or utc_offset(offset_to), offset_from, offset_to, local)


def zone_changes(tz: ZoneInfo, start: int, end: int) -> Iterable[int]:
    """The POSIX seconds in (start, end) at which the zone's state changes: compared a day apart,
    then pinned to the second. (Two changes within one day that cancel out are not seen; no zone
    has had any since zoneinfo's records begin.)"""
    moment = start
    while moment < end:
        ahead = min(moment + 86_400, end)
        if zone_state(tz, ahead) == zone_state(tz, moment):
            moment = ahead
            continue
        low, high = moment, ahead  # the state changes after low, by high
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if zone_state(tz, middle) == zone_state(tz, low) else (low, middle)
        yield high
        moment = high


def zone_state(tz: ZoneInfo, moment: int) -> tuple[timedelta | None, timedelta | None, str | None]:
    local = datetime.fromtimestamp(moment, tz)
    return local.utcoffset(), local.dst(), local.tzname()


# A yearly onset rule: (month, nth weekday of the month or -1 for the last, weekday 0 = Monday, time of day).
YearlyRule = tuple[int, int, int, time]


def observances(onsets: list[Onset]) -> list[tuple[Onset, str]]:
    """The STANDARD and DAYLIGHT sub-components, as (first onset, RRULE or ''), in time order. Each
    onset is stated once, by a DTSTART of its own or as one year of a rule: a run of onsets of the
    same kind in consecutive years on one weekday rule ('the last Sunday of March at 02:00') is one
    sub-component with RRULE FREQ=YEARLY and UNTIL its last onset, as Outlook and Google write zones;
    any other onset has its own sub-component. Never DTSTART plus RDATE: ical.js does not count
    such a DTSTART as an onset."""
    runs: list[list[Onset]] = []
    open_runs: dict[tuple[bool, str, timedelta, timedelta], tuple[list[Onset], frozenset[YearlyRule]]] = {}
    for moment in onsets:
        run, rules = open_runs.get(moment.kind, ([], frozenset()))
        shared = rules & yearly_rules(moment)
        if run and moment.local.year == run[-1].local.year + 1 and shared:
            run.append(moment)
            open_runs[moment.kind] = (run, shared)
        else:
            runs.append([moment])
            open_runs[moment.kind] = (runs[-1], yearly_rules(moment))
    return [(run[0], yearly_rrule(run, open_rule(run)) if len(run) > 1 else "") for run in runs]


def yearly_rules(moment: Onset) -> frozenset[YearlyRule]:
    """The weekday rules the onset's date fits: its nth weekday of the month (1 to 4), and -1 when it is the last."""
    day = moment.local
    nth, last = (day.day - 1) // 7 + 1, day.day + 7 > monthrange(day.year, day.month)[1]
    rules = {(day.month, n, day.weekday(), day.time()) for n in ([nth] if nth <= 4 else []) + ([-1] if last else [])}
    return frozenset(rules)


def open_rule(run: list[Onset]) -> YearlyRule:
    """The rule every onset of the run fits; 'the last' when both fit, as zones' rules usually say."""
    shared = frozenset.intersection(*map(yearly_rules, run))
    return min(shared, key=lambda rule: (rule[1] != -1, rule[1]))


def yearly_rrule(run: list[Onset], rule: YearlyRule) -> str:
    """RRULE FREQ=YEARLY for the run. UNTIL (UTC, RFC 5545) is the last onset's instant or, where
    it is later, the last onset's wall-clock time: dateutil's VTIMEZONE reader (icalendar's) takes
    UNTIL as local time and would drop that onset east of UTC. A year lies before the next one."""
    month, nth, weekday, _ = rule
    last = run[-1]
    until = max(last.local, last.local - last.offset_from)
    return f"FREQ=YEARLY;BYMONTH={month};BYDAY={nth}{WEEKDAY_CODES[weekday]};UNTIL={until:%Y%m%dT%H%M%SZ}"


def session_event(site: Site, hub: HubView, view: SessionView) -> bytes:
    """One VEVENT, serialised here rather than through icalendar's Event: its per-line folding
    costs ~0.4 ms an event, most of a 10,000-hub build's calendar time. The lines, their order
    and their folding are those icalendar writes (tests read every file back with icalendar).
    Its times are the same in every language: worked out once (`event_times`)."""
    session = view.session
    name = site.text(hub.name)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + text(site.words._("%(course)s · %(hub)s", course=site.text(session.course), hub=name)),
        *event_times(site, hub, view),
        "DESCRIPTION:" + text(describe(site, hub, view)),
        *event_place(site, hub, view),
        "URL:" + site.absolute(urls.hub(hub.slug)),
        "END:VEVENT",
    ]
    return "".join(fold(line) + "\r\n" for line in lines).encode()


def event_place(site: Site, hub: HubView, view: SessionView) -> list[str]:
    """GEO and LOCATION: the hub's point and address for a group that meets there; for one that
    meets online only, no point (it is near no one) and the call's link, or the word, as its place."""
    session = view.session
    if session.mode == "online":
        return ["LOCATION:" + text(session.online_url or site.words.pgettext("how a group meets", "Online"))]
    return [f"GEO:{decimal(hub.location.lat)};{decimal(hub.location.lon)}", "LOCATION:" + text(", ".join((site.text(hub.name), hub.record.address.query())))]


def event_times(site: Site, hub: HubView, view: SessionView) -> list[str]:
    """DTSTART to EXDATE: when the session meets, the same in every language's calendars (kept
    in `site.event_times`, which every language's Site shares)."""
    key = (hub.slug, view.slug)
    if key not in site.event_times:
        session, zone = view.session, hub.timezone
        first = first_meeting_day(session) or session.starts  # validation guarantees a first meeting
        stamp = datetime.combine(site.catalog.today, datetime.min.time(), UTC)
        lines = [
            "DTSTART" + local_time(local_start(zone, first, session)),
            "DTEND" + local_time(local_end(zone, first, session)),
            "DTSTAMP:" + utc_time(stamp),
            "UID:" + text(session_uid(site.base_url, hub, view)),
            "RRULE:" + recurrence(hub, view),
        ]
        if session.exceptions:
            days = [local_start(zone, day, session) for day in sorted(session.exceptions)]
            lines.append("EXDATE" + local_time(days[0]).split(":")[0] + ":" + ",".join(local_time(d).split(":")[1] for d in days))
        site.event_times[key] = [fold(line) for line in lines]
    return site.event_times[key]


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): controls removed, then backslash, semicolon, comma and newline escaped."""
    return clean(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line as icalendar does: lines of at most 74 octets, continuations after
    CRLF + space, never splitting a character or a backslash escape."""
    if len(line) < 19 or len(line.encode()) < 75:  # 19: no character is longer than 4 octets
        return line
    if line.isascii():
        return fold_ascii(line)
    return fold_utf8(line.encode())


def fold_utf8(octets: bytes) -> str:
    """fold() for a line with characters of several octets, cut in its UTF-8 form: each part as
    many whole characters as fit in 74 octets (a cut never lands on a continuation octet), one
    fewer when that would split an escape. (Walked a character at a time, folding was the render
    stage's largest cost of its own at 1,000 hubs.)"""
    chunks = []
    start = 0
    while len(octets) - start > 74:
        end = start + 74
        while octets[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if end - start > 1 and octets[end - 1] in b"\\^":
            end -= 1
        chunks.append(octets[start:end].decode())
        start = end
    chunks.append(octets[start:].decode())
    return "\r\n ".join(chunks)


def fold_ascii(line: str) -> str:
    """fold() for one-octet characters: 74 at a time, one less when that would split an escape."""
    chunks = []
    start = 0
    while len(line) - start > 74:
        end = start + 74
        if line[end - 1] in "\\^":
            end -= 1
        chunks.append(line[start:end])
        start = end
    chunks.append(line[start:])
    return "\r\n ".join(chunks)


def local_time(moment: datetime) -> str:
    """';TZID=Europe/Prague:20270310T180000', or ':20270310T180000Z' in UTC, as DTSTART/DTEND/EXDATE carry it."""
    if moment.utcoffset() == timedelta(0) and str(moment.tzinfo) in ("UTC", "Etc/UTC"):
        return ":" + utc_time(moment)
    return f";TZID={moment.tzinfo}:{moment:%Y%m%dT%H%M%S}"


def utc_time(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def recurrence(hub: HubView, view: SessionView) -> str:
    session = view.session
    interval = ";INTERVAL=2" if session.frequency == "biweekly" else ""
    days = ",".join(day[:2].upper() for day in session.weekdays)
    return f"FREQ=WEEKLY;UNTIL={utc_time(until_utc(hub.timezone, session))}{interval};BYDAY={days};WKST=MO"


def describe(site: Site, hub: HubView, view: SessionView) -> str:
    """The event's plain-text description, in the site's language: what, when, with whom, and where to read more."""
    session, fmt, _ = view.session, site.formats, site.words._
    days = fmt.every(session.weekdays, session.frequency == "biweekly")
    lines = [
        _("%(course)s: a study group at %(hub)s, %(city)s.", course=site.text(session.course), hub=site.text(hub.name), city=hub.record.address.city),
        _("%(days)s, %(time)s %(zone)s, %(dates)s.", days=days, time=fmt.time_range(session.time), zone=fmt.zone(hub.timezone), dates=fmt.date_range(session.starts, session.ends)),
    ]
    said = site.session_text(view, hub)
    if said.online:
        lines.append(said.online)
    if session.online_url:
        lines.append(_("Video call: %(url)s", url=session.online_url))
    lines += [line for line in (said.signup, said.progress) if line]
    if session.facilitator:
        lines.append(_("Facilitator: %(name)s", name=session.facilitator))
    if session.course_url:
        lines.append(_("Course: %(url)s", url=session.course_url))
    if view.signup_url:
        lines.append(_("Sign up: %(url)s", url=view.signup_url))
    lines.append(_("Details: %(url)s", url=site.absolute(urls.session(hub.slug, view.slug))))
    return "\n".join(lines)
