"""Repeat and incremental builds: a build with nothing changed stops at the fingerprint, a build
after an edit rewrites only the files whose bytes changed, and whatever the worker count or the
state of the previous site, the tree is the one a clean build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, build_site, build_site_in_a_process, scratch_content, tree_hash
from sites import HUBS


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    """{path: (inode, mtime in ns)}: unchanged only if the file was not rewritten."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(site.rglob("*")) if p.is_file()}


def clean_build(content: Path, out: Path, *extra: str) -> dict[str, str]:
    build_site(content, out, *extra)
    return tree_hash(out)


def test_repeat_build_with_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    site = tmp_path / "site"
    first = build_site(content, site)
    assert first.out.startswith("built 5 hubs")
    before = stamps(site)
    again = build_site(content, site)
    assert again.out.startswith("site is up to date (5 hubs, 2 partners, ")
    assert stamps(site) == before
    # Another day, other templates: the fingerprint differs, so the site is built.
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    assert build_site(content, site, "--templates", str(templates)).out.startswith("site is up to date") is False
    (templates / "partials/footer.html").write_text("<footer><p>Changed footer</p></footer>\n")
    assert build_site(content, site, "--templates", str(templates)).out.startswith("built 5 hubs")
    assert "Changed footer" in (site / "hubs/mombasa/index.html").read_text()


def test_one_hub_edit_rewrites_only_what_changed(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    site = tmp_path / "site"
    build_site(content, site)
    before = stamps(site)
    edited = content / "hubs/eldoret.yaml"
    edited.write_text(edited.read_text().replace("summary: Weekly study groups.", "summary: Now on Saturdays too."))
    build_site(content, site)
    after = stamps(site)
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert "hubs/eldoret/index.html" in rewritten and "hubs.json" in rewritten
    # Pages that do not show the summary (other hubs, whose maps show name and next course) are not touched.
    assert "hubs/kisumu/index.html" not in rewritten and "hubs/eldoret/calendar.ics" not in rewritten
    assert len(rewritten) < len(after) / 2
    assert tree_hash(site) == clean_build(content, tmp_path / "clean")


def test_removed_hub_leaves_no_file_behind(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    site = tmp_path / "site"
    build_site(content, site)
    assert (site / "hubs/nakuru/sessions").is_dir()
    (content / "hubs/nakuru.yaml").unlink()
    build_site(content, site)
    assert not (site / "hubs/nakuru").exists()
    assert tree_hash(site) == clean_build(content, tmp_path / "clean")


def test_partner_rename_reaches_every_page_of_its_hubs(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    site = tmp_path / "site"
    build_site(content, site)
    before = tree_hash(site)
    partner = content / "partners/other-college.yaml"
    partner.write_text(partner.read_text().replace("name: Other College", "name: Renamed Polytechnic"))
    build_site(content, site)
    after = tree_hash(site)
    for slug in ("kisumu", "eldoret"):  # hosted by the renamed partner
        page = f"hubs/{slug}/index.html"
        assert after[page] != before[page]
        assert "Renamed Polytechnic" in (site / page).read_text()
    # (Other hubs' pages may change too: their small maps name the host of each nearby hub.)
    assert after == clean_build(content, tmp_path / "clean")


def test_worker_count_and_previous_site_do_not_change_the_output(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    # Builds with workers run as commands: workers fork, and not from the test's process; each
    # command has its own hash seed, so the same bytes also mean no order from a set or dict.
    one = clean_build(content, tmp_path / "one", "--workers", "1")
    build_site_in_a_process(content, tmp_path / "two", "--workers", "3")
    assert tree_hash(tmp_path / "two") == one
    # Warm: built, edited, built, edit undone, built again in place.
    warm = tmp_path / "warm"
    build_site_in_a_process(content, warm, "--workers", "2")
    partner = content / "partners/example-library.yaml"
    original = partner.read_text()
    partner.write_text(original.replace("Example Library", "Changed Library"))
    build_site_in_a_process(content, warm, "--workers", "2")
    partner.write_text(original)
    build_site_in_a_process(content, warm, "--workers", "2")
    assert tree_hash(warm) == one
