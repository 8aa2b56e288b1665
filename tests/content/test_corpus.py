"""The hostile corpus in ../shared/corpus: each file alone in a content folder, checked and built
exactly as its first-line comment says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TODAY, run_main, tree_hash, visible_text
from corpus import CASES, corpus_site, expectation


@pytest.mark.skipif(not CASES, reason="no corpus cases found")
@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file(tmp_path: Path, case: Path) -> None:
    verdict, detail = expectation(case)
    content = corpus_site(tmp_path, case)
    site = tmp_path / "site"
    checked = run_main("check", "--content", str(content), "--today", TODAY)
    built = run_main("build", "--content", str(content), "--out", str(site), "--today", TODAY)
    where = f"{case.parent.name}/{case.name}:"
    if verdict == "reject":
        for result in (checked, built):
            assert result.code == 1, result.err
            lines = [line for line in result.lines if where in line]
            assert lines, result.err
            assert any(re.search(re.escape(where) + r"\d+", line) and detail in line for line in lines), (detail, lines)
        assert not site.exists()
    elif verdict == "warn":
        assert any(where in line and "warning" in line and detail in line for line in checked.lines), checked.err
    else:
        assert checked.code == 0 and built.code == 0, built.err
        page = site / ("hubs" if case.parent.name == "hubs" else "") / case.stem / "index.html"
        assert page.is_file()
        shows = detail.removeprefix("shows=") if detail.startswith("shows=") else ""
        if shows:
            assert shows in visible_text(page)
        assert_no_active_content(site)


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
