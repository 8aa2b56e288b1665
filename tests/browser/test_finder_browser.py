"""The finder's radius, distance order and time of day in real Chromium, on built sites served on
127.0.0.1: the radius is in the page's unit (km for `en`, miles for `en-US`), lives in the URL
(a shared URL opens the same view), and a hostile value is left out; "in my own time zone" reads
a session's next meeting on the visitor's clock (Playwright's timezone_id)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from chromium import serve_directory, watched_page
from conftest import ROOT, SITE_YAML
from sites import build, placed_hub

pytestmark = pytest.mark.browser

NAIROBI = {"latitude": -1.2864, "longitude": 36.8172}
# Distances from Nairobi: Thika 40 km, Machakos 53 km, Nakuru 123 km, Mombasa 440 km.
HUBS = {
    "nairobi": placed_hub("Nairobi Hub"),
    "thika": placed_hub("Thika Hub", "Thika", lat=-1.0333, lon=37.0693),
    "machakos": placed_hub("Machakos Hub", "Machakos", lat=-1.5177, lon=37.2634),
    "nakuru": placed_hub("Nakuru Hub", "Nakuru", lat=-0.3031, lon=36.08),
    "mombasa": placed_hub("Mombasa Hub", "Mombasa", lat=-4.0435, lon=39.6682).replace("time: 18:00-20:00", "time: 07:00-08:30"),
}
EVENING = ["Machakos Hub", "Nairobi Hub", "Nakuru Hub", "Thika Hub"]  # each meets 18:00-20:00
QUERIES = sorted((ROOT / "tests/corpus/query").glob("*.query"))


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The same hubs in a site in `en` (kilometres) and one in `en-US` (miles)."""
    km = build(tmp_path_factory.mktemp("km"), HUBS)
    miles = build(tmp_path_factory.mktemp("miles"), HUBS, site_yaml=SITE_YAML.replace("language: en", "language: en-US"))
    with serve_directory(km) as km_url, serve_directory(miles) as miles_url:
        yield {"km": km_url, "mi": miles_url}


@contextmanager
def opened(browser, url: str, near: bool = False, **options) -> Iterator:
    """The finder at `url`, its results drawn (after "Near me" from Nairobi when `near`)."""
    with watched_page(browser, geolocation=NAIROBI, permissions=["geolocation"], **options) as page:
        page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort())
        page.goto(url)
        page.wait_for_selector("#finder:not([hidden])")
        if near:
            page.locator("#finder-near").click()
            page.wait_for_function("() => document.getElementById('finder-status').textContent.includes('nearest first')")
        yield page


def errors(page) -> list[str]:
    """Console errors but the tile loads this test's route refuses."""
    return [e for e in page.console_errors if not e.startswith("Failed to load resource")]


def names(page, into: str = "#finder-list") -> list[str]:
    return page.locator(f"{into} > li h3").all_inner_texts()


def test_radius_near_me_in_kilometres_sorted_by_distance(browser, sites) -> None:
    with opened(browser, sites["km"] + "?radius=50", near=True) as page:
        assert page.locator("#finder-results-heading").inner_text() == "Within 50 km of you"
        assert names(page) == ["Nairobi Hub", "Thika Hub"]
        assert names(page, "#finder-further-list") == ["Machakos Hub", "Nakuru Hub", "Mombasa Hub"]  # nearest first
        assert page.locator("#finder-list > li .meta").nth(1).inner_text() == "Thika, Kenya · 40 km"
        assert page.locator("#finder-radius").input_value() == "50"
        assert errors(page) == [] and page.dialogs == []


def test_default_radius_is_the_pages_own(browser, sites) -> None:
    with opened(browser, sites["km"], near=True) as page:
        assert page.locator("#finder-results-heading").inner_text() == "Within 100 km of you"
        assert names(page) == ["Nairobi Hub", "Thika Hub", "Machakos Hub"]


def test_radius_in_miles_for_a_miles_language(browser, sites) -> None:
    with opened(browser, sites["mi"], near=True) as page:
        assert page.locator("#finder-results-heading").inner_text() == "Within 50 mi of you"  # 80 km
        assert names(page) == ["Nairobi Hub", "Thika Hub", "Machakos Hub"]
        assert page.locator("#finder-list > li .meta").nth(1).inner_text() == "Thika, Kenya · 25 mi"
        page.locator("#finder-more-filters summary").click()
        page.select_option("#finder-radius", "25")
        page.wait_for_function("() => document.getElementById('finder-results-heading').textContent === 'Within 25 mi of you'")
        assert names(page) == ["Nairobi Hub", "Thika Hub"]  # Machakos is 33 mi away
        assert page.url.endswith("?radius=25")
        options = page.locator("#finder-radius option").all_inner_texts()
        assert options[0] == "Within 5 mi" and "Within 50 mi" in options


def test_a_shared_radius_reopens_the_same_view(browser, sites) -> None:
    with opened(browser, sites["km"], near=True) as page:
        page.locator("#finder-more-filters summary").click()
        page.select_option("#finder-radius", "10")
        page.wait_for_function("() => location.search === '?radius=10'")
        shared = page.url
    with opened(browser, shared, near=True) as page:  # another visitor, the same link
        assert page.locator("#finder-radius").input_value() == "10"
        assert page.locator("#finder-more-filters").get_attribute("open") is not None
        assert page.locator("#finder-results-heading").inner_text() == "Within 10 km of you"
        assert names(page) == ["Nairobi Hub"]


def test_a_radius_the_choices_do_not_list_is_offered(browser, sites) -> None:
    with opened(browser, sites["km"] + "?radius=45", near=True) as page:
        assert page.locator("#finder-radius").input_value() == "45"
        assert page.locator("#finder-radius option:checked").inner_text() == "Within 45 km"
        assert page.locator("#finder-results-heading").inner_text() == "Within 45 km of you"
        assert names(page) == ["Nairobi Hub", "Thika Hub"]


@pytest.mark.parametrize("case", QUERIES, ids=[case.stem for case in QUERIES])
def test_hostile_url_values_are_left_out(browser, sites, case: Path) -> None:
    """Each value of the corpus's query/ cases: its field keeps its default choice, no choice is
    added, nothing runs, nothing is logged."""
    first, *values = case.read_text().splitlines()
    name = first.removeprefix("# expect: left-out ")
    with opened(browser, sites["km"]) as page:
        choices = page.locator(f"#finder [name={name}] option").count()
        for value in values:
            page.goto(sites["km"] + f"?{name}={value}")
            page.wait_for_selector("#finder:not([hidden])")
            field = page.locator(f"#finder [name={name}]")
            assert (field.is_checked() if name == "zone" else field.input_value()) in (False, ""), value
            assert page.locator(f"#finder [name={name}] option").count() == choices, value
        assert errors(page) == [] and page.dialogs == []


def test_the_default_radius_stands_for_a_hostile_one(browser, sites) -> None:
    with opened(browser, sites["km"] + "?radius=-1", near=True) as page:
        assert page.locator("#finder-results-heading").inner_text() == "Within 100 km of you"


def test_hostile_words_and_choices_stay_text(browser, sites) -> None:
    query = "q=" + quote("<img src=x onerror=alert(1)>") + "&time=constructor&day=__proto__&zone=%3Cscript%3E&language=" + quote('"><script>')
    with opened(browser, sites["km"] + "?" + query) as page:
        page.wait_for_function("() => document.getElementById('finder-status').textContent !== ''")
        assert page.locator("#finder-time").input_value() == "" and page.locator("#finder-day").input_value() == ""
        assert not page.locator("#finder-zone").is_checked()
        assert page.locator("#finder-status").inner_text() == "No hub matches “<img src=x onerror=alert(1)>”."
        assert page.locator("img[src=x]").count() == 0 and page.dialogs == []


def results_at(browser, url: str, zone: str) -> tuple[list[str], list[str]]:
    with opened(browser, url, timezone_id=zone) as page:
        page.wait_for_function("() => document.getElementById('finder-status').textContent !== ''")
        if page.locator("#finder-drop").is_visible():
            return [], []
        return sorted(names(page)), [" ".join(line.split()) for line in page.locator("#finder-list .result-session").all_inner_texts()]


def test_time_of_day_in_my_own_zone(browser, sites) -> None:
    """Four hubs meet at 18:00 in Kenya (UTC+3), Mombasa at 07:00: from New York (UTC-5 in
    February) that is 10:00, and 23:00 the day before; from Tokyo (UTC+9) 00:00 the next day and 13:00."""
    url = sites["km"]
    assert results_at(browser, url + "?time=evening", "America/New_York")[0] == EVENING  # the hub's own clock
    hubs, lines = results_at(browser, url + "?time=morning&zone=mine", "America/New_York")
    assert hubs == EVENING
    assert "Learning How to Learn — Every Tuesday, 6:00 – 8:00 PM in Nairobi = 10:00 AM your time" in lines
    hubs, lines = results_at(browser, url + "?time=evening&zone=mine", "America/New_York")
    assert hubs == ["Mombasa Hub"] and lines == ["Learning How to Learn — Every Tuesday, 7:00 – 8:30 AM in Mombasa = Mon 11:00 PM your time"]
    assert results_at(browser, url + "?time=afternoon&zone=mine", "Asia/Tokyo")[0] == ["Mombasa Hub"]
    hubs, lines = results_at(browser, url + "?time=morning&zone=mine", "Asia/Tokyo")
    assert hubs == EVENING and "Learning How to Learn — Every Tuesday, 6:00 – 8:00 PM in Nairobi = Wed 12:00 AM your time" in lines
    assert results_at(browser, url + "?time=evening&zone=mine", "Asia/Tokyo") == ([], [])  # none: a filter to drop instead


def test_in_the_hubs_zone_no_conversion_is_shown(browser, sites) -> None:
    hubs, lines = results_at(browser, sites["km"] + "?time=evening&zone=mine", "Africa/Nairobi")
    assert hubs == EVENING and set(lines) == {"Learning How to Learn — Every Tuesday, 6:00 – 8:00 PM"}
