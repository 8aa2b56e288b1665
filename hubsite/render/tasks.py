"""The pages about hubs (each hub's page with its calendars, each partner's, country's and
course's page) as tasks: slices of the catalog of similar weight, in a fixed order, so that
workers.py can render them in other processes and the site is the same whatever their number.

A task renders its slice in every language, one hub (or partner...) after the other in each:
what does not depend on the language (a description's Markdown, a session's dates, a calendar's
VTIMEZONE) is then made once and found again by the next language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from hubsite import urls
from hubsite.directory.catalog import Country, Course, HubView, PartnerView
from hubsite.render.calendars import hub_calendars
from hubsite.render.context import Site
from hubsite.render.outputs import File, Output
from hubsite.render.pages import country_page, course_page, flyer_page, hub_page, partner_page
from hubsite.render.reuse import Made, Note, Reuse

# Hub pages per task sent to a worker (hubs × languages): large enough that pickling results back stays cheap.
PAGES_PER_TASK = 50

# A task: (kind, start, stop) over catalog.hubs, .partners, .countries or .courses.
Task = tuple[str, int, int]
# What a task gives: its files, in each language the hubs' events for calendar.ics (serialised
# once), and with a shelf the units it made or took (reuse.py).
Result = tuple[list[File], list[list[bytes]], list[Note]]


def cut_tasks(editions: list[Site]) -> list[Task]:
    catalog, languages = editions[0].catalog, len(editions)
    sizes = (("hubs", len(catalog.hubs), PAGES_PER_TASK), ("partners", len(catalog.partners), 20), ("countries", len(catalog.countries), 10), ("courses", len(catalog.courses), 1))
    steps = [(kind, count, max(1, step // languages) if kind != "courses" else 1) for kind, count, step in sizes]
    return [(kind, start, min(start + step, count)) for kind, count, step in steps for start in range(0, count, step)]


def run_task(reuse: Reuse, task: Task) -> Result:
    kind, start, stop = task
    catalog = reuse.editions[0].catalog
    reuse.notes = []
    units = {"hubs": (catalog.hubs, hub_unit), "partners": (catalog.partners, partner_unit), "countries": (catalog.countries, country_unit), "courses": (catalog.courses, course_unit)}
    items, make = units[kind]
    events: list[list[bytes]] = [[] for _ in reuse.editions]
    files: list[File] = []
    for item in items[start:stop]:
        for number, site in enumerate(reuse.editions):
            unit_files, unit_events = make(reuse, site, item)
            files += unit_files
            events[number] += unit_events
    return files, events, reuse.notes


def hub_unit(reuse: Reuse, site: Site, hub: HubView) -> Made:
    """Everything one hub contributes in one language: its page, its .ics files, and its events
    for calendar.ics. Its small map shows its neighbours (with their hosts' names): they are inputs too."""
    near = [site.maps.by_slug[n.slug] for n in hub.neighbours]
    what = f"unit\0{site.language.tag}\0{hub.slug}\0{[(n.slug, n.km) for n in hub.neighbours]!r}"
    return reuse.kept(site, [hub, *near], what, partial(render_unit, site, hub))


def render_unit(site: Site, hub: HubView) -> Made:
    calendars, events = hub_calendars(site, hub)
    return [hub_page(site, hub), flyer_page(site, hub), *calendars], events


def partner_unit(reuse: Reuse, site: Site, partner: PartnerView) -> Made:
    what = f"{site.language.tag}\0{partner.id}\0{partner.record.model_dump_json()}"
    return reuse.kept(site, partner.hosted + partner.supported, what, partial(alone, partner_page, site, partner))


def country_unit(reuse: Reuse, site: Site, country: Country) -> Made:
    return reuse.kept(site, country.hubs, f"{site.language.tag}\0{urls.country(country.code)}", partial(alone, country_page, site, country))


def course_unit(reuse: Reuse, site: Site, course: Course) -> Made:
    sessions = repr([(o.hub.slug, o.session.index) for o in course.offerings])
    what = f"{site.language.tag}\0{urls.course(course.slug)}\0{getattr(course.name, 'texts', course.name)!r}\0{course.url}\0{sessions}"
    return reuse.kept(site, [o.hub for o in course.offerings], what, partial(alone, course_page, site, course))


def alone(page: Callable[[Site, Any], Output], site: Site, item: Any) -> Made:
    """A page as a unit of its own: one file, no events."""
    return [page(site, item)], []
