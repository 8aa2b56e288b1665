"""The .ics files, read back by an independent reader (recurring_ical_events over icalendar).

Occurrences are checked across daylight-saving changes in a northern (Europe/Prague) and a
southern (America/Santiago) hemisphere zone and in a zone without DST (Asia/Kolkata): the
local wall-clock time stays 18:00 while the UTC instant moves. Each check runs twice: once
with the zone resolved by name, once with the TZID renamed so only our VTIMEZONE can define it.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from conftest import ROOT, TODAY, build_site_in_a_process, run_main, scratch_content, visible_text
from sites import KOLKATA, KYIV, PRAGUE, SANTIAGO, build, session_yaml
from sites import scheduled_hub as hub_yaml


def expand(ics: bytes, start: date = date(2025, 1, 1), end: date = date(2028, 1, 1)) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics)
    return sorted(recurring_ical_events.of(calendar).between(start, end), key=lambda e: (str(e["UID"]), e["DTSTART"].dt))


def expand_both(ics: bytes, zone: str) -> list[list[icalendar.Event]]:
    """Expand as written, and with the TZID renamed so the reader must use our VTIMEZONE.

    The new name is unique per zone and file: icalendar keeps VTIMEZONE definitions by TZID,
    process-wide, and a zone's definition covers the years of the site's sessions.
    """
    alias = f"Hubsite-Test-{zone.replace('/', '-')}-{hashlib.sha256(ics).hexdigest()[:12]}".encode()
    renamed = ics.replace(zone.encode(), alias)
    assert b"TZID:" + alias in renamed
    return [expand(ics), expand(renamed)]


def utc(event: icalendar.Event) -> datetime:
    return event["DTSTART"].dt.astimezone(UTC)


# --- daylight saving, exceptions, spacing -------------------------------------------------

DST_CASES = [
    # place, last meeting before the change, first after, UTC start before and after
    (PRAGUE, date(2026, 3, 24), date(2026, 3, 31), time(17, 0), time(16, 0)),
    (SANTIAGO, date(2026, 3, 31), date(2026, 4, 7), time(21, 0), time(22, 0)),
    (KOLKATA, date(2026, 3, 24), date(2026, 3, 31), time(12, 30), time(12, 30)),
]


@pytest.mark.parametrize(("place", "before", "after", "utc_before", "utc_after"), DST_CASES, ids=lambda v: v["zone"] if isinstance(v, dict) else None)
def test_local_time_stays_put_across_dst(tmp_path: Path, place: dict, before: date, after: date, utc_before: time, utc_after: time) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(starts="2026-03-03", ends="2026-04-28"), place=place)})
    for events in expand_both((site / "hubs/hub/calendar.ics").read_bytes(), place["zone"]):
        assert [e["DTSTART"].dt.date() for e in events] == [date(2026, 3, 3) + (date(2026, 3, 10) - date(2026, 3, 3)) * n for n in range(9)]
        for event in events:
            local = event["DTSTART"].dt.astimezone(ZoneInfo(place["zone"]))
            assert (local.hour, local.minute) == (18, 0)
            assert event["DTEND"].dt - event["DTSTART"].dt == datetime(1, 1, 1, 20) - datetime(1, 1, 1, 18)
        by_day = {e["DTSTART"].dt.date(): utc(e) for e in events}
        assert by_day[before].time() == utc_before
        assert by_day[after].time() == utc_after


def test_exceptions_are_skipped_even_after_a_dst_change(tmp_path: Path) -> None:
    # 3 March is the first meeting (DTSTART itself) and 31 March is in summer time.
    session = session_yaml(extra="exceptions: [2026-03-31, 2026-03-03, 2026-04-14]")
    site = build(tmp_path, {"hub": hub_yaml(session)})
    for events in expand_both((site / "hubs/hub/calendar.ics").read_bytes(), "Europe/Prague"):
        days = [e["DTSTART"].dt.date() for e in events]
        assert days == [date(2026, 3, 10), date(2026, 3, 17), date(2026, 3, 24), date(2026, 4, 7), date(2026, 4, 21), date(2026, 4, 28)]
    text = (site / "hubs/hub/calendar.ics").read_bytes().decode()
    assert "EXDATE;TZID=Europe/Prague:20260303T180000,20260331T180000,20260414T180000\r\n" in text


def test_biweekly_counts_weeks_from_the_first_meeting(tmp_path: Path) -> None:
    # Starts on a Thursday: that week's Tuesday is before the start, then every other week.
    session = session_yaml(starts="2026-01-15", ends="2026-03-12", when="days: [thursday, tuesday]", extra="frequency: biweekly")
    site = build(tmp_path, {"hub": hub_yaml(session)})
    expected = [date(2026, 1, 15), date(2026, 1, 27), date(2026, 1, 29), date(2026, 2, 10), date(2026, 2, 12),
                date(2026, 2, 24), date(2026, 2, 26), date(2026, 3, 10), date(2026, 3, 12)]
    for events in expand_both((site / "hubs/hub/calendar.ics").read_bytes(), "Europe/Prague"):
        assert [e["DTSTART"].dt.date() for e in events] == expected
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260312T225959Z;INTERVAL=2;BYDAY=TU,TH;WKST=MO\r\n" in (site / "hubs/hub/calendar.ics").read_bytes().decode()


def test_single_day_session_and_until_is_inclusive(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(starts="2026-03-31", ends="2026-03-31"), session_yaml("Second", starts="2026-03-03", ends="2026-03-17"))})
    events = expand((site / "hubs/hub/calendar.ics").read_bytes())
    assert [(str(e["SUMMARY"]).split(" · ")[0], e["DTSTART"].dt.date()) for e in events] == [
        ("Learning How to Learn", date(2026, 3, 31)), ("Second", date(2026, 3, 3)), ("Second", date(2026, 3, 10)), ("Second", date(2026, 3, 17))]


# --- time zones ---------------------------------------------------------------------------------

PRAGUE_2026_2027 = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Prague\r\n"
    "BEGIN:STANDARD\r\nDTSTART:20260101T000000\r\nTZNAME:CET\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;UNTIL=20270328T020000Z\r\n"
    "TZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20271031T030000Z\r\n"
    "TZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def test_zones_state_each_change_once_by_a_yearly_rule(tmp_path: Path) -> None:
    """No DTSTART+RDATE (ical.js skips such a DTSTART); DTSTART is the local time before the
    change (RFC 5545 3.6.5: clocks go from 02:00 CET to 03:00 CEST); the years are the sessions'."""
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(starts="2026-03-03", ends="2027-04-27"))})
    assert PRAGUE_2026_2027 in (site / "hubs/hub/calendar.ics").read_bytes().decode()


def test_a_zone_that_changes_on_no_weekday_rule_gets_one_component_a_change(tmp_path: Path) -> None:
    """Morocco leaves +01 for Ramadan, a new date each year: each change its own DTSTART."""
    casablanca = {"city": "Casablanca", "country": "MA", "zone": "Africa/Casablanca", "lat": 33.5731, "lon": -7.5898}
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(starts="2026-01-06", ends="2027-12-28"), place=casablanca)})
    zone = icalendar.Calendar.from_ical((site / "hubs/hub/calendar.ics").read_bytes()).walk("VTIMEZONE")[0]
    starts = [(part.name, f"{part['DTSTART'].dt:%Y-%m-%d %H:%M}", "RRULE" in part or "RDATE" in part) for part in zone.subcomponents]
    assert starts == [("STANDARD", "2026-01-01 00:00", False),
                      ("DAYLIGHT", "2026-02-15 03:00", False), ("STANDARD", "2026-03-22 02:00", False),
                      ("DAYLIGHT", "2027-02-07 03:00", False), ("STANDARD", "2027-03-14 02:00", False)]


def test_a_hub_without_sessions_writes_its_zone_for_the_sites_years(tmp_path: Path) -> None:
    site = build(tmp_path, {"prague": hub_yaml(session_yaml(starts="2026-03-03", ends="2027-04-27")), "empty": hub_yaml(name="Empty Hub")})
    assert PRAGUE_2026_2027 in (site / "hubs/empty/calendar.ics").read_bytes().decode()


# --- what each event says ------------------------------------------------------------------


def test_event_properties_follow_rfc_5545(tmp_path: Path) -> None:
    site = build(tmp_path, {"old-town": hub_yaml(session_yaml(), name="Old Town Library")}, "--base-url", "https://hubs.example.net/dir/")
    raw = (site / "hubs/old-town/calendar.ics").read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode()
    assert "DTSTART;TZID=Europe/Prague:20260303T180000\r\n" in text
    assert "DTEND;TZID=Europe/Prague:20260303T200000\r\n" in text
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260428T215959Z;BYDAY=TU;WKST=MO\r\n" in text  # UNTIL in UTC: DTSTART has a TZID
    assert f"DTSTAMP:{TODAY.replace('-', '')}T000000Z\r\n" in text
    assert "UID:learning-how-to-learn@old-town.hubs.example.net\r\n" in text
    assert "URL:https://hubs.example.net/dir/hubs/old-town/\r\n" in text  # --base-url wins over site.yaml
    assert "GEO:50.0875;14.4213\r\n" in text
    assert "LOCATION:Old Town Library\\, 1 Main Street\\, Prague\\, Czechia\r\n" in text
    calendar = icalendar.Calendar.from_ical(raw)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Prague"]
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Learning How to Learn · Old Town Library"
    assert "Sign up: https://example.org/signup" in str(event["DESCRIPTION"])


def test_hostile_text_is_escaped_not_obeyed(tmp_path: Path) -> None:
    """Commas, semicolons and backslashes are escaped; a line break cannot reach a calendar at all
    (names and courses are single lines: tests/content/test_validation.py), but the escaper would
    also make one harmless: see test_text_escapes_line_breaks."""
    course = 'Evil, "course"; \\ back END:VEVENT BEGIN:VEVENT UID:x'
    hub = hub_yaml(session_yaml(course), name="Hub, Inc; <b>\"quoted\"</b>", place={**PRAGUE, "city": "Praha; 1, \\ CZ"})
    site = build(tmp_path, {"hub": hub})
    for path in ("hubs/hub/calendar.ics", "hubs/hub/sessions/evil-course-back-end-vevent-begin-vevent-uid-x.ics", "calendar.ics"):
        raw = (site / path).read_bytes()
        assert raw.count(b"\r\nBEGIN:VEVENT\r\n") == 1, path
        assert b'Evil\\, "course"\\; \\\\ back END:VEVENT BEGIN:VEVENT UID:x' in raw.replace(b"\r\n ", b"")
        event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
        assert str(event["SUMMARY"]) == 'Evil, "course"; \\ back END:VEVENT BEGIN:VEVENT UID:x · Hub, Inc; <b>"quoted"</b>'
        assert str(event["LOCATION"]) == 'Hub, Inc; <b>"quoted"</b>, 1 Main Street, Praha; 1, \\ CZ, Czechia'
        assert str(event["UID"]) == "evil-course-back-end-vevent-begin-vevent-uid-x@hub.example.org"
        assert len(expand(raw)) == 9


def test_text_escapes_line_breaks() -> None:
    from hubsite.render.calendars import text

    assert text("a\nEND:VEVENT\r\nb") == "a\\nEND:VEVENT\\nb"


def test_session_files_and_site_calendar_share_uids(tmp_path: Path) -> None:
    site = build(tmp_path, {
        "prague": hub_yaml(session_yaml("C++"), session_yaml("C#"), session_yaml("Calendar")),
        "santiago": hub_yaml(session_yaml(), place=SANTIAGO),
        "kolkata": hub_yaml(session_yaml(), place=KOLKATA),
        "empty": hub_yaml(place=KYIV),
    })
    # 'C++' and 'C#' both slugify to 'c'; 'Calendar' must not overwrite the hub's calendar.ics.
    assert sorted(p.name for p in (site / "hubs/prague/sessions").iterdir()) == ["c-2.ics", "c.ics", "calendar.ics"]
    hub_uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical((site / "hubs/prague/calendar.ics").read_bytes()).walk("VEVENT")}
    assert hub_uids == {"c@prague.example.org", "c-2@prague.example.org", "calendar@prague.example.org"}
    for name in ("c", "c-2", "calendar"):
        events = icalendar.Calendar.from_ical((site / f"hubs/prague/sessions/{name}.ics").read_bytes()).walk("VEVENT")
        assert [str(e["UID"]) for e in events] == [f"{name}@prague.example.org"]
    everything = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    assert len(everything.walk("VEVENT")) == 5
    assert [str(tz["TZID"]) for tz in everything.walk("VTIMEZONE")] == ["America/Santiago", "Asia/Kolkata", "Europe/Kyiv", "Europe/Prague"]
    assert not everything.get_missing_tzids()
    # A hub without sessions still gets a valid calendar: its zone is the one required component.
    empty = icalendar.Calendar.from_ical((site / "hubs/empty/calendar.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in empty.walk("VTIMEZONE")] == ["Europe/Kyiv"] and not empty.walk("VEVENT")


def test_add_to_calendar_links_point_at_the_session_files(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml(), session_yaml("Old course", starts="2025-01-07", ends="2025-02-25"))})
    page = site / "hubs/hub/index.html"
    html = page.read_text()
    assert 'href="../../hubs/hub/sessions/learning-how-to-learn.ics"' in html
    assert 'href="../../hubs/hub/calendar.ics"' in html
    assert "sessions/old-course.ics" not in html  # no "Add to calendar" for an ended session
    assert (site / "hubs/hub/sessions/learning-how-to-learn.ics").is_file()
    assert "Add to calendar: Learning How to Learn" in visible_text(page)


def test_calendars_are_byte_identical_across_builds(tmp_path: Path) -> None:
    hubs = {"prague": hub_yaml(session_yaml(extra="exceptions: [2026-03-17]")), "santiago": hub_yaml(session_yaml(), place=SANTIAGO),
            "kolkata": hub_yaml(session_yaml(), place=KOLKATA), "kyiv": hub_yaml(session_yaml(), place=KYIV)}
    content = scratch_content(tmp_path / "content", {f"hubs/{k}.yaml": v for k, v in hubs.items()}, hub=False)
    build_site_in_a_process(content, tmp_path / "one")  # separate processes, each with a random hash seed
    build_site_in_a_process(content, tmp_path / "two")
    names = sorted(p.relative_to(tmp_path / "one").as_posix() for p in (tmp_path / "one").rglob("*") if p.suffix in (".ics", ".xml"))
    assert {"calendar.ics", "feed.xml", "hubs/kyiv/calendar.ics", "hubs/kyiv/sessions/learning-how-to-learn.ics"} <= set(names)
    # The site's, 4 hubs' and their 4 sessions', then those that follow 4 countries, 1 course and 1 partner.
    assert len([n for n in names if n.endswith(".ics")]) == 9 + 6
    assert {"countries/cz/calendar.ics", "courses/learning-how-to-learn/calendar.ics", "partners/example-library/feed.xml"} <= set(names)
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


# --- the bundled directory -------------------------------------------------------------------

BUNDLED = ROOT / "content"


@pytest.mark.skipif(not any((BUNDLED / "hubs").glob("*.yaml")), reason="no bundled hubs in content/hubs/ yet")
def test_every_bundled_hub_calendar_imports_with_the_right_local_times(tmp_path: Path) -> None:
    """Done-when of the issue: every bundled hub's ICS, read by an independent reader, matches the
    schedule, and each page's "Next:" is the reader's first occurrence on or after --today."""
    from hubsite.content.dates import meeting_dates
    from hubsite.options import BuildOptions
    from hubsite.pipeline import gather

    result = run_main("build", "--content", str(BUNDLED), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    catalog, _ = gather(BuildOptions(content_dir=BUNDLED, today=date.fromisoformat(TODAY)))
    for hub in catalog.hubs:
        raw = (tmp_path / "site" / f"en/hubs/{hub.slug}/calendar.ics").read_bytes()  # the bundled site is in several languages
        page = visible_text(tmp_path / "site" / f"en/hubs/{hub.slug}/index.html")
        for events in expand_both(raw, hub.timezone) if hub.sessions else [expand(raw)]:
            for view in hub.sessions:
                found = [e for e in events if str(e["UID"]).startswith(f"{view.slug}@{hub.slug}.")]
                assert [e["DTSTART"].dt.date() for e in found] == list(meeting_dates(view.session)), (hub.slug, view.slug)
                for event in found:
                    local = event["DTSTART"].dt.astimezone(ZoneInfo(hub.timezone))
                    assert local.time() == view.session.time.start, (hub.slug, view.slug, event["DTSTART"].dt)
                coming = [e["DTSTART"].dt.date() for e in found if e["DTSTART"].dt.date() >= catalog.today]
                if coming and view.state != "ended":
                    day = coming[0]
                    assert f"Next: {day:%A}, {day:%B} {day.day}, {day:%Y}" in page, (hub.slug, view.slug)


def test_folding_matches_icalendar_line_for_line() -> None:
    """calendars.fold writes lines as icalendar's own folding does (the reference), ASCII fast path included."""
    from icalendar.parser.string import _foldline

    from hubsite.render.calendars import fold

    chooser = random.Random(5545)
    alphabet = "abc XYZ,;\\^:é·漢😀"
    for _ in range(2000):
        letters = alphabet if chooser.random() < 0.5 else "ab\\^ ,"  # half the lines all ASCII
        line = "DESCRIPTION:" + "".join(chooser.choice(letters) for _ in range(chooser.randrange(0, 400)))
        assert fold(line) == _foldline(line), line
