"""The hostile corpus in ../shared/corpus: its cases, what each expects, a content folder for one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import CORPUS

CASES = sorted([*CORPUS.glob("hubs/*.yaml"), *CORPUS.glob("pages/*.md")]) if CORPUS.is_dir() else []
_EXPECT = re.compile(r"(?:#|<!--)\s*expect:\s*(accept|reject|warn)\s*(.*?)\s*(?:-->)?\s*$")


def expectation(path: Path) -> tuple[str, str]:
    first = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0]
    match = _EXPECT.match(first)
    assert match, f"{path.name}: no expect comment"
    return match.group(1), match.group(2)


def corpus_site(tmp_path: Path, case: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CORPUS / "base", content)
    kind = case.parent.name
    (content / kind).mkdir(exist_ok=True)
    shutil.copy(case, content / kind / case.name)
    return content
