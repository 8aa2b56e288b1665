"""Places: nearest hubs (grid against brute force), and the location sanity checks run by `check`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import HUB_YAML, TODAY, Run, check_content, run_main, scratch_content
from geopy.distance import geodesic

from hubsite.content.records import Location
from hubsite.directory.places import (
    Grid,
    PopulatedPlaces,
    describe_offsets,
    geodesic_km,
    haversine_km,
    nearest_neighbours,
    places_file,
    populated_places,
    read_place_data,
    shown_km,
)
from hubsite.directory.schedule import year_offsets
from hubsite.incremental import store as store_module
from hubsite.incremental.store import Store

NAIROBI = "location: {lat: -1.2864, lon: 36.8172}"


@dataclass(frozen=True)
class Point:
    slug: str
    location: Location


def points(pairs: list[tuple[float, float]]) -> list[Point]:
    return [Point(f"p{i:04d}", Location(lat=lat, lon=lon)) for i, (lat, lon) in enumerate(pairs)]


def brute_nearest(items: list[Point], item: Point, k: int) -> list[str]:
    ranked = sorted((haversine_km(item.location, o.location), o.slug) for o in items if o.slug != item.slug)
    return [slug for _, slug in ranked[:k]]


def hub(location: str = NAIROBI, country: str = "KE", timezone: str = "Africa/Nairobi") -> str:
    text = HUB_YAML.replace(NAIROBI, location).replace("country: KE", f"country: {country}")
    return text.replace("timezone: Africa/Nairobi", f"timezone: {timezone}")


def warnings(result: Run) -> list[str]:
    return [line for line in result.lines if ": warning: " in line]


# --- distances and nearest neighbours ---------------------------------------------------------


def test_haversine_and_geodesic_agree_with_known_distances() -> None:
    nairobi, kakamega = Location(lat=-1.2921, lon=36.8219), Location(lat=0.2827, lon=34.7519)
    assert haversine_km(nairobi, kakamega) == pytest.approx(geodesic((-1.2921, 36.8219), (0.2827, 34.7519)).km, rel=0.005)  # sphere vs WGS-84
    assert geodesic_km(nairobi, kakamega) == pytest.approx(geodesic((-1.2921, 36.8219), (0.2827, 34.7519)).km, rel=1e-12)
    across_the_antimeridian = haversine_km(Location(lat=0, lon=179.9), Location(lat=0, lon=-179.9))
    assert across_the_antimeridian == pytest.approx(22.2, abs=0.1)


@pytest.mark.parametrize(
    "layout",
    [
        "world",
        "one-city",
        "poles-and-antimeridian",
        "duplicates",
    ],
)
def test_grid_finds_the_same_neighbours_as_brute_force(layout: str) -> None:
    rng = random.Random(layout)
    if layout == "world":
        pairs = [(rng.uniform(-89.9, 89.9), rng.uniform(-180, 180)) for _ in range(400)]
    elif layout == "one-city":  # crowded: every hub within 2 km of the centre
        pairs = [(-1.29 + rng.uniform(-0.02, 0.02), 36.82 + rng.uniform(-0.02, 0.02)) for _ in range(400)]
    elif layout == "poles-and-antimeridian":
        pairs = [(rng.choice((-1, 1)) * rng.uniform(85, 90), rng.uniform(-180, 180)) for _ in range(100)]
        pairs += [(rng.uniform(-20, 20), rng.choice((179.0, -179.0)) + rng.uniform(-0.99, 0.99)) for _ in range(100)]
    else:  # many hubs on exactly the same point: ties are broken by slug
        pairs = [(10.0, 20.0)] * 30 + [(10.0001, 20.0001)] * 10 + [(rng.uniform(-50, 50), rng.uniform(-50, 50)) for _ in range(50)]
    items = points(pairs)
    grid = Grid(items)
    for item in items:
        assert [o.slug for o in grid.nearest(item, 3)] == brute_nearest(items, item, 3), item


def test_nearest_neighbours_with_few_hubs() -> None:
    assert nearest_neighbours(points([(1.0, 2.0)]), 3) == {"p0000": []}
    two = points([(1.0, 2.0), (1.0, 3.0)])
    found = nearest_neighbours(two, 3)
    assert [o.slug for o, _ in found["p0000"]] == ["p0001"]
    assert found["p0000"][0][1] == pytest.approx(geodesic((1.0, 2.0), (1.0, 3.0)).km)
    assert nearest_neighbours([], 3) == {}


def test_hub_pages_get_their_three_nearest_hubs_within_reach_in_geodesic_km(tmp_path: Path) -> None:
    from hubsite.content.reader import load_content
    from hubsite.content.validate import validate_content
    from hubsite.directory.catalog import build_catalog

    cities = {"nairobi": (-1.2921, 36.8219), "thika": (-1.0333, 37.0693), "nakuru": (-0.3031, 36.08), "kisumu": (-0.0917, 34.768), "mombasa": (-4.0435, 39.6682)}
    files = {f"hubs/{name}.yaml": hub(f"location: {{lat: {lat}, lon: {lon}}}") for name, (lat, lon) in cities.items()}
    root = scratch_content(tmp_path / "content", files, hub=False)
    content, _ = validate_content(load_content(root), root)
    catalog, problems = build_catalog(content, __import__("datetime").date(2026, 2, 1))  # type: ignore[arg-type]
    assert problems == []
    nairobi = catalog.hub("nairobi")  # type: ignore[union-attr]
    assert [n.slug for n in nairobi.neighbours] == ["thika", "nakuru"]  # Kisumu is 265 km away: past NEARBY_KM
    assert [n.slug for n in catalog.hub("kisumu").neighbours] == ["nakuru"]  # type: ignore[union-attr]
    assert catalog.hub("mombasa").neighbours == ()  # type: ignore[union-attr]
    assert nairobi.neighbours[0].km == round(geodesic(cities["nairobi"], cities["thika"]).km, 1)


# --- the country dataset ----------------------------------------------------------------------


def test_populated_places_know_countries_near_borders_and_across_the_antimeridian() -> None:
    places = populated_places()
    assert places.near(46.2044, 6.1432, "CH", 100)  # Geneva, a few km from France
    assert places.near(46.2044, 6.1432, "FR", 100)  # ... and France is near Geneva too: nearest places, not borders
    assert places.near(-16.78, 179.99, "FJ", 100)  # Fiji straddles the antimeridian
    assert places.near(-16.78, -179.99, "FJ", 100)
    assert not places.near(48.8566, 2.3522, "KE", 100)
    town, code, km = places.nearest(48.8566, 2.3522)  # type: ignore[misc]
    assert code == "FR" and km < 10, town


# --- the checks, as `check` reports them ----------------------------------------------------


def test_swapped_coordinates_get_a_clear_warning_naming_file_and_line(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hub("location: {lat: 36.8172, lon: -1.2864}")})
    assert result.code == 0, result.err
    assert warnings(result) == [
        f"{tmp_path / 'content/hubs/example-hub.yaml'}:4:11: warning: location: lat/lon look swapped: (36.8172, -1.2864) is not in Kenya "
        "but (-1.2864, 36.8172) is; write location: {lat: -1.2864, lon: 36.8172}"
    ]


def test_strict_turns_location_warnings_into_errors(tmp_path: Path) -> None:
    root = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": hub("location: {lat: 36.8172, lon: -1.2864}")})
    result = run_main("check", "--content", str(root), "--today", TODAY, "--strict")
    assert result.code == 1
    assert any("example-hub.yaml:4:11: location: lat/lon look swapped" in line for line in result.lines), result.err


def test_point_far_from_its_country(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hub("location: {lat: 48.8566, lon: 2.3522}")})
    (line,) = warnings(result)
    assert "example-hub.yaml:4:11: warning: location: (48.8566, 2.3522) is " in line
    assert "km from the nearest town in Kenya; it is near " in line and ", France. Check location: (lat, lon) and address.country" in line


def test_hub_near_a_border_is_not_flagged(tmp_path: Path) -> None:
    geneva = hub("location: {lat: 46.2044, lon: 6.1432}", "CH", "Europe/Zurich")
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": geneva})
    assert result.code == 0 and warnings(result) == [], result.err


def test_two_hubs_closer_than_50_m_are_both_warned(tmp_path: Path) -> None:
    files = {
        "hubs/a-hub.yaml": hub("location: {lat: -1.2864, lon: 36.8172}"),
        "hubs/b-hub.yaml": hub("location: {lat: -1.2867, lon: 36.8172}"),  # 33 m south
        "hubs/c-hub.yaml": hub("location: {lat: -1.2874, lon: 36.8172}"),  # 78 m south of b: fine
    }
    result = check_content(tmp_path / "content", files, hub=False)
    found = warnings(result)
    assert len(found) == 2, found
    assert "a-hub.yaml:4:11: warning: location: only 33 m from hub 'b-hub' (" in found[0] and "b-hub.yaml:4): is it one place listed twice?" in found[0]
    assert "b-hub.yaml:4:11: warning: location: only 33 m from hub 'a-hub' (" in found[1]


def test_timezone_that_does_not_match_the_location(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hub(timezone="Europe/London")})
    (line,) = warnings(result)
    assert line.endswith(
        "example-hub.yaml:5:11: warning: timezone: Europe/London (UTC+00:00/+01:00) does not match the location, which keeps "
        "Africa/Nairobi time (UTC+03:00) in 2026; correct timezone: or location:, or remove timezone: to derive it"
    ), line


def test_timezones_are_compared_by_offsets_not_names(tmp_path: Path) -> None:
    hanoi = hub("location: {lat: 21.0285, lon: 105.8542}", "VN", "Asia/Ho_Chi_Minh")
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hanoi})
    assert result.code == 0 and warnings(result) == [], result.err  # timezonefinder says Asia/Bangkok: the same clock


def test_offsets_over_a_year() -> None:
    assert year_offsets("Asia/Bangkok", 2026) == year_offsets("Asia/Ho_Chi_Minh", 2026)
    assert year_offsets("Europe/London", 2026) != year_offsets("Africa/Abidjan", 2026)  # same in winter, not in summer
    assert describe_offsets("America/St_Johns", 2026) == "UTC-03:30/-02:30"
    assert describe_offsets("Asia/Kathmandu", 2026) == "UTC+05:45"


def test_cached_location_is_checked_and_blamed_on_the_address(tmp_path: Path) -> None:
    text = hub().replace(NAIROBI + "\n", "")
    cache = '"1 Main Street, Nairobi, Kenya":\n  lat: 36.8172\n  lon: -1.2864\n'
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": text, "geocache.yaml": cache})
    (line,) = warnings(result)
    assert "example-hub.yaml:3:10: warning: address: the geocoded location (content/geocache.yaml): lat/lon look swapped" in line, line


def test_a_misplaced_hub_gets_one_warning_not_also_a_timezone_one(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": hub("location: {lat: 36.8172, lon: -1.2864}")})
    assert len(warnings(result)) == 1 and "swapped" in warnings(result)[0]


def test_a_closed_hub_may_share_its_building_with_its_successor(tmp_path: Path) -> None:
    files = {
        "hubs/a-hub.yaml": hub("location: {lat: -1.2864, lon: 36.8172}").replace("name: Example Hub", "name: Example Hub\nstatus: closed"),
        "hubs/b-hub.yaml": hub("location: {lat: -1.2865, lon: 36.8172}"),
    }
    result = check_content(tmp_path / "content", files, hub=False)
    assert result.code == 0 and warnings(result) == [], result.err


def test_place_data_kept_in_a_store_answers_as_the_data_file_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    store_module.signing_key.cache_clear()
    source = places_file()
    first = Store(tmp_path / "store")
    first.table("populated-places").get("key", lambda: read_place_data(source))
    first.commit()
    kept = PopulatedPlaces(Store(tmp_path / "store").table("populated-places").find("key"), source)
    read = PopulatedPlaces(read_place_data(source), source)
    for lat, lon, country in [(48.8566, 2.3522, "KE"), (-16.78, 179.99, "FJ"), (36.8172, -1.2864, "KE"), (0.0, -30.0, "BR")]:
        assert kept.nearest(lat, lon) == read.nearest(lat, lon)
        assert kept.nearest(lat, lon, country) == read.nearest(lat, lon, country)
        assert kept.near(lat, lon, country, 100) == read.near(lat, lon, country, 100)


def test_distances_as_shown_are_geographiclibs_to_the_last_decimal() -> None:
    """Vincenty's formulae measure, geographiclib decides near a rounding boundary: never a different tenth of a km."""
    rng = random.Random(7)
    for _ in range(3000):
        lat, lon = rng.uniform(-89.9, 89.9), rng.uniform(-180, 180)
        spread = rng.choice((0.0001, 0.05, 1.0, 3.0))
        a, b = Location(lat=lat, lon=lon), Location(lat=max(-90.0, min(90.0, lat + rng.uniform(-spread, spread))), lon=(lon + rng.uniform(-spread, spread) + 180) % 360 - 180)
        exact = geodesic_km(a, b)
        assert shown_km(a, b, 200.0) == (round(exact, 1) if exact <= 200.0 else None), (a, b)
    boundary = Location(lat=0.0, lon=0.0), Location(lat=0.0, lon=0.45)  # 50.09... km: any pair, the rule is the same
    assert shown_km(*boundary, within=geodesic_km(*boundary)) == round(geodesic_km(*boundary), 1)
    assert shown_km(Location(lat=0.0, lon=0.0), Location(lat=0.5, lon=179.7), 30000.0) == round(geodesic_km(Location(lat=0.0, lon=0.0), Location(lat=0.5, lon=179.7)), 1)  # nearly antipodal
