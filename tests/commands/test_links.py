"""The link checker: zero broken links on real builds, and each kind of breakage found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, build_site, run_main, scratch_content

from hubsite.commands.links import broken_links, check_links

BUNDLED = ROOT / "content"
PAGE = "---\ntitle: About us\nnav: 1\n---\nSee [the hub](../hubs/example-hub/#session-learning-how-to-learn) and [courses](../courses/).\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("links")
    build_site(scratch_content(root / "content", {"pages/about.md": PAGE}), root / "site")
    return root / "site"


def test_scratch_build_has_no_broken_link(site: Path) -> None:
    report = check_links(site)
    assert report.broken == []
    assert report.checked > 50
    assert "https://www.coursera.org/learn/learning-how-to-learn" in report.external  # listed, not fetched
    assert "mailto:hubs@example.org" in report.external


@pytest.mark.skipif(not any((BUNDLED / "hubs").glob("*.yaml")), reason="no bundled hubs in content/hubs/ yet")
def test_bundled_content_has_no_broken_link(tmp_path: Path) -> None:
    result = run_main("check", "--links", "--content", str(BUNDLED), "--today", TODAY)
    assert result.code == 0, result.err
    assert "broken" not in result.out and "all resolve" in result.out


def break_page(site: Path, tmp_path: Path) -> Path:
    """A copy of the site whose about page links to things that are not there."""
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    page = broken / "about/index.html"
    bad = ('<a href="../hubs/no-such-hub/">a</a><a href="../hubs/example-hub/#no-such-row">b</a>'
           '<img src="../assets/missing.png" alt=""><img srcset="../assets/vendor/leaflet/images/layers.png 1x, ../nope.png 2x" alt="">'
           '<a href="../../../outside/">c</a><a href="../hubs">d</a><a href="https://elsewhere.example/x">e</a></main>')
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", bad, 1), encoding="utf-8")
    (broken / "assets/vendor/leaflet/leaflet.css").write_text("a { background: url(images/gone.png) }", encoding="utf-8")
    return broken


def test_each_kind_of_breakage_is_found(site: Path, tmp_path: Path) -> None:
    found = {(b.page, b.url): b.reason for b in broken_links(break_page(site, tmp_path))}
    assert found == {
        ("about/index.html", "../hubs/no-such-hub/"): "no file hubs/no-such-hub/index.html in the site",
        ("about/index.html", "../hubs/example-hub/#no-such-row"): "no id 'no-such-row' in hubs/example-hub/index.html",
        ("about/index.html", "../assets/missing.png"): "no file assets/missing.png in the site",
        ("about/index.html", "../nope.png"): "no file nope.png in the site",
        ("about/index.html", "../../../outside/"): "climbs out of the site (above /hubs/)",
        ("about/index.html", "../hubs"): "a folder: end the link with '/'",
        ("assets/vendor/leaflet/leaflet.css", "images/gone.png"): "no file assets/vendor/leaflet/images/gone.png in the site",
    }


def test_check_links_command_fails_on_a_broken_content_link(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"pages/about.md": PAGE.replace("../courses/", "../coursez/")})
    result = run_main("check", "--links", "--content", str(content), "--today", TODAY)
    assert result.code == 1
    assert result.lines == ["about/index.html: ../coursez/: no file coursez/index.html in the site"]
    assert "1 broken" in result.out and "external links (--verbose lists them, --external fetches them)" in result.out
    assert not (tmp_path / "site").exists()  # a check writes nothing


def test_check_links_command_passes_and_lists_external_links_when_asked(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"pages/about.md": PAGE})
    result = run_main("check", "--links", "--content", str(content), "--today", TODAY)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("checked 1 hubs") and lines[1].startswith("links: ") and "all resolve" in lines[1]
    assert not [line for line in lines if line.startswith("  https://")]  # not on every run
    verbose = run_main("check", "--links", "--verbose", "--content", str(content), "--today", TODAY)
    assert "  https://library.example.org/" in verbose.out.splitlines()
