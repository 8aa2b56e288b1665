"""Rendering tasks in other processes: forked workers that inherit the build's catalog (nothing
is pickled going in; results are pickled back, in task order, so the site is the same whatever
the number of workers), and that end with the build, however it ends.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator

from hubsite.options import PARALLEL_FROM_HUBS
from hubsite.render.reuse import Reuse
from hubsite.render.tasks import Result, Task, run_task

# The templates the tasks render: compiled once, before the fork, for every worker.
TASK_TEMPLATES = ("hub.html", "flyer.html", "partner.html", "country.html", "course.html")

_ADOPTED: Reuse | None = None  # in a worker: the build it renders for, set as it starts


def task_results(reuse: Reuse, tasks: list[Task]) -> Iterator[Result]:
    """Every task's result, in task order: here, or in forked workers (`--workers`; by default
    one per core from PARALLEL_FROM_HUBS hubs on)."""
    workers = reuse.site.options.workers
    if workers is None:
        pages = len(reuse.site.catalog.hubs) * len(reuse.editions)
        workers = (multiprocessing.cpu_count() or 1) if pages >= PARALLEL_FROM_HUBS else 1
    if workers <= 1 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return (run_task(reuse, task) for task in tasks)
    return results_from_workers(reuse, tasks, min(workers, len(tasks)))


def results_from_workers(reuse: Reuse, tasks: list[Task], workers: int) -> Iterator[Result]:
    site = reuse.site
    for template in TASK_TEMPLATES:
        site.env.get_template(template)
    _ = site.assets.files  # read once, not in every worker
    # With fork, a worker's initializer arguments are inherited, not pickled.
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=adopt, initargs=(reuse, os.getpid()))
    return collect(pool, pool.imap(run_adopted, tasks))


def adopt(reuse: Reuse, parent: int) -> None:
    """In a worker, first: remember the build, and end when its process ends."""
    global _ADOPTED
    _ADOPTED = reuse
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    """End when the build's process ends, even by kill -9, instead of rendering on for nobody
    (Linux: the kernel sends SIGKILL; elsewhere a thread watches)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before prctl took effect
        os._exit(1)


def watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def run_adopted(task: Task) -> Result:
    assert _ADOPTED is not None
    return run_task(_ADOPTED, task)


def collect(pool: multiprocessing.pool.Pool, results: Iterable[Result]) -> Iterator[Result]:
    try:
        yield from results
    finally:
        pool.terminate()
        pool.join()
