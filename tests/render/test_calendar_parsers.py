"""The bundled site's calendars read the same in the three parsers people's calendars use.

Python's icalendar (with recurring-ical-events), libical (Evolution; tests/tools/
libical_occurrences.c, compiled here) and Mozilla's ical.js (Thunderbird, Nextcloud;
tests/tools/icaljs_occurrences.cjs under node) each list every meeting of every calendar as
(UID, UTC start); the lists must be equal, and equal to the meetings as zoneinfo places them.
Every TZID is renamed first, so no parser can fall back on a zone database of its own: each
must read the VTIMEZONEs we wrote. Without a parser this skips locally and fails under CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from chromium import require_tool
from conftest import ROOT, TODAY, run_main

TOOLS = Path(__file__).resolve().parent.parent / "tools"
NODE_MODULES = ROOT / ".tools" / "node_modules"
# Every session of the bundled site meets inside this window (the tools are asked for it too).
WINDOW = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
# {calendar file name: sorted "UID<TAB>UTC start" lines}
Readings = dict[str, list[str]]


@dataclass(frozen=True)
class Calendars:
    site: Path  # the built site
    renamed: Path  # the same files, every TZID renamed
    names: list[str]  # the files read, relative to either folder


@pytest.fixture(scope="module")
def calendars(tmp_path_factory: pytest.TempPathFactory) -> Calendars:
    """The bundled site's calendar.ics in every language and each hub's in English, as built
    and with every TZID renamed."""
    root = tmp_path_factory.mktemp("parsers")
    result = run_main("build", "--content", str(ROOT / "content"), "--out", str(root / "site"), "--today", TODAY)
    assert result.code == 0, result.err
    site, renamed = root / "site", root / "renamed"
    chosen = sorted(site.glob("*/calendar.ics")) + sorted(site.glob("en/hubs/*/calendar.ics"))
    assert len(chosen) > 9, "the bundled site has nine languages and hubs with sessions"
    for path in chosen:
        target = renamed / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(rename_zones(path.read_bytes()))
    return Calendars(site, renamed, [path.relative_to(site).as_posix() for path in chosen])


def rename_zones(ics: bytes) -> bytes:
    """Every TZID made one no zone database knows ('Europe/Prague' -> 'Hubsite-Parsers-Europe-Prague')."""
    for zone in set(re.findall(rb"^TZID:(.+)\r$", ics, flags=re.MULTILINE)):
        alias = b"Hubsite-Parsers-" + zone.replace(b"/", b"-")
        ics = ics.replace(b"TZID:" + zone + b"\r\n", b"TZID:" + alias + b"\r\n").replace(b"TZID=" + zone + b":", b"TZID=" + alias + b":")
    assert b"TZID=" not in ics.replace(b"TZID=Hubsite-Parsers-", b""), "every TZID parameter was renamed"
    return ics


def stamp(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def read_with_icalendar(folder: Path, names: list[str]) -> Readings:
    readings: Readings = {}
    for name in names:
        calendar = icalendar.Calendar.from_ical((folder / name).read_bytes())
        events = recurring_ical_events.of(calendar).between(*WINDOW)
        readings[name] = sorted(f"{e['UID']}\t{stamp(e['DTSTART'].dt)}" for e in events)
    return readings


def read_with_tool(command: list[str], folder: Path, names: list[str], env: dict[str, str] | None = None) -> Readings:
    """Run a tool that prints 'FILE<TAB>UID<TAB>START' lines for the window; its lines by file."""
    files = {str(folder / name): name for name in names}
    run = subprocess.run([*command, *map(stamp, WINDOW), *files], capture_output=True, text=True, timeout=600, env=env, check=False)
    assert run.returncode == 0, run.stderr
    readings: Readings = {name: [] for name in names}
    for line in run.stdout.splitlines():
        file, uid, start = line.split("\t")
        readings[files[file]].append(f"{uid}\t{start}")
    return {name: sorted(lines) for name, lines in readings.items()}


def libical_reader(tmp_path: Path) -> list[str]:
    """tests/tools/libical_occurrences.c compiled against the installed libical."""
    has_libical = all(shutil.which(tool) for tool in ("cc", "pkg-config")) and subprocess.run(
        ["pkg-config", "--exists", "libical"], check=False).returncode == 0
    require_tool(has_libical, "libical (Debian's libical-dev, with cc and pkg-config)")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libical"], capture_output=True, text=True, check=True).stdout.split()
    program = tmp_path / "libical_occurrences"
    subprocess.run(["cc", str(TOOLS / "libical_occurrences.c"), "-o", str(program), *flags], check=True)
    return [str(program)]


def icaljs_reader() -> tuple[list[str], dict[str, str]]:
    """tests/tools/icaljs_occurrences.cjs under node, with ical.js from .tools."""
    require_tool(shutil.which("node") is not None and (NODE_MODULES / "ical.js" / "package.json").is_file(),
                 f"node and ical.js ({NODE_MODULES / 'ical.js'})")
    return ["node", str(TOOLS / "icaljs_occurrences.cjs")], {**os.environ, "NODE_PATH": str(NODE_MODULES)}


def differences(expected: Readings, found: Readings) -> list[str]:
    """'file: uid start' for each meeting one reading has and the other lacks."""
    lines = []
    for name in sorted(expected):
        want, got = set(expected[name]), set(found[name])
        lines += [f"{name}: missing {m}" for m in sorted(want - got)] + [f"{name}: extra {m}" for m in sorted(got - want)]
    return lines


def test_icalendar_libical_and_icaljs_read_every_meeting_at_the_same_instant(calendars: Calendars, tmp_path: Path) -> None:
    truth = read_with_icalendar(calendars.site, calendars.names)  # TZIDs by name: icalendar places them with zoneinfo
    assert sum(map(len, truth.values())) > 1000, "the bundled site has many meetings"
    js_command, js_env = icaljs_reader()
    readings = {
        "icalendar": read_with_icalendar(calendars.renamed, calendars.names),
        "libical": read_with_tool(libical_reader(tmp_path), calendars.renamed, calendars.names),
        "ical.js": read_with_tool(js_command, calendars.renamed, calendars.names, js_env),
    }
    for parser, found in readings.items():
        wrong = differences(truth, found)
        assert not wrong, f"{parser} reads {len(wrong)} meetings differently from zoneinfo:\n" + "\n".join(wrong[:20])
