"""What the student reads, on real builds: addresses as each country writes them, a course that
comes back, course pages by next meeting, the countries index, and a home page that stays small
however many hubs and courses there are."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest
from conftest import HUB_YAML, SITE_YAML, build_site, build_site_in_a_process, parse_html, scratch_content, visible_text

from hubsite.content.records import Address
from hubsite.render.addresses import address_lines


@pytest.mark.parametrize("fields, lines", [
    ({"line1": "310 East Kingsbridge Road", "area": "Fordham", "city": "Bronx", "region": "NY", "postal_code": "10458", "country": "US"},
     ["310 East Kingsbridge Road", "Bronx, NY 10458"]),
    ({"line1": "10 Downing Street", "city": "London", "postal_code": "SW1A 2AA", "country": "GB"}, ["10 Downing Street", "London", "SW1A 2AA"]),
    ({"line1": "千代田1-1", "city": "千代田区", "region": "東京都", "postal_code": "100-0001", "country": "JP"}, ["〒100-0001", "東京都", "千代田区", "千代田1-1"]),
    ({"line1": "1-1 Chiyoda", "city": "Chiyoda-ku", "region": "Tokyo", "postal_code": "100-0001", "country": "JP"}, ["1-1 Chiyoda", "Chiyoda-ku, Tokyo", "100-0001"]),
    ({"line1": "Avenida Paulista, 1578", "area": "Bela Vista", "city": "São Paulo", "region": "SP", "postal_code": "01310-100", "country": "BR"},
     ["Avenida Paulista, 1578", "Bela Vista", "São Paulo-SP", "01310-100"]),
    ({"line1": "Kenyatta Avenue", "line2": "3rd floor", "city": "Nairobi", "postal_code": "00100", "country": "KE"}, ["Kenyatta Avenue", "3rd floor", "Nairobi", "00100"]),
    ({"city": "Port-au-Prince", "postal_code": "6110", "country": "HT"}, ["HT6110 Port-au-Prince"]),
    ({"city": "Port-au-Prince", "country": "HT"}, ["Port-au-Prince"]),
])
def test_addresses_are_written_as_each_country_writes_them(fields: dict, lines: list[str]) -> None:
    assert address_lines(Address(**fields)) == lines


def test_the_hub_page_prints_its_address_so(tmp_path: Path) -> None:
    text = HUB_YAML.replace("address: {line1: 1 Main Street, city: Nairobi, country: KE}", "address: {line1: Kenyatta Avenue, city: Nairobi, postal_code: '00100', country: KE}")
    build_site(scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": text}), tmp_path / "site")
    address = parse_html(tmp_path / "site/hubs/example-hub/index.html").xpath("//address")[0]
    assert [" ".join(t.split()) for t in address.itertext() if t.strip()] == ["Example Hub", "Kenyatta Avenue", "Nairobi", "00100", "Kenya"]


NEXT_TERM = """  - course: Learning How to Learn
    starts: 2026-04-07
    ends: 2026-06-09
    day: thursday
    time: 10:00-12:00
    signup_url: https://example.org/signup/next-term
"""


def test_a_course_that_comes_back_is_its_own_row_link_calendar_and_record(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": HUB_YAML + NEXT_TERM}), site)
    doc = parse_html(site / "hubs/example-hub/index.html")
    assert doc.xpath("//li[@class='session']/@id") == ["session-learning-how-to-learn", "session-learning-how-to-learn-2026-04-07"]
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical((site / "hubs/example-hub/calendar.ics").read_bytes()).walk("VEVENT")]
    assert uids == ["learning-how-to-learn@example-hub.example.org", "learning-how-to-learn-2026-04-07@example-hub.example.org"]
    assert (site / "hubs/example-hub/sessions/learning-how-to-learn-2026-04-07.ics").is_file()
    sessions = json.loads((site / "hubs.json").read_text())["hubs"][0]["sessions"]
    assert [(s["slug"], s["signup_url"]) for s in sessions] == [("learning-how-to-learn", "https://example.org/signup"), ("learning-how-to-learn-2026-04-07", "https://example.org/signup/next-term")]
    course = visible_text(site / "courses/learning-how-to-learn/index.html")
    assert course.index("Tuesday, 6:00 – 8:00 PM") < course.index("Thursday, 10:00 AM – 12:00 PM")  # soonest first


def test_course_pages_put_ended_groups_last_and_folded(tmp_path: Path) -> None:
    ended = NEXT_TERM.replace("2026-04-07", "2025-09-04").replace("2026-06-09", "2025-11-27")
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": HUB_YAML + ended}), site)
    doc = parse_html(site / "courses/learning-how-to-learn/index.html")
    assert len(doc.xpath("//main/ul[@class='offerings']/li")) == 1
    assert len(doc.xpath("//details[@class='ended']//li[@class='offering']")) == 1
    assert doc.xpath("//details[@class='ended']/summary")[0].text_content() == "1 ended group"
    assert "Sign up" in doc.xpath("//main/ul[@class='offerings']/li")[0].text_content()


def test_countries_have_an_index_linked_from_every_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content"), site)
    assert [a.text_content() for a in parse_html(site / "countries/index.html").xpath("//main//ul[@class='columns']//a")] == ["Kenya"]
    assert parse_html(site / "hubs/example-hub/index.html").xpath("//header//a[@href='../../countries/']")


def test_plurals_are_words_not_numbers_glued_to_them(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content"), site)
    assert "Learning How to Learn · 1 group" in visible_text(site / "courses/index.html")
    assert "1 hub in 1 country." in visible_text(site / "index.html")


def test_the_home_page_stays_small_however_many_courses(tmp_path: Path) -> None:
    """Courses are suggested from the data as one types, not listed as options: 400 hubs with
    2,000 courses between them still make a home page under 50 KB."""
    hubs = {}
    for number in range(400):
        sessions = "".join(HUB_YAML.split("sessions:\n")[1].replace("Learning How to Learn", f"Course {number * 5 + k:04d}").replace("day: tuesday", f"day: {day}")
                           for k, day in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday")))
        text = HUB_YAML.split("sessions:\n")[0].replace("Example Hub", f"Hub {number:03d}").replace("lat: -1.2864", f"lat: {-1 - number / 500:.4f}")
        hubs[f"hubs/hub-{number:03d}.yaml"] = text + "sessions:\n" + sessions
    site = tmp_path / "site"
    build_site_in_a_process(scratch_content(tmp_path / "content", hubs, hub=False), site, "--workers", "2")  # workers fork: not from the test's process
    assert len(json.loads((site / "hubs/map.json").read_text())["courses"]) == 2000
    assert (site / "index.html").stat().st_size <= 50 * 1024


def test_language_names_come_from_cldr_even_without_locale_data() -> None:
    from hubsite.render.formats import language_name

    assert [language_name(tag, "en") for tag in ("vi", "pt-BR", "ay", "qu", "xx-YY")] == ["Vietnamese", "Portuguese (Brazil)", "Aymara", "Quechua", "xx-YY"]


def test_a_course_page_says_how_often_each_group_meets_and_in_which_language(tmp_path: Path) -> None:
    every_other_in_korean = HUB_YAML.replace("    language: en\n", "    language: ko\n    frequency: biweekly\n")
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": every_other_in_korean + NEXT_TERM}), site)
    offerings = parse_html(site / "courses/learning-how-to-learn/index.html").xpath("//li[@class='offering']")
    assert "Every other Tuesday, 6:00 – 8:00 PM" in " ".join(offerings[0].text_content().split())
    assert [li.xpath("string(.//dl[@class='offering-facts'])") for li in offerings] == ["LanguageKorean", ""]  # the next term names none: none is made up


@pytest.mark.parametrize("tag, unit", [("en", "km"), ("fr", "kilomètres"), ("en-US", "mi"), ("en-GB", "mi")])
def test_the_finder_counts_distance_in_the_pages_unit(tmp_path: Path, tag: str, unit: str) -> None:
    """One unit per page: the finder's distances follow the language's tag, as the hub pages' do (a bare `en` is read worldwide, in km)."""
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML.replace("language: en", f"language: {tag}")}), site)
    form = parse_html(site / "index.html").xpath("//form[@id='finder']")[0]
    assert form.get("data-distance").startswith("{n}") and form.get("data-distance").endswith(unit) and (form.get("data-miles") == "1") == (unit == "mi")
