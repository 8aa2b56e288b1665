"""The interface's words in every language: GNU gettext catalogues, one `.po` file per language
in the templates folder (`locale/LOCALE/LC_MESSAGES/messages.po`, LOCALE being Babel's id:
`zh_Hans`), read with Babel and compiled in memory by every build. The messages are English:
English needs no catalogue, and a word a catalogue lacks is shown in English.

`python build.py catalogues` extracts every message (templates, Python, the scripts' words that
pages carry) into `locale/messages.pot` and brings each `.po` up to date with it.

Translators' text is text: a translation is escaped like any variable, so a catalogue can never
put markup in a page. A translation whose placeholders differ from its message's would fail at
render time (or say something else); `catalogue_problems` finds them first, with the `.po`'s
file and line, and `coverage` says how much of each language is translated.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup, escape

from hubsite.languages import Language
from hubsite.problems import Problem

LOCALE_DIR = "locale"
DOMAIN = "messages"
# %(name)s, %(num)d, and %% (a percent sign); {name} in the scripts' words.
_PERCENT = re.compile(r"%\((\w+)\)[sdif]|%%|(%)")
_BRACES = re.compile(r"\{(\w+)\}")
# Numbers to find each CLDR plural category with (French "many" is a million).
_SAMPLES = (*range(0, 201), 1000, 1_000_000)


def po_path(templates_dir: Path, language: Language) -> Path:
    return templates_dir / LOCALE_DIR / language.locale_id / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path(templates_dir: Path) -> Path:
    return templates_dir / LOCALE_DIR / f"{DOMAIN}.pot"


def needs_no_catalogue(language: Language) -> bool:
    """The messages are English: an English site reads them as they are."""
    return language.tag.split("-")[0] == "en"


@dataclass
class Words:
    """One language's gettext, in the two shapes the site uses it: plain text for Python (`_`,
    `ngettext`, `pgettext`: the template escapes it where it lands) and escaped markup for
    templates (`markup()`: Jinja's newstyle gettext, named placeholders, `num` given to plurals)."""

    language: Language
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    plurals: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def _(self, message: str, **variables: Any) -> str:
        text = self.translations.gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        return counted(self.translations.ngettext(singular, plural, num)) % {"num": self.count(num), **variables}

    def count(self, num: int) -> str:
        return written_count(num, self.language.locale_id)

    def pgettext(self, context: str, message: str, **variables: Any) -> str:
        text = self.translations.pgettext(context, message)
        return text % variables if variables else text

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """A count's words for a script, by CLDR plural category ('one', 'few', 'other'...) with
        {n} for the number: the script picks one with Intl.PluralRules in the page's language
        (worked out once per message: every hub page's map asks)."""
        key = (singular, plural)
        if key not in self.plurals:
            self.plurals[key] = self.forms_of(singular, plural)
        return dict(self.plurals[key])

    def forms_of(self, singular: str, plural: str) -> dict[str, str]:
        rule = Locale.parse(self.language.locale_id).plural_form
        forms: dict[str, str] = {}
        for number in _SAMPLES:
            category = rule(number)
            if category not in forms:
                forms[category] = self.translations.ngettext(singular, plural, number)
            if len(forms) == len(rule.tags) + 1:  # the tags leave out "other"
                break
        return dict(sorted(forms.items()))

    def markup(self) -> dict[str, Callable[..., Any]]:
        """The functions a template calls, by name: `_` and the others escape for HTML (a page's
        text and attributes); `plain_text` and `plural_forms` give plain text, for what escapes it
        where it lands (`|tojson` for a script's words, `|urlencode` for a link): escaped markup
        there would reach the reader as `&#39;`."""
        translations = self.translations

        def gettext_markup(message: str, **variables: Any) -> Markup:
            text = escape(translations.gettext(message))
            return text % variables if variables else text

        def ngettext_markup(singular: str, plural: str, num: int, **variables: Any) -> Markup:
            return escape(counted(translations.ngettext(singular, plural, num))) % {"num": self.count(num), **variables}

        def pgettext_markup(context: str, message: str, **variables: Any) -> Markup:
            text = escape(translations.pgettext(context, message))
            return text % variables if variables else text

        return {"_": gettext_markup, "gettext": gettext_markup, "ngettext": ngettext_markup, "pgettext": pgettext_markup, "plural_forms": self.plural_forms, "plain_text": self._}


@lru_cache(maxsize=4096)
def written_count(num: int, locale_id: str) -> str:
    """A count as the language writes it: 100,000 in English, 100 000 in French, 100.000 in Vietnamese."""
    return format_decimal(num, locale=locale_id)


def counted(message: str) -> str:
    """Messages write a count as %(num)d (what translators and gettext's tools know); it goes in
    already written the language's way, as text."""
    return message.replace("%(num)d", "%(num)s")


@dataclass(frozen=True)
class Coverage:
    language: Language
    translated: int
    total: int
    fuzzy: int = 0
    missing_file: bool = False

    def line(self) -> str:
        if self.missing_file:
            return f"{self.language.tag}: no catalogue; the interface shows in English"
        share = 100 * self.translated / self.total if self.total else 100.0
        fuzzy = f", {self.fuzzy} fuzzy (not shown)" if self.fuzzy else ""
        return f"{self.language.tag}: {self.translated} of {self.total} messages translated ({share:.0f}%){fuzzy}"


def load_words(templates_dir: Path, languages: tuple[Language, ...]) -> dict[str, Words]:
    """Every language's Words by tag (catalogue_problems has checked the files)."""
    return {language.tag: Words(language, compiled(po_path(templates_dir, language), language.locale_id)) for language in languages}


def compiled(path: Path, locale_id: str) -> gettext.NullTranslations:
    if not path.is_file():
        return gettext.NullTranslations()
    return compile_po(path.read_bytes(), locale_id)


@cache
def compile_po(data: bytes, locale_id: str) -> Translations:
    """A .po's bytes as Babel Translations (fuzzy entries left out, as msgfmt does)."""
    catalog = read_po(io.BytesIO(data), locale=locale_id)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def catalogue_problems(templates_dir: Path, languages: tuple[Language, ...]) -> tuple[list[Problem], list[Coverage]]:
    """Each catalogue's broken translations (placeholders that are not the message's), and how
    much of each language is translated (against locale/messages.pot when there is one)."""
    problems: list[Problem] = []
    coverage: list[Coverage] = []
    expected = template_messages(templates_dir)
    for language in languages:
        if needs_no_catalogue(language):
            continue
        path = po_path(templates_dir, language)
        display = path.relative_to(templates_dir.parent).as_posix() if templates_dir.parent in path.parents else str(path)
        if not path.is_file():
            coverage.append(Coverage(language, 0, len(expected), missing_file=True))
            problems.append(Problem(display, 1, 1, "catalogue", f"no catalogue for {language.tag}: its pages show the interface in English (python build.py catalogues makes one)", "warning"))
            continue
        try:
            catalog = read_po(io.BytesIO(path.read_bytes()), locale=language.locale_id)
        except Exception as exc:
            problems.append(Problem(display, getattr(exc, "lineno", 1) or 1, 1, "catalogue", f"not a readable .po file: {exc}"))
            continue
        problems += [Problem(display, line, 1, "msgstr", message) for line, message in translation_problems(catalog)]
        coverage.append(catalogue_coverage(language, catalog, expected))
    return problems, coverage


def template_messages(templates_dir: Path) -> set[tuple[str | None, str]]:
    path = template_path(templates_dir)
    if not path.is_file():
        return set()
    return {(m.context, message_id(m.id)) for m in read_po(io.BytesIO(path.read_bytes())) if m.id}


def message_id(id_: str | tuple[str, ...]) -> str:
    return id_ if isinstance(id_, str) else id_[0]


def catalogue_coverage(language: Language, catalog: PoCatalog, expected: set[tuple[str | None, str]]) -> Coverage:
    done = {(m.context, message_id(m.id)) for m in catalog if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))}
    fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
    wanted = expected or {(m.context, message_id(m.id)) for m in catalog if m.id}
    return Coverage(language, len(done & wanted), len(wanted), fuzzy)


def translation_problems(catalog: PoCatalog) -> list[tuple[int, str]]:
    """(line, reason) for each translation whose placeholders are not its message's: one it does
    not have fails the page's build; one it leaves out loses a fact (the count may be left out of
    a plural form: Arabic says 'one hub' in a word)."""
    found = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = placeholders(" ".join(ids))
        formatted = len(ids) > 1 or any(name.startswith("%") for name in wanted)  # gettext applies % to it
        for number, text in enumerate(strings):
            if not text:
                continue
            have = placeholders(text)
            where = f"msgstr[{number}]" if isinstance(message.string, tuple) else "msgstr"
            extra = sorted(have - wanted)
            missing = sorted(wanted - have - ({"%(num)d"} if len(ids) > 1 else set()))
            if formatted and lone_percent(text):
                found.append((message.lineno, f"{where} of '{ids[0]}' has a lone '%': write %% for a percent sign"))
            elif extra:
                found.append((message.lineno, f"{where} of '{ids[0]}' has {', '.join(extra)}, which the message does not: use only {', '.join(sorted(wanted)) or 'no placeholders'}"))
            elif missing:
                found.append((message.lineno, f"{where} of '{ids[0]}' leaves out {', '.join(missing)}"))
    return found


def placeholders(text: str) -> set[str]:
    """'%(num)d hubs in {city}' -> {'%(num)d', '{city}'}."""
    return {match.group() for match in _PERCENT.finditer(text) if match.group(1)} | {f"{{{name}}}" for name in _BRACES.findall(text)}


def lone_percent(text: str) -> bool:
    return any(match.group(2) for match in _PERCENT.finditer(text))
