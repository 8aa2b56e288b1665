"""Shared test helpers: scratch sites from inline text, the CLI run for real, parsed HTML."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests/corpus"  # the hostile corpus (its README says the format)
TODAY = "2026-02-01"

@pytest.fixture(autouse=True)
def _nothing_kept_from_the_last_test() -> Iterator[None]:
    """A test that signs with a key of its own (XDG_CACHE_HOME in a scratch folder) must not leave
    that key cached for the next test of its process: in-process builds would sign with it and a
    build run as a command would then trust none of their lists. Nor do the Jinja environments of
    its builds stay (one per output folder: hundreds in a worker of the suite)."""
    yield
    from hubsite.incremental import store
    from hubsite.render import environment

    store.signing_key.cache_clear()
    environment.kept_environment.cache_clear()  # one Jinja environment per build's cache folder: builds run in this process
    environment._identities.clear()


SITE_YAML = """\
title: Test Hubs
tagline: Study together.
base_url: https://example.org/hubs/
language: en
contact_email: hubs@example.org
host_application_url: https://example.org/apply
"""

PARTNER_YAML = """\
name: Example Library
kind: library
website: https://library.example.org/
"""

HUB_YAML = """\
name: Example Hub
host: example-library
address: {line1: 1 Main Street, city: Nairobi, country: KE}
location: {lat: -1.2864, lon: 36.8172}
timezone: Africa/Nairobi
languages: [en, sw]
facilities: [wifi, computers]
signup_url: https://example.org/signup
summary: Weekly study groups.
description: |
  We meet **every week**.
facilitators:
  - {name: Amina Otieno, bio: Teacher.}
sessions:
  - course: Learning How to Learn
    course_url: https://www.coursera.org/learn/learning-how-to-learn
    starts: 2026-01-13
    ends: 2026-03-17
    day: tuesday
    time: 18:00-20:00
    language: en
    facilitator: Amina Otieno
    capacity: 20
"""


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root (text is dedented)."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def scratch_content(root: Path, files: dict[str, str | bytes] | None = None, *, hub: bool = True) -> Path:
    """A minimal valid content folder (site, one partner, one hub) plus `files` on top."""
    base: dict[str, str | bytes] = {"site.yaml": SITE_YAML, "partners/example-library.yaml": PARTNER_YAML}
    if hub:
        base["hubs/example-hub.yaml"] = HUB_YAML
    base.update(files or {})
    return write_files(root, {k: v for k, v in base.items() if v is not None})


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `python build.py ARGS` in a real subprocess (`env`: its environment, else ours)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**(os.environ if env is None else env), "PYTHONHASHSEED": "random"},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def build_site(content: Path, out: Path, *extra: str) -> Run:
    """Build in this process (a new one costs two seconds of imports and tables a build)."""
    result = run_main("build", "--content", str(content), "--out", str(out), "--today", TODAY, *extra)
    assert result.code == 0, result.err
    return result


def build_site_in_a_process(content: Path, out: Path, *extra: str) -> Run:
    """Build as `python build.py build` does, in a process of its own with a random hash seed:
    for tests that two builds give the same bytes whatever the order of sets and dicts."""
    result = run_cli("build", "--content", str(content), "--out", str(out), "--today", TODAY, *extra)
    assert result.code == 0, result.err
    return result


def tree_hash(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under root."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def parse_html(path: Path):
    import lxml.html

    return lxml.html.fromstring(path.read_bytes())


def visible_text(path: Path) -> str:
    doc = parse_html(path)
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    return " ".join(doc.text_content().split())


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return scratch_content(tmp_path / "content")


def run_main(*args: str) -> Run:
    """Run the CLI in this process (fast); output captured from sys.stdout/stderr."""
    import contextlib
    import io

    from hubsite.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def check_content(root: Path, files: dict[str, str | bytes] | None = None, *, hub: bool = True) -> Run:
    """Write a scratch content folder and run `check` on it."""
    scratch_content(root, files, hub=hub)
    return run_main("check", "--content", str(root), "--today", TODAY)


pytest_plugins = ["chromium"]
