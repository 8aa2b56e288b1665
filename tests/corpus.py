"""The hostile corpus (tests/corpus/, format in its README): its cases, what each expects, and a
content folder for one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import CORPUS, ROOT

FRENCH_CATALOGUE = "locale/fr/LC_MESSAGES/messages.po"  # where a locale case goes in the templates

# What each kind of case is, and where it goes in a content folder.
KINDS = {"hubs": "*.yaml", "pages": "*.md", "site": "*.yaml", "static": "*.txt", "locale": "*.po"}
CASES = sorted(case for kind, pattern in KINDS.items() for case in (CORPUS / kind).glob(pattern))
_EXPECT = re.compile(r"(?:#|<!--)\s*expect:\s*(accept|reject|warn)\s*(.*?)\s*(?:-->)?\s*$")
_NAME = re.compile(r"#\s*name:\s*(\".*\")\s*$")


def expectation(path: Path) -> tuple[str, str]:
    first = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0]
    match = _EXPECT.match(first)
    assert match, f"{path.name}: no expect comment"
    return match.group(1), match.group(2)


def static_name(case: Path) -> str:
    """A static case's path under content/static/, from its second line (`# name: "JSON string"`,
    so that line breaks and control characters can be written)."""
    second = case.read_text(encoding="utf-8").splitlines()[1]
    match = _NAME.match(second)
    assert match, f"{case.name}: no name comment on line 2"
    return json.loads(match.group(1))


def placed_path(case: Path) -> str:
    """Where the case lies in its content folder, as errors name it."""
    kind = case.parent.name
    if kind == "site":
        return "site.yaml"
    if kind == "static":
        return f"static/{static_name(case)}"
    if kind == "locale":
        return f"templates/{FRENCH_CATALOGUE}"
    return f"{kind}/{case.name}"


def corpus_site(tmp_path: Path, case: Path) -> Path:
    """A content folder of the corpus's base (a site.yaml and one partner) and this one case; a
    locale case is the French catalogue of a copy of the bundled templates (corpus_arguments), for
    a site in English and French."""
    content = tmp_path / "content"
    shutil.copytree(CORPUS / "base", content)
    if case.parent.name == "locale":
        site = content / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace("language: en\n", "languages: [en, fr]\n"), encoding="utf-8")
        shutil.copytree(ROOT / "templates", tmp_path / "templates")
        shutil.copy(case, tmp_path / placed_path(case))
        return content
    target = content / placed_path(case)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(case, target)
    return content


def corpus_arguments(tmp_path: Path, case: Path) -> list[str]:
    """What `check` and `build` are given besides the content: a locale case's templates."""
    return ["--templates", str(tmp_path / "templates")] if case.parent.name == "locale" else []
