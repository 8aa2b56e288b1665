"""The map's data file, page configs, tile settings, escaping and determinism, on real builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest
from conftest import SITE_YAML, build_site, build_site_in_a_process, parse_html, scratch_content, tree_hash
from sites import XSS_IMG, XSS_SCRIPT
from sites import placed_hub as hub_yaml

from hubsite.content.settings import MapSettings
from hubsite.render.gazetteer import fold
from hubsite.render.mapping import EVERY_OTHER_WEEK, dump_json, resolve_tiles, slug_from_name

MAP_HUBS = {
    "hubs/hanoi-american-center.yaml": hub_yaml("Hanoi American Center", "Hà Nội", "VN", 21.0285, 105.8542, """\
        partners: [second-partner]
        """).replace("facilities: [wifi, computers]", "facilities: [wifi, childcare]").replace("languages: [en, sw]", "languages: [vi]"),
    "hubs/xss-script.yaml": hub_yaml(XSS_SCRIPT, XSS_IMG, "PE", -12.0464, -77.0428),
    "hubs/xss-img.yaml": hub_yaml(XSS_IMG, "Lima", "PE", -12.05, -77.03),
    "partners/second-partner.yaml": "name: Second & <Partner>\nkind: nonprofit\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("map")
    build_site(scratch_content(root / "content", MAP_HUBS), root / "site")
    return root / "site"


def map_data(site: Path) -> dict:
    return json.loads((site / "hubs/map.json").read_text(encoding="utf-8"))


def rows_by_name(data: dict) -> dict[str, list]:
    return {row[1]: row for row in data["hubs"]}


def config(page: Path, element_id: str) -> dict:
    blocks = parse_html(page).xpath(f"//script[@type='application/json'][@id='{element_id}-config']")
    assert len(blocks) == 1
    return json.loads(blocks[0].text)


def test_data_file_has_one_compact_row_per_hub(site: Path) -> None:
    data = map_data(site)
    assert data["version"] == 4 and data["scale"] == 10_000
    assert data["today"] == 20485  # 2026-02-01, the build date, in days since 1970
    assert len(data["hubs"]) == 4
    rows = rows_by_name(data)
    example = rows["Example Hub"]
    # slug omitted when it is the name slugified; kept otherwise
    assert example[0] == "" and slug_from_name("Example Hub") == "example-hub"
    assert rows[XSS_SCRIPT][0] == "xss-script"
    city, country = data["places"][example[2]]
    assert city == "Nairobi" and data["countries"][country] == ["KE", "Kenya"]
    assert example[3:5] == [-12864, 368172]
    assert data["partners"][example[5]] == "Example Library"
    (session,) = example[6]  # its one session, with what the finder matches on
    course, days, start, end, language, next_day, signup, state, slug, mode, signup_state, offset = session
    assert data["modes"][mode] == "in-person" and data["signupStates"][signup_state] == "open"
    assert data["courses"][course] == ["learning-how-to-learn", "Learning How to Learn"]
    assert days == 1 << 1 and (start, end) == (18 * 60, 20 * 60)  # tuesday, 18:00-20:00
    assert data["languages"][language] == "en"
    assert next_day == 2  # Tuesday 3 February 2026, two days after the build date
    assert data["signups"][signup] == "https://example.org/signup" and state == 0 and slug == ""  # current; the course's slug
    assert offset == 180  # Nairobi is UTC+03:00: the next meeting starts at 15:00 UTC
    assert sorted(data["languages"][i] for i in example[7]) == ["en", "sw"]
    assert example[8] == 0b11  # wifi, computers
    assert example[9] == 0  # active
    assert example[10:] == ["", "", 0]  # no area, no postal code; it meets in person
    assert len(example) == 13


def test_points_file_holds_every_hubs_coordinates_in_row_order(site: Path) -> None:
    """hubs/points.json, which the home map draws its clusters from before map.json's details
    arrive: [lat, lon, ...] in the rows' order, the same integers as the rows."""
    points = json.loads((site / "hubs/points.json").read_text(encoding="utf-8"))
    rows = map_data(site)["hubs"]
    assert points["version"] == 1 and points["scale"] == 10_000
    assert points["points"] == [value for row in rows for value in row[3:5]]
    assert config(site / "index.html", "map_home")["points"] == "hubs/points.json"


def test_data_file_tables_hold_partners_and_text_once(site: Path) -> None:
    data = map_data(site)
    hanoi = rows_by_name(data)["Hanoi American Center"]
    assert [data["partners"][p] for p in hanoi[5]] == ["Example Library", "Second & <Partner>"]
    assert data["places"][hanoi[2]][0] == "Hà Nội"
    assert hanoi[8] == 0b10001  # wifi, childcare
    assert data["facilities"] == ["wifi", "computers", "wheelchair-access", "quiet-room", "childcare", "printing"]
    assert len(data["partners"]) == 2 and len(data["courses"]) == 1
    # the two Peruvian hubs share one country; Lima is one place
    assert [c for c, _ in data["countries"]] == ["KE", "VN", "PE"]
    assert sorted(city for city, _ in data["places"]) == sorted(["Nairobi", "Hà Nội", XSS_IMG, "Lima"])


def test_data_file_escapes_markup_and_keeps_text(site: Path) -> None:
    raw = (site / "hubs/map.json").read_bytes()
    assert b"<" not in raw and b">" not in raw and b"&" not in raw
    assert b"\\u003c/script\\u003e" in raw
    assert "Hà Nội".encode() in raw  # UTF-8, not \\u escapes: fewer bytes
    names = set(rows_by_name(map_data(site)))
    assert {XSS_SCRIPT, XSS_IMG} <= names


def test_dump_json_is_compact_and_refuses_nan() -> None:
    assert dump_json({"a": ["<b>", 1.5]}) == b'{"a":["\\u003cb\\u003e",1.5]}'
    with pytest.raises(ValueError):
        dump_json(float("nan"))


def assert_no_inline_code(doc) -> None:
    """Scripts are files or JSON data: a CSP without 'unsafe-inline' must not break anything."""
    for script in doc.xpath("//script"):
        assert script.get("src") or script.get("type") in ("application/json", "application/ld+json"), script.text
    assert not doc.xpath("//*[@style]") and not doc.xpath("//style")
    assert not [name for element in doc.iter() if isinstance(element.tag, str) for name in element.attrib if name.startswith("on")]


def test_home_page_has_map_config_finder_and_no_inline_code(site: Path) -> None:
    page = site / "index.html"
    doc = parse_html(page)
    home = config(page, "map_home")
    assert home["id"] == "map_home" and home["data"] == "hubs/map.json" and home["cluster"] and home["fit"]
    assert home["tiles"]["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in home["tiles"]["options"]["attribution"]
    assert home["options"]["center"] == [20.0, 0.0] and home["options"]["zoom"] == 2
    box = doc.get_element_by_id("map_home")
    assert box.get("hidden") is not None and box.get("data-map") == "map_home-config"
    assert_no_inline_code(doc)
    form = doc.get_element_by_id("finder")
    assert form.get("method") == "get" and form.get("hidden") is not None
    assert {e.get("name") for e in form.xpath(".//input|.//select")} - {None} == {"q", "country", "course", "language", "day", "time", "open", "mode", "facility", "radius", "zone"}
    assert not doc.xpath("//datalist/option")  # course names come from the data, not the page (thousands of courses)
    assert doc.xpath("//select[@name='country']/option/@value") == ["", "KE", "PE", "VN"]
    assert doc.xpath("//select[@name='language']/option/text()")[1:] == ["English", "Swahili", "Vietnamese"]
    sources = [re.sub(r"\.[0-9a-f]{8}\.js$", ".js", src) for src in doc.xpath("//script/@src")]  # our own assets are fingerprinted
    assert sources == ["assets/vendor/leaflet/leaflet.js", "assets/vendor/supercluster/supercluster.min.js", "assets/js/map.js", "assets/js/times.js", "assets/js/find.js", "assets/js/offline.js"]
    assert doc.xpath("//link[@rel='preload']/@href") == ["hubs/points.json", "hubs/map.json"]  # the points first: the map draws from them
    for src in [*doc.xpath("//script/@src"), *doc.xpath("//link[@rel='stylesheet']/@href")]:
        assert (site / src).is_file(), src


def test_inline_configs_escape_content_for_script_blocks(site: Path) -> None:
    hub_page = site / "hubs/xss-script/index.html"
    html = hub_page.read_text(encoding="utf-8")
    block = html.split('id="map_hub-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    hub = config(hub_page, "map_hub")
    assert XSS_SCRIPT in [row[1] for row in hub["hubs"]["hubs"]]
    assert hub["focus"] == "xss-script" and hub["root"] == "../../"
    assert hub["options"]["center"] == [-12.0464, -77.0428] and hub["options"]["zoom"] == 14
    assert_no_inline_code(parse_html(hub_page))


def test_hub_page_map_shows_the_hub_and_its_neighbours(site: Path) -> None:
    hub = config(site / "hubs/example-hub/index.html", "map_hub")
    names = [row[1] for row in hub["hubs"]["hubs"]]
    assert names == ["Example Hub"]  # the others are far away (Lima, Hanoi): not "nearby"
    assert hub["hubs"]["hubs"][0][0] == ""  # its slug comes from the name


def test_partner_page_maps_its_hubs(site: Path) -> None:
    second = config(site / "partners/second-partner/index.html", "map_partner")
    assert [row[1] for row in second["hubs"]["hubs"]] == ["Hanoi American Center"]
    assert second["cluster"] is False
    first = config(site / "partners/example-library/index.html", "map_partner")
    assert len(first["hubs"]["hubs"]) == 4 and first["cluster"] is True


def test_no_cdn_and_no_folium_markup_on_any_page(site: Path) -> None:
    cdn = [url for _, url in folium.Map.default_js + folium.Map.default_css]
    assert cdn  # folium's own list: what its default page would pull
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not [url for url in cdn if url in html], page
        assert "folium" not in html and "L.marker" not in html, page


def test_same_content_gives_byte_identical_map_files(site: Path, tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", MAP_HUBS)
    build_site_in_a_process(content, tmp_path / "one")
    build_site_in_a_process(content, tmp_path / "two")
    one, two = tree_hash(tmp_path / "one"), tree_hash(tmp_path / "two")
    assert one == two
    assert one["hubs/map.json"] == tree_hash(site)["hubs/map.json"]


def test_home_directory_lists_countries_past_the_limit(tmp_path: Path) -> None:
    from hubsite.render.pages import HOME_LIST_LIMIT

    hubs = {f"hubs/hub-{i:03d}.yaml": hub_yaml(f"Hub {i:03d}", lat=-1 + i / 1000) for i in range(HOME_LIST_LIMIT + 1)}
    hubs["hubs/lima-hub.yaml"] = hub_yaml("Lima Hub", "Lima", "PE", -12.05, -77.03)
    build_site(scratch_content(tmp_path / "content", hubs, hub=False), tmp_path / "site")
    doc = parse_html(tmp_path / "site/index.html")
    assert doc.xpath("//section[@id='directory']//ul[@class='columns']/li/a/@href") == ["countries/ke/", "countries/pe/"]
    assert [li.text_content() for li in doc.xpath("//section[@id='directory']//ul[@class='columns']/li")] == ["Kenya (301)", "Peru (1)"]
    assert not doc.xpath("//li[@class='hub-card']")
    assert len(map_data(tmp_path / "site")["hubs"]) == HOME_LIST_LIMIT + 2


# --- tiles -----------------------------------------------------------------------------------


def test_tiles_from_an_xyzservices_name_resolve_offline() -> None:
    tiles = resolve_tiles(MapSettings(tiles="OpenStreetMap.HOT"))
    assert tiles["url"] == "https://{s}.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png"
    assert tiles["options"]["subdomains"] == "abc" and "Humanitarian OpenStreetMap Team" in tiles["options"]["attribution"]
    assert tiles["options"]["maxZoom"] == 19


def test_tiles_from_a_url_template_keep_the_attribution_as_text() -> None:
    settings = MapSettings(tiles="https://tiles.example.org/{z}/{x}/{y}.png", attribution="<b>Example</b> & co")
    tiles = resolve_tiles(settings)
    assert tiles["url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert tiles["options"]["attribution"] == "&lt;b&gt;Example&lt;/b&gt; &amp; co"




def test_a_session_every_other_week_carries_the_bit_beside_its_weekdays(tmp_path: Path) -> None:
    every_other = hub_yaml("Every Other Week", "Hanoi", "VN", 21.0285, 105.8542).replace("    language: en\n", "    language: en\n    frequency: biweekly\n")
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", {"hubs/every-other-week.yaml": every_other}), site)
    days = {row[1]: row[6][0][1] for row in map_data(site)["hubs"]}
    assert days == {"Every Other Week": 1 << 1 | EVERY_OTHER_WEEK, "Example Hub": 1 << 1}  # tuesday; every other week


def test_places_are_named_in_each_language_of_the_site(tmp_path: Path) -> None:
    """"Kiev" finds Kyiv: the finder names it as each language does, and English keeps its own name."""
    kyiv = hub_yaml("Kyiv Hub", "Kyiv", "UA", 50.4501, 30.5234)
    site_yaml = SITE_YAML.replace("language: en", "languages: [en, es, ar, zh-Hans, uk]")
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", {"site.yaml": site_yaml, "hubs/kyiv-hub.yaml": kyiv}, hub=False), site)
    data = json.loads((site / "hubs/places.json").read_text(encoding="utf-8"))
    row = next(index for index, place in enumerate(data["places"]) if place[0] == "Kyiv")
    named = {tag: names[row] for tag, names in data["local"].items() if row < len(names)}
    assert named == {"es": "Kiev", "ar": "كييف", "zh-Hans": "基辅", "uk": "Київ"}
    assert "en" not in data["local"]
    assert {fold("Kiev"), fold("Київ"), fold("كييف")} <= set(data["places"][row][4])  # as typed, folded as find.js folds
