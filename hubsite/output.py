"""The one writer of the site. It runs only once every file has validated and every page has
rendered, so a failed build leaves the previous site exactly as it was.

A first build (or one into a folder without a manifest) writes a fresh folder beside the
output and swaps it into place. Later builds update the site in place: only files whose bytes
changed are written (each to a temporary name, then renamed over the old one), files no longer
produced are removed, and the rest are not touched, because creating files is what a build
pays most for on a real disk. The manifest (every file's hash, the build's input fingerprint
and summary) is kept outside the site, in .hubsite-cache/ beside it, and written last.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hubsite.render import Output

MARKER = ".hubsite"
CACHE_DIR = ".hubsite-cache"
MANIFEST_VERSION = 1


class OutputError(Exception):
    """The output folder cannot be written as asked (a usage error, not a content error)."""


def check_out_dir(out_dir: Path, content_dir: Path) -> None:
    """Refuse output folders whose replacement would destroy something else."""
    out, content = out_dir.resolve(), content_dir.resolve()
    if out == content or out in content.parents or out == Path.cwd().resolve() or out.parent == out:
        raise OutputError(f"refusing to write the site to {out_dir}: it holds the content or the project")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise OutputError(f"refusing to replace {out_dir}: it was not made by hubsite (no {MARKER} file); remove it or choose another --out")


def target_path(root: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise OutputError(f"refusing to write outside the site: {relative!r}")
    return root.joinpath(*pure.parts)


def file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_tree(outputs: Iterable[Output], root: Path) -> dict[str, str]:
    """Write every output under `root`, refusing duplicates; return path -> hash of every file."""
    written: dict[str, str] = {}
    made_dirs: set[Path] = set()
    for output in outputs:
        if output.path in written:
            raise OutputError(f"refusing to write {output.path} twice")
        written[output.path] = file_hash(output.data)
        target = target_path(root, output.path)
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        target.write_bytes(output.data)
    (root / MARKER).write_text("This folder is written by hubsite and replaced on every build.\n")
    return written


def sync_tree(outputs: Iterable[Output], root: Path, before: dict[str, str]) -> dict[str, str]:
    """Bring `root` from the files of `before` (path -> hash) to `outputs`, writing only what
    changed. Changed files go to hidden temporary names as they come and are renamed into place
    only once every output has rendered; a failure removes them and leaves the site as it was."""
    after: dict[str, str] = {}
    pending: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            if output.path in after:
                raise OutputError(f"refusing to write {output.path} twice")
            target = target_path(root, output.path)
            after[output.path] = file_hash(output.data)
            if before.get(output.path) == after[output.path] and target.is_file():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.hubsite-new")
            temporary.write_bytes(output.data)
            pending.append((temporary, target))
    except BaseException:
        for temporary, _ in pending:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in pending:
        temporary.replace(target)
    for gone in sorted(set(before) - set(after), reverse=True):
        target = target_path(root, gone)
        target.unlink(missing_ok=True)
        remove_empty_parents(target.parent, root)
    return after


def remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def manifest_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR / f"{out_dir.name}.json"


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the site in `out_dir`, or None when there is no usable one."""
    if not (out_dir / MARKER).is_file():
        return None
    try:
        manifest = json.loads(manifest_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def save_manifest(out_dir: Path, files: dict[str, str], fingerprint: str, summary: dict[str, Any]) -> None:
    path = manifest_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / ".gitignore").write_text("*\n")
    manifest = {"version": MANIFEST_VERSION, "fingerprint": fingerprint, "summary": summary, "files": files}
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(json.dumps(manifest, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    temporary.replace(path)


def write_site(outputs: Iterable[Output], out_dir: Path, content_dir: Path) -> dict[str, str]:
    """Write the site: in place over a site with a manifest, else into a fresh folder swapped into
    place. Returns path -> hash of every file, for save_manifest."""
    check_out_dir(out_dir, content_dir)
    out_dir = out_dir.absolute()
    previous = read_manifest(out_dir)
    path = manifest_path(out_dir)
    path.unlink(missing_ok=True)  # a build cut off half-way must not look up to date
    if previous is not None:
        files = sync_tree(outputs, out_dir, previous["files"])
    else:
        files = write_fresh(outputs, out_dir)
    return files


def write_fresh(outputs: Iterable[Output], out_dir: Path) -> dict[str, str]:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        os.chmod(staging, 0o755)  # noqa: S103 - a published site is world-readable; mkdtemp makes it 0o700
        files = write_tree(outputs, staging)
        swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files


def swap_into_place(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
