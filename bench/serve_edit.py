"""How long a one-hub edit takes to show in `serve`: from the file's save to the served page
carrying the new text (watch, rebuild, swap), over the bundled content and generated sites.

    python bench/serve_edit.py [--sizes bundled,1000] [--edits 5]

Each size runs `python build.py serve --port 0` on a scratch copy of the content, waits for
the first build, then edits one hub's summary --edits times and waits as an open tab does: on
serve's event stream for the next build, then for the hub page (asking the server every 5 ms
instead slowed the build it waited for: each request takes the server's Python for a moment).
Prints the first build's time and the median and worst edit-to-visible times.
Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_content  # noqa: E402


def content_for(size: str, scratch: Path) -> tuple[Path, str]:
    """A content folder and the slug of the hub to edit."""
    content = scratch / "content"
    if size == "bundled":
        shutil.copytree(ROOT / "content", content)
    else:
        write_content(int(size), content)
    slug = sorted(p.stem for p in (content / "hubs").glob("*.yaml"))[0]
    return content, slug


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def hub_page(url: str, slug: str) -> str:
    """The hub's page: at the root, or in a site of several languages under the first language
    the root's picker offers."""
    try:
        fetch(f"{url}hubs/{slug}/")
        return f"{url}hubs/{slug}/"
    except urllib.error.HTTPError:
        first = re.search(r'href="([a-z]{2,3}(?:-[a-z0-9]+)*/)"', fetch(url))
        if first is None:
            raise SystemExit(f"no page for hub {slug} at {url}") from None
        return f"{url}{first.group(1)}hubs/{slug}/"


def next_version(events: Any, after: int = -1) -> int:
    """The version of the next good build the event stream announces (the first: the current one)."""
    for line in events:
        if line.startswith(b"data: "):
            state = json.loads(line[len(b"data: "):])
            if state["errors"]:
                raise SystemExit(f"the edit did not build: {state['errors']}")
            if state["version"] > after:
                return state["version"]
    raise SystemExit("serve closed the event stream")


def measure(size: str, edits: int) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory(prefix="serve-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as scratch:
        content, slug = content_for(size, Path(scratch))
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--port", "0", "--today", "2026-11-22"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        try:
            assert server.stdout is not None
            for line in server.stdout:
                found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
                if found:
                    url = found.group(1)
                    break
            else:
                raise SystemExit(f"serve exited: {server.wait()}")
            # Go on reading what it prints (each rebuild's warnings): a full pipe would stop it.
            threading.Thread(target=server.stdout.read, daemon=True).start()
            first = time.perf_counter() - started
            page = hub_page(url, slug)
            hub_file = content / "hubs" / f"{slug}.yaml"
            original = hub_file.read_text()
            times = []
            for number in range(edits):
                marker = f"Edited summary number {number} for the benchmark"
                text = re.sub(r"(?m)^summary: .*$", f"summary: {marker}", original, count=1)
                if text == original:
                    text = original + f"summary: {marker}\n"
                with urllib.request.urlopen(f"{url}__hubsite/events", timeout=60) as events:
                    version = next_version(events)
                    saved = time.perf_counter()
                    hub_file.write_text(text)
                    while True:  # as an open tab does: told of a new build, it loads the page again
                        version = next_version(events, after=version)
                        if marker in fetch(page):
                            break
                times.append(time.perf_counter() - saved)
                time.sleep(0.3)  # let the watcher settle before the next save
            return first, times
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="bundled,1000", help="comma-separated: 'bundled' and/or numbers of generated hubs")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    print(f"{'content':>10} {'first build s':>14} {'edit median s':>14} {'edit worst s':>13}")
    for size in args.sizes.split(","):
        first, times = measure(size.strip(), args.edits)
        print(f"{size:>10} {first:>14.2f} {statistics.median(times):>14.3f} {max(times):>13.3f}", flush=True)


if __name__ == "__main__":
    main()
