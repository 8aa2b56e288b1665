"""The hostile corpus: ../shared/corpus, and tests/hostile/, the cases found since, in the same
format (../shared is read-only here; copy them there when it is not). Its cases, what each
expects, and a content folder for one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import CORPUS, ROOT

OURS = ROOT / "tests/hostile"
FOLDERS = [folder for folder in (CORPUS, OURS) if folder.is_dir()]
CASES = sorted(case for folder in FOLDERS for case in [*folder.glob("hubs/*.yaml"), *folder.glob("pages/*.md")])
_EXPECT = re.compile(r"(?:#|<!--)\s*expect:\s*(accept|reject|warn)\s*(.*?)\s*(?:-->)?\s*$")


def expectation(path: Path) -> tuple[str, str]:
    first = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0]
    match = _EXPECT.match(first)
    assert match, f"{path.name}: no expect comment"
    return match.group(1), match.group(2)


def corpus_site(tmp_path: Path, case: Path) -> Path:
    """A content folder of the corpus's base (a site.yaml and one partner) and this one case."""
    content = tmp_path / "content"
    shutil.copytree(case.parent.parent / "base", content)
    kind = case.parent.name
    (content / kind).mkdir(exist_ok=True)
    shutil.copy(case, content / kind / case.name)
    return content
