"""/feed.xml: an Atom feed (RFC 4287) of hubs and their sessions, newest first; and the same feed
of one country, city, course or partner (render/follow.py), made of the same kept entries.

Every date in it comes from the content, never from the clock, so rebuilding unchanged
content gives the same bytes and feed readers see no phantom updates:

- a hub's entry is dated by `last_verified` (the host confirmed or changed its details then),
  else by its earliest session's start (when it began); a hub with neither has no honest date
  and is left out (add `last_verified` to list it);
- a session's entry is dated by its `starts` date: the one date the data gives for it, so the
  newest announcements (sessions starting latest) come first.

Entries are sorted by that date, newest first, ties by hub and session slug, and the feed keeps
the newest FEED_LIMIT. Ids are the absolute page URLs (the hub page; a session's row anchor on
it), stable as long as base_url is. Text and attributes are escaped as ElementTree escapes them;
characters XML 1.0 cannot carry at all (most controls, lone surrogates) are removed.
"""

from __future__ import annotations

import heapq
import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from xml.sax.saxutils import escape

from hubsite import urls
from hubsite.directory.catalog import HubView, SessionView
from hubsite.incremental.dependencies import record_dependency
from hubsite.render.outputs import Output

if TYPE_CHECKING:
    from hubsite.render.context import Site

ATOM = "http://www.w3.org/2005/Atom"
INDENT = "  "  # as ElementTree.indent writes it
FEED_LIMIT = 100
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class Entry(NamedTuple):
    """An entry of a feed; kept in the store as a plain tuple (`Entry._make` makes it again)."""

    updated: date
    order: tuple[str, str]  # (hub slug, session slug or ""): the tie-break, stable
    id: str
    title: str
    summary: str
    kind: str


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def stamp(day: date) -> str:
    """An RFC 3339 date-time for a calendar date (midnight UTC: the data has dates, not times)."""
    return f"{day.isoformat()}T00:00:00Z"


def hub_entry(site: Site, hub: HubView) -> Entry | None:
    dated = hub.record.last_verified or min((v.session.starts for v in hub.sessions), default=None)
    if dated is None:
        return None
    _, city, country, name = site.words._, hub.record.address.city, site.formats.country(hub.record.address.country), site.text(hub.name)
    summary = site.text(hub.record.summary) or _("A learning hub in %(city)s, %(country)s, hosted by %(host)s.", city=city, country=country, host=site.text(hub.host.record.name))
    title = _("%(hub)s (%(city)s, %(country)s)", hub=name, city=city, country=country)
    return Entry(dated, (hub.slug, ""), site.absolute(urls.hub(hub.slug)), title, summary, "hub")


def session_entry(site: Site, hub: HubView, view: SessionView) -> Entry:
    session, fmt, _ = view.session, site.formats, site.words._
    days = fmt.every(session.weekdays, session.frequency == "biweekly")
    summary = _("%(days)s, %(time)s %(zone)s, %(dates)s.", days=days, time=fmt.time_range(session.time), zone=fmt.zone(hub.timezone), dates=fmt.date_range(session.starts, session.ends))
    title = _("%(course)s at %(hub)s, %(city)s", course=site.text(session.course), hub=site.text(hub.name), city=hub.record.address.city)
    return Entry(session.starts, (hub.slug, view.slug), site.absolute(urls.session(hub.slug, view.slug)), title, summary, "session")


def hub_entries(site: Site, hub: HubView) -> list[Entry]:
    """A hub's entries: the hub's own (when it has a date) and its sessions'."""
    entry = hub_entry(site, hub)
    return ([entry] if entry is not None else []) + [session_entry(site, hub, view) for view in hub.sessions]


def kept_entries(site: Site, hub: HubView) -> list[Entry]:
    """A hub's entries in the site's language, kept by the hub's fingerprint (made again only when it changed)."""
    kept = site.sources.part(("feed", site.language.tag), hub, lambda: [tuple(entry) for entry in hub_entries(site, hub)])
    return list(map(Entry._make, kept))


def feed_entries(site: Site) -> list[Entry]:
    """Every entry, newest first, cut to FEED_LIMIT (each hub's kept from the last build while it is unchanged)."""
    record_dependency(("hubs",))
    return newest([entry for hub in site.catalog.hubs for entry in kept_entries(site, hub)])


def newest(entries: list[Entry]) -> list[Entry]:
    """The FEED_LIMIT newest entries, newest first, ties by hub and session slug (unique: each
    entry has its own). Picked, not sorted: 40,000 entries at 10,000 hubs, a hundred kept."""
    return heapq.nsmallest(FEED_LIMIT, entries, key=newest_first)


def newest_first(entry: Entry) -> tuple[int, tuple[str, str]]:
    return -entry.updated.toordinal(), entry.order


# What an attribute's value escapes beyond character data, as ElementTree does: quotes, and the
# line and tab characters a parser would otherwise fold into spaces.
IN_ATTRIBUTES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def attribute(value: str) -> str:
    return escape(xml_text(value), IN_ATTRIBUTES)


def element(indent: str, tag: str, content: str | None = None, **attributes: str) -> str:
    """One line of the feed: an element with its attributes and text, empty when it has no text."""
    opened = indent + "<" + tag + "".join(f' {name}="{attribute(value)}"' for name, value in attributes.items())
    content = xml_text(content or "")
    return f"{opened}>{escape(content)}</{tag}>" if content else opened + " />"


def feed(site: Site) -> Output:
    settings = site.catalog.site
    return Output(site.path(urls.FEED), render_feed(site, feed_entries(site), site.text(settings.title), urls.FEED, urls.HOME, site.text(settings.tagline)))


def render_feed(site: Site, entries: list[Entry], title: str, path: str, page: str, subtitle: str = "") -> bytes:
    """A feed's bytes, in the site's language: UTF-8 XML, indented, identical for identical
    content. `path`: the feed's own path (urls.py's), `page`: the page it follows; its id is that
    page's address. Written line by line, indented and escaped as ElementTree writes them (each
    line checked against it in tests/render/test_feed.py), in a tenth of its time: a site has a
    feed for every country, city, course and partner, in every language."""
    settings, home = site.catalog.site, site.absolute(page)
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<feed xmlns="{ATOM}" xml:lang="{attribute(site.language.tag)}">',
             element(INDENT, "id", home), element(INDENT, "title", title)]
    if subtitle:
        lines.append(element(INDENT, "subtitle", subtitle))
    lines += [element(INDENT, "link", rel="self", type="application/atom+xml", href=site.absolute(path)),
              element(INDENT, "link", rel="alternate", type="text/html", href=home),
              element(INDENT, "updated", stamp(max((e.updated for e in entries), default=site.catalog.today))),
              f"{INDENT}<author>", element(INDENT * 2, "name", site.text(settings.title)), element(INDENT * 2, "email", settings.contact_email), f"{INDENT}</author>",
              element(INDENT, "generator", "hubsite")]
    lines += map(entry_lines, entries)
    lines.append("</feed>")
    return "\n".join(lines).encode("utf-8") + b"\n"


@lru_cache(maxsize=1 << 14)
def entry_lines(entry: Entry) -> str:
    """An entry as the feed writes it: written once for the feeds of the site, its country, city,
    courses and partner, which all hold it."""
    return "\n".join((f"{INDENT}<entry>", element(INDENT * 2, "id", entry.id), element(INDENT * 2, "title", entry.title),
                      element(INDENT * 2, "link", rel="alternate", type="text/html", href=entry.id), element(INDENT * 2, "updated", stamp(entry.updated)),
                      element(INDENT * 2, "category", term=entry.kind), element(INDENT * 2, "summary", entry.summary), f"{INDENT}</entry>"))
