"""Values carried from one build to the next inside a long-running process (`serve`: `Memo`).

Everything kept is a pure function of its key, so reusing it can never make a page stale; the
keys hold every input (see directory/catalog.build_session and render/reuse.py). What one build
did not use is dropped after it, so memory stays that of one site.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
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
