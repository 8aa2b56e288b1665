"""`python build.py catalogues`: every message of the interface into `locale/messages.pot` (the
templates, the Python that writes words, and the scripts' words, which pages carry), then each
language's `.po` brought up to date with it: new messages added untranslated, changed ones
marked fuzzy (Babel's matching), gone ones kept as obsolete. A `.po` is made for each language of
site.yaml that has none. Files are rewritten only when their messages change, so the command can
run at any time without noise in a diff.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from hubsite.languages import Language
from hubsite.render.catalogue_checks import strings_of
from hubsite.render.catalogues import HEADER, LOCALE_DIR, extracted, needs_no_catalogue, po_path, template_path


@dataclass(frozen=True)
class Report:
    messages: int
    written: list[Path]

    def summary(self) -> str:
        changed = ", ".join(path.as_posix() for path in self.written) if self.written else "nothing changed"
        return f"{self.messages} messages; {changed}"


def update_catalogues(templates_dir: Path, languages: tuple[Language, ...]) -> Report:
    """Write messages.pot and bring every .po up to date (and make those the site's languages lack)."""
    template = extracted(templates_dir)
    written = []
    if write_if_changed(template_path(templates_dir), template):
        written.append(template_path(templates_dir))
    folders = {path.parent.parent.name for path in (templates_dir / LOCALE_DIR).glob(f"*/LC_MESSAGES/{po_path(templates_dir, languages[0]).name}")}
    wanted = {language.locale_id: language for language in languages if not needs_no_catalogue(language)}
    for locale_id in sorted(folders | set(wanted)):
        path = templates_dir / LOCALE_DIR / locale_id / "LC_MESSAGES" / po_path(templates_dir, languages[0]).name
        catalog = read_po(io.BytesIO(path.read_bytes()), locale=locale_id) if path.is_file() else Catalog(locale=locale_id, project="hubsite", header_comment=f"# {HEADER}")
        catalog.update(template, update_header_comment=False)
        catalog.fuzzy = False  # the header: Babel marks a new one fuzzy, and its plural forms must count
        if write_if_changed(path, catalog):
            written.append(path)
    return Report(len([m for m in template if m.id]), written)


def write_if_changed(path: Path, catalog: Catalog) -> bool:
    if path.is_file() and same_messages(read_po(io.BytesIO(path.read_bytes()), locale=catalog.locale), catalog):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=False, sort_output=True, include_lineno=False, ignore_obsolete=False)
    path.write_bytes(buffer.getvalue())
    return True


def same_messages(old: Catalog, new: Catalog) -> bool:
    """Whether the two hold the same entries as a file writes them: an untranslated string is
    None when extracted and '' when read back, locations are written sorted, and a long comment
    is written on several lines."""
    def entries(catalog: Catalog) -> list[tuple]:
        return sorted((repr(m.id), m.context or "", repr(m.string if any(strings_of(m.string or "")) else ""), m.fuzzy, tuple(sorted(m.locations)), " ".join(m.auto_comments)) for m in catalog if m.id)
    return entries(old) == entries(new) and sorted(map(repr, old.obsolete)) == sorted(map(repr, new.obsolete))
