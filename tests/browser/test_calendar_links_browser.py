"""A session's Google Calendar and Outlook links, followed from a real built hub page in headless
Chromium: the browser navigates to each service (answered here, offline: the test never reaches
the network), and the page it lands on reads its own address with URLSearchParams, as the
service would. The rule, the dates and the zone must be the session's: a group in Santiago that
meets every other Tuesday across Chile's clock change, with a date off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from chromium import serve_directory, watched_page
from dateutil.rrule import rrulestr
from sites import SANTIAGO, build, session_yaml
from sites import scheduled_hub as hub_yaml

pytestmark = pytest.mark.browser

STARTS, ENDS, SKIPPED = date(2026, 3, 3), date(2026, 5, 26), date(2026, 3, 31)
SESSION = session_yaml("Data Science", starts=STARTS.isoformat(), ends=ENDS.isoformat(), extra=f"frequency: biweekly\nexceptions: [{SKIPPED}]")
READ_QUERY = "Object.fromEntries(new URLSearchParams(location.search))"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build(tmp_path_factory.mktemp("links"), {"santiago": hub_yaml(SESSION, place=SANTIAGO, name="Biblioteca & Co #1")}, today="2026-02-01")
    with serve_directory(site) as url:
        yield url


def landed(browser, url: str, service: str) -> dict[str, str]:
    """Click the session's link to `service` on the hub page; the parameters the service reads."""
    with watched_page(browser) as page:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.fulfill(status=200, content_type="text/html", body="<title>service</title>"))
        page.goto(url + "hubs/santiago/")
        link = page.locator(f'.calendar-choices a[href^="{service}"]')
        assert link.count() == 1
        with page.expect_navigation():
            link.click()
        assert page.url.startswith(service)
        return page.evaluate(READ_QUERY)


def test_google_link_repeats_as_the_session_meets_in_the_hub_s_zone(browser, served: str) -> None:
    found = landed(browser, served, "https://calendar.google.com/calendar/render")
    assert found["action"] == "TEMPLATE" and found["text"] == "Data Science · Biblioteca & Co #1"
    assert found["ctz"] == "America/Santiago"
    assert found["dates"] == "20260303T180000/20260303T200000"  # wall-clock times in ctz
    zone = ZoneInfo(found["ctz"])
    assert found["recur"].startswith("RRULE:")
    first = datetime.strptime(found["dates"].split("/")[0], "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    meetings = [moment.date() for moment in rrulestr(found["recur"].removeprefix("RRULE:"), dtstart=first)]
    # Every other Tuesday from the first to the last day, the date off included (Google's link
    # cannot leave it out: the page says so beside it), always at 18:00 in Santiago.
    assert meetings == [date(2026, 3, 3), date(2026, 3, 17), SKIPPED, date(2026, 4, 14), date(2026, 4, 28), date(2026, 5, 12), date(2026, 5, 26)]
    assert {moment.timetz().replace(tzinfo=None) for moment in rrulestr(found["recur"].removeprefix("RRULE:"), dtstart=first)} == {time(18)}
    assert found["details"].endswith("\nDetails: https://example.org/hubs/hubs/santiago/#session-data-science")


def test_outlook_link_adds_the_next_meeting(browser, served: str) -> None:
    found = landed(browser, served, "https://outlook.live.com/calendar/0/action/compose")
    assert found["rru"] == "addevent" and found["subject"] == "Data Science · Biblioteca & Co #1"
    # 3 March 2026, 18:00-20:00 in Santiago (UTC-3 in summer).
    assert (found["startdt"], found["enddt"]) == ("2026-03-03T21:00:00Z", "2026-03-03T23:00:00Z")
