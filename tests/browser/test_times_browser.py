"""The visitor-time script (assets/js/times.js) in headless Chromium with a forced time zone and clock.

The site is built on 1 February 2026 for a hub in Kyiv meeting on Tuesdays 18:00-20:00; the
browser pretends to be elsewhere (Playwright `timezone_id`) and later (a fixed clock), and the
page must show the meeting in the visitor's time and the next meeting by the visitor's clock.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chromium import serve_directory, watched_page
from sites import KYIV, build, session_yaml
from sites import scheduled_hub as hub_yaml

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("times")
    hub = hub_yaml(session_yaml(starts="2026-01-13", ends="2026-03-31", extra="exceptions: [2026-02-17]"), place=KYIV)
    daily = hub_yaml(session_yaml("Daily practice", starts="2026-01-05", ends="2026-06-30", when="days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]"), place=KYIV)
    site = build(root, {"kyiv": hub, "daily": daily}, today="2026-02-01")
    with serve_directory(site) as url:
        yield url


def look(browser, url: str, zone: str, now: str, path: str = "hubs/kyiv/") -> dict[str, object]:
    with watched_page(browser, timezone_id=zone) as page:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.fulfill(status=204))  # map tiles: offline
        page.clock.set_fixed_time(now)
        page.goto(url + path)
        page.wait_for_load_state("load")
        when = page.locator(".when").first
        yours = when.locator(".yours")
        found = {
            "next": " ".join(when.locator(".next").inner_text().split()) if when.locator(".next").is_visible() else None,
            "datetime": when.locator(".next time").get_attribute("datetime") if when.locator(".next time").count() else None,
            "yours": " ".join(yours.inner_text().split()) if yours.is_visible() else None,  # U+202F before AM/PM is a space here
        }
        assert [e for e in page.console_errors if not e.startswith("Failed to load resource")] == []
        return found


def test_kyiv_meeting_seen_from_new_york(browser, served: str) -> None:
    # 11 Feb: the 10 Feb meeting is over, 17 Feb is cancelled, so the next one is 24 Feb.
    seen = look(browser, served, "America/New_York", "2026-02-11T12:00:00Z")
    assert seen == {"next": "Next: Tuesday, February 24, 2026", "datetime": "2026-02-24", "yours": "6:00 PM in Kyiv = 11:00 AM your time"}


def test_new_york_changes_clocks_three_weeks_before_kyiv(browser, served: str) -> None:
    seen = look(browser, served, "America/New_York", "2026-03-09T12:00:00Z")  # US on EDT since 8 March, Kyiv still on EET
    assert seen["next"] == "Next: Tuesday, March 10, 2026"
    assert seen["yours"] == "6:00 PM in Kyiv = 12:00 PM your time"


def test_next_day_for_the_visitor_is_named(browser, served: str) -> None:
    seen = look(browser, served, "Asia/Tokyo", "2026-02-01T00:00:00Z")
    assert seen == {"next": "Next: Tuesday, February 3, 2026", "datetime": "2026-02-03", "yours": "6:00 PM in Kyiv = Wed 1:00 AM your time"}


def test_meeting_in_progress_and_after_the_last(browser, served: str) -> None:
    assert look(browser, served, "Europe/London", "2026-02-03T16:30:00Z")["next"] == "Next: Tuesday, February 3, 2026 (meeting now)"
    assert look(browser, served, "Europe/London", "2026-04-01T12:00:00Z")["next"] == "No more meetings."


def test_no_conversion_for_a_visitor_in_the_hubs_zone(browser, served: str) -> None:
    seen = look(browser, served, "Europe/Kyiv", "2026-02-02T12:00:00Z")
    assert seen == {"next": "Next: Tuesday, February 3, 2026", "datetime": "2026-02-03", "yours": None}


def test_course_page_is_enhanced_too(browser, served: str) -> None:
    seen = look(browser, served, "America/Los_Angeles", "2026-02-11T12:00:00Z", "courses/learning-how-to-learn/")
    assert seen == {"next": "Next: Tuesday, February 24, 2026", "datetime": "2026-02-24", "yours": "6:00 PM in Kyiv = 8:00 AM your time"}


def test_without_javascript_the_build_day_text_stays(browser, served: str) -> None:
    with watched_page(browser, timezone_id="America/New_York", java_script_enabled=False) as page:
        page.goto(served + "hubs/kyiv/")
        assert " ".join(page.locator(".when .next").first.inner_text().split()) == "Next: Tuesday, February 3, 2026"
        assert not page.locator(".when .yours").first.is_visible()


def test_past_the_listed_meetings_the_page_says_nothing_wrong(browser, served: str) -> None:
    # The page lists a year's worth at most (here 53 daily meetings, to 25 March); more follow.
    assert look(browser, served, "Europe/Kyiv", "2026-03-20T12:00:00Z", "hubs/daily/")["next"] == "Next: Friday, March 20, 2026"
    assert look(browser, served, "Europe/Kyiv", "2026-06-01T12:00:00Z", "hubs/daily/")["next"] is None
