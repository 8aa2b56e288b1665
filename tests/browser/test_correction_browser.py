"""Suggest a correction, in real headless Chromium: a hub page links to the application form opened
on the hub's record (host/apply/?hub=SLUG); the form is filled from hubs/SLUG/record.js, and what it
sends is the hub's file with the visitor's changes only, a list of them by the form's own labels,
and GitHub's edit page of the file. Hostile hub= values (tests/corpus/parameters/hub.json) leave
the form empty with a plain message; a hostile record is data, never markup or script."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from chromium import serve_directory, watched_page
from conftest import CORPUS, HUB_YAML, SITE_YAML, TODAY, build_site, parse_html, run_main, scratch_content
from quality import route_tiles, tile_hosts

from hubsite import pipeline
from hubsite.content.reader import load_document
from hubsite.options import BuildOptions

REPOSITORY = "https://github.com/example-org/learning-hubs"
# A hub with texts in two languages, a zone and an area the form does not show, two course groups.
BILINGUAL = (HUB_YAML.replace("name: Example Hub", "name: {en: Bilingual Hub, sw: Kituo cha Lugha Mbili}")
             .replace("summary: Weekly study groups.", "summary: {en: Weekly study groups., sw: Vikundi vya kila wiki.}")
             .replace("city: Nairobi", "area: Westlands, city: Nairobi")
             + "  - course: {en: Python for Everybody, sw: Python kwa Wote}\n    starts: 2026-02-02\n    ends: 2026-04-27\n"
               "    days: [monday, wednesday]\n    time: 10:00-12:00\n    exceptions: [2026-04-06]\n    signup_url: https://example.org/python\n")
# A hub whose group meets by video call, waitlisted, with sign-up dates: the form shows them all.
ONLINE = HUB_YAML.replace("    time: 18:00-20:00\n", "    time: 18:00-20:00\n    mode: online\n    online_url: https://meet.example.org/abc\n"
                          "    signup: waitlist\n    signup_closes: 2026-02-10\n    join_until: 2026-02-10\n", 1)
HOSTILE_NAME = '</script><script>alert(1)</script> "Quoted" مركز & <b>bold</b>'
HOSTILE_TEXT = "Line one\u2028after a line separator </script><!-- ${x} `"
HOSTILE = (HUB_YAML.replace("name: Example Hub", f"name: {json.dumps(HOSTILE_NAME)}")
           .replace("description: |\n  We meet **every week**.\n", f"description: {json.dumps(HOSTILE_TEXT)}\n"))
APPLICANT = {"#f-applicant-name": "Wanjiru Kamau", "#f-applicant-email": "wanjiru@example.org"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("correction")
    content = scratch_content(root / "content", {
        "site.yaml": SITE_YAML + f"repository: {REPOSITORY}\n",
        "hubs/bilingual-hub.yaml": BILINGUAL,
        "hubs/hostile-hub.yaml": HOSTILE,
        "hubs/online-hub.yaml": ONLINE,
    })
    assert build_site(content, root / "site").code == 0
    return root


@pytest.fixture(scope="module")
def served(project: Path) -> Iterator[str]:
    with serve_directory(project / "site") as base:
        yield base


def open_on(page, served: str, slug: str) -> None:
    page.goto(served + "host/apply/?hub=" + slug)
    page.wait_for_selector("#correction-intro:not([hidden])")


def send(page) -> str:
    for selector, value in APPLICANT.items():
        page.fill(selector, value)
    page.click("#apply-submit")
    assert page.is_hidden("#apply-errors"), page.text_content("#apply-errors")
    return page.input_value("#hub-yaml")


def trimmed(value: Any) -> Any:
    """Parsed YAML with each text's ends trimmed, as records read texts (a `|` block's last line break)."""
    if isinstance(value, dict):
        return {key: trimmed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [trimmed(item) for item in value]
    return value.strip() if isinstance(value, str) else value


def parsed(path: Path) -> Any:
    return trimmed(load_document(path, "hub")[0].data)


def sent_instead(project: Path, tmp_path: Path, slug: str, yaml: str) -> Path:
    """A copy of the content with the hub's file replaced by what the form sent; `check` accepts it."""
    content = tmp_path / "content"
    shutil.copytree(project / "content", content)
    (content / f"hubs/{slug}.yaml").write_text(yaml, encoding="utf-8", newline="")
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 0, result.out + result.err
    return content


def hub_record(content: Path, slug: str):
    valid, _ = pipeline.validated(BuildOptions(content_dir=content))
    assert valid is not None
    return next(hub.record for hub in valid.hubs if hub.slug == slug)


@pytest.mark.browser
def test_a_changed_time_is_the_one_change_sent(browser, project: Path, served: str, tmp_path: Path) -> None:
    tiles = tile_hosts(project / "content/site.yaml")
    with watched_page(browser) as page:
        route_tiles(page, tiles)
        page.goto(served + "hubs/example-hub/")
        page.requests.clear()
        page.click("#suggest-correction")
        page.wait_for_selector("#correction-intro:not([hidden])")
        assert urlsplit(page.url).path.endswith("/host/apply/") and urlsplit(page.url).query == "hub=example-hub"
        assert page.input_value("#f-name") == "Example Hub" and page.input_value("#f-sessions-0-from") == "18:00"
        assert page.is_hidden("#f-slug") and page.is_hidden("#f-agree")
        page.fill("#f-sessions-0-from", "19:00")
        page.fill("#f-sessions-0-to", "21:00")
        yaml = send(page)
        changes = page.locator("#change-list li").all_text_contents()
        edit = page.get_attribute("#send-github-edit", "href")
        mail = page.get_attribute("#send-mail", "href")
        assert page.is_hidden("#send-github")
        assert page.console_errors == [] and page.dialogs == []
        assert {urlsplit(url).hostname for url in page.requests} - set(tiles) == {"127.0.0.1"}  # the hub page's map tiles aside
        assert [url for url in page.requests if url.endswith("/hubs/example-hub/record.js")] == [served + "hubs/example-hub/record.js"]
    assert changes == ["Course group 1, Time, at the hub: \u206818:00-20:00\u2069 → \u206819:00-21:00\u2069"]  # each value isolated: right to left too
    assert edit == f"{REPOSITORY}/edit/main/content/hubs/example-hub.yaml"
    assert "Course group 1, Time, at the hub: 18:00-20:00 → 19:00-21:00" in unquote(mail) and "example-hub" in unquote(mail)
    content = sent_instead(project, tmp_path, "example-hub", yaml)
    expected = parsed(project / "content/hubs/example-hub.yaml")
    expected["sessions"][0]["time"] = "19:00-21:00"
    assert parsed(content / "hubs/example-hub.yaml") == expected
    original = hub_record(project / "content", "example-hub")
    session = original.sessions[0].model_copy(update={"time": hub_record(content, "example-hub").sessions[0].time})
    assert hub_record(content, "example-hub") == original.model_copy(update={"sessions": [session]})


@pytest.mark.browser
def test_a_group_by_video_call_keeps_its_mode_link_and_sign_up(browser, project: Path, served: str, tmp_path: Path) -> None:
    """The form opens a group's mode, video call and sign-up as the file has them: a changed time is
    still the one change sent (a mode the form left at its default would turn the group in person)."""
    with watched_page(browser) as page:
        open_on(page, served, "online-hub")
        assert page.input_value("#f-sessions-0-mode") == "online" and page.input_value("#f-sessions-0-signup") == "waitlist"
        assert page.input_value("#f-sessions-0-online_url") == "https://meet.example.org/abc"
        page.fill("#f-sessions-0-from", "19:00")
        page.fill("#f-sessions-0-to", "21:00")
        yaml = send(page)
        assert page.console_errors == [] and page.dialogs == []
    expected = parsed(project / "content/hubs/online-hub.yaml")
    expected["sessions"][0]["time"] = "19:00-21:00"
    assert parsed(sent_instead(project, tmp_path, "online-hub", yaml) / "hubs/online-hub.yaml") == expected


@pytest.mark.browser
def test_what_the_form_does_not_show_and_other_languages_are_kept(browser, project: Path, served: str, tmp_path: Path) -> None:
    """An area, a zone, a group's sign-up page and every other language's text stay as the file has
    them; a changed text changes the page language's; a removed group goes, an added one comes last."""
    with watched_page(browser) as page:
        open_on(page, served, "bilingual-hub")
        assert page.input_value("#f-name") == "Bilingual Hub" and page.input_value("#f-sessions-1-course") == "Python for Everybody"
        assert page.is_checked("#f-sessions-1-days-monday") and page.is_checked("#f-sessions-1-days-wednesday")
        page.fill("#f-summary", "Study groups every week.")
        page.locator('[data-rows="sessions"][data-row="0"] [data-remove]').click()
        page.click("#add-session")
        for field, value in {"course": "Machine Learning", "starts": "2026-05-04", "ends": "2026-06-29", "from": "17:00", "to": "19:00"}.items():
            page.fill(f"#f-sessions-2-{field}", value)
        page.check("#f-sessions-2-days-monday")
        yaml = send(page)
        changes = [line.replace("\u2068", "").replace("\u2069", "") for line in page.locator("#change-list li").all_text_contents()]
        assert page.console_errors == [] and page.dialogs == []
    assert changes == ["In one line: Weekly study groups. → Study groups every week.",
                       "Removed: the course group “Learning How to Learn”", "New: the course group “Machine Learning”"]
    sent = parsed(sent_instead(project, tmp_path, "bilingual-hub", yaml) / "hubs/bilingual-hub.yaml")
    expected = parsed(project / "content/hubs/bilingual-hub.yaml")
    expected["summary"]["en"] = "Study groups every week."
    added = {"course": "Machine Learning", "starts": "2026-05-04", "ends": "2026-06-29", "day": "monday", "time": "17:00-19:00"}
    expected["sessions"] = [expected["sessions"][1], added]
    assert sent == expected


@pytest.mark.browser
def test_hostile_hub_values_leave_the_form_empty(browser, project: Path, served: str) -> None:
    """Served, and the huge value from disk (a server refuses a request line that long; the page opened
    from a USB stick does not)."""
    corpus = json.loads((CORPUS / "parameters/hub.json").read_text(encoding="utf-8"))
    opened = [served + "host/apply/?hub=" + quote(value, safe="") for value in corpus["hub"]]
    opened.append((project / "site/host/apply/index.html").as_uri() + "?hub=" + corpus["huge"]["value"] * corpus["huge"]["times"])
    with watched_page(browser) as page:
        for url in opened:
            value = url.partition("?hub=")[2]
            page.requests.clear()
            page.goto(url)
            page.wait_for_selector("#correction-problem:not([hidden])")
            said = page.text_content("#correction-problem")
            assert said.startswith("This link names no hub of this directory"), value[:80]
            assert page.is_hidden("#correction-intro") and page.input_value("#f-name") == "" and page.text_content("h1") == "Apply to host a learning hub"
            assert not [url for url in page.requests if "record.js" in url or urlsplit(url).hostname not in ("127.0.0.1", None)], value[:80]
        assert page.console_errors == [] and page.dialogs == []


@pytest.mark.browser
def test_a_hostile_record_is_text_in_the_form_opened_from_disk_too(browser, project: Path, served: str) -> None:
    with watched_page(browser) as page:
        page.goto((project / "site/host/apply/index.html").as_uri() + "?hub=example-hub")
        page.wait_for_selector("#correction-intro:not([hidden])")
        assert page.input_value("#f-name") == "Example Hub"
        open_on(page, served, "hostile-hub")
        assert page.input_value("#f-name") == HOSTILE_NAME and page.input_value("#f-description") == HOSTILE_TEXT
        assert page.text_content("#correction-for") == f"You are suggesting a correction to {HOSTILE_NAME}."
        assert page.locator("main b").count() == 0
        assert page.console_errors == [] and page.dialogs == []


@pytest.mark.browser
def test_without_javascript_the_link_leads_to_a_form_and_an_address(browser, served: str) -> None:
    with watched_page(browser, java_script_enabled=False) as page:
        page.goto(served + "hubs/example-hub/")
        page.click("#suggest-correction")
        note = page.locator("[data-nojs]", has_text="correct a hub").first
        assert note.is_visible() and note.locator("a").get_attribute("href") == "mailto:hubs@example.org"
        assert page.locator("#apply-form").is_visible()


def test_every_hub_page_links_to_its_correction_and_its_record_is_escaped(project: Path) -> None:
    for slug in ("example-hub", "bilingual-hub", "hostile-hub"):
        doc = parse_html(project / f"site/hubs/{slug}/index.html")
        assert doc.get_element_by_id("suggest-correction").get("href") == f"../../host/apply/?hub={slug}"
        mail = doc.xpath("//p[@class='correction-link']/a[starts-with(@href, 'mailto:')]/@href")
        assert mail and unquote(mail[0]).startswith("mailto:hubs@example.org?subject=Correction to ")
    script = (project / "site/hubs/hostile-hub/record.js").read_text(encoding="ascii")
    assert "<" not in script and "\u2028" not in script and script.count("\n") == 1
    data = json.loads(script.removeprefix("(window.hubsiteRecords = window.hubsiteRecords || []).push(").removesuffix(");\n"))
    assert (data["record"]["name"], data["record"]["description"]) == (HOSTILE_NAME, HOSTILE_TEXT)


def test_no_edit_link_without_a_repository(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    assert build_site(content, tmp_path / "site").code == 0
    doc = parse_html(tmp_path / "site/host/apply/index.html")
    assert not doc.xpath("//*[@id='send-github-edit']")
    assert json.loads(doc.get_element_by_id("apply-data").text)["githubEdit"] is None


@pytest.mark.browser
def test_nothing_changed_is_said_unless_a_message_says_it(browser, served: str) -> None:
    with watched_page(browser) as page:
        open_on(page, served, "example-hub")
        for selector, value in APPLICANT.items():
            page.fill(selector, value)
        page.click("#apply-submit")
        assert "You have not changed anything yet" in page.text_content("#apply-errors") and page.is_hidden("#apply-result")
        page.fill("#f-message", "The library closes on Saturdays now.")
        page.click("#apply-submit")
        assert page.is_hidden("#apply-errors") and page.locator("#change-list li").count() == 0
        assert "The library closes on Saturdays now." in unquote(page.get_attribute("#send-mail", "href"))
        assert page.console_errors == [] and page.dialogs == []
