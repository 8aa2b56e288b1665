"""One build at a time into one output folder: a lock file in .hubsite-cache/ beside it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from hubsite.options import cache_folder, display_path
from hubsite.output.refusals import WriteFailed, reason


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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as error:
        raise WriteFailed(f"cannot write {display_path(path)}: {reason(error)}; the previous site is unchanged") from None
    with handle:
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
