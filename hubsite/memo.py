"""Values carried from one build to the next: inside a long-running process (`serve`: `Memo`),
and on disk from one `build` to the next (`Shelf`: rendered units only, as files of the live site).

Everything kept is a pure function of its key, so reusing it can never make a page stale; the
keys hold every input (see directory/catalog.build_session and render/reuse.py). What one build
did not use is dropped after it, so memory stays that of one site.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any


class Memo:
    def __init__(self) -> None:
        self.kept: dict[Hashable, Any] = {}
        self.used: dict[Hashable, Any] = {}
        self.hits = 0
        self.reused = 0  # hits of the last finished build

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        if key in self.used:
            return self.used[key]
        if key in self.kept:
            self.hits += 1
            value = self.kept[key]
        else:
            value = make()
        self.used[key] = value
        return value

    def discard(self) -> None:
        """A build failed: forget what it made, keep what the last good build had."""
        self.used, self.hits = {}, 0

    def next_build(self) -> None:
        """Keep what this build used, for the next one; forget the rest."""
        self.kept, self.used, self.reused, self.hits = self.used, {}, self.hits, 0


# A unit on the shelf: the paths of its files in the live site, and the byte range of its events
# in its language's calendar.ics there (0, 0 when it has none).
Unit = tuple[tuple[str, ...], int, int]


@dataclass
class Shelf:
    """What the last `build` into the same folder rendered, kept on disk beside the site
    (output/shelf.py), for `build` what `Memo` is for `serve`: each rendered unit (render/reuse.py)
    by its key, as the files it made in the live site and its events in that site's calendar.
    A build takes a unit off the shelf when its key is there, renders it otherwise, and notes in
    `made` every unit of its own, for the next build."""

    files: dict[str, str]  # the live site: path -> hash, from its manifest
    units: dict[str, Unit]  # key (hex) -> unit, from the last build
    read: Callable[[str], bytes | None]  # a live file's bytes, None unless they still match `files`
    made: dict[str, Unit] = field(default_factory=dict)  # this build's units, by key
    taken: int = 0  # files of them that came off the shelf, not rendered again

    def unit(self, key: str) -> Unit | None:
        """The last build's unit for `key`, when every file of it is still in the live site."""
        unit = self.units.get(key)
        return unit if unit is not None and all(path in self.files for path in unit[0]) else None
