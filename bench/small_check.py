"""How fast a one-hub directory is checked and built: what a maintainer waits for on each edit
of a small pull request, and what each hostile-corpus case costs the test suite.

    python bench/small_check.py [--runs 5]

Prints the median wall time and the peak RSS of `check` and `build` (each a fresh process,
as on the command line) on the corpus's base with one hub, valid and invalid.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests/hostile/base"
VALID = ROOT / "tests/hostile/hubs/number-name.yaml"
INVALID = ROOT / "tests/hostile/hubs/bidi-override-name.yaml"


def run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of `python build.py ARGS` in a child process of its own."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped above
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def content_with(folder: Path, case: Path) -> Path:
    content = folder / case.stem
    shutil.copytree(BASE, content)
    (content / "hubs").mkdir()
    shutil.copy(case, content / "hubs" / case.name)
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print("| what | median s | peak RSS MB |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, case in (("valid hub", VALID), ("hub with an error", INVALID)):
            content = content_with(Path(folder), case)
            for command in ("check", "build"):
                extra = ["--out", str(Path(folder) / "site")] if command == "build" else []
                figures = []
                for _ in range(runs):  # each a first build: no site, no cache
                    shutil.rmtree(Path(folder) / "site", ignore_errors=True)
                    shutil.rmtree(Path(folder) / ".hubsite-cache", ignore_errors=True)
                    figures.append(run([command, "--content", str(content), "--today", "2026-02-01", *extra]))
                print(f"| {command}, {label} | {statistics.median(s for s, _ in figures):.2f} | {max(m for _, m in figures):.0f} |")


if __name__ == "__main__":
    main()
