"""What an output is made from, recorded as it is made (Lektor's `record_dependency` is the
model): while an artifact is being made, every fact of the catalog read through a recording
accessor (a page's site-wide inputs, the hub it is about, the map facts of the hubs it shows, the
hubs a list names) adds its name here. The artifact then keeps each name with its fingerprint
of the moment, and a later build takes it over only when every one is unchanged.

A name is a tuple whose first item is its kind: ("site",), ("hub", slug), ("map", slug)...
render/sources.py says what each kind's fingerprint is.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Dependency = tuple[Hashable, ...]

_recording: ContextVar[set[Dependency] | None] = ContextVar("recording", default=None)


def record_dependency(dependency: Dependency) -> None:
    """Note that the output being made reads `dependency` (nothing, when no output is recording)."""
    found = _recording.get()
    if found is not None:
        found.add(dependency)


@contextmanager
def recording() -> Iterator[set[Dependency]]:
    """Collect the dependencies of what is made inside; nested recordings add to their parent too."""
    outer = _recording.get()
    found: set[Dependency] = set()
    token = _recording.set(found)
    try:
        yield found
    finally:
        _recording.reset(token)
        if outer is not None:
            outer |= found
