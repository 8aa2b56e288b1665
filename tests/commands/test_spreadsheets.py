"""`export` and `import`: the hubs as a spreadsheet and back, for real: files written, imported
into content folders, checked and built."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, HUB_YAML, ROOT, TODAY, build_site, run_main, scratch_content, tree_hash, visible_text

from hubsite.commands import columns
from hubsite.commands.sheets import as_written, neutral
from hubsite.content.records import HubRecord, Session

UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SECOND_HUB = HUB_YAML.replace("Example Hub", "Second Hub").replace("tuesday", "thursday") + "partners: [example-library]\n"


def without_hubs(content: Path, into: Path) -> Path:
    shutil.copytree(content, into, ignore=shutil.ignore_patterns("hubs"))
    return into


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)


def test_export_then_import_builds_the_bundled_site_byte_for_byte(tmp_path: Path) -> None:
    sheet = tmp_path / "hubs.csv"
    assert run_main("export", str(sheet), "--content", str(ROOT / "content")).code == 0
    content = without_hubs(ROOT / "content", tmp_path / "content")
    imported = run_main("import", str(sheet), "--content", str(content), "--today", TODAY)
    assert imported.code == 0, imported.err
    assert len(list((content / "hubs").glob("*.yaml"))) == len(list((ROOT / "content/hubs").glob("*.yaml")))
    build_site(ROOT / "content", tmp_path / "before")
    build_site(content, tmp_path / "after")
    assert tree_hash(tmp_path / "before") == tree_hash(tmp_path / "after")


def test_xlsx_round_trip(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"hubs/second-hub.yaml": SECOND_HUB, "hubs/third-hub.yaml": HUB_YAML.replace("Example Hub", "=1+2").split("sessions:")[0]})
    sheet = tmp_path / "hubs.xlsx"
    assert run_main("export", str(sheet), "--content", str(content)).code == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(sheet).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "slug" and [row[0] for row in rows[1:]] == ["example-hub", "second-hub", "third-hub"]
    assert "'=1+2" in rows[3]  # a formula's start is neutralised in .xlsx too
    again = without_hubs(content, tmp_path / "again")
    result = run_main("import", str(sheet), "--content", str(again), "--today", TODAY)
    assert result.code == 0, result.err
    build_site(content, tmp_path / "before")
    build_site(again, tmp_path / "after")
    assert tree_hash(tmp_path / "before") == tree_hash(tmp_path / "after")


def test_one_row_per_session_and_a_row_for_a_hub_without_sessions(tmp_path: Path) -> None:
    two_sessions = HUB_YAML + "  - course: Financial Markets\n    starts: 2026-01-15\n    ends: 2026-03-19\n    day: thursday\n    time: 18:00-20:00\n"
    content = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": two_sessions, "hubs/no-sessions.yaml": HUB_YAML.split("sessions:")[0]})
    sheet = tmp_path / "hubs.csv"
    run_main("export", str(sheet), "--content", str(content))
    header, *rows = read_csv(sheet)
    slug, course, city = header.index("slug"), header.index("sessions.course.en"), header.index("address.city")
    assert [(row[slug], row[course], row[city]) for row in rows] == [
        ("example-hub", "Learning How to Learn", "Nairobi"), ("example-hub", "Financial Markets", "Nairobi"), ("no-sessions", "", "Nairobi")]
    assert "facilitators.1.name" in header and "facilitators.1.bio.en" in header and "facilitators.2.name" not in header
    assert rows[0][header.index("languages")] == "en, sw"


def test_columns_come_from_the_records() -> None:
    own, session_fields = columns.hub_fields()
    names = {".".join(field.path) for field in [*own, *session_fields]}
    assert {f"sessions.{name}" for name in Session.model_fields} <= names  # a new session field is a column by itself
    assert {name for name in HubRecord.model_fields if name != "sessions"} <= {name.split(".")[0] for name in names}


def problem_lines(err: str, where: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(where + ":")]


def test_errors_are_told_at_their_row_and_column_in_checks_words(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"hubs/second-hub.yaml": SECOND_HUB})
    sheet = tmp_path / "hubs.csv"
    run_main("export", str(sheet), "--content", str(content))
    header, *rows = read_csv(sheet)
    rows[0][header.index("address.country")] = "Kenya"
    rows[1][header.index("sessions.time")] = "25:00-26:00"
    rows.append(list(rows[1]))
    rows[2][header.index("slug")] = "Third Hub"
    write_csv(sheet, [header, *rows])
    empty = without_hubs(content, tmp_path / "empty")
    result = run_main("import", str(sheet), "--content", str(empty), "--today", TODAY)
    assert result.code == 1
    where = str(sheet)
    # The same mistakes in YAML files, as check tells them: the messages must be the same words.
    wrong = scratch_content(tmp_path / "wrong", {"hubs/example-hub.yaml": HUB_YAML.replace("country: KE", "country: Kenya"),
                                                  "hubs/second-hub.yaml": SECOND_HUB.replace("18:00-20:00", "25:00-26:00")})
    checked = run_main("check", "--content", str(wrong), "--today", TODAY)
    said = {line.split(": ", 2)[1].split(".")[0] + ":" + line.split(": ", 2)[2] for line in checked.lines if ".yaml:" in line}
    country, time = header.index("address.country") + 1, header.index("sessions.time") + 1
    assert problem_lines(result.err, where) == [
        f"{where}:2:{country}: address.country: {next(text.split(':', 1)[1] for text in said if text.startswith('address'))}",
        f"{where}:3:{time}: sessions.time: {next(text.split(':', 1)[1] for text in said if text.startswith('sessions[0]'))}",
        f"{where}:4:1: slug: file name 'Third Hub' is not a valid slug: use lowercase letters, digits and hyphens, e.g. 'third-hub.yaml'",
    ]
    assert result.lines[-1] == "3 errors in 1 file; nothing was written"
    assert not (empty / "hubs").exists()


def test_update_rules(tmp_path: Path) -> None:
    commented = "# kept: a maintainer's note\n" + HUB_YAML
    content = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": commented, "hubs/second-hub.yaml": SECOND_HUB})
    sheet = tmp_path / "hubs.csv"
    run_main("export", str(sheet), "--content", str(content))
    header, *rows = read_csv(sheet)
    write_csv(sheet, [header, rows[0]])  # the example hub alone: second-hub is not listed
    stamps = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in (content / "hubs").iterdir()}
    same = run_main("import", str(sheet), "--content", str(content), "--today", TODAY)
    assert same.code == 0 and same.out.endswith("0 new, 0 replaced, 1 unchanged hub files\n"), same.err
    assert {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in (content / "hubs").iterdir()} == stamps
    rows[0][header.index("summary.en")] = "New summary."
    write_csv(sheet, [header, rows[0]])
    refused = run_main("import", str(sheet), "--content", str(content), "--today", TODAY)
    assert refused.code == 1 and "holds other details: give --update to replace it" in refused.err
    assert (content / "hubs/example-hub.yaml").read_text(encoding="utf-8") == commented
    updated = run_main("import", str(sheet), "--content", str(content), "--today", TODAY, "--update")
    assert updated.code == 0 and "0 new, 1 replaced, 0 unchanged" in updated.out
    assert "summary: New summary.\n" in (content / "hubs/example-hub.yaml").read_text(encoding="utf-8")
    assert (content / "hubs/second-hub.yaml").read_bytes() == stamps["second-hub.yaml"][0]
    assert run_main("check", "--content", str(content), "--today", TODAY).code == 0


def test_semicolon_files_and_a_bom_read_alike(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    sheet = tmp_path / "hubs.csv"
    run_main("export", str(sheet), "--content", str(content))
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbfslug,")
    rows = read_csv(sheet)
    european = tmp_path / "european.csv"
    write_csv(european, rows, delimiter=";")
    again = without_hubs(content, tmp_path / "again")
    result = run_main("import", str(european), "--content", str(again), "--today", TODAY)
    assert result.code == 0 and "(semicolon)" in result.out
    assert (again / "hubs/example-hub.yaml").is_file()


def test_no_column_named_slug_is_said_clearly(tmp_path: Path) -> None:
    sheet = tmp_path / "hubs.csv"
    sheet.write_text("name|city\nA|B\n", encoding="utf-8")
    result = run_main("import", str(sheet), "--content", str(scratch_content(tmp_path / "content")))
    assert result.code == 1 and f"{sheet}:1:1: the first row must name the columns" in result.err


def test_huge_cells_and_files_are_refused_before_parsing(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    sheet = tmp_path / "hubs.csv"
    sheet.write_text("slug,name.en\nexample-hub," + "x" * 100_001 + "\n", encoding="utf-8")
    result = run_main("import", str(sheet), "--content", str(content))
    assert result.code == 1 and f"{sheet}:2:2: holds a cell of 100,001 characters" in result.err
    with sheet.open("wb") as out:
        out.truncate(101 * 1024 * 1024)  # sparse: nothing is written to disk
    result = run_main("import", str(sheet), "--content", str(content))
    assert result.code == 1 and "more than the 104,857,600 a spreadsheet of hubs may have" in result.err


def test_neutralising_formulas_is_undone_exactly() -> None:
    for text in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "'=1", "''+1", "'s-Hertogenbosch", "-1.2864", "+254 20", "plain", ""]:
        assert as_written(neutral(text)) == text
    assert neutral("=1") == "'=1" and neutral("-1.2864") == "-1.2864" and neutral("'s-Hertogenbosch") == "'s-Hertogenbosch"


def test_exported_formulas_are_neutralised(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": HUB_YAML.replace("name: Example Hub", 'name: "=HYPERLINK(\\"https://evil.example/\\")"')})
    sheet = tmp_path / "hubs.csv"
    run_main("export", str(sheet), "--content", str(content))
    header, row = read_csv(sheet)
    assert row[header.index("name.en")] == "'=HYPERLINK(\"https://evil.example/\")"
    assert row[header.index("location.lat")] == "-1.2864"  # a number is no formula
    assert all(not cell.startswith(tuple("=+-@\t\r")) or re.fullmatch(r"-?[0-9.]+", cell) for cell in row)


# --- the hostile corpus (tests/corpus/csv/) ---------------------------------------------------

CSV_CASES = sorted((CORPUS / "csv").glob("*.csv"))
_EXPECT = re.compile(r"#\s*expect:\s*(accept|reject)\s*(?:(\d+):(\d+)\s+)?(.*?)\s*$")


@pytest.mark.parametrize("case", CSV_CASES, ids=lambda path: path.name)
def test_corpus_spreadsheet(tmp_path: Path, case: Path) -> None:
    first, _, rest = case.read_bytes().partition(b"\n")
    match = _EXPECT.match(first.decode("utf-8"))
    assert match, case.name
    verdict, row, column, detail = match.groups()
    content = tmp_path / "content"
    shutil.copytree(CORPUS / "base", content)
    sheet = tmp_path / case.name
    sheet.write_bytes(rest)
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))
    result = run_main("import", str(sheet), "--content", str(content), "--today", TODAY)
    assert not UNPRINTABLE.search(result.out + result.err), ascii(result.err)
    if verdict == "reject":
        assert result.code == 1, result.out
        assert any(line.startswith(f"{sheet}:{row}:{column}:") and detail in line for line in result.lines), result.err
        assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*")) == before
        return
    assert result.code == 0, result.err
    site = tmp_path / "site"
    build_site(content, site)
    (page,) = (site / "hubs").glob("*/index.html")
    assert detail.removeprefix("shows=") in visible_text(page)
    again = tmp_path / "again.csv"
    assert run_main("export", str(again), "--content", str(content)).code == 0
    assert not [cell for cells in read_csv(again)[1:] for cell in cells if cell[:1] in ("=", "+", "@") or re.match(r"-[^0-9]", cell)]


def test_a_field_given_twice_in_the_header_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "hubs.csv"
    write_csv(sheet, [["slug", "name", "name.en", "slug"], ["example-hub", "A", "B", "x"]])
    result = run_main("import", str(sheet), "--content", str(scratch_content(tmp_path / "content", hub=False)), "--today", TODAY)
    assert result.code == 1
    assert f"{sheet}:1:3: name.en: and column 2, name, give the same field twice: keep one" in result.lines
    assert f"{sheet}:1:4: slug: is the name of column 1 too: name each column once" in result.lines


def test_a_formula_in_an_xlsx_cell_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["slug", "name.en", "host"])
    sheet.append(["example-hub", '=HYPERLINK("https://evil.example/","x")', "example-library"])
    path = tmp_path / "hubs.xlsx"
    book.save(path)
    content = scratch_content(tmp_path / "content", hub=False)
    result = run_main("import", str(path), "--content", str(content), "--today", TODAY)
    assert result.code == 1 and f"{path}:2:2: name.en: is a formula: type the value itself" in result.err
    assert not (content / "hubs").exists()
