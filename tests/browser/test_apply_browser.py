"""The host journey in real headless Chromium: home page -> host guide -> /host/apply/ -> a YAML
record that `check` accepts unchanged and that builds into the hub's page; errors next to fields;
the e-mail and GitHub links; the page without JavaScript. Plus the static parts (host guide
counts, no GitHub link without a repository) checked on the built HTML."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema
import pytest
from chromium import require_tool, serve_directory, watched_page
from conftest import HUB_YAML, SITE_YAML, TODAY, build_site, parse_html, run_main, scratch_content, visible_text
from quality import AXE_JS, nu_check, route_tiles, tile_hosts
from sites import validator

from hubsite.content.reader import load_document
from hubsite.content.slugs import id_from_name
from hubsite.content.starters import STANDARD_REFS, starter_hub

REPOSITORY = "https://github.com/example-org/learning-hubs"
HOST_MD = "---\ntitle: Host a hub\nnav: 2\n---\nWhat hosting involves: a room, Wi-Fi and a facilitator.\n"
CONDUCT_MD = "---\ntitle: Code of conduct\n---\nBe kind.\n"
SECOND_PARTNER = "name: Biblioteca Nacional\nkind: library\nlogo: logos/bn.svg\nlogo_alt: Biblioteca Nacional logo\n"
LOGO = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"

# Typed into the form: quotes, colons, '#', a leading '-', non-Latin text, YAML words like NO.
TRICKY = {
    "name": 'The "Quoted": Hub # 1 — 東京 — مركز',
    "address.line1": "- 12 Rue de l'Église: #3",
    "address.city": "NO",
    "address.postal_code": "01234",
    "summary": "Yes: 'single' and \"double\" quotes, a \\ backslash, {braces} & [brackets] | > * ! % @ `",
    "description": "Line one: *Markdown*\n\n- a list item: with colon\n# hash\ttab and null ~ true\u2028after a line separator",
}
SLUG = "the-quoted-hub-1-mrkz"  # Han characters are not in the form's table; Arabic is
APPLICANT = {"applicant.name": "Wanjiru Kamau", "applicant.role": "Head librarian", "applicant.email": "wanjiru@library.example.org", "applicant.phone": "+254 700 000 000"}
SESSION = {"course": 'Learning: How to "Learn" #1', "starts": "2026-03-03", "ends": "2026-05-26", "from": "18:00", "to": "20:00", "language": "Swahili", "capacity": "25"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site with a host page, a code of conduct, two partners and a GitHub repository."""
    root = tmp_path_factory.mktemp("apply")
    content = scratch_content(root / "content", {
        "site.yaml": SITE_YAML + f"repository: {REPOSITORY}\n",
        "pages/host.md": HOST_MD,
        "pages/code-of-conduct.md": CONDUCT_MD,
        "partners/biblioteca-nacional.yaml": SECOND_PARTNER,
        "logos/bn.svg": LOGO,
    })
    build_site(content, root / "site")
    return root


@pytest.fixture(scope="module")
def served(project: Path) -> Iterator[str]:
    with serve_directory(project / "site") as base:
        yield base


def fill(page, field: str, value: str) -> None:
    page.fill(f"#f-{field.replace('.', '-')}", value)


def fill_valid(page, session_row: int = 0) -> None:
    for field, value in {**APPLICANT, **TRICKY}.items():
        fill(page, field, value)
    page.select_option("#f-address-country", "KE")
    page.click("#coordinates summary")
    fill(page, "location.lat", "-1.3133")
    fill(page, "location.lon", "36.7876")
    page.select_option("#f-host", "example-library")
    fill(page, "contact.email", "hub@example.org")
    fill(page, "contact.phone", "+254 (20) 123-4567")
    page.check("#f-languages-en")
    fill(page, "languages.other", "Kiswahili")
    page.check("#f-facilities-wifi")
    page.check("#f-facilities-computers")
    for field, value in SESSION.items():
        fill(page, f"sessions.{session_row}.{field}", value)
    page.check(f"#f-sessions-{session_row}-days-tuesday")
    page.check(f"#f-sessions-{session_row}-days-thursday")
    page.check("#f-agree")


def record_files(page) -> dict[str, str]:
    """{'content/hubs/x.yaml': yaml, ...} as the result section shows them."""
    files = {}
    for kind in ("hub", "partner"):
        if page.locator(f"#{kind}-record").get_attribute("hidden") is None:
            files[page.text_content(f"#{kind}-record [data-file]")] = page.input_value(f"#{kind}-yaml")
    return files


def check_in_copy(project: Path, tmp_path: Path, files: dict[str, str]) -> tuple[Path, object]:
    """Drop the records, unchanged, into a copy of the content folder and run `check`."""
    shutil.copytree(project / "content", tmp_path / "content")
    for path, text in files.items():
        (tmp_path / path).write_text(text, encoding="utf-8", newline="")
    return tmp_path / "content", run_main("check", "--content", str(tmp_path / "content"), "--today", TODAY)


def query(url: str) -> dict[str, str]:
    """Decode a query exactly (no '+' as space: encodeURIComponent writes %20 and %2B)."""
    return {k: unquote(v) for k, _, v in (part.partition("=") for part in urlsplit(url).query.split("&"))}


def submit(page) -> None:
    page.click("#apply-submit")


@pytest.mark.browser
def test_a_new_host_goes_from_the_home_page_to_a_record_that_builds(browser, project: Path, served: str, tmp_path: Path) -> None:
    tiles = tile_hosts(project / "content/site.yaml")
    with watched_page(browser) as page:
        route_tiles(page, tiles)
        page.goto(served)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Host a hub").click()
        assert "Who already hosts" in page.text_content("main")
        page.locator("main a.primary").click()
        assert page.url == served + "host/apply/"
        fill_valid(page)
        assert page.input_value("#f-slug") == SLUG
        submit(page)
        assert page.is_hidden("#apply-errors"), page.text_content("#apply-errors")
        assert page.evaluate("document.activeElement.id") == "apply-result-title"
        files = record_files(page)
        assert page.console_errors == [] and page.dialogs == []
        assert [url for url in page.requests if urlsplit(url).scheme.startswith("http") and urlsplit(url).hostname not in {"127.0.0.1", *tiles}] == []
    assert list(files) == [f"content/hubs/{SLUG}.yaml"]
    yaml = files[f"content/hubs/{SLUG}.yaml"]
    assert yaml.splitlines()[0] == f"# yaml-language-server: $schema={STANDARD_REFS['hub']}"
    for said in APPLICANT.values():  # who applied is in the e-mail only, never in what is published
        assert said not in yaml
    content, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err
    assert checked.err == ""  # no warnings either
    record = load_document(content / f"hubs/{SLUG}.yaml", "hub")[0].data
    for field, typed in TRICKY.items():
        value = record
        for part in field.split("."):
            value = value[part]
        assert value == typed, field
    session = record["sessions"][0]
    assert (session["course"], session["days"], session["time"], session["capacity"], session["language"]) == (SESSION["course"], ["tuesday", "thursday"], "18:00-20:00", 25, "sw")
    assert (record["languages"], record["facilities"], record["location"]) == (["en", "sw"], ["wifi", "computers"], {"lat": -1.3133, "lon": 36.7876})
    build_site(content, tmp_path / "site")
    assert TRICKY["name"] in visible_text(tmp_path / f"site/hubs/{SLUG}/index.html")


@pytest.mark.browser
def test_opened_from_disk_the_form_still_makes_a_record(browser, project: Path, tmp_path: Path) -> None:
    """From file:// (a USB stick), where browsers refuse script modules: the three classic scripts
    load in order, share their namespace, and the form makes a record that `check` accepts."""
    site = tmp_path / "disk-site"
    build_site(project / "content", site, "--base-url", site.as_uri() + "/")
    with watched_page(browser) as page:
        page.goto((site / "host/apply/index.html").as_uri())
        scripts = page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.src)")
        assert [re.sub(r"^.*/js/|\.[0-9a-f]{8}\.js$", "", src) for src in scripts if "/js/apply" in src] == ["apply-schema", "apply-records", "apply-form"]
        assert all(src.startswith("file://") for src in scripts)
        fill_valid(page)
        assert page.input_value("#f-slug") == SLUG  # records and ids
        submit(page)
        assert page.is_hidden("#apply-errors"), page.text_content("#apply-errors")  # schema checks
        files = record_files(page)  # the form
        assert page.console_errors == [] and page.dialogs == []
    assert list(files) == [f"content/hubs/{SLUG}.yaml"]
    _, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err


@pytest.mark.browser
def test_facilitators_dates_without_meetings_and_a_link_from_openstreetmap(browser, project: Path, served: str, tmp_path: Path) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        fill_valid(page)
        fill(page, "location.lat", "")
        fill(page, "location.lon", "")
        page.check("#f-location-how-link")
        assert page.is_visible("#f-location-link")
        fill(page, "location.link", "https://www.openstreetmap.org/?mlat=-1.31234&mlon=36.78765#map=19/-1.3/36.7")
        page.locator("#f-location-link").dispatch_event("change")
        assert (page.input_value("#f-location-lat"), page.input_value("#f-location-lon")) == ("-1.31234", "36.78765")
        fill(page, "facilitators.0.name", "Amina Njeri")
        fill(page, "facilitators.0.bio", "Librarian; took the course in 2025.")
        page.click("[data-add-row=facilitators]")
        assert page.evaluate("document.activeElement.id") == "f-facilitators-1-name"
        fill(page, "facilitators.1.name", "Otieno")
        fill(page, "sessions.0.facilitator", "Otieno")
        fill(page, "sessions.0.exceptions-0", "2026-04-07")
        page.click("[data-row='0'] [data-add-exception]")
        page.fill("#f-sessions-0-exceptions-1", "2026-04-09")
        submit(page)
        files = record_files(page)
        mail = query(page.get_attribute("#send-mail", "href"))["body"].replace("\r\n", "\n")
        assert page.console_errors == []
    record = load_document_text(files[f"content/hubs/{SLUG}.yaml"])
    assert record["facilitators"] == [{"name": "Amina Njeri", "bio": "Librarian; took the course in 2025."}, {"name": "Otieno"}]
    assert (record["sessions"][0]["facilitator"], record["sessions"][0]["exceptions"]) == ("Otieno", ["2026-04-07", "2026-04-09"])
    assert record["location"] == {"lat": -1.31234, "lon": 36.78765}
    assert "Where it is: https://www.openstreetmap.org/?mlat=-1.31234" in mail
    _, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err


def load_document_text(yaml: str) -> dict:
    import yaml as pyyaml

    return pyyaml.safe_load(yaml)


@pytest.mark.browser
def test_the_venue_is_pointed_at_on_a_map(browser, project: Path, served: str) -> None:
    with watched_page(browser) as page:
        route_tiles(page, tile_hosts(project / "content/site.yaml"))
        page.goto(served + "host/apply/")
        assert page.is_visible("#f-location-how-map")  # offered only where the script runs
        page.check("#f-location-how-map")
        page.wait_for_selector("#pick-map.leaflet-container")
        box = page.locator("#pick-map").bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        lat, lon = float(page.input_value("#f-location-lat")), float(page.input_value("#f-location-lon"))
        centre = page.evaluate("JSON.parse(document.getElementById('apply-data').textContent).map.options.center")
        assert abs(lat - centre[0]) < 1 and abs(lon - centre[1]) < 1
        assert page.text_content("#picked") == f"Point chosen: {page.input_value('#f-location-lat')}, {page.input_value('#f-location-lon')}."
        assert page.locator("#pick-map .leaflet-marker-icon").count() == 1
        assert page.console_errors == []


@pytest.mark.browser
def test_ids_are_transliterated_as_python_does(browser, served: str) -> None:
    names = ["Central Library Brooklyn's Big One", "Библиотека им. Пушкина", "Київська бібліотека", "서울 도서관",
             "Bibliothèque d’Évry", "Thư viện Hà Nội", "Ελληνική Βιβλιοθήκη", "Łódź Straße", "مكتبة الإسكندرية", "CON", "A" + " very long name" * 6]
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        made = {}
        for name in names:
            page.fill("#f-name", name)
            made[name] = page.input_value("#f-slug")
        fill(page, "slug", "my-own-id")
        page.fill("#f-name", "Another name")
        assert page.input_value("#f-slug") == "my-own-id"  # edited by hand: left alone
    assert made == {name: id_from_name(name) for name in names}
    assert made["Central Library Brooklyn's Big One"] == "central-library-brooklyns-big-one"


@pytest.mark.browser
def test_a_new_organisation_gets_its_own_record(browser, project: Path, served: str, tmp_path: Path) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        assert page.is_hidden("#new-partner")
        fill_valid(page)
        page.select_option("#f-host", "+new")
        assert page.is_visible("#new-partner")
        fill(page, "partner.name", "Fundación Ñandú: \"Leer\"")
        page.select_option("#f-partner-kind", "nonprofit")
        fill(page, "partner.website", "https://nandu.example.org/")
        assert page.input_value("#f-partner-id") == "fundacion-nandu-leer"
        submit(page)
        files = record_files(page)
        github = [page.get_attribute("#send-github", "href"), page.get_attribute("#send-github-partner", "href")]
        assert page.console_errors == []
    assert sorted(files) == [f"content/hubs/{SLUG}.yaml", "content/partners/fundacion-nandu-leer.yaml"]
    assert 'host: "fundacion-nandu-leer"' in files[f"content/hubs/{SLUG}.yaml"]
    assert [query(link)["filename"] for link in github] == sorted(files)
    content, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err
    assert load_document(content / "partners/fundacion-nandu-leer.yaml", "partner")[0].data["name"] == "Fundación Ñandú: \"Leer\""


@pytest.mark.browser
def test_errors_show_next_to_their_fields(browser, served: str) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        fill(page, "applicant.email", "wanjiru@")
        fill(page, "slug", "Bad Slug")
        fill(page, "languages.other", "Klingonese")
        page.check("#f-location-how-link")
        fill(page, "location.link", "https://www.openstreetmap.org/node/123")
        fill(page, "contact.email", "not-an-email")
        fill(page, "sessions.0.course", "Course")
        fill(page, "sessions.0.starts", "2026-03-10")
        fill(page, "sessions.0.ends", "2026-03-01")
        fill(page, "sessions.0.from", "20:00")
        fill(page, "sessions.0.to", "18:00")
        fill(page, "sessions.0.language", "Elvish")
        submit(page)
        expected = {
            "f-applicant-name": "This is required.",
            "f-applicant-email": "This is not an e-mail address, like name@example.org.",
            "f-host": "This is required.",
            "f-name": "This is required.",
            "f-slug": "Use small letters, digits and single hyphens, like kibera-library.",
            "f-languages-other": "We do not know the language “Klingonese”: choose it from the list, or write its code, like sw.",
            "f-address-city": "This is required.",
            "f-address-country": "This is required.",
            "f-location-link": "This link does not show a point: on openstreetmap.org, right-click the building, choose “Show address”, and copy the address bar.",
            "f-contact-email": "not an e-mail address",
            "f-sessions-0-ends": "The last meeting is before the first one.",
            "f-sessions-0-days": "Choose the day or days it meets.",
            "f-sessions-0-time": "The end time must be after the start time.",
            "f-sessions-0-language": "We do not know the language “Elvish”: choose it from the list, or write its code, like sw.",
            "f-agree": "Please agree to the code of conduct.",
        }
        for field, message in expected.items():
            error = page.locator(f"#{field}-error")
            assert error.is_visible() and message in error.text_content(), field
            slot = page.locator(f"[data-path]:has(> #{field}-error)")
            for control in slot.locator("input, select, textarea").all():
                assert control.get_attribute("aria-invalid") == "true", field
                assert f"{field}-error" in control.get_attribute("aria-describedby").split(), field
        shown = page.locator(".field-error:visible").count()
        assert shown == len(expected)
        assert page.evaluate("document.activeElement.id") == "apply-errors"
        assert page.text_content("#apply-errors h2") == f"There are {shown} problems with your answers"
        links = page.locator("#apply-errors a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert links[0] == "#f-applicant-name" and len(links) == shown
        assert page.is_hidden("#apply-result")
        fill(page, "name", "Now named")
        page.locator("#f-name").dispatch_event("change")
        assert page.is_hidden("#f-name-error") and page.get_attribute("#f-name", "aria-invalid") is None
        assert "f-name-error" not in (page.get_attribute("#f-name", "aria-describedby") or "")
        assert page.console_errors == []


@pytest.mark.browser
def test_the_mail_carries_the_applicant_and_the_record_and_github_only_the_record(browser, served: str) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        fill_valid(page)
        fill(page, "message", "Can we start in March?")
        submit(page)
        yaml = page.input_value("#hub-yaml")
        mail = page.get_attribute("#send-mail", "href")
        github = page.get_attribute("#send-github", "href")
        assert page.is_hidden("#send-github-partner")
        download = page.get_attribute("#hub-download", "download")
    assert urlsplit(mail).scheme == "mailto" and urlsplit(mail).path == "hubs@example.org"
    fields = query(mail)
    assert fields["subject"] == f"Learning hub application: {TRICKY['name']}"
    body = fields["body"]
    assert "\r\n" in body
    body = body.replace("\r\n", "\n")
    assert body.startswith("Hello, we would like to host a learning hub.\n\nFrom: Wanjiru Kamau\nRole: Head librarian\nE-mail: wanjiru@library.example.org\nPhone: +254 700 000 000\n\nMessage:\nCan we start in March?\n")
    assert body.endswith(f"content/hubs/{SLUG}.yaml\n\n" + yaml)
    assert github.startswith(f"{REPOSITORY}/new/main?filename=content/hubs/{SLUG}.yaml&value=")
    assert query(github) == {"filename": f"content/hubs/{SLUG}.yaml", "value": yaml}  # nothing about the applicant in a public pull request
    assert download == f"{SLUG}.yaml"


@pytest.mark.browser
def test_course_groups_can_be_added_and_removed(browser, project: Path, served: str, tmp_path: Path) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        assert page.is_hidden("[data-row='0'] [data-remove]")  # one row: nothing to remove
        page.click("#add-session")
        page.click("#add-session")
        assert page.locator("#sessions-rows > [data-row]").count() == 3
        assert page.evaluate("document.activeElement.id") == "f-sessions-2-course"
        ids = page.locator("#apply-form [id]").evaluate_all("els => els.map(e => e.id)")
        assert len(ids) == len(set(ids))
        fill_valid(page, session_row=2)
        fill(page, "sessions.0.course", "Second course")
        page.click("[data-row='1'] [data-remove]")
        assert page.locator("#sessions-rows > [data-row]").count() == 2
        assert page.text_content("[data-row='2'] [data-row-number]") == "2"
        submit(page)
        assert page.is_visible("#f-sessions-0-days-error")  # the unfinished first row is reported, in its row
        page.click("#sessions-rows [data-row='0'] [data-remove]")
        submit(page)
        files = record_files(page)
        assert page.console_errors == []
    _, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err


@pytest.mark.browser
def test_without_javascript_the_form_mails_the_answers(browser, project: Path, served: str) -> None:
    with watched_page(browser, java_script_enabled=False) as page:
        page.goto(served + "host/apply/")
        form = page.locator("#apply-form")
        assert form.get_attribute("action").startswith("mailto:hubs@example.org?subject=")
        assert (form.get_attribute("method"), form.get_attribute("enctype")) == ("post", "text/plain")
        assert page.locator("[data-nojs]").first.is_visible()
        assert page.text_content("#apply-submit") == "Send my answers by e-mail"
        assert page.is_hidden("#apply-result") and page.is_hidden("#add-session")
        assert page.is_hidden("#f-location-how-map") and page.is_visible("#f-location-link")  # no map, but the link works
        assert page.is_visible("#new-partner")
        for required in ("#f-applicant-name", "#f-applicant-email", "#f-name", "#f-agree"):
            assert page.locator(required).get_attribute("required") is not None
        page.click(".starter summary")
        starter = page.text_content(".starter pre")
    assert starter == starter_hub(STANDARD_REFS["hub"], ["biblioteca-nacional", "example-library"])


@pytest.mark.browser
def test_every_schema_pattern_compiles_in_unicode_mode(browser, served: str) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        bad = page.evaluate("""() => {
          const out = [];
          const walk = (n) => { if (n && typeof n === 'object') {
            if (typeof n.pattern === 'string') { try { new RegExp(n.pattern, 'u'); } catch (e) { out.push(n.pattern); } }
            Object.values(n).forEach(walk); } };
          walk(JSON.parse(document.getElementById('apply-data').textContent).schemas);
          return out; }""")
    assert bad == []


@pytest.mark.browser
def test_form_states_have_no_serious_accessibility_violations(browser, served: str) -> None:
    require_tool(AXE_JS.is_file(), f"axe-core ({AXE_JS})")
    found = {}
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        submit(page)
        found["errors"] = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        fill_valid(page)
        submit(page)
        found["result"] = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = {state: [v["id"] for v in found[state] if v["impact"] in ("serious", "critical")] for state in found}
    assert serious == {"errors": [], "result": []}


@pytest.mark.validator
def test_host_pages_are_valid_html(project: Path) -> None:
    errors, _ = nu_check([project / "site/host/index.html", project / "site/host/apply/index.html"])
    assert errors == []


# --- the static parts, on the built HTML ---------------------------------------------------------------


def test_host_guide_has_one_way_to_apply_and_says_what_follows(project: Path) -> None:
    page = project / "site/host/index.html"
    text = visible_text(page)
    assert "What hosting involves" in text
    assert "1 hub in 1 country. Run by 1 organisation." in text
    assert "We reply within two weeks" in text and "pausing or closing your hub" in text
    main = parse_html(page).xpath("//main")[0]
    links = {a.text_content().strip(): a.get("href") for a in main.xpath(".//a")}
    assert links["Example Library"] == "../partners/example-library/"
    assert "Biblioteca Nacional" not in links  # it hosts no hub yet
    primary = main.xpath(".//a[contains(concat(' ', @class, ' '), ' primary ')]")
    assert [(a.text_content(), a.get("href")) for a in primary] == [("Apply to host a hub", "../host/apply/")]
    assert links["Tell us about your organisation"] == "https://example.org/apply"  # the other way is a plain link, after


def test_apply_page_embeds_the_published_schema(project: Path) -> None:
    doc = parse_html(project / "site/host/apply/index.html")
    data = json.loads(doc.get_element_by_id("apply-data").text)
    for kind in ("hub", "partner"):
        assert data["schemas"][kind] == json.loads((project / f"site/schema/{kind}.schema.json").read_text(encoding="utf-8"))
    assert data["githubNew"] == f"{REPOSITORY}/new/main"
    assert data["partners"] == ["biblioteca-nacional", "example-library"] and data["hubs"] == ["example-hub"]
    options = doc.xpath("//select[@id='f-host']/option/@value")
    assert options == ["", "biblioteca-nacional", "example-library", "+new"]


def test_no_github_link_without_a_github_repository(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML + "repository: https://gitlab.com/x/y\n"})
    build_site(content, tmp_path / "site")
    doc = parse_html(tmp_path / "site/host/apply/index.html")
    assert doc.xpath("//*[@id='send-github']") == []
    assert json.loads(doc.get_element_by_id("apply-data").text)["githubNew"] is None


# --- the application always arrives: the whole of it copied or downloaded, or posted to an endpoint ---


@pytest.fixture(scope="module")
def several_languages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site in English, Arabic and Simplified Chinese, served; its hub speaks plain zh."""
    root = tmp_path_factory.mktemp("apply-languages")
    site_yaml = SITE_YAML.replace("language: en\n", "languages: [en, ar, zh-Hans]\n")
    hub_yaml = HUB_YAML.replace("languages: [en, sw]", "languages: [zh, en]")
    build_site(scratch_content(root / "content", {"site.yaml": site_yaml, "hubs/example-hub.yaml": hub_yaml, "pages/host.md": HOST_MD}), root / "site")
    with serve_directory(root / "site") as base:
        yield base


@pytest.mark.browser
def test_the_whole_application_is_copied_in_one_tap_and_downloaded_as_one_file(browser, served: str) -> None:
    """For webmail and shared computers: the applicant's details, their message and the record, in
    the clipboard and in a .txt file, with the address to send it to shown as text."""
    with watched_page(browser, permissions=["clipboard-read", "clipboard-write"]) as page:
        page.goto(served + "host/apply/")
        fill_valid(page)
        fill(page, "message", "Can we start in March?\nWe have 20 chairs.")
        submit(page)
        assert page.text_content("#send-to") == "hubs@example.org" and page.is_visible("#send-to")
        yaml = page.input_value("#hub-yaml")
        page.click("#copy-all")
        page.wait_for_function("document.getElementById('copy-all-status').textContent !== ''")
        copied = page.evaluate("navigator.clipboard.readText()")
        with page.expect_download() as download:
            page.click("#application-download")
        saved = Path(download.value.path()).read_text(encoding="utf-8")
        name = download.value.suggested_filename
        assert page.text_content("#copy-all-status") == "Copied."
        assert page.console_errors == []
    assert copied == saved
    assert name == f"learning-hub-application-{SLUG}.txt"
    assert copied.startswith(f"To: hubs@example.org\nLearning hub application: {TRICKY['name']}\n\nHello, we would like to host a learning hub.\n\nFrom: Wanjiru Kamau\n")
    assert "E-mail: wanjiru@library.example.org\n" in copied and "Message:\nCan we start in March?\nWe have 20 chairs.\n" in copied
    assert copied.endswith(f"content/hubs/{SLUG}.yaml\n\n" + yaml)


class Receiver(http.server.BaseHTTPRequestHandler):
    """A form handler on 127.0.0.1: keeps each POST's fields."""

    posts: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
        self.posts.append(parse_qs(body, keep_blank_values=True, strict_parsing=True))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>Thank you</title><p>Received")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.browser
def test_with_an_endpoint_the_application_is_posted_there(browser, tmp_path: Path) -> None:
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{receiver.server_address[1]}/applications"
    try:
        content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML + f"application_endpoint: {endpoint}\n", "pages/host.md": HOST_MD})
        build_site(content, tmp_path / "site")
        assert f"; form-action 'self' http://127.0.0.1:{receiver.server_address[1]} mailto:\n" in (tmp_path / "site/_headers").read_text()
        with serve_directory(tmp_path / "site") as base, watched_page(browser) as page:
            page.goto(base + "host/apply/")
            assert page.get_attribute("#apply-form", "action") == endpoint
            fill_valid(page)
            fill(page, "message", "Can we start in March?")
            submit(page)
            yaml = page.input_value("#hub-yaml")
            assert page.is_visible("#send-mail")  # e-mail stays a way to send it
            with page.expect_navigation():
                page.click("#send-form")
            assert "Received" in page.text_content("body")
    finally:
        receiver.shutdown()
        receiver.server_close()
    [posted] = Receiver.posts
    fields = {name: [value.replace("\r\n", "\n") for value in values] for name, values in posted.items()}  # a form sends line breaks as CRLF
    assert fields["hub_record"] == [yaml] and fields["partner_record"] == [""]
    assert fields["applicant.name"] == ["Wanjiru Kamau"] and fields["message"] == ["Can we start in March?"]
    assert "From: Wanjiru Kamau" in fields["application"][0] and fields["application"][0].endswith(yaml)


@pytest.mark.browser
@pytest.mark.parametrize(("prefix", "expected"), [
    ("en/", "The group does not meet on 2026-03-09: it is a Monday, and the group meets on Tuesday and Thursday."),
    ("ar/", "المجموعة لا تجتمع في 2026-03-09: فهو يوم الاثنين، والمجموعة تجتمع أيام الثلاثاء والخميس."),
])
def test_a_date_without_a_meeting_says_why_in_the_page_language(browser, several_languages: str, prefix: str, expected: str) -> None:
    with watched_page(browser) as page:
        page.goto(several_languages + prefix + "host/apply/")
        fill(page, "sessions.0.starts", "2026-03-03")
        fill(page, "sessions.0.ends", "2026-05-26")
        page.check("#f-sessions-0-days-tuesday")
        page.check("#f-sessions-0-days-thursday")
        fill(page, "sessions.0.exceptions-0", "2026-03-09")
        submit(page)
        assert page.text_content("#f-sessions-0-exceptions-error") == expected


@pytest.mark.browser
def test_each_language_is_offered_once_by_one_name(browser, several_languages: str) -> None:
    """The site speaks zh-Hans and a hub zh: one language, offered once, by the site's tag; "Chinese"
    and "zh" typed mean it too."""
    with watched_page(browser) as page:
        page.goto(several_languages + "en/host/apply/")
        names = page.locator("#language-names option").evaluate_all("options => options.map(o => o.value)")
        ticked = page.locator("[data-path=languages] input").evaluate_all("boxes => boxes.map(b => b.value)")
        fill(page, "languages.other", "Chinese, zh")
        submit(page)
        other_error = page.text_content("#f-languages-other-error")
    assert len(names) == len(set(names)) and len(ticked) == len(set(ticked))
    assert "Chinese (Simplified)" in names and "Chinese" not in names
    assert ticked == ["ar", "zh-Hans", "en"]  # by name: Arabic, Chinese (Simplified), English
    assert other_error == ""


@pytest.mark.browser
def test_choices_are_big_enough_to_tap_and_the_web_address_does_not_read_as_the_street(browser, served: str) -> None:
    with watched_page(browser, viewport={"width": 375, "height": 800}) as page:
        page.goto(served + "host/apply/")
        for box in ("#f-agree", "#f-facilities-wifi", "#f-languages-en", "#f-sessions-0-days-monday", "#f-location-how-later"):
            size = page.locator(box).bounding_box()
            assert size["width"] >= 24 and size["height"] >= 24, (box, size)
        paths = page.locator("#apply-form [data-path]").evaluate_all("slots => slots.map(s => s.getAttribute('data-path'))")
        label = page.text_content("label[for=f-slug]")
    assert paths.index("slug") > paths.index("languages.other") and paths[paths.index("name") + 1] == "summary"
    assert label == "Web address of its page in this directory (optional)"


# An online group's answers (SESSION's dates: Mar 3 to May 26): a link with a passcode and a ';', every sign-up field.
ONLINE = {"online_url": "https://meet.example.org/abc-defg?pwd=x1;y2", "signup_opens": "2026-02-15", "signup_closes": "2026-03-10", "join_until": "2026-03-24"}


@pytest.mark.browser
def test_an_online_group_makes_a_record_the_schema_and_check_accept(browser, project: Path, served: str, tmp_path: Path) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        fill_valid(page)
        assert page.input_value("#f-sessions-0-mode") == "in-person" and page.is_hidden("#f-sessions-0-online_url")
        page.select_option("#f-sessions-0-mode", "online")
        assert page.is_visible("#f-sessions-0-online_url")
        page.select_option("#f-sessions-0-signup", "waitlist")
        for field, value in ONLINE.items():
            fill(page, f"sessions.0.{field}", value)
        page.click("#add-session")  # a new row meets in person until told otherwise: no link field
        assert page.is_hidden("#f-sessions-1-online_url")
        page.select_option("#f-sessions-1-mode", "hybrid")
        assert page.is_visible("#f-sessions-1-online_url")
        page.click("[data-row='1'] [data-remove]")
        submit(page)
        assert page.is_hidden("#apply-errors"), page.text_content("#apply-errors")
        files = record_files(page)
        assert page.console_errors == []
    yaml = files[f"content/hubs/{SLUG}.yaml"]
    session = load_document_text(yaml)["sessions"][0]
    assert {key: session[key] for key in ("mode", "signup", *ONLINE)} == {"mode": "online", "signup": "waitlist", **ONLINE}
    assert list(validator("hub").iter_errors(load_document_text(yaml))) == []
    content, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err
    build_site(content, tmp_path / "site")
    hub_page = parse_html(tmp_path / f"site/hubs/{SLUG}/index.html")
    assert hub_page.xpath("//li[@class='session']/p[starts-with(@class, 'mode ')]/text()") == ["Online"]
    assert hub_page.xpath("//li[@class='session']//a[@rel='nofollow']/@href") == [ONLINE["online_url"]]


@pytest.mark.browser
def test_sign_up_dates_are_refused_where_check_refuses_them(browser, project: Path, served: str, tmp_path: Path) -> None:
    """The form's own checks of the sign-up dates follow the Session model's: each answer it refuses,
    `check` refuses at the same field; what it accepts, `check` accepts. A link typed for an online
    group that then meets in person stays out of the record."""
    wrong = [({"signup_opens": "2026-04-01", "signup_closes": "2026-03-20", "join_until": "2026-06-01"},
              {"signup_closes": "Sign-up cannot close before it opens.", "join_until": "2026-06-01 is not between the first and the last meeting."}),
             ({"signup_opens": "", "signup_closes": "2026-06-01", "join_until": "2026-03-02"},
              {"signup_closes": "2026-06-01 is after the last meeting: choose a date on or before it.", "join_until": "2026-03-02 is not between the first and the last meeting."}),
             ({"signup_opens": "2026-05-27", "signup_closes": "", "join_until": ""},
              {"signup_opens": "2026-05-27 is after the last meeting: choose a date on or before it."})]
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        fill_valid(page)
        page.select_option("#f-sessions-0-mode", "hybrid")
        fill(page, "sessions.0.online_url", "https://meet.example.org/typed-then-not-wanted")
        page.select_option("#f-sessions-0-mode", "in-person")
        assert page.is_hidden("#f-sessions-0-online_url")
        refused = []
        for answers, _ in wrong:
            for field, value in answers.items():
                fill(page, f"sessions.0.{field}", value)
            submit(page)
            refused.append({field: page.text_content(f"#f-sessions-0-{field}-error") for field in answers if page.is_visible(f"#f-sessions-0-{field}-error")})
            assert page.locator(".field-error:visible").count() == len(refused[-1])
        for field, value in {"signup_opens": "2026-02-20", "signup_closes": "2026-05-26", "join_until": "2026-05-26"}.items():
            fill(page, f"sessions.0.{field}", value)
        submit(page)
        assert page.is_hidden("#apply-errors"), page.text_content("#apply-errors")
        files = record_files(page)
        assert page.console_errors == []
    assert refused == [said for _, said in wrong]
    yaml = files[f"content/hubs/{SLUG}.yaml"]
    session = load_document_text(yaml)["sessions"][0]
    assert "online_url" not in session and "mode" not in session and "signup" not in session
    _, checked = check_in_copy(project, tmp_path / "accepted", files)
    assert checked.code == 0, checked.err
    dates = "    signup_opens: \"2026-02-20\"\n    signup_closes: \"2026-05-26\"\n    join_until: \"2026-05-26\"\n"
    assert dates in yaml
    for number, (answers, said) in enumerate(wrong):
        lines = "".join(f"    {field}: \"{value}\"\n" for field, value in answers.items() if value)
        _, checked = check_in_copy(project, tmp_path / f"refused-{number}", {path: text.replace(dates, lines) for path, text in files.items()})
        assert checked.code == 1
        assert sorted(re.findall(r"sessions\[0\]\.(\w+):", checked.err)) == sorted(said), checked.err


@pytest.mark.browser
def test_the_form_checks_if_then_and_else_as_the_schema_means_them(browser, served: str) -> None:
    """apply-schema.js against jsonschema on the published rule (no video call's link for a group
    in person, said or by default) and on a rule with an `else`."""
    other = {"if": {"properties": {"a": {"enum": [1]}}}, "then": {"required": ["b"]}, "else": {"required": ["c"]}}
    cases = [({"a": 1}, other), ({"a": 2}, other), ({"a": 2, "c": 0}, other), ({"a": 1, "b": 0}, other), ({}, other)]
    hub = json.loads(json.dumps(validator("hub").schema))
    for mode in (None, "in-person", "online", "hybrid"):
        session = {"course": "C", "starts": "2026-03-03", "ends": "2026-05-26", "day": "tuesday", "time": "18:00-20:00", "online_url": "https://meet.example.org/x"}
        record = {"name": "Hub", "host": "example-library", "address": {"city": "Nairobi", "country": "KE"}, "sessions": [session | ({"mode": mode} if mode else {})]}
        cases.append((record, hub))
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        found = page.evaluate("cases => cases.map(([value, schema]) => hubsiteApply.schema.validator(key => key)(schema, value).length)", cases)
    expected = [len(list(jsonschema.Draft7Validator(schema).iter_errors(value))) for value, schema in cases]
    assert [bool(n) for n in found] == [bool(n) for n in expected] == [True, True, False, False, True, True, True, False, False]
