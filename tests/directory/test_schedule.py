"""Meeting dates, next meeting, states and zone labels: the arithmetic, its validation, and what pages show."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest
from conftest import HUB_YAML, ROOT, TODAY, check_content, parse_html, run_main, scratch_content, visible_text
from sites import KYIV, SANTIAGO, build, session_yaml
from sites import scheduled_hub as hub_yaml

from hubsite.content.dates import meeting_dates, next_meeting, session_state
from hubsite.content.records import Session
from hubsite.directory.schedule import SHARED_ABBREVIATIONS, coming_instants, until_utc, zone_label, zone_labels, zone_periods


def session(**fields: object) -> Session:
    base: dict[str, object] = {"course": "A course", "starts": "2026-03-03", "ends": "2026-04-28", "day": "tuesday", "time": "18:00-20:00"}
    return Session.model_validate({**base, **fields})


# --- the arithmetic --------------------------------------------------------------------------


def test_weekly_dates_skip_exceptions() -> None:
    s = session(exceptions=["2026-03-17"], ends="2026-03-31")
    assert list(meeting_dates(s)) == [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 24), date(2026, 3, 31)]


def test_biweekly_with_two_days_counts_from_the_first_meetings_week() -> None:
    s = session(starts="2026-01-15", ends="2026-02-12", day=None, days=["tuesday", "thursday"], frequency="biweekly")
    assert list(meeting_dates(s)) == [date(2026, 1, 15), date(2026, 1, 27), date(2026, 1, 29), date(2026, 2, 10), date(2026, 2, 12)]


@pytest.mark.parametrize(
    ("today", "expected_next", "state"),
    [
        (date(2026, 2, 1), date(2026, 3, 3), "upcoming"),
        (date(2026, 3, 3), date(2026, 3, 3), "current"),  # the meeting day itself
        (date(2026, 3, 4), date(2026, 3, 10), "current"),
        (date(2026, 3, 16), date(2026, 3, 24), "current"),  # 17 March is an exception
        (date(2026, 4, 28), date(2026, 4, 28), "current"),  # the last day
        (date(2026, 4, 29), None, "ended"),
    ],
)
def test_next_meeting_and_state(today: date, expected_next: date | None, state: str) -> None:
    s = session(exceptions=["2026-03-17"])
    assert next_meeting(s, today) == expected_next
    assert session_state(s, today) == state


def test_a_session_whose_last_meeting_is_cancelled_ends_early() -> None:
    s = session(exceptions=["2026-04-28"])
    assert session_state(s, date(2026, 4, 22)) == "ended"


@pytest.mark.parametrize(
    ("zone", "day", "label"),
    [
        ("Europe/Prague", date(2026, 1, 13), "CET, UTC+01:00"),
        ("Europe/Prague", date(2026, 7, 14), "CEST, UTC+02:00"),
        ("America/Santiago", date(2026, 1, 13), "UTC-03:00"),  # no letters in the tz database: offset only
        ("America/Santiago", date(2026, 7, 14), "UTC-04:00"),
        ("Asia/Kolkata", date(2026, 7, 14), "UTC+05:30"),  # "IST" is Ireland's and Israel's too
        ("Asia/Manila", date(2026, 7, 14), "UTC+08:00"),  # "PST" is Los Angeles' too
        ("America/Los_Angeles", date(2026, 1, 13), "UTC-08:00"),
        ("America/New_York", date(2026, 3, 10), "EDT, UTC-04:00"),
        ("UTC", date(2026, 3, 10), "UTC"),
        ("Africa/Abidjan", date(2026, 3, 10), "GMT, UTC"),
    ],
)
def test_zone_labels_follow_daylight_saving(zone: str, day: date, label: str) -> None:
    assert zone_label(zone, day, session()) == label


def test_the_abbreviations_a_label_leaves_out_are_those_the_tz_database_shares() -> None:
    """Every abbreviation that stands for two UTC offsets in 2026 somewhere in the tz database, and
    no other: when tzdata changes, this fails and SHARED_ABBREVIATIONS is brought up to date."""
    offsets: dict[str, set] = {}
    for zone in sorted(available_timezones()):
        for month in (1, 7):
            moment = datetime(2026, month, 15, 12, tzinfo=ZoneInfo(zone))
            offsets.setdefault(moment.tzname(), set()).add(moment.utcoffset())
    assert {name for name, seen in offsets.items() if len(seen) > 1} == SHARED_ABBREVIATIONS


def test_no_label_of_the_bundled_hubs_stands_for_two_offsets() -> None:
    """Over two years of days, each part of a label of the bundled hubs' zones means one UTC offset:
    Pacific and Philippine time no longer both read "PST"."""
    zones = {line.split(":", 1)[1].strip() for path in (ROOT / "content/hubs").glob("*.yaml")
             for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("timezone:")}
    meanings: dict[str, set] = {}
    for zone in sorted(zones):
        for day in (date(2026, 1, 1) + timedelta(days=n) for n in range(730)):
            moment = datetime(day.year, day.month, day.day, 18, tzinfo=ZoneInfo(zone))
            for part in zone_label(zone, day, session()).split(", "):  # the letters, and the offset
                meanings.setdefault(part, set()).add(moment.utcoffset())
    assert len(zones) >= 20
    assert {label: seen for label, seen in meanings.items() if len(seen) > 1} == {}


def test_zone_periods_split_at_the_dst_change() -> None:
    periods = zone_periods("Europe/Prague", session())
    assert [(p.label, p.first, p.last) for p in periods] == [
        ("CET, UTC+01:00", date(2026, 3, 3), date(2026, 3, 24)),
        ("CEST, UTC+02:00", date(2026, 3, 31), date(2026, 4, 28)),
    ]
    assert zone_labels("Europe/Prague", session()) == ("CET, UTC+01:00", "CEST, UTC+02:00")
    assert len(zone_periods("Asia/Kolkata", session())) == 1


def test_coming_instants_are_utc_and_capped() -> None:
    s = session()
    instants, more = coming_instants("Europe/Prague", s, date(2026, 3, 24))
    assert instants == ("2026-03-24T17:00Z", "2026-03-31T16:00Z", "2026-04-07T16:00Z", "2026-04-14T16:00Z", "2026-04-21T16:00Z", "2026-04-28T16:00Z")
    assert not more
    assert coming_instants("Europe/Prague", s, date(2026, 3, 24), limit=2) == (("2026-03-24T17:00Z", "2026-03-31T16:00Z"), True)
    assert coming_instants("Europe/Prague", s, None) == ((), False)


def test_until_is_the_end_of_the_last_local_day_in_utc() -> None:
    assert until_utc("Europe/Prague", session()).isoformat() == "2026-04-28T21:59:59+00:00"
    assert until_utc("America/Santiago", session()).isoformat() == "2026-04-29T03:59:59+00:00"


# --- validation: sessions that can never meet as written ---------------------------------------


def session_errors(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in HUB_YAML
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": HUB_YAML.replace(old, new)})
    assert result.code == 1, result.err
    return [line for line in result.lines if "nothing was written" not in line]


@pytest.mark.parametrize(
    ("exceptions", "expected"),
    [
        ("[2026-01-20]", "/content/hubs/example-hub.yaml:24:18: sessions[0].exceptions[0]: 2026-01-20 is not a meeting date: this session meets every other week, starting 2026-01-13"),
        ("[2026-01-27, 2026-01-27]", "/content/hubs/example-hub.yaml:24:30: sessions[0].exceptions[1]: 2026-01-27 is listed twice"),
    ],
)
def test_exceptions_must_be_meeting_dates(tmp_path: Path, exceptions: str, expected: str) -> None:
    errors = session_errors(tmp_path, "    capacity: 20\n", f"    capacity: 20\n    exceptions: {exceptions}\n    frequency: biweekly\n")
    assert errors[0].endswith(expected)


def test_every_meeting_cancelled_is_an_error(tmp_path: Path) -> None:
    errors = session_errors(tmp_path, "ends: 2026-03-17", "ends: 2026-01-20\n    exceptions: [2026-01-13, 2026-01-20]")
    assert errors[0].endswith("/content/hubs/example-hub.yaml:19:17: sessions[0].exceptions: every meeting date is listed as an exception: the session never meets")


def test_a_session_over_ten_years_is_a_typo(tmp_path: Path) -> None:
    errors = session_errors(tmp_path, "ends: 2026-03-17", "ends: 2062-03-17")
    assert errors[0].endswith("/content/hubs/example-hub.yaml:18:11: sessions[0].ends: ends (2062-03-17) is more than ten years after starts (2026-01-13); check the year")


def test_session_without_its_weekday_in_range(tmp_path: Path) -> None:
    errors = session_errors(tmp_path, "ends: 2026-03-17\n    day: tuesday", "ends: 2026-01-18\n    day: monday")
    assert errors[0].endswith("/content/hubs/example-hub.yaml:19:10: sessions[0].day: no monday between starts (2026-01-13) and ends (2026-01-18): the session never meets")


# --- what the pages show ----------------------------------------------------------------------


def when_text(site: Path, slug: str = "hub") -> str:
    doc = parse_html(site / f"hubs/{slug}/index.html")
    return " | ".join(" ".join(cell.text_content().split()) for cell in doc.xpath("//div[@class='when']"))


def test_pages_show_dst_aware_labels_and_the_next_meeting(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(extra="exceptions: [2026-03-17]"))}, today="2026-03-11")
    text = when_text(site)
    assert "Tuesday, 6:00 – 8:00 PM CET, UTC+01:00 until Mar 24; CEST, UTC+02:00 from Mar 31" in text
    assert "Next: Tuesday, March 24, 2026" in text  # 17 March is an exception
    course = visible_text(site / "courses/learning-how-to-learn/index.html")
    assert "CET, UTC+01:00 until Mar 24; CEST, UTC+02:00 from Mar 31" in course and "Next: Tuesday, March 24, 2026" in course


def test_a_clock_change_that_is_past_is_not_told(tmp_path: Path) -> None:
    later = build(tmp_path / "later", {"hub": hub_yaml(session_yaml())}, today="2026-04-01")
    text = when_text(later)
    assert "Tuesday, 6:00 – 8:00 PM CEST, UTC+02:00 Next: Tuesday, April 7, 2026" in text
    assert "CET" not in text.replace("CEST", "") and "until" not in text


def test_past_dates_without_a_meeting_are_not_listed(tmp_path: Path) -> None:
    hub = {"hub": hub_yaml(session_yaml(extra="exceptions: [2026-03-17, 2026-04-14]"))}
    before = visible_text(build(tmp_path / "before", hub, today="2026-03-11") / "hubs/hub/index.html")
    after = visible_text(build(tmp_path / "after", hub, today="2026-03-20") / "hubs/hub/index.html")
    assert "No meeting on Mar 17 and Apr 14" in before
    assert "No meeting on Apr 14" in after and "Mar 17" not in after


def test_southern_hemisphere_labels(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(), place=SANTIAGO)})
    assert "UTC-03:00 until Mar 31; UTC-04:00 from Apr 7" in when_text(site)


def test_script_data_starts_at_the_next_meeting(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(), session_yaml("Old", starts="2025-01-07", ends="2025-01-28"), place=KYIV)}, today="2026-04-20")
    doc = parse_html(site / "hubs/hub/index.html")
    (current,) = doc.xpath("//div[@class='when']")  # a past group is a line of its own, with nothing for the script
    assert current.get("data-meetings") == "2026-04-21T15:00Z 2026-04-28T15:00Z"
    assert (current.get("data-zone"), current.get("data-city"), current.get("data-time"), current.get("data-minutes")) == ("Europe/Kyiv", "Kyiv", "18:00", "120")
    (ended,) = doc.xpath("//section[@class='past-groups']//li")
    assert ended.get("id") == "session-old" and not ended.xpath(".//a")
    assert len(doc.xpath("//script[contains(@src, 'js/times.')][@defer]")) == 1


def test_a_hub_whose_sessions_all_ended_shows_no_current_sessions(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml())}, today="2026-05-01")
    page = visible_text(site / "hubs/hub/index.html")
    assert "No current sessions." in page and "Past groups" in page and "No meeting planned" in page
    assert parse_html(site / "hubs/hub/index.html").xpath("//section[@class='past-groups']//li[@id='session-learning-how-to-learn']")
    assert "Next:" not in page and "Add to calendar" not in page
    assert "No group meets here at the moment." in visible_text(site / "index.html")


def test_upcoming_sessions_are_listed_as_starting_soon(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml())}, today="2026-02-01")
    doc = parse_html(site / "hubs/hub/index.html")
    assert doc.xpath("//h3[.='Starting soon']/following-sibling::ul[1]/li[@id='session-learning-how-to-learn']")
    assert "Next: Tuesday, March 3, 2026" in visible_text(site / "hubs/hub/index.html")


def test_the_zone_is_named_as_people_name_it(tmp_path: Path) -> None:
    """By its country where the country has one zone, by its city where it has several; the IANA
    name is for the data, not for students, and whether it was derived is the maintainer's business."""
    derived = hub_yaml(session_yaml()).replace("timezone: Europe/Prague\n", "")
    page = visible_text(build(tmp_path / "prague", {"hub": derived}) / "hubs/hub/index.html")
    assert "Times are Czechia time, where the hub is." in page
    assert "Europe/Prague" not in page and "derived" not in page
    new_york = {"city": "New York", "country": "US", "zone": "America/New_York", "lat": 40.7128, "lon": -74.006}
    page = visible_text(build(tmp_path / "ny", {"hub": hub_yaml(session_yaml(), place=new_york)}) / "hubs/hub/index.html")
    assert "Times are New York time, where the hub is." in page and "America/New_York" not in page


# --- stale details -------------------------------------------------------------------------------


def test_stale_hub_is_a_warning_and_a_notice(tmp_path: Path) -> None:
    hub = HUB_YAML.replace("summary: Weekly study groups.", "summary: Weekly study groups.\nlast_verified: 2024-06-30")
    content = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": hub})
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 0
    assert result.lines[0].endswith("/content/hubs/example-hub.yaml:10:16: warning: last_verified: details may be out of date: last confirmed 2024-06-30, over 365 days ago")
    assert result.lines[1:] == ["1 warning in 1 file"]
    assert run_main("check", "--content", str(content), "--today", TODAY, "--strict").code == 1
    out = tmp_path / "site"
    assert run_main("build", "--content", str(content), "--out", str(out), "--today", TODAY).code == 0
    assert "Details may be out of date — last confirmed Sunday, June 30, 2024." in visible_text(out / "hubs/example-hub/index.html")


def test_stale_after_days_is_configurable(tmp_path: Path) -> None:
    hub = HUB_YAML.replace("summary: Weekly study groups.", "summary: Weekly study groups.\nlast_verified: 2025-12-01")
    fresh = scratch_content(tmp_path / "fresh", {"hubs/example-hub.yaml": hub})
    assert run_main("check", "--content", str(fresh), "--today", TODAY).err == ""
    site_yaml = (fresh / "site.yaml").read_text() + "stale_after_days: 30\n"
    strict = scratch_content(tmp_path / "strict", {"hubs/example-hub.yaml": hub, "site.yaml": site_yaml})
    result = run_main("check", "--content", str(strict), "--today", TODAY)
    assert "last confirmed 2025-12-01, over 30 days ago" in result.err
