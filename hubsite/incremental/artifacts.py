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
import io
import pickle
from collections.abc import Callable, Hashable, Iterable
from functools import cached_property
from typing import Any

from hubsite.incremental.dependencies import Dependency, record_dependency, recording
from hubsite.incremental.files import bytes_digest
from hubsite.incremental.store import Table

ArtifactId = tuple[str, ...]  # (kind, language tag, id): ("hub", "fr", "nairobi")


def file_digest(data: bytes) -> str:
    """The name of a file's bytes, in manifests and artifacts alike (the hash content files are known by, in hex)."""
    return bytes_digest(data).hex()


# An artifact as the table keeps it, in plain tuples and strings (26,000 artifacts of a 10,000-hub
# site load in a tenth of the time their objects took): (sources, files, events).
#   sources: every dependency recorded while it was made, with its fingerprint then (`Artifacts.source`)
#   files:   what it made, as the build keeps each (Artifacts.keep)
#   events:  its events for its language's calendar.ics
Artifact = tuple[tuple[str, ...], tuple[Any, ...], tuple[bytes, ...]]

# What an artifact's maker gives: its files and its events.
Made = tuple[list[Any], list[bytes]]


def artifact_group(artifact_id: ArtifactId) -> Hashable:
    """What an artifact is of, whatever its language: the thing its id ends with (a hub's slug, a
    course's, a partner's id), or, for a file of the site's own (a feed, the directory pages), its
    kind. The store saves a group in one shard: an edit that makes a hub's pages in nine languages
    again rewrites one shard, not nine."""
    return artifact_id[-1] if len(artifact_id) > 2 else artifact_id[0]


class Artifacts:
    """This build's artifacts: taken from the last build when nothing they were made from changed,
    made (and their dependencies recorded) otherwise.

    `fingerprint` gives a dependency's fingerprint in this build (None: gone) and `dependencies`
    every dependency that has one; `keep` turns a file made into what the table keeps of it (plain
    data), `take` turns that back into a file, `still_there` says whether a kept file can be taken;
    `shared`: what every artifact depends on, whatever it reads (the code, the date...)."""

    def __init__(self, table: Table, fingerprint: Callable[[Dependency], str | None], dependencies: Callable[[], Iterable[Dependency]],
                 keep: Callable[[Any], Any], take: Callable[[Any], Any], still_there: Callable[[Any], bool], shared: Dependency) -> None:
        self.table = table
        self.shared = shared
        self.fingerprint = fingerprint
        self.dependencies = dependencies
        self.keep = keep
        self.take = take
        self.still_there = still_there
        self.notes: list[tuple[ArtifactId, Artifact | None]] = []  # in this process: made (the artifact) or taken (None), in order
        self.takeable: dict[ArtifactId, Artifact | None] = {}  # what can_take found (the kept artifact, or None: made again), asked before the work is shared out
        self.sources: dict[str, str] = {}  # each source once (Artifacts.source)

    def can_take(self, artifact_id: ArtifactId) -> bool:
        """Whether the last build's artifact can be taken: kept, nothing it was made from changed,
        its files still there."""
        if artifact_id not in self.takeable:
            kept = self.table.find(artifact_id)
            self.takeable[artifact_id] = kept if kept is not None and self.unchanged(kept) else None
        return self.takeable[artifact_id] is not None

    def get(self, artifact_id: ArtifactId, make: Callable[[], Made]) -> Made:
        if self.can_take(artifact_id):
            _, files, events = self.takeable[artifact_id]
            self.notes.append((artifact_id, None))
            return list(map(self.take, files)), list(events)
        with recording() as found:
            record_dependency(self.shared)
            files, events = make()
        sources = tuple(sorted(map(self.source, found)))
        artifact = (sources, tuple(self.keep(file) for file in files), tuple(events))
        self.table.put(artifact_id, artifact)
        self.notes.append((artifact_id, artifact))
        return files, events

    def unchanged(self, kept: Artifact) -> bool:
        sources, files, _ = kept
        return self.current.issuperset(sources) and all(map(self.still_there, files))

    @cached_property
    def current(self) -> frozenset[str]:
        """Every dependency of this build with its fingerprint: an artifact is unchanged when all
        its sources are among them (a set lookup each: comparing 450,000 of them one by one took
        seconds at 10,000 hubs). One that recorded what is gone is made again."""
        return frozenset(map(self.source, self.dependencies()))

    def source(self, dependency: Dependency) -> str:
        """The dependency with its fingerprint in this build, as one string (sets of them hash and
        load fast), one object for each: the artifacts that share it (a hub's pages in every
        language, saved in one shard) pickle it once, and load it once."""
        made = repr((dependency, self.fingerprint(dependency)))
        return self.sources.setdefault(made, made)

    def take_notes(self) -> list[tuple[ArtifactId, Artifact | None]]:
        """What was made or taken since the last call, in order."""
        notes, self.notes = self.notes, []
        return notes

    def adopt(self, notes: list[tuple[ArtifactId, Artifact | None]]) -> tuple[int, list[ArtifactId]]:
        """What a worker process made or took, into this process's table (where it may be already):
        the number of files taken, and the artifacts made."""
        taken, made = 0, []
        for artifact_id, artifact in notes:
            if artifact is None:  # taken: this process found it too, asked which tasks to share out (or the table has it)
                _, files, _ = self.takeable.get(artifact_id) or self.table.find(artifact_id)
                taken += len(files)
            else:
                self.table.put(artifact_id, artifact)
                made.append(artifact_id)
        return taken, made


def digest_of(facts: object) -> str:
    """A fingerprint of plain facts (tuples, lists, dicts, strings, numbers, dates, bytes; no
    sets, whose order changes from process to process): their pickle without its memo, so the bytes
    follow the values alone, not which of them are the same object. Five times faster than a repr,
    and a text given in several languages (`Local`) counts with all of them, not its default's."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(facts)
    return hashlib.blake2b(out.getbuffer(), digest_size=16).hexdigest()
