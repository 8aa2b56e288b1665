"""The one Jinja environment, built in one place: autoescape on, StrictUndefined so a template
typo fails the build, rendered Markdown marked safe only in markup.render_markdown, and the
globals every template may use (`urls`, the labels of facilities and statuses).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from hubsite import urls
from hubsite.content.fields import FACILITIES
from hubsite.render.markup import render_markdown

FACILITY_LABELS = {
    "wifi": "Wi-Fi",
    "computers": "Computers available",
    "wheelchair-access": "Wheelchair access",
    "quiet-room": "Quiet room",
    "childcare": "Childcare",
    "printing": "Printing",
}
assert set(FACILITY_LABELS) == set(FACILITIES)

STATUS_LABELS = {"active": "Active", "upcoming": "Opening soon", "paused": "Paused", "closed": "Closed"}
PARTNER_KIND_LABELS = {"library": "Library", "embassy": "Embassy", "government": "Government", "university": "University",
                       "school": "School", "nonprofit": "Non-profit", "company": "Company"}


def make_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """`cache_dir`: where compiled templates are kept between builds (Jinja checks each against
    its source, so an edited template is compiled again)."""
    bytecode = None
    try:
        if cache_dir is not None:
            (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "templates"))
    except OSError:  # a read-only or full disk: compile the templates again, as without a cache
        bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = untranslated
    env.filters["markdown"] = render_markdown
    env.globals.update(facility_labels=FACILITY_LABELS, status_labels=STATUS_LABELS, partner_kinds=PARTNER_KIND_LABELS, urls=urls)
    return env


def untranslated(message: str, **variables: object) -> Markup:
    """`_()` without a catalogue: what the i18n extension's newstyle gettext does (the message
    is template text, the variables are escaped), minus its per-call context lookups, which
    were a tenth of a large build. Installing real translations replaces it."""
    text = Markup(message)  # noqa: S704 - a template's own literal, never content
    return text % variables if variables else text


def text(message: str, **variables: object) -> str:
    """`_()` for text made in Python (render/formats.py, render/sessions.py): plain, never markup;
    the template escapes it where it lands."""
    return message % variables if variables else message


@cache
def shared_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """One environment per templates folder, kept across builds in one process (`serve`): compiled
    templates are reused, and Jinja recompiles any whose file changed (auto_reload)."""
    return make_environment(templates_dir, cache_dir)
