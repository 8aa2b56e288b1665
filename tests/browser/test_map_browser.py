"""The maps and the finder in real headless Chromium, on a real build served from 127.0.0.1.

Tiles are answered locally with a blank PNG (quality.route_tiles), so the tests are offline;
any other request that leaves 127.0.0.1 is recorded and fails the test.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import serve_directory, watched_page
from conftest import build_site, scratch_content
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from quality import route_tiles, tile_hosts
from sites import XSS_IMG, XSS_SCRIPT
from sites import placed_hub as hub_yaml

pytestmark = pytest.mark.browser


def session(course: str, day: str) -> dict[str, str]:
    return {"course: Learning How to Learn": f"course: {course}", "day: tuesday": f"day: {day}"}


def hub(name: str, city: str, country: str, lat: float, lon: float, changes: dict[str, str] | None = None, extra: str = "") -> str:
    text = hub_yaml(name, city, country, lat, lon, extra)
    for old, new in (changes or {}).items():
        text = text.replace(old, new)
    return text


HUBS = {
    "hubs/mombasa-hub.yaml": hub("Mombasa Hub", "Mombasa", "KE", -4.0435, 39.6682,
                                 {**session("Data Science Basics", "thursday"), "facilities: [wifi, computers]": "facilities: [wheelchair-access]", "languages: [en, sw]": "languages: [sw]"}),
    "hubs/hanoi-hub.yaml": hub("Hanoi Hub", "Hà Nội", "VN", 21.0285, 105.8542,
                               {**session("Public Speaking", "monday"), "languages: [en, sw]": "languages: [vi]", "language: en": "language: vi"}, "partners: [second-partner]\n"),
    "hubs/helsinki-hub.yaml": hub("Helsinki Hub", "Helsinki", "FI", 60.1699, 24.9384,
                                  {**session("Public Speaking", "saturday"), "facilities: [wifi, computers]": "facilities: [quiet-room]"}),
    "hubs/xss-script.yaml": hub(XSS_SCRIPT, "Lima", "PE", -12.0464, -77.0428),
    "hubs/xss-img.yaml": hub(XSS_IMG, "Cusco", "PE", -13.5320, -71.9675),
    "partners/second-partner.yaml": "name: Second Partner\nkind: nonprofit\n",
}
ALL = 6  # the scratch site's Example Hub (Nairobi) and the five above

COUNT_MARKERS = """(id) => {
  let n = 0;
  document.querySelectorAll('#' + id + ' .leaflet-marker-icon').forEach(icon => {
    n += icon.classList.contains('marker-cluster') ? parseInt(icon.querySelector('[aria-hidden]').textContent, 10) : 1;
  });
  return n;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("map-browser")
    content = scratch_content(root / "content", HUBS)
    build_site(content, root / "site")
    return root / "site", tile_hosts(content / "site.yaml")


CSP = "default-src 'self'; img-src 'self' data: {tiles}; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'"


@pytest.fixture
def open_page(browser, site):
    """open_page(path, **context options) -> a watched page, tiles answered locally.

    Served with a strict Content-Security-Policy (no inline script or style): any violation
    is a console error, and console errors fail the test.
    """
    root, hosts = site
    policy = CSP.format(tiles=" ".join(f"https://{host}" for host in sorted(hosts)))
    with serve_directory(root, {"Content-Security-Policy": policy}) as base:
        pages = []

        def opener(path: str = "", **options):
            manager = watched_page(browser, **options)
            page = manager.__enter__()
            pages.append((manager, page))
            route_tiles(page, hosts)
            page.base, page.hosts = base, hosts
            page.goto(base + path)
            page.wait_for_selector("[data-state=ready]")
            return page

        yield opener
        for manager, page in pages:
            assert page.console_errors == [], page.console_errors
            assert page.dialogs == [], page.dialogs
            leaks = sorted({url for url in page.requests if urlsplit(url).hostname not in {"127.0.0.1", *hosts}})
            assert leaks == []
            manager.__exit__(None, None, None)


def wait_until(page, predicate: str, timeout_ms: int = 10_000) -> None:
    """Poll a JS predicate through page.evaluate: Playwright's wait_for_function needs eval, which the CSP forbids."""
    for _ in range(timeout_ms // 50):
        if page.evaluate(predicate):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still false after {timeout_ms} ms: {predicate}")


def markers(page, map_id: str = "map_home") -> int:
    return page.evaluate(COUNT_MARKERS, map_id)


def wait_markers(page, count: int, map_id: str = "map_home") -> None:
    wait_until(page, f"() => ({COUNT_MARKERS})('{map_id}') === {count}")


def results(page) -> list[str]:
    return page.locator("#finder-list > li h3").all_text_contents()


def open_filters(page) -> None:
    if not page.evaluate("() => document.getElementById('finder-more-filters').open"):
        page.locator("#finder-more-filters summary").click()


def query(page) -> str:
    return urlsplit(page.url).query


def test_home_map_shows_a_marker_or_cluster_for_every_hub(open_page) -> None:
    page = open_page()
    assert markers(page) == ALL
    assert page.locator("#map_home").is_visible()
    assert page.locator("#finder-status").text_content() == f"{ALL} hubs on the map"
    assert page.locator("#directory").is_visible() and page.locator("#finder-results").is_hidden()
    tiles = [url for url in page.requests if urlsplit(url).hostname in page.hosts]
    assert tiles, "the tile layer asks for tiles"


def test_popup_opens_and_links_to_the_hub_page(open_page) -> None:
    page = open_page()
    page.locator("#map_home img.leaflet-marker-icon[title='Helsinki Hub']").click()
    link = page.locator(".leaflet-popup-content a")
    assert link.text_content() == "Helsinki Hub"
    popup = " ".join(page.locator(".leaflet-popup-content").text_content().split())
    assert "Helsinki, Finland" in popup and "Hosted by Example Library" in popup and "Next meeting: Public Speaking" in popup
    link.click()
    page.wait_for_url("**/hubs/helsinki-hub/")
    page.wait_for_selector("#map_hub[data-state=ready]")
    assert markers(page, "map_hub") >= 1


def test_marker_popup_opens_from_the_keyboard(open_page) -> None:
    page = open_page()
    page.locator("#map_home img.leaflet-marker-icon[title='Hanoi Hub']").focus()
    page.keyboard.press("Enter")
    assert page.locator(".leaflet-popup-content a").text_content() == "Hanoi Hub"


def test_filters_narrow_list_and_map_and_live_in_the_url(open_page) -> None:
    page = open_page()
    open_filters(page)
    page.select_option("#finder-country", "KE")
    assert query(page) == "country=KE"
    assert sorted(results(page)) == ["Example Hub", "Mombasa Hub"]
    assert page.locator("#finder-status").text_content() == "2 hubs match"
    assert page.locator("#directory").is_hidden()
    wait_markers(page, 2)
    page.select_option("#finder-day", "thursday")
    assert query(page) == "day=thursday&country=KE"  # in the form's order
    assert results(page) == ["Mombasa Hub"]
    assert page.locator("#finder-status").text_content() == "1 hub matches"
    wait_markers(page, 1)
    page.go_back()
    wait_until(page, "() => document.getElementById('finder-day').value === ''")
    assert query(page) == "country=KE" and page.input_value("#finder-country") == "KE"
    assert sorted(results(page)) == ["Example Hub", "Mombasa Hub"]
    wait_markers(page, 2)
    page.go_back()
    wait_until(page, "() => document.getElementById('finder-country').value === ''")
    assert query(page) == ""
    assert page.locator("#directory").is_visible() and page.locator("#finder-results").is_hidden()
    wait_markers(page, ALL)
    page.go_forward()
    wait_until(page, "() => document.getElementById('finder-country').value === 'KE'")
    wait_markers(page, 2)


def test_a_shared_filtered_url_opens_filtered(open_page) -> None:
    page = open_page("?country=KE&day=tuesday")
    assert page.input_value("#finder-country") == "KE" and page.input_value("#finder-day") == "tuesday"
    assert results(page) == ["Example Hub"]
    wait_markers(page, 1)
    page = open_page("?facility=quiet-room&language=en")
    assert page.is_checked("input[name=facility][value=quiet-room]")
    assert results(page) == ["Helsinki Hub"]
    page = open_page("?course=data-science-basics")
    assert results(page) == ["Mombasa Hub"]
    page = open_page("?language=vi")
    assert results(page) == ["Hanoi Hub"]


def test_search_box_from_the_keyboard(open_page) -> None:
    page = open_page()
    page.focus("#finder-q")
    page.keyboard.type("ha noi")  # accents folded: finds "Hà Nội"
    wait_until(page, "() => document.querySelectorAll('#finder-list > li').length === 1")
    assert results(page) == ["Hanoi Hub"]
    page.keyboard.press("Enter")
    assert query(page) == "q=ha+noi"
    assert page.locator("#finder-status").get_attribute("role") == "status"
    assert page.locator("#finder-status").text_content() == "1 hub matches"
    page.fill("#finder-q", "second partner")
    page.keyboard.press("Enter")
    assert results(page) == ["Hanoi Hub"]
    page.fill("#finder-q", "public speaking")
    page.keyboard.press("Enter")
    assert sorted(results(page)) == ["Hanoi Hub", "Helsinki Hub"]
    page.click("button[type=reset]")
    wait_until(page, "() => location.search === ''")
    assert page.locator("#directory").is_visible()


def test_near_me_sorts_hubs_by_distance(open_page) -> None:
    page = open_page(geolocation={"latitude": -1.30, "longitude": 36.80}, permissions=["geolocation"], locale="fr-FR")
    page.click("#finder-near")
    wait_until(page, "() => document.getElementById('finder-status').textContent.includes('nearest first')")
    assert results(page) == ["Example Hub"]  # within 100 km; the rest further away, nearest first
    further = page.locator("#finder-further-list > li h3").all_text_contents()
    assert further[0] == "Mombasa Hub" and len(further) == ALL - 1
    distances = [float(text.rsplit(" · ", 1)[1].removesuffix(" km").replace(",", "").replace("\u202f", "")) for text in
                 page.locator("#finder-list > li .meta, #finder-further-list > li .meta").all_text_contents()]
    assert distances == sorted(distances) and distances[0] <= 3 and 400 < distances[1] < 500  # km: the visitor is French
    assert page.locator("#finder-status").text_content() == f"{ALL} hubs, nearest first"
    open_filters(page)
    page.select_option("#finder-country", "KE")
    assert results(page) == ["Example Hub"] and page.locator("#finder-further-list > li h3").all_text_contents() == ["Mombasa Hub"]
    assert page.locator("#map_home path.leaflet-interactive").count() == 1  # "you are here"
    page.click("button[type=reset]")
    wait_until(page, "() => location.search === ''")
    assert page.locator("#map_home path.leaflet-interactive").count() == 0
    assert page.locator("#directory").is_visible()


def popup_link(page, name: str):
    """The link to a hub in its marker's popup, the marker clicked until the popup shows it: on
    a busy machine the map may still be panning to the last popup when the next marker is clicked."""
    link = page.locator(".leaflet-popup-content a").filter(has_text=name)
    for _ in range(3):
        page.locator("#map_home").get_by_role("button", name=name, exact=True).click()
        try:
            link.wait_for(timeout=5_000)
            return link
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")  # closes the popup in the way
    return link


def test_hostile_names_stay_text_everywhere(open_page) -> None:
    page = open_page("?country=PE")
    assert sorted(results(page)) == sorted([XSS_SCRIPT, XSS_IMG])
    wait_markers(page, 2)
    for name in (XSS_SCRIPT, XSS_IMG):
        assert popup_link(page, name).text_content() == name
    assert page.evaluate("document.querySelectorAll('img[src=x], #finder-list script, .leaflet-popup script').length") == 0
    page.goto(page.base + "hubs/xss-script/")
    page.wait_for_selector("#map_hub[data-state=ready]")
    page.goto(page.base + "partners/example-library/")
    page.wait_for_selector("#map_partner[data-state=ready]")
    assert markers(page, "map_partner") == ALL


def test_hub_page_map_is_centred_on_the_hub(open_page) -> None:
    page = open_page("hubs/mombasa-hub/")
    assert page.locator("#map_hub").is_visible()
    assert page.locator("#map_hub img.leaflet-marker-icon[title='Mombasa Hub']").count() == 1
    centre = page.evaluate("""() => {
      const pane = document.querySelector('#map_hub');
      const icon = pane.querySelector("img[title='Mombasa Hub']").getBoundingClientRect();
      const box = pane.getBoundingClientRect();
      return [icon.left + icon.width / 2 - box.left - box.width / 2, icon.bottom - box.top - box.height / 2];
    }""")
    assert abs(centre[0]) < 3 and abs(centre[1]) < 3


def test_hub_page_fetches_leaflet_only_when_the_map_comes_near(browser, site) -> None:
    root, hosts = site
    with serve_directory(root) as base, watched_page(browser, viewport={"width": 375, "height": 120}) as page:
        route_tiles(page, hosts)
        page.goto(base + "hubs/mombasa-hub/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert [url for url in page.requests if "leaflet" in url] == []
        assert page.locator("#map_hub").is_hidden()
        page.locator("#map_hub").evaluate("box => box.previousElementSibling.scrollIntoView()")
        page.wait_for_selector("#map_hub[data-state=ready]")
        assert len([url for url in page.requests if "/vendor/leaflet/leaflet." in url]) == 2
        assert page.console_errors == []


def test_without_javascript_the_directory_is_complete(browser, site) -> None:
    root, _ = site
    with serve_directory(root) as base, watched_page(browser, java_script_enabled=False) as page:
        page.goto(base)
        assert page.locator("#map_home").is_hidden() and page.locator("#finder").is_hidden()
        assert page.locator("#directory .hub-card").count() == ALL
        assert [url for url in page.requests if "/assets/vendor/" in url and url.endswith(".js")] == []


def serious_axe_violations(page) -> list:
    from chromium import require_tool
    from quality import AXE_JS

    require_tool(AXE_JS.is_file(), f"axe-core ({AXE_JS})")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_map_and_finder_pass_axe_when_drawn_and_filtered(open_page) -> None:
    # axe is injected as an inline script: this test alone runs with the CSP bypassed
    page = open_page(bypass_csp=True)
    assert page.locator("#map_home .marker-cluster").count() >= 1
    assert serious_axe_violations(page) == []
    page = open_page("?country=KE", bypass_csp=True)
    wait_markers(page, 2)  # the filter from the URL has redrawn the markers: click the ones that stay
    page.locator("#map_home").get_by_role("button", name="Example Hub", exact=True).click()
    page.wait_for_selector(".leaflet-popup-content a")
    assert serious_axe_violations(page) == []


def test_a_cluster_opens_the_zoom_that_splits_it_and_lists_hubs_no_zoom_splits(browser, tmp_path: Path) -> None:
    """Clusters come from supercluster: a click zooms to where the cluster falls apart; two hubs at
    one address never fall apart, so their cluster, at the deepest zoom, lists them in a popup."""
    content = scratch_content(tmp_path / "content", {
        "hubs/quito-a.yaml": hub("Quito Library A", "Quito", "EC", -0.1807, -78.4678),
        "hubs/quito-b.yaml": hub("Quito Library B", "Quito", "EC", -0.1807, -78.4678),
        "hubs/guayaquil.yaml": hub("Guayaquil Hub", "Guayaquil", "EC", -2.1710, -79.9224),
    })
    build_site(content, tmp_path / "site")
    with serve_directory(tmp_path / "site") as base, watched_page(browser) as page:
        route_tiles(page, tile_hosts(content / "site.yaml"))
        page.goto(base)
        page.wait_for_selector("#map_home[data-state=ready]")
        assert markers(page) == 4
        ecuador = page.locator("#map_home .marker-cluster", has_text="3")
        assert ecuador.count() == 1
        ecuador.click()
        page.wait_for_selector("#map_home img.leaflet-marker-icon[title='Guayaquil Hub']")
        pair = page.locator("#map_home .marker-cluster", has_text="2")
        assert markers(page) >= 3 and pair.count() == 1
        for _ in range(25):  # each click zooms in, until no zoom splits the pair and it opens a list
            if page.locator(".leaflet-popup-content .hub-list").count():
                break
            pair.click()
            page.wait_for_timeout(400)
        names = page.locator(".leaflet-popup-content .hub-list a").all_text_contents()
        assert sorted(names) == ["Quito Library A", "Quito Library B"]
        assert page.console_errors == []


def test_an_open_popup_stays_open_while_the_view_moves(open_page) -> None:
    page = open_page()
    page.locator("#map_home img.leaflet-marker-icon[title='Helsinki Hub']").click()
    page.wait_for_selector(".leaflet-popup-content a")
    page.evaluate("() => document.querySelector('#map_home').focus()")
    page.keyboard.press("ArrowLeft")  # pans a little: the markers of the view are drawn again
    page.wait_for_timeout(500)
    assert page.locator(".leaflet-popup-content a").text_content() == "Helsinki Hub"
