"""Starter records: a hub or partner file with every field listed, commented with the field's
own description (descriptions.py), and the required values empty, so `check` lists exactly what
is still missing, with line numbers, and passes once those are filled. Its first line points
editors at the JSON Schema (hubsite/schemas/) for validation and completion. Written by `python build.py new`, shown on the /host/apply/ page.
"""

from __future__ import annotations

import os
from pathlib import Path

from hubsite.content.descriptions import field_at, starter_comment
from hubsite.content.records import HubRecord, PartnerRecord, Record
from hubsite.content.schema import SCHEMA_DIR, file_name

FOLDERS = {"hub": "hubs", "partner": "partners"}
PARTNER_LINE = 90  # the hub starter lists every partner id under `host:`, in comment lines this wide
# Fields a rule between fields requires, so the model alone does not: a session's day (or days).
REQUIRED_BY_RULE = frozenset({"sessions.day"})


def schema_ref(kind: str, folder: Path) -> str:
    """The schema's path as seen from a record in `folder`: what the modeline says."""
    try:
        return Path(os.path.relpath(SCHEMA_DIR / file_name(kind), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return (SCHEMA_DIR / file_name(kind)).as_uri()


# The form's records live in the standard layout: content/hubs/ and content/partners/.
STANDARD_REFS = {kind: f"../../hubsite/schemas/{file_name(kind)}" for kind in FOLDERS}


def comment(model: type[Record], path: str | None) -> str:
    """The comment on a starter's line: the field's own description, "required: " first when the
    record (or the list entry it is in) needs it; none for a line without a field."""
    if path is None:
        return ""
    field = field_at(model, path)
    return starter_comment(field.description or "", field.is_required() or path in REQUIRED_BY_RULE)


def lines(model: type[Record], rows: list[tuple[str, str | None]]) -> str:
    """`value  # comment` rows, aligned, as YAML text: each row's comment describes the field its path names."""
    texts = [(value, comment(model, path)) for value, path in rows]
    width = max(len(value) for value, text in texts if text) + 2
    return "".join(f"{value.ljust(width)}# {text}\n" if text else f"{value}\n" for value, text in texts)


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


def partner_lines(partner_ids: list[str]) -> list[tuple[str, None]]:
    """The comment lines under `host:` that list every partner id, or say to add one first."""
    if not partner_ids:
        return [("#   no partner yet: add one first with `python build.py new partner ID`", None)]
    return [(f"#   {line}", None) for line in listed(partner_ids)]


def starter_hub(ref: str, partner_ids: list[str]) -> str:
    """A commented hub record with every required value empty."""
    return f"# yaml-language-server: $schema={ref}\n" + lines(HubRecord, [
        ("# A learning hub. Fill in every value marked required, delete optional lines you do not need,", None),
        ("# then run `python build.py check`: it lists what is still missing, with line numbers.", None),
        ("name:", "name"),
        ("status: upcoming", "status"),
        ("host:", "host"),
        *partner_lines(partner_ids),
        ("partners: []", "partners"),
        ("address:", None),
        ("  line1:", "address.line1"),
        ("  area:", "address.area"),
        ("  city:", "address.city"),
        ("  region:", "address.region"),
        ("  postal_code:", "address.postal_code"),
        ("  country:", "address.country"),
        ("location:", "location"),
        ("  lat:", "location.lat"),
        ("  lon:", "location.lon"),
        ("timezone:", "timezone"),
        ("languages: []", "languages"),
        ("facilities: []", "facilities"),
        ("contact:", None),
        ("  email:", "contact.email"),
        ("  phone:", "contact.phone"),
        ("  url:", "contact.url"),
        ("signup_url:", "signup_url"),
        ("summary:", "summary"),
        ("last_verified:", "last_verified"),
        ("description:", "description"),
        ("facilitators: []", "facilitators"),
        ("sessions:", "sessions"),
        ("  - course:", "sessions.course"),
        ("    course_url:", "sessions.course_url"),
        ("    starts:", "sessions.starts"),
        ("    ends:", "sessions.ends"),
        ("    day:", "sessions.day"),
        ("    time:", "sessions.time"),
        ("    frequency: weekly", "sessions.frequency"),
        ("    language:", "sessions.language"),
        ("    capacity:", "sessions.capacity"),
        ("    mode: in-person", "sessions.mode"),
        ("    online_url:", "sessions.online_url"),
        ("    signup: open", "sessions.signup"),
        ("    signup_opens:", "sessions.signup_opens"),
        ("    signup_closes:", "sessions.signup_closes"),
        ("    join_until:", "sessions.join_until"),
    ])


def starter_partner(ref: str) -> str:
    """A commented partner record with every required value empty."""
    return f"# yaml-language-server: $schema={ref}\n" + lines(PartnerRecord, [
        ("# A partner organisation. Hubs name it in host: or partners: by this file's name.", None),
        ("# Fill in every value marked required, then run `python build.py check`.", None),
        ("name:", "name"),
        ("kind:", "kind"),
        ("website:", "website"),
        ("logo:", "logo"),
        ("logo_alt:", "logo_alt"),
        ("description:", "description"),
    ])
