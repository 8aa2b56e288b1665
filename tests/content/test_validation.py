"""One test per content rule: a small content folder, `check`, the exact problem reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HUB_YAML, check_content


def hub_with(old: str, new: str) -> str:
    assert old in HUB_YAML
    return HUB_YAML.replace(old, new)


def errors_for(tmp_path: Path, text: str, name: str = "hubs/example-hub.yaml") -> list[str]:
    result = check_content(tmp_path / "content", {name: text})
    assert result.code == 1, result.err
    return [line for line in result.lines if ": " in line and "nothing was written" not in line]


def test_valid_scratch_content_passes(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content")
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.startswith("checked 1 hubs, 1 partners")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("lat: -1.2864", "lat: 123.0", 'hubs/example-hub.yaml:4:17: location.lat: 123.0 is out of range: it must be at most 90; are lat and lon swapped? longitude goes in lon'),
        ("lat: -1.2864", "lat: abc", "hubs/example-hub.yaml:4:17: location.lat: 'abc' is not a number: write the latitude in decimal degrees, like -1.2864 (right-click the place on openstreetmap.org)"),
        ("lon: 36.8172", "lon: -181", 'hubs/example-hub.yaml:4:31: location.lon: -181 is out of range: it must be at least -180'),
        ("country: KE", "country: XX", "hubs/example-hub.yaml:3:57: address.country: 'XX' is not a two-letter country code (ISO 3166-1, like KE, US, VN)"),
        ("timezone: Africa/Nairobi", "timezone: Mars/Olympus_Mons", "hubs/example-hub.yaml:5:11: timezone: 'Mars/Olympus_Mons' is not a time zone name: write the zone of a city, like Africa/Nairobi"),
        ("timezone: Africa/Nairobi", "timezone: Africa/Nairob", "did you mean 'Africa/Nairobi'?"),
        ("day: tuesday", "day: tuesdy", "hubs/example-hub.yaml:19:10: sessions[0].day: 'tuesdy' is not a weekday; did you mean 'tuesday'?"),
        ("time: 18:00-20:00", "time: 25:00-26:00", "hubs/example-hub.yaml:20:11: sessions[0].time: '25:00-26:00' is not a time range: write the local start and end in 24-hour time, like 18:00-20:00"),
        ("time: 18:00-20:00", "time: 20:00-18:00", "sessions[0].time: '20:00-18:00' ends before it starts"),
        ("time: 18:00-20:00", "time: 6pm", "hubs/example-hub.yaml:20:11: sessions[0].time: '6pm' is not a time range: write the local start and end in 24-hour time, like 18:00-20:00"),
        ("ends: 2026-03-17", "ends: 2025-03-17", "hubs/example-hub.yaml:18:11: sessions[0].ends: ends (2025-03-17) is before starts (2026-01-13)"),
        ("ends: 2026-03-17", "ends: 2026-02-30", "hubs/example-hub.yaml:18:11: sessions[0].ends: '2026-02-30' is not a real date: check the day and the month (YYYY-MM-DD)"),
        ("signup_url: https://example.org/signup", "signup_url: javascript:alert(1)", "hubs/example-hub.yaml:8:13: signup_url: 'javascript:alert(1)' is not a web link: write an address starting with https:// (or mailto: for e-mail)"),
        ("signup_url: https://example.org/signup", "signup_url: data:text/html,hi", "hubs/example-hub.yaml:8:13: signup_url: 'data:text/html,hi' is not a web link: write an address starting with https:// (or mailto: for e-mail)"),
        ("signup_url: https://example.org/signup", "signup_url: //evil.example/x", "hubs/example-hub.yaml:8:13: signup_url: '//evil.example/x' is not a web link: write an address starting with https:// (or mailto: for e-mail)"),
        ("signup_url: https://example.org/signup", "contact: {email: not-an-email}", "contact.email: 'not-an-email' is not an e-mail address"),
        ("host: example-library", "host: no-such-partner", "hubs/example-hub.yaml:2:7: host: no partner 'no-such-partner' in partners/; add content/partners/no-such-partner.yaml"),
        ("host: example-library", "host: example-librar", "host: no partner 'example-librar' in partners/; did you mean 'example-library'?"),
        ("host: example-library", "host: Example_Library", "hubs/example-hub.yaml:2:7: host: 'Example_Library' is not an id: ids are lowercase letters, digits and single hyphens; did you mean 'example-library'?"),
        ("name: Example Hub\n", "", "hubs/example-hub.yaml:1:1: name: required: the hub's name as people know it, like Kibera Community Library"),
        ("    day: tuesday\n", "", 'hubs/example-hub.yaml:15:5: sessions[0].day: required: day or days, the weekday this session meets, like day: tuesday (or days: [tuesday, thursday])'),
        ("    day: tuesday\n", "    day: tuesday\n    days: [tuesday]\n", 'hubs/example-hub.yaml:19:10: sessions[0].day: give day: (one weekday) or days: [a list of weekdays], not both'),
        ("summary: Weekly study groups.", "summary: \"two\\nlines\"", "summary: must be a single line of text"),
        ("facilities: [wifi, computers]", "facilities: [wifi, jacuzzi]", "hubs/example-hub.yaml:7:20: facilities[1]: 'jacuzzi' is not one of: wifi, computers, wheelchair-access, quiet-room, childcare, printing"),
        ("languages: [en, sw]", "languages: [en, 'english!']", "hubs/example-hub.yaml:6:17: languages[1]: 'english!' is not a language tag: write a short code, like en, es or pt-BR"),
        ("capacity: 20", "capacity: 0", 'hubs/example-hub.yaml:23:15: sessions[0].capacity: 0 must be at least 1: how many learners can join, a whole number like 20'),
        ("facilitator: Amina Otieno", "facilitator: Someone Else", "sessions[0].facilitator: 'Someone Else' is not one of the hub's facilitators (Amina Otieno)"),
        ("    capacity: 20\n", "    capacity: 20\n    exceptions: [2026-02-18]\n", "sessions[0].exceptions[0]: 2026-02-18 is a wednesday, not a meeting day (tuesday)"),
        ("    capacity: 20\n", "    capacity: 20\n    exceptions: [2026-05-05]\n", "sessions[0].exceptions[0]: 2026-05-05 is outside the session (2026-01-13 to 2026-03-17)"),
        ("name: Example Hub", "name: Example Hub\nstatus: open", "hubs/example-hub.yaml:2:9: status: 'open' is not one of: active, upcoming, paused, closed; did you mean 'active'?"),
    ],
)
def test_rule(tmp_path: Path, old: str, new: str, expected: str) -> None:
    errors = errors_for(tmp_path, hub_with(old, new))
    assert any(expected in line for line in errors), errors


@pytest.mark.parametrize("escape", ["\\0", "\\x0b", "\\x1b", "\\x7f"])
def test_control_characters_are_refused(tmp_path: Path, escape: str) -> None:
    errors = errors_for(tmp_path, hub_with("name: Example Hub", f'name: "Bad{escape}Hub"'))
    assert any("hubs/example-hub.yaml:1:7: name: contains the control character U+" in e for e in errors), errors


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, HUB_YAML + "lattitude: 3\nsumary: x\n")
    assert errors[0].endswith("hubs/example-hub.yaml:24:1: lattitude: unknown key 'lattitude'; did you mean 'location: {lat: ..., lon: ...}'?")
    assert errors[1].endswith("hubs/example-hub.yaml:25:1: sumary: unknown key 'sumary'; did you mean 'summary'?")


HUB_KEYS = "address, contact, description, facilitators, facilities, host, languages, last_verified, location, name, partners, sessions, signup_url, status, summary, timezone"


def test_100000_unknown_keys_are_five_lines_and_a_count(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, HUB_YAML + "".join(f"key_{n}: {n}\n" for n in range(100_000)))
    assert errors == [
        *(f"{tmp_path}/content/hubs/example-hub.yaml:{24 + n}:1: key_{n}: unknown key 'key_{n}'; known keys: {HUB_KEYS}" for n in range(5)),
        f"{tmp_path}/content/hubs/example-hub.yaml:29:1: key_5: and 99,995 more unknown keys from here on, not listed one by one; remove them or fix their names",
    ], errors[:8]


def test_unknown_keys_in_several_records_are_counted_per_file(tmp_path: Path) -> None:
    nested = hub_with("    capacity: 20", "    capacity: 20\n" + "".join(f"    extra_{n}: x\n" for n in range(4)))
    errors = errors_for(tmp_path, nested + "".join(f"key_{n}: {n}\n" for n in range(3)))
    assert len(errors) == 6, errors
    assert errors[-1].endswith(": and 2 more unknown keys from here on, not listed one by one; remove them or fix their names"), errors


def test_unknown_nested_key(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, hub_with("    capacity: 20", "    capacity: 20\n    facilitater: x"))
    assert "sessions[0].facilitater: unknown key 'facilitater'; did you mean 'facilitator'?" in errors[0]


def test_the_same_session_twice_is_an_error_naming_both(tmp_path: Path) -> None:
    second = HUB_YAML.split("sessions:\n")[1]
    errors = errors_for(tmp_path, HUB_YAML + second)
    assert any("hubs/example-hub.yaml:24:5: sessions[1]: the same session as sessions[0] (line 15, column 5): 'Learning How to Learn' "
               "meets at 18:00-20:00 and 18:00-20:00 on Tuesday 2026-01-13 in both; merge them, or give one other days, times or dates" in e for e in errors), errors


def test_a_course_may_come_back_on_another_day_or_term(tmp_path: Path) -> None:
    another_day = HUB_YAML.split("sessions:\n")[1].replace("tuesday", "thursday")
    next_term = HUB_YAML.split("sessions:\n")[1].replace("2026-01-13", "2026-04-07").replace("2026-03-17", "2026-06-09")
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": HUB_YAML + another_day + next_term})
    assert result.code == 0, result.err


def test_description_length_is_capped_before_rendering(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, hub_with("We meet **every week**.", "x" * 20_001))
    assert any("description: is 20,002 characters long, more than the 20000 allowed: shorten it" in e for e in errors), errors


def test_unclosed_brackets_are_refused_before_markdown_sees_them(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, hub_with("We meet **every week**.", "[a" * 5000))
    assert any("description: too many unclosed or nested '[' brackets" in e for e in errors), errors


def test_unclosed_link_targets_and_runs_of_emphasis_are_refused_before_markdown_sees_them(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, hub_with("We meet **every week**.", "[a](" * 5000))
    assert any("description: too many link targets '](' left open in one paragraph" in e for e in errors), errors
    errors = errors_for(tmp_path, hub_with("We meet **every week**.", "*a" * 5000))
    assert any("description: too many '*' or '_' emphasis marks in one paragraph" in e for e in errors), errors


def test_norway_stays_a_country_and_unquoted_time_is_a_time(tmp_path: Path) -> None:
    text = hub_with("country: KE", "country: NO").replace("timezone: Africa/Nairobi", "timezone: Europe/Oslo")
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": text})
    assert result.code == 0, result.err


def test_bad_file_name_is_a_slug_error(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/Bad Name.yaml": HUB_YAML})
    assert result.code == 1
    assert "hubs/Bad Name.yaml:1:1: slug: file name 'Bad Name' is not a valid slug" in result.err
    assert "e.g. 'bad-name.yaml'" in result.err


def test_partner_rules(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"partners/example-library.yaml": "name: X\nkind: castle\nlogo: logos/x.svg\n"})
    assert result.code == 1
    assert "partners/example-library.yaml:2:7: kind: 'castle' is not one of: library, embassy" in result.err
    result = check_content(tmp_path / "other", {"partners/example-library.yaml": "name: X\nkind: library\nlogo: logos/x.svg\n"})
    assert "partners/example-library.yaml:1:1: a logo needs logo_alt" in result.err


def test_partner_logo_must_exist(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"partners/example-library.yaml": "name: X\nkind: library\nlogo: logos/x.svg\nlogo_alt: X logo\n"})
    assert "partners/example-library.yaml:3:7: logo: 'logos/x.svg' is not a file in the content folder" in result.err


def test_page_rules(tmp_path: Path) -> None:
    files = {"pages/about.md": "---\nnav: one\n---\nHello\n", "pages/hubs.md": "---\ntitle: Hubs\n---\n"}
    result = check_content(tmp_path / "content", files)
    assert result.code == 1
    assert "pages/about.md:2:1: title: required: the page's title" in result.err
    assert "pages/about.md:2:6: nav: 'one' is not a whole number" in result.err
    assert "pages/hubs.md:1:1: slug: '/hubs/' is used by the site itself" in result.err


def test_page_without_front_matter(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"pages/about.md": "# About\n"})
    assert "pages/about.md:1:1: missing front matter" in result.err


def test_site_config_rules(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"site.yaml": "title: T\nbase_url: ftp://x\ncontact_email: nope\nmap: {zoom: 40}\n"})
    assert result.code == 1
    assert "site.yaml:2:11: base_url: 'ftp://x' is not a web link: write an address starting with https://" in result.err
    assert "site.yaml:3:16: contact_email: 'nope' is not an e-mail address: write one like name@example.org" in result.err
    assert "site.yaml:4:13: map.zoom: 40 must be at most 19" in result.err


def test_missing_site_yaml(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"site.yaml": None})  # type: ignore[dict-item]
    assert result.code == 1
    assert "site.yaml:1:1: missing: every site needs a site.yaml" in result.err


def test_hub_without_location_or_cache_says_to_geocode(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, hub_with("location: {lat: -1.2864, lon: 36.8172}\n", ""))
    assert any("address: no location: add location: {lat: ..., lon: ...} or run `python build.py geocode`" in e for e in errors), errors


def test_location_from_geocode_cache(tmp_path: Path) -> None:
    text = hub_with("location: {lat: -1.2864, lon: 36.8172}\n", "")
    cache = "'1 Main Street, Nairobi, Kenya':\n  lat: -1.2864\n  lon: 36.8172\n  display_name: Nairobi\n  date: 2026-01-01\n"
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": text, "geocache.yaml": cache})
    assert result.code == 0, result.err


def test_timezone_is_derived_when_absent(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hub_with("timezone: Africa/Nairobi\n", "")})
    assert result.code == 0, result.err


def test_every_problem_in_every_file_is_listed_once_sorted(tmp_path: Path) -> None:
    files = {
        "hubs/a-hub.yaml": hub_with("lat: -1.2864", "lat: 123").replace("time: 18:00-20:00", "time: 25:00-26:00"),
        "hubs/b-hub.yaml": hub_with("country: KE", "country: XX"),
    }
    result = check_content(tmp_path / "content", files)
    lines = result.lines
    assert result.code == 1
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in lines[:-1]] == ["a-hub.yaml", "a-hub.yaml", "b-hub.yaml"]
    assert [int(line.split(":")[1]) for line in lines[:2]] == [4, 20]
    assert lines[-1] == "3 errors in 2 files; nothing was written"


def test_a_misspelt_host_is_reported_with_the_records_other_problems(tmp_path: Path) -> None:
    """One run lists everything: the host is checked even when the record has other errors."""
    text = hub_with("host: example-library", "host: example-librar").replace("facilities: [wifi, computers]", "facilities: [wheelchair]")
    assert [line.split("/content/")[-1] for line in errors_for(tmp_path, text)] == [
        "hubs/example-hub.yaml:2:7: host: no partner 'example-librar' in partners/; did you mean 'example-library'?",
        "hubs/example-hub.yaml:7:14: facilities[0]: 'wheelchair' is not one of: wifi, computers, wheelchair-access, quiet-room, childcare, printing; did you mean 'wheelchair-access'?",
    ]


def test_an_unquoted_colon_in_a_value_says_to_quote_it(tmp_path: Path) -> None:
    text = hub_with("summary: Weekly study groups.", "summary: Weekly: study groups.")
    [line] = errors_for(tmp_path, text)
    assert line.split("/content/")[-1].startswith("hubs/example-hub.yaml:9:16: YAML syntax error: mapping values are not allowed")
    assert line.endswith("""a value that holds ': ' must be in quotes: write summary: "Weekly: study groups.\"""")


def test_a_hub_without_a_street_line_is_a_warning(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hub_with("{line1: 1 Main Street, city: Nairobi", "{city: Nairobi")})
    assert result.code == 0
    assert result.lines[0].split("/content/")[-1] == ("hubs/example-hub.yaml:3:10: warning: address: no street line (address.line1): "
                               "students need a street address to find the hub; add the building, street and number")
