"""The hostile corpus (tests/corpus/): each case alone in a content folder, checked and built
exactly as its first-line comment says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TODAY, run_main, tree_hash, visible_text
from corpus import CASES, corpus_arguments, corpus_site, expectation, placed_path, static_name

UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.skipif(not CASES, reason="no corpus cases found")
@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file(tmp_path: Path, case: Path) -> None:
    verdict, detail = expectation(case)
    content = corpus_site(tmp_path, case)
    site = tmp_path / "site"
    extra = corpus_arguments(tmp_path, case)
    checked = run_main("check", "--content", str(content), "--today", TODAY, *extra)
    built = run_main("build", "--content", str(content), "--out", str(site), "--today", TODAY, *extra)
    kind = case.parent.name
    # A static file's name may hold control characters, which every message shows escaped.
    where = "static/" if kind == "static" else placed_path(case) + ":"
    for result in (checked, built):  # nothing from content starts a line of its own in the output
        assert not UNPRINTABLE.search(result.out + result.err), ascii(result.err)
    if verdict == "reject":
        for result in (checked, built):
            assert result.code == 1, result.err
            lines = [line for line in result.lines if where in line]
            assert lines, result.err
            assert any(re.search(re.escape(where) + (r"\S*:\d+" if kind == "static" else r"\d+"), line) and detail in line for line in lines), (detail, lines)
        assert not site.exists()
    elif verdict == "warn":
        assert any(where in line and "warning" in line and detail in line for line in checked.lines), checked.err
    else:
        assert checked.code == 0 and built.code == 0, built.err
        page = accepted_file(site, case)
        assert page.is_file()
        shows = detail.removeprefix("shows=") if detail.startswith("shows=") else ""
        if shows:
            assert shows in visible_text(page)
        assert_no_active_content(site)


def accepted_file(site: Path, case: Path) -> Path:
    """The file an accepted case must have made: its hub's or page's page, the home page for a
    setting, the French home page for a catalogue, the file itself for a static file."""
    kind = case.parent.name
    if kind == "static":
        return site / static_name(case)
    if kind == "site":
        return site / "index.html"
    if kind == "locale":
        return site / "fr" / "index.html"
    return site / ("hubs" if kind == "hubs" else "") / case.stem / "index.html"


def assert_no_active_content(site: Path) -> None:
    """No script from content, no javascript:/data: URL in any href or src of any page."""
    import lxml.html

    for path in tree_hash(site):
        if not path.endswith(".html"):
            continue
        doc = lxml.html.fromstring((site / path).read_bytes())
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (path, element.tag, name)
                if name in ("href", "src", "action", "formaction"):
                    assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (path, value)
            if element.tag == "script":
                kind = element.get("type", "text/javascript")
                if kind in ("application/json", "application/ld+json"):  # data: must not be able to close its element
                    assert "<" not in (element.text or ""), path
                else:  # code only ever comes from our own files
                    assert element.get("src") and not (element.text or "").strip(), (path, "inline script")
        for tag in ("iframe", "object", "embed"):
            assert not doc.xpath(f"//{tag}"), (path, tag)
