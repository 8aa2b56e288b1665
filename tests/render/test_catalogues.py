"""The shipped catalogues: messages.pot is what `python build.py catalogues` would write now (so no
message reaches a page untranslatable), and every language the bundled site has translates every
message, with the placeholders of the English."""

from __future__ import annotations

import io

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT

from hubsite.commands.catalogues import extracted
from hubsite.render.catalogues import translation_problems

LOCALE = ROOT / "templates" / "locale"
SHIPPED = sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/messages.po"))


def keys(catalog) -> set[tuple[str | tuple[str, ...], str | None]]:
    return {(message.id, message.context) for message in catalog if message.id}


def test_messages_pot_is_current() -> None:
    shipped = read_po(io.BytesIO((LOCALE / "messages.pot").read_bytes()))
    missing = keys(extracted(ROOT / "templates")) - keys(shipped)
    gone = keys(shipped) - keys(extracted(ROOT / "templates"))
    assert (missing, gone) == (set(), set()), "run `python build.py catalogues`"


def test_eight_languages_are_shipped() -> None:
    assert SHIPPED == ["ar", "es", "fr", "ko", "ru", "uk", "vi", "zh_Hans"]


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_message_is_translated_with_its_placeholders(locale: str) -> None:
    template = read_po(io.BytesIO((LOCALE / "messages.pot").read_bytes()))
    catalog = read_po(io.BytesIO((LOCALE / locale / "LC_MESSAGES/messages.po").read_bytes()), locale=locale)
    untranslated = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = found.string if found and isinstance(found.string, tuple) else (found.string if found else "",)
        if found is None or found.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert untranslated == []
    assert list(translation_problems(catalog)) == []


@pytest.mark.parametrize(("tag", "written"), [("en", "100,000 hubs"), ("fr", "100\u202f000 hubs"), ("vi", "100.000 hubs"), ("ru", "100\xa0000 hubs")])
def test_counts_are_written_the_languages_way(tag: str, written: str) -> None:
    """A message writes its count as %(num)d; the page shows it grouped as the language groups
    digits (the words themselves are the catalogue's: English here, no .po loaded)."""
    from hubsite.languages import language
    from hubsite.render.catalogues import Words

    words = Words(language(tag))
    assert words.ngettext("%(num)d hub", "%(num)d hubs", 100_000) == written
    assert str(words.markup()["ngettext"]("%(num)d hub", "%(num)d hubs", 100_000)) == written
    assert words.ngettext("%(num)d hub", "%(num)d hubs", 1) == "1 hub"
