"""Meeting dates of a session and what they mean on a given day, in the hub's own time.

Pure date arithmetic, shared by the catalog (next meeting, current/upcoming/ended, zone labels,
the instants the visitor-time script reads) and the calendar export, so the pages and the .ics
files can never disagree. A session's `time` is wall-clock time at the hub: every conversion
goes through `zoneinfo` for the date concerned, so daylight-saving changes are followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from hubsite.content.records import WEEKDAYS, Session, first_meeting_day

State = Literal["current", "upcoming", "ended"]

# How many coming meetings a page lists for the visitor-time script: a year of weekly meetings.
MAX_LISTED = 53


@dataclass(frozen=True)
class ZonePeriod:
    """A run of meeting dates that share one zone label (a new run starts at each DST change)."""

    label: str
    first: date
    last: date


def first_meeting(session: Session) -> date | None:
    """The first date on or after `starts` that falls on a meeting weekday (exceptions ignored)."""
    return first_meeting_day(session)


def meeting_dates(session: Session) -> Iterator[date]:
    """Every meeting date, in order; biweekly counts weeks from the first meeting's week."""
    first = first_meeting(session)
    if first is None:
        return
    wanted = {WEEKDAYS.index(day) for day in session.weekdays}
    skipped = set(session.exceptions)
    step = 2 if session.frequency == "biweekly" else 1
    week = first - timedelta(days=first.weekday())
    while week <= session.ends:
        for offset in range(7):
            day = week + timedelta(days=offset)
            if first <= day <= session.ends and offset in wanted and day not in skipped:
                yield day
        week += timedelta(weeks=step)


def next_meeting(session: Session, today: date, dates: Iterable[date] | None = None) -> date | None:
    """The first meeting on or after `today`, or None when none is left (`dates`: the
    session's meeting_dates when the caller already has them)."""
    if today > session.ends:
        return None
    return next((day for day in (meeting_dates(session) if dates is None else dates) if day >= today), None)


def session_state(session: Session, today: date, dates: Iterable[date] | None = None) -> State:
    if session.starts > today:
        return "upcoming"
    if next_meeting(session, today, dates) is None:
        return "ended"
    return "current"


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
