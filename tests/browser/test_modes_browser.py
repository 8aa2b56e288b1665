"""The finder's "in person / online" filter in real Chromium: online groups are listed where a
student looks for them, hybrid ones under both, and an online-only hub is never a pin and never
near anyone. Tiles are answered locally (quality.route_tiles)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
import zxingcpp
from chromium import serve_directory, watched_page
from conftest import HUB_YAML, SITE_YAML, build_site, scratch_content
from PIL import Image
from quality import route_tiles, tile_hosts

pytestmark = pytest.mark.browser


def hub(name: str, lat: float, lon: float, *sessions: str) -> str:
    head = HUB_YAML.split("sessions:\n")[0].replace("name: Example Hub", f"name: {name}").replace("location: {lat: -1.2864, lon: 36.8172}", f"location: {{lat: {lat}, lon: {lon}}}")
    return head + "sessions:\n" + "".join(sessions)


def session(course: str, mode: str, extra: str = "") -> str:
    return f"  - course: {course}\n    starts: 2026-01-13\n    ends: 2026-03-17\n    day: tuesday\n    time: 18:00-20:00\n    language: en\n    mode: {mode}\n{extra}"


HUBS = {
    "hubs/in-town.yaml": hub("In Town Hub", -1.2864, 36.8172, session("Machine Learning", "in-person", "    signup: full\n")),
    "hubs/both-ways.yaml": hub("Both Ways Hub", -1.30, 36.80, session("Machine Learning", "hybrid")),
    "hubs/online-only.yaml": hub("Online Only Hub", -1.29, 36.82, session("Machine Learning", "online", "    online_url: https://meet.example.org/ml\n")),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("modes")
    content = scratch_content(root / "content", HUBS, hub=False)
    result = build_site(content, root / "site")
    assert result.code == 0, result.err
    return root / "site", tile_hosts(content / "site.yaml")


@pytest.fixture
def opened(browser, site):
    managers = []

    def opener(query: str = "", **options):
        root, hosts = site
        server = serve_directory(root)
        base = server.__enter__()
        manager = watched_page(browser, **options)
        page = manager.__enter__()
        managers.append((server, manager, page))
        route_tiles(page, hosts)
        page.goto(base + query)
        page.wait_for_selector("#finder:not([hidden])")
        page.wait_for_selector("[data-map][data-state=ready]")
        return page

    yield opener
    for server, manager, page in managers:
        assert [e for e in page.console_errors if "Failed to load resource" not in e] == []
        assert not [url for url in page.requests if urlsplit(url).hostname not in {"127.0.0.1", *site[1]}]
        manager.__exit__(None, None, None)
        server.__exit__(None, None, None)


def listed(page) -> dict[str, str]:
    """{hub: its first result line's state} once the finder has drawn its results."""
    page.wait_for_function("() => document.getElementById('finder-status').textContent !== ''")
    return {item.locator("h3").inner_text(): " ".join(item.locator(".result-state").first.inner_text().split()) for item in page.locator("#finder-list > li").all()}


def pins(page) -> list[str]:
    return sorted(page.evaluate("() => [...document.querySelectorAll('.leaflet-marker-icon')].map(m => m.title)"))


@pytest.mark.parametrize(("mode", "expected"), [
    ("online", {"Both Ways Hub": "In person and online · Open for sign-up", "Online Only Hub": "Online · Open for sign-up"}),
    ("in-person", {"In Town Hub": "Full", "Both Ways Hub": "In person and online · Open for sign-up"}),
])
def test_the_filter_lists_the_groups_that_meet_that_way(opened, mode: str, expected: dict[str, str]) -> None:
    page = opened("?mode=" + mode)
    assert listed(page) == expected
    assert page.locator("#finder-mode").input_value() == mode
    assert "Online Only Hub" not in pins(page)  # listed, never pinned


def test_choosing_the_filter_puts_it_in_the_url_and_back_restores_it(opened) -> None:
    page = opened()
    page.locator("#finder-more-filters summary").click()
    page.select_option("#finder-mode", "online")
    page.wait_for_url("**?mode=online")
    assert set(listed(page)) == {"Both Ways Hub", "Online Only Hub"}
    page.go_back()
    page.wait_for_function("() => !document.getElementById('finder-mode').value")
    assert page.locator("#finder-results").is_hidden()


def test_an_online_only_hub_is_never_near_anyone(opened) -> None:
    page = opened(geolocation={"latitude": -1.29, "longitude": 36.82}, permissions=["geolocation"])
    assert sorted(pins(page)) == ["Both Ways Hub", "In Town Hub"]
    page.locator("#finder-near").click()
    page.wait_for_function("() => /nearest first/.test(document.getElementById('finder-status').textContent)")
    near = page.locator("#finder-list > li h3").all_inner_texts() + page.locator("#finder-further-list > li h3").all_inner_texts()
    assert sorted(near) == ["Both Ways Hub", "In Town Hub"]  # the online hub sits on the visitor's point, and is not near them


# A flyer with the most to say: a long name, a summary, a full group, one by video call with its sign-up address, and more.
FLYER_HUB = hub("Stavros Niarchos Foundation Library of the New York Public Library", -1.2864, 36.8172,
                session("Modern and Contemporary American Poetry", "in-person", "    signup: full\n"),
                session("Modern and Contemporary American Poetry", "online", "    signup_url: https://example.org/signup/stavros-niarchos-foundation-library-poetry\n    join_until: 2026-02-17\n").replace("day: tuesday", "day: thursday"),
                session("Financial Markets", "in-person").replace("day: tuesday", "day: friday"),
                session("Learning How to Learn", "hybrid").replace("day: tuesday", "day: saturday"))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_flyer_with_an_online_and_a_full_group_prints_whole_on_one_page(browser, tmp_path: Path, paper: str) -> None:
    """Each group says how it meets and whether one can sign up, the one by video call where to sign
    up: the flyer still holds its QR code whole on one page, in English, Arabic and Chinese."""
    content = scratch_content(tmp_path / "content", {"hubs/flyer-hub.yaml": FLYER_HUB, "site.yaml": SITE_YAML + "languages: [en, ar, zh-Hans]\n"}, hub=False)
    build_site(content, tmp_path / "site")
    found = {}
    with serve_directory(tmp_path / "site") as base, watched_page(browser, viewport={"width": 900, "height": 1300}) as page:
        for key in ("en", "ar", "zh-hans"):
            page.goto(f"{base}{key}/hubs/flyer-hub/flyer/")
            page.emulate_media(media="print")
            pages = len(pypdf.PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True))).pages)
            inside = page.evaluate("""() => { const f = document.querySelector('.flyer').getBoundingClientRect();
                const c = document.querySelector('.flyer-code').getBoundingClientRect(); return c.top >= f.top && c.bottom <= f.bottom; }""")
            codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(page.locator(".flyer-code svg").screenshot())))
            found[key] = (pages, inside, codes[0].text if codes else None, page.locator(".flyer-sessions > li").count(), page.locator(".flyer-signup").count())
            page.emulate_media(media="screen")
        assert page.console_errors == []
    # Two groups and "1 more course": the full one in the room, and the one by video call with where to sign up.
    assert found == {key: (1, True, f"https://example.org/hubs/{key}/hubs/flyer-hub/", 2, 1) for key in ("en", "ar", "zh-hans")}
