"""The site's two trees: a build brings the spare up to date by what changed and swaps it in, so an
edit writes only the changed files; what it removes is gone from both trees; a file put into the
site is refused after any number of swaps; a build stopped while it updates the spare, or on a
system without hard links or an atomic exchange, still ends in the tree a clean build writes; and
render workers write their files themselves through write_staged."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import scratch_content, tree_hash
from sites import HUBS, edit
from test_killed_builds import PAUSING, build_args, paused_build

from hubsite import pipeline
from hubsite.incremental.store import signed
from hubsite.options import BuildOptions, cache_folder
from hubsite.output import writer
from hubsite.output.manifest import aside_folder, manifest_folder, marker_id, read_files, read_stamps, save_stamps, spare_folder
from hubsite.output.refusals import OutputRefused
from hubsite.render.outputs import Output, Written

SUMMARY = "summary: Weekly study groups."


def options_for(content: Path, site: Path) -> BuildOptions:
    return BuildOptions(content_dir=content, out_dir=site, today=date(2026, 2, 1), cache_dir=cache_folder(site), workers=1)


def clean(options: BuildOptions, scratch: Path) -> dict[str, str]:
    """The tree a build from nothing writes."""
    out = scratch / "clean" / "site"
    shutil.rmtree(out.parent, ignore_errors=True)  # with its .hubsite-cache/: no spare, no manifest
    pipeline.build(replace(options, out_dir=out, cache_dir=None))
    return tree_hash(out)


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    """{path: (inode, mtime in ns)} of every file: unchanged only if the file was not touched."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def scratch(tmp_path: Path) -> BuildOptions:
    content = scratch_content(tmp_path / "content", HUBS)
    return options_for(content, tmp_path / "site")


def test_an_edit_writes_only_the_changed_files_into_the_spare(scratch: BuildOptions, tmp_path: Path) -> None:
    site, content = scratch.out_dir, scratch.content_dir
    pipeline.build(scratch)
    first, first_root = stamps(site), site.stat().st_ino
    edit(content / "hubs/eldoret.yaml", SUMMARY, "summary: Saturdays too.")
    pipeline.build(scratch)  # no spare yet: a new tree, unchanged files linked from the first
    assert tree_hash(site) == clean(scratch, tmp_path)
    second = stamps(site)
    edit(content / "hubs/mombasa.yaml", SUMMARY, "summary: Sundays too.")
    pipeline.build(scratch)
    assert site.stat().st_ino == first_root  # the first tree, brought up to date
    assert tree_hash(site) == clean(scratch, tmp_path)
    third = stamps(site)
    untouched = {path for path in third if third[path] == first.get(path)}
    assert "hubs/kisumu/calendar.ics" in untouched and "hubs/nakuru/flyer/index.html" in untouched
    assert third["hubs/eldoret/index.html"] == second["hubs/eldoret/index.html"]  # changed by the last edit: linked from its tree
    assert third["hubs/mombasa/index.html"] not in (first["hubs/mombasa/index.html"], second["hubs/mombasa/index.html"])
    assert len(untouched) > len(third) / 2
    assert marker_id(spare_folder(site)) is not None and read_files(site, marker_id(spare_folder(site))) is not None


def test_folder_stamps_read_back_as_saved_and_others_are_not_known(tmp_path: Path) -> None:
    """The stamps of a tree's folders are read back exactly; stamps of another layout (an older
    hubsite's text), cut short or unsigned are not known, so that tree is not reused as the spare."""
    site = tmp_path / "site"
    manifest_folder(site).mkdir(parents=True)
    saved = {"": (1_700_000_000_123_456_789, 4), "hubs": (0, 2), "ar/hubs/نيروبي": (1_700_000_000_000_000_001, 1), "zh-Hans/课程 a": (-1, 0)}
    for few in ({}, {"": (1, 3)}):  # no folder; the root alone, whose name is empty
        save_stamps(site, "tree", 7, few)
        assert read_stamps(site, "tree", 7) == few
    save_stamps(site, "tree", 7, saved)
    assert read_stamps(site, "tree", 7) == saved
    assert read_stamps(site, "tree", 8) is None
    record = manifest_folder(site) / "tree-7.folders"
    body = record.read_bytes()
    for other in (body[:-8], body[:40], signed("\0".join(f"{f}\0{m}\0{c}" for f, (m, c) in sorted(saved.items())).encode()), body[32:]):
        record.write_bytes(other)
        assert read_stamps(site, "tree", 7) is None


def test_a_file_gone_from_the_site_is_gone_from_both_trees(scratch: BuildOptions, tmp_path: Path) -> None:
    site, content = scratch.out_dir, scratch.content_dir
    for step in range(3):
        pipeline.build(scratch)
        edit(content / "hubs/eldoret.yaml", "summary: ", f"summary: Edit {step}. ")
    assert (site / "hubs/nakuru/sessions").is_dir()
    (content / "hubs/nakuru.yaml").unlink()
    for _ in range(2):
        pipeline.build(scratch)
        assert not (site / "hubs/nakuru").exists()
        assert tree_hash(site) == clean(scratch, tmp_path)
        edit(content / "hubs/eldoret.yaml", "summary: ", "summary: Again. ")


def test_a_file_deleted_from_the_site_by_hand_comes_back(scratch: BuildOptions, tmp_path: Path) -> None:
    """The tree missing it is never reused as the spare for what its file list says."""
    site, content = scratch.out_dir, scratch.content_dir
    pipeline.build(scratch)
    edit(content / "hubs/eldoret.yaml", SUMMARY, "summary: One.")
    pipeline.build(scratch)
    (site / "hubs/kisumu/flyer/index.html").unlink()
    for text in ("Two.", "Three."):
        edit(content / "hubs/eldoret.yaml", "summary: ", f"summary: {text} ")
        pipeline.build(scratch)
        assert tree_hash(site) == clean(scratch, tmp_path)


def test_a_file_put_into_the_site_is_refused_after_every_swap(scratch: BuildOptions) -> None:
    site, content = scratch.out_dir, scratch.content_dir
    pipeline.build(scratch)
    for step, foreign in enumerate(("notes.txt", "hubs/eldoret/photo.jpg", "hubs/kisumu/flyer/copy.pdf", "partners/extra/")):
        edit(content / "hubs/eldoret.yaml", "summary: ", f"summary: Edit {step}. ")
        pipeline.build(scratch)  # eldoret's folder changed in this tree, kisumu's did not
        target = site / foreign
        if foreign.endswith("/"):
            target.mkdir()
        else:
            target.write_text("mine")
        with pytest.raises(OutputRefused, match=f"it holds files no build wrote \\({foreign}\\)"):
            pipeline.build(replace(scratch, today=date(2026, 2, 2)))
        assert target.exists()
        target.rmdir() if foreign.endswith("/") else target.unlink()


def test_a_kill_while_the_spare_is_updated_leaves_a_correct_next_build(tmp_path: Path) -> None:
    v1 = scratch_content(tmp_path / "v1", HUBS)
    v2, v3 = tmp_path / "v2", tmp_path / "v3"
    shutil.copytree(v1, v2)
    edit(v2 / "hubs/eldoret.yaml", SUMMARY, "summary: Weekly study crowds.")
    shutil.copytree(v2, v3)
    edit(v3 / "hubs/mombasa.yaml", SUMMARY, "summary: Weekly study trains.")  # edits of the same size: only the marker tells
    (v3 / "hubs/nakuru.yaml").unlink()
    site = tmp_path / "site"
    trees = {}
    for version in (v1, v2, v3):
        trees[version] = clean(options_for(version, site), tmp_path)
    pipeline.build(options_for(v1, site))
    pipeline.build(options_for(v2, site))  # the spare: v1's tree
    with paused_build("updating-spare", *build_args(v3, site)):
        assert PAUSING.exists()
    assert tree_hash(site) == trees[v2]
    # Were the half-updated spare taken for v1's tree, this build would leave v3's files in it.
    pipeline.build(options_for(v1, site))
    assert tree_hash(site) == trees[v1]
    pipeline.build(options_for(v3, site))
    assert tree_hash(site) == trees[v3]


@pytest.mark.parametrize("missing", ["hard links", "an atomic exchange"])
def test_builds_without_hard_links_or_an_atomic_exchange(scratch: BuildOptions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    if missing == "hard links":
        monkeypatch.setattr(os, "link", no_link)
    else:
        monkeypatch.setattr(writer, "exchange", lambda first, second: False)
    site, content = scratch.out_dir, scratch.content_dir
    for step in range(3):
        pipeline.build(scratch)
        assert tree_hash(site) == clean(scratch, tmp_path)
        edit(content / "hubs/eldoret.yaml", "summary: ", f"summary: Edit {step}. ")
    assert spare_folder(site).is_dir() and not aside_folder(spare_folder(site)).exists()  # nothing left aside


def test_workers_write_their_files_through_write_staged(tmp_path: Path) -> None:
    content, site = tmp_path / "content", tmp_path / "site"
    content.mkdir()
    files = {f"pages/{n}/index.html": f"<p>page {n}</p>".encode() for n in range(6)}
    for round_ in range(3):  # a new tree, a new tree linked from the first, then the first brought up to date
        files["pages/0/index.html"] = f"<p>round {round_}</p>".encode()
        global STAGING
        staging = STAGING = writer.open_staging(site, content)
        halves = [dict(list(files.items())[:3]), dict(list(files.items())[3:])]
        with multiprocessing.get_context("fork").Pool(1) as pool:  # forked now: it inherits STAGING
            digests = pool.apply(write_in_worker, (halves[0],))
        before = stamps(site) if site.exists() else {}
        written = writer.finish_site(staging, [*(Written(path, digest) for path, digest in digests.items()), *(Output(p, d) for p, d in halves[1].items())])
        assert {path: (site / path).read_bytes() for path in written} == files
        assert read_files(site, marker_id(site) or "") == written
        if round_ == 2:
            after = stamps(site)
            assert after["pages/1/index.html"] == before["pages/1/index.html"] and after["pages/4/index.html"] == before["pages/4/index.html"]
            assert after["pages/0/index.html"] != before["pages/0/index.html"]


STAGING: writer.Staging | None = None  # what the pipeline would open before forking workers


def write_in_worker(files: dict[str, bytes]) -> dict[str, str]:
    assert STAGING is not None
    return {path: writer.write_staged(STAGING, path, data) for path, data in files.items()}
