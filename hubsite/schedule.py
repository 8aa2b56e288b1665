"""Meeting dates of a session and what they mean on a given day, in the hub's own time.

Pure date arithmetic, shared by the catalog (next meeting, current/upcoming/ended) and the
calendar export, so the pages and the .ics files can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hubsite.models import WEEKDAYS, Session

State = Literal["current", "upcoming", "ended"]


def first_meeting(session: Session) -> date | None:
    """The first date on or after `starts` that falls on a meeting weekday (exceptions ignored)."""
    wanted = {WEEKDAYS.index(day) for day in session.weekdays}
    for offset in range(7):
        day = session.starts + timedelta(days=offset)
        if day > session.ends:
            return None
        if day.weekday() in wanted:
            return day
    return None


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


def next_meeting(session: Session, today: date) -> date | None:
    """The first meeting on or after `today`, or None when none is left."""
    if today > session.ends:
        return None
    return next((day for day in meeting_dates(session) if day >= today), None)


def session_state(session: Session, today: date) -> State:
    if session.starts > today:
        return "upcoming"
    if next_meeting(session, today) is None:
        return "ended"
    return "current"


def zone_label(zone: str, day: date, session: Session) -> str:
    """'CET, UTC+01:00' for the session's start time on `day` in `zone`."""
    moment = datetime.combine(day, session.time.start, ZoneInfo(zone))
    offset = moment.strftime("%z")
    name = moment.tzname() or ""
    utc = f"UTC{offset[:3]}:{offset[3:]}" if offset not in ("+0000", "") else "UTC"
    return utc if name.startswith(("+", "-")) or name == "UTC" else f"{name}, {utc}"


def zone_labels(zone: str, session: Session) -> tuple[str, ...]:
    """The distinct zone labels over the session's dates: two when it spans a DST change."""
    labels: list[str] = []
    for day in (session.starts, *meeting_dates(session), session.ends):
        label = zone_label(zone, day, session)
        if label not in labels:
            labels.append(label)
    return tuple(labels)
