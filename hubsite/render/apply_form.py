"""What the /host/apply/ page needs: the choices its form offers, the limits the schema sets, the
starter record, and the JSON that templates/static/js/apply.js reads to write records in the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pycountry

from hubsite.content.dates import WEEKDAYS
from hubsite.content.fields import PARTNER_KINDS, STATUSES
from hubsite.content.records import Page
from hubsite.content.schema import max_lengths, record_schema
from hubsite.content.starters import FOLDERS, STANDARD_REFS, starter_hub
from hubsite.directory.catalog import Catalog

_GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/([A-Za-z0-9_.-]+?)(?:\.git)?/?")


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
