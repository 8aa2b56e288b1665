"""What a visitor needs to suggest a correction to a hub: its record as the application form opens
it (`/hubs/SLUG/record.js`, read by templates/static/js/apply-form.js when the form is opened on
`host/apply/?hub=SLUG`), and the address of GitHub's edit page for the hub's file.

The record is a classic script, not a JSON file: a page opened from disk (file://) may load a
script beside it but not fetch a file. It holds the values the hub's file sets, as plain JSON
(dates as ISO text, times as the file writes them, a text in several languages as a mapping by
language), in the records' field order, so that the form writes back the file's own values and
the visitor's changes, and nothing else.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from pydantic import BaseModel

from hubsite import urls
from hubsite.content.fields import TimeRange
from hubsite.directory.catalog import HubView
from hubsite.render.outputs import Output

_GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/([A-Za-z0-9_.-]+?)(?:\.git)?/?")
# The branch the "propose on GitHub" links open: the one the new-file link (apply_form.py) opens too.
BRANCH = "main"


def github_parts(repository: str | None) -> tuple[str, str] | None:
    """'https://github.com/OWNER/REPO' -> (OWNER, REPO); None for other hosts."""
    match = _GITHUB.fullmatch(repository or "")
    return (match[1], match[2]) if match else None


def github_edit_base(repository: str | None) -> str | None:
    """GitHub's edit page of the repository's files, to which the form adds content/hubs/SLUG.yaml
    (a slug it has checked is one of the site's): built from the parsed owner and name."""
    parts = github_parts(repository)
    return f"https://github.com/{parts[0]}/{parts[1]}/edit/{BRANCH}/" if parts else None


def plain_values(value: Any) -> Any:
    """A record's value as plain JSON, as its file sets it: the fields set, in the record's order."""
    if isinstance(value, BaseModel):
        return {name: plain_values(getattr(value, name)) for name in type(value).model_fields if name in value.model_fields_set}
    if isinstance(value, TimeRange):  # a tuple: before lists
        return str(value)
    if isinstance(value, list | tuple):
        return [plain_values(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    texts = getattr(value, "texts", None)
    if texts is not None:
        return dict(texts)
    return str(value) if isinstance(value, str) else value


def record_script(hub: HubView) -> Output:
    """/hubs/SLUG/record.js: the hub's record for the form, its slug beside it (escaped by tojson's
    rule, so nothing in a text can end the script or the statement)."""
    data = htmlsafe_json_dumps({"slug": hub.slug, "record": plain_values(hub.record)}, dumps=json.dumps, ensure_ascii=True)
    line = f"(window.hubsiteRecords = window.hubsiteRecords || []).push({data});\n"
    return Output(urls.hub_record(hub.slug), line.encode("ascii"))
