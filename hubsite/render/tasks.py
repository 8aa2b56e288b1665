"""The pages about hubs (each hub's page with its calendars, each partner's, country's and
course's page) as tasks: slices of the catalog of similar weight, in a fixed order, so that
workers.py can render them in other processes and the site is the same whatever their number.
"""

from __future__ import annotations

from functools import partial

from hubsite import urls
from hubsite.directory.catalog import Country, Course, HubView, PartnerView
from hubsite.render.calendars import hub_calendars
from hubsite.render.context import Site
from hubsite.render.outputs import Output
from hubsite.render.pages import country_page, course_page, hub_page, partner_page
from hubsite.render.reuse import Reuse

# Hubs per task sent to a worker: large enough that pickling results back stays cheap per hub.
HUBS_PER_TASK = 50

# A task: (kind, start, stop) over catalog.hubs, .partners, .countries or .courses.
Task = tuple[str, int, int]
# What a task gives: its files, and the hubs' events for /calendar.ics (serialised once).
Result = tuple[list[Output], list[bytes]]


def cut_tasks(site: Site) -> list[Task]:
    catalog = site.catalog
    sizes = (("hubs", len(catalog.hubs), HUBS_PER_TASK), ("partners", len(catalog.partners), 20), ("countries", len(catalog.countries), 10), ("courses", len(catalog.courses), 1))
    return [(kind, start, min(start + step, count)) for kind, count, step in sizes for start in range(0, count, step)]


def run_task(reuse: Reuse, task: Task) -> Result:
    kind, start, stop = task
    catalog = reuse.site.catalog
    if kind == "hubs":
        outputs: list[Output] = []
        events: list[bytes] = []
        for hub in catalog.hubs[start:stop]:
            hub_outputs, hub_events = hub_unit(reuse, hub)
            outputs += hub_outputs
            events += hub_events
        return outputs, events
    if kind == "partners":
        return [partner_output(reuse, p) for p in catalog.partners[start:stop]], []
    if kind == "countries":
        return [country_output(reuse, c) for c in catalog.countries[start:stop]], []
    return [course_output(reuse, c) for c in catalog.courses[start:stop]], []


def hub_unit(reuse: Reuse, hub: HubView) -> Result:
    """Everything one hub contributes: its page, its .ics files, and its events for /calendar.ics.
    Its small map shows its neighbours (with their hosts' names): they are inputs too."""
    near = [reuse.site.maps.by_slug[n.slug] for n in hub.neighbours]
    what = f"unit\0{hub.slug}\0{[(n.slug, n.km) for n in hub.neighbours]!r}"
    return reuse.kept([hub, *near], what, partial(render_unit, reuse.site, hub))


def render_unit(site: Site, hub: HubView) -> Result:
    calendars, events = hub_calendars(hub, site.base_url, site.catalog.today, site.zone_spans)
    return [hub_page(site, hub), *calendars], events


def partner_output(reuse: Reuse, partner: PartnerView) -> Output:
    return reuse.kept(partner.hosted + partner.supported, f"{partner.id}\0{partner.record.model_dump_json()}", partial(partner_page, reuse.site, partner))


def country_output(reuse: Reuse, country: Country) -> Output:
    return reuse.kept(country.hubs, urls.country(country.code), partial(country_page, reuse.site, country))


def course_output(reuse: Reuse, course: Course) -> Output:
    sessions = repr([(o.hub.slug, o.session.index) for o in course.offerings])
    return reuse.kept([o.hub for o in course.offerings], f"{urls.course(course.slug)}\0{course.name}\0{course.url}\0{sessions}", partial(course_page, reuse.site, course))
