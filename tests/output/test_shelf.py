"""`build` takes over what the last build into the same folder rendered from the same inputs
(memo.Shelf, kept on disk by output/shelf.py): after every kind of edit the site must be exactly
the one a build from nothing writes, only what the edit touched is rendered again, and a shelf
that no longer matches the live site (a file deleted, a shelf garbled) costs time, never a
wrong page."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, scratch_content, tree_hash
from sites import HUBS, edit, every_kind_of_edit

from hubsite import pipeline
from hubsite.options import BuildOptions, cache_folder
from hubsite.output.manifest import manifest_folder

TWO_LANGUAGES = "title: Test Hubs\nbase_url: https://example.org/hubs/\nlanguage: en\nlanguages: [en, fr]\ncontact_email: hubs@example.org\n"


def shelved(content: Path, site: Path, templates: Path = ROOT / "templates", workers: int = 1) -> BuildOptions:
    return BuildOptions(content_dir=content, out_dir=site, today=date(2026, 2, 1), templates_dir=templates, cache_dir=cache_folder(site), workers=workers)


def fresh(options: BuildOptions, scratch: Path) -> dict[str, str]:
    """The tree a build from nothing writes, without any shelf."""
    out = scratch / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    pipeline.build(replace(options, out_dir=out, cache_dir=None))
    return tree_hash(out)


@pytest.fixture
def scratch(tmp_path: Path) -> tuple[Path, Path]:
    content = scratch_content(tmp_path / "content", {**HUBS, "site.yaml": TWO_LANGUAGES, "pages/about.md": "---\ntitle: About\nnav: 1\n---\nHello.\n"})
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    return content, templates


@pytest.mark.parametrize("workers", [1, 2])
def test_builds_from_the_shelf_equal_builds_from_nothing_after_every_kind_of_edit(tmp_path: Path, scratch: tuple[Path, Path], workers: int) -> None:
    content, templates = scratch
    options = shelved(content, tmp_path / "site", templates, workers)
    first = pipeline.build(options)
    assert first.taken == 0
    for what, change in every_kind_of_edit(content, templates):
        change()
        result = pipeline.build(options)
        assert tree_hash(options.out_dir) == fresh(options, tmp_path), what
        if what == "hub summary":
            assert result.taken > 0  # the other hubs were not rendered again
            assert b"Saturdays too." in (options.out_dir / "en/hubs/eldoret/index.html").read_bytes()
        if what == "partner renamed":
            for slug in ("kisumu", "eldoret"):
                assert b"Renamed Polytechnic" in (options.out_dir / f"en/hubs/{slug}/index.html").read_bytes()
        if what == "template":
            assert result.taken == 0
    assert b'href="../../courses/c-2/"' in (options.out_dir / "en/hubs/mombasa/index.html").read_bytes()
    # Another day: every unit is rendered again, none is taken wrongly.
    later = replace(options, today=date(2026, 3, 20))
    assert pipeline.build(later).taken == 0
    assert tree_hash(later.out_dir) == fresh(later, tmp_path)


def test_a_file_gone_from_the_live_site_is_rendered_again(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    content, _ = scratch
    options = shelved(content, tmp_path / "site")
    pipeline.build(options)
    (options.out_dir / "en/hubs/mombasa/index.html").unlink()
    (options.out_dir / "fr/hubs/kisumu/calendar.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    pipeline.build(options)
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_a_garbled_or_foreign_shelf_is_ignored(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    content, _ = scratch
    options = shelved(content, tmp_path / "site")
    pipeline.build(options)
    [shelf] = manifest_folder(options.out_dir).glob("*.shelf.json")
    units = json.loads(shelf.read_text())["units"]
    assert units and all(paths for paths, _, _ in units.values())
    # A unit that names a file the live site does not have, or events beyond its calendar.
    forged = {key: [["hubs/mombasa/no-such-file.html"], 0, 10**9] for key in units}
    summary = "summary: Weekly study groups."
    for number, text in enumerate(("{not json", json.dumps({"version": 1, "units": forged}), json.dumps({"version": 1, "units": {"k": 3}}), "[]")):
        [shelf] = manifest_folder(options.out_dir).glob("*.shelf.json")
        shelf.write_text(text)
        edit(content / "hubs/eldoret.yaml", summary, summary := f"summary: Edit number {number}.")
        assert pipeline.build(options).taken == 0, text
        assert tree_hash(options.out_dir) == fresh(options, tmp_path), text


def test_events_taken_from_the_live_calendar_are_the_units_own(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """calendar.ics is cut into units by byte ranges: after hubs are added before and after the
    others, every hub's events are still its own."""
    content, _ = scratch
    options = shelved(content, tmp_path / "site")
    pipeline.build(options)
    for slug in ("aaa-first", "zzz-last"):
        (content / f"hubs/{slug}.yaml").write_text((content / "hubs/kisumu.yaml").read_text().replace("Kisumu Hub", f"Hub {slug}").replace("lat: -0.09", "lat: -0.19"))
    assert pipeline.build(options).taken > 0
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)
    calendar = (options.out_dir / "en/calendar.ics").read_bytes()
    assert calendar.count(b"BEGIN:VEVENT") == 7 and calendar.endswith(b"END:VCALENDAR\r\n")
