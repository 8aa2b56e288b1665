"""Starter records: a hub or partner file with every field listed, commented, and the required
values empty, so `check` lists exactly what is still missing, with line numbers, and passes once
those are filled. Its first line points editors at the JSON Schema (hubsite/schemas/) for
validation and completion. Written by `python build.py new`, shown on the /host/apply/ page.
"""

from __future__ import annotations

import os
from pathlib import Path

from hubsite.content.dates import WEEKDAYS
from hubsite.content.fields import FACILITIES, PARTNER_KINDS, STATUSES
from hubsite.content.schema import SCHEMA_DIR, file_name

FOLDERS = {"hub": "hubs", "partner": "partners"}
PARTNER_LINE = 90  # the hub starter lists every partner id under `host:`, in comment lines this wide


def schema_ref(kind: str, folder: Path) -> str:
    """The schema's path as seen from a record in `folder`: what the modeline says."""
    try:
        return Path(os.path.relpath(SCHEMA_DIR / file_name(kind), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return (SCHEMA_DIR / file_name(kind)).as_uri()


# The form's records live in the standard layout: content/hubs/ and content/partners/.
STANDARD_REFS = {kind: f"../../hubsite/schemas/{file_name(kind)}" for kind in FOLDERS}


def lines(rows: list[tuple[str, str]]) -> str:
    """Align `value  # comment` rows into YAML text."""
    width = max(len(value) for value, comment in rows if comment) + 2
    return "".join(f"{value.ljust(width)}# {comment}\n" if comment else f"{value}\n" for value, comment in rows)


def listed(ids: list[str]) -> list[str]:
    """Every id, comma-separated, in lines of at most PARTNER_LINE characters: the host of a new hub
    is often the partner with the most hubs, wherever it sorts."""
    rows: list[str] = []
    for name in ids:
        if rows and len(rows[-1]) + len(name) + 2 <= PARTNER_LINE:
            rows[-1] += f", {name}"
        else:
            rows.append(name)
    return [f"{row}," for row in rows[:-1]] + rows[-1:]


def starter_hub(ref: str, partner_ids: list[str]) -> str:
    """A commented hub record with every required value empty."""
    hosts = "one of the partners listed below" if partner_ids else "add content/partners/ID.yaml first (python build.py new partner ID)"
    return f"# yaml-language-server: $schema={ref}\n" + lines([
        ("# A learning hub. Fill in every value marked required, delete optional lines you do not need,", ""),
        ("# then run `python build.py check`: it lists what is still missing, with line numbers.", ""),
        ("name:", "required: the venue's name, as learners know it"),
        ("status: upcoming", " | ".join(STATUSES)),
        ("host:", f"required: the id of the partner that runs it, {hosts}"),
        *((f"#   {line}", "") for line in listed(partner_ids)),
        ("partners: []", "ids of other partners that support it, like [coursera]"),
        ("address:", ""),
        ("  line1:", "building, street and number"),
        ("  area:", "neighbourhood, borough or district, like Bronx: students search by it"),
        ("  city:", "required"),
        ("  region:", "state, province or region"),
        ("  postal_code:", ""),
        ("  country:", "required: ISO 3166-1 alpha-2 code, like KE, NO, VN"),
        ("location:", "required, unless `python build.py geocode` finds the address"),
        ("  lat:", "decimal degrees, -90 to 90 (right-click the place on openstreetmap.org)"),
        ("  lon:", "decimal degrees, -180 to 180"),
        ("timezone:", "IANA name like Africa/Nairobi; leave empty to derive it from the location"),
        ("languages: []", "BCP 47 tags of the languages spoken, like [en, sw]"),
        ("facilities: []", "any of: " + ", ".join(FACILITIES)),
        ("contact:", ""),
        ("  email:", ""),
        ("  phone:", "digits, spaces and + ( ) . - /"),
        ("  url:", "a web page about the hub"),
        ("signup_url:", "where learners sign up (http(s) or mailto:)"),
        ("summary:", "one line, shown on hub cards"),
        ("last_verified:", "when the host last confirmed these details, YYYY-MM-DD"),
        ("description:", "Markdown; for several lines write `description: |` and indent them below"),
        ("facilitators: []", "like: [{name: Amina Otieno, bio: Teacher.}]"),
        ("sessions:", "the courses that meet here; delete the block if none is planned yet"),
        ("  - course:", "required: the course's name"),
        ("    course_url:", ""),
        ("    starts:", "required: the first date, YYYY-MM-DD"),
        ("    ends:", "required: the last date, on or after starts"),
        ("    day:", "required: " + ", ".join(WEEKDAYS) + " (or days: [tuesday, thursday])"),
        ("    time:", "required: local time at the hub, like 18:00-20:00"),
        ("    frequency: weekly", "or biweekly"),
        ("    language:", "like en"),
        ("    capacity:", "how many learners can join"),
    ])


def starter_partner(ref: str) -> str:
    """A commented partner record with every required value empty."""
    return f"# yaml-language-server: $schema={ref}\n" + lines([
        ("# A partner organisation. Hubs name it in host: or partners: by this file's name.", ""),
        ("# Fill in every value marked required, then run `python build.py check`.", ""),
        ("name:", "required: the organisation's name"),
        ("kind:", "required: one of " + ", ".join(PARTNER_KINDS)),
        ("website:", "https://..."),
        ("logo:", "a file under content/, like logos/ID.svg (svg, png, jpg, webp); needs logo_alt"),
        ("logo_alt:", "what the logo shows, for screen readers"),
        ("description:", "Markdown; for several lines write `description: |` and indent them below"),
    ])
