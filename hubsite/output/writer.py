"""The one writer of the site. It runs only once every file has validated, and it never changes
the site in place: whatever stops a build (a content error, a full disk, a kill), the output
folder holds either the previous site or the new one, whole, and no temporary file.

Every build writes a complete tree beside the output folder (`.site.new-XXXX`, same file
system), then swaps it into place in one step: an atomic exchange of the two folders
(renameat2's RENAME_EXCHANGE on Linux). Where the system has no such call, it takes two
renames, and a build that finds the site missing puts the previous one back first. Files whose
bytes did not change since the last build are hard links to the live ones, not new copies:
creating and writing files is what a build pays most for on a real disk, and a link keeps the
file's inode and time stamp, so rsync-style deploys see it unchanged.

Unchanged files are known from the manifest of the tree in place (manifest.py). Leftovers of a
killed build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hubsite import urls
from hubsite.options import display_path
from hubsite.output.manifest import marker_text, read_manifest
from hubsite.output.refusals import KeptFileGone, OutputRefused, WriteFailed, reason
from hubsite.render.outputs import Kept

if TYPE_CHECKING:
    from hubsite.render.outputs import File

MARKER = urls.MARKER


def check_out_dir(out_dir: Path, content_dir: Path) -> None:
    """Refuse output folders whose replacement would destroy something else."""
    out, content = out_dir.resolve(), content_dir.resolve()
    if out == content or out in content.parents or out == Path.cwd().resolve() or out.parent == out:
        raise OutputRefused(f"refusing to write the site to {out_dir}: it holds the content or the project")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"refusing to write the site to {out_dir}: it is a file, not a folder; choose another --out")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputRefused(f"refusing to replace {out_dir}: it was not made by hubsite (no {MARKER} file); remove it or choose another --out")


def check_no_foreign_files(out_dir: Path, written: dict[str, str]) -> None:
    """Refuse to replace a site that holds files no build wrote (by its manifest): a new site
    replaces the whole folder, and a file someone put there would be lost with the old one."""
    foreign = sorted(path for path in walk_files(out_dir) if path not in written and path != MARKER)
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise OutputRefused(f"refusing to replace {display_path(out_dir)}: it holds files no build wrote ({', '.join(foreign[:3])}{more}); "
                            "move them into content/static/ (published with the site) or delete them")


def walk_files(root: Path) -> Iterator[str]:
    """Every file under `root`, as a path relative to it."""
    for folder, _, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        for name in names:
            yield name if relative == "." else f"{relative}/{name}".replace(os.sep, "/")


def target_path(root: Path, relative: str) -> Path:
    return Path(root, inside(relative))


def inside(relative: str) -> str:
    """A path of the site as this system spells it relative to the site's folder; never outside it."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if relative.startswith("/") or ".." in parts or not parts:
        raise OutputRefused(f"refusing to write outside the site: {relative!r}")
    return os.path.join(*parts)


def file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# --- writing a tree ----------------------------------------------------------------------------


def write_site(outputs: Iterable[File], out_dir: Path, content_dir: Path) -> dict[str, str]:
    """Write the site beside `out_dir` and swap it into place. Returns path -> hash of every file,
    for save_manifest. Call it holding `locked(out_dir)`."""
    check_out_dir(out_dir, content_dir)
    out_dir = out_dir.absolute()
    remove_leftovers(out_dir)
    claimed = read_manifest(out_dir, signed_only=False)
    if claimed is not None:
        check_no_foreign_files(out_dir, claimed["files"])
    previous = read_manifest(out_dir)
    staging = make_staging(out_dir)
    try:
        files = write_tree(outputs, staging, out_dir, previous["files"] if previous else {})
        old = swap_into_place(staging, out_dir)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        if not about_the_output(error, out_dir):
            raise
        raise WriteFailed(f"cannot write {shown_path(error, staging, out_dir)}: {reason(error)}; the previous site is unchanged") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return files


def make_staging(out_dir: Path) -> Path:
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as error:
        raise WriteFailed(f"cannot write the site beside {display_path(out_dir)} (in {display_path(out_dir.parent)}): {reason(error)}; the previous site is unchanged") from None
    os.chmod(staging, 0o755)  # noqa: S103 - a published site is world-readable; mkdtemp makes it 0o700
    return staging


def write_tree(outputs: Iterable[File], root: Path, live: Path, before: dict[str, str]) -> dict[str, str]:
    """Write every output under `root`, refusing duplicates; a file whose bytes the live site
    already has (by the manifest, `before`) is linked from it. Returns path -> hash of every file."""
    written: dict[str, str] = {}
    made_dirs: set[str] = set()
    for output in outputs:  # paths as strings: at 60,000 files, Path objects cost seconds
        if output.path in written:
            raise OutputRefused(f"refusing to write {output.path} twice")
        relative = inside(output.path)
        target, source = os.path.join(root, relative), os.path.join(live, relative)
        folder = os.path.dirname(target)
        if folder not in made_dirs:
            os.makedirs(folder, exist_ok=True)
            made_dirs.add(folder)
        if isinstance(output, Kept):
            written[output.path] = output.digest
            if before.get(output.path) != output.digest or not link_unchanged(source, target, None):
                write_kept(source, target, output)
            continue
        digest = written[output.path] = file_hash(output.data)
        if before.get(output.path) != digest or not link_unchanged(source, target, len(output.data)):
            write_file(target, output.data)
    (root / MARKER).write_text(marker_text(written), encoding="utf-8")
    return written


def write_file(target: str, data: bytes) -> None:
    """Write one file; an error names it (a failed write(2) says only why, not where)."""
    try:
        with open(target, "wb") as file:
            file.write(data)
    except OSError as error:
        raise OSError(error.errno, error.strerror, error.filename or target) from None


def write_kept(source: str, target: str, kept: Kept) -> None:
    """A kept file that could not be linked (no hard links here): copied, if the live one still has its bytes."""
    data = unchanged_bytes(source, kept.digest)
    if data is None:
        raise KeptFileGone(kept.path)
    write_file(target, data)


def unchanged_bytes(path: str | Path, digest: str) -> bytes | None:
    """A live file's bytes, if they still have the hash the manifest gave them."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    return data if file_hash(data) == digest else None


def link_unchanged(source: str, target: str, size: int | None) -> bool:
    """Hard-link a live file whose bytes are unchanged into the new tree; False to write it instead
    (it is gone or altered, or the file system has no hard links). `size`: what it must have, when known."""
    try:
        info = os.lstat(source)
        if not stat.S_ISREG(info.st_mode) or (size is not None and info.st_size != size):
            return False
        os.link(source, target, follow_symlinks=False)
    except OSError:
        return False
    return True


# --- swapping it into place --------------------------------------------------------------------


def swap_into_place(staging: Path, out_dir: Path) -> Path | None:
    """Put the staged tree at `out_dir`; return where the previous site went (to be removed), if anywhere."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return None
    if exchange(staging, out_dir):
        return staging  # the two folders traded places: the staging name holds the old site
    old = out_dir.with_name(f".{out_dir.name}.old-{staging.name.rpartition('-')[2]}")
    out_dir.rename(old)  # no atomic exchange here: a kill before the next line is repaired by remove_leftovers
    staging.rename(out_dir)
    return old


def exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths on one file system; False where the system cannot (then nothing moved)."""
    rename = _renameat2()
    if rename is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if rename(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system or kernel cannot exchange
        return False
    raise OSError(error, os.strerror(error), str(second))


def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # an old C library
        return None


def remove_leftovers(out_dir: Path) -> None:
    """Remove what killed builds left beside `out_dir`; first, if the site itself is missing after
    a kill between two renames (systems without an atomic exchange), put the previous one back."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out_dir.name}.old-*"), key=lambda p: p.stat().st_mtime_ns)
    if not out_dir.exists() and olds:
        olds.pop().rename(out_dir)
    for leftover in [*olds, *parent.glob(f".{out_dir.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


# --- saying what failed ------------------------------------------------------------------------


def about_the_output(error: OSError, out_dir: Path) -> bool:
    """Whether a failure was writing beside or into the output folder (not, say, reading a template)."""
    return not error.filename or Path(str(error.filename)).absolute().is_relative_to(out_dir.parent)


def shown_path(error: OSError, staging: Path, out_dir: Path) -> str:
    """The file a write failed on, named as it will be in the site (not in the staging folder)."""
    name = Path(str(error.filename)) if error.filename else out_dir
    try:
        name = out_dir / name.relative_to(staging)
    except ValueError:
        pass
    return display_path(name)
