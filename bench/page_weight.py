"""Print the heaviest pages of a built site (HTML + CSS + JS, gzip), map tiles and data excluded.

    python bench/page_weight.py [SITE_DIR] [--top N]

Builds the bundled content into a temporary folder when no SITE_DIR is given.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # weight.py: the page-weight measure the tests use too

from weight import site_weights  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--out", str(site), "--today", "2026-11-22"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        weights = site_weights(site)
        print(f"{'page':<60} {'html':>8} {'css':>8} {'js':>8} {'total KB':>9} {'on demand':>10}")
        for w in weights[: args.top]:
            print(f"{w.page:<60} {w.html:>8} {w.css:>8} {w.js:>8} {w.total / 1024:>9.1f} {w.on_demand:>10}")
        print(f"{len(weights)} pages; median {sorted(w.total for w in weights)[len(weights) // 2] / 1024:.1f} KB")


if __name__ == "__main__":
    main()
