"""The catalog stage with the store on disk: cold, then after editing one hub's summary, then after
moving one hub, each in a process of its own (as `build` runs), in CPU seconds.

    python bench/catalog.py [--sizes 1000,10000] [--courses 3000] [--far 0.3]

Reading and validating the content is not timed; the catalog's imports are. Each line also says
how many values each store table took from the last build and how many it made.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hubsite.content.validate import ValidContent

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 22)
PHASES = ("cold", "summary edit", "hub moved")


def edit(content: ValidContent, phase: str) -> ValidContent:
    """The content as the phase has it: one hub's summary edited, or that hub also moved by 0.3 degrees."""
    from hubsite.content.records import Location

    middle = content.hubs[len(content.hubs) // 2]
    record = middle.record
    if phase != "cold":
        record = record.model_copy(update={"summary": "An edited summary."})
    if phase == "hub moved":
        record = record.model_copy(update={"location": Location(lat=record.location.lat + 0.3, lon=record.location.lon)})
    return content._replace(hubs=[middle._replace(record=record) if hub is middle else hub for hub in content.hubs])


def measure(content_dir: Path, store_dir: Path, phase: str) -> None:
    """One phase, in this process: validate (untimed), then the catalog with its imports."""
    from hubsite.options import BuildOptions
    from hubsite.pipeline import fewer_collections, validated

    content, _ = validated(BuildOptions(content_dir=content_dir, workers=1))
    assert content is not None
    content = edit(content, phase)
    with fewer_collections():  # as a build runs it
        started = time.process_time()
        from hubsite.directory.catalog import build_catalog
        from hubsite.incremental.store import Store

        store = Store(store_dir)
        _, problems = build_catalog(content, TODAY, store)
        seconds = time.process_time() - started
    tables = ", ".join(f"{name} {table.taken}/{table.made}" for name, table in sorted(store.tables.items()))
    store.commit()
    print(f"  {phase:<13} {seconds:6.2f} s   {len(problems):,} problems   taken/made: {tables}", flush=True)


def run(size: int, courses: int, far: float) -> None:
    from bench.generate import Shape, write_content

    with tempfile.TemporaryDirectory() as folder:
        content_dir, store_dir = Path(folder) / "content", Path(folder) / "site.store"
        write_content(size, content_dir, Shape(courses=courses, far=far))
        print(f"{size:,} hubs ({courses:,} courses, {far:.0%} far from any town):", flush=True)
        for phase in PHASES:
            subprocess.run([sys.executable, __file__, "--measure", str(content_dir), str(store_dir), phase], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated hub counts (default: 1000)")
    parser.add_argument("--courses", type=int, default=3000, help="distinct course names (default: 3000)")
    parser.add_argument("--far", type=float, default=0.3, help="share of hubs far from any town (default: 0.3)")
    parser.add_argument("--measure", nargs=3, metavar=("CONTENT", "STORE", "PHASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure[0]), Path(args.measure[1]), args.measure[2])
        return
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.courses, args.far)


if __name__ == "__main__":
    main()
