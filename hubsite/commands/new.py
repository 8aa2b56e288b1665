"""Starting a new record: `python build.py new hub SLUG` / `new partner ID`, and the data the
/host/apply/ form needs to write the same records in the browser.

A starter record leaves every required value empty, so `check` lists exactly what is still
missing, with line numbers, and passes once those are filled. Its first line points editors at
the JSON Schema (hubsite/schemas/) for validation and completion.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from hubsite.content.dates import WEEKDAYS
from hubsite.content.fields import FACILITIES, PARTNER_KINDS, STATUSES
from hubsite.content.records import Page
from hubsite.content.schema import SCHEMA_DIR, file_name, max_lengths, record_schema
from hubsite.content.slugs import is_slug, suggest_slug
from hubsite.directory.catalog import Catalog
from hubsite.options import display_path

FOLDERS = {"hub": "hubs", "partner": "partners"}
LISTED_PARTNERS = 12  # the hub starter names this many partner ids in its `host:` comment
_GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/([A-Za-z0-9_.-]+?)(?:\.git)?/?")


class ScaffoldError(Exception):
    """A refusal with the exit code the CLI returns: 2 for what was typed, 1 for what is on disk."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


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


def starter_hub(ref: str, partner_ids: list[str]) -> str:
    """A commented hub record with every required value empty."""
    shown = ", ".join(partner_ids[:LISTED_PARTNERS]) + (", ..." if len(partner_ids) > LISTED_PARTNERS else "")
    hosts = f"one of: {shown}" if partner_ids else "add content/partners/ID.yaml first (python build.py new partner ID)"
    return f"# yaml-language-server: $schema={ref}\n" + lines([
        ("# A learning hub. Fill in every value marked required, delete optional lines you do not need,", ""),
        ("# then run `python build.py check`: it lists what is still missing, with line numbers.", ""),
        ("name:", "required: the venue's name, as learners know it"),
        ("status: upcoming", " | ".join(STATUSES)),
        ("host:", f"required: the id of the partner that runs it, {hosts}"),
        ("partners: []", "ids of other partners that support it, like [coursera]"),
        ("address:", ""),
        ("  line1:", "building, street and number"),
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


def check_id(kind: str, slug: str) -> None:
    if is_slug(slug):
        return
    suggestion = suggest_slug(slug.lower().removesuffix(".yaml"), f"my-{kind}")
    raise ScaffoldError(f"'{slug}' is not a valid {kind} id: use lowercase letters, digits and single hyphens, e.g. '{suggestion}'", 2)


def create(kind: str, slug: str, content_dir: Path) -> Path:
    """Write content/<kind>s/<slug>.yaml from the starter; refuse bad ids and existing files."""
    check_id(kind, slug)
    if not (content_dir / "site.yaml").is_file():
        raise ScaffoldError(f"no site.yaml in '{display_path(content_dir)}': run this in the project folder, or pass --content DIR", 2)
    folder = content_dir / FOLDERS[kind]
    path = folder / f"{slug}.yaml"
    partners = sorted(p.stem for p in (content_dir / "partners").glob("*.yaml")) if kind == "hub" else []
    text = starter_hub(schema_ref(kind, folder), partners) if kind == "hub" else starter_partner(schema_ref(kind, folder))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"'{display_path(path)}' already exists: edit it, or choose another id", 1) from None
    return path


# --- the /host/apply/ form ------------------------------------------------------------------------


def github_new_file(repository: str | None) -> str | None:
    """'https://github.com/OWNER/REPO' -> GitHub's "new file" page on main; None for other hosts."""
    match = _GITHUB.fullmatch(repository or "")
    return f"https://github.com/{match[1]}/{match[2]}/new/main" if match else None


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every ISO 3166-1 country, sorted by name."""
    named = ((c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries)
    return sorted(named, key=lambda item: item[1].casefold())


@dataclass(frozen=True)
class ApplyForm:
    """What templates/apply.html renders, and `data`, the JSON that apply.js reads."""

    partners: list[tuple[str, str]]
    countries: list[tuple[str, str]]
    languages: list[str]
    limits: dict[str, int]
    starter: str
    host_page: Page | None  # for the breadcrumb back to the host guide
    data: dict[str, Any]
    kinds: tuple[str, ...] = PARTNER_KINDS
    statuses: tuple[str, ...] = STATUSES
    weekdays: tuple[str, ...] = WEEKDAYS


def apply_form(catalog: Catalog) -> ApplyForm:
    hub_schema = record_schema("hub")
    partners = sorted(((p.id, p.record.name) for p in catalog.partners), key=lambda item: (item[1].casefold(), item[0]))
    languages = sorted({code for hub in catalog.hubs for code in hub.record.languages} | {"en"})
    data = {
        "schemas": {"hub": hub_schema, "partner": record_schema("partner")},
        "refs": STANDARD_REFS,
        "folders": {kind: f"content/{folder}/" for kind, folder in FOLDERS.items()},
        "hubs": [hub.slug for hub in catalog.hubs],
        "partners": [partner.id for partner in catalog.partners],
        "contactEmail": catalog.site.contact_email,
        "githubNew": github_new_file(catalog.site.repository),
    }
    host_page = next((page for page in catalog.pages if page.slug == "host"), None)
    starter = starter_hub(STANDARD_REFS["hub"], [p.id for p in catalog.partners])
    return ApplyForm(partners, country_choices(), languages, max_lengths(hub_schema), starter, host_page, data)
