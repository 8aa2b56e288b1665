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
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from hubsite.content.dates import WEEKDAYS, State, meeting_dates, next_meeting, pattern_key, session_state
from hubsite.content.records import Session

# How many coming meetings a page lists for the visitor-time script: a year of weekly meetings.
MAX_LISTED = 53
# The zone abbreviations that stand for more than one UTC offset in the tz database: 'PST' is
# UTC-08:00 in Los Angeles and UTC+08:00 in Manila, 'CST' Chicago's, Shanghai's and Havana's, 'IST'
# India's, Ireland's and Israel's. A label never says them: a reader could not tell which is meant.
# A constant, not a walk over every zone per build (a second); tests/directory/test_schedule.py
# walks them and fails when the tz database changes this set.
SHARED_ABBREVIATIONS = frozenset({"CDT", "CST", "IST", "PST"})


class ZonePeriod(NamedTuple):
    """A run of meeting dates that share one zone label (a new run starts at each DST change)."""

    label: str
    first: date
    last: date


# Whether a student can sign up, as they read it: sign-up opens later ('opens'), 'open', 'waitlist'
# (full, names taken for a free place), 'full' or 'closed'.
SignUp = Literal["opens", "open", "waitlist", "full", "closed"]


# A meeting whose start or end the clocks skip or repeat: (date, 'start' or 'end', 'HH:MM', 'gap' or 'fold').
Clash = tuple[date, str, str, str]


class KeptFacts(NamedTuple):
    """SessionFacts as the store keeps them (`SessionFacts.kept`): dates as ordinals (0: none), the
    meetings as one string. What needs no decoding is read from here as it is."""

    state: State
    coming: int
    minutes: int
    zone_labels: tuple[str, ...]
    zone_periods: tuple[tuple[str, int, int], ...]
    meetings: str
    more_meetings: bool
    clashes: tuple[tuple[int, str, str, str], ...]
    signup: SignUp
    signup_day: int
    week: int
    weeks: int


@dataclass(frozen=True)
class SessionFacts:
    """What a session's record, its hub's zone and the build's date make of it, worked out in one
    pass over its meeting dates, once per build (and kept for the next: catalog.build_sessions), for the
    catalog's checks and every page and calendar that shows the session."""

    state: State
    next_meeting: date | None
    minutes: int
    zone_labels: tuple[str, ...]
    zone_periods: tuple[ZonePeriod, ...]
    meetings: tuple[str, ...]  # UTC instants from the next meeting on, for the visitor-time script
    more_meetings: bool  # more meetings follow the listed ones
    clashes: tuple[Clash, ...]
    signup: SignUp
    signup_date: date | None  # 'opens': the day it opens; 'open': the last day to sign up or join, when there is one
    week: int  # a group under way: the course's week today (1 for the first meeting's week) ...
    weeks: int  # ... of this many (calendar weeks from the first meeting's to the last one's)

    def kept(self) -> tuple:
        """The facts as plain numbers and strings, as the store keeps them: tens of thousands load
        in a fraction of the time their objects take."""
        periods = tuple((p.label, p.first.toordinal(), p.last.toordinal()) for p in self.zone_periods)
        clashes = tuple((day.toordinal(), *rest) for day, *rest in self.clashes)
        coming = self.next_meeting.toordinal() if self.next_meeting else 0
        signup_day = self.signup_date.toordinal() if self.signup_date else 0
        return (self.state, coming, self.minutes, self.zone_labels, periods, " ".join(self.meetings), self.more_meetings, clashes,
                self.signup, signup_day, self.week, self.weeks)

    @classmethod
    def from_kept(cls, kept: tuple) -> SessionFacts:
        state, coming, minutes, labels, periods, meetings, more, clashes, signup, signup_day, week, weeks = kept
        return cls(
            state=state,
            next_meeting=date.fromordinal(coming) if coming else None,
            minutes=minutes,
            zone_labels=labels,
            zone_periods=tuple(ZonePeriod(label, date.fromordinal(first), date.fromordinal(last)) for label, first, last in periods),
            meetings=tuple(meetings.split()),
            more_meetings=more,
            clashes=tuple((date.fromordinal(day), *rest) for day, *rest in clashes),
            signup=signup,
            signup_date=date.fromordinal(signup_day) if signup_day else None,
            week=week,
            weeks=weeks,
        )


def facts_key(zone: str, session: Session, today: date) -> tuple:
    """Every input of `session_facts`, as plain numbers and strings: the dates rule's, the meeting's
    times, the sign-up's state and dates, the zone and the date."""
    signup = session.signup, *(day.toordinal() if day else 0 for day in (session.signup_opens, session.signup_closes, session.join_until))
    return zone, *pattern_key(session), session.time.start_minutes, session.time.end_minutes, *signup, today.toordinal()


def session_facts(zone: str, session: Session, today: date) -> SessionFacts:
    dates = tuple(meeting_dates(session))
    coming = next_meeting(session, today, dates)
    meetings, more = coming_instants(zone, session, coming, dates=dates)
    state = session_state(session, today, dates)
    signup, signup_date = signup_state(session, today, state)
    week, weeks = course_week(dates, today) if state == "current" else (0, 0)
    return SessionFacts(
        signup=signup,
        signup_date=signup_date,
        week=week,
        weeks=weeks,
        state=state,
        next_meeting=coming,
        minutes=duration_minutes(session),
        zone_labels=zone_labels(zone, session, dates),
        zone_periods=zone_periods(zone, session, dates),
        meetings=meetings,
        more_meetings=more,
        clashes=clock_change_clashes(zone, session, dates),
    )


def signup_state(session: Session, today: date, state: State) -> tuple[SignUp, date | None]:
    """The one rule of whether a student can sign up, as of `today`, and the date that goes with
    it: before signup_opens it opens on that day; after signup_closes, or once a group under way is
    past join_until (or has ended), it is closed; else the record's full or waitlist; else open,
    until the earlier of signup_closes and join_until when either is given."""
    if state == "ended" or session.signup == "closed":
        return "closed", None
    if session.signup_opens and today < session.signup_opens:
        return "opens", session.signup_opens
    if any(day and today > day for day in (session.signup_closes, session.join_until)):
        return "closed", None
    if session.signup in ("full", "waitlist"):
        return session.signup, None
    last = [day for day in (session.signup_closes, session.join_until) if day]
    return "open", min(last) if last else None


def course_week(dates: tuple[date, ...], today: date) -> tuple[int, int]:
    """A group under way: the week of the course `today` falls in, and how many weeks it runs,
    counted in calendar weeks (Monday to Sunday) from the first meeting's week to the last one's."""
    first = dates[0] - timedelta(days=dates[0].weekday())
    return (today - first).days // 7 + 1, (dates[-1] - first).days // 7 + 1


def local_start(zone: str, day: date, session: Session) -> datetime:
    """The meeting's start on `day` as an aware datetime in the hub's zone."""
    return datetime.combine(day, session.time.start, ZoneInfo(zone))


def local_end(zone: str, day: date, session: Session) -> datetime:
    end_day = day + timedelta(days=1) if session.time.midnight else day  # 24:00 is the next day's 00:00
    return datetime.combine(end_day, session.time.end, ZoneInfo(zone))


@cache
def offset_text(offset: timedelta | None) -> str:
    """'UTC+01:00' for a UTC offset ('UTC' when it is zero)."""
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_label(zone: str, day: date, session: Session) -> str:
    """'CET, UTC+01:00' for the session's start time on `day` in `zone`; the offset alone ('UTC+08:00')
    when the zone has no letters, or letters another zone uses for another offset (Manila's and
    Los Angeles' 'PST', India's, Ireland's and Israel's 'IST')."""
    return label_at(zone, day, session.time.start)


@lru_cache(maxsize=8192)
def label_at(zone: str, day: date, start: time) -> str:
    """Cached: zone_labels and zone_periods ask for the same dates of each session."""
    moment = datetime.combine(day, start, ZoneInfo(zone))
    return label_for(moment.tzname() or "", moment.utcoffset())


@cache
def label_for(name: str, offset: timedelta | None) -> str:
    utc = offset_text(offset)
    if name.startswith(("+", "-")) or name == "UTC" or name in SHARED_ABBREVIATIONS:
        return utc
    return f"{name}, {utc}"


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
    """Length of one meeting in minutes (wall clock; a meeting ends by 24:00 of its day)."""
    return session.time.end_minutes - session.time.start_minutes


def until_utc(zone: str, session: Session) -> datetime:
    """The RRULE UNTIL: the end of the last local day, in UTC (RFC 5545 wants UTC when DTSTART has a TZID)."""
    last_moment = datetime.combine(session.ends, time(23, 59, 59), ZoneInfo(zone))
    return last_moment.astimezone(UTC)


@cache
def year_offsets(zone: str, year: int) -> tuple[int, ...]:
    """The zone's UTC offset in minutes at noon UTC on every day of `year`: a zone's whole behaviour."""
    tz, noon = ZoneInfo(zone), datetime(year, 1, 1, 12, tzinfo=UTC)
    return tuple(int((noon + timedelta(days=d)).astimezone(tz).utcoffset().total_seconds() // 60) for d in range(365))  # type: ignore[union-attr]


@lru_cache(maxsize=4096)
def clock_changes(zone: str, year: int) -> tuple[date, ...]:
    """The local dates around which the zone's clocks change in `year` (both days of each change:
    the offset is sampled at noon UTC, and the change may fall on either local side of it)."""
    offsets = year_offsets(zone, year)
    first = date(year, 1, 1)
    changed = [first + timedelta(days=d) for d in range(1, len(offsets)) if offsets[d] != offsets[d - 1]]
    return tuple(sorted({day + timedelta(days=shift) for day in changed for shift in (-1, 0)}))


def wall_clock(zone: str, day: date, moment: time) -> str | None:
    """'gap' when the time does not exist on that day (the clocks jump over it), 'fold' when it
    happens twice (they go back over it), else None."""
    tz = ZoneInfo(zone)
    naive = datetime.combine(day, moment)
    early, late = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return None
    return "gap" if early.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive else "fold"


def clock_change_clashes(zone: str, session: Session, dates: Iterable[date]) -> tuple[Clash, ...]:
    """Each meeting (of `dates`, the session's) whose start or end falls where the clocks change.
    Rare: only the days of a change on a meeting weekday are looked at closely."""
    weekdays = session.weekdays
    days = [day for year in range(session.starts.year, session.ends.year + 1) for day in clock_changes(zone, year)
            if session.starts <= day <= session.ends and WEEKDAYS[day.weekday()] in weekdays]
    if not days:
        return ()
    meetings = set(dates)
    moments = [("start", session.time.start)] + ([] if session.time.midnight else [("end", session.time.end)])
    return tuple((day, which, f"{moment:%H:%M}", kind) for day in days if day in meetings
                 for which, moment in moments if (kind := wall_clock(zone, day, moment)))
