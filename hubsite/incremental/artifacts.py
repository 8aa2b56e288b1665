"""Artifacts: outputs kept from one build for the next with what they were made from.

An artifact is what one thing of the site makes in one language (a hub's page, flyer and calendars
with its events for the site calendar; a partner's, country's or course's page). Making it records
its dependencies (dependencies.py); it is kept, in the store's `artifacts` table, with each
dependency's fingerprint. The next build takes it when every fingerprint is still the same and
every file of it is still there; otherwise it makes it again. `serve` keeps the files' bytes in
memory; `build` keeps their digests, the bytes being the live site's (checked by its manifest).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from hubsite.incremental.dependencies import Dependency, record_dependency, recording
from hubsite.incremental.files import bytes_digest
from hubsite.incremental.store import Table

ArtifactId = tuple[str, ...]  # (kind, language tag, id): ("hub", "fr", "nairobi")


def file_digest(data: bytes) -> str:
    """The name of a file's bytes, in manifests and artifacts alike (the hash content files are known by, in hex)."""
    return bytes_digest(data).hex()


@dataclass(frozen=True)
class Artifact:
    sources: tuple[tuple[Dependency, str | None], ...]  # every dependency recorded while it was made, with its fingerprint then
    files: tuple[Any, ...]  # what it made, as the build keeps it (render/outputs: Output in memory, Kept on disk)
    events: tuple[bytes, ...] = ()  # its events for its language's calendar.ics


# What an artifact's maker gives: its files and its events.
Made = tuple[list[Any], list[bytes]]


class Artifacts:
    """This build's artifacts: taken from the last build when nothing they were made from changed,
    made (and their dependencies recorded) otherwise.

    `fingerprint` gives a dependency's fingerprint in this build (None: gone); `keep` turns a file
    made into what the table keeps of it; `still_there` says whether a kept file can be taken;
    `shared`: what every artifact depends on, whatever it reads (the code, the date...)."""

    def __init__(self, table: Table, fingerprint: Callable[[Dependency], str | None], keep: Callable[[Any], Any], still_there: Callable[[Any], bool],
                 shared: Dependency) -> None:
        self.table = table
        self.shared = shared
        self.fingerprint = fingerprint
        self.keep = keep
        self.still_there = still_there
        self.notes: list[tuple[ArtifactId, Artifact | None]] = []  # in this process: made (the artifact) or taken (None), in order
        self.takeable: dict[ArtifactId, bool] = {}  # what can_take found: asked before the work is shared out, then again by get

    def can_take(self, artifact_id: ArtifactId) -> bool:
        """Whether the last build's artifact can be taken: kept, nothing it was made from changed,
        its files still there."""
        if artifact_id not in self.takeable:
            kept = self.table.find(artifact_id)
            self.takeable[artifact_id] = kept is not None and self.unchanged(kept)
        return self.takeable[artifact_id]

    def get(self, artifact_id: ArtifactId, make: Callable[[], Made]) -> Made:
        if self.can_take(artifact_id):
            kept = self.table.find(artifact_id)
            self.notes.append((artifact_id, None))
            return list(kept.files), list(kept.events)
        with recording() as found:
            record_dependency(self.shared)
            files, events = make()
        sources = tuple(sorted(((dependency, self.fingerprint(dependency)) for dependency in found), key=repr))
        artifact = Artifact(sources, tuple(self.keep(file) for file in files), tuple(events))
        self.table.put(artifact_id, artifact)
        self.notes.append((artifact_id, artifact))
        return files, events

    def unchanged(self, kept: Artifact) -> bool:
        return self.current.issuperset(kept.sources) and all(map(self.still_there, kept.files))

    @cached_property
    def current(self) -> set[tuple[Dependency, str | None]]:
        """Each dependency the last build's artifacts recorded, with the fingerprint it still has:
        an artifact is unchanged when all its own are among them (a set lookup each, where
        comparing them one by one took seconds at 10,000 hubs: 450,000 of them)."""
        recorded: set[tuple[Dependency, str | None]] = set()
        for artifact in self.table.kept.values():
            recorded.update(artifact.sources)
        return {(dependency, before) for dependency, before in recorded if self.fingerprint(dependency) == before}

    def take_notes(self) -> list[tuple[ArtifactId, Artifact | None]]:
        """What was made or taken since the last call, in order."""
        notes, self.notes = self.notes, []
        return notes

    def adopt(self, notes: list[tuple[ArtifactId, Artifact | None]]) -> tuple[int, list[ArtifactId]]:
        """What a worker process made or took, into this process's table (where it may be already):
        the number of files taken, and the artifacts made."""
        taken, made = 0, []
        for artifact_id, artifact in notes:
            if artifact is None:
                taken += len(self.table.find(artifact_id).files)
            else:
                self.table.put(artifact_id, artifact)
                made.append(artifact_id)
        return taken, made


def digest_of(key: Hashable) -> str:
    """A fingerprint of a value's repr: for facts whose repr says all of them."""
    return hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
