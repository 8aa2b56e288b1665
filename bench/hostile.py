"""How `check` and `build` grow on hostile inputs a pull request can send: each input generated at
two sizes, N and 4N, so that the ratio of their times shows the growth (about 4 is linear, about 16
quadratic).

    python bench/hostile.py [--scale 0.5] [--only "duplicate headings,unknown keys"]

Each input is one page (or one hub file) in the hostile corpus's base content folder; each command
runs in a fresh process, as on the command line. A refused input prints its seconds too: refusing
must be fast as well.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests/corpus/base"
PAGE = "---\ntitle: Hostile\n---\n"
HUB = """\
name: Hostile Hub
host: example-partner
address: {city: Nairobi, country: KE}
location: {lat: -1.2864, lon: 36.8172}
timezone: Africa/Nairobi
summary: A hub.
"""


def page(body: Callable[[int], str]) -> Callable[[int], dict[str, str]]:
    return lambda n: {"pages/hostile.md": PAGE + body(n)}


def unknown_keys(n: int) -> dict[str, str]:
    return {"hubs/hostile.yaml": HUB + "".join(f"unknown_{i}: {i}\n" for i in range(n))}


# name -> (what a size counts, N, the content files at a size)
INPUTS: dict[str, tuple[str, int, Callable[[int], dict[str, str]]]] = {
    "duplicate headings": ("headings", 4_500, page(lambda n: "## a\n" * n)),
    "setext headings": ("headings", 5_000, page(lambda n: "a\n-\n" * n)),
    "reference links": ("links", 1_200, page(lambda n: "".join(f"[{i}] " for i in range(n)) + "\n\n" + "".join(f"[{i}]: /{i}\n" for i in range(n)))),
    "links in a paragraph": ("links", 2_500, page(lambda n: "[a](/x) " * n)),
    "images in a paragraph": ("images", 1_800, page(lambda n: "![a](/x.png) " * n)),
    "entities": ("entities", 1_800, page(lambda n: "&amp; &#123; " * n)),
    "emphasis": ("markers", 3_000, page(lambda n: "**a _b " * n)),
    "emphasis marks": ("markers", 6_000, page(lambda n: "*a" * n)),
    "unclosed link targets": ("targets", 6_000, page(lambda n: "[a](" * n)),
    "link titles left open": ("targets", 3_000, page(lambda n: '[a](" )' * n)),
    "unclosed comments": ("comments", 6_000, page(lambda n: "<!--" * n)),
    "long line": ("words", 4_500, page(lambda n: "word " * n)),
    "ordered list": ("items", 4_500, page(lambda n: "1. x\n" * n)),
    "nested list": ("levels", 50, page(lambda n: "".join("    " * i + "- x\n" for i in range(n)))),
    "nested quotes": ("levels", 5_000, page(lambda n: ">" * n + " x\n")),
    "table": ("rows", 2_000, page(lambda n: "| a | b |\n|---|---|\n" + "| x | y |\n" * n)),
    "unknown keys": ("keys", 25_000, unknown_keys),
}


def seconds(args: list[str]) -> tuple[float, int]:
    """(wall seconds, exit code) of `python build.py ARGS` in a process of its own."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started, done.returncode


def measure(folder: Path, files: dict[str, str]) -> list[tuple[float, int]]:
    """`check` then `build` of the base content with `files` added."""
    content = folder / "content"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(BASE, content)
    for name, text in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    common = ["--content", str(content), "--today", "2026-02-01"]
    return [seconds(["check", *common]), seconds(["build", *common, "--out", str(folder / "site")])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every N by this")
    parser.add_argument("--only", default="", help="comma-separated input names")
    args = parser.parse_args()
    chosen = [name for name in INPUTS if not args.only or name in args.only.split(",")]
    print("| input | N | check N, 4N (s) | ratio | build N, 4N (s) | ratio | exit |\n|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temporary:
        for name in chosen:
            unit, size, files = INPUTS[name]
            n = max(1, int(size * args.scale))
            small, large = measure(Path(temporary) / "run", files(n)), measure(Path(temporary) / "run", files(4 * n))
            cells = [f"{small[i][0]:.2f}, {large[i][0]:.2f} | {large[i][0] / small[i][0]:.1f}" for i in (0, 1)]
            print(f"| {name} | {n:,} {unit} | {cells[0]} | {cells[1]} | {large[1][1]} |", flush=True)


if __name__ == "__main__":
    main()
