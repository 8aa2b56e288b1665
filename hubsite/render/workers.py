"""Rendering tasks in other processes (processes.py): forked workers that inherit the build's
catalog and store, so that nothing but the tasks is pickled going in, and send their results
back in task order, so the site is the same whatever the number of workers.

Only the tasks with something to make go to the workers: which they are is asked first (the
last build's artifacts are looked at here, once), and a task whose every artifact can be taken
is run in the build's process, as are all of them when there is little to make. Forking costs
seconds on a large site (the workers' first touches copy the pages of a parent holding the whole
catalog and store), which an edit of one hub would otherwise pay to render a dozen pages.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

from hubsite.options import PARALLEL_FROM_ARTIFACTS
from hubsite.processes import can_fork, forked_results
from hubsite.render.tasks import Rendering, Result, Task, artifacts_to_make, run_task

# The templates the tasks render: compiled once, before the fork, for every worker.
TASK_TEMPLATES = ("hub.html", "flyer.html", "partner.html", "country.html", "course.html")


def task_results(rendering: Rendering, tasks: list[Task]) -> Iterator[Result]:
    """Every task's result, in task order: here, or in forked workers (`--workers`; by default
    one per core when PARALLEL_FROM_ARTIFACTS artifacts or more are to be made, in all languages: a
    hub's page with its flyer and calendars, a partner's, country's or course's page or framed list)."""
    site = rendering.site
    to_make = {task: artifacts_to_make(rendering, task) for task in tasks}
    busy = [task for task in tasks if to_make[task]]
    workers = site.options.workers
    if workers is None:
        workers = (multiprocessing.cpu_count() or 1) if sum(to_make.values()) >= PARALLEL_FROM_ARTIFACTS else 1
    if workers <= 1 or len(busy) < 2 or not can_fork():
        return (run_task(rendering, task) for task in tasks)
    for template in TASK_TEMPLATES:
        site.env.get_template(template)
    _ = site.assets.files  # read once, not in every worker
    return merged(rendering, to_make, forked_results(run_task, rendering, busy, min(workers, len(busy))))


def merged(rendering: Rendering, to_make: dict[Task, int], from_workers: Iterator[Result]) -> Iterator[Result]:
    """The results in task order (`to_make`'s): the workers' for the tasks with something to
    make, the others taken here."""
    try:
        for task, count in to_make.items():
            yield next(from_workers) if count else run_task(rendering, task)
    finally:
        from_workers.close()  # the workers end with the last result, not when the generator is collected
