"""Run `build.py ARGS` with a pause at one named moment of a build, for tests that kill it there:

    python tests/pausing_build.py POINT build --content ... --out ...

At POINT the process prints `paused at POINT` (with its pid, or a worker's) on stdout and sleeps
until it is killed. Points:

- `rendering`: the fifth file is being staged (pages still rendering);
- `updating-spare`: the spare tree is being brought up to date: its marker is gone, and two of
  its files are replaced;
- `staged`: every file is staged, just before the swap;
- `between-renames`: on a system without an atomic exchange, after the live site was renamed
  aside and before the new one took its place;
- `swapped`: the new site is in place, its records not yet saved;
- `manifest`: the site is in place, its manifest not yet saved;
- `worker`: a render worker has started its first task.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hubsite import cli, pipeline
from hubsite.output import writer as output
from hubsite.render import workers


def pause(point: str) -> None:
    print(f"paused at {point} {os.getpid()}", flush=True)
    time.sleep(600)


def before(module: object, name: str, point: str, when: Callable[..., bool] = lambda *args: True) -> None:
    original = getattr(module, name)

    def paused(*args: Any, **kwargs: Any) -> Any:
        if when(*args):
            pause(point)
        return original(*args, **kwargs)

    setattr(module, name, paused)


def after(module: object, name: str, point: str) -> None:
    original = getattr(module, name)

    def paused(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        pause(point)
        return result

    setattr(module, name, paused)


def install(point: str) -> None:
    if point == "rendering":
        calls = iter(range(1_000_000))
        before(output, "file_digest", point, lambda *_: next(calls) == 4)
    elif point == "updating-spare":
        cleared = iter(range(1_000_000))
        before(output, "clear", point, lambda *_: next(cleared) == 2)
    elif point == "staged":
        before(output, "swap_into_place", point)
    elif point == "swapped":
        after(output, "swap_into_place", point)
    elif point == "manifest":
        before(pipeline, "save_manifest", point)
    elif point == "between-renames":
        output.exchange = lambda first, second: False
        original = Path.rename

        def rename(self: Path, target: Path) -> Path:
            moved = original(self, target)
            if Path(target).name.endswith(".aside"):
                pause(point)
            return moved

        Path.rename = rename  # type: ignore[method-assign]
    elif point == "worker":
        before(workers, "run_task", point)
    else:
        raise SystemExit(f"unknown point {point!r}")


if __name__ == "__main__":
    install(sys.argv[1])
    raise SystemExit(cli.main(sys.argv[2:]))
