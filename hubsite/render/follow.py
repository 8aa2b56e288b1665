"""Follow a country, a city, a course or a partner: a calendar to subscribe to and an Atom feed
holding exactly its groups, in each language of the site, so new groups and changed times reach
a student's own calendar or reader.

    countries/CC/calendar.ics, feed.xml                 every hub in the country
    countries/CC/cities/SLUG/calendar.ics, feed.xml     every hub of a city with several (catalog.City)
    courses/SLUG/calendar.ics, feed.xml                 every session of the course, and nothing else
    partners/ID/calendar.ics, feed.xml                  every hub the partner hosts or supports

A city has no page of its own: it is a section of its country's page (with its own follow links),
because what a student needs of it is the same list of hubs, cut shorter; a page for it would
repeat the country page's cards for every city with two hubs.

These are made in the build's process after the hub tasks, from what those gave back: each hub's
events (kept with its artifact, or made with it this build) and its feed entries (kept by the
hub's fingerprint, `feeds.kept_entries`). Nothing about a session is made again for them: a
country of 3,000 hubs is a join of 3,000 kept parts. Each scope (a country with its cities) is an
artifact, depending on the scope and on each hub it lists, as its page does, and taken by later
builds while none of them changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hubsite import urls
from hubsite.directory.catalog import Country, Course, HubView, PartnerView, SessionView
from hubsite.incremental.artifacts import ArtifactId
from hubsite.incremental.dependencies import record_dependency
from hubsite.render.calendars import follow_calendar
from hubsite.render.feeds import kept_entries, newest, render_feed
from hubsite.render.outputs import Output

if TYPE_CHECKING:
    from hubsite.render.context import Site

# A language's events of each hub, by slug, in the order of its sessions (tasks.Events).
Events = dict[str, list[bytes]]


@dataclass(frozen=True)
class Scope:
    """What one calendar and one feed follow: the folder they are in (urls.py's), their name in
    the site's language, the hubs they list, and which of those hubs' sessions (None: all)."""

    folder: str
    title: str
    hubs: tuple[HubView, ...]
    sessions: frozenset[tuple[str, str]] | None = None  # (hub slug, session slug)

    def keeps(self, hub: HubView, view: SessionView) -> bool:
        return self.sessions is None or (hub.slug, view.slug) in self.sessions


def follow_files(site: Site, events: Events) -> Iterator[tuple[ArtifactId, Callable[[], list[Output]]]]:
    """Each country's, course's and partner's follow files as an artifact: its id, and what makes it."""
    tag = site.language.tag
    for country in site.catalog.countries:
        yield ("follow", tag, "country", country.code), lambda country=country: made(site, events, ("country", country.code), country_scopes(site, country))
    for course in site.catalog.courses:
        yield ("follow", tag, "course", course.slug), lambda course=course: made(site, events, ("course", course.slug), [course_scope(site, course)])
    for partner in site.catalog.partners:
        yield ("follow", tag, "partner", partner.id), lambda partner=partner: made(site, events, ("partner", partner.id), [partner_scope(site, partner)])


def made(site: Site, events: Events, dependency: tuple[str, str], scopes: list[Scope]) -> list[Output]:
    """The calendar and feed of each scope, with what they read: the scope itself (which hubs it
    lists) and each hub listed (what its events and entries say): the first scope lists them all
    (a country's cities list some of its hubs)."""
    record_dependency(dependency)
    for hub in scopes[0].hubs:
        record_dependency(("hub", hub.slug))
    return [file for scope in scopes for file in scope_files(site, scope, events)]


def country_scopes(site: Site, country: Country) -> list[Scope]:
    """The country, then each of its cities with several hubs."""
    name = site.formats.country(country.code)
    scopes = [Scope(urls.country(country.code), site.words._("Learning hubs in %(country)s", country=name), country.hubs)]
    for city in country.cities:
        # Translators: the name of the calendar and news feed of one city's learning hubs.
        title = site.words._("Learning hubs in %(city)s, %(country)s", city=city.name, country=name)
        scopes.append(Scope(urls.city(country.code, city.slug), title, city.hubs))
    return scopes


def course_scope(site: Site, course: Course) -> Scope:
    hubs = distinct(offering.hub for offering in course.offerings)
    sessions = frozenset((offering.hub.slug, offering.session.slug) for offering in course.offerings)
    # Translators: the name of the calendar and news feed of every group that takes one course.
    return Scope(urls.course(course.slug), site.words._("Study groups for %(course)s", course=site.text(course.name)), hubs, sessions)


def partner_scope(site: Site, partner: PartnerView) -> Scope:
    hubs = distinct(partner.hosted + partner.supported)
    # Translators: the name of the calendar and news feed of every hub one organisation hosts or supports.
    return Scope(urls.partner(partner.id), site.words._("Learning hubs of %(partner)s", partner=site.text(partner.record.name)), hubs)


def distinct(hubs: Iterable[HubView]) -> tuple[HubView, ...]:
    """Each hub once, in order."""
    return tuple({hub.slug: hub for hub in hubs}.values())


def scope_files(site: Site, scope: Scope, events: Events) -> list[Output]:
    kept = [event for hub in scope.hubs for view, event in zip(hub.sessions, events[hub.slug], strict=True) if scope.keeps(hub, view)]
    calendar = follow_calendar(site, urls.follow_calendar(scope.folder), scope.title, scope.hubs, kept)
    return [calendar, Output(site.path(urls.follow_feed(scope.folder)), scope_feed(site, scope))]


def scope_feed(site: Site, scope: Scope) -> bytes:
    """The scope's entries: its hubs' and their sessions', or only the sessions it keeps (a course's)."""
    entries = [entry for hub in scope.hubs for entry in kept_entries(site, hub) if scope.sessions is None or (hub.slug, entry.order[1]) in scope.sessions]
    return render_feed(site, newest(entries), scope.title, urls.follow_feed(scope.folder), scope.folder)
