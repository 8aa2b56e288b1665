"""Map benchmark: build generated content and measure the home map at 1,000 and 10,000 hubs.

    python bench/map_bench.py [--hubs 1000 10000] [--runs 3] [--keep DIR [--reuse]]

For each size it prints, against the targets of issue 4:
- the map's own markup (map box, config, finder form, results list) + its scripts (map.js,
  find.js), raw and gzip; the vendored Leaflet + supercluster are listed apart;
- the map data file (hubs/map.json) per hub, raw and gzip;
- the home page (index.html) bytes;
- in headless Chromium (Debian's /usr/bin/chromium), tiles answered locally with a blank
  PNG: time from navigation start until the clusters are drawn from hubs/points.json
  (data-state=drawn), and from the load event (the issue's "after load"; also from navigation
  start) until every hub's details are in and the map and finder are interactive
  (data-state=ready), and one filter round trip (list and map).

    python bench/map_bench.py --hubs 100000    # issue 17's size: builds 100,000 hubs first (about 15 minutes)
Figures only: nothing here asserts.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench.generate import write_content  # noqa: E402

TODAY = "2026-11-22"
OWN_SCRIPTS = re.compile(r'<script src="(assets/js/(?:map|find)[.0-9a-f]*\.js)"')  # fingerprinted names
VENDOR = re.compile(r'(?:src|href)="(assets/vendor/[^"]+)"')
TARGETS = {"own_kb": 50, "data_per_hub": 120, "ready_ms": 1000, "home_kb": 300}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def build(n: int, scratch: Path) -> tuple[Path, float]:
    content, site = scratch / "content", scratch / "site"
    write_content(n, content)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(site), "--today", TODAY],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return site, time.perf_counter() - started


def map_markup(html: str) -> str:
    """The home page's finder and map: from the finder's form to the map's config block."""
    start = html.rindex("<", 0, html.index('id="finder"'))
    end = html.index("</script>", html.index('id="map_home-config"')) + len("</script>")
    return html[start:end]


def sizes(site: Path, n: int) -> dict[str, float]:
    index = (site / "index.html").read_bytes()
    html = index.decode("utf-8")
    markup = map_markup(html).encode("utf-8")
    own = OWN_SCRIPTS.findall(html)
    scripts = b"".join((site / name).read_bytes() for name in own)
    vendor = [(site / name).read_bytes() for name in VENDOR.findall(html)]
    data = (site / "hubs/map.json").read_bytes()
    points = (site / "hubs/points.json").read_bytes()
    return {
        "markup": len(markup), "scripts": len(scripts), "own": len(markup) + len(scripts), "own_gz": gz(markup) + gz(scripts),
        "find_js": next((site / name).stat().st_size for name in own if "/find" in name),
        "vendor": sum(map(len, vendor)), "vendor_gz": sum(map(gz, vendor)),
        "data": len(data), "data_per_hub": len(data) / n, "data_gz_per_hub": gz(data) / n,
        "points_per_hub": len(points) / n, "points_gz_per_hub": gz(points) / n,
        "home": len(index), "home_gz": gz(index),
    }


READY = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {drawn: window.hubsite.drawnAt, ready: window.hubsite.readyAt, load: nav.loadEventEnd, dcl: nav.domContentLoadedEventEnd};
}"""

FILTER = """(country) => {
  const select = document.getElementById('finder-country'), start = performance.now();
  select.value = country;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  return performance.now() - start;
}"""


def browser_times(site: Path, runs: int) -> dict[str, float]:
    """Median over `runs` fresh page loads (no cache) of the home page."""
    from chromium import CHROMIUM, CHROMIUM_ARGS, serve_directory, watched_page
    from playwright.sync_api import sync_playwright
    from quality import route_tiles

    country = site.joinpath("index.html").read_text(encoding="utf-8").split('<option value="', 2)[2].split('"')[0]
    samples: dict[str, list[float]] = {"drawn": [], "ready": [], "after_load": [], "filter": []}
    with sync_playwright() as playwright, serve_directory(site) as base:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            with watched_page(chromium) as page:
                route_tiles(page, {"tile.openstreetmap.org"})
                page.goto(base)
                page.wait_for_selector("#map_home[data-state=ready]", timeout=60_000)
                page.wait_for_load_state("load")
                times = page.evaluate(READY)
                samples["drawn"].append(times["drawn"])
                samples["ready"].append(times["ready"])
                samples["after_load"].append(times["ready"] - times["load"])
                samples["filter"].append(page.evaluate(FILTER, country))
                assert not page.console_errors, page.console_errors
        chromium.close()
    return {name: statistics.median(values) for name, values in samples.items()}


def report(n: int, build_s: float, s: dict[str, float], t: dict[str, float]) -> None:
    def mark(value: float, target: float) -> str:
        return "ok" if value <= target else "OVER"

    print(f"\n== {n:,} hubs (build {build_s:.1f} s)")
    print(f"map's own markup + script  {s['own'] / 1024:8.1f} KB  (markup {s['markup'] / 1024:.1f} KB, map.js+find.js {s['scripts'] / 1024:.1f} KB; "
          f"gzip {s['own_gz'] / 1024:.1f} KB)  target <= {TARGETS['own_kb']} KB: {mark(s['own'] / 1024, TARGETS['own_kb'])}")
    print(f"  find.js (search/filters/near me) {s['find_js'] / 1024:.1f} KB unminified (target <= 10 KB)")
    print(f"  vendored Leaflet + supercluster {s['vendor'] / 1024:.1f} KB (gzip {s['vendor_gz'] / 1024:.1f} KB), cached across pages")
    print(f"map data per hub           {s['data_per_hub']:8.1f} B   (hubs/map.json {s['data'] / 1024:.0f} KB, gzip {s['data_gz_per_hub']:.1f} B/hub)  "
          f"target <= {TARGETS['data_per_hub']} B: {mark(s['data_per_hub'], TARGETS['data_per_hub'])}")
    print(f"points per hub             {s['points_per_hub']:8.1f} B   (hubs/points.json, gzip {s['points_gz_per_hub']:.1f} B/hub): what the clusters are drawn from")
    print(f"home page                  {s['home'] / 1024:8.1f} KB  (gzip {s['home_gz'] / 1024:.1f} KB)  target <= {TARGETS['home_kb']} KB: {mark(s['home'] / 1024, TARGETS['home_kb'])}")
    print(f"clusters drawn             {t['drawn']:8.0f} ms after navigation start (from hubs/points.json; the issue's target for 100,000 hubs: <= 1500 ms)")
    print(f"clustered + interactive    {t['after_load']:8.0f} ms after the load event ({t['ready']:.0f} ms after navigation start, with every hub's details)  "
          f"target <= {TARGETS['ready_ms']} ms after load: {mark(t['after_load'], TARGETS['ready_ms'])}")
    print(f"  one filter round trip (list + map) {t['filter']:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hubs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="page loads per size (median reported)")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: measure the sites built there before, without rebuilding")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        for n in args.hubs:
            folder = base / f"hubs-{n}"
            folder.mkdir(parents=True, exist_ok=True)
            site, seconds = (folder / "site", 0.0) if args.reuse and (folder / "site/index.html").exists() else build(n, folder)
            report(n, seconds, sizes(site, n), browser_times(site, args.runs))


if __name__ == "__main__":
    main()
