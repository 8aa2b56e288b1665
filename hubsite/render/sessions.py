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
from hubsite.render.labels import MODES_SAID, SIGNUPS_SAID


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
    mode: str  # "In person", "Online", "In person and online"
    online: str  # "Online, by video call: the link comes after sign-up", or "" in person
    signup: str  # "Open for sign-up until Jan 10", "Sign-up opens on Dec 1", "Full", ...
    progress: str  # a group under way: "Week 4 of 10 · you can still join until Mar 14", else ""
    capacity: str  # "Up to 25 learners" (how many the group takes, not how many places are left), or ""

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
        mode=fmt.pgettext(*MODES_SAID[session.mode]),
        online=online_text(view, fmt),
        signup=signup_text(view, fmt, today),
        progress=progress_text(view, fmt, today),
        capacity=fmt.ngettext("Up to %(num)d learner", "Up to %(num)d learners", session.capacity) if session.capacity else "",
    )


def when_text(day: date, fmt: Formats, today: date) -> str:
    """'Mar 14', or with its year when it is not this year's: 'Jan 10, 2027'."""
    return fmt.day_month(day) if day.year == today.year else fmt.short_date(day)


def online_text(view: SessionView, fmt: Formats) -> str:
    """Where an online or hybrid group meets online: the call's link is the template's to show;
    without one, the words say when a student gets it."""
    session = view.session
    if session.mode == "in-person":
        return ""
    if session.online_url:
        return fmt._("By video call") if session.mode == "online" else fmt._("At the hub, and by video call")
    if session.mode == "online":
        return fmt._("By video call: the link comes after sign-up")
    return fmt._("At the hub, and by video call: the link comes after sign-up")


def signup_text(view: SessionView, fmt: Formats, today: date) -> str:
    """The sign-up state as a student reads it (directory/schedule.py signup_state's one rule)."""
    state, day = view.signup, view.signup_date
    if state == "opens" and day:
        return fmt._("Sign-up opens on %(date)s", date=when_text(day, fmt, today))
    if state == "open" and day and view.state != "current":
        return fmt._("Open for sign-up until %(date)s", date=when_text(day, fmt, today))
    if state == "waitlist":
        return fmt._("Full: you can join the waiting list")
    if state == "full":
        return fmt._("Full: no places left")
    return fmt.pgettext(*SIGNUPS_SAID[state])


def progress_text(view: SessionView, fmt: Formats, today: date) -> str:
    """A group under way: which week of how many, and whether a newcomer may still join (and until when)."""
    if view.state != "current" or not view.weeks:
        return ""
    if view.signup == "open" and view.signup_date:
        # Translators: a group under way; %(num)d is how many weeks the course runs, %(week)d the week it is in.
        return fmt.ngettext("Week %(week)d of %(num)d · you can still join until %(date)s", "Week %(week)d of %(num)d · you can still join until %(date)s",
                            view.weeks, week=view.week, date=when_text(view.signup_date, fmt, today))
    if view.signup == "open":
        return fmt.ngettext("Week %(week)d of %(num)d · you can still join", "Week %(week)d of %(num)d · you can still join", view.weeks, week=view.week)
    return fmt.ngettext("Week %(week)d of %(num)d", "Week %(week)d of %(num)d", view.weeks, week=view.week)


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
