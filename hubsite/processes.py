"""Work shared out to forked processes, for the stages that have much of it (reading and validating
hub files, rendering pages): each worker inherits the parent's state as it was when forked
(nothing is pickled going in but the tasks), results come back pickled, in task order, so
the output is the same whatever the number of workers; and workers end with the build, however
it ends (even by kill -9).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

_ADOPTED: tuple[Callable[[Any, Any], Any], Any] | None = None  # in a worker: what it runs, on what state


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def forked_results(run: Callable[[Any, Task], Result], state: Any, tasks: list[Task], workers: int) -> Iterator[Result]:
    """run(state, task) for every task, in `workers` forked processes; the results in task order.
    The workers are forked when the first result is asked for, and end with the last, or when the
    results are closed (or dropped) before it, whenever that is."""
    # With fork, a worker's initializer arguments are inherited, not pickled.
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=adopt, initargs=(run, state, os.getpid()))
    try:
        yield from in_order(pool, tasks, AHEAD_PER_WORKER * workers)
    finally:
        pool.terminate()
        pool.join()


# Tasks a worker may run ahead of the results taken: enough to keep it busy, few enough that
# results waiting to be written never pile up in memory (Pool.imap runs every task ahead).
AHEAD_PER_WORKER = 2


def in_order(pool: multiprocessing.pool.Pool, tasks: Iterable[Task], ahead: int) -> Iterator[Any]:
    pending: deque[multiprocessing.pool.AsyncResult] = deque()
    for task in tasks:
        pending.append(pool.apply_async(run_adopted, (task,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def adopt(run: Callable[[Any, Any], Any], state: Any, parent: int) -> None:
    """In a worker, first: remember what to run, and end when the parent process ends."""
    global _ADOPTED
    _ADOPTED = (run, state)
    die_with_parent(parent)


def run_adopted(task: Any) -> Any:
    assert _ADOPTED is not None
    run, state = _ADOPTED
    return run(state, task)


def die_with_parent(parent: int) -> None:
    """End when the build's process ends, even by kill -9, instead of working on for nobody
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
