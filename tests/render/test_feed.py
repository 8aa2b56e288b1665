"""/feed.xml, read by a real feed parser (feedparser): valid Atom, newest first, stable ids, dates from data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from conftest import SITE_YAML, parse_html
from sites import KOLKATA, SANTIAGO, build, session_yaml
from sites import scheduled_hub as hub_yaml

from hubsite.render.feeds import INDENT, element, xml_text


def parse(site: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_feed_is_valid_atom_newest_first(tmp_path: Path) -> None:
    site = build(tmp_path, {
        "prague": hub_yaml(session_yaml("Autumn course", starts="2026-09-01", ends="2026-10-27"), session_yaml(), extra="last_verified: 2026-01-20\n"),
        "santiago": hub_yaml(session_yaml(starts="2026-03-05", ends="2026-04-30", when="day: thursday"), place=SANTIAGO),
        "kolkata": hub_yaml(place=KOLKATA),  # no date anywhere: left out
    })
    feed = parse(site)
    assert feed.feed.title == "Test Hubs" and feed.feed.id == "https://example.org/hubs/"
    assert feed.feed.updated == "2026-09-01T00:00:00Z"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == ["https://example.org/hubs/feed.xml"]
    assert [(e.updated[:10], e.id) for e in feed.entries] == [
        ("2026-09-01", "https://example.org/hubs/hubs/prague/#session-autumn-course"),
        ("2026-03-05", "https://example.org/hubs/hubs/santiago/"),  # no last_verified: its first session's start
        ("2026-03-05", "https://example.org/hubs/hubs/santiago/#session-learning-how-to-learn"),
        ("2026-03-03", "https://example.org/hubs/hubs/prague/#session-learning-how-to-learn"),
        ("2026-01-20", "https://example.org/hubs/hubs/prague/"),  # last_verified
    ]
    first = feed.entries[0]
    assert first.title == "Autumn course at Example Hub, Prague"
    assert first.link == first.id
    assert first.summary == "Every Tuesday, 6:00\u2009–\u20098:00\u202fPM Czechia time, Sep 1\u2009–\u2009Oct 27, 2026."
    assert [t.term for t in first.tags] == ["session"]


def test_feed_dates_come_from_data_not_the_build_date(tmp_path: Path) -> None:
    hubs = {"prague": hub_yaml(session_yaml())}
    one = build(tmp_path / "one", hubs, today="2026-02-01")
    two = build(tmp_path / "two", hubs, today="2031-12-24")
    assert (one / "feed.xml").read_bytes() == (two / "feed.xml").read_bytes()
    assert b"2031" not in (two / "feed.xml").read_bytes()


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    name = "Hub <script>alert('x')</script> & \"friends\" ]]>"
    site = build(tmp_path, {"hub": hub_yaml(session_yaml("Tom & Jerry's <b>course</b>"), name=name)})
    raw = (site / "feed.xml").read_bytes()
    assert b"<script>" not in raw and b"<b>" not in raw
    root = ET.fromstring(raw)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    feed = parse(site)
    titles = sorted(e.title for e in feed.entries)
    assert titles == ["Hub <script>alert('x')</script> & \"friends\" ]]> (Prague, Czechia)",
                      "Tom & Jerry's <b>course</b> at Hub <script>alert('x')</script> & \"friends\" ]]>, Prague"]


def test_feed_follows_base_url_override_and_is_linked_from_pages(tmp_path: Path) -> None:
    site = build(tmp_path, {"hub": hub_yaml(session_yaml())}, "--base-url", "https://mirror.example.net/x/")
    feed = parse(site)
    assert {e.id for e in feed.entries} == {"https://mirror.example.net/x/hubs/hub/", "https://mirror.example.net/x/hubs/hub/#session-learning-how-to-learn"}
    for page in ("index.html", "hubs/hub/index.html"):
        links = parse_html(site / page).xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
        assert len(links) == 1
        assert (site / page).parent.joinpath(links[0].get("href")).resolve() == (site / "feed.xml").resolve()
        assert links[0].get("title") == "Test Hubs"


def test_feed_keeps_the_newest_hundred(tmp_path: Path) -> None:
    hubs = {f"hub-{n:02d}": hub_yaml(session_yaml(starts=f"2026-01-{n % 28 + 1:02d}", ends="2026-06-30", when="days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]"))
            for n in range(55)}
    site = build(tmp_path, hubs, site_yaml=SITE_YAML)
    feed = parse(site)
    assert len(feed.entries) == 100
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert len({e.id for e in feed.entries}) == 100


HOSTILE = ["plain", "", "Tom & Jerry's <b>course</b>", 'say "hi" it\'s', "line\nbreak\r\nreturn\ttab", "\x00\x08\x0b\x0c controls \x1f\x7f",
           "\ufffe\uffff", "lone \ud800 surrogate", "]]> &amp; already &#10;", "العربية 中文 🎉", "\x01"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_feed_line_is_what_elementtree_writes(value: str) -> None:
    """The feed is written line by line, escaped as ElementTree escapes it: the same bytes as the
    tree ElementTree indents and writes, for any text (characters XML cannot carry removed)."""
    tree = ET.Element("entry")
    ET.SubElement(tree, "title").text = xml_text(value)
    ET.SubElement(tree, "link", {"rel": "alternate", "href": xml_text(value)})
    ET.SubElement(tree, "summary").text = xml_text(value) or None
    ET.indent(tree)
    ours = "\n".join(["<entry>", element(INDENT, "title", value), element(INDENT, "link", rel="alternate", href=value), element(INDENT, "summary", value), "</entry>"])
    assert ours == ET.tostring(tree, encoding="unicode")
    assert ET.fromstring(ours.encode()).find("title").text == (xml_text(value).replace("\r\n", "\n").replace("\r", "\n") or None)
