"""`python build.py export FILE` and `import FILE`: the hubs as a spreadsheet (.csv or .xlsx),
and a spreadsheet back into `content/hubs/`, one YAML file per hub. The columns: columns.py; the
files: sheets.py.

Import judges the rows with `check` itself: each hub's rows become the YAML file they describe,
written with the rest of the content into a scratch copy, which is validated and catalogued as a
build would (content/validate.py, directory/); each problem found in such a file is told at its
row and column, in check's words: `hubs.csv:7:12: sessions.time: '25:00-26:00' is not a time
range ...`. Nothing is written while any row has an error. A hub whose file exists is left
alone when the row gives the same record (the file's bytes, comments and all, are kept), and is
replaced only with `--update` when it gives another; hubs the file does not list are not touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hubsite import pipeline
from hubsite.commands import columns
from hubsite.commands.records_yaml import record_yaml
from hubsite.commands.sheets import Sheet, read_sheet, write_sheet
from hubsite.content.reader import Document
from hubsite.content.validate import ValidContent, check_slugs
from hubsite.options import BuildOptions, display_path
from hubsite.problems import BuildFailed, HubsiteError, Problem

FORMATS = (".csv", ".xlsx")


class WrongFormat(HubsiteError):
    exit_code = 2


def check_format(path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise WrongFormat(f"'{display_path(path)}' is neither .csv nor .xlsx: name the file FILE.csv or FILE.xlsx")


# --- export -----------------------------------------------------------------------------------


def export_hubs(content: ValidContent, path: Path) -> int:
    """Write every hub (by slug) into `path`; returns the number of rows."""
    check_format(path)
    default = content.site.default_language.tag
    rows: list[dict[str, str]] = []
    problems = []
    for hub in sorted(content.hubs, key=lambda hub: hub.slug):
        try:
            rows += columns.record_cells(hub.slug, hub.record, default)
        except columns.Unwritable as error:
            problems.append(Problem(hub.doc.display, 1, 1, "", f"cannot be exported: {error}"))
    if problems:
        raise BuildFailed(problems)
    header = columns.header_for(rows, [language.tag for language in content.site.site_languages])
    write_sheet(path, header, [[row.get(name, "") for name in header] for row in rows])
    return len(rows)


# --- import -----------------------------------------------------------------------------------


@dataclass
class HubRows:
    """A hub's rows in the sheet: its first row's number and cells, and each session's row."""

    slug: str
    first: int
    cells: dict[str, str]
    sessions: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class Imported:
    """What an import did (or would do): files by what happened to them, and the warnings."""

    written: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dialect: str = ""

    def summary(self, where: str) -> str:
        return (f"imported {where} ({self.dialect}): {len(self.written)} new, {len(self.replaced)} replaced, "
                f"{len(self.unchanged)} unchanged hub files")


def import_hubs(path: Path, content_dir: Path, today: date, *, update: bool) -> Imported:
    """Read `path` into hub files of `content_dir`/hubs, or raise BuildFailed with every problem."""
    check_format(path)
    where = display_path(path)
    sheet = read_sheet(path, where)
    problems = header_problems(sheet, where)
    if problems:  # the rows cannot be read right under a header that names a field twice
        raise BuildFailed(problems)
    problems += cell_problems(sheet, where)
    grouped, found = hub_rows(sheet, where)
    problems += found
    named = [hub for hub in grouped if not slug_problems(hub, 0, where)]  # the others name no file: they are told, never written
    current, _ = pipeline.validated(BuildOptions(content_dir=content_dir))
    default = current.site.default_language.tag if current else "en"
    known = columns.shapes()
    texts = {hub.slug: record_yaml(hub_data(hub, known, default)) for hub in named}
    checked, found = checked_records(texts, named, sheet, where, content_dir, today, default)
    problems += found
    imported = Imported(dialect=sheet.dialect)
    before = {hub.slug: hub.record for hub in current.hubs} if current else {}
    problems += plan(imported, named, checked, before, content_dir, where, sheet.header, update=update)
    if any(problem.severity == "error" for problem in problems):
        raise BuildFailed(problems)
    imported.warnings = sorted(problems)
    write_files(imported, texts, content_dir)
    return imported


def header_problems(sheet: Sheet, where: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for column, name in enumerate(sheet.header, 1):
        if not name:
            if any(len(cells) >= column and cells[column - 1].strip() for _, cells in sheet.rows):
                problems.append(Problem(where, 1, column, "", "a column with values has no name in the first row"))
        elif name in seen:
            problems.append(Problem(where, 1, column, name, f"is the name of column {seen[name]} too: name each column once"))
        elif wider := next((other for other in seen if name.startswith(other + ".") or other.startswith(name + ".")), None):
            problems.append(Problem(where, 1, column, name, f"and column {seen[wider]}, {wider}, give the same field twice: keep one"))
        else:
            seen[name] = column
    return problems


def cell_problems(sheet: Sheet, where: str) -> list[Problem]:
    """Values no column names, and formulas (.xlsx)."""
    problems = []
    for row, cells in sheet.rows:
        beyond = [column for column in range(len(sheet.header) + 1, len(cells) + 1) if cells[column - 1].strip()]
        if beyond:
            problems.append(Problem(where, row, beyond[0], "", "a value beyond the last named column"))
    for row, column in sheet.formulas:
        problems.append(Problem(where, row, column, name_at(sheet, column), "is a formula: type the value itself (a spreadsheet of hubs holds values)"))
    return problems


def name_at(sheet: Sheet, column: int) -> str:
    return sheet.header[column - 1] if column <= len(sheet.header) else ""


def hub_rows(sheet: Sheet, where: str) -> tuple[list[HubRows], list[Problem]]:
    """The rows grouped by slug, in the order hubs first appear; a hub's own fields are given on
    its first row, and on its later rows either left empty or given the same."""
    slug_column = sheet.header.index("slug")
    own = {name for name in sheet.header if name and not name.startswith(columns.SESSIONS + ".")}
    hubs: dict[str, HubRows] = {}
    problems = []
    for row, values in sheet.rows:
        cells = {name: (values[index].strip() if index < len(values) else "") for index, name in enumerate(sheet.header) if name}
        slug = cells["slug"]
        if not slug:
            problems.append(Problem(where, row, slug_column + 1, "slug", "is empty: the hub's id, its file name in content/hubs/ without .yaml"))
            continue
        hub = hubs.get(slug)
        if hub is None:
            hub = hubs[slug] = HubRows(slug, row, {name: text for name, text in cells.items() if name in own})
        else:
            problems += differing(hub, row, cells, own, sheet.header, where)
        session = {name: text for name, text in cells.items() if name not in own}
        if any(session.values()):
            hub.sessions.append((row, session))
    problems += [problem for hub in hubs.values() for problem in slug_problems(hub, slug_column, where)]
    return list(hubs.values()), problems


def differing(hub: HubRows, row: int, cells: dict[str, str], own: set[str], header: list[str], where: str) -> list[Problem]:
    return [Problem(where, row, column, name, f"differs from row {hub.first}, the hub's first row: give a hub's fields on its first row, and leave them empty or the same on its others")
            for column, name in enumerate(header, 1) if name in own and cells.get(name) and cells[name] != hub.cells.get(name, "")]


def slug_problems(hub: HubRows, slug_column: int, where: str) -> list[Problem]:
    """check's words for a file name that is no id (content/validate.check_slugs), at the slug's cell."""
    found = check_slugs([Document(path=Path(f"{hub.slug}.yaml"), kind="hub", slug=hub.slug)])
    return [Problem(where, hub.first, slug_column + 1, "slug", problem.message) for problem in found]


def hub_data(hub: HubRows, known: dict[str, str], default: str) -> dict[str, Any]:
    data = columns.row_data({name: text for name, text in hub.cells.items() if name != "slug"}, known, default)
    sessions = [columns.row_data(cells, known, default).get(columns.SESSIONS, {}) for _, cells in hub.sessions]
    if sessions:
        data[columns.SESSIONS] = sessions
    return data


def checked_records(texts: dict[str, str], hubs: list[HubRows], sheet: Sheet, where: str, content_dir: Path,
                    today: date, default: str) -> tuple[dict[str, Any], list[Problem]]:
    """The records the new files make, found by checking them with the rest of the content as
    `check` would, in a scratch copy; every problem of theirs at its row and column."""
    with tempfile.TemporaryDirectory(prefix="hubsite-import-") as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(content_dir, copy, symlinks=True)
        (copy / "hubs").mkdir(exist_ok=True)
        for slug, text in texts.items():
            (copy / "hubs" / f"{slug}.yaml").write_text(text, encoding="utf-8")
        try:
            catalog, problems = pipeline.gather(BuildOptions(content_dir=copy, today=today))
            records = {hub.slug: hub.record for hub in catalog.hubs}
        except BuildFailed as failed:
            problems, records = failed.problems, {}
        by_file = {display_path(copy / "hubs" / f"{hub.slug}.yaml"): hub for hub in hubs}
        return records, [placed(problem, by_file, sheet.header, where, default, copy, content_dir) for problem in problems]


def placed(problem: Problem, by_file: dict[str, HubRows], header: list[str], where: str, default: str, copy: Path, content_dir: Path) -> Problem:
    """A problem of the scratch copy where the person can fix it: a new file's at its cell, any
    other at its file in the content folder."""
    hub = by_file.get(problem.path)
    if hub is None:
        return Problem(problem.path.replace(display_path(copy), display_path(content_dir), 1), problem.line, problem.col, problem.field, problem.message, problem.severity)
    session, name = columns.column_of(problem.field, header, default)
    row = hub.sessions[session][0] if session is not None and session < len(hub.sessions) else hub.first
    return Problem(where, row, header.index(name) + 1, name, problem.message, problem.severity)


def plan(imported: Imported, hubs: list[HubRows], checked: dict[str, Any], before: dict[str, Any], content_dir: Path,
         where: str, header: list[str], *, update: bool) -> list[Problem]:
    """Sort each hub into new, unchanged or replaced (`before`: the records of the files there now);
    a changed record without --update is an error."""
    problems = []
    for hub in hubs:
        target = content_dir / "hubs" / f"{hub.slug}.yaml"
        if not target.exists():
            imported.written.append(target)
        elif hub.slug in before and same_record(before[hub.slug], checked.get(hub.slug)):
            imported.unchanged.append(target)
        elif update:
            imported.replaced.append(target)
        else:
            problems.append(Problem(where, hub.first, header.index("slug") + 1, "slug", f"{display_path(target)} holds other details: "
                                    "give --update to replace it with this row's (its comments and layout are not kept)"))
    return problems


def same_record(before: Any, after: Any) -> bool:
    """Equal records, every language of every text compared (a translated text equals its default's str)."""
    return after is not None and before.model_dump(mode="json") == after.model_dump(mode="json")


def write_files(imported: Imported, texts: dict[str, str], content_dir: Path) -> None:
    """Each new or replaced file written whole beside its place, then moved into it."""
    (content_dir / "hubs").mkdir(parents=True, exist_ok=True)
    for target in [*imported.written, *imported.replaced]:
        temporary = target.with_name(f".{target.name}.importing")
        temporary.write_text(texts[target.stem], encoding="utf-8", newline="\n")
        os.replace(temporary, target)
