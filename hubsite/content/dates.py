"""When a session meets: the one rule for weekly and every-other-week meetings.

Shared by validation (an exception must fall on a meeting date; a session must meet at least
once), the catalog (next meeting, current/upcoming/ended) and the calendars (the first
meeting), so pages, checks and .ics files can never disagree. Pure date arithmetic on the
record's own dates: time zones come later (directory/schedule.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Literal, Protocol

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

State = Literal["current", "upcoming", "ended"]


class Pattern(Protocol):
    """What the rule reads of a session record."""

    starts: date
    ends: date
    frequency: str
    exceptions: list[date]

    @property
    def weekdays(self) -> tuple[str, ...]: ...


def pattern_key(session: Pattern) -> tuple:
    """Everything the rule reads of a session, as a key of plain numbers and strings: two sessions
    with the same key meet on the same dates."""
    return session.starts.toordinal(), session.ends.toordinal(), session.frequency, tuple(day.toordinal() for day in session.exceptions), session.weekdays


def first_meeting_day(session: Pattern) -> date | None:
    """The first date on or after `starts` that falls on a meeting weekday, or None if none comes before `ends`."""
    weekdays = session.weekdays  # worked out by the record on every read
    days = (session.starts + timedelta(days=offset) for offset in range(7))
    return next((day for day in days if day <= session.ends and WEEKDAYS[day.weekday()] in weekdays), None)


def pattern_dates(session: Pattern) -> Iterator[date]:
    """Every date the pattern meets on, exceptions not taken out; every other week counts weeks
    from the first meeting's week (Monday to Sunday, as the calendars' WKST=MO)."""
    first = first_meeting_day(session)
    if first is None:
        return
    offsets = sorted({WEEKDAYS.index(day) for day in session.weekdays})
    step = 14 if session.frequency == "biweekly" else 7
    start, end = first.toordinal(), session.ends.toordinal()  # day numbers: a build counts millions of them
    week = start - first.weekday()
    while week <= end:
        for offset in offsets:
            if start <= week + offset <= end:
                yield date.fromordinal(week + offset)
        week += step


def meeting_dates(session: Pattern) -> Iterator[date]:
    """Every meeting date, in order: the pattern without the exceptions."""
    skipped = set(session.exceptions)
    for day in pattern_dates(session):
        if day not in skipped:
            yield day


def next_meeting(session: Pattern, today: date, dates: Iterable[date] | None = None) -> date | None:
    """The first meeting on or after `today`, or None when none is left (`dates`: the
    session's meeting_dates when the caller already has them)."""
    if today > session.ends:
        return None
    return next((day for day in (meeting_dates(session) if dates is None else dates) if day >= today), None)


def session_state(session: Pattern, today: date, dates: Iterable[date] | None = None) -> State:
    if session.starts > today:
        return "upcoming"
    if next_meeting(session, today, dates) is None:
        return "ended"
    return "current"
