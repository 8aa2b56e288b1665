"""A session's meetings in the hub's own time: start and end moments, zone labels and UTC
offsets across daylight-saving changes, and the UTC instants the visitor-time script reads.

Which dates a session meets on is content/dates.py's one rule; here each date gets its wall-clock
`time` at the hub, always through `zoneinfo` for the date concerned, so the pages and the .ics
files follow every daylight-saving change the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from hubsite.content.dates import meeting_dates
from hubsite.content.records import Session

# How many coming meetings a page lists for the visitor-time script: a year of weekly meetings.
MAX_LISTED = 53


@dataclass(frozen=True)
class ZonePeriod:
    """A run of meeting dates that share one zone label (a new run starts at each DST change)."""

    label: str
    first: date
    last: date


def local_start(zone: str, day: date, session: Session) -> datetime:
    """The meeting's start on `day` as an aware datetime in the hub's zone."""
    return datetime.combine(day, session.time.start, ZoneInfo(zone))


def local_end(zone: str, day: date, session: Session) -> datetime:
    return datetime.combine(day, session.time.end, ZoneInfo(zone))


@cache
def offset_text(offset: timedelta | None) -> str:
    """'UTC+01:00' for a UTC offset ('UTC' when it is zero)."""
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_label(zone: str, day: date, session: Session) -> str:
    """'CET, UTC+01:00' for the session's start time on `day` in `zone` ('UTC-03:00' when the zone has no letters)."""
    return label_at(zone, day, session.time.start)


@lru_cache(maxsize=8192)
def label_at(zone: str, day: date, start: time) -> str:
    """Cached: zone_labels and zone_periods ask for the same dates of each session."""
    moment = datetime.combine(day, start, ZoneInfo(zone))
    return label_for(moment.tzname() or "", moment.utcoffset())


@cache
def label_for(name: str, offset: timedelta | None) -> str:
    utc = offset_text(offset)
    return utc if name.startswith(("+", "-")) or name == "UTC" else f"{name}, {utc}"


def zone_labels(zone: str, session: Session, dates: Iterable[date] | None = None) -> tuple[str, ...]:
    """The distinct zone labels over the session's dates: two when it spans a DST change."""
    labels: list[str] = []
    for day in (session.starts, *(meeting_dates(session) if dates is None else dates), session.ends):
        label = zone_label(zone, day, session)
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def zone_periods(zone: str, session: Session, dates: Iterable[date] | None = None) -> tuple[ZonePeriod, ...]:
    """The session's meeting dates split where the zone label changes, e.g. CET to 24 Mar, CEST from 31 Mar."""
    periods: list[ZonePeriod] = []
    for day in meeting_dates(session) if dates is None else dates:
        label = zone_label(zone, day, session)
        if periods and periods[-1].label == label:
            periods[-1] = ZonePeriod(label, periods[-1].first, day)
        else:
            periods.append(ZonePeriod(label, day, day))
    return tuple(periods)


def utc_stamp(moment: datetime) -> str:
    """'2026-02-03T16:00Z': an ECMAScript-parsable UTC instant, minutes precision."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def coming_instants(zone: str, session: Session, since: date | None, limit: int = MAX_LISTED, dates: Iterable[date] | None = None) -> tuple[tuple[str, ...], bool]:
    """UTC start instants of the meetings from `since` on (at most `limit`), and whether more follow.

    The page lists them so a script can pick the next meeting by the visitor's clock; the list
    starts at the build's next meeting, so the page's own text is right until that one is over.
    """
    if since is None:
        return (), False
    found: list[str] = []
    for day in meeting_dates(session) if dates is None else dates:
        if day < since:
            continue
        if len(found) == limit:
            return tuple(found), True
        found.append(utc_stamp(local_start(zone, day, session)))
    return tuple(found), False


def duration_minutes(session: Session) -> int:
    """Length of one meeting in minutes (wall clock; a meeting never spans midnight)."""
    start, end = session.time
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def until_utc(zone: str, session: Session) -> datetime:
    """The RRULE UNTIL: the end of the last local day, in UTC (RFC 5545 wants UTC when DTSTART has a TZID)."""
    last_moment = datetime.combine(session.ends, time(23, 59, 59), ZoneInfo(zone))
    return last_moment.astimezone(UTC)
