"""The one writer of the site. It runs only once every file has validated, and it never changes
the site in place: whatever stops a build (a content error, a full disk, a kill), the output
folder holds either the previous site or the new one, whole, and no temporary file.

The site has two trees: the one in place, and the spare, the tree before it, kept in
.hubsite-cache/ (manifest.spare_folder). A build brings the spare up to date by the difference
between its file list and the new files, writing the files that changed and removing those gone,
then swaps the two folders in one step: an atomic exchange (renameat2's RENAME_EXCHANGE on Linux)
or, where the system has none, renames, and a build that finds the site missing after a kill
between them puts the previous one back first. A file unchanged since the spare's build is not
touched; one that changed since is hard-linked from the site in place when it has the same bytes
there. Either way it keeps its inode and time stamp, so rsync-style deploys see it unchanged, and a
build after an edit writes what the edit changed, not the site.

The two trees share files through those links, so no file is ever written into: a file that
changed is unlinked, then written anew. Before its first change the spare's marker is removed, so
a tree stopped half-way is never taken for what its file list says: the next build makes a new
tree instead, linking every unchanged file from the site in place.

A file of the site edited in place (by anyone but a build) is not looked for: it would take reading
every file. The build owns what it wrote; such an edit lasts until a build writes that file anew,
and may show in both trees, a link sharing it. Files the site needs beyond its pages go in
content/static/. Files put into the site are refused (folders.py).

Render workers may write their files themselves: forked after open_staging, they call write_staged
for each and hand the build's process a Written record, which finish_site takes like a file handed
whole.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import sys
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from hubsite import urls
from hubsite.incremental.artifacts import file_digest
from hubsite.options import display_path
from hubsite.output.folders import check_no_foreign_files, folder_entries, stamps_now, unknown_stamps
from hubsite.output.manifest import (
    Stamps,
    aside_folder,
    file_list,
    forget_stamps,
    marker_id,
    marker_text,
    read_files,
    read_stamps,
    root_inode,
    save_files,
    save_stamps,
    spare_folder,
    tree_id,
)
from hubsite.output.refusals import KeptFileGone, OutputRefused, WriteFailed, reason
from hubsite.render.outputs import Kept, Written

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


def target_path(root: Path, relative: str) -> Path:
    return Path(root, inside(relative))


def inside(relative: str) -> str:
    """A path of the site as this system spells it relative to the site's folder; never outside it."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if relative.startswith("/") or ".." in parts or not parts:
        raise OutputRefused(f"refusing to write outside the site: {relative!r}")
    return os.path.join(*parts)


# --- the tree being made -----------------------------------------------------------------------


@dataclass
class Staging:
    """The tree that will replace the site at `out_dir`: the spare brought up to date, or a new tree.
    Forked workers inherit it; each process notes in `changed` whether it has changed the tree."""

    out_dir: Path  # the site in place (absolute)
    root: Path  # the tree being made
    live: dict[str, str]  # the site in place, path -> hash ({} when not known): what can be linked from it
    holds: dict[str, str]  # what `root` held when opened: the spare's file list ({} for a new tree)
    stamps: Stamps  # the spare's folder stamps ({} for a new tree)
    changed: bool = False  # the marker of `root` is removed (a new tree has none)
    made: set[str] = field(default_factory=set)  # folders this process made


def write_site(outputs: Iterable[File], out_dir: Path, content_dir: Path) -> dict[str, str]:
    """Write the site and swap it into place. Returns path -> hash of every file, for
    save_manifest. Call it holding `locked(out_dir)`."""
    return finish_site(open_staging(out_dir, content_dir), outputs)


def open_staging(out_dir: Path, content_dir: Path) -> Staging:
    """Check the site in place for files no build wrote, and open the tree that will replace it:
    the spare when it is whole and known, else a new tree. Call it holding `locked(out_dir)`,
    before forking workers that call write_staged."""
    check_out_dir(out_dir, content_dir)
    out_dir = out_dir.absolute()
    try:
        remove_leftovers(out_dir)
        live = checked_live_files(out_dir)
        return spare_staging(out_dir, live) or new_staging(out_dir, live)
    except OSError as error:
        if not about_the_output(error, out_dir):
            raise
        raise WriteFailed(f"cannot write {shown_path(error, None, out_dir)}: {reason(error)}; the previous site is unchanged") from None


def site_is_whole(out_dir: Path, files: dict[str, str]) -> bool:
    """Whether every file of the site's list is still in it: a page deleted by hand is written
    again by the next build, even one whose inputs did not change (one lstat a file, no reading)."""
    root = str(out_dir.absolute())
    try:
        for path in files:
            os.lstat(os.path.join(root, inside(path)))
    except OSError:
        return False
    return True


def checked_live_files(out_dir: Path) -> dict[str, str]:
    """The file list of the site in place ({} when not known), once it holds nothing else. A site
    missing a file of its list (deleted by hand) loses its stamps: as the spare, it is never reused."""
    tree, inode = marker_id(out_dir), root_inode(out_dir)
    claimed = read_files(out_dir, tree, signed_only=False) if tree and inode else None
    if claimed is None:
        return {}
    assert tree is not None and inode is not None
    recorded = read_stamps(out_dir, tree, inode)
    checked, whole = check_no_foreign_files(out_dir, claimed, recorded or unknown_stamps(claimed))
    if not whole:
        forget_stamps(out_dir, tree, inode)
    elif checked != recorded:
        save_stamps(out_dir, tree, inode, checked)
    return claimed if read_files(out_dir, tree) is not None else {}  # only a list this user signed says what may be linked


def spare_staging(out_dir: Path, live: dict[str, str]) -> Staging | None:
    """The spare, if its marker names a file list and its folders are recorded."""
    spare = spare_folder(out_dir)
    tree, inode = marker_id(spare), root_inode(spare)
    holds = read_files(out_dir, tree) if tree and inode else None
    stamps = read_stamps(out_dir, tree, inode) if tree and inode and holds is not None else None
    return Staging(out_dir, spare, live, holds, stamps) if holds is not None and stamps is not None else None


def new_staging(out_dir: Path, live: dict[str, str]) -> Staging:
    """An empty tree where the spare goes (an unknown spare is removed first)."""
    spare = spare_folder(out_dir)
    if spare.exists() or spare.is_symlink():
        remove_tree(spare)
    spare.mkdir()
    os.chmod(spare, 0o755)  # noqa: S103 - a published site is world-readable, whatever the umask
    return Staging(out_dir, spare, live, {}, {}, changed=True)


def write_staged(staging: Staging, path: str, data: bytes) -> str:
    """Put one file into the staging tree, from the build's process or a forked worker; returns
    its hash (for a Written record). A file the spare has with these bytes is left as it is."""
    digest = file_digest(data)
    relative = inside(path)
    target = os.path.join(staging.root, relative)
    if staging.holds.get(path) == digest and has_size(target, len(data)):
        return digest
    make_room(staging, path, target)
    if staging.live.get(path) != digest or not link_unchanged(os.path.join(staging.out_dir, relative), target, len(data)):
        write_file(target, data)
    return digest


def place_kept(staging: Staging, kept: Kept) -> None:
    """A file the site in place has, made from the same inputs: left in the spare if it has it
    too, else linked from the site, else copied if the site's one still has its bytes."""
    if staging.holds.get(kept.path) == kept.digest:
        return
    relative = inside(kept.path)
    target, source = os.path.join(staging.root, relative), os.path.join(staging.out_dir, relative)
    make_room(staging, kept.path, target)
    if not link_unchanged(source, target, None):
        data = unchanged_bytes(source, kept.digest)
        if data is None:
            raise KeptFileGone(kept.path)
        write_file(target, data)


def make_room(staging: Staging, path: str, target: str) -> None:
    """Ready `target` for a new file: its folder made, or whatever stands there unlinked."""
    invalidate(staging)
    if path in staging.holds:
        clear(target)
        return
    folder = os.path.dirname(target)
    if path.rpartition("/")[0] not in staging.stamps and folder not in staging.made:
        make_folder(folder)
        staging.made.add(folder)


def invalidate(staging: Staging) -> None:
    """Before the first change to the spare, remove its marker: from now on it is not the tree
    its file list names, whatever stops the build."""
    if not staging.changed:
        with suppress(FileNotFoundError):  # a worker may have removed it
            os.unlink(os.path.join(staging.root, MARKER))
        staging.changed = True


def make_folder(folder: str) -> None:
    """Make a folder of the tree; a file standing where it goes (a file of the spare that has
    become a folder of the site) is removed first."""
    try:
        os.makedirs(folder, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocking = folder
        while not os.path.lexists(blocking):
            blocking = os.path.dirname(blocking)
        os.unlink(blocking)
        os.makedirs(folder, exist_ok=True)


def clear(target: str) -> None:
    """Unlink what stands at `target`: never write into it, the site in place may share it."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):  # a folder of the spare that has become a file of the site
        if os.path.islink(target) or not os.path.isdir(target):
            raise
        shutil.rmtree(target)


def write_file(target: str, data: bytes) -> None:
    """Write one new file; an error names it (a failed write(2) says only why, not where)."""
    try:
        with open_new(target) as file:
            file.write(data)
    except OSError as error:
        raise OSError(error.errno, error.strerror, error.filename or target) from None


def open_new(target: str) -> BinaryIO:
    """A new file at `target`, never an existing one opened for writing: what stood there, which no
    file list knows of, is unlinked first."""
    try:
        return open(target, "xb")
    except FileExistsError:
        clear(target)
        return open(target, "xb")


def has_size(target: str, size: int) -> bool:
    try:
        return os.stat(target).st_size == size
    except OSError:
        return False


def unchanged_bytes(path: str | Path, digest: str) -> bytes | None:
    """A live file's bytes, if they still have the hash the manifest gave them."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    return data if file_digest(data) == digest else None


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


# --- finishing it ------------------------------------------------------------------------------


def finish_site(staging: Staging, outputs: Iterable[File]) -> dict[str, str]:
    """Write `outputs` into the staging tree, remove what the site no longer has, record the tree
    and swap it into place. Returns path -> hash of every file, for save_manifest. A Staging serves
    one call: after a failure, open another."""
    try:
        written = write_outputs(staging, outputs)
        entries = folder_entries(written)
        unsure = remove_gone(staging, written, entries)
        seal(staging, written, entries, unsure)
        swap_into_place(staging.root, staging.out_dir)
    except OSError as error:
        abandon(staging, outputs)
        if not about_the_output(error, staging.out_dir):
            raise
        raise WriteFailed(f"cannot write {shown_path(error, staging.root, staging.out_dir)}: {reason(error)}; the previous site is unchanged") from None
    except BaseException:
        abandon(staging, outputs)
        raise
    return written


def write_outputs(staging: Staging, outputs: Iterable[File]) -> dict[str, str]:
    """Every file into the staging tree, refusing duplicates. Returns path -> hash."""
    written: dict[str, str] = {}
    for output in outputs:
        if output.path in written:
            raise OutputRefused(f"refusing to write {output.path} twice")
        if isinstance(output, Written):  # a worker wrote it (write_staged)
            written[output.path] = output.digest
        elif isinstance(output, Kept):
            place_kept(staging, output)
            written[output.path] = output.digest
        else:
            written[output.path] = write_staged(staging, output.path, output.data)
    return written


def remove_gone(staging: Staging, written: dict[str, str], entries: dict[str, int]) -> set[str]:
    """Remove the spare's files that the site no longer has, then its folders left empty. Returns
    the folders of the site that a folder holding something else was left in, to be listed next time."""
    gone = sorted(staging.holds.keys() - written.keys() - entries.keys())  # sets: 140,000 paths in nine languages
    if not gone:
        return set()
    invalidate(staging)
    for path in gone:
        clear(os.path.join(staging.root, inside(path)))
    unsure = set()
    for folder in sorted(staging.stamps.keys() - entries.keys() - written.keys(), key=len, reverse=True):  # the deepest first
        try:
            os.rmdir(os.path.join(staging.root, folder))
        except FileNotFoundError:
            pass
        except OSError:  # not empty: it holds what no file list knows of
            unsure.add(nearest(folder, entries))
    return unsure


def nearest(folder: str, entries: dict[str, int]) -> str:
    """The nearest folder above `folder` that the site has."""
    while folder not in entries:
        folder = folder.rpartition("/")[0]
    return folder


def seal(staging: Staging, written: dict[str, str], entries: dict[str, int], unsure: set[str]) -> None:
    """Record the tree (file list, folder stamps), then write its marker: a tree with a marker is whole."""
    listing = file_list(written)
    tree = tree_id(listing)
    save_files(staging.out_dir, tree, listing)
    save_stamps(staging.out_dir, tree, os.stat(staging.root).st_ino, new_stamps(staging, entries, unsure))
    if marker_id(staging.root) != tree:
        marker = os.path.join(staging.root, MARKER)
        clear(marker)
        write_file(marker, marker_text(tree).encode())


def new_stamps(staging: Staging, entries: dict[str, int], unsure: set[str]) -> Stamps:
    """A new tree's folders as they are (no one else has seen them); a spare's as recorded before
    this build changed it, so the folders it changed are listed next time."""
    if not staging.stamps:
        stamps = stamps_now(staging.root, entries)
    else:
        stamps = {folder: (staging.stamps.get(folder, (0, 0))[0], count) for folder, count in entries.items()}
    for folder in unsure:
        stamps[folder] = (0, stamps[folder][1])
    return stamps


def abandon(staging: Staging, outputs: Iterable[File]) -> None:
    """After a failure: stop rendering (and workers that may be writing), then remove the staging
    tree if it was changed (a tree with its marker is still whole, and stays the spare)."""
    close = getattr(outputs, "close", None)
    if close is not None:
        close()
    if staging.changed or not (staging.root / MARKER).exists():
        shutil.rmtree(staging.root, ignore_errors=True)


def remove_tree(root: Path) -> None:
    if root.is_symlink() or not root.is_dir():
        root.unlink()
    else:
        shutil.rmtree(root)


# --- swapping it into place --------------------------------------------------------------------


def swap_into_place(staged: Path, out_dir: Path) -> None:
    """Put the staged tree at `out_dir`, and the previous site where it was: the next spare."""
    if not out_dir.exists():
        staged.rename(out_dir)
        return
    if exchange(staged, out_dir):
        return
    aside = aside_folder(staged)
    out_dir.rename(aside)  # no atomic exchange here: a kill before the next line is repaired by remove_leftovers
    try:
        staged.rename(out_dir)
    except OSError:
        aside.rename(out_dir)
        raise
    with suppress(OSError):  # the site is in place; if this fails, remove_leftovers does it
        aside.rename(staged)


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
    """Repair what a build killed during a swap without an atomic exchange left: the previous
    site, moved aside, goes back in place if the site is missing, else becomes the spare."""
    spare = spare_folder(out_dir)
    aside = aside_folder(spare)
    if not aside.exists():
        return
    if not out_dir.exists():
        aside.rename(out_dir)
    elif not spare.exists():
        aside.rename(spare)
    else:
        remove_tree(aside)


# --- saying what failed ------------------------------------------------------------------------


def about_the_output(error: OSError, out_dir: Path) -> bool:
    """Whether a failure was writing beside or into the output folder (not, say, reading a template)."""
    return not error.filename or Path(str(error.filename)).absolute().is_relative_to(out_dir.parent)


def shown_path(error: OSError, staged: Path | None, out_dir: Path) -> str:
    """The file a write failed on, named as it will be in the site (not in the staging tree)."""
    name = Path(str(error.filename)) if error.filename else out_dir
    if staged is not None:
        with suppress(ValueError):
            name = out_dir / name.relative_to(staged)
    return display_path(name)
