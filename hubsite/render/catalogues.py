"""The interface's words in every language: GNU gettext catalogues, one `.po` file per language
in the templates folder (`locale/LOCALE/LC_MESSAGES/messages.po`, LOCALE being Babel's id:
`zh_Hans`), read with Babel and compiled in memory, each kept by its bytes for the next build
(incremental/store.py). The messages are English: English needs no catalogue, and a word a
catalogue lacks is shown in English.

`python build.py catalogues` extracts every message (templates, Python, the scripts' words that
pages carry) into `locale/messages.pot` and brings each `.po` up to date with it.

Translators' text is text: a translation is escaped like any variable, so a catalogue can never
put markup in a page. A catalogue is checked as content is (catalogue_checks.py): `catalogue_problems`
lists what is wrong with each, with the `.po`'s file and line, and how much of each language is
translated; `load_words` refuses a catalogue with an error, whoever calls it (`serve` too).
"""

from __future__ import annotations

import copy
import gettext
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup, escape

from hubsite.incremental.files import bytes_digest
from hubsite.incremental.store import Store
from hubsite.languages import Language
from hubsite.problems import BuildFailed, Problem
from hubsite.render.catalogue_checks import Coverage, catalogue_coverage, checked_po, message_key, strings_of
from hubsite.render.plural_forms import plural_rule

LOCALE_DIR = "locale"
DOMAIN = "messages"
# The gettext functions of templates and Python, with where their messages are (pybabel's -k).
KEYWORDS = {"_": None, "plain_text": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2), "plural_forms": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
HEADER = "The interface of hubsite sites, in English: translate it in any PO editor, or in Weblate or Transifex."
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Numbers to find each CLDR plural category with (French "many" is a million).
_SAMPLES = (*range(0, 201), 1000, 1_000_000)


def po_path(templates_dir: Path, language: Language) -> Path:
    return templates_dir / LOCALE_DIR / language.locale_id / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path(templates_dir: Path) -> Path:
    return templates_dir / LOCALE_DIR / f"{DOMAIN}.pot"


def needs_no_catalogue(language: Language) -> bool:
    """The messages are English: an English site reads them as they are."""
    return language.tag.split("-")[0] == "en"


def extracted(templates_dir: Path) -> PoCatalog:
    """Every message the interface uses, from the package's Python and the templates, with their
    files (no line numbers: they would change the catalogues on every edit)."""
    catalog = PoCatalog(project="hubsite", msgid_bugs_address="", header_comment=f"# {HEADER}")
    sources = ((PACKAGE_DIR, [("**.py", "python")], "hubsite"), (templates_dir, [("**.html", "jinja2")], templates_dir.name))
    for folder, methods, label in sources:
        options = {"**.html": JINJA_OPTIONS}
        for filename, _line, message, comments, context in extract_from_dir(folder, methods, options, KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True):
            catalog.add(message, None, [(f"{label}/{filename}", None)], auto_comments=comments, context=context)
    return catalog


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


def load_words(templates_dir: Path, languages: tuple[Language, ...], store: Store | None = None) -> dict[str, Words]:
    """Every language's Words by tag; BuildFailed on a catalogue with an error. `store`: each
    catalogue compiled by an earlier build, kept by its bytes (reading and checking nine of them
    took half a second of every build)."""
    return {language.tag: Words(language, compiled(templates_dir, language, store)) for language in languages}


# A catalogue as a build keeps it: its errors, else the .mo bytes and its plural rule's parts (the
# rule itself is made of functions, which do not pickle: it is parsed again, in microseconds).
CompiledPo = tuple[tuple[Problem, ...], bytes, int, str]


def compiled(templates_dir: Path, language: Language, store: Store | None = None) -> gettext.NullTranslations:
    path = po_path(templates_dir, language)
    if not path.is_file():
        return gettext.NullTranslations()
    data, display = path.read_bytes(), display_path(templates_dir, path)
    make = partial(compiled_po, data, language.locale_id, display)
    errors, mo, forms, expression = make() if store is None else store.table("catalogues").get((bytes_digest(data), language.locale_id, display), make)
    if errors:
        raise BuildFailed(list(errors))
    return translations_of(mo, forms, expression)


@lru_cache(maxsize=64)
def translations_of(mo: bytes, forms: int, expression: str) -> Translations:
    """A compiled catalogue as Babel Translations picking plural forms with the checked rule;
    made once per process (`serve` builds again and again with the same catalogues)."""
    translations = Translations(io.BytesIO(mo), domain=DOMAIN)
    translations.plural = plural_rule(forms, expression)
    return translations


def compiled_po(data: bytes, locale_id: str, display: str) -> CompiledPo:
    """A .po's bytes checked (`display`: the path its problems name) and, without an error,
    compiled: fuzzy entries left out, as msgfmt does, and plural forms picked with the checked
    rule: gettext would compile the header's expression into Python of its own, where `&&` and
    `||` do not give C's values, so the .mo's header gets a neutral rule instead."""
    checked = checked_po(data, locale_id, display)
    errors = tuple(problem for problem in checked.problems if problem.severity == "error")
    if errors:
        return errors, b"", 0, ""
    assert checked.catalog is not None and checked.rule is not None
    catalog = copy.copy(checked.catalog)  # the checked one is shared (checked_po's cache)
    catalog.mime_headers = [("Plural-Forms", "nplurals=1; plural=0;")]
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return (), buffer.getvalue(), checked.rule.forms, checked.rule.expression


def display_path(templates_dir: Path, path: Path) -> str:
    """The .po's path as problems name it: from the templates folder's parent (templates/locale/...)."""
    return path.relative_to(templates_dir.parent).as_posix() if templates_dir.parent in path.parents else str(path)


def catalogue_problems(templates_dir: Path, languages: tuple[Language, ...], extract: bool = False) -> tuple[list[Problem], list[Coverage]]:
    """Each catalogue's problems (catalogue_checks.py), and how much of each language is translated:
    of locale/messages.pot's messages and, with `extract` (`check`: it takes a second), of the ones
    the interface uses, so a message pages show but messages.pot lacks (a catalogue only keeps it
    as obsolete) counts as untranslated. English needs no catalogue; one that is there is used, so
    it is checked too."""
    translated = any(not needs_no_catalogue(language) for language in languages)
    used = used_messages(templates_dir) if extract and translated else set()
    problems: list[Problem] = stale_template(templates_dir, used)
    coverage: list[Coverage] = []
    expected = template_messages(templates_dir) | used
    for language in languages:
        path = po_path(templates_dir, language)
        display = display_path(templates_dir, path)
        if not path.is_file():
            if not needs_no_catalogue(language):
                coverage.append(Coverage(language, 0, len(expected), missing_file=True))
                problems.append(Problem(display, 1, 1, "catalogue", f"no catalogue for {language.tag}: its pages show the interface in English (python build.py catalogues makes one)", "warning"))
            continue
        checked = checked_po(path.read_bytes(), language.locale_id, display)
        problems += checked.problems
        if checked.catalog is not None and not needs_no_catalogue(language):
            coverage.append(catalogue_coverage(language, checked, expected))
    return problems, coverage


def kept_catalogue_problems(templates_dir: Path, languages: tuple[Language, ...], store: Store) -> tuple[list[Problem], list[Coverage]]:
    """catalogue_problems as `build` asks it (without `extract`), kept in `store` by the bytes of
    messages.pot and of each language's catalogue, and the folder as given and seen from (the
    problems name the files from it): checking nine catalogues took a third of a second of every build."""
    catalogues = [template_path(templates_dir), *(po_path(templates_dir, language) for language in languages)]
    key = (os.getcwd(), str(templates_dir), tuple((language.tag, language.locale_id) for language in languages),
           tuple(bytes_digest(path.read_bytes()) if path.is_file() else None for path in catalogues))
    return store.table("catalogue-checks").get(key, lambda: catalogue_problems(templates_dir, languages))


def used_messages(templates_dir: Path) -> set[tuple[str | None, str]]:
    """(context, message) of every message the interface uses, extracted from its code now."""
    return {message_key(message) for message in extracted(templates_dir) if message.id}


def stale_template(templates_dir: Path, used: set[tuple[str | None, str]]) -> list[Problem]:
    """A warning when messages.pot lacks messages the interface uses: no catalogue can translate them."""
    path = template_path(templates_dir)
    missing = sorted(used - template_messages(templates_dir), key=lambda key: (key[1], key[0] or ""))
    if not path.is_file() or not missing:
        return []
    return [Problem(display_path(templates_dir, path), 1, 1, "catalogue", f"lacks {len(missing)} of the messages pages show, such as '{missing[0][1]}': "
                    "they show in English in every language until `python build.py catalogues` adds them to every catalogue", "warning")]


def template_messages(templates_dir: Path) -> set[tuple[str | None, str]]:
    path = template_path(templates_dir)
    if not path.is_file():
        return set()
    return {(m.context, strings_of(m.id)[0]) for m in read_po(io.BytesIO(path.read_bytes())) if m.id}
