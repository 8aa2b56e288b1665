"""What a page says about a session, as strings made here rather than in the templates (the
schedule macro was most of a hub page's rendering time): its days and local time, the zone as
people name it, the clock's label from the build's date on, its dates, the coming dates without
a meeting, the next meeting. Templates keep to `if` and `for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hubsite.content.records import Session
from hubsite.directory.catalog import HubView, SessionView
from hubsite.render.formats import Formats


@dataclass(frozen=True)
class SessionText:
    view: SessionView
    days: str  # "Tuesday and Thursday", or "Every other Tuesday"
    time: str  # "6:00 – 8:00 PM"
    zone: str  # "New York time"
    clock: str  # "EST, UTC-05:00", or, while a change is ahead, "EDT, UTC-04:00 until Oct 29; EST, UTC-05:00 from Nov 5"
    dates: str  # "Jan 13 – Mar 17, 2026"
    skipped: str  # "No meeting on Dec 24, Dec 31" (dates still to come), or ""
    next: str  # "Thursday, December 3, 2026", or ""
    language: str
    signup_url: str | None

    @property
    def session(self) -> Session:
        return self.view.session


def session_text(view: SessionView, hub: HubView, fmt: Formats, today: date) -> SessionText:
    session = view.session
    days = fmt.weekdays(session.weekdays)
    if session.frequency == "biweekly":
        days = fmt._("Every other %(days)s", days=days)
    coming_skips = [day for day in sorted(session.exceptions) if day >= today]
    skipped = fmt._("No meeting on %(dates)s", dates=fmt.list([fmt.day_month(day) for day in coming_skips])) if coming_skips else ""
    return SessionText(
        view=view,
        days=days,
        time=fmt.time_range(session.time),
        zone=fmt.zone(hub.timezone),
        clock=clock_text(view, fmt, today),
        dates=fmt.date_range(session.starts, session.ends),
        skipped=skipped,
        next=fmt.date(view.next_meeting) if view.next_meeting else "",
        language=fmt.language(session.language) if session.language else "",
        signup_url=view.signup_url,
    )


def clock_text(view: SessionView, fmt: Formats, today: date) -> str:
    """The zone's label (abbreviation and UTC offset) for the meetings still to come: one label, or
    each one with its dates while a daylight-saving change is ahead. A change that is past is not told."""
    periods = [period for period in view.zone_periods if period.last >= today] or list(view.zone_periods[-1:])
    if len(periods) <= 1:
        return periods[0].label if periods else (view.zone_labels[0] if view.zone_labels else "")
    parts = []
    for number, period in enumerate(periods):
        if number == 0:
            parts.append(fmt._("%(zone)s until %(date)s", zone=period.label, date=fmt.day_month(period.last)))
        else:
            parts.append(fmt._("%(zone)s from %(date)s", zone=period.label, date=fmt.day_month(period.first)))
    return "; ".join(parts)
