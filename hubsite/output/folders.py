"""Files no build wrote, found without walking the site. A folder's mtime changes whenever an entry
is added to it, removed or renamed, so each tree's record keeps the mtime of every folder it has,
and a build lists only the folders whose mtime is not the recorded one: after an edit, the few
the last build changed. A folder whose mtime is too recent to vouch for (a file added within the
same tick of its clock would not change it) is recorded as not known, and listed next time.

What a build refuses is a file someone put into the site: it would be lost with the old tree, or
published with it. A file of the site edited in place changes no folder: it is not looked for
(it would take reading every file), see writer.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from hubsite import urls
from hubsite.options import display_path
from hubsite.output.manifest import Stamps
from hubsite.output.refusals import OutputRefused

RACY_NS = 2_000_000_000  # two seconds: the coarsest mtime clock of a common file system (FAT's)


def folder_entries(paths: Iterable[str]) -> dict[str, int]:
    """Every folder of a tree holding files at `paths` ("" is its root), with how many entries it holds."""
    entries = {"": 0}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder not in entries:  # a new folder: it holds `path`, and is an entry of its own parent
            entries[folder] = 1
            path, folder = folder, folder.rpartition("/")[0]
        else:
            entries[folder] += 1
    return entries


def stamps_now(root: Path, entries: dict[str, int]) -> Stamps:
    """The stamps of a tree that no one but this build has seen yet (a new one, not yet in place)."""
    recent = time.time_ns() - RACY_NS
    stamps = {}
    for folder, count in entries.items():
        mtime = os.stat(os.path.join(root, folder)).st_mtime_ns
        stamps[folder] = (mtime if mtime < recent else 0, count)
    return stamps


def unknown_stamps(files: Iterable[str]) -> Stamps:
    """Stamps that have every folder listed: for a tree whose record is lost."""
    return {folder: (0, count) for folder, count in folder_entries(files).items()}


def check_no_foreign_files(root: Path, files: dict[str, str], stamps: Stamps) -> tuple[Stamps, bool]:
    """Refuse to replace a site that holds files no build wrote (by its file list): a file
    someone put there would be lost with the old tree, or published with the spare. Returns the
    stamps brought up to date, and whether every file of the list is still there."""
    recent = time.time_ns() - RACY_NS
    updated, foreign, whole = dict(stamps), [], True
    base = os.path.join(root, "")  # joined by hand below: tens of thousands of folders
    for folder, (mtime, count) in stamps.items():
        try:
            now = os.stat(base + folder).st_mtime_ns
        except OSError:
            whole = False
            continue
        if now != mtime:
            own, strangers = listed(root, folder, files, stamps)
            foreign += strangers
            whole = whole and own == count
            updated[folder] = (now if now < recent else 0, count)
    if foreign:
        foreign.sort()
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise OutputRefused(f"refusing to replace {display_path(root)}: it holds files no build wrote ({', '.join(foreign[:3])}{more}); "
                            "move them into content/static/ (published with the site) or delete them")
    return updated, whole


def listed(root: Path, folder: str, files: dict[str, str], stamps: Stamps) -> tuple[int, list[str]]:
    """How many entries of `folder` are the tree's own, and the files in the others."""
    own, strangers = 0, []
    for name in os.listdir(os.path.join(root, folder)):
        path = f"{folder}/{name}" if folder else name
        if path in files or path in stamps:
            own += 1
        elif path != urls.MARKER:
            strangers += foreign_files(root, path)
    return own, strangers


def foreign_files(root: Path, path: str) -> list[str]:
    """A foreign entry as the files it holds (a folder of nothing as itself, with a slash)."""
    if not os.path.isdir(os.path.join(root, path)) or os.path.islink(os.path.join(root, path)):
        return [path]
    return [f"{path}/{inner}" for inner in walk_files(Path(root, path))] or [f"{path}/"]


def walk_files(root: Path) -> list[str]:
    """Every file under `root`, as a path relative to it."""
    found = []
    for folder, _, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        found += [name if relative == "." else f"{relative}/{name}".replace(os.sep, "/") for name in names]
    return found
