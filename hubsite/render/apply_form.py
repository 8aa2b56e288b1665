"""What the /host/apply/ page needs: the choices its form offers in the page's language (countries,
languages and weekdays by name, the courses hubs already run), the limits the schema sets, the
starter record, and the JSON that the application's scripts (templates/static/js/apply-*.js) read to write records in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from hubsite.content.dates import WEEKDAYS
from hubsite.content.fields import FACILITIES
from hubsite.content.records import MODES, SIGNUPS, Page
from hubsite.content.schema import max_lengths, record_schema
from hubsite.content.slugs import transliteration
from hubsite.content.starters import FOLDERS, STANDARD_REFS, starter_hub
from hubsite.directory.catalog import Catalog
from hubsite.incremental.dependencies import record_dependency
from hubsite.render.corrections import BRANCH, github_edit_base, github_parts
from hubsite.render.formats import Formats, language_name, native_name

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def github_new_file(repository: str | None) -> str | None:
    """'https://github.com/OWNER/REPO' -> GitHub's "new file" page on main; None for other hosts."""
    parts = github_parts(repository)
    return f"https://github.com/{parts[0]}/{parts[1]}/new/{BRANCH}" if parts else None


def country_choices(formats: Formats) -> list[tuple[str, str]]:
    """(code, name in the page's language) of every ISO 3166-1 country, sorted by that name."""
    named = ((c.alpha_2, formats.country(c.alpha_2)) for c in pycountry.countries)
    return sorted(named, key=lambda item: (item[1].casefold(), item[0]))


def language_choices(formats: Formats, common: list[str], preferred: dict[str, str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The languages to choose from by name: (code, name) of every language CLDR names in the page's
    language, sorted by name; and the names apply-form.js knows, lower-cased -> code (the page language's
    names, English ones, the codes themselves, and the common languages' names in themselves), so
    "swahili", "Kiswahili" and "sw" all mean sw. One entry per language: a short code that
    `preferred` maps (zh -> zh-Hans) means its longer tag, by every name of both."""
    plain = sorted(code for code in formats.locale.languages if _LANGUAGE_CODE.fullmatch(code))
    codes = sorted({preferred.get(code, code) for code in plain} | set(common))
    choices = sorted(((code, formats.language(code)) for code in codes), key=lambda item: (item[1].casefold(), item[0]))
    names: dict[str, str] = {}
    for code in codes:  # a language's name in itself only for the common ones: each costs loading that locale's data
        for name in (code, language_name(code, "en"), formats.language(code), *((native_name(code),) if code in common else ())):
            names.setdefault(name.casefold(), code)
    for short, tag in preferred.items():
        for name in (short, language_name(short, "en"), formats.language(short)):
            names.setdefault(name.casefold(), tag)
    return choices, dict(sorted(names.items()))


def preferred_tags(site_tags: list[str], hub_tags: set[str]) -> dict[str, str]:
    """'zh' -> 'zh-Hans': the one tag a bare language code stands for on the form, so that it
    offers "Chinese (Simplified)", not "Chinese" beside it. The site's own tag wins (a hub's `zh`
    on a zh-Hans site is that language); failing that, a hub's longer tag where no hub says plain zh."""
    preferred: dict[str, str] = {}
    for tag in [*site_tags, *sorted(hub_tags)]:
        short = tag.split("-")[0]
        if short != tag and (tag in site_tags or short not in hub_tags):
            preferred.setdefault(short, tag)
    return preferred


@dataclass(frozen=True)
class ApplyForm:
    """What templates/apply.html renders, and `data`, the JSON that its scripts read."""

    partners: list[tuple[str, str]]
    countries: list[tuple[str, str]]
    languages: list[tuple[str, str]]  # every language, by name
    common_languages: list[tuple[str, str]]  # the site's and its hubs' languages: ticked, not searched
    courses: list[str]  # the names of courses hubs run, to choose from
    weekdays: list[tuple[str, str]]  # (monday, its name in the page's language)
    limits: dict[str, int]
    starter: str
    host_page: Page | None  # for the breadcrumb back to the host guide
    conduct_page: Page | None  # the code of conduct, which an applicant agrees to
    data: dict[str, Any]
    schema_words: dict[str, str]  # what the schemas say of a value they refuse (English) -> the page's words for it
    facilities: tuple[str, ...] = FACILITIES
    modes: tuple[str, ...] = MODES  # how a course group meets, the default first
    signups: tuple[str, ...] = SIGNUPS  # whether learners can sign up, the default first


@cache
def schemas() -> dict[str, dict[str, Any]]:
    """The records' JSON Schemas, the same in every language: made once, not once per language's form."""
    return {"hub": record_schema("hub"), "partner": record_schema("partner")}


@cache
def schema_messages() -> tuple[str, ...]:
    """What the schemas say of a value they refuse (patternErrorMessage, errorMessage: marked N_
    where they are written), for the form to say in the page's language."""
    found: set[str] = set()

    def gather(node: Any) -> None:
        if isinstance(node, dict):
            found.update(value for key, value in node.items() if key in ("patternErrorMessage", "errorMessage"))
            for value in node.values():
                gather(value)
        elif isinstance(node, list):
            for value in node:
                gather(value)

    gather(schemas())
    return tuple(sorted(found))


@cache
def transliteration_table() -> dict[str, object]:
    """slugs.transliteration, the same in every language: made once (it asks anyascii of 3,000 letters)."""
    return transliteration()


def apply_form(catalog: Catalog, formats: Formats, text: Callable[[str], str]) -> ApplyForm:
    record_dependency(("apply",))
    hub_schema = schemas()["hub"]
    partners = sorted(((p.id, text(p.record.name)) for p in catalog.partners), key=lambda item: (item[1].casefold(), item[0]))
    site_tags = [language.tag for language in catalog.site.site_languages]
    hub_tags = {code for hub in catalog.hubs for code in hub.record.languages}
    preferred = preferred_tags(site_tags, hub_tags)
    common = sorted({preferred.get(tag, tag) for tag in hub_tags | set(site_tags)})
    languages, names = language_choices(formats, common, preferred)
    courses = {text(course.name): course.url for course in catalog.courses}
    data = {
        "schemas": schemas(),
        "refs": STANDARD_REFS,
        "folders": {kind: f"content/{folder}/" for kind, folder in FOLDERS.items()},
        "hubs": [hub.slug for hub in catalog.hubs],
        "partners": [partner.id for partner in catalog.partners],
        "contactEmail": catalog.site.contact_email,
        "githubNew": github_new_file(catalog.site.repository),
        "githubEdit": github_edit_base(catalog.site.repository),
        "today": catalog.today.isoformat(),
        "languageNames": names,
        "weekdayNames": {day: formats.weekday(day) for day in WEEKDAYS},
        "courseUrls": {name: url for name, url in sorted(courses.items()) if url},
        "transliteration": transliteration_table(),
    }
    pages = {page.slug: page for page in catalog.pages}
    starter = starter_hub(STANDARD_REFS["hub"], [p.id for p in catalog.partners])
    return ApplyForm(
        partners=partners,
        countries=country_choices(formats),
        languages=languages,
        common_languages=sorted(((code, formats.language(code)) for code in common), key=lambda item: (item[1].casefold(), item[0])),
        courses=sorted(courses, key=str.casefold),
        weekdays=[(day, formats.weekday(day)) for day in WEEKDAYS],
        limits=max_lengths(hub_schema),
        starter=starter,
        host_page=pages.get("host"),
        conduct_page=pages.get("code-of-conduct"),
        data=data,
        schema_words={message: formats._(message) for message in schema_messages()},
    )
