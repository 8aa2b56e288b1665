"""Work shared out to forked processes: results in task order, and no worker outlives the results
it was forked for, however early they are closed."""

from __future__ import annotations

import multiprocessing

from hubsite.processes import forked_results


def square(offset: int, number: int) -> int:
    return number * number + offset


def test_results_come_back_in_task_order() -> None:
    assert list(forked_results(square, 1, list(range(30)), 2)) == [n * n + 1 for n in range(30)]


def test_workers_are_forked_when_the_first_result_is_asked_for() -> None:
    """Results made but closed before they are read (the build failed first) fork nothing."""
    results = forked_results(square, 0, list(range(30)), 2)
    assert multiprocessing.active_children() == []
    results.close()
    assert multiprocessing.active_children() == []


def test_results_closed_half_way_end_their_workers() -> None:
    results = forked_results(square, 0, list(range(30)), 2)
    assert next(results) == 0
    assert len(multiprocessing.active_children()) == 2
    results.close()
    assert multiprocessing.active_children() == []
