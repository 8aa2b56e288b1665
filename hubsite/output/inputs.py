"""What a build's output depends on, as one hash: the content, the templates, the code that shapes
the output (fingerprint.py: hubsite's source and the libraries' versions), and the options. Two
builds with the same digest write the same site, so a repeat build can stop here ("up to date").

A file counts by the hash of its bytes, which the store keeps by the file's identity
(incremental/files.py: path, size, times, inode): only files whose identity changed since the last
build are read, so a repeat build of 10,000 hubs stats them and reads none.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from hubsite.fingerprint import code_fingerprint
from hubsite.incremental.files import FileHashes
from hubsite.incremental.store import Store
from hubsite.options import BuildOptions


def inputs_digest(options: BuildOptions, store: Store | None = None) -> str:
    """`store`: the hashes of files unchanged since an earlier build, and where this one's are kept."""
    hashes = FileHashes(store if store is not None else Store())
    digest = hashlib.blake2b(digest_size=20)
    for key, value in (
        ("today", options.today.isoformat()),
        ("base_url", options.base_url or ""),
        ("strict", str(options.strict)),
        ("templates_dir", str(options.templates_dir.resolve())),
        ("code", code_fingerprint()),
    ):
        digest.update(f"{key}={value}\n".encode())
    for label, folder in (("templates", options.templates_dir), ("content", options.content_dir)):
        add_folder(digest, label, folder, hashes)
    return digest.hexdigest()


def add_folder(digest: hashlib._Hash, label: str, folder: Path, hashes: FileHashes) -> None:
    """Every file under `folder` (sorted, by relative path and the hash of its bytes); caches are skipped.

    In content/, a link counts by what it says, not by what it points at: the build refuses
    links that leave the folder (and a failed build is never "up to date"), so nothing outside
    content/ is read, even to hash it. The code and templates are the maintainer's own.
    """
    content = label == "content"
    if not folder.is_dir():
        return
    for parts, entry in sorted(folder_entries(str(folder), (), follow=not content), key=lambda item: item[0]):
        name = "/".join((label, *parts))
        if content and entry.is_symlink():
            target = os.readlink(entry.path).encode()
            digest.update(f"{name}\0link\0{len(target)}\0".encode() + target)
        elif entry.is_file():
            digest.update(f"{name}\0file\0".encode() + hashes.digest(entry.path, Path(entry.path).read_bytes))


def folder_entries(folder: str, parts: tuple[str, ...], follow: bool = False, seen: set[str] | None = None) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under `folder` but folders and caches (__pycache__), with its path's parts below
    the first `folder`. Links to folders are entries, not followed, unless `follow` (the templates:
    Jinja reads through a linked folder of partials, so its files count); each real folder once."""
    seen = seen if seen is not None else {os.path.realpath(folder)}
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False) or (follow and entry.is_dir()):
                if follow:
                    real = os.path.realpath(entry.path)
                    if real in seen:
                        continue
                    seen.add(real)
                yield from folder_entries(entry.path, (*parts, entry.name), follow, seen)
            else:
                yield (*parts, entry.name), entry
