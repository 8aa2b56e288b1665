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

The manifest (every file's hash, the build's input fingerprint and summary) is kept outside the
site, in .hubsite-cache/ beside it, under the id of the tree it describes; the site's own
`.hubsite` marker names that id, so a manifest can never be read for another tree than the one
in place. Leftovers of a killed build are removed by the next one. A lock file there makes a
second build into the same folder wait for the first.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from hubsite.options import display_path

if TYPE_CHECKING:
    from hubsite.render.outputs import Output

MARKER = ".hubsite"
MARKER_TEXT = "This folder is written by hubsite and replaced on every build.\n"
CACHE_DIR = ".hubsite-cache"
MANIFEST_VERSION = 2


class OutputError(Exception):
    """The output folder cannot be written as asked (a usage error, not a content error)."""


class WriteFailed(Exception):
    """The system refused a write (no space, read-only, permissions); the previous site is unchanged."""


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


def tree_id(files: dict[str, str]) -> str:
    """The id of a whole tree, from every path and hash: what the marker and the manifest share."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(files):
        digest.update(f"{path}\0{files[path]}\n".encode())
    return digest.hexdigest()


# --- the lock ----------------------------------------------------------------------------------


def cache_folder(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR


@contextmanager
def locked(out_dir: Path, notice: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock for a whole build; wait (saying so) while another build holds it.

    The kernel releases the lock when its process ends, however it ends, so a killed build never
    leaves a folder locked. Without fcntl (Windows), builds are not serialised.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    path = cache_folder(out_dir) / f"{out_dir.absolute().name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            (notice or print_notice)(f"waiting for another build into {display_path(out_dir)} (process {holder}) to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


def print_notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the manifest ------------------------------------------------------------------------------


def manifest_folder(out_dir: Path) -> Path:
    return cache_folder(out_dir) / f"{out_dir.absolute().name}.manifest"


def marker_id(out_dir: Path) -> str | None:
    """The tree id that the site's marker names, or None (no marker, or one from an older hubsite)."""
    try:
        text = (out_dir / MARKER).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    found = [line.removeprefix("tree: ") for line in text.splitlines() if line.startswith("tree: ")]
    return found[0] if found and found[0].isalnum() else None


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the site in `out_dir`, or None when there is no usable one."""
    tree = marker_id(out_dir)
    if tree is None:
        return None
    try:
        manifest = json.loads((manifest_folder(out_dir) / f"{tree}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def save_manifest(out_dir: Path, files: dict[str, str], fingerprint: str, summary: dict[str, Any]) -> None:
    """Record the tree now in place; forget the manifests of earlier trees."""
    folder = manifest_folder(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / ".gitignore").write_text("*\n")
    name = f"{tree_id(files)}.json"
    manifest = {"version": MANIFEST_VERSION, "fingerprint": fingerprint, "summary": summary, "files": files}
    temporary = folder / f".{name}.new"
    temporary.write_text(json.dumps(manifest, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    temporary.replace(folder / name)
    for other in folder.iterdir():
        if other.name != name:
            other.unlink(missing_ok=True)


# --- writing a tree ----------------------------------------------------------------------------


def write_site(outputs: Iterable[Output], out_dir: Path, content_dir: Path) -> dict[str, str]:
    """Write the site beside `out_dir` and swap it into place. Returns path -> hash of every file,
    for save_manifest. Call it holding `locked(out_dir)`."""
    check_out_dir(out_dir, content_dir)
    out_dir = out_dir.absolute()
    remove_leftovers(out_dir)
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


def write_tree(outputs: Iterable[Output], root: Path, live: Path, before: dict[str, str]) -> dict[str, str]:
    """Write every output under `root`, refusing duplicates; a file whose bytes the live site
    already has (by the manifest, `before`) is linked from it. Returns path -> hash of every file."""
    written: dict[str, str] = {}
    made_dirs: set[Path] = set()
    for output in outputs:
        if output.path in written:
            raise OutputError(f"refusing to write {output.path} twice")
        digest = written[output.path] = file_hash(output.data)
        target = target_path(root, output.path)
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        if before.get(output.path) != digest or not link_unchanged(target_path(live, output.path), target, len(output.data)):
            target.write_bytes(output.data)
    (root / MARKER).write_text(f"{MARKER_TEXT}tree: {tree_id(written)}\n", encoding="utf-8")
    return written


def link_unchanged(source: Path, target: Path, size: int) -> bool:
    """Hard-link a live file whose bytes are unchanged into the new tree; False to write it instead
    (it is gone or altered, or the file system has no hard links)."""
    try:
        info = source.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
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


def reason(error: OSError) -> str:
    """'no space left on device': the system's words, as a clause."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


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
