"""A session's mode, online link and sign-up fields: each mistake is one positioned line in our
words, and the sign-up state a student reads is one rule (directory/schedule.py signup_state)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import check_content
from sites import scheduled_hub, session_yaml, validator

from hubsite.content.records import Session
from hubsite.directory.schedule import course_week, signup_state

STARTS, ENDS = "2026-03-03", "2026-04-28"


def problems_of(tmp_path: Path, extra: str) -> list[str]:
    hub = scheduled_hub(session_yaml(starts=STARTS, ends=ENDS, extra=extra))
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hub})
    return [line for line in result.lines if "example-hub.yaml:" in line]


@pytest.mark.parametrize(("extra", "field", "message"), [
    ("mode: virtual", "mode", "'virtual' is not one of: in-person, online, hybrid; did you mean 'online'?"),
    ("mode: in person", "mode", "'in person' is not one of: in-person, online, hybrid; did you mean 'in-person'?"),
    ("signup: waiting list", "signup", "'waiting list' is not one of: open, full, waitlist, closed; did you mean 'waitlist'?"),
    ("mode: online\nonline_url: http://meet.example.org/x", "online_url",
     "'http://meet.example.org/x' is not a secure link: a video call's link starts with https:// (it often carries the passcode); write it with https://"),
    ("mode: online\nonline_url: javascript:alert(1)", "online_url", "'javascript:alert(1)' is not a video call's link: write the address learners open, starting with https://"),
    ("mode: online\nonline_url: mailto:a@example.org", "online_url", "'mailto:a@example.org' is not a video call's link: write the address learners open, starting with https://"),
    ("mode: hybrid\nonline_url: meet.example.org/room", "online_url", "'meet.example.org/room' is not a link: write it with https:// in front, like https://meet.example.org/room"),
    ("online_url: https://meet.example.org/x", "online_url",
     "an in-person group has no video call: remove online_url, or set mode: online (or hybrid) if the group also meets by video call"),
    ("signup_opens: 2026-03-10\nsignup_closes: 2026-03-01", "signup_closes",
     "signup_closes (2026-03-01) is before signup_opens (2026-03-10): sign-up must open before it closes; check the year and the month"),
    ("signup_closes: 2026-05-01", "signup_closes", "signup_closes (2026-05-01) is after the group's last meeting (2026-04-28): sign-up closes on the last date at the latest"),
    ("signup_opens: 2027-03-01", "signup_opens", "signup_opens (2027-03-01) is after the group's last meeting (2026-04-28): check the year and the month"),
    ("join_until: 2026-03-01", "join_until",
     "join_until (2026-03-01) is outside the group's dates (2026-03-03 to 2026-04-28): give the last date a newcomer may join, between them"),
    ("join_until: 2026-02-30", "join_until", "'2026-02-30' is not a real date: check the day and the month (YYYY-MM-DD)"),
])
def test_a_mistake_is_one_positioned_line(tmp_path: Path, extra: str, field: str, message: str) -> None:
    lines = problems_of(tmp_path, extra)
    assert len(lines) == 1, lines
    line = lines[0]
    key_line = 13 + next(number for number, text in enumerate(extra.splitlines()) if text.startswith(field + ":"))
    assert f"example-hub.yaml:{key_line}:" in line, line
    assert line.endswith(f"sessions[0].{field}: {message}"), line


def test_good_values_pass_and_the_schema_agrees(tmp_path: Path) -> None:
    extra = "mode: hybrid\nonline_url: https://127.0.0.1:8443/room;pwd=1\nsignup: waitlist\nsignup_opens: 2026-02-01\nsignup_closes: 2026-03-10\njoin_until: 2026-03-17"
    assert problems_of(tmp_path, extra) == []
    record = {"course": "X", "starts": STARTS, "ends": ENDS, "day": "tuesday", "time": "18:00-20:00", "mode": "online", "online_url": "https://meet.example.org/a"}
    hub = {"name": "H", "host": "h", "address": {"city": "C", "country": "KE"}, "sessions": [record]}
    assert not list(validator("hub").iter_errors(hub))
    for wrong in ({"mode": "in-person"}, {"mode": "online", "online_url": "http://meet.example.org/a"}, {"mode": "remote"}):
        assert list(validator("hub").iter_errors({**hub, "sessions": [{**record, **wrong}]})), wrong
    assert list(validator("hub").iter_errors({**hub, "sessions": [{k: v for k, v in record.items() if k != "mode"}]}))  # in person by default


def session(**fields: object) -> Session:
    return Session.model_validate({"course": "X", "starts": "2026-03-03", "ends": "2026-05-05", "day": "tuesday", "time": "18:00-20:00", **fields})


@pytest.mark.parametrize(("fields", "today", "state", "expected"), [
    ({}, "2026-02-01", "upcoming", ("open", None)),
    ({"signup_opens": "2026-02-10", "signup_closes": "2026-03-01"}, "2026-02-01", "upcoming", ("opens", date(2026, 2, 10))),
    ({"signup_opens": "2026-02-10", "signup_closes": "2026-03-01"}, "2026-02-10", "upcoming", ("open", date(2026, 3, 1))),
    ({"signup_closes": "2026-03-01"}, "2026-03-02", "upcoming", ("closed", None)),
    ({"join_until": "2026-03-24"}, "2026-03-17", "current", ("open", date(2026, 3, 24))),
    ({"join_until": "2026-03-24", "signup_closes": "2026-03-20"}, "2026-03-17", "current", ("open", date(2026, 3, 20))),
    ({"join_until": "2026-03-24"}, "2026-03-25", "current", ("closed", None)),
    ({"signup": "full", "join_until": "2026-03-24"}, "2026-03-17", "current", ("full", None)),
    ({"signup": "waitlist"}, "2026-03-17", "current", ("waitlist", None)),
    ({"signup": "full", "signup_opens": "2026-02-10"}, "2026-02-01", "upcoming", ("opens", date(2026, 2, 10))),
    ({"signup": "closed", "signup_opens": "2026-02-10"}, "2026-02-01", "upcoming", ("closed", None)),
    ({}, "2026-06-01", "ended", ("closed", None)),
])
def test_the_signup_rule(fields: dict, today: str, state: str, expected: tuple) -> None:
    assert signup_state(session(**fields), date.fromisoformat(today), state) == expected  # type: ignore[arg-type]


def test_the_course_week_counts_calendar_weeks_from_the_first_meeting() -> None:
    dates = (date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 24), date(2026, 5, 5))  # a Tuesday to a Tuesday, ten weeks
    assert course_week(dates, date(2026, 3, 3)) == (1, 10)
    assert course_week(dates, date(2026, 3, 8)) == (1, 10)  # the Sunday of the first week
    assert course_week(dates, date(2026, 3, 25)) == (4, 10)
    assert course_week(dates, date(2026, 5, 5)) == (10, 10)
