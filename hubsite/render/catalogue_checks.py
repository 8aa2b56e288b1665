"""A translation catalogue (`.po`) checked as content is: a translator's pull request is as
untrusted as a partner's record, and a catalogue in the maintainer's own templates folder is
no exception. `checked_po` reads one file and lists every problem with its line:

- the file: UTF-8, lines gettext's tools and Babel read alike (Babel's own warnings, which it
  prints and reads past, are errors here);
- the Plural-Forms rule, read by plural_forms.py (never run as code), picking only forms the
  catalogue has, and every plural entry giving exactly that many forms;
- each translation: no control, line-breaking, reordering or invisible character its message
  does not have (the rule of content's text fields, fields.check_printable), and the
  placeholders of its message.

`check` and `build` both stop on these errors; `coverage` counts what pages really show.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message
from babel.messages.pofile import PoFileError, read_po

from hubsite.content.fields import SPOOFING
from hubsite.languages import Language
from hubsite.problems import Problem
from hubsite.render.plural_forms import MAX_FORMS, PluralFormsError, PluralRule, plural_rule

# %(name)s, %(num)d, and %% (a percent sign); {name} in the scripts' words.
_PERCENT = re.compile(r"%\((\w+)\)[sdif]|%%|(%)")
_BRACES = re.compile(r"\{(\w+)\}")
# A .po line: a keyword and a quoted string, a quoted string going on, a comment or nothing.
# Escapes are the ones Babel reads (it drops the backslash of any other: "\x41" would read "x41").
_STRING = r'"(?:[^"\\]|\\[abfnrtv"\\])*"'
_KEYWORD_LINE = re.compile(rf"(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[[0-9]+\])[ \t]+{_STRING}")
_STRING_LINE = re.compile(_STRING)
_PLURAL_STRING = re.compile(r"msgstr\[[0-9]+\]")
# What a translation may hold only where its message does: C0 and C1 controls (tab and line
# breaks included), line and paragraph separators, and what content refuses everywhere.
_UNUSUAL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{SPOOFING}]")
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, eq=False)  # one per file's bytes (checked_po's cache), compared as itself
class CheckedPo:
    """A .po read and checked: its catalogue (None when unreadable), its plural rule (None when
    broken), how many msgstr[i] each plural entry has in the file (by its msgid's line), and the
    problems, each with the file and line."""

    catalog: PoCatalog | None
    rule: PluralRule | None = None
    forms_written: dict[int, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


@lru_cache(maxsize=64)
def checked_po(data: bytes, locale_id: str, display: str) -> CheckedPo:
    """Read and check a .po's bytes; `display` is the path its problems name."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return CheckedPo(None, problems=(Problem(display, line, 1, "catalogue", "is not UTF-8 text: save it as UTF-8"),))
    found = [Problem(display, line, 1, "catalogue", message) for line, message in line_problems(text)]
    too_many = too_many_forms(text, display)
    if too_many:
        return CheckedPo(None, problems=(*found, too_many))
    catalog, unreadable = read_catalogue(data, locale_id, display)
    if catalog is None:
        return CheckedPo(None, problems=tuple(found or unreadable))
    rule, header = rule_of(catalog, text, display)
    forms_written = plural_forms_written(text)
    found += header + [Problem(display, line, 1, "msgstr", message) for line, message in entry_problems(catalog, rule, forms_written)]
    return CheckedPo(catalog, rule, forms_written, tuple(found))


def line_problems(text: str) -> list[tuple[int, str]]:
    """Lines that are not .po syntax (Babel reads many of them some way, silently)."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):  # Babel's lines: only \n ends one
        line = line.strip()
        if line and not line.startswith("#") and not _KEYWORD_LINE.fullmatch(line) and not _STRING_LINE.fullmatch(line):
            found.append((number, "is not a .po line: expected msgctxt, msgid, msgid_plural, msgstr or msgstr[N] and a quoted string "
                                  '(escapes \\n \\t \\" \\\\), a quoted string going on, or a # comment'))
    return found


_NPLURALS = re.compile(r"nplurals\s*=\s*([0-9]+)")
_CONTINUED = re.compile(r'"[ \t]*\n[ \t]*"')  # a string going on on the next line


def too_many_forms(text: str, display: str) -> Problem | None:
    """A header whose nplurals is past any language's, found before Babel reads the file: Babel
    makes a list of nplurals strings for every plural entry, and nplurals=10**20 fills the memory.
    (Read with the strings that go on joined, so that the number cannot hide on the next line.)"""
    for match in _NPLURALS.finditer(_CONTINUED.sub("", text)):
        if len(match.group(1)) > 3 or int(match.group(1)) > MAX_FORMS:
            return Problem(display, header_line(text, "Plural-Forms:"), 1, "Plural-Forms", f"nplurals={match.group(1)[:12]}: a language has 1 to {MAX_FORMS} plural forms")
    return None


def read_catalogue(data: bytes, locale_id: str, display: str) -> tuple[PoCatalog | None, list[Problem]]:
    """Babel's reading, its warnings made errors: (catalogue, []) or (None, [the problem])."""
    try:
        catalog = read_po(io.BytesIO(data), locale=locale_id, abort_invalid=True)
    except PoFileError as exc:
        reason = str(exc).rsplit(" on ", 1)[0].replace("msg has more translations than num_plurals of catalog", "this entry has more msgstr[N] forms than Plural-Forms' nplurals")
        return None, [Problem(display, exc.lineno + 1, 1, "catalogue", f"is not a valid .po file: {reason}")]
    except (ValueError, LookupError) as exc:  # a header Babel cannot take: nplurals=x, charset=nonsense
        return None, [Problem(display, 1, 1, "catalogue", f"is not a valid .po file: {exc}")]
    if codecs.lookup(catalog.charset).name != "utf-8":
        return None, [Problem(display, 1, 1, "catalogue", f"its Content-Type says charset={catalog.charset}: a catalogue is UTF-8 (charset=UTF-8)")]
    return catalog, []


def rule_of(catalog: PoCatalog, text: str, display: str) -> tuple[PluralRule | None, list[Problem]]:
    """The catalogue's plural rule as Babel read its header (what a compiled catalogue carries)."""
    try:
        return plural_rule(catalog.num_plurals, catalog.plural_expr), []
    except PluralFormsError as exc:
        return None, [Problem(display, header_line(text, "Plural-Forms:"), 1, "Plural-Forms", str(exc))]


def header_line(text: str, name: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip().startswith(f'"{name}'):
            return number
    return 1


def plural_forms_written(text: str) -> dict[int, int]:
    """{msgid's line: its msgstr[i] lines} (Babel fills the forms a file leaves out with '')."""
    counts: dict[int, int] = {}
    entry = 0
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if line.startswith("msgid "):
            entry = number
        elif _PLURAL_STRING.match(line):
            counts[entry] = counts.get(entry, 0) + 1
    return counts


def entry_problems(catalog: PoCatalog, rule: PluralRule | None, forms_written: dict[int, int]) -> list[tuple[int, str]]:
    """(line, reason) for each translation that pages cannot show as written."""
    found = []
    for message in shown(catalog):
        ids = strings_of(message.id)
        if len(ids) > 1 and rule is not None and forms_written.get(message.lineno, 0) != rule.forms:
            found.append((message.lineno, f"'{ids[0]}' has {forms_written.get(message.lineno, 0)} forms, but Plural-Forms says nplurals={rule.forms}: write msgstr[0] to msgstr[{rule.forms - 1}]"))
        for where, text in named_strings(message):
            reason = character_problem(text, "".join(ids))
            if reason:
                found.append((message.lineno, f"{where} of '{ids[0]}' {reason}"))
    return found + translation_problems(catalog)


def shown(catalog: PoCatalog) -> list[Message]:
    """The entries pages use: not the header, not fuzzy ones (left out, as msgfmt does)."""
    return [message for message in catalog if message.id and not message.fuzzy]


def strings_of(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def named_strings(message: Message) -> list[tuple[str, str]]:
    """('msgstr' or 'msgstr[i]', text) of each translation the entry has."""
    if isinstance(message.string, tuple):
        return [(f"msgstr[{number}]", text) for number, text in enumerate(message.string) if text]
    return [("msgstr", message.string)] if message.string else []


def character_problem(text: str, message: str) -> str | None:
    """Why the translation holds a character its message does not, or None."""
    for match in _UNUSUAL.finditer(text):
        char, at = match.group(), match.start() + 1
        if char in message:
            continue
        if char in _LINE_BREAKS:
            return f"has a line break (at character {at}) where its message has none: keep the translation's lines to the message's"
        if _REORDERING.match(char):
            return f"has U+{ord(char):04X} {unicodedata.name(char)} (at character {at}), which makes text show in another order than it is written; remove it"
        if char in "\u200b\u2060\ufeff\u180e":
            return f"has U+{ord(char):04X} {unicodedata.name(char)} (at character {at}), an invisible character; remove it"
        return f"has the control character U+{ord(char):04X} (at character {at}); remove it"
    return None


def translation_problems(catalog: PoCatalog) -> list[tuple[int, str]]:
    """(line, reason) for each translation whose placeholders are not its message's: one it does
    not have fails the page's build; one it leaves out loses a fact (the count may be left out of
    a plural form: Arabic says 'one hub' in a word)."""
    found = []
    for message in shown(catalog):
        ids = strings_of(message.id)
        wanted = placeholders(" ".join(ids))
        formatted = len(ids) > 1 or any(name.startswith("%") for name in wanted)  # gettext applies % to it
        for where, text in named_strings(message):
            have = placeholders(text)
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
        share = 100 * self.translated // self.total if self.total else 100  # rounded down: 100% only when none is missing
        fuzzy = f", {self.fuzzy} fuzzy (not shown)" if self.fuzzy else ""
        return f"{self.language.tag}: {self.translated} of {self.total} messages translated ({share}%){fuzzy}"


def message_key(message: Message) -> tuple[str | None, str]:
    return message.context, strings_of(message.id)[0]


def catalogue_coverage(language: Language, checked: CheckedPo, expected: set[tuple[str | None, str]]) -> Coverage:
    """How many of the messages pages show in the language: a plural entry counts only with every
    form its rule picks (without a usable rule, gettext shows English)."""
    assert checked.catalog is not None
    done = {message_key(m) for m in shown(checked.catalog) if all(strings_of(m.string)) and picks_its_forms(m, checked)}
    fuzzy = sum(1 for m in checked.catalog if m.id and m.fuzzy)
    wanted = expected or {message_key(m) for m in checked.catalog if m.id}
    return Coverage(language, len(done & wanted), len(wanted), fuzzy)


def picks_its_forms(message: Message, checked: CheckedPo) -> bool:
    if not isinstance(message.id, tuple):
        return True
    return checked.rule is not None and checked.forms_written.get(message.lineno, 0) == checked.rule.forms
