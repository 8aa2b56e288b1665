"""Every setting of site.yaml is checked with the records, with its position, so `check` and
`build` refuse the same settings with the same line (they used to disagree: a bad tile provider
passed `check` and failed `build` at site.yaml:1:1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITE_YAML, TODAY, run_main, scratch_content

CASES = [
    ("map:\n  tiles: No.Such.Provider\n", "8:10: map.tiles: unknown tile provider 'No.Such.Provider': use an xyzservices name such as OpenStreetMap.Mapnik"),
    ("map:\n  tiles: CartoDB.Positron\n", "8:10: map.tiles: tile provider 'CartoDB.Positron' needs an API key"),
    ("map:\n  tiles: https://tiles.example.org/{z}/{x}/{y}.png\n", "8:10: map.tiles: a tile URL template needs map.attribution (who the tiles come from)"),
    ("map:\n  tiles: ftp://tiles.example.org/{z}/{x}/{y}.png\n  attribution: Example\n", "8:10: map.tiles: 'ftp://tiles.example.org/{z}/{x}/{y}.png' is not an http(s) URL template"),
    ("map:\n  center: [100, 0]\n", "8:12: map.center[0]: 100 must be at most 90"),
    ("map:\n  center: [0, 200]\n", "8:15: map.center[1]: 200 must be at most 180"),
    ("map:\n  zoom: 25\n", "8:9: map.zoom: 25 must be at most 19"),
    ("map:\n  zom: 3\n", "8:3: map.zom: unknown key 'zom'; did you mean 'zoom'?"),
    ("geocoding:\n  provider: google\n", "8:13: geocoding.provider: 'google' is not one of: nominatim"),
    ("geocoding:\n  min_delay_seconds: 0.2\n", "8:22: geocoding.min_delay_seconds: Nominatim's usage policy allows at most 1 request per second on the public server; set 1 or more"),
    ("geocoding:\n  delay_seconds: 2\n", "8:3: geocoding.delay_seconds: unknown key 'delay_seconds'; did you mean"),
    ("geocoding:\n  scheme: ftp\n", "8:11: geocoding.scheme: 'ftp' is not one of: https, http"),
    ("stale_after_days: 0\n", "7:19: stale_after_days: 0 must be at least 1"),
]
BASE_URLS = [
    ("ftp://example.org/hubs/", "3:11: base_url: 'ftp://example.org/hubs/' is not a web link: write an address starting with https://"),
    ("mailto:hubs@example.org", "3:11: base_url: base_url must be an http(s) URL"),
]


def refused_alike(tmp_path: Path, site_yaml: str, expected: str) -> None:
    content = scratch_content(tmp_path / "content", {"site.yaml": site_yaml})
    where = f"{content}/site.yaml:"
    lines = {}
    for command in ("check", "build"):
        extra = ("--out", str(tmp_path / "site")) if command == "build" else ()
        result = run_main(command, "--content", str(content), "--today", TODAY, *extra)
        assert result.code == 1, (command, result.err)
        lines[command] = [line.removeprefix(where) for line in result.lines if line.startswith(where)]
    assert lines["check"] == lines["build"]
    assert any(line.startswith(expected) for line in lines["check"]), (expected, lines["check"])
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("extra, expected", CASES, ids=[expected.split(": ")[1] + " " + expected.split(": ")[2][:24] for _, expected in CASES])
def test_bad_setting_is_refused_by_check_and_build_alike(tmp_path: Path, extra: str, expected: str) -> None:
    refused_alike(tmp_path, SITE_YAML + extra, expected)


@pytest.mark.parametrize("base_url, expected", BASE_URLS)
def test_bad_base_url_is_refused_by_check_and_build_alike(tmp_path: Path, base_url: str, expected: str) -> None:
    refused_alike(tmp_path, SITE_YAML.replace("base_url: https://example.org/hubs/", f"base_url: {base_url}"), expected)


def test_a_local_geocoder_may_be_asked_faster(tmp_path: Path) -> None:
    """The one-request-a-second rule is the public server's, not every Nominatim's."""
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML + "geocoding:\n  domain: nominatim.example.org\n  min_delay_seconds: 0\n"})
    assert run_main("check", "--content", str(content), "--today", TODAY).code == 0
