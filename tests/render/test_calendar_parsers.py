"""Calendars read the same in the three parsers people's calendars use: the bundled site's, and
a scratch site's in zones with unusual rules.

Python's icalendar (with recurring-ical-events), libical (Evolution; tests/tools/
libical_occurrences.c, compiled here) and Mozilla's ical.js (Thunderbird, Nextcloud;
tests/tools/icaljs_occurrences.cjs under node) each list every meeting of every calendar as
(UID, UTC start); the lists must be equal, and equal to the meetings as zoneinfo places them.
Every TZID is renamed first, so no parser can fall back on a zone database of its own: each
must read the VTIMEZONEs we wrote. Without a parser this skips locally and fails under CI=true.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import recurring_ical_events
from chromium import require_tool
from conftest import ROOT, TODAY, run_main
from sites import build, scheduled_hub, session_yaml

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


def with_zones_renamed(site: Path, chosen: list[Path]) -> Calendars:
    """The chosen calendars, and a copy of each beside the site with every TZID renamed."""
    renamed = site.parent / "renamed"
    for path in chosen:
        target = renamed / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(rename_zones(path.read_bytes()))
    return Calendars(site, renamed, [path.relative_to(site).as_posix() for path in chosen])


def rename_zones(ics: bytes) -> bytes:
    """Every TZID made one no zone database knows: 'Europe/Prague' -> 'Hubsite-Parsers-Europe-Prague-'
    and a digest of its VTIMEZONE (icalendar keeps a zone it has read by TZID, process-wide)."""
    for zone, definition in set(re.findall(rb"^BEGIN:VTIMEZONE\r\nTZID:(.+?)\r\n(.*?)^END:VTIMEZONE\r$", ics, flags=re.MULTILINE | re.DOTALL)):
        alias = b"Hubsite-Parsers-" + zone.replace(b"/", b"-") + b"-" + hashlib.sha256(definition).hexdigest()[:12].encode()
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


def assert_parsers_agree(calendars: Calendars, tmp_path: Path) -> int:
    """Every parser lists the meetings zoneinfo places; returns how many meetings that is."""
    truth = read_with_icalendar(calendars.site, calendars.names)  # TZIDs by name: icalendar places them with zoneinfo
    js_command, js_env = icaljs_reader()
    readings = {
        "icalendar": read_with_icalendar(calendars.renamed, calendars.names),
        "libical": read_with_tool(libical_reader(tmp_path), calendars.renamed, calendars.names),
        "ical.js": read_with_tool(js_command, calendars.renamed, calendars.names, js_env),
    }
    for parser, found in readings.items():
        wrong = differences(truth, found)
        assert not wrong, f"{parser} reads {len(wrong)} meetings differently from zoneinfo:\n" + "\n".join(wrong[:20])
    return sum(map(len, truth.values()))


def test_the_bundled_site_reads_the_same_in_icalendar_libical_and_icaljs(tmp_path: Path) -> None:
    """Each language's calendar.ics and each hub's in English (the other languages' hub files
    differ only in words)."""
    site = tmp_path / "site"
    result = run_main("build", "--content", str(ROOT / "content"), "--out", str(site), "--today", TODAY)
    assert result.code == 0, result.err
    chosen = sorted(site.glob("*/calendar.ics")) + sorted(site.glob("en/hubs/*/calendar.ics"))
    assert len(chosen) > 9, "the bundled site has nine languages and hubs with sessions"
    assert assert_parsers_agree(with_zones_renamed(site, chosen), tmp_path) > 1000


# Zones whose rules are unusual, with a place in each: changes at midnight, on Saturdays, in
# half hours, around Ramadan (a new date each year), with negative daylight saving (Dublin and
# Casablanca), at +12:45, or none since 2022 (Tehran).
HARD_ZONES = [
    ("casablanca", "MA", "Africa/Casablanca", 33.5731, -7.5898),
    ("cairo", "EG", "Africa/Cairo", 30.0444, 31.2357),
    ("gaza", "PS", "Asia/Gaza", 31.5017, 34.4668),
    ("lord-howe", "AU", "Australia/Lord_Howe", -31.5553, 159.0821),
    ("chatham", "NZ", "Pacific/Chatham", -43.9535, -176.5597),
    ("dublin", "IE", "Europe/Dublin", 53.3498, -6.2603),
    ("santiago", "CL", "America/Santiago", -33.4489, -70.6693),
    ("havana", "CU", "America/Havana", 23.1136, -82.3666),
    ("tehran", "IR", "Asia/Tehran", 35.6892, 51.3890),
]


def test_zones_with_unusual_rules_read_the_same_over_four_years(tmp_path: Path) -> None:
    """Meetings every day of the week for four years, so every rule's changes fall among them."""
    every_day = "days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]"
    hubs = {
        slug: scheduled_hub(session_yaml(starts="2025-01-01", ends="2028-12-31", when=every_day),
                            place={"city": slug.title(), "country": country, "zone": zone, "lat": lat, "lon": lon})
        for slug, country, zone, lat, lon in HARD_ZONES
    }
    site = build(tmp_path, hubs)
    chosen = [site / f"hubs/{slug}/calendar.ics" for slug in hubs]  # the site's calendar.ics: the bundled site's test
    assert assert_parsers_agree(with_zones_renamed(site, chosen), tmp_path) == len(HARD_ZONES) * 1461
