"""The network in numbers (/numbers/ in every language, /numbers.json) counted on a site whose
meetings are counted here by hand, with the build's date of conftest (Sunday 2026-02-01); and each
hub page's past groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PARTNER_YAML, SITE_YAML, TODAY, parse_html, visible_text
from sites import KOLKATA, PRAGUE, build, scheduled_hub, session_yaml

# Prague: Tuesdays 2025-11-04 .. 2026-01-27, none on 2025-12-30: 8 meetings in 2025 (Nov 4-25, Dec
# 2-23), 4 in 2026 (Jan 6-27), all before the build's date; every other Monday 2026-01-05 .. 03-30:
# Jan 5, Jan 19 held, Feb 2, Feb 16, Mar 2, Mar 16, Mar 30 planned; Sundays 2026-01-25 .. 02-08: Jan
# 25 held, the build's own date still to come (as the next meeting is), Feb 8 too.
PRAGUE_HUB = scheduled_hub(
    session_yaml("Learning How to Learn", "2025-11-04", "2026-01-27", "day: tuesday", "exceptions: [2025-12-30]\ncapacity: 1200\nlanguage: cs"),
    session_yaml("Python for Everybody", "2026-01-05", "2026-03-30", "day: monday", "frequency: biweekly\ncapacity: 15"),
    session_yaml("Sunday Circle", "2026-01-25", "2026-02-08", "day: sunday"),
    place=PRAGUE, name="Prague Hub",
)
# Kolkata, opening later: Tuesdays and Thursdays 2026-12-01 .. 2027-01-26: 10 in December, 7 in
# January (5, 7, 12, 14, 19, 21, 26), all planned; no capacity given.
KOLKATA_HUB = scheduled_hub(session_yaml("Machine Learning", "2026-12-01", "2027-01-26", "days: [tuesday, thursday]"), place=KOLKATA, name="Kolkata Hub", extra="status: upcoming\n")
SITE = SITE_YAML.replace("language: en\n", "languages: [en, fr, ar]\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("numbers")
    (root / "content/partners").mkdir(parents=True)
    (root / "content/partners/other-partner.yaml").write_text(PARTNER_YAML.replace("Example Library", "Other Partner"))
    return build(root, {"prague-hub": PRAGUE_HUB, "kolkata-hub": KOLKATA_HUB}, site_yaml=SITE)


def test_the_open_data_counts_what_the_records_say(site: Path) -> None:
    data = json.loads((site / "numbers.json").read_text(encoding="utf-8"))
    assert data == {
        "version": 1, "as_of": TODAY, "url": "https://example.org/hubs/en/numbers/",
        "hubs": {"total": 2, "by_status": {"active": 1, "upcoming": 1}}, "countries": 2, "partners": 2, "courses": 4,
        "sessions": {"held": 3, "planned": 1},
        "meetings": {"held": 8 + 4 + 2 + 1, "planned": 5 + 2 + 10 + 7},
        "places": {"offered": 1215, "sessions_counted": 2, "sessions": 4},
        "years": [
            {"year": 2025, "active_hubs": 1, "meetings_held": 8, "meetings_planned": 0},
            {"year": 2026, "active_hubs": 2, "meetings_held": 4 + 2 + 1, "meetings_planned": 5 + 2 + 10},
            {"year": 2027, "active_hubs": 1, "meetings_held": 0, "meetings_planned": 7},
        ],
    }


def years_table(page: Path) -> list[list[str]]:
    doc = parse_html(page)
    return [[cell.text_content().strip() for cell in row.xpath("./th|./td")] for row in doc.xpath("//table[@class='years']/tbody/tr")]


def test_the_page_says_the_figures_in_each_language(site: Path) -> None:
    english = visible_text(site / "en/numbers/index.html")
    for said in ("Hubs 2 Active: 1 and Opening soon: 1", "Countries 2", "Partners 2", "Courses 4", "Groups held so far 3", "Groups planned 1",
                 "Meetings held 15", "Meetings planned 24", "Places offered 1,215", "2 of 4 groups give a number"):
        assert said in english, said
    assert years_table(site / "en/numbers/index.html") == [["2025", "1", "8", "0"], ["2026", "2", "7", "17"], ["2027", "1", "0", "7"]]
    widths = parse_html(site / "en/numbers/index.html").xpath("//table[@class='years']//svg[@aria-hidden='true']/rect/@width")
    assert widths == ["50.0", "100.0", "50.0"]  # each year's active hubs against the busiest year's
    assert parse_html(site / "fr/numbers/index.html").xpath("//dd[@class='value']/text()")[-1] == "1\u202f215"  # CLDR's French grouping
    assert parse_html(site / "ar/numbers/index.html").xpath("//html/@dir") == ["rtl"]
    for key in ("en", "fr", "ar"):
        footer = parse_html(site / f"{key}/index.html").xpath("//footer//a/@href")
        assert "numbers/" in footer and "../hubs.json" in footer


def test_an_empty_directory_has_no_years(tmp_path: Path) -> None:
    site = build(tmp_path, {})
    assert json.loads((site / "numbers.json").read_text())["years"] == []
    assert "No group has met yet, and none is planned." in visible_text(site / "numbers/index.html")


def test_a_hub_page_keeps_its_past_groups_apart(site: Path) -> None:
    page = site / "en/hubs/prague-hub/index.html"
    doc = parse_html(page)
    past = doc.xpath("//section[@class='past-groups']//li")
    assert [li.get("id") for li in past] == ["session-learning-how-to-learn"]
    assert " ".join(past[0].text_content().split()) == "Learning How to Learn Nov 4, 2025 – Jan 27, 2026, in Czech"
    current = doc.xpath("//ul[@class='session-list']/li/@id")
    assert current == ["session-python-for-everybody", "session-sunday-circle"]
    assert "Past groups" in visible_text(page) and "Past groups" not in visible_text(site / "en/hubs/kolkata-hub/index.html")
