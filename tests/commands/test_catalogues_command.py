"""`python build.py catalogues` run for real on a copy of the bundled templates: current
catalogues stay byte for byte as they are, and a new message reaches messages.pot and every .po."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run_cli, tree_hash


def copied_templates(tmp_path: Path) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    return templates


def test_current_catalogues_are_left_as_they_are(tmp_path: Path) -> None:
    templates = copied_templates(tmp_path)
    before = tree_hash(templates / "locale")
    result = run_cli("catalogues", "--content", str(ROOT / "content"), "--templates", str(templates))
    assert result.code == 0, result.err
    assert result.out.strip().endswith("nothing changed")
    assert tree_hash(templates / "locale") == before


def test_a_new_message_reaches_every_catalogue_untranslated(tmp_path: Path) -> None:
    templates = copied_templates(tmp_path)
    (templates / "extra.html").write_text('{{ _("Bring a pencil.") }}\n', encoding="utf-8")
    result = run_cli("catalogues", "--content", str(ROOT / "content"), "--templates", str(templates))
    assert result.code == 0, result.err
    catalogues = sorted((templates / "locale").rglob("*.po*"))
    assert len(catalogues) == 9
    assert all('msgid "Bring a pencil."\nmsgstr ""\n' in path.read_text(encoding="utf-8") for path in catalogues)
