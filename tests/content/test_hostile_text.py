"""Text that spoofs or splits what people read is refused where it stands; text that only looks
like something else (a number, a date) is kept as written; end-of-day times and clock changes."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from conftest import HUB_YAML, TODAY, build_site, check_content, run_main, scratch_content, visible_text

HUB = "hubs/example-hub.yaml"


def named(name: str) -> str:
    return HUB_YAML.replace("name: Example Hub", f"name: {name}")


@pytest.mark.parametrize("char, name", [
    ("\u202a", "LEFT-TO-RIGHT EMBEDDING"), ("\u202b", "RIGHT-TO-LEFT EMBEDDING"), ("\u202c", "POP DIRECTIONAL FORMATTING"),
    ("\u202d", "LEFT-TO-RIGHT OVERRIDE"), ("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ("\u2067", "RIGHT-TO-LEFT ISOLATE"), ("\u2068", "FIRST STRONG ISOLATE"), ("\u2069", "POP DIRECTIONAL ISOLATE"),
    ("\u200b", "ZERO WIDTH SPACE"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"), ("\u2060", "WORD JOINER"),
])
def test_reordering_and_invisible_characters_are_refused_at_their_column(tmp_path: Path, char: str, name: str) -> None:
    result = check_content(tmp_path / "content", {HUB: named(f"Example{char}Hub")})
    assert result.code == 1
    code = f"U+{ord(char):04X}"
    assert f"{HUB}:1:14: name: contains {code} {name} (at character 8), " in result.err, result.err


def test_spoofing_characters_are_refused_in_descriptions_links_and_bios(tmp_path: Path) -> None:
    text = HUB_YAML.replace("We meet **every week**.", "Open \u202egpj.exe").replace("bio: Teacher.", "bio: \"Teacher \u2066x\u2069\"")
    text = text.replace("signup_url: https://example.org/signup", "signup_url: https://example.org/\u202esignup")
    result = check_content(tmp_path / "content", {HUB: text})
    assert result.code == 1
    for field in ("description", "facilitators[0].bio", "signup_url"):
        assert f" {field}: contains U+" in result.err, (field, result.err)


def test_joiners_and_direction_marks_that_scripts_need_are_kept(tmp_path: Path) -> None:
    name = "कक्षा\u200d सभा \u200fمركز\u200e \U0001F469\u200d\U0001F4BB"
    content = scratch_content(tmp_path / "content", {HUB: named(f'"{name}"')})
    build_site(content, tmp_path / "site")
    assert name in (tmp_path / "site/hubs/example-hub/index.html").read_text()


@pytest.mark.parametrize("field, text", [
    ("name", 'name: "Example Hub\\nEND:VEVENT\\nBEGIN:VEVENT"'),
    ("name", 'name: "Example Hub\\u2028Second line"'),
    ("address.city", 'address: {line1: 1 Main Street, city: "Nairobi\\rEND:VEVENT", country: KE}'),
])
def test_line_breaks_are_refused_in_single_line_fields(tmp_path: Path, field: str, text: str) -> None:
    original = {"name": "name: Example Hub", "address.city": "address: {line1: 1 Main Street, city: Nairobi, country: KE}"}[field]
    result = check_content(tmp_path / "content", {HUB: HUB_YAML.replace(original, text)})
    assert result.code == 1
    assert f" {field}: must be a single line of text: it has a line break" in result.err, result.err


def test_line_breaks_are_refused_in_course_names(tmp_path: Path) -> None:
    text = HUB_YAML.replace("  - course: Learning How to Learn", '  - course: "Learning\\nEND:VEVENT"')
    result = check_content(tmp_path / "content", {HUB: text})
    assert "sessions[0].course: must be a single line of text" in result.err


@pytest.mark.parametrize("text, tag, line", [
    ("address: !secret {line1: 1 Main Street, city: Nairobi, country: KE}", "!secret", 3),
    ("languages: !!set [en, sw]", "!!set", 6),
    ("languages: !!seq [en, sw]", "!!seq", 6),
    ("name: !!binary RXhhbXBsZQ==", "!!binary", 1),
])
def test_every_yaml_tag_is_refused_with_its_name_and_line(tmp_path: Path, text: str, tag: str, line: int) -> None:
    key = text.split(":")[0]
    original = next(row for row in HUB_YAML.splitlines() if row.startswith(key + ":"))
    result = check_content(tmp_path / "content", {HUB: HUB_YAML.replace(original, text)})
    assert result.code == 1
    assert f"{HUB}:{line}:" in result.err and f"the YAML tag '{tag}' is not supported" in result.err, result.err


@pytest.mark.parametrize("written", ["1.10", "1e3", "2026", "-0", "0.50"])
def test_text_fields_keep_numbers_as_written(tmp_path: Path, written: str) -> None:
    text = named(written).replace("city: Nairobi", f"city: {written}").replace("  - course: Learning How to Learn", f"  - course: {written}")
    content = scratch_content(tmp_path / "content", {HUB: text})
    build_site(content, tmp_path / "site")
    page = visible_text(tmp_path / "site/hubs/example-hub/index.html")
    assert f"{written} {written}" in page or written in page.split()  # the name, the city, the course
    hub = __import__("json").loads((tmp_path / "site/hubs.json").read_text())["hubs"][0]
    assert (hub["name"], hub["address"]["city"], hub["sessions"][0]["course"]) == (written, written, written)


def test_numbers_still_count_where_a_number_is_meant(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {HUB: HUB_YAML.replace("capacity: 20", "capacity: 20.0")})
    build_site(content, tmp_path / "site")
    hub = __import__("json").loads((tmp_path / "site/hubs.json").read_text())["hubs"][0]
    assert hub["location"] == {"lat": -1.2864, "lon": 36.8172} and hub["sessions"][0]["capacity"] == 20


@pytest.mark.parametrize("stem", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_file_names_windows_reserves_are_refused(tmp_path: Path, stem: str) -> None:
    result = check_content(tmp_path / "content", {f"hubs/{stem}.yaml": HUB_YAML})
    assert result.code == 1
    assert f"hubs/{stem}.yaml:1:1: slug: file name '{stem}' is reserved on Windows" in result.err


def test_a_course_named_like_a_windows_device_gets_a_safe_slug(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {HUB: HUB_YAML.replace("  - course: Learning How to Learn", "  - course: CON")})
    build_site(content, tmp_path / "site")
    assert (tmp_path / "site/courses/con-course/index.html").is_file()
    assert (tmp_path / "site/hubs/example-hub/sessions/con-course.ics").is_file()


OVERLAP = HUB_YAML + """  - course: Financial Markets
    starts: 2026-02-03
    ends: 2026-04-28
    day: tuesday
    time: 19:30-21:00
"""


def test_overlapping_sessions_are_a_warning_and_an_error_with_strict(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {HUB: OVERLAP})
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 0
    assert (f"{HUB}:28:11: warning: sessions[1].time: overlaps sessions[0] ('Learning How to Learn', line 15): "
            "both meet on Tuesday 2026-02-03, at 18:00-20:00 and 19:30-21:00; check the day, the time or the dates") in result.err, result.err
    strict = run_main("check", "--content", str(content), "--today", TODAY, "--strict")
    assert strict.code == 1 and "sessions[1].time: overlaps sessions[0]" in strict.err


def test_sessions_on_alternate_weeks_do_not_overlap(tmp_path: Path) -> None:
    text = OVERLAP.replace("    starts: 2026-02-03\n    ends: 2026-04-28\n    day: tuesday\n    time: 19:30-21:00", "    starts: 2026-01-20\n    ends: 2026-03-17\n    day: tuesday\n    time: 19:30-21:00\n    frequency: biweekly")
    text = text.replace("    capacity: 20\n", "    capacity: 20\n    frequency: biweekly\n")
    result = run_main("check", "--content", str(scratch_content(tmp_path / "content", {HUB: text})), "--today", TODAY)
    assert result.code == 0 and "overlaps" not in result.err, result.err


PRAGUE_NIGHT = HUB_YAML.replace("address: {line1: 1 Main Street, city: Nairobi, country: KE}", "address: {line1: 1 Main Street, city: Prague, country: CZ}")
PRAGUE_NIGHT = PRAGUE_NIGHT.replace("location: {lat: -1.2864, lon: 36.8172}", "location: {lat: 50.0875, lon: 14.4213}").replace("timezone: Africa/Nairobi", "timezone: Europe/Prague")


@pytest.mark.parametrize("starts, ends, time, words", [
    ("2026-03-01", "2026-04-26", "02:15-03:30", "the start, 02:15, does not exist on Sunday 2026-03-29: the clocks in Europe/Prague jump over it"),
    ("2026-10-04", "2026-11-29", "01:00-02:30", "the end, 02:30, happens twice on Sunday 2026-10-25: the clocks in Europe/Prague go back over it"),
])
def test_times_the_clocks_skip_or_repeat_are_warnings(tmp_path: Path, starts: str, ends: str, time: str, words: str) -> None:
    text = PRAGUE_NIGHT.replace("starts: 2026-01-13", f"starts: {starts}").replace("ends: 2026-03-17", f"ends: {ends}")
    text = text.replace("day: tuesday", "day: sunday").replace("time: 18:00-20:00", f"time: {time}")
    result = run_main("check", "--content", str(scratch_content(tmp_path / "content", {HUB: text})), "--today", TODAY)
    assert result.code == 0
    assert f"{HUB}:20:11: warning: sessions[0].time: {words} that night" in result.err, result.err


def test_an_exception_on_the_night_of_the_change_silences_the_warning(tmp_path: Path) -> None:
    text = PRAGUE_NIGHT.replace("starts: 2026-01-13", "starts: 2026-03-01").replace("ends: 2026-03-17", "ends: 2026-04-26")
    text = text.replace("day: tuesday", "day: sunday").replace("time: 18:00-20:00", "time: 02:15-03:30\n    exceptions: [2026-03-29]")
    result = run_main("check", "--content", str(scratch_content(tmp_path / "content", {HUB: text})), "--today", TODAY)
    assert result.code == 0 and "warning" not in result.err, result.err


def test_a_meeting_may_end_at_midnight(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {HUB: HUB_YAML.replace("time: 18:00-20:00", "time: 22:00-24:00")})
    build_site(content, tmp_path / "site")
    assert "10:00 PM – 12:00 AM" in visible_text(tmp_path / "site/hubs/example-hub/index.html")
    event = icalendar.Calendar.from_ical((tmp_path / "site/hubs/example-hub/calendar.ics").read_bytes()).walk("VEVENT")[0]
    assert event["DTSTART"].dt.isoformat() == "2026-01-13T22:00:00+03:00"
    assert event["DTEND"].dt.isoformat() == "2026-01-14T00:00:00+03:00"


@pytest.mark.parametrize("time", ["22:00-24:30", "24:00-24:00", "24:00-01:00", "25:00-26:00"])
def test_nothing_past_the_end_of_the_day(tmp_path: Path, time: str) -> None:
    result = check_content(tmp_path / "content", {HUB: HUB_YAML.replace("time: 18:00-20:00", f"time: {time}")})
    said = "ends after midnight: end it at 24:00 at the latest" if time == "22:00-24:30" else "is not a time range: write the local start and end in 24-hour time"
    assert result.code == 1 and f"sessions[0].time: '{time}' {said}" in result.err, result.err
