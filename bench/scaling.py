"""How each stage of a clean build grows with the directory: seconds of load, validate, catalog,
render and write at 1k, 2k, 4k and 8k hubs, and the fitted exponent (t ~ N^k; 1 is linear), for
the generator's default shape and a hard one.

    python bench/scaling.py [--sizes 1000,2000,4000,8000] [--shapes default,hard] [--out-root /dev/shm/hubsite-scaling]

The hard shape (bench/generate.py's knobs): 5,000 distinct course names, a quarter of the hubs
2-4 degrees from their city (points far from any town: each is a nearest-place query), 600-word
descriptions, up to 5 co-partners per hub. Each (shape, N) runs in a fresh process, one worker
(so stages are not hidden in forks), output on tmpfs. Nothing is asserted.

Stages: load (site.yaml, partners, pages, and the list of hub files), validate (each hub file
read, validated and its sessions checked, then the checks across files), catalog, render
(every file made in memory) and write.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import SHAPES, write_content  # noqa: E402

STAGES = ("load", "validate", "catalog", "render", "write")


def one_build(content: Path, out: Path) -> dict[str, float]:
    """Each stage of one clean build, in this process."""
    from hubsite.content.reader import load_content
    from hubsite.content.validate import validate_content
    from hubsite.directory.catalog import build_catalog
    from hubsite.options import BuildOptions
    from hubsite.output.writer import write_site
    from hubsite.render.site import render_site

    options = BuildOptions(content_dir=content, out_dir=out, today=date(2026, 11, 22), workers=1)
    seconds = {}
    started = time.perf_counter()
    loaded = load_content(content)
    seconds["load"] = time.perf_counter() - started
    started = time.perf_counter()
    valid, problems = validate_content(loaded, content)
    assert valid is not None and not [p for p in problems if p.severity == "error"], problems[:3]
    seconds["validate"] = time.perf_counter() - started
    started = time.perf_counter()
    catalog, _ = build_catalog(valid, options.today)
    assert catalog is not None
    seconds["catalog"] = time.perf_counter() - started
    started = time.perf_counter()
    outputs = list(render_site(catalog, options))
    seconds["render"] = time.perf_counter() - started
    started = time.perf_counter()
    write_site(outputs, out, content)
    seconds["write"] = time.perf_counter() - started
    return seconds


def exponent(sizes: list[int], times: list[float]) -> float:
    """The least-squares slope of log t against log N."""
    xs, ys = [math.log(n) for n in sizes], [math.log(max(t, 1e-6)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--shapes", default="default,hard")
    parser.add_argument("--out-root", type=Path, default=Path("/dev/shm/hubsite-scaling"))
    parser.add_argument("--one", nargs=2, metavar=("CONTENT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_build(Path(args.one[0]), Path(args.one[1]))))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    for name in args.shapes.split(","):
        figures: dict[int, dict[str, float]] = {}
        print(f"\n{name} shape: {SHAPES[name]}\n")
        print("| N | " + " | ".join(f"{stage} s" for stage in STAGES) + " | total s |")
        print("|---|" + "---|" * (len(STAGES) + 1))
        for n in sizes:
            content, out = args.out_root / f"{name}-{n}" / "content", args.out_root / f"{name}-{n}" / "site"
            shutil.rmtree(args.out_root / f"{name}-{n}", ignore_errors=True)
            write_content(n, content, SHAPES[name])
            done = subprocess.run([sys.executable, __file__, "--one", str(content), str(out)], capture_output=True, text=True, check=False)
            if done.returncode:
                raise SystemExit(done.stderr[-3000:])
            figures[n] = json.loads(done.stdout.splitlines()[-1])
            print(f"| {n:,} | " + " | ".join(f"{figures[n][stage]:.2f}" for stage in STAGES) + f" | {sum(figures[n].values()):.2f} |", flush=True)
            shutil.rmtree(args.out_root / f"{name}-{n}", ignore_errors=True)
        if len(sizes) < 2:
            continue
        slopes = [exponent(sizes, [figures[n][stage] for n in sizes]) for stage in STAGES]
        total = exponent(sizes, [sum(figures[n].values()) for n in sizes])
        print("| exponent | " + " | ".join(f"{slope:.2f}" for slope in slopes) + f" | {total:.2f} |")


if __name__ == "__main__":
    main()
