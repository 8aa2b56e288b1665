"""Reading and validating in proportion to the change: the seconds of the inputs digest and of
read + validate for a cold build, after editing one hub's summary, and with nothing changed, each
in a fresh process over the store on disk (as `build` runs), with the store's tables' sizes and
load times. Read + validate is also given in CPU seconds of the process, which other work on a
shared machine disturbs less than the wall clock.

    python bench/reading.py [N, default 1000] [--out-root /dev/shm/hubsite-reading] [--workers 1]

Content from bench/generate.py's default shape. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_content  # noqa: E402


def one_build(content: Path, store_folder: Path, workers: int) -> dict[str, float]:
    """The digest and read + validate of one build, in this process, committed to the store."""
    from hubsite.content.reader import load_content
    from hubsite.content.validate import HUB_FILES, validate_content
    from hubsite.incremental.store import Store
    from hubsite.options import BuildOptions
    from hubsite.output.inputs import inputs_digest

    options = BuildOptions(content_dir=content, out_dir=store_folder.parent / "site", workers=workers)
    figures = {}
    store = Store(store_folder)
    started = time.perf_counter()
    inputs_digest(options, store)
    figures["digest"] = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    valid, problems = validate_content(load_content(content, store), content, store, workers)
    figures["read+validate"] = time.perf_counter() - started
    figures["(its CPU s)"] = time.process_time() - cpu
    assert valid is not None and not [p for p in problems if p.severity == "error"], problems[:3]
    figures["hub files made"] = store.table(HUB_FILES).made
    started = time.perf_counter()
    store.commit()
    figures["commit"] = time.perf_counter() - started
    return figures


def table_figures(store_folder: Path) -> dict[str, float]:
    """Each table's size on disk (MB, all its shards) and the seconds to unpickle it."""
    import hubsite.content.validate  # noqa: F401 - the classes the tables hold, imported before the clock starts
    from hubsite.incremental.store import SIGNATURE_BYTES

    figures = {}
    for table in sorted(path for path in store_folder.iterdir() if path.is_dir()):
        size = seconds = 0.0
        for path in sorted(table.glob("*.pickle")):
            data = path.read_bytes()
            pickled = data[SIGNATURE_BYTES:].split(b"\n", 2)[2]  # after the version and fingerprint lines
            started = time.perf_counter()
            pickle.loads(pickled)
            seconds += time.perf_counter() - started
            size += len(data) / 1e6
        figures[f"{table.name} MB"], figures[f"{table.name} load"] = size, seconds
    return figures


def in_fresh_process(content: Path, store_folder: Path, workers: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--one", str(content), str(store_folder), str(workers)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000)
    parser.add_argument("--out-root", type=Path, default=Path("/dev/shm/hubsite-reading"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        from hubsite.pipeline import fewer_collections

        with fewer_collections():  # as `build` runs
            print(json.dumps(one_build(Path(args.one[0]), Path(args.one[1]), int(args.one[2]))))
        return
    root = args.out_root / str(args.n)
    shutil.rmtree(root, ignore_errors=True)
    content, store_folder = root / "content", root / "store"
    write_content(args.n, content)
    time.sleep(2.5)  # the files settle (incremental/files.py): their hashes are kept from the first build on
    rows = {"cold": in_fresh_process(content, store_folder, args.workers)}
    edited = content / "hubs/hub-00001.yaml"
    edited.write_text(edited.read_text().replace("summary: \"", "summary: \"Now on Saturdays too. ", 1))
    rows["one hub edited"] = in_fresh_process(content, store_folder, args.workers)
    rows["nothing changed"] = in_fresh_process(content, store_folder, args.workers)
    for name, figures in rows.items():
        print(f"{name:16} " + "  ".join(f"{key} {value:.3f}" if isinstance(value, float) else f"{key} {value}" for key, value in figures.items()))
    print("tables          " + "  ".join(f"{key} {value:.3f}" for key, value in table_figures(store_folder).items()))
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
