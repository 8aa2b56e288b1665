"""Common mistakes and the exact message each gets: from a scaffold left half-filled, from hand
edits, from the apply form. Every message says what is wrong and what to write instead, in our
words; none is in the validator's phrasing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import HUB_YAML, PARTNER_YAML, SITE_YAML, check_content, run_main, scratch_content

FILES = {"hub": ("hubs/example-hub.yaml", HUB_YAML), "partner": ("partners/example-library.yaml", PARTNER_YAML), "site": ("site.yaml", SITE_YAML)}
# Pydantic's own words: none may reach a maintainer.
VALIDATOR_PHRASES = re.compile(r"Input should|valid string|valid number|Field required|[Vv]alue error|validation error|type=|input_value|Extra inputs|'None'")

# (file, text in the good record, what was written instead, the problems `check` prints)
MISTAKES = [
    ('hub', 'name: Example Hub', 'name:', ["hubs/example-hub.yaml:1:6: name: required: the hub's name as people know it, like Kibera Community Library"]),
    ('hub', 'name: Example Hub', "name: ''", ["hubs/example-hub.yaml:1:7: name: is empty: the hub's name as people know it, like Kibera Community Library"]),
    ('hub', 'name: Example Hub', 'name: true', ['hubs/example-hub.yaml:1:7: name: true is not text; put it in quotes to make it text']),
    ('hub', 'host: example-library', 'host: Example Library', ["hubs/example-hub.yaml:2:7: host: 'Example Library' is not an id: ids are lowercase letters, digits and single hyphens; did you mean 'example-library'?"]),
    ('hub', 'host: example-library', 'host: example-librar', ["hubs/example-hub.yaml:2:7: host: no partner 'example-librar' in partners/; did you mean 'example-library'?"]),
    ('hub', 'country: KE', 'country: USA', ["hubs/example-hub.yaml:3:57: address.country: 'USA' is not a two-letter country code; did you mean 'US'?"]),
    ('hub', 'country: KE', 'country: Kenya', ["hubs/example-hub.yaml:3:57: address.country: 'Kenya' is not a two-letter country code; did you mean 'KE'?"]),
    ('hub', 'country: KE', 'country: UK', ["hubs/example-hub.yaml:3:57: address.country: 'UK' is not a two-letter country code; did you mean 'GB'?"]),
    ('hub', 'country: KE', 'country: XX', ["hubs/example-hub.yaml:3:57: address.country: 'XX' is not a two-letter country code (ISO 3166-1, like KE, US, VN)"]),
    ('hub', '{lat: -1.2864, lon: 36.8172}', '{lat: 136.8172, lon: -1.2864}', ['hubs/example-hub.yaml:4:17: location.lat: 136.8172 is out of range: it must be at most 90; are lat and lon swapped? longitude goes in lon']),
    ('hub', '{lat: -1.2864, lon: 36.8172}', "{lat: '1.2864 S', lon: 36.8172}", ["hubs/example-hub.yaml:4:17: location.lat: '1.2864 S' is not a number: write the latitude in decimal degrees, like -1.2864 (right-click the place on openstreetmap.org)"]),
    ('hub', 'location: {lat: -1.2864, lon: 36.8172}', 'location: -1.2864, 36.8172', ["hubs/example-hub.yaml:4:11: location: '-1.2864, 36.8172' is not a group of fields (key: value lines): write the coordinates, like location: {lat: -1.2864, lon: 36.8172}, or run `python build.py geocode`"]),
    ('hub', 'timezone: Africa/Nairobi', 'timezone: Africa/Nairob', ["hubs/example-hub.yaml:5:11: timezone: 'Africa/Nairob' is not a time zone name; did you mean 'Africa/Nairobi'?"]),
    ('hub', 'timezone: Africa/Nairobi', 'timezone: EAT', ["hubs/example-hub.yaml:5:11: timezone: 'EAT' is an abbreviation or an offset, not a time zone name: write the zone of a city, like Africa/Nairobi, or leave timezone out to derive it from the location"]),
    ('hub', 'languages: [en, sw]', 'languages: [English, Swahili]', ["hubs/example-hub.yaml:6:13: languages[0]: 'English' is not a language tag; did you mean 'en'?", "hubs/example-hub.yaml:6:22: languages[1]: 'Swahili' is not a language tag; did you mean 'sw'?"]),
    ('hub', 'languages: [en, sw]', 'languages: en, sw', ["hubs/example-hub.yaml:6:12: languages: 'en, sw' is not a list: write the languages spoken at the hub, as tags like [en, sw]"]),
    ('hub', 'facilities: [wifi, computers]', 'facilities: [wi-fi, computers]', ["hubs/example-hub.yaml:7:14: facilities[0]: 'wi-fi' is not one of: wifi, computers, wheelchair-access, quiet-room, childcare, printing; did you mean 'wifi'?"]),
    ('hub', 'facilities: [wifi, computers]', 'facilities: [wifi, parking]', ["hubs/example-hub.yaml:7:20: facilities[1]: 'parking' is not one of: wifi, computers, wheelchair-access, quiet-room, childcare, printing"]),
    ('hub', 'signup_url: https://example.org/signup', 'signup_url: www.example.org/signup', ["hubs/example-hub.yaml:8:13: signup_url: 'www.example.org/signup' is not a link: write it with https:// in front, like https://www.example.org/signup"]),
    ('hub', 'signup_url: https://example.org/signup', 'signup_url: javascript:alert(1)', ["hubs/example-hub.yaml:8:13: signup_url: 'javascript:alert(1)' is not a web link: write an address starting with https:// (or mailto: for e-mail)"]),
    ('hub', 'host: example-library\n', 'host: example-library\nstatus: open\n', ["hubs/example-hub.yaml:3:9: status: 'open' is not one of: active, upcoming, paused, closed; did you mean 'active'?"]),
    ('hub', '    day: tuesday', '    day: Tues', ["hubs/example-hub.yaml:19:10: sessions[0].day: 'tues' is not a weekday; did you mean 'tuesday'?"]),
    ('hub', '    day: tuesday', '    day:', ['hubs/example-hub.yaml:19:9: sessions[0].day: required: day or days, the weekday this session meets, like day: tuesday (or days: [tuesday, thursday])']),
    ('hub', '    day: tuesday', '    days: tuesday, thursday', ["hubs/example-hub.yaml:19:11: sessions[0].days: 'tuesday, thursday' is not a list: write the weekdays it meets, like [tuesday, thursday]"]),
    ('hub', '    day: tuesday', '    day: tuesday\n    days: [thursday]', ['hubs/example-hub.yaml:19:10: sessions[0].day: give day: (one weekday) or days: [a list of weekdays], not both']),
    ('hub', '    time: 18:00-20:00', '    time: 6pm-8pm', ["hubs/example-hub.yaml:20:11: sessions[0].time: '6pm-8pm' is not a time range as the site reads it: write 18:00-20:00"]),
    ('hub', '    time: 18:00-20:00', '    time: 18.00 - 20.00', ["hubs/example-hub.yaml:20:11: sessions[0].time: '18.00 - 20.00' is not a time range as the site reads it: write 18:00-20:00"]),
    ('hub', '    time: 18:00-20:00', "    time: '18:00'", ["hubs/example-hub.yaml:20:11: sessions[0].time: '18:00' is not a time range: write the local start and end in 24-hour time, like 18:00-20:00"]),
    ('hub', '    time: 18:00-20:00', '    time: 20:00-18:00', ["hubs/example-hub.yaml:20:11: sessions[0].time: '20:00-18:00' ends before it starts; give the local start and end time"]),
    ('hub', '    starts: 2026-01-13', '    starts: 13/01/2026', ["hubs/example-hub.yaml:17:13: sessions[0].starts: '13/01/2026' is not a date as the site reads it: write 2026-01-13 (YYYY-MM-DD)"]),
    ('hub', '    starts: 2026-01-13', '    starts: 2026-02-30', ["hubs/example-hub.yaml:17:13: sessions[0].starts: '2026-02-30' is not a real date: check the day and the month (YYYY-MM-DD)"]),
    ('hub', '    ends: 2026-03-17', '    ends: 2025-03-17', ['hubs/example-hub.yaml:18:11: sessions[0].ends: ends (2025-03-17) is before starts (2026-01-13): check the year and the month']),
    ('hub', '    capacity: 20', '    capacity: twenty', ["hubs/example-hub.yaml:23:15: sessions[0].capacity: 'twenty' is not a whole number: write how many learners can join, a whole number like 20"]),
    ('hub', '    capacity: 20', '    capacity: 0', ['hubs/example-hub.yaml:23:15: sessions[0].capacity: 0 must be at least 1: how many learners can join, a whole number like 20']),
    ('hub', '    language: en', '    language: English', ["hubs/example-hub.yaml:21:15: sessions[0].language: 'English' is not a language tag; did you mean 'en'?"]),
    ('hub', '    facilitator: Amina Otieno', '    facilitator: Amina', ["hubs/example-hub.yaml:22:18: sessions[0].facilitator: 'Amina' is not one of the hub's facilitators (Amina Otieno)"]),
    ('hub', 'summary: Weekly study groups.', 'sumary: Weekly study groups.', ["hubs/example-hub.yaml:9:1: sumary: unknown key 'sumary'; did you mean 'summary'?"]),
    ('hub', 'summary: Weekly study groups.', 'lat: 1', ["hubs/example-hub.yaml:9:1: lat: unknown key 'lat'; did you mean 'location: {lat: ..., lon: ...}'?"]),
    ('hub', '  - {name: Amina Otieno, bio: Teacher.}', '  - Amina Otieno', ["hubs/example-hub.yaml:13:5: facilitators[0]: 'Amina Otieno' is not a group of fields (key: value lines): write the people who lead the meetings, like [{name: Amina Otieno, bio: Teacher.}]"]),
    ('hub', '    course_url: https://www.coursera.org/learn/learning-how-to-learn', '    course_url: coursera.org/learn/x', ["hubs/example-hub.yaml:16:17: sessions[0].course_url: 'coursera.org/learn/x' is not a link: write it with https:// in front, like https://coursera.org/learn/x"]),
    ('partner', 'kind: library', 'kind: Library', ["partners/example-library.yaml:2:7: kind: 'Library' is not one of: library, embassy, government, university, school, nonprofit, company; did you mean 'library'?"]),
    ('partner', 'kind: library', 'kind: ngo', ["partners/example-library.yaml:2:7: kind: 'ngo' is not one of: library, embassy, government, university, school, nonprofit, company; did you mean 'nonprofit'?"]),
    ('partner', 'kind: library', 'kind:', ['partners/example-library.yaml:2:6: kind: required: library, embassy, government, university, school, nonprofit or company']),
    ('partner', 'website: https://library.example.org/', 'website: library.example.org', ["partners/example-library.yaml:3:10: website: 'library.example.org' is not a link: write it with https:// in front, like https://library.example.org"]),
    ('site', 'contact_email: hubs@example.org', 'contact_email: hubs at example.org', ["site.yaml:5:16: contact_email: 'hubs at example.org' is not an e-mail address: write one like name@example.org"]),
    ('site', 'base_url: https://example.org/hubs/', 'base_url: example.org/hubs', ["site.yaml:3:11: base_url: 'example.org/hubs' is not a link: write it with https:// in front, like https://example.org/hubs"]),
]


@pytest.mark.parametrize(("kind", "old", "new", "expected"), MISTAKES, ids=[f"{kind}:{new.strip()[:40]}" for kind, _, new, _ in MISTAKES])
def test_a_common_mistake_gets_its_message(tmp_path: Path, kind: str, old: str, new: str, expected: list[str]) -> None:
    name, good = FILES[kind]
    assert old in good
    content = tmp_path / "content"
    result = check_content(content, {name: good.replace(old, new, 1)})
    assert result.code == 1
    assert [line.replace(f"{content}/", "") for line in result.lines[:-1]] == expected
    assert not VALIDATOR_PHRASES.search(result.err), result.err


def test_the_table_is_long_enough_and_covers_every_kind_of_file() -> None:
    assert len(MISTAKES) >= 30 and {kind for kind, *_ in MISTAKES} == set(FILES)


def test_a_scaffold_left_empty_says_what_each_required_field_wants(tmp_path: Path) -> None:
    """`new hub` then `check`: every required field is named with what to write, the day too."""
    content = scratch_content(tmp_path / "content", hub=False)
    assert run_main("new", "hub", "test-hub", "--content", str(content)).code == 0
    result = run_main("check", "--content", str(content))
    assert result.code == 1
    found = {line.split(": ", 2)[1]: line.split(": ", 2)[2] for line in result.lines[:-1]}
    assert found == {
        "name": "required: the hub's name as people know it, like Kibera Community Library",
        "host": "required: the id of the partner that runs the hub: a file name in content/partners/, without .yaml",
        "address.city": "required: the city or town",
        "address.country": "required: the two-letter country code (ISO 3166-1), like KE, US or VN",
        "location.lat": "required: the latitude in decimal degrees, like -1.2864 (right-click the place on openstreetmap.org)",
        "location.lon": "required: the longitude in decimal degrees, like 36.8172 (right-click the place on openstreetmap.org)",
        "sessions[0].course": "required: the course's name, like Learning How to Learn",
        "sessions[0].starts": "required: the first date it meets, like 2026-03-03",
        "sessions[0].ends": "required: the last date it meets, on or after starts, like 2026-05-26",
        "sessions[0].day": "required: day or days, the weekday this session meets, like day: tuesday (or days: [tuesday, thursday])",
        "sessions[0].time": "required: the local start and end time, like 18:00-20:00",
    }
    assert not VALIDATOR_PHRASES.search(result.err)
    starter = (content / "hubs/test-hub.yaml").read_text(encoding="utf-8").splitlines()
    comments = {field: starter[int(line.split(":")[1]) - 1].partition("# ")[2] for line in result.lines[:-1] for field in [line.split(": ", 2)[1]]}
    assert {field: text for field, text in comments.items() if field != "sessions[0].day"} == {field: text for field, text in found.items() if field != "sessions[0].day"}, \
        "each field is described once: what `check` asks for is what the starter's comment says"
