"""Files of the content folder, read only from inside it.

Every content file, and every file a record names (a logo), is resolved, links followed, and
must still lie inside content/ and be a regular file of a bounded size, or the build refuses it
with a reason. A pull request must not be able to publish /etc/passwd or /proc/self/environ
of the machine that builds it by adding a symlink or an absolute path.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hubsite import urls
from hubsite.options import display_path
from hubsite.problems import HubsiteError, Problem


class Refused(HubsiteError):
    """A file that content names (or a content file itself) that the build will not read: why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def confine(path: Path, root: Path, *, folder: bool = False) -> Path:
    """`path` with every link resolved, when it lies inside `root` (the content folder, resolved)
    and is a regular file (or, with `folder`, a folder); else raise Refused.

    Links are followed only while they stay inside content/: a pull request must not be able to
    publish /etc/passwd or /proc/self/environ by adding a symlink.
    """
    kind = "folder" if folder else "file"
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise Refused(f"is a link to '{os.readlink(path)}', which does not exist" if path.is_symlink() else "does not exist") from None
    except (OSError, RuntimeError):  # a loop of links, a folder we may not read
        raise Refused("cannot be followed (a loop of links, or no permission)") from None
    if resolved != root and root not in resolved.parents:
        where = f"is a link to '{os.readlink(path)}'" if path.is_symlink() else "leads, through a linked folder,"
        raise Refused(f"{where} outside {display_path(root)}/; content is read only from inside that folder")
    mode = resolved.stat().st_mode
    if not (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
        raise Refused(f"is not a regular {kind}")
    return resolved


def read_named_file(root: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a file that a content field names by a path relative to content/ (a logo)."""
    pure = Path(name)
    if pure.is_absolute() or name.startswith(("/", "\\")):
        raise Refused("is an absolute path; give a path inside the content folder, like logos/example.svg")
    if ".." in pure.parts:
        raise Refused("climbs out of the content folder ('..'); give a path inside it, like logos/example.svg")
    if not (root / pure).exists() and not (root / pure).is_symlink():
        raise Refused("is not a file in the content folder")
    return read_capped(confine(root / pure, root), max_bytes)


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Read a regular file of at most `max_bytes` (checked on the open file, before reading it)."""
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused("is not a regular file")
        if info.st_size > max_bytes:
            raise Refused(f"is larger than {max_bytes // 1024 // 1024} MiB")
        return handle.read(max_bytes + 1)


STATIC = "static"  # content/static/: published as it is at the site's root
MAX_STATIC_BYTES = 10 * 1024 * 1024


def read_static(content_dir: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Every file of content/static/ (CNAME, .well-known/..., a verification file), by its path
    in the site: confined like every content file, and never one of the site's own paths."""
    folder = content_dir / STATIC
    if not folder.exists() and not folder.is_symlink():
        return {}, []
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    read_static_folder(folder, "", content_dir.resolve(), files, problems)
    return files, problems


def read_static_folder(folder: Path, prefix: str, root: Path, files: dict[str, bytes], problems: list[Problem]) -> None:
    try:
        confine(folder, root, folder=True)
    except Refused as refused:
        problems.append(Problem(display_path(folder), 1, 1, "", f"this folder {refused.reason}"))
        return
    for entry in sorted(folder.iterdir()):
        name = prefix + entry.name
        if entry.is_dir() and not entry.is_symlink():
            read_static_folder(entry, name + "/", root, files, problems)
            continue
        try:
            data = read_capped(confine(entry, root), MAX_STATIC_BYTES)
        except Refused as refused:
            problems.append(Problem(display_path(entry), 1, 1, "", f"this file {refused.reason}"))
            continue
        if urls.route_of(name) is not None:
            problems.append(Problem(display_path(entry), 1, 1, "", f"the site writes {name} itself; remove this file or give it another name"))
            continue
        files[name] = data
