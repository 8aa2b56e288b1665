"""The one writer of the site: everything goes into a fresh folder beside the output,
which is swapped into place only when every file is written. A failed build leaves the
previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from hubsite.render import Output

MARKER = ".hubsite"


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


def write_tree(outputs: Iterable[Output], root: Path) -> int:
    """Write every output under `root`, refusing duplicates; return the number of files."""
    written: set[str] = set()
    made_dirs: set[Path] = set()
    for output in outputs:
        if output.path in written:
            raise OutputError(f"refusing to write {output.path} twice")
        written.add(output.path)
        target = target_path(root, output.path)
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        target.write_bytes(output.data)
    (root / MARKER).write_text("This folder is written by hubsite and replaced on every build.\n")
    return len(written)


def write_site(outputs: Iterable[Output], out_dir: Path, content_dir: Path) -> int:
    """Write the site into a temporary folder, then swap it into place."""
    check_out_dir(out_dir, content_dir)
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        os.chmod(staging, 0o755)  # noqa: S103 - a published site is world-readable; mkdtemp makes it 0o700
        count = write_tree(outputs, staging)
        swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def swap_into_place(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
