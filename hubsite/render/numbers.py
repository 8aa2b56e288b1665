"""The network in numbers: hubs, countries, partners and courses, the groups held so far and those
planned, the meetings held before the build's date, the places offered, and the hubs active in
each year; as a page in every language (`/numbers/`) and as open data (`/numbers.json`).

Meetings are counted with the one rule of when a session meets (content/dates.py
`meeting_dates`), split where the catalog's next meeting is (schedule.py: a meeting on the build's
date is still to come), and a group has been held once it has started (dates.py
`session_state`: not "upcoming"). A hub is active in a year when one of its groups meets in it.

Each hub's share is worked out once and kept by the hub's fingerprint (`Sources.part`): an edit
counts one hub again, and the page and the data add up the shares.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from hubsite import urls
from hubsite.content.dates import meeting_dates
from hubsite.content.fields import STATUSES
from hubsite.directory.catalog import Catalog, HubView
from hubsite.incremental.dependencies import record_dependency
from hubsite.render.opendata import Part, dump
from hubsite.render.outputs import Output

# What one hub adds: (groups held, groups planned, meetings held, meetings planned, places, groups
# that give their places, ((year, meetings held, meetings planned), ...)). Plain, as the store keeps it.
Share = tuple[int, int, int, int, int, int, tuple[tuple[int, int, int], ...]]


def hub_share(hub: HubView, today: date) -> Share:
    held_groups = planned_groups = places = counted = 0
    years: Counter[tuple[int, bool]] = Counter()
    for view in hub.sessions:
        if view.state == "upcoming":
            planned_groups += 1
        else:
            held_groups += 1
        for day in meeting_dates(view.session):
            years[day.year, day < today] += 1
        if view.session.capacity is not None:
            places += view.session.capacity
            counted += 1
    held = sum(count for (_, past), count in years.items() if past)
    planned = sum(count for (_, past), count in years.items() if not past)
    by_year = tuple((year, years[year, True], years[year, False]) for year in sorted({year for year, _ in years}))
    return held_groups, planned_groups, held, planned, places, counted, by_year


@dataclass(frozen=True)
class Year:
    year: int
    active_hubs: int
    meetings_held: int
    meetings_planned: int


@dataclass(frozen=True)
class Numbers:
    today: date
    hubs: int
    statuses: dict[str, int]  # hubs by status, every status with at least one
    countries: int
    partners: int
    courses: int
    groups_held: int
    groups_planned: int
    meetings_held: int
    meetings_planned: int
    places: int
    groups_with_places: int
    groups: int
    years: tuple[Year, ...]

    @property
    def busiest(self) -> int:
        """The most hubs active in one year: the bars' full length."""
        return max((year.active_hubs for year in self.years), default=0)


def by_status(catalog: Catalog) -> dict[str, int]:
    """How many hubs have each status, in the records' order of statuses (active first)."""
    found = Counter(hub.record.status for hub in catalog.hubs)
    return {status: found[status] for status in STATUSES if found[status]}


def network_numbers(catalog: Catalog, part: Part) -> Numbers:
    """The figures of the whole directory, added up from each hub's share."""
    record_dependency(("lists",))
    record_dependency(("partners",))
    shares = [(hub, part(("numbers",), hub, lambda hub=hub: hub_share(hub, catalog.today))) for hub in catalog.hubs]
    active: Counter[int] = Counter()
    held: Counter[int] = Counter()
    planned: Counter[int] = Counter()
    for _, share in shares:
        for year, past, coming in share[6]:
            active[year] += 1
            held[year] += past
            planned[year] += coming
    totals = [sum(share[field] for _, share in shares) for field in range(6)]
    return Numbers(
        today=catalog.today, hubs=len(catalog.hubs), statuses=by_status(catalog),
        countries=len(catalog.countries), partners=len(catalog.partners), courses=len(catalog.courses),
        groups_held=totals[0], groups_planned=totals[1], meetings_held=totals[2], meetings_planned=totals[3], places=totals[4],
        groups_with_places=totals[5], groups=totals[0] + totals[1],
        years=tuple(Year(year, active[year], held[year], planned[year]) for year in sorted(active)),
    )


def numbers_data(numbers: Numbers, at: Callable[[str], str]) -> dict[str, Any]:
    """/numbers.json (fields listed in the README)."""
    return {
        "version": 1,
        "as_of": numbers.today.isoformat(),
        "url": at(urls.NUMBERS),
        "hubs": {"total": numbers.hubs, "by_status": numbers.statuses},
        "countries": numbers.countries,
        "partners": numbers.partners,
        "courses": numbers.courses,
        "sessions": {"held": numbers.groups_held, "planned": numbers.groups_planned},
        "meetings": {"held": numbers.meetings_held, "planned": numbers.meetings_planned},
        "places": {"offered": numbers.places, "sessions_counted": numbers.groups_with_places, "sessions": numbers.groups},
        "years": [{"year": y.year, "active_hubs": y.active_hubs, "meetings_held": y.meetings_held, "meetings_planned": y.meetings_planned} for y in numbers.years],
    }


def numbers_json(catalog: Catalog, at: Callable[[str], str], part: Part) -> Iterator[Output]:
    yield Output(urls.NUMBERS_JSON, dump(numbers_data(network_numbers(catalog, part), at)))
