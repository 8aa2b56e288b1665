"""Which files changed since the last build, told without reading the ones that did not.

A file is known by its identity: path, size, modification and change times (in nanoseconds) and
inode, as one `lstat` gives them. The store keeps the hash of each file's bytes by that identity,
so a file whose identity is unchanged is not read again, and a file touched but not changed is
read and hashed once, then found unchanged by its hash (what is kept by hash stays valid).

An edit changes the identity even when it keeps the size and puts the modification time back
(`touch -d`): the change time (ctime) cannot be set back, and every write moves it. A file
replaced by another of the same size and times has another inode. What is not seen is a change
that keeps all five, which takes a clock set back or a file system without ctime; Hugo and make
trust the modification time alone.

A hash is kept only for a file whose times lie a moment (SETTLED_NS) before the build began: a
file written in the same tick of the file system's clock as it was read could change again
without changing its times ("racy git"); it is hashed again next time, when its times have settled.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable

from hubsite.incremental.store import Store

HASHES = "file-hashes"
SETTLED_NS = 2_000_000_000  # two seconds: coarser than any file system's clock we build on (FAT: 2 s)

Identity = tuple[str, int, int, int, int]  # absolute path, size, mtime_ns, inode, ctime_ns


def identity_of(path: str) -> Identity | None:
    """The identity of the regular file at `path` (absolute); None for a link, a folder, a device
    or a missing file, which are read the long way every time (and refused there as they must be)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (path, info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def bytes_digest(data: bytes) -> bytes:
    """SHA-256, cut to 128 bits: hashed in hardware, it names the 1.2 GB a 10,000-hub site writes
    in half the time BLAKE2b took."""
    return hashlib.sha256(data).digest()[:16]


class FileHashes:
    """The hashes of files' bytes by their identities, kept in the store's `file-hashes` table.
    Make one per build, before any file is read (its start is what "settled" is measured from)."""

    def __init__(self, store: Store) -> None:
        self.table = store.table(HASHES)
        self.started_ns = time.time_ns()
        self.cwd = os.getcwd()

    def identity(self, path: os.PathLike[str] | str) -> Identity | None:
        """The identity of the file at `path` (relative to the working folder, or absolute)."""
        return identity_of(os.path.join(self.cwd, path))

    def known(self, identity: Identity | None) -> bytes | None:
        """The hash of the file's bytes, if a build hashed it with this very identity."""
        return None if identity is None else self.table.find(identity)

    def note(self, identity: Identity | None, digest: bytes) -> None:
        """Keep `digest` as the hash of the file of `identity`, read after that identity was taken."""
        if identity is not None and self.settled(identity):
            self.table.put(identity, digest)

    def settled(self, identity: Identity) -> bool:
        return max(identity[2], identity[4]) < self.started_ns - SETTLED_NS

    def digest(self, path: os.PathLike[str] | str, read: Callable[[], bytes]) -> bytes:
        """The hash of the file at `path`, read only when its identity changed."""
        identity = self.identity(path)
        digest = self.known(identity)
        if digest is None:
            digest = bytes_digest(read())
            self.note(identity, digest)
        return digest
