"""What a build's output depends on, as one hash: the content, the templates, the code that shapes
the output (fingerprint.py: hubsite's source and the libraries' versions), and the options. Two
builds with the same digest write the same site, so a repeat build can stop here ("up to date").
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from hubsite.fingerprint import code_fingerprint
from hubsite.options import BuildOptions


def inputs_digest(options: BuildOptions) -> str:
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
        add_folder(digest, label, folder)
    return digest.hexdigest()


def add_folder(digest: hashlib._Hash, label: str, folder: Path) -> None:
    """Every file under `folder` (sorted, by relative path and bytes); caches are skipped.

    In content/, a link counts by what it says, not by what it points at: the build refuses
    links that leave the folder (and a failed build is never "up to date"), so nothing outside
    content/ is read, even to hash it. The code and templates are the maintainer's own.
    """
    content = label == "content"
    for path in sorted(p for p in folder.rglob("*") if ((content and p.is_symlink()) or p.is_file()) and "__pycache__" not in p.parts):
        data = os.readlink(path).encode() if content and path.is_symlink() else path.read_bytes()
        digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)

