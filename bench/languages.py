"""The cost of languages: the same generated directory built in one language and in nine.

    python bench/languages.py [--sizes 1000,10000] [--out-root /dev/shm/hubsite-languages]

For each N, generates N hubs (bench/generate.py), then a copy whose site.yaml lists the nine
languages of the bundled site and whose hubs give their summary in three of them (every third
hub) and a course name in two (every fifth), so translated texts and their fallbacks are both
exercised. Each is built once as a warm-up and once timed, in a fresh process; prints wall
seconds, CPU seconds, peak RSS, HTML pages, files and output size, and the ratio of nine
languages to one. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_content  # noqa: E402

LANGUAGES = "[en, es, fr, ar, zh-Hans, ru, uk, ko, vi]"
TODAY = "2026-11-22"
SUMMARY = re.compile(r'^summary: (".*")$', re.M)
COURSE = re.compile(r'^  - course: (".*")$', re.M)


def multilingual(source: Path, target: Path) -> None:
    """A copy of `source` in nine languages, some texts translated."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    site = target / "site.yaml"
    text = site.read_text(encoding="utf-8")
    text = re.sub(r"^language: .*$", f"languages: {LANGUAGES}", text, flags=re.M) if "language:" in text else text + f"languages: {LANGUAGES}\n"
    site.write_text(text, encoding="utf-8")
    for number, path in enumerate(sorted((target / "hubs").glob("*.yaml"))):
        record = path.read_text(encoding="utf-8")
        if number % 3 == 0:
            record = SUMMARY.sub(lambda m: f'summary: {{en: {m[1]}, es: "Grupos de estudio semanales.", ar: "مجموعات دراسة أسبوعية."}}', record, count=1)
        if number % 5 == 0:
            record = COURSE.sub(lambda m: f'  - course: {{en: {m[1]}, fr: {json.dumps("Cours : " + json.loads(m[1]), ensure_ascii=False)}}}', record, count=1)
        path.write_text(record, encoding="utf-8")


def timed_build(content: Path, out: Path) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / ".hubsite-cache", ignore_errors=True)
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out), "--today", TODAY]
    log = out.parent / "build.log"
    with log.open("wb") as sink:  # a file, not a pipe: a build's warnings must not fill a pipe nobody reads
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=out.parent, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {content} failed:\n{log.read_text(errors='replace')[-2000:]}")
    files = [path for path in out.rglob("*") if path.is_file()]
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "pages": sum(1 for path in files if path.suffix == ".html"),
        "files": len(files),
        "mb": sum(path.stat().st_size for path in files) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out-root", type=Path, default=Path("/dev/shm/hubsite-languages"))
    parser.add_argument("--no-warm-up", action="store_true", help="time the first build of each (quicker; cold caches)")
    args = parser.parse_args()
    print("| N | languages | wall s | CPU s | peak RSS MB | pages | files | output MB |")
    print("|---|---|---|---|---|---|---|---|")
    for n in (int(size) for size in args.sizes.split(",")):
        root = args.out_root / str(n)
        root.mkdir(parents=True, exist_ok=True)
        one, nine = root / "content-1", root / "content-9"
        write_content(n, one)
        multilingual(one, nine)
        figures = {}
        for label, content in (("1", one), ("9", nine)):
            (root / label).mkdir(exist_ok=True)
            if not args.no_warm_up:
                timed_build(content, root / label / "site")  # warm-up: caches of the file system and of the templates
            figures[label] = result = timed_build(content, root / label / "site")
            print(f"| {n:,} | {label} | {result['wall']:.2f} | {result['cpu']:.2f} | {result['rss']:.0f} | {result['pages']:,} | {result['files']:,} | {result['mb']:.1f} |", flush=True)
        ratio = figures["9"]["wall"] / figures["1"]["wall"]
        print(f"|   | 9 / 1 | {ratio:.2f}× | {figures['9']['cpu'] / figures['1']['cpu']:.2f}× | | {figures['9']['pages'] / figures['1']['pages']:.2f}× | | {figures['9']['mb'] / figures['1']['mb']:.2f}× |", flush=True)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
