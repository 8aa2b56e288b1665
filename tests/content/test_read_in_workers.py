"""Hub files are read and validated in forked workers for large directories: the records and the
problems must be exactly those of reading them one after the other here, broken files included."""

from __future__ import annotations

import os
from pathlib import Path

from bench.generate import write_content
from hubsite.content.reader import load_content
from hubsite.content.validate import HUB_FILES, PARALLEL_FROM_HUB_FILES, read_hubs, validate_content
from hubsite.incremental.store import Store


def broken(content: Path) -> None:
    """A few hubs with errors of reading, of a field and of a session, and a warning."""
    hubs = content / "hubs"
    (hubs / "hub-00007.yaml").write_text("name: [unclosed\n")
    text = (hubs / "hub-00011.yaml").read_text()
    (hubs / "hub-00011.yaml").write_text(text.replace("timezone:", "timezone: Mars/Olympus\nx_timezone:", 1))
    text = (hubs / "hub-00500.yaml").read_text()
    (hubs / "hub-00500.yaml").write_text(text.replace("time: ", "time: 25:00-26:00\n    x_time: ", 1))


def children_cpu() -> float:
    """CPU seconds of this process's children that have ended."""
    times = os.times()
    return times.children_user + times.children_system


def test_hubs_read_in_workers_are_those_read_here(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_content(PARALLEL_FROM_HUB_FILES + 3, content)
    broken(content)
    loaded = load_content(content)
    partners = frozenset(doc.slug for doc in loaded.partners)
    here = read_hubs(loaded.hub_paths, loaded.root, "en", partners, None, 1)
    before = children_cpu()
    there = read_hubs(loaded.hub_paths, loaded.root, "en", partners, None, 2)
    assert children_cpu() > before  # they were read in worker processes, which have ended
    assert len(there) == len(here) == PARALLEL_FROM_HUB_FILES + 3
    assert [doc.path for doc, _, _ in there] == [doc.path for doc, _, _ in here]
    assert [record for _, record, _ in there] == [record for _, record, _ in here]
    assert [problems for _, _, problems in there] == [problems for _, _, problems in here]
    assert sum(1 for _, record, _ in here if record is None) == 3
    # What validation makes of them: the same content and problems, wherever the hubs were read.
    serial, serial_problems = validate_content(load_content(content), content, workers=1)
    parallel, parallel_problems = validate_content(load_content(content), content, workers=2)
    assert sorted(parallel_problems) == sorted(serial_problems) and any(p.severity == "error" for p in serial_problems)
    assert serial is not None and parallel is not None
    assert [hub.record for hub in parallel.hubs] == [hub.record for hub in serial.hubs]


def test_hubs_read_in_workers_are_kept_for_the_next_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_content(PARALLEL_FROM_HUB_FILES + 3, content)
    store = Store()
    loaded = load_content(content, store)
    partners = frozenset(doc.slug for doc in loaded.partners)
    first = read_hubs(loaded.hub_paths, loaded.root, "en", partners, store, 2)
    assert store.table(HUB_FILES).made == PARALLEL_FROM_HUB_FILES + 3
    store.commit()
    again = read_hubs(loaded.hub_paths, loaded.root, "en", partners, store, 2)
    assert store.table(HUB_FILES).made == 0 and store.table(HUB_FILES).taken == PARALLEL_FROM_HUB_FILES + 3
    assert [record for _, record, _ in again] == [record for _, record, _ in first]
