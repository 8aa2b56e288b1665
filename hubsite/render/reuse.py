"""What `serve` may take over from its previous build instead of rendering again: a hub's unit,
a partner's, country's or course's page, keyed by a hash of every input it was made from.

The key holds what every page shares (the date, the address, site.yaml, the pages that make the
navigation, the templates), what names the result, and the state of each hub it shows: the
hub's record, place and zone span, and its partners' records. A hub's small map shows its
neighbours with their hosts' names, so the neighbours are part of its key
(tests/commands/test_reuse.py fails when they are left out).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from hubsite.directory.catalog import HubView
from hubsite.memo import Memo
from hubsite.render.context import Site


class Reuse:
    """The site in each of its languages (`editions`, the default first), and what `serve` kept."""

    def __init__(self, editions: list[Site], units: Memo | None) -> None:
        self.editions = editions
        self.site = editions[0]
        self.units = units
        self.hub_states: dict[str, bytes] = {}  # hub_state, once per hub and build

    def kept(self, hubs: Iterable[HubView], what: str, render: Callable[[], Any]) -> Any:
        """What `render` makes about a set of hubs: made, or taken from the previous build when the
        site-wide inputs, `what` (which names the result) and those hubs are unchanged."""
        if self.units is None:
            return render()
        digest = hashlib.blake2b(self.global_key, digest_size=20)
        digest.update(what.encode())
        for hub in hubs:
            digest.update(self.hub_state(hub))
        return self.units.get(digest.digest(), render)

    def hub_state(self, hub: HubView) -> bytes:
        if hub.slug not in self.hub_states:
            partners = "\0".join(p.record.model_dump_json() for p in (hub.host, *hub.partners))
            facts = (hub.slug, hub.location.lat, hub.location.lon, hub.location_from_cache, hub.timezone, hub.timezone_derived, hub.stale, self.site.zone_spans.get(hub.timezone))
            self.hub_states[hub.slug] = f"{facts!r}\0{hub.record.model_dump_json()}\0{partners}\0".encode()
        return self.hub_states[hub.slug]

    @cached_property
    def global_key(self) -> bytes:
        """What every page shares: the date, the address, site.yaml, the pages (navigation) and the templates."""
        catalog, templates_dir = self.site.catalog, self.site.options.templates_dir
        pages = [(p.slug, p.record.model_dump_json(), getattr(p.body, "texts", p.body)) for p in catalog.pages]
        templates = sorted((path.relative_to(templates_dir).as_posix(), path.read_bytes()) for path in templates_dir.rglob("*") if path.is_file())  # with the catalogues
        return hashlib.blake2b(repr((catalog.today, self.site.base_url, catalog.site.model_dump_json(), pages, templates)).encode()).digest()
