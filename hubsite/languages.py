"""The languages of a site, and the three forms of each kept apart and derived here only:

- the BCP 47 tag, for `lang`, `hreflang`, `xml:lang` and the keys of translated texts, in its
  canonical case ('en', 'pt-BR', 'zh-Hans');
- the URL key, the tag in lower case ('zh-hans'): `/zh-hans/hubs/SLUG/`;
- the Babel locale id ('zh_Hans'), for CLDR's formats and the catalogue's folder.

A site's first language is its default. A translated text (`summary: {en: ..., es: ...}` in a
record) is a `Local`: the default language's text as a str, with every translation beside it;
`text_in` picks the one a page shows, and says when it fell back to another language.
Not a stage: settings (content/) and every renderer use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from babel import Locale, UnknownLocaleError

Direction = Literal["ltr", "rtl"]
TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*")


def canonical_tag(tag: str) -> str:
    """'ZH-hans' -> 'zh-Hans', 'pt-br' -> 'pt-BR', 'EN' -> 'en' (RFC 5646's case conventions)."""
    first, *rest = tag.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())  # a script
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            parts.append(part.upper())  # a region
        else:
            parts.append(part.lower())
    return "-".join(parts)


@dataclass(frozen=True)
class Language:
    tag: str  # canonical BCP 47
    label: str  # its own name, as the picker and the switcher show it: 'Español', 'العربية'
    direction: Direction

    @property
    def key(self) -> str:
        """The folder of its pages: 'zh-hans'."""
        return self.tag.lower()

    @property
    def locale_id(self) -> str:
        """Babel's id: 'zh_Hans', 'pt_BR'."""
        return self.tag.replace("-", "_")


@cache
def babel_locale_of(tag: str) -> Locale | None:
    """CLDR's locale for a tag, or None when Babel has none (then a site cannot be built in it)."""
    try:
        return Locale.parse(canonical_tag(tag).replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return None


def language(tag: str, label: str | None = None, direction: Direction | None = None) -> Language:
    """The language of a tag Babel knows (settings check that first): its own name, capitalised
    as a menu item, and its direction from CLDR, either overridden by site.yaml."""
    canonical = canonical_tag(tag)
    locale = babel_locale_of(canonical)
    if locale is None:
        raise LookupError(canonical)
    name = locale.get_display_name(locale) or canonical
    own = name[:1].upper() + name[1:]
    return Language(canonical, label or own, direction or ("rtl" if locale.character_order == "right-to-left" else "ltr"))


class Local(str):
    """A text given in several languages: the str is the default language's text (what slugs,
    sorting and messages use), `texts` every one by canonical tag, in the order written."""

    texts: dict[str, str]

    def __new__(cls, default: str, texts: dict[str, str]) -> Local:
        made = super().__new__(cls, default)
        made.texts = texts
        return made

    def __reduce__(self) -> tuple[type[Local], tuple[str, dict[str, str]]]:
        return Local, (str(self), self.texts)


def direction_of(tag: str) -> Direction | Literal["auto"]:
    """The direction of a text in language `tag` (for a text's `dir`): 'auto' for a tag CLDR lacks."""
    locale = babel_locale_of(tag)
    if locale is None:
        return "auto"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def text_in(value: str, tag: str, default: str) -> tuple[str, str | None]:
    """The text of `value` a page in language `tag` shows, and the tag of the language it is in
    when that is not the page's (None when it is): a plain string is in the default language."""
    texts = getattr(value, "texts", None)
    if texts is None:
        return value, None if tag == default else default
    if tag in texts:
        return texts[tag], None
    shown = default if default in texts else next(iter(texts))
    return texts[shown], shown


def translations(value: str | None) -> dict[str, str] | None:
    """Every text of a translated value by tag, or None for a plain one (hubs.json publishes both)."""
    return getattr(value, "texts", None)
