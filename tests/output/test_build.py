"""Whole builds through the real command line: output, atomicity, determinism, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import HUB_YAML, ROOT, TODAY, build_site, build_site_in_a_process, run_cli, run_main, scratch_content, tree_hash, visible_text


def test_build_writes_every_page_kind(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"pages/about.md": "---\ntitle: About us\nnav: 1\n---\nHello **world**.\n"})
    result = build_site(content, tmp_path / "site")
    site = tmp_path / "site"
    assert result.out.startswith("built 1 hubs, 1 partners, ")
    for page in ("index.html", "hubs/example-hub/index.html", "partners/index.html", "partners/example-library/index.html",
                 "countries/ke/index.html", "courses/index.html", "courses/learning-how-to-learn/index.html", "about/index.html", "404.html"):
        assert (site / page).is_file(), page
    assert len(list((site / "assets").glob("style.*.css"))) == 1
    assert "Example Hub" in visible_text(site / "index.html")
    assert "Hello world." in visible_text(site / "about/index.html")


def test_failed_build_leaves_previous_site_byte_identical(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, site)
    before = tree_hash(site)
    (content / "hubs/example-hub.yaml").write_text(HUB_YAML.replace("lat: -1.2864", "lat: 999"))
    (content / "hubs/second.yaml").write_text(HUB_YAML)
    result = run_cli("build", "--content", str(content), "--out", str(site), "--today", TODAY)
    assert result.code == 1
    assert result.lines[-1] == "1 error in 1 file; nothing was written"
    assert tree_hash(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".hubsite-cache", "content", "site"]  # no staging folder left behind


def test_same_content_gives_byte_identical_trees(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"hubs/other-hub.yaml": HUB_YAML.replace("city: Nairobi", "city: Mombasa").replace("lat: -1.2864", "lat: -4.04")})
    build_site_in_a_process(content, tmp_path / "one")
    build_site_in_a_process(content, tmp_path / "two")  # a separate process with another hash seed
    one, two = tree_hash(tmp_path / "one"), tree_hash(tmp_path / "two")
    assert one == two
    assert len(one) > 10


def test_today_changes_what_is_current(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    build_site(content, tmp_path / "during")
    assert "Next: Tuesday, February 3, 2026" in visible_text(tmp_path / "during/hubs/example-hub/index.html")
    result = run_main("build", "--content", str(content), "--out", str(tmp_path / "after"), "--today", "2026-06-01")
    assert result.code == 0, result.err
    text = visible_text(tmp_path / "after/hubs/example-hub/index.html")
    assert "No current sessions." in text and "Past groups Learning How to Learn" in text


def test_output_folder_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    result = run_main("build", "--content", str(content), "--out", str(precious), "--today", TODAY)
    assert result.code == 2
    assert "refusing to replace" in result.err
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", "--today", "yesterday").code == 2
    assert run_cli("frobnicate", "--x").code == 2


def test_check_writes_nothing(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 0
    assert result.out == "checked 1 hubs, 1 partners, 0 pages: no errors\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


@pytest.mark.parametrize("broken, message", [
    ("{% if %}\n", "partials/facilities.html:1: template: Expected an expression, got 'end of statement block'"),
    ("{{ no_such_variable }}\n", "partials/facilities.html:1: template: UndefinedError: 'no_such_variable' is undefined"),
])
def test_template_error_names_file_and_line_even_from_a_worker(tmp_path: Path, broken: str, message: str) -> None:
    content = scratch_content(tmp_path / "content", {"hubs/second.yaml": HUB_YAML.replace("Example Hub", "Second Hub")})
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    partial = templates / "partials/facilities.html"  # compiled lazily, inside the worker
    partial.write_text(broken + partial.read_text())
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"), "--templates", str(templates), "--workers", "2", "--today", TODAY)
    assert result.code == 1
    assert result.lines[0].endswith(message), result.err
    assert result.lines[-1] == "the templates have an error; nothing was written"
    assert not (tmp_path / "site").exists()
