"""The host journey in real headless Chromium: home page -> host guide -> /host/apply/ -> a YAML
record that `check` accepts unchanged and that builds into the hub's page; errors next to fields;
the e-mail and GitHub links; the page without JavaScript. Plus the static parts (host guide
counts, no GitHub link without a repository) checked on the built HTML."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from chromium import require_tool, serve_directory, watched_page
from conftest import SITE_YAML, TODAY, build_site, parse_html, run_main, scratch_content, visible_text
from quality import AXE_JS, nu_check, route_tiles, tile_hosts

from hubsite.content.reader import load_document
from hubsite.content.starters import STANDARD_REFS, starter_hub

REPOSITORY = "https://github.com/example-org/learning-hubs"
HOST_MD = "---\ntitle: Host a hub\nnav: 2\n---\nWhat hosting involves: a room, Wi-Fi and a facilitator.\n"
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
SESSION = {"course": 'Learning: How to "Learn" #1', "starts": "2026-03-03", "ends": "2026-05-26", "from": "18:00", "to": "20:00", "language": "sw", "capacity": "25"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site with a host page, two partners and a GitHub repository."""
    root = tmp_path_factory.mktemp("apply")
    content = scratch_content(root / "content", {
        "site.yaml": SITE_YAML + f"repository: {REPOSITORY}\n",
        "pages/host.md": HOST_MD,
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
    for field, value in TRICKY.items():
        fill(page, field, value)
    page.select_option("#f-address-country", "KE")
    fill(page, "location.lat", "-1.3133")
    fill(page, "location.lon", "36.7876")
    page.select_option("#f-host", "example-library")
    fill(page, "contact.email", "hub@example.org")
    fill(page, "contact.phone", "+254 (20) 123-4567")
    fill(page, "languages", "en, sw")
    page.check("#f-facilities-wifi")
    page.check("#f-facilities-computers")
    for field, value in SESSION.items():
        fill(page, f"sessions.{session_row}.{field}", value)
    page.check(f"#f-sessions-{session_row}-days-tuesday")
    page.check(f"#f-sessions-{session_row}-days-thursday")


def record_files(page) -> dict[str, str]:
    """{'content/hubs/x.yaml': yaml, ...} as the result section shows them."""
    files = {}
    for kind in ("hub", "partner"):
        if page.is_visible(f"#{kind}-record"):
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


@pytest.mark.browser
def test_a_new_host_goes_from_the_home_page_to_a_record_that_builds(browser, project: Path, served: str, tmp_path: Path) -> None:
    tiles = tile_hosts(project / "content/site.yaml")
    with watched_page(browser) as page:
        route_tiles(page, tiles)
        page.goto(served)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Host a hub").click()
        assert "Who already hosts" in page.text_content("main")
        page.get_by_role("link", name="Fill in the hub form").click()
        assert page.url == served + "host/apply/"
        fill_valid(page)
        assert page.input_value("#f-slug") == "the-quoted-hub-1"
        page.click("#apply-submit")
        assert page.is_hidden("#apply-errors")
        assert page.evaluate("document.activeElement.id") == "apply-result-title"
        files = record_files(page)
        assert page.console_errors == [] and page.dialogs == []
        assert [url for url in page.requests if urlsplit(url).scheme.startswith("http") and urlsplit(url).hostname not in {"127.0.0.1", *tiles}] == []
    assert list(files) == ["content/hubs/the-quoted-hub-1.yaml"]
    yaml = files["content/hubs/the-quoted-hub-1.yaml"]
    assert yaml.splitlines()[0] == f"# yaml-language-server: $schema={STANDARD_REFS['hub']}"
    content, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err
    assert checked.err == ""  # no warnings either
    record = load_document(content / "hubs/the-quoted-hub-1.yaml", "hub")[0].data
    for field, typed in TRICKY.items():
        value = record
        for part in field.split("."):
            value = value[part]
        assert value == typed, field
    session = record["sessions"][0]
    assert (session["course"], session["days"], session["time"], session["capacity"]) == (SESSION["course"], ["tuesday", "thursday"], "18:00-20:00", 25)
    assert (record["languages"], record["facilities"], record["location"]) == (["en", "sw"], ["computers", "wifi"], {"lat": -1.3133, "lon": 36.7876})
    build_site(content, tmp_path / "site")
    assert TRICKY["name"] in visible_text(tmp_path / "site/hubs/the-quoted-hub-1/index.html")


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
        page.click("#apply-submit")
        files = record_files(page)
        github = [page.get_attribute("#send-github", "href"), page.get_attribute("#send-github-partner", "href")]
        assert page.console_errors == []
    assert sorted(files) == ["content/hubs/the-quoted-hub-1.yaml", "content/partners/fundacion-nandu-leer.yaml"]
    assert 'host: "fundacion-nandu-leer"' in files["content/hubs/the-quoted-hub-1.yaml"]
    assert [query(link)["filename"] for link in github] == sorted(files)
    content, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err
    assert load_document(content / "partners/fundacion-nandu-leer.yaml", "partner")[0].data["name"] == "Fundación Ñandú: \"Leer\""


@pytest.mark.browser
def test_errors_show_next_to_their_fields(browser, served: str) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        fill(page, "slug", "Bad Slug")
        fill(page, "location.lat", "123")
        fill(page, "location.lon", "36.8")
        fill(page, "contact.email", "not-an-email")
        fill(page, "sessions.0.course", "Course")
        fill(page, "sessions.0.starts", "2026-03-10")
        fill(page, "sessions.0.ends", "2026-03-01")
        fill(page, "sessions.0.from", "20:00")
        fill(page, "sessions.0.to", "18:00")
        page.click("#apply-submit")
        expected = {
            "f-name": "This is required.",
            "f-slug": "Use lowercase letters, digits and single hyphens, like kibera-library.",
            "f-location-lat": "The largest possible value is 90.",
            "f-contact-email": "not an e-mail address",
            "f-sessions-0-ends": "The last date is before the first date.",
            "f-sessions-0-days": "Choose the day or days it meets.",
            "f-sessions-0-time": "The end time must be after the start time.",
            "f-address-city": "This is required.",
            "f-address-country": "This is required.",
            "f-host": "This is required.",
        }
        for field, message in expected.items():
            error = page.locator(f"#{field}-error")
            assert error.is_visible() and error.text_content() == message, field
            slot = page.locator(f"[data-path]:has(> #{field}-error)")
            for control in slot.locator("input, select, textarea").all():
                assert control.get_attribute("aria-invalid") == "true", field
                assert f"{field}-error" in control.get_attribute("aria-describedby").split(), field
        shown = page.locator(".field-error:visible").count()
        assert shown == len(expected)
        assert page.evaluate("document.activeElement.id") == "apply-errors"
        assert page.text_content("#apply-errors h2") == f"There are {shown} problems with your answers"
        links = page.locator("#apply-errors a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert links[0] == "#f-name" and len(links) == shown
        assert page.is_hidden("#apply-result")
        fill(page, "name", "Now named")
        page.locator("#f-name").dispatch_event("change")
        assert page.is_hidden("#f-name-error") and page.get_attribute("#f-name", "aria-invalid") is None
        assert "f-name-error" not in (page.get_attribute("#f-name", "aria-describedby") or "")
        assert page.console_errors == []


@pytest.mark.browser
def test_mail_and_github_links_carry_the_record(browser, served: str) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        fill_valid(page)
        page.click("#apply-submit")
        yaml = page.input_value("#hub-yaml")
        mail = page.get_attribute("#send-mail", "href")
        github = page.get_attribute("#send-github", "href")
        assert page.is_hidden("#send-github-partner")
        download = page.get_attribute("#hub-download", "download")
    assert urlsplit(mail).scheme == "mailto" and urlsplit(mail).path == "hubs@example.org"
    fields = query(mail)
    assert fields["subject"] == f"Learning hub application: {TRICKY['name']}"
    assert "\r\n" in fields["body"] and fields["body"].replace("\r\n", "\n").endswith("content/hubs/the-quoted-hub-1.yaml\n\n" + yaml)
    assert github.startswith(f"{REPOSITORY}/new/main?filename=content/hubs/the-quoted-hub-1.yaml&value=")
    assert query(github) == {"filename": "content/hubs/the-quoted-hub-1.yaml", "value": yaml}
    assert download == "the-quoted-hub-1.yaml"


@pytest.mark.browser
def test_session_rows_can_be_added_and_removed(browser, project: Path, served: str, tmp_path: Path) -> None:
    with watched_page(browser) as page:
        page.goto(served + "host/apply/")
        page.click("#add-session")
        assert page.locator("[data-row]").count() == 3
        assert page.evaluate("document.activeElement.id") == "f-sessions-2-course"
        ids = page.locator("#apply-form [id]").evaluate_all("els => els.map(e => e.id)")
        assert len(ids) == len(set(ids))
        fill_valid(page, session_row=2)
        fill(page, "sessions.0.course", "Second course")
        page.click("[data-row='1'] [data-remove]")
        assert page.locator("[data-row]").count() == 2
        assert page.text_content("[data-row='2'] [data-row-number]") == "2"
        page.click("#apply-submit")
        assert page.is_visible("#f-sessions-0-days-error")  # the unfinished first row is reported, in its row
        page.click("[data-row='0'] [data-remove]")
        page.click("#apply-submit")
        files = record_files(page)
        assert page.console_errors == []
    _, checked = check_in_copy(project, tmp_path, files)
    assert checked.code == 0, checked.err


@pytest.mark.browser
def test_without_javascript_the_form_mails_the_answers_and_shows_the_starter(browser, project: Path, served: str) -> None:
    with watched_page(browser, java_script_enabled=False) as page:
        page.goto(served + "host/apply/")
        form = page.locator("#apply-form")
        assert form.get_attribute("action").startswith("mailto:hubs@example.org?subject=")
        assert (form.get_attribute("method"), form.get_attribute("enctype")) == ("post", "text/plain")
        assert page.locator("[data-nojs]").first.is_visible()
        assert page.text_content("#apply-submit") == "Send my answers by e-mail"
        assert page.is_hidden("#apply-result") and page.is_hidden("#add-session")
        assert page.is_visible("#new-partner")
        assert page.locator("#f-name").get_attribute("required") is not None
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
        page.click("#apply-submit")
        found["errors"] = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        fill_valid(page)
        page.click("#apply-submit")
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
