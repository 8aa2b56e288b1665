"""Reading and validating in proportion to the change: a build takes from the store what earlier
builds made of files unchanged since (counted by the tables' `made` and `taken`, not by timings),
and reports exactly what a build from nothing reports."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import write_content
from hubsite.content.reader import load_content
from hubsite.content.validate import HUB_FILES, validate_content
from hubsite.directory.places import kept_position
from hubsite.incremental import files as files_module
from hubsite.incremental import store as store_module
from hubsite.incremental.files import HASHES, FileHashes, identity_of
from hubsite.incremental.store import Store
from hubsite.options import BuildOptions
from hubsite.output.inputs import inputs_digest
from hubsite.problems import Problem

HUBS = 12


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs with a key of its own; files written a moment ago count as settled."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    store_module.signing_key.cache_clear()
    monkeypatch.setattr(files_module, "SETTLED_NS", 0)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    write_content(HUBS, folder)
    return folder


class Counts:
    """What the last build through `validate` made and took."""

    hub_files: tuple[int, int] = (0, 0)  # (made, taken) of the hub files' table
    hashed = 0  # files read and hashed
    records = 0  # partners' and pages' records validated


def validate(content: Path, store: Store | None) -> list[Problem]:
    """One build's reading and validating, committed to `store` when it found no error."""
    valid, problems = validate_content(load_content(content, store), content, store)
    assert valid is not None
    if store is not None:
        Counts.hub_files = (store.table(HUB_FILES).made, store.table(HUB_FILES).taken)
        Counts.hashed = store.table(HASHES).made
        Counts.records = store.table("records").made
        if not any(problem.severity == "error" for problem in problems):
            store.commit()
    return sorted(problems)


def next_build(folder: Path) -> Store:
    """The store of a new build process over the same folder."""
    return Store(folder)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_second_build_reads_only_the_edited_file(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    first = next_build(folder)
    validate(content, first)
    assert Counts.hub_files == (HUBS, 0)
    edit(content / "hubs/hub-00003.yaml", "summary: ", "summary: Now on Saturdays too. ")
    second = next_build(folder)
    assert validate(content, second) == validate(content, None)
    assert Counts.hub_files == (1, HUBS - 1)
    assert Counts.hashed == 1  # the other files were not even read
    assert Counts.records == 0  # nor the partners and pages validated again
    third = next_build(folder)
    validate(content, third)
    assert Counts.hub_files == (0, HUBS)


def test_a_file_touched_but_unchanged_is_read_not_parsed(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    validate(content, next_build(folder))
    path = content / "hubs/hub-00005.yaml"
    earlier = path.stat().st_mtime_ns - 5_000_000_000
    os.utime(path, ns=(earlier, earlier))
    store = next_build(folder)
    validate(content, store)
    assert Counts.hub_files == (0, HUBS)
    assert Counts.hashed == 1  # read and hashed again, found unchanged


def edited_keeping_size_and_time(path: Path, scratch: Path) -> None:
    """touch -d after an edit: the change time moves all the same."""
    before = path.stat()
    edit(path, "status: \"active\"", "status: \"paused\"")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def replaced_by_one_of_the_same_size_and_time(path: Path, scratch: Path) -> None:
    """Another file renamed over it: a new inode."""
    before, other = path.stat(), scratch / "replacement.yaml"
    other.write_text(path.read_text().replace("status: \"active\"", "status: \"paused\""))
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)
    assert path.stat().st_ino != before.st_ino and path.stat().st_size == before.st_size


@pytest.mark.parametrize("change", [edited_keeping_size_and_time, replaced_by_one_of_the_same_size_and_time])
def test_a_change_that_keeps_size_and_modification_time_is_read(content: Path, tmp_path: Path, change: Callable[[Path, Path], None]) -> None:
    folder = tmp_path / "store"
    validate(content, next_build(folder))
    change(content / "hubs/hub-00002.yaml", tmp_path)
    validate(content, next_build(folder))
    assert Counts.hub_files == (1, HUBS - 1)


def test_an_edit_that_brings_an_error_reports_what_a_cold_build_reports(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    validate(content, next_build(folder))
    edit(content / "hubs/hub-00006.yaml", "time: ", "time: 25:00-26:00\n    x_time: ")
    kept = validate(content, next_build(folder))
    cold = validate(content, None)
    assert kept == cold
    assert any(problem.path.endswith("hub-00006.yaml") and problem.field == "sessions[0].time" and problem.line > 1 for problem in kept)


def test_a_problem_of_a_kept_file_is_reported_again(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    edit(content / "hubs/hub-00008.yaml", "  line1: \"", "  line2: \"")  # a warning only: the build goes on
    first = validate(content, next_build(folder))
    warned = [problem for problem in first if problem.path.endswith("hub-00008.yaml")]
    assert warned and all(problem.severity == "warning" for problem in warned)
    again = next_build(folder)
    assert validate(content, again) == first
    assert Counts.hub_files == (0, HUBS)


def test_a_deleted_partner_makes_an_unchanged_hub_name_a_missing_one(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    validate(content, next_build(folder))
    (content / "partners/partner-0001.yaml").unlink()
    store = next_build(folder)
    problems = validate(content, store)
    assert Counts.hub_files == (0, HUBS)
    missing = [problem for problem in problems if "no partner 'partner-0001'" in problem.message]
    assert missing and missing[0].field == "host" and missing[0].line == 3
    assert sorted(problems) == validate(content, None)


def test_a_kept_hub_files_text_is_read_again_for_a_position_and_only_from_the_same_bytes(content: Path, tmp_path: Path) -> None:
    """The store keeps what a hub file gives, not its text (half of what it held): a problem found
    later reads the file again for its position, and a file changed since gives none, not the
    lines of other bytes."""
    folder = tmp_path / "store"
    validate(content, next_build(folder))
    store = next_build(folder)
    valid, _ = validate_content(load_content(content, store), content, store)
    assert valid is not None and store.table(HUB_FILES).made == 0
    docs = {hub.slug: hub.doc for hub in valid.hubs}
    assert docs["hub-00003"].source == "" and docs["hub-00004"].source == ""
    assert docs["hub-00003"].position(("host",))[0] == 3
    edit(content / "hubs/hub-00004.yaml", "status: \"active\"", "status: \"paused\"\nx_note: \"a line more\"")
    assert docs["hub-00004"].position(("host",)) == (1, 1)
    positions = store.table("positions")  # where the place checks keep the positions of their warnings, by the file's hash
    assert kept_position(docs["hub-00003"], ("location",), positions)[0] > 1
    assert kept_position(docs["hub-00004"], ("location",), positions) == (1, 1)
    assert [key[0].rpartition("/")[2] for key in positions.used] == ["hub-00003.yaml"]  # (1, 1) is not where it is in the bytes of its key


def test_other_code_or_another_key_reads_everything_again(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "store"
    validate(content, next_build(folder))
    monkeypatch.setattr(store_module, "code_fingerprint", lambda: "other code")
    store = next_build(folder)
    validate(content, store)
    assert Counts.hub_files == (HUBS, 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    store_module.signing_key.cache_clear()
    store = next_build(folder)
    validate(content, store)
    assert Counts.hub_files == (HUBS, 0)


def test_a_store_in_memory_carries_over_rebuilds_and_forgets_a_failed_one(content: Path) -> None:
    store = Store()  # as serve keeps it
    validate(content, store)
    edit(content / "hubs/hub-00009.yaml", "summary: ", "summary: Edited. ")
    validate(content, store)
    assert Counts.hub_files == (1, HUBS - 1)
    edit(content / "hubs/hub-00009.yaml", "name: ", "name: [unclosed\nx: ")
    problems = validate(content, store)  # fails: not committed
    assert any(problem.severity == "error" for problem in problems)
    store.discard()
    edit(content / "hubs/hub-00009.yaml", "name: [unclosed\nx: ", "name: ")
    validate(content, store)
    assert Counts.hub_files == (0, HUBS)


def test_a_repeat_digest_reads_no_file_and_sees_every_change(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    options = BuildOptions(content_dir=content, out_dir=tmp_path / "site")
    first = next_build(folder)
    digest = inputs_digest(options, first)
    first.commit()
    second = next_build(folder)
    assert inputs_digest(options, second) == digest and second.table(HASHES).made == 0
    second.commit()
    path = content / "hubs/hub-00001.yaml"
    before = path.stat()
    edit(path, "status: \"active\"", "status: \"paused\"")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    third = next_build(folder)
    changed = inputs_digest(options, third)
    assert changed != digest and third.table(HASHES).made == 1
    assert changed == inputs_digest(options)  # the same as with nothing kept


def test_a_file_written_a_moment_ago_is_hashed_again_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its times may not move on its next write in the same tick of the file system's clock."""
    monkeypatch.setattr(files_module, "SETTLED_NS", 2_000_000_000)
    path = tmp_path / "fresh.yaml"
    path.write_text("name: x\n")
    hashes = FileHashes(Store())
    hashes.digest(str(path), path.read_bytes)
    assert hashes.table.made == 0
    old = path.stat().st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(old, old))
    assert FileHashes(Store()).settled(identity_of(str(path))) is False  # the change time is now: not settled either
