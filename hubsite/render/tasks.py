"""The pages about hubs (each hub's page with its calendars, each partner's, country's and
course's page and its list made to be framed) as tasks: slices of the catalog of similar weight, in a fixed order, so that
workers.py can render them in other processes and the site is the same whatever their number.

Each page (or a hub's page, flyer and calendars together) is an artifact
(incremental/artifacts.py): taken from the last build when nothing it was made from changed.
A task renders its slice in every language, one hub (or partner...) after the other in each:
what does not depend on the language (a description's Markdown, a session's dates, a calendar's
VTIMEZONE) is then made once and found again by the next language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from hubsite.directory.catalog import HubView
from hubsite.incremental.artifacts import Artifact, ArtifactId, Artifacts, Made
from hubsite.render.calendars import hub_calendars
from hubsite.render.context import Site
from hubsite.render.corrections import record_script
from hubsite.render.embed import embed_country, embed_course, embed_partner
from hubsite.render.outputs import File, Output, Written
from hubsite.render.pages import country_page, course_page, flyer_page, hub_page, partner_page
from hubsite.render.publishing import index_links

# Hub pages per task sent to a worker (hubs × languages): large enough that pickling results back stays cheap.
PAGES_PER_TASK = 50

# A task: (kind, start, stop) over catalog.hubs, .partners, .countries or .courses.
Task = tuple[str, int, int]
# A language's events of each hub, by slug, in the order of its sessions (serialised once): what
# calendar.ics and the calendars of countries, cities, courses and partners are joined from.
Events = dict[str, list[bytes]]
# What a task gives: its files, in each language its hubs' events, and the artifacts it made (or
# None for those it took), for this process's store.
Result = tuple[list[File], list[Events], list[tuple[ArtifactId, Artifact | None]]]


class Rendering:
    """The site in each of its languages (`editions`, the default first), this build's artifacts,
    and `write`, which puts a file into the tree being made and gives its hash (None: the files
    go back to the build's process, as `serve`'s do)."""

    def __init__(self, editions: list[Site], artifacts: Artifacts, write: Callable[[str, bytes], str] | None = None) -> None:
        self.editions = editions
        self.site = editions[0]
        self.artifacts = artifacts
        self.write = write

    def written(self, files: list[File]) -> list[File]:
        """Files made, written where the task runs (a worker writes its own: only their hashes go
        back to the build's process); files taken, as they are."""
        if self.write is None:
            return files
        return [Written(file.path, self.write(file.path, file.data)) if isinstance(file, Output) else file for file in files]


def cut_tasks(editions: list[Site]) -> list[Task]:
    catalog, languages = editions[0].catalog, len(editions)
    sizes = (("hubs", len(catalog.hubs), PAGES_PER_TASK), ("partners", len(catalog.partners), 20), ("countries", len(catalog.countries), 10), ("courses", len(catalog.courses), 40))
    steps = [(kind, count, max(1, step // languages)) for kind, count, step in sizes]
    return [(kind, start, min(start + step, count)) for kind, count, step in steps for start in range(0, count, step)]


def run_task(rendering: Rendering, task: Task) -> Result:
    artifacts = rendering.artifacts
    artifacts.take_notes()  # what the process forked from had noted is not this task's
    events: list[Events] = [{} for _ in rendering.editions]
    files: list[File] = []
    for number, site, item, artifact_id, render in task_units(rendering, task):
        unit_files, unit_events = artifacts.get(artifact_id, partial(opened_from_disk, site, partial(render, site, item)))
        files += rendering.written(unit_files)
        if task[0] == "hubs":
            events[number][item.slug] = unit_events
    return files, events, artifacts.take_notes()


# What a task's items make, by kind: for each artifact of an item in one language, the function
# that names it and the one that makes it (called only when it cannot be taken).
Unit = tuple[Callable[[Site, Any], ArtifactId], Callable[[Site, Any], Made]]


def task_units(rendering: Rendering, task: Task) -> Iterator[tuple[int, Site, Any, ArtifactId, Callable[[Site, Any], Made]]]:
    """The artifacts of a task in the order it makes them: each item in every language (the
    language's number and site), with its id and what makes it."""
    kind, start, stop = task
    catalog = rendering.site.catalog
    items, units = {"hubs": (catalog.hubs, HUB_UNITS), "partners": (catalog.partners, PARTNER_UNITS),
                    "countries": (catalog.countries, COUNTRY_UNITS), "courses": (catalog.courses, COURSE_UNITS)}[kind]
    for item in items[start:stop]:
        for number, site in enumerate(rendering.editions):
            for named, render in units:
                yield number, site, item, named(site, item), render


def artifacts_to_make(rendering: Rendering, task: Task) -> int:
    """How many of a task's artifacts cannot be taken from the last build."""
    return sum(not rendering.artifacts.can_take(artifact_id) for *_, artifact_id, _ in task_units(rendering, task))


def hub_render(site: Site, hub: HubView) -> Made:
    """Everything one hub contributes in one language: its page, flyer and .ics files, and its
    events for calendar.ics; in the default language, its record for a correction too (one file
    every language's form reads)."""
    calendars, events = hub_calendars(site, hub)
    record = [record_script(hub)] if site.language == site.default else []
    return [hub_page(site, hub), flyer_page(site, hub), *calendars, *record], events


def alone(page: Callable[[Site, Any], Output]) -> Callable[[Site, Any], Made]:
    """A page as an artifact of its own: one file, no events."""
    return lambda site, item: ([page(site, item)], [])


HUB_UNITS: tuple[Unit, ...] = ((lambda site, hub: ("hub", site.language.tag, hub.slug), hub_render),)
PARTNER_UNITS: tuple[Unit, ...] = ((lambda site, partner: ("partner", site.language.tag, partner.id), alone(partner_page)),
                                   (lambda site, partner: ("embed", "partner", site.language.tag, partner.id), alone(embed_partner)))  # its groups, to be framed by its website (embed.py)
COUNTRY_UNITS: tuple[Unit, ...] = ((lambda site, country: ("country", site.language.tag, country.code), alone(country_page)),
                                   (lambda site, country: ("embed", "country", site.language.tag, country.code), alone(embed_country)))
COURSE_UNITS: tuple[Unit, ...] = ((lambda site, course: ("course", site.language.tag, course.slug), alone(course_page)),
                                  (lambda site, course: ("embed", "course", site.language.tag, course.slug), alone(embed_course)))


def opened_from_disk(site: Site, render: Callable[[], Made]) -> Made:
    """What `render` makes; for a site opened from disk (a file: base URL), with folder links that
    name index.html: done as the pages are made, so what is kept is what was written."""
    made = render()
    files, events = made
    if urlsplit(site.base_url).scheme != "file":
        return made
    return [Output(f.path, index_links(f.data)) if f.path.endswith(".html") else f for f in files], events
