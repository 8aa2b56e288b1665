"""Rendering tasks in other processes (processes.py): forked workers that inherit the build's
catalog and store, so that nothing but the tasks is pickled going in, and send their results
back in task order, so the site is the same whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

from hubsite.options import PARALLEL_FROM_HUBS
from hubsite.processes import can_fork, forked_results
from hubsite.render.tasks import Rendering, Result, Task, run_task

# The templates the tasks render: compiled once, before the fork, for every worker.
TASK_TEMPLATES = ("hub.html", "flyer.html", "partner.html", "country.html", "course.html")


def task_results(rendering: Rendering, tasks: list[Task]) -> Iterator[Result]:
    """Every task's result, in task order: here, or in forked workers (`--workers`; by default
    one per core from PARALLEL_FROM_HUBS hubs on)."""
    site = rendering.site
    workers = site.options.workers
    if workers is None:
        pages = len(site.catalog.hubs) * len(rendering.editions)
        workers = (multiprocessing.cpu_count() or 1) if pages >= PARALLEL_FROM_HUBS else 1
    if workers <= 1 or len(tasks) < 2 or not can_fork():
        return (run_task(rendering, task) for task in tasks)
    for template in TASK_TEMPLATES:
        site.env.get_template(template)
    _ = site.assets.files  # read once, not in every worker
    _ = rendering.artifacts.table.kept  # the last build's artifacts, loaded once, not in every worker
    return forked_results(run_task, rendering, tasks, min(workers, len(tasks)))
