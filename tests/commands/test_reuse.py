"""`serve` carries parsed files, records, session views and artifacts from one rebuild to the
next (hubsite/memo.py, hubsite/incremental/). Whatever was edited, a rebuild that reuses must give exactly the
files a fresh build gives, and must reuse what the edit did not touch."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from conftest import ROOT, scratch_content
from sites import HUBS, every_kind_of_edit

from hubsite.commands.serve import Reuse, build_files
from hubsite.options import BuildOptions


def test_rebuilds_that_reuse_equal_fresh_builds_after_every_kind_of_edit(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {**HUBS, "pages/about.md": "---\ntitle: About\nnav: 1\n---\nHello.\n"})
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    options = BuildOptions(content_dir=content, today=date(2026, 2, 1), base_url="http://127.0.0.1:8000/", templates_dir=templates)
    reuse = Reuse()
    build_files(options, reuse)
    for what, change in every_kind_of_edit(content, templates):
        change()
        warm = build_files(options, reuse)
        assert warm == build_files(options), what
        if what == "partner renamed":
            for slug in ("kisumu", "eldoret"):
                assert b"Renamed Polytechnic" in warm[f"hubs/{slug}/index.html"]
        if what == "hub summary":
            assert reuse.store.table("artifacts").last_taken > 0  # the other hubs' artifacts were not rendered again
    assert b"data-edited" in warm["hubs/mombasa/index.html"]
    # Another day: every session view and page is made again, none is reused wrongly.
    later = replace(options, today=date(2026, 3, 20))
    assert build_files(later, reuse) == build_files(later)
