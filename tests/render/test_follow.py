"""Following a country, a city, a course or a partner (render/follow.py), and a session's links to
Google Calendar and Outlook (render/calendar_links.py), read back from a real build: every
calendar by icalendar and recurring_ical_events, every feed by feedparser, every link by
urllib's own query parser."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import icalendar
import pytest
import recurring_ical_events
from conftest import CORPUS, run_main, scratch_content
from sites import OTHER_PARTNER, build, session_yaml
from sites import scheduled_hub as hub_yaml

TWO_LANGUAGES = "title: Test Hubs\nbase_url: https://example.org/hubs/\nlanguages: [en, fr]\ncontact_email: hubs@example.org\n"
NAIROBI = {"city": "Nairobi", "country": "KE", "zone": "Africa/Nairobi", "lat": -1.2864, "lon": 36.8172}
NAIROBI_WEST = {**NAIROBI, "lat": -1.30, "lon": 36.76}
MOMBASA = {"city": "Mombasa", "country": "KE", "zone": "Africa/Nairobi", "lat": -4.04, "lon": 39.67}
PRAGUE = {"city": "Prague", "country": "CZ", "zone": "Europe/Prague", "lat": 50.0875, "lon": 14.4213}
LEARN = session_yaml()
DATA = session_yaml("Data Science", starts="2026-03-05", ends="2026-05-28", when="day: thursday", extra="frequency: biweekly\nexceptions: [2026-03-19]")


def other_college(text: str) -> str:
    return text.replace("host: example-library", "host: other-college")


HUBS = {
    "nairobi-central": hub_yaml(LEARN, DATA, place=NAIROBI, name="Nairobi Central Hub"),
    "nairobi-west": other_college(hub_yaml(LEARN, place=NAIROBI_WEST, name="Nairobi West Hub", extra="partners: [example-library]\n")),
    "mombasa": other_college(hub_yaml(DATA, place=MOMBASA, name="Mombasa Hub")),
    "prague": hub_yaml(LEARN, place=PRAGUE, name="Prague Hub"),
}
LEARN_UIDS = {"learning-how-to-learn@nairobi-central.example.org", "learning-how-to-learn@nairobi-west.example.org", "learning-how-to-learn@prague.example.org"}
DATA_UIDS = {"data-science@nairobi-central.example.org", "data-science@mombasa.example.org"}
# Each follow calendar (under a language's folder) and exactly the sessions it holds.
SCOPES = {
    "countries/ke/": LEARN_UIDS - {"learning-how-to-learn@prague.example.org"} | DATA_UIDS,
    "countries/ke/cities/nairobi/": {"learning-how-to-learn@nairobi-central.example.org", "learning-how-to-learn@nairobi-west.example.org", "data-science@nairobi-central.example.org"},
    "countries/cz/": {"learning-how-to-learn@prague.example.org"},
    "courses/learning-how-to-learn/": LEARN_UIDS,
    "courses/data-science/": DATA_UIDS,
    "partners/example-library/": LEARN_UIDS | {"data-science@nairobi-central.example.org"},
    "partners/other-college/": {"learning-how-to-learn@nairobi-west.example.org", "data-science@mombasa.example.org"},
    "": LEARN_UIDS | DATA_UIDS,
}
WHOLE_TERM = (datetime(2026, 1, 1), datetime(2026, 7, 1))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("follow")
    (root / "content/partners").mkdir(parents=True)
    (root / "content/partners/other-college.yaml").write_text(OTHER_PARTNER)
    return build(root, HUBS, site_yaml=TWO_LANGUAGES)


def occurrences(path: Path) -> set[tuple[str, datetime]]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert not calendar.get_missing_tzids()
    return {(str(event["UID"]), event.start) for event in recurring_ical_events.of(calendar).between(*WHOLE_TERM)}


def calendar_path(site: Path, language: str, scope: str) -> Path:
    return site / language / scope / "calendar.ics"


@pytest.mark.parametrize("scope", SCOPES)
def test_each_follow_calendar_holds_exactly_its_scope_s_meetings_as_each_hub_s_calendar_has_them(site: Path, scope: str) -> None:
    every_hub = set().union(*(occurrences(site / f"en/hubs/{slug}/calendar.ics") for slug in HUBS))
    for language in ("en", "fr"):
        found = occurrences(calendar_path(site, language, scope))
        assert {uid for uid, _ in found} == SCOPES[scope], (language, scope)
        assert found == {(uid, start) for uid, start in every_hub if uid in SCOPES[scope]}, (language, scope)


def test_one_session_is_one_event_in_every_calendar_and_language(site: Path) -> None:
    """The same UID, start, rule and exceptions wherever a session is: its hub's calendar, its own
    .ics, and every scope's, in English and French; only the words differ."""
    def event(path: Path, uid: str) -> icalendar.Event:
        return next(e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT") if str(e["UID"]) == uid)
    uid = "data-science@nairobi-central.example.org"
    paths = [site / language / path for language in ("en", "fr") for path in ("hubs/nairobi-central/calendar.ics", "hubs/nairobi-central/sessions/data-science.ics")]
    paths += [calendar_path(site, language, scope) for language in ("en", "fr") for scope, uids in SCOPES.items() if uid in uids]
    assert len(paths) == 4 + 2 * 5
    events = [event(path, uid) for path in paths]
    assert {(e.start, e.end, e["RRULE"].to_ical(), e["EXDATE"].to_ical()) for e in events} == {(events[0].start, events[0].end, events[0]["RRULE"].to_ical(), events[0]["EXDATE"].to_ical())}
    assert events[0]["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20260528T205959Z;INTERVAL=2;BYDAY=TH;WKST=MO"
    assert {str(e["SUMMARY"]) for e in events} == {"Data Science · Nairobi Central Hub"}


def test_calendar_and_feed_names_are_in_the_page_s_language(site: Path) -> None:
    def name(language: str, scope: str = "countries/ke/") -> str:
        """X-WR-CALNAME, a TEXT value (icalendar leaves an X- property escaped)."""
        raw = icalendar.Calendar.from_ical(calendar_path(site, language, scope).read_bytes())["X-WR-CALNAME"].to_ical().decode()
        return re.sub(r"\\(.)", r"\1", raw)
    assert name("en") == "Learning hubs in Kenya"
    assert name("fr") != name("en") and "Kenya" in name("fr")  # the country page's own title, translated
    assert feedparser.parse((site / "fr/countries/ke/feed.xml").read_bytes()).feed.title == name("fr")
    assert name("en", "countries/ke/cities/nairobi/") == "Learning hubs in Nairobi, Kenya"
    assert name("en", "courses/data-science/") == "Study groups for Data Science"
    assert name("en", "partners/other-college/") == "Learning hubs of Other College"


def entry_ids(uids: set[str], with_hubs: bool, language: str = "en") -> set[str]:
    """The feed entries of these sessions (each UID is SESSION@HUB.example.org), and of their hubs."""
    pairs = [uid.removesuffix(".example.org").split("@") for uid in uids]
    page = f"https://example.org/hubs/{language}/hubs/{{}}/"
    return {page.format(hub) + f"#session-{session}" for session, hub in pairs} | ({page.format(hub) for _, hub in pairs} if with_hubs else set())


@pytest.mark.parametrize("scope", SCOPES)
def test_each_feed_holds_exactly_its_scope_s_entries(site: Path, scope: str) -> None:
    """A course's feed holds its groups alone; a place's or partner's, its hubs and their groups."""
    for language in ("en", "fr"):
        feed = feedparser.parse((site / language / scope / "feed.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert {entry.id for entry in feed.entries} == entry_ids(SCOPES[scope], with_hubs=not scope.startswith("courses/"), language=language)
        assert feed.feed.link == f"https://example.org/hubs/{language}/{scope}"
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"https://example.org/hubs/{language}/{scope}feed.xml"]


def links_of(page: Path) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', page.read_text())]


def query(link: str) -> dict[str, str]:
    """A link's query, each parameter once (a second value would be a parameter that broke out)."""
    found = parse_qs(urlsplit(link).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in found.values()), found
    return {name: values[0] for name, values in found.items()}


def test_google_link_carries_the_rule_in_the_hub_s_zone(site: Path) -> None:
    google = [link for link in links_of(site / "en/hubs/nairobi-central/index.html") if link.startswith("https://calendar.google.com/")]
    assert len(google) == 2  # one for each coming session
    found = query(next(link for link in google if "Data%20Science" in link))
    assert urlsplit(google[0])[:3] == ("https", "calendar.google.com", "/calendar/render")
    assert set(found) == {"action", "text", "dates", "ctz", "recur", "details", "location"}
    assert found["action"] == "TEMPLATE" and found["text"] == "Data Science · Nairobi Central Hub"
    assert found["dates"] == "20260305T180000/20260305T200000" and found["ctz"] == "Africa/Nairobi"
    assert found["recur"] == "RRULE:FREQ=WEEKLY;UNTIL=20260528T205959Z;INTERVAL=2;BYDAY=TH;WKST=MO"
    assert found["location"] == "Nairobi Central Hub, 1 Main Street, Nairobi, Kenya"
    assert found["details"].endswith("\nDetails: https://example.org/hubs/en/hubs/nairobi-central/#session-data-science")


def test_outlook_link_adds_the_next_meeting_in_utc_and_says_so(site: Path) -> None:
    page = site / "en/hubs/nairobi-central/index.html"
    outlook = [link for link in links_of(page) if link.startswith("https://outlook.live.com/")]
    found = query(next(link for link in outlook if "Data%20Science" in link))
    assert urlsplit(outlook[0]).path == "/calendar/0/action/compose"
    assert found == {**found, "rru": "addevent", "subject": "Data Science · Nairobi Central Hub", "startdt": "2026-03-05T15:00:00Z", "enddt": "2026-03-05T17:00:00Z"}
    assert set(found) == {"rru", "subject", "startdt", "enddt", "location", "body"}
    text = " ".join(page.read_text().split())
    assert "(only the meeting on Mar 5: Outlook’s links cannot repeat)" in text
    assert text.count("(it also shows the dates without a meeting)") == 1  # Data Science skips 19 March; the other course skips nothing


@pytest.mark.parametrize(("page", "calendar"), [("hubs/nairobi-central/", "hubs/nairobi-central/calendar.ics"), ("countries/ke/", "countries/ke/calendar.ics"),
                                                ("countries/ke/", "countries/ke/cities/nairobi/calendar.ics"), ("courses/data-science/", "courses/data-science/calendar.ics"),
                                                ("partners/other-college/", "partners/other-college/calendar.ics"), ("", "calendar.ics")])
def test_webcal_links_subscribe_to_the_https_calendar_the_page_links(site: Path, page: str, calendar: str) -> None:
    for language in ("en", "fr"):
        links = links_of(site / language / page / "index.html")
        https = f"https://example.org/hubs/{language}/{calendar}"
        assert "webcal://" + https.removeprefix("https://") in links
        if page:  # the home page links the site calendar by its webcal address and the footer's feed only
            assert https in links
        assert calendar_path(site, language, calendar.removesuffix("calendar.ics")).is_file()


def test_follow_pages_link_their_feeds_for_readers(site: Path) -> None:
    page = (site / "en/countries/ke/index.html").read_text()
    assert '<link rel="alternate" type="application/atom+xml" title="Learning hubs in Kenya" href="../../countries/ke/feed.xml">' in page
    assert 'href="../../countries/ke/cities/nairobi/feed.xml"' in page
    assert 'id="city-nairobi"' in page and "countries/cz/cities" not in page
    assert 'href="../feed.xml"' in (site / "en/partners/index.html").read_text()  # the footer's, on every page


def test_a_site_opened_from_disk_offers_the_file_and_says_why_not_a_subscription(tmp_path: Path) -> None:
    site = build(tmp_path, {"nairobi-central": HUBS["nairobi-central"]}, "--base-url", (tmp_path / "site").as_uri() + "/")
    page = (site / "countries/ke/index.html").read_text()
    assert "webcal:" not in page
    assert 'href="../../countries/ke/calendar.ics"' in page
    assert "a copy opened from a disk cannot send changes to your calendar" in page


HOSTILE_CASE = CORPUS / "hubs/calendar-link-parameters.yaml"


def test_hostile_names_stay_inside_their_parameters(tmp_path: Path) -> None:
    """The corpus's hub whose name, course and city are written to break a query (`&`, `#`, `=`,
    `%`, `+`, quotes, right-to-left text, a course as long as a course may be): every link
    parses to exactly its own parameters, each text whole or cut with an ellipsis."""
    content = scratch_content(tmp_path / "content", {"hubs/hostile.yaml": HOSTILE_CASE.read_text().replace("example-partner", "example-library")}, hub=False)
    result = run_main("build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", "2026-02-01")
    assert result.code == 0, result.err
    links = links_of(tmp_path / "site/hubs/hostile/index.html")
    name = "Hub & Co #1 ?ctz=UTC&text=x %20+ \"q\" 'q' مركز"
    short, long = [query(link) for link in links if link.startswith("https://calendar.google.com/")]
    assert short["text"] == f"Maths&recur=RRULE:FREQ=DAILY#top · {name}"
    assert short["ctz"] == "America/Sao_Paulo" and short["recur"].startswith("RRULE:FREQ=WEEKLY;") and "DAILY" not in short["recur"]
    assert short["location"].startswith(name + ", ") and "São Paulo&dates=1/2" in short["location"]
    assert long["text"].endswith("…") and len(long["text"].encode()) <= 300 and long["text"].startswith("語語")
    outlook = [query(link) for link in links if link.startswith("https://outlook.live.com/")]
    assert [found["subject"] for found in outlook] == [short["text"], long["text"]]
    assert max(len(link) for link in links) < 6000
