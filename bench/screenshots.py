"""Screenshots of a built site in headless Chromium, at a phone's and a desktop's size, to look at
before calling a page done.

    python bench/screenshots.py [SITE_DIR] [--out DIR] [--path hubs/x/ ...] [--full]

Builds the bundled content (with --today 2026-12-01) into a temporary folder when no SITE_DIR is
given, serves it on 127.0.0.1, and writes OUT/<path>-375x812.png and -1280x900.png (the first
screen; --full for the whole page). Map tiles are answered with a blank tile: nothing leaves the
machine. Prints each page's height and whether anything overflows the viewport's width.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chromium import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402

SIZES = ((375, 812), (1280, 900))
BLANK_TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=")
DEFAULT_PATHS = ("", "hubs/nypl-bronx-library-center/", "courses/", "courses/machine-learning/", "countries/us/", "partners/",
                 "partners/new-york-public-library/", "host/", "host/apply/", "about/")


def shoot(site: Path, out: Path, paths: list[str], full: bool, screens: float = 1) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("https://*/**", lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"))
            for path in paths:
                page.goto(base + path, wait_until="networkidle")
                name = (path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home") + f"-{width}x{height}.png"
                tall = page.evaluate("() => document.documentElement.scrollHeight")
                clip = None if full or screens == 1 else {"x": 0, "y": 0, "width": width, "height": min(tall, int(height * screens))}
                page.screenshot(path=str(out / name), full_page=full or clip is not None, clip=clip)
                tall, wide = page.evaluate("() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
                print(f"{name}: {tall} px tall{'; OVERFLOWS ' + str(wide) + ' px' if wide > width else ''}")
            page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--path", action="append", dest="paths", help="a page's path under the site (repeatable)")
    parser.add_argument("--full", action="store_true", help="the whole page, not the first screen")
    parser.add_argument("--screens", type=float, default=1, help="how many screens from the top to take (e.g. 2: what a phone shows in two screens)")
    args = parser.parse_args()
    paths = args.paths or list(DEFAULT_PATHS)
    if args.site:
        shoot(args.site, args.out, paths, args.full, args.screens)
        return
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--out", str(site), "--today", "2026-12-01"], check=True)
        shoot(site, args.out, paths, args.full, args.screens)


if __name__ == "__main__":
    main()
