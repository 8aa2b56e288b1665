"""What the last build wrote: every file's hash, the digest of its inputs and its summary, kept in
.hubsite-cache/ beside the site under the id of the tree it describes.

The site's own `.hubsite` marker names that id, so a manifest can never be read for another tree
than the one in place, whatever moment a build was stopped at. A manifest is signed as the
store's tables are (incremental/store.py): it says which live files hold a page's bytes (they are
linked, not written again) and when a build has nothing to do, so one planted beside a planted
site by a pull request is never read, and the build writes every file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from hubsite import urls
from hubsite.incremental.store import SIGNATURE_BYTES, signed, verified
from hubsite.options import cache_folder, display_path
from hubsite.output.refusals import WriteFailed, reason

MARKER_TEXT = "This folder is written by hubsite and replaced on every build.\n"
MANIFEST_VERSION = 2


def tree_id(files: dict[str, str]) -> str:
    """The id of a whole tree, from every path and hash: what the marker and the manifest share."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(files):
        digest.update(f"{path}\0{files[path]}\n".encode())
    return digest.hexdigest()


def marker_text(files: dict[str, str]) -> str:
    return f"{MARKER_TEXT}tree: {tree_id(files)}\n"


def manifest_folder(out_dir: Path) -> Path:
    return cache_folder(out_dir) / f"{out_dir.absolute().name}.manifest"


def marker_id(out_dir: Path) -> str | None:
    """The tree id that the site's marker names, or None (no marker, or one from an older hubsite)."""
    try:
        text = (out_dir / urls.MARKER).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    found = [line.removeprefix("tree: ") for line in text.splitlines() if line.startswith("tree: ")]
    return found[0] if found and found[0].isalnum() else None


def read_manifest(out_dir: Path, *, signed_only: bool = True) -> dict[str, Any] | None:
    """The manifest of the site in `out_dir`, or None when there is no usable one. `signed_only`
    False: one this user's key does not sign as well (a key that could not be kept, a manifest of
    an older hubsite), for what may trust its word on which files a build wrote: the refusal to
    replace a folder holding others, never what is linked or skipped."""
    tree = marker_id(out_dir)
    if tree is None:
        return None
    try:
        data = (manifest_folder(out_dir) / f"{tree}.json").read_bytes()
        body = verified(data)
        if body is None and not signed_only:
            body = data if data.startswith(b"{") else data[SIGNATURE_BYTES:]
        manifest = json.loads(body.decode("utf-8")) if body is not None else None
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def save_manifest(out_dir: Path, files: dict[str, str], inputs: str, summary: dict[str, Any]) -> None:
    """Record the tree now in place; forget those of earlier trees."""
    folder = manifest_folder(out_dir)
    tree = tree_id(files)
    manifest = {"version": MANIFEST_VERSION, "inputs": inputs, "summary": summary, "files": files}
    saved = {f"{tree}.json": signed(json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8"))}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder.parent / ".gitignore").write_text("*\n")
        for name, data in saved.items():
            save_file(folder / name, data)
    except OSError as error:
        raise WriteFailed(f"the new site is in place, but its manifest could not be saved in {display_path(folder)}: {reason(error)}; "
                          "the next build will write every file again") from None
    for other in folder.iterdir():
        if other.name not in saved:
            other.unlink(missing_ok=True)


def save_file(path: Path, data: bytes) -> None:
    """Write a file whole or not at all."""
    temporary = path.with_name(f".{path.name}.new")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
