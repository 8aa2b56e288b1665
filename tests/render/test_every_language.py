"""The bundled site in every language it ships: no phrase of the interface that the English page
shows is left in English on the same page in another language.

How a phrase is found: each message hubsite is known to show (messages.pot's, and the obsolete
ones a catalogue still keeps: a message the code uses but extraction misses lands there) becomes
a pattern (its words as written, each placeholder any text), and a text of the English page (a text node, or an alt, title, aria-label
or placeholder) that the whole pattern matches is that message, shown. The same pattern matching a
text of the page in another language is the message left in English there. Texts inside an
element whose `lang` is not the page's are content shown in its own language (`Site.local`), not
the interface, and are left out. A message whose translation is the English itself (a name, "OK")
is the catalogue saying it is the same, and is not a finding; neither is a message with no word
of its own outside its placeholders ("%(course)s · %(hub)s").

The pages whose scripts write words (the finder and map of the home page, a hub's map, the apply
form) are checked once more as Chromium shows them, scripts run.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po
from chromium import serve_directory, watched_page
from conftest import ROOT, build_site
from quality import route_tiles, tile_hosts

from hubsite.render.catalogue_checks import strings_of
from hubsite.render.catalogues import KEYWORDS

LOCALE = ROOT / "templates" / "locale"
# Each kind of page, as a path under a language's folder.
PAGE_KINDS = {
    "home": "index.html",
    "hub": "hubs/american-center-hanoi/index.html",
    "partner": "partners/coursera/index.html",
    "country": "countries/vn/index.html",
    "course": "courses/english-for-career-development/index.html",
    "Markdown page": "about/index.html",
    "apply form": "host/apply/index.html",
    "flyer": "hubs/american-center-hanoi/flyer/index.html",
    "404": "404.html",
}
# Language folder -> Babel's locale id of its catalogue.
LANGUAGES = {"es": "es", "fr": "fr", "ar": "ar", "zh-hans": "zh_Hans", "ru": "ru", "uk": "uk", "ko": "ko", "vi": "vi"}
# Phrases English in another language's page whose fix belongs to another change (a template or a
# script another engineer edits): the lead removes each when that change is merged.
OWNED_BY_ANOTHER_CHANGE: set[str] = set()
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")
_WORD = re.compile(r"[^\W\d_]{2,}")
_NOT_TEXT = frozenset({"script", "style", "template", "pre", "code", "textarea"})
_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("every-language") / "site"
    build_site(ROOT / "content", out)
    yield out
    shutil.rmtree(out, ignore_errors=True)


def read_catalogue(path: Path, locale_id: str | None = None):
    return read_po(io.BytesIO(path.read_bytes()), locale=locale_id)


def known_messages() -> dict[str, object]:
    """{English message: its id in the catalogue} of messages.pot and every catalogue's obsolete entries."""
    found = {}
    for path in (LOCALE / "messages.pot", *sorted(LOCALE.glob("*/LC_MESSAGES/messages.po"))):
        catalog = read_catalogue(path)
        for message in (*catalog, *catalog.obsolete.values()):
            if message.id:
                found.update((text, (message.id, message.context)) for text in strings_of(message.id))
    return found


def message_patterns(locale_id: str | None) -> dict[str, re.Pattern[str]]:
    """{English message: its pattern} for every known message, but those the language's catalogue
    gives as the English itself, and those without a word outside their placeholders."""
    catalog = None if locale_id is None else read_catalogue(LOCALE / locale_id / "LC_MESSAGES/messages.po", locale_id)
    patterns = {}
    for text, (ids, context) in known_messages().items():
        found = catalog.get(ids, context) if catalog is not None else None
        if found is not None and not found.fuzzy and set(strings_of(found.string)) <= set(strings_of(ids)):
            continue  # the catalogue says it is the same in this language
        if _WORD.search(_PLACEHOLDER.sub(" ", text)):
            patterns[text] = pattern_of(text)
    return patterns


def pattern_of(message: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(" ".join(message.split()))
    return re.compile("(?:.*)".join(re.escape(part) for part in parts), re.DOTALL)


def interface_texts(path: Path) -> Iterator[str]:
    """Each text of the page a visitor reads or hears, whitespace collapsed, but for content
    marked as being in another language than the page's, and what `skipped` leaves out."""
    document = lxml.html.fromstring(path.read_bytes())
    page_language = document.get("lang", "")
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        texts = [element.tail] if parent is not None and is_interface(parent, page_language) else []
        if is_interface(element, page_language):
            texts += [element.text, *(element.get(name) for name in _ATTRIBUTES)]
        yield from (" ".join(text.split()) for text in texts if text and text.strip())


def is_interface(element: lxml.html.HtmlElement, page_language: str) -> bool:
    return not skipped(element) and language_of(element, page_language) == page_language


def skipped(element: lxml.html.HtmlElement) -> bool:
    """Scripts, styles, and code shown as it is (the apply form's starter record is YAML, in its keys' English)."""
    return any(node.tag in _NOT_TEXT for node in (element, *element.iterancestors()))


def language_of(element: lxml.html.HtmlElement, page_language: str) -> str:
    for ancestor in (element, *element.iterancestors()):
        if ancestor.get("lang"):
            return ancestor.get("lang")
    return page_language


def shown_messages(path: Path, patterns: dict[str, re.Pattern[str]]) -> dict[str, str]:
    """{message: the text showing it} for each message a text of the page is."""
    found = {}
    for text in interface_texts(path):
        for message, pattern in patterns.items():
            if message not in found and pattern.fullmatch(text):
                found[message] = text
    return found


def test_every_kind_of_page_is_in_the_bundled_site(site: Path) -> None:
    missing = [f"{folder}/{page}" for folder in ("en", *LANGUAGES) for page in PAGE_KINDS.values() if not (site / folder / page).is_file()]
    assert missing == []


@pytest.mark.parametrize("folder", LANGUAGES)
def test_no_interface_phrase_is_left_in_english(site: Path, folder: str) -> None:
    left = left_in_english(folder, {kind: (site / "en" / page, site / folder / page) for kind, page in PAGE_KINDS.items()})
    assert left == [], f"English phrases of the interface on the {folder} pages:\n" + "\n".join(left)


def left_in_english(folder: str, pages: dict[str, tuple[Path, Path]]) -> list[str]:
    """Each phrase of the English page of each kind found in English on its page in `folder`."""
    english_patterns = message_patterns(None)
    patterns = message_patterns(LANGUAGES[folder])
    left = []
    for kind, (english, translated) in pages.items():
        shown_in_english = shown_messages(english, english_patterns)
        in_language = shown_messages(translated, {m: patterns[m] for m in shown_in_english if m in patterns})
        left += [f"{kind} page ({folder}/{PAGE_KINDS[kind]}): {message!r} shows as {text!r}" for message, text in in_language.items() if text not in OWNED_BY_ANOTHER_CHANGE]
    return left


SCRIPTED_KINDS = ("home", "hub", "apply form")


@pytest.mark.browser
@pytest.mark.parametrize("folder", LANGUAGES)
def test_no_interface_phrase_is_left_in_english_once_scripts_ran(browser, site: Path, folder: str, tmp_path: Path) -> None:
    pages = {}
    with serve_directory(site) as base, watched_page(browser) as page:
        route_tiles(page, tile_hosts(ROOT / "content/site.yaml"))
        for kind in SCRIPTED_KINDS:
            for language in ("en", folder):
                page.goto(f"{base}{language}/{PAGE_KINDS[kind]}", wait_until="load")
                page.wait_for_load_state("networkidle")
                (tmp_path / language / PAGE_KINDS[kind]).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / language / PAGE_KINDS[kind]).write_text(page.content(), encoding="utf-8")
            pages[kind] = (tmp_path / "en" / PAGE_KINDS[kind], tmp_path / folder / PAGE_KINDS[kind])
        assert page.console_errors == []
    left = left_in_english(folder, pages)
    assert left == [], f"English phrases of the interface on the {folder} pages, scripts run:\n" + "\n".join(left)


def test_a_card_line_left_in_english_is_found(tmp_path: Path) -> None:
    """The check itself: the phrase a Chinese card showed in English before the card line was a
    message of the catalogue is found, content in its own language is not."""
    page = tmp_path / "index.html"
    page.write_text('<html lang="zh-Hans"><head><meta charset="utf-8"></head><body><p class="coming"><span lang="en">Financial Markets</span> — 12月12日周六, 14:00–16:00, and 1 more course</p>'
                    '<p lang="en">Weekly study groups, and 1 more course</p></body></html>', encoding="utf-8")
    patterns = {"%(line)s, and %(num)d more course": pattern_of("%(line)s, and %(num)d more course")}
    assert shown_messages(page, patterns) == {"%(line)s, and %(num)d more course": "— 12月12日周六, 14:00–16:00, and 1 more course"}


def unextractable_calls(source: str) -> list[int]:
    """Lines calling a gettext function by a key (`words["_"]("...")`): Babel's extractor finds a
    message only after a keyword's name, so such a message never reaches messages.pot."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Subscript) and isinstance(node.func.slice, ast.Constant) and node.func.slice.value in KEYWORDS:
            found.append(node.lineno)
    return found


def test_python_calls_gettext_by_names_the_extractor_knows() -> None:
    package = ROOT / "hubsite"
    found = [f"{path.relative_to(ROOT)}:{line}" for path in sorted(package.rglob("*.py")) for line in unextractable_calls(path.read_text(encoding="utf-8"))]
    assert found == []
    assert unextractable_calls('words = {}\nwords["ngettext"]("%(num)d more", "%(num)d more", 2)\n') == [2]


# A card's next meeting as each language writes a day and a time (CLDR's date-time pattern): no
# Latin comma in Chinese, the Arabic comma, the time first in Vietnamese.
CARD_WHEN = {
    "zh-hans": re.compile(r"— \d{1,2}月\d{1,2}日周\S \d{1,2}:\d\d"),
    "ar": re.compile(r"— \S+، \d{1,2} \S+، \d{1,2}:\d\d"),
    "vi": re.compile(r"— \d{1,2}:\d\d–\d{1,2}:\d\d (Thứ \d|CN), \d{1,2} thg \d{1,2}"),
}


@pytest.mark.parametrize("folder", CARD_WHEN)
def test_a_cards_day_and_time_are_joined_the_languages_way(site: Path, folder: str) -> None:
    document = lxml.html.fromstring((site / folder / "index.html").read_bytes())
    lines = [" ".join(line.text_content().split()) for line in document.xpath("//p[@class='coming']")]
    meeting = [line[line.rindex("— "):] for line in lines if "— " in line]
    assert meeting and all(CARD_WHEN[folder].match(line) for line in meeting), meeting[:3]
