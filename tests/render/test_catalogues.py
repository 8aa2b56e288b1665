"""The shipped catalogues: messages.pot is what `python build.py catalogues` would write now (so no
message reaches a page untranslatable), and every language the bundled site has translates every
message, with the placeholders of the English."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from babel.messages.pofile import read_po, write_po
from chromium import serve_directory, watched_page
from conftest import ROOT, SITE_YAML, TODAY, build_site, parse_html, run_cli, scratch_content

from hubsite.languages import language
from hubsite.problems import BuildFailed
from hubsite.render.apply_form import schema_messages
from hubsite.render.catalogue_checks import catalogue_coverage, checked_po, translation_problems
from hubsite.render.catalogues import extracted, load_words
from hubsite.render.plural_forms import PluralFormsError, plural_rule

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
    from hubsite.render.catalogues import Words

    words = Words(language(tag))
    assert words.ngettext("%(num)d hub", "%(num)d hubs", 100_000) == written
    assert str(words.markup()["ngettext"]("%(num)d hub", "%(num)d hubs", 100_000)) == written
    assert words.ngettext("%(num)d hub", "%(num)d hubs", 1) == "1 hub"


# --- words handed to scripts and links are plain text, escaped once where they land ----------

FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "messages.po"
# The map's words have no quote in the shipped French; a translator's may.
MAP_WORDS = {"Hosted by {partner}": "Chez l'hôte « {partner} »", "You are here": 'Vous êtes "ici" & là'}
ENTITIES = ("&#39;", "&#34;", "&quot;", "&amp;", "&lt;", "&gt;")


def french(message: str) -> str:
    return read_po(io.BytesIO(FRENCH_PO.read_bytes()), locale="fr")[message].string


def templates_with_french(root: Path, translations: dict[str, str]) -> Path:
    """A copy of the bundled templates whose French catalogue says `translations`."""
    templates = shutil.copytree(ROOT / "templates", root / "templates")
    path = templates / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    catalog = read_po(io.BytesIO(path.read_bytes()), locale="fr")
    for message, text in translations.items():
        catalog[message].string = text
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100)
    path.write_bytes(buffer.getvalue())
    return templates


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("french")
    templates = templates_with_french(root, MAP_WORDS)
    content = scratch_content(root / "content", {"site.yaml": SITE_YAML.replace("language: en", "languages: [en, fr]")})
    build_site(content, root / "site", "--templates", str(templates))
    return root / "site"


def script_data(page: Path) -> list[object]:
    """Every JSON a script of the page reads: <script type=application/json> and JSON data-* values."""
    doc = parse_html(page)
    found = [json.loads(script.text) for script in doc.xpath("//script[@type='application/json']")]
    for element in doc.xpath("//*[@data-count or @data-all or @data-near]"):
        found += [json.loads(value) for name, value in element.attrib.items() if name in ("data-count", "data-all", "data-near")]
    return found


def strings_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


@pytest.mark.parametrize("page", ["fr/host/apply/index.html", "fr/index.html", "fr/hubs/example-hub/index.html"])
def test_scripts_get_the_words_as_plain_text(french_site: Path, page: str) -> None:
    """`_()` gives escaped markup for the page's HTML; what a script shows must be the words
    themselves, escaped once by tojson, or the reader sees `Ce n&#39;est pas`."""
    data = script_data(french_site / page)
    assert data
    escaped = sorted({text for value in data for text in strings_in(value) if any(entity in text for entity in ENTITIES)})
    assert escaped == []


def test_the_apply_form_and_the_map_say_the_catalogues_words(french_site: Path) -> None:
    messages = script_data(french_site / "fr/host/apply/index.html")[1]
    message = "This is not an e-mail address, like name@example.org."
    assert "'" in french(message) and messages["email"] == french(message)
    assert messages["mailRecord"] == french("Our hub's record for the directory:")
    refused = schema_messages()  # what the schemas say of a value they refuse, in the page's words too
    assert len(refused) > 10 and all(messages[said] == french(said) != said for said in refused)
    form = parse_html(french_site / "fr/host/apply/index.html").get_element_by_id("apply-form")
    assert unquote(urlsplit(form.get("action")).query) == "subject=" + french("Learning hub application")
    config = next(value for value in script_data(french_site / "fr/hubs/example-hub/index.html") if isinstance(value, dict) and "labels" in value)
    assert config["labels"]["host"] == MAP_WORDS["Hosted by {partner}"] and config["labels"]["you"] == MAP_WORDS["You are here"]


@pytest.mark.browser
def test_an_error_the_apply_script_shows_reads_as_written(browser, french_site: Path) -> None:
    with serve_directory(french_site) as base, watched_page(browser) as page:
        page.goto(base + "fr/host/apply/")
        page.fill("#f-applicant-email", "wanjiru@")
        page.fill("#f-contact-email", "pas-une-adresse")
        page.click("#apply-submit")
        shown = page.text_content("#f-applicant-email-error")
        assert shown.strip() == french("This is not an e-mail address, like name@example.org.")
        assert "Ce n'est pas" in shown
        assert page.text_content("#f-contact-email-error").strip() == french("not an e-mail address") != "not an e-mail address"  # the schema's own words
        assert page.console_errors == []


# --- catalogues checked as content is ------------------------------------------------------

HUB_FORMS = 'msgid "%(num)d hub"\nmsgid_plural "%(num)d hubs"\nmsgstr[0] "%(num)d lieu"\nmsgstr[1] "%(num)d de lieux"\nmsgstr[2] "%(num)d lieux"\n'


def po(plural: str, entries: str = HUB_FORMS) -> bytes:
    return (f'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: {plural}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries).encode()


@pytest.mark.parametrize("locale", ["ar", "fr", "ru", "uk", "pl", "ga", "cy", "lt", "sl", "ko"])
def test_cldrs_rules_read_as_gettext_reads_them(locale: str) -> None:
    """The rules Babel writes into new catalogues are accepted and pick what gettext picks."""
    import gettext

    from babel.messages.plurals import get_plural

    forms, expression = get_plural(locale)
    rule, reference = plural_rule(forms, expression), gettext.c2py(expression)
    assert [rule(n) for n in range(2000)] == [reference(n) for n in range(2000)]


@pytest.mark.parametrize("expression", ["n.__class__", "n + 1", "n / 2", "'a'", "(n", "n ? 0", "1 2", "n % 0", "(n > 1) * 2", "n >= 0 ? 2 : 0",
                                        "n % (n <= 1000 || n == 10000) ? 1 : 0", "n % (n > 5000)", "n % n"])
def test_a_rule_is_only_cs_plural_grammar_and_picks_only_forms_the_catalogue_has(expression: str) -> None:
    with pytest.raises(PluralFormsError):
        plural_rule(2, expression)


def test_a_huge_nplurals_is_refused_before_babel_reads_the_file(tmp_path: Path) -> None:
    """Babel makes a list of nplurals strings per plural entry: 10**23 of them filled the memory.
    Checked in a process held to 2 GiB, so that without the fix it fails instead of the machine."""
    import resource
    import subprocess
    import sys


    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    path = templates / "locale/fr/LC_MESSAGES/messages.po"
    path.write_bytes(po("nplurals=99999999999999999999999; plural=0;").replace(b"nplurals=", b'nplurals="\n"'))
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML.replace("language: en", "languages: [en, fr]")})

    def held() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(content), "--templates", str(templates), "--today", TODAY],
                          capture_output=True, text=True, timeout=300, preexec_fn=held)
    assert proc.returncode == 1, proc.stderr
    assert "templates/locale/fr/LC_MESSAGES/messages.po:4:1: Plural-Forms: nplurals=999999999999: a language has 1 to 6 plural forms" in proc.stderr


def test_pages_pick_forms_with_cs_values(tmp_path: Path) -> None:
    """`n >= 2 && 2` is 1 in C (gettext's Python would say 2): the catalogue's second form."""
    templates = tmp_path / "templates"
    path = templates / "locale/fr/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(po("nplurals=3; plural=n >= 2 && 2;"))
    words = load_words(templates, (language("fr"),))["fr"]
    assert [words.ngettext("%(num)d hub", "%(num)d hubs", n) for n in (1, 5)] == ["1 lieu", "5 de lieux"]


def test_a_broken_catalogue_stops_whoever_loads_it(tmp_path: Path) -> None:
    """serve renders without `check`: loading the words refuses the catalogue, with its line,
    rather than ending in gettext's traceback or running the header's text."""
    templates = tmp_path / "templates"
    path = templates / "locale/fr/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(po("nplurals=3; plural=__import__('os').getpid() ? 0 : 1;"))
    with pytest.raises(BuildFailed) as failed:
        load_words(templates, (language("fr"),))
    assert [(p.path, p.line, p.field) for p in failed.value.problems] == [("templates/locale/fr/LC_MESSAGES/messages.po", 4, "Plural-Forms")]


def test_what_a_build_finds_of_the_catalogues_follows_their_bytes(tmp_path: Path) -> None:
    """A build keeps what it found of the catalogues by their bytes: the same bytes are not checked
    again, changed ones are (a broken catalogue is also refused when its words load: a removed
    one is not, and is told only by the check)."""
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML.replace("language: en", "languages: [en, fr]")})
    assert "no catalogue for fr" not in build_site(content, tmp_path / "site", "--templates", str(templates)).err
    (templates / "locale/fr/LC_MESSAGES/messages.po").unlink()
    assert "no catalogue for fr" in build_site(content, tmp_path / "site", "--templates", str(templates)).err


def test_a_catalogue_changed_after_a_build_gives_the_next_its_words(tmp_path: Path) -> None:
    """A build keeps each catalogue compiled by its bytes: a translation changed since is shown."""
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML.replace("language: en", "languages: [en, fr]")})
    page = tmp_path / "site/fr/hubs/example-hub/index.html"
    build_site(content, tmp_path / "site", "--templates", str(templates))
    assert "Lieux à proximité" in page.read_text()
    catalogue = templates / "locale/fr/LC_MESSAGES/messages.po"
    catalogue.write_text(catalogue.read_text().replace('msgstr "Lieux à proximité"', 'msgstr "Centres tout près"'))
    build_site(content, tmp_path / "site", "--templates", str(templates))
    assert "Centres tout près" in page.read_text() and "Lieux à proximité" not in page.read_text()


def test_a_kept_catalogue_problem_names_its_file_as_this_build_sees_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The problems name a catalogue from the templates folder as given: one kept from a build
    that named the folder otherwise is not shown again."""
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (templates / "locale/fr/LC_MESSAGES/messages.po").unlink()
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML.replace("language: en", "languages: [en, fr]")})
    assert "templates/locale/fr/LC_MESSAGES/messages.po:1:1:" in build_site(content, tmp_path / "site", "--templates", str(templates)).err
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "\n")  # not "up to date": checked again
    monkeypatch.chdir(templates)
    err = build_site(content, tmp_path / "site", "--templates", ".").err
    assert "\nlocale/fr/LC_MESSAGES/messages.po:1:1:" in "\n" + err, err


def test_coverage_counts_plural_entries_only_with_a_rule_that_picks_their_forms() -> None:
    fine = checked_po(po("nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"), "fr", "fr.po")
    broken = checked_po(po("nplurals=3; plural=n + 1;"), "fr", "fr.po")
    short = checked_po(po("nplurals=3; plural=n > 1 ? 2 : 0;", HUB_FORMS.rsplit("msgstr[2]", 1)[0]), "fr", "fr.po")
    assert [catalogue_coverage(language("fr"), checked, set()).translated for checked in (fine, broken, short)] == [1, 0, 0]
    assert [p.field for p in broken.problems] == ["Plural-Forms"] and "nplurals=3" in short.problems[0].message


CARD_LINES = ("%(course)s — %(when)s", ("%(course)s — %(when)s, and %(num)d more course", "%(course)s — %(when)s, and %(num)d more courses"))


def rewritten(path: Path, change, locale: str | None = None) -> None:
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=locale)
    change(catalog)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=False)
    path.write_bytes(buffer.getvalue())


def made_obsolete(catalog) -> None:
    for message_id in CARD_LINES:
        catalog.obsolete[message_id] = catalog[message_id]
        catalog.delete(message_id)


def test_check_counts_a_message_pages_show_but_catalogues_lack_as_untranslated(tmp_path: Path) -> None:
    """The cards' line was used by the code, missing from messages.pot and only obsolete in each
    .po, while `check` said every language was 100 % translated."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    rewritten(templates / "locale/messages.pot", lambda catalog: [catalog.delete(message_id) for message_id in CARD_LINES])
    rewritten(templates / "locale/fr/LC_MESSAGES/messages.po", made_obsolete, "fr")
    result = run_cli("check", "--content", str(ROOT / "content"), "--templates", str(templates))
    assert result.code == 0, result.err
    total = len([message for message in extracted(ROOT / "templates") if message.id])
    assert f"fr: {total - 2} of {total} messages translated (99%)" in result.out
    assert "templates/locale/messages.pot:1:1: warning: catalogue: lacks 2 of the messages pages show, such as '%(course)s — %(when)s'" in result.err
