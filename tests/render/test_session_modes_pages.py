"""Online, hybrid, full, waitlisted and late-join groups as students meet them: hub pages, the home
page, open data, JSON-LD, calendar descriptions and map data, built for real."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest
from conftest import parse_html, visible_text
from sites import PRAGUE, build, scheduled_hub, session_yaml

TODAY = "2026-03-25"  # a Wednesday: the Prague groups (from Tuesday 3 March) are in their fourth week
KLADNO = {"city": "Kladno", "country": "CZ", "zone": "Europe/Prague", "lat": 50.1473, "lon": 14.1029}  # 24 km from Prague: near, were it a place
BRNO = {"city": "Brno", "country": "CZ", "zone": "Europe/Prague", "lat": 49.1951, "lon": 16.6068}

PRAGUE_HUB = scheduled_hub(
    session_yaml("Learning How to Learn", "2026-03-03", "2026-05-05", extra="language: en\ncapacity: 25\nsignup: full"),
    session_yaml("Machine Learning", "2026-03-03", "2026-05-05", "day: thursday", extra="language: en\nmode: online\nonline_url: https://meet.example.org/ml;pwd=7\njoin_until: 2026-04-02"),
    session_yaml("Financial Markets", "2026-04-07", "2026-06-02", "day: friday", extra="language: en\nmode: hybrid\nsignup_opens: 2026-03-30\nsignup_closes: 2026-04-10"),
    place=PRAGUE, name="Prague Hub",
)
BRNO_HUB = scheduled_hub(session_yaml("Learning How to Learn", "2026-04-07", "2026-06-02", "day: monday", extra="language: en\nsignup: waitlist"),
                         session_yaml("Learning How to Learn", "2026-04-14", "2026-06-09", "day: wednesday", extra="language: cs"), place=BRNO, name="Brno Hub")
ONLINE_HUB = scheduled_hub(session_yaml("Learning How to Learn", "2026-04-01", "2026-05-27", "day: wednesday", extra="language: en\nmode: online"),
                           place=KLADNO, name="Online Only Hub")
HUBS = {"prague-hub": PRAGUE_HUB, "brno-hub": BRNO_HUB, "online-only-hub": ONLINE_HUB}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("modes"), HUBS, today=TODAY)


def rows(site: Path, slug: str) -> dict[str, str]:
    """Each session row's visible text by its course and first weekday."""
    doc = parse_html(site / "hubs" / slug / "index.html")
    return {row.get("id"): " ".join(row.text_content().split()) for row in doc.xpath("//li[contains(@class, 'session')]")}


def test_a_hub_page_says_how_each_group_meets_and_whether_one_can_join(site: Path) -> None:
    found = rows(site, "prague-hub")
    full, online, hybrid = found["session-learning-how-to-learn"], found["session-machine-learning"], found["session-financial-markets"]
    assert "Full: no places left" in full and "Week 4 of 10" in full and "you can still join" not in full
    assert "Up to 25 learners" in full and "Places" not in full
    assert "Week 4 of 9 · you can still join until Apr 2" in online and "By video call" in online
    assert "Sign-up opens on Mar 30" in hybrid and "At the hub, and by video call: the link comes after sign-up" in hybrid
    page = parse_html(site / "hubs/prague-hub/index.html")
    assert page.xpath("//a[text()='Join the video call']/@href") == ["https://meet.example.org/ml;pwd=7"]
    signups = [" ".join(a.text_content().split()) for a in page.xpath("//li[contains(@class, 'session')]//a[contains(@class, 'primary')]")]
    assert signups == ["Sign up for Machine Learning"]  # not for the full group, not before sign-up opens


def test_a_full_group_offers_the_course_nearest_first_then_online(site: Path) -> None:
    page = parse_html(site / "hubs/prague-hub/index.html")
    others = page.xpath("//li[@id='session-learning-how-to-learn']//div[@class='elsewhere']//a/@href")
    assert others == ["../../hubs/brno-hub/#session-learning-how-to-learn-2026-04-14", "../../hubs/online-only-hub/#session-learning-how-to-learn"]  # the waitlisted Brno group is not offered
    brno = rows(site, "brno-hub")["session-learning-how-to-learn"]
    assert "Full: you can join the waiting list" in brno and "Join the waiting list for Learning How to Learn" in brno


def test_an_online_only_hub_is_no_pin_and_near_no_one(site: Path) -> None:
    assert "Every group of this hub meets online" in visible_text(site / "hubs/online-only-hub/index.html")
    assert not parse_html(site / "hubs/online-only-hub/index.html").xpath("//*[@data-map]")
    points = json.loads((site / "hubs/points.json").read_text())
    data = json.loads((site / "hubs/map.json").read_text())
    names = [row[1] for row in data["hubs"]]
    assert [names[i] for i in points["online"]] == ["Online Only Hub"]
    assert [row[12] for row in data["hubs"]] == [int(name == "Online Only Hub") for name in names]
    assert data["modes"] == ["in-person", "online", "hybrid"]
    prague = data["hubs"][names.index("Prague Hub")]
    assert sorted((data["courses"][s[0]][1], data["modes"][s[9]], data["signupStates"][s[10]]) for s in prague[6]) == [
        ("Financial Markets", "hybrid", "opens"), ("Learning How to Learn", "in-person", "full"), ("Machine Learning", "online", "open")]
    geo = {f["id"]: f for f in json.loads((site / "hubs.geojson").read_text())["features"]}
    assert geo["online-only-hub"]["geometry"] is None and geo["prague-hub"]["geometry"]["type"] == "Point"
    near = "Nearby hubs" in visible_text(site / "hubs/prague-hub/index.html")
    assert near and "Online Only Hub" not in " ".join(parse_html(site / "hubs/prague-hub/index.html").xpath("//ul[contains(@class, 'neighbours')]//text()"))


def test_open_data_says_the_mode_and_the_signup_state(site: Path) -> None:
    hubs = {hub["slug"]: hub for hub in json.loads((site / "hubs.json").read_text())["hubs"]}
    sessions = {s["slug"]: s for s in hubs["prague-hub"]["sessions"]}
    assert {key: sessions["machine-learning"][key] for key in ("mode", "online_url", "signup", "signup_state", "signup_state_date", "join_until", "week", "weeks")} == {
        "mode": "online", "online_url": "https://meet.example.org/ml;pwd=7", "signup": "open", "signup_state": "open", "signup_state_date": "2026-04-02",
        "join_until": "2026-04-02", "week": 4, "weeks": 9}
    assert sessions["financial-markets"]["signup_state"] == "opens" and sessions["financial-markets"]["signup_state_date"] == "2026-03-30"
    assert sessions["learning-how-to-learn"]["signup_state"] == "full" and sessions["learning-how-to-learn"]["online_url"] is None
    assert hubs["online-only-hub"]["online_only"] is True and hubs["prague-hub"]["online_only"] is False


def test_json_ld_has_the_attendance_mode_the_place_and_the_offer(site: Path) -> None:
    page = parse_html(site / "hubs/prague-hub/index.html")
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    events = {event["name"]: event for event in data["event"]}
    full, online, hybrid = events["Learning How to Learn"], events["Machine Learning"], events["Financial Markets"]
    assert full["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode" and full["offers"]["availability"] == "https://schema.org/SoldOut"
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/ml;pwd=7"}
    assert online["offers"] == {"@type": "Offer", "url": "https://example.org/signup", "availability": "https://schema.org/InStock", "validThrough": "2026-04-02"}
    assert hybrid["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert hybrid["location"][0] == {"@id": data["@id"]} and hybrid["location"][1]["@type"] == "VirtualLocation"
    assert hybrid["offers"]["validFrom"] == "2026-03-30" and hybrid["offers"]["availability"] == "https://schema.org/PreOrder"


def test_calendar_events_say_how_a_group_meets_and_its_signup(site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((site / "hubs/prague-hub/calendar.ics").read_bytes())
    events = {str(e["SUMMARY"]).split(" · ")[0]: e for e in calendar.walk("VEVENT")}
    online = str(events["Machine Learning"]["DESCRIPTION"])
    assert "By video call" in online and "Video call: https://meet.example.org/ml;pwd=7" in online
    assert "Week 4 of 9 · you can still join until Apr 2" in online
    assert str(events["Machine Learning"]["LOCATION"]) == "https://meet.example.org/ml;pwd=7" and "GEO" not in events["Machine Learning"]
    assert "Full: no places left" in str(events["Learning How to Learn"]["DESCRIPTION"]) and "GEO" in events["Learning How to Learn"]
    assert "Sign-up opens on Mar 30" in str(events["Financial Markets"]["DESCRIPTION"])


def test_the_home_page_lists_online_groups_in_its_language(site: Path) -> None:
    section = parse_html(site / "index.html").xpath("//section[@id='online-groups']")[0]
    text = " ".join(section.text_content().split())
    assert "Online groups in English" in text
    links = section.xpath(".//a/@href")
    assert links == ["hubs/prague-hub/#session-machine-learning", "hubs/online-only-hub/#session-learning-how-to-learn", "hubs/prague-hub/#session-financial-markets"]


def squeezed(element) -> str:
    return " ".join(element.text_content().split())


def hub_page_states(site: Path, slug: str) -> dict[str, str]:
    """Each session's sign-up words on its hub page, its week after them: what flyers and cards repeat."""
    page = parse_html(site / "hubs" / slug / "index.html")
    said = {}
    for row in page.xpath("//li[contains(@class, 'session')]"):
        lines = [squeezed(p) for p in row.xpath("./p[contains(@class, 'signup') or @class='progress']")]
        said[squeezed(row.xpath(".//*[contains(@class, 'course-name')]")[0])] = " · ".join(lines)
    return said


def test_a_flyer_says_how_each_group_meets_its_sign_up_and_where_to_sign_up_for_one_by_video_call(site: Path) -> None:
    flyer = parse_html(site / "hubs/prague-hub/flyer/index.html")
    groups = {squeezed(li.xpath("./p[@class='flyer-course']")[0]): li for li in flyer.xpath("//ul[@class='flyer-sessions']/li")}
    lines = {course: squeezed(li.xpath("./p[@class='flyer-state']")[0]) for course, li in groups.items()}
    assert lines == {"Learning How to Learn": "Full: no places left · Week 4 of 10",  # in the room, as the flyer says of every group but those by video call
                     "Machine Learning": "By video call · Open for sign-up · Week 4 of 9 · you can still join until Apr 2"}
    states = {course: squeezed(li.xpath(".//span[contains(@class, 'signup')]")[0]) for course, li in groups.items()}
    assert states == {course: said for course, said in hub_page_states(site, "prague-hub").items() if course in groups}  # the hub page's words, made in one place
    # The group by video call takes a line more: the hybrid one after it would not fit the page.
    assert squeezed(flyer.xpath("//p[@class='flyer-more']")[0]) == "And 1 more course: see the hub's page."
    where = {course: [squeezed(p) for p in li.xpath("./p[@class='flyer-signup']")] for course, li in groups.items()}
    assert where == {"Learning How to Learn": [], "Machine Learning": ["Sign up at example.org/signup"]}
    assert "in person: a group meets here" in squeezed(flyer.xpath("//p[@class='flyer-what']")[0])
    assert parse_html(site / "hubs/brno-hub/flyer/index.html").xpath("//p[@class='flyer-signup']") == []  # in the room: the code leads to the sign-up
    online = parse_html(site / "hubs/online-only-hub/flyer/index.html")
    assert squeezed(online.xpath("//p[@class='flyer-what']")[0]) == "Take an online course together: a group meets every week by video call with a facilitator."
    assert [squeezed(p) for p in online.xpath("//p[@class='flyer-state'] | //p[@class='flyer-signup']")] == [
        "By video call: the link comes after sign-up · Open for sign-up", "Sign up at example.org/signup"]


def test_cards_say_how_the_next_group_meets_and_its_sign_up_wherever_hubs_are_listed(site: Path) -> None:
    expected = {"Prague Hub": "Online · Open for sign-up · Week 4 of 9 · you can still join until Apr 2",  # Machine Learning, on Thursday
                "Brno Hub": "Full: you can join the waiting list", "Online Only Hub": "Online · Open for sign-up"}
    for page in ("countries/cz/index.html", "partners/example-library/index.html", "index.html"):
        cards = parse_html(site / page).xpath("//li[@class='hub-card']")
        found = {squeezed(card.xpath("./*[self::h2 or self::h3 or self::h4]")[0]): [squeezed(p) for p in card.xpath("./p[contains(@class, 'signup')]")] for card in cards}
        assert found == {name: [said] for name, said in expected.items()}, page
    assert "Machine Learning — Thu, Mar 26" in squeezed(parse_html(site / "countries/cz/index.html").xpath("//li[@class='hub-card']")[2])


def test_a_framed_list_says_how_each_group_meets_and_whether_one_can_join(site: Path) -> None:
    """A partner's framed list says what the hub page says: the mode, the sign-up state in words, and
    a link to sign up only while one can (the waiting list's own words for a waitlisted group)."""
    page = parse_html(site / "embed/countries/cz/index.html")
    found = [(squeezed(group.xpath("ancestor::li[@class='embed-hub']/*[self::h2 or self::h3]")[0]), group.findtext("p[@class='embed-course']"),
              [squeezed(p) for p in group.xpath("p[@class='embed-mode' or starts-with(@class, 'signup')]")],
              " ".join(squeezed(p) for p in group.xpath("p[@class='embed-signup']")))
             for group in page.xpath("//li[@class='embed-group']")]
    assert ("Prague Hub", "Learning How to Learn", ["Full: no places left · Week 4 of 10"], "") in found
    assert ("Prague Hub", "Machine Learning", ["Online", "Open for sign-up · Week 4 of 9 · you can still join until Apr 2"], "Sign up for Machine Learning") in found
    assert ("Prague Hub", "Financial Markets", ["In person and online", "Sign-up opens on Mar 30"], "") in found
    assert ("Brno Hub", "Learning How to Learn", ["Full: you can join the waiting list"], "Join the waiting list for Learning How to Learn") in found
    assert len(found) == 6
