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
    for path in sorted(p for p in folder.rglob("*") if ((content and p.is_symlink()) or p.is_file()) and "__pycache__" not in p.parts):
        name = f"{label}/{path.relative_to(folder).as_posix()}"
        if content and path.is_symlink():
            target = os.readlink(path).encode()
            digest.update(f"{name}\0link\0{len(target)}\0".encode() + target)
        else:
            digest.update(f"{name}\0file\0".encode() + hashes.digest(path, path.read_bytes))

