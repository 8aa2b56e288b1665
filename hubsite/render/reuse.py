"""What a build may take over from the previous one instead of rendering again: a hub's unit (its
page, flyer and calendars, with its events), a partner's, country's or course's page, keyed by a
hash of every input it was made from. `serve` keeps them in memory (memo.Memo); `build` finds them
on disk as files of the live site (memo.Shelf, output/shelf.py).

The key holds what every page shares (the date, the address, site.yaml, the pages that make the
navigation, the templates), what names the result, and the state of each hub it shows: the
hub's record, place and zone span, the slugs of its sessions and courses (which depend on the
other hubs' courses), and its partners' records. A hub's small map shows its neighbours with
their hosts' names, so the neighbours are part of its key (tests/commands/test_reuse.py fails
when they are left out). Kept on disk, a key also holds the code that renders: hubsite's own
source and the versions of the libraries that shape the bytes (fingerprint.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cached_property

from hubsite import urls
from hubsite.directory.catalog import HubView
from hubsite.fingerprint import code_fingerprint
from hubsite.memo import Memo, Shelf
from hubsite.render.context import Site
from hubsite.render.outputs import File, Kept

# What a unit is: the files it makes, and its events for its language's calendar.ics.
Made = tuple[list[File], list[bytes]]
# A unit this build made or took, as the shelf will keep it: key, language number, paths of its files, length of its events, whether it came off the shelf.
Note = tuple[str, int, tuple[str, ...], int, bool]


class Reuse:
    """The site in each of its languages (`editions`, the default first), and what `serve` kept."""

    def __init__(self, editions: list[Site], units: Memo | None, shelf: Shelf | None = None) -> None:
        self.editions = editions
        self.site = editions[0]
        self.units = units
        self.shelf = shelf
        self.notes: list[Note] = []  # with a shelf: what this process made or took, in order
        self.calendars: dict[str, bytes | None] = {}  # the live site's calendar.ics, by path, read once
        self.hub_states: dict[str, bytes] = {}  # hub_state, once per hub and build

    def kept(self, site: Site, hubs: Iterable[HubView], what: str, render: Callable[[], Made]) -> Made:
        """What `render` makes about a set of hubs in `site`'s language: made, or taken from the
        previous build when the site-wide inputs, `what` (which names the result) and those hubs are
        unchanged."""
        if self.units is None and self.shelf is None:
            return render()
        digest = hashlib.blake2b(self.global_key, digest_size=20)
        digest.update(what.encode())
        for hub in hubs:
            digest.update(self.hub_state(hub))
        if self.units is not None:
            return self.units.get(digest.digest(), render)
        return self.shelved(site, digest.hexdigest(), render)

    def shelved(self, site: Site, key: str, render: Callable[[], Made]) -> Made:
        """The unit from the shelf (files linked from the live site, events cut from its calendar),
        or rendered; noted either way, for the next build to take."""
        assert self.shelf is not None
        taken = self.from_shelf(site, key)
        made = taken or render()
        files, events = made
        self.notes.append((key, self.editions.index(site), tuple(file.path for file in files), sum(map(len, events)), taken is not None))
        return made

    def from_shelf(self, site: Site, key: str) -> Made | None:
        assert self.shelf is not None
        unit = self.shelf.unit(key)
        if unit is None:
            return None
        paths, start, stop = unit
        events: list[bytes] = []
        if stop > start:
            calendar = self.live_calendar(site)
            if calendar is None or stop > len(calendar):
                return None
            events = [calendar[start:stop]]
        return [Kept(path, self.shelf.files[path]) for path in paths], events

    def live_calendar(self, site: Site) -> bytes | None:
        assert self.shelf is not None
        path = site.path(urls.SITE_CALENDAR)
        if path not in self.calendars:
            self.calendars[path] = self.shelf.read(path)
        return self.calendars[path]

    def hub_state(self, hub: HubView) -> bytes:
        if hub.slug not in self.hub_states:
            partners = "\0".join(p.record.model_dump_json() for p in (hub.host, *hub.partners))
            slugs = [(view.slug, view.course_slug) for view in hub.sessions]
            facts = (hub.slug, hub.location.lat, hub.location.lon, hub.location_from_cache, hub.timezone, hub.timezone_derived, hub.stale, self.site.catalog.zone_spans.get(hub.timezone), slugs)
            self.hub_states[hub.slug] = f"{facts!r}\0{hub.record.model_dump_json()}\0{partners}\0".encode()
        return self.hub_states[hub.slug]

    @cached_property
    def global_key(self) -> bytes:
        """What every page shares: the date, the address, site.yaml, the pages (navigation) and the templates."""
        catalog, templates_dir = self.site.catalog, self.site.options.templates_dir
        pages = [(p.slug, p.record.model_dump_json(), getattr(p.body, "texts", p.body)) for p in catalog.pages]
        templates = sorted((path.relative_to(templates_dir).as_posix(), path.read_bytes()) for path in templates_dir.rglob("*") if path.is_file())  # with the catalogues
        return hashlib.blake2b(repr((code_fingerprint(), catalog.today, self.site.base_url, catalog.site.model_dump_json(), pages, templates)).encode()).digest()

