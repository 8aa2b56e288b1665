"""What a build works out once and keeps (the GeoNames places near the hubs, what folium says of
the maps, the templates it compiled): the same as working it out again, and never fooled by a
kept file that is not what a build wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import build_site, scratch_content, tree_hash

from hubsite.content.settings import MapSettings
from hubsite.directory.places import distance_km
from hubsite.incremental.store import signed, verified
from hubsite.render import gazetteer
from hubsite.render.environment import shared_environment
from hubsite.render.gazetteer import PLACE_KM, cities_text, city_of, near_cities
from hubsite.render.mapping import LEAFLET_FILE, leaflet_for

# New York, Kyiv, Santiago, Reykjavik, beside the antimeridian, beside the North Pole.
HUBS = ((40.7128, -74.006), (50.4501, 30.5234), (-33.45, -70.66), (64.1, -21.9), (0.0, 179.9), (89.5, 0.0))


def places_measured_one_by_one(text: bytes) -> list[gazetteer.City]:
    every = (city_of(record) for record in json.loads(text).values())
    return sorted(city for city in every if any(distance_km(city.lat, city.lon, *hub) <= PLACE_KM for hub in HUBS))


def test_the_places_near_hubs_are_those_the_whole_file_measured_gives() -> None:
    assert sorted(near_cities(HUBS)) == places_measured_one_by_one(cities_text())


def test_a_data_file_written_another_way_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    records = json.loads(cities_text())
    compact = json.dumps(records, separators=(",", ":")).encode()  # no record matches the coordinates' pattern
    monkeypatch.setattr(gazetteer, "cities_text", lambda: compact)
    assert sorted(near_cities(HUBS)) == places_measured_one_by_one(compact)


def test_what_folium_says_of_the_maps_is_kept_for_the_same_code_and_settings(tmp_path: Path) -> None:
    settings = MapSettings()
    made = leaflet_for(settings, tmp_path)
    kept = tmp_path / LEAFLET_FILE
    data = json.loads(verified(kept.read_bytes()))
    data["tiles"]["url"] = "https://kept.example.org/{z}/{x}/{y}.png"
    kept.write_bytes(signed(json.dumps(data).encode()))
    assert leaflet_for(settings, tmp_path).tiles["url"] == "https://kept.example.org/{z}/{x}/{y}.png"  # read, not made again
    kept.write_text(json.dumps(data), encoding="utf-8")  # the same, not signed with this user's key: planted
    assert leaflet_for(settings, tmp_path).tiles == made.tiles
    assert leaflet_for(MapSettings(zoom=3), tmp_path).tiles == made.tiles  # other settings: made again


@pytest.mark.parametrize("planted", ["not json", "[]", "[[[[" * 100_000, '{"key": 1}', "SAME KEY, tiles not an object", "SAME KEY, a kind of map missing"])
def test_a_kept_leaflet_that_no_build_wrote_is_made_again(tmp_path: Path, planted: str) -> None:
    settings = MapSettings()
    made = leaflet_for(settings, tmp_path)
    kept = tmp_path / LEAFLET_FILE
    data = json.loads(verified(kept.read_bytes()))
    if planted.startswith("SAME KEY, tiles"):
        planted = json.dumps(data | {"tiles": "https://planted.example.org/"})
    elif planted.startswith("SAME KEY, a kind"):
        planted = json.dumps(data | {"maps": {"home": data["maps"]["home"]}})
    kept.write_bytes(signed(planted.encode()))  # signed by this user, as a build of other code might have written it
    assert leaflet_for(settings, tmp_path) == made


def test_a_build_from_the_kept_files_equals_a_build_without_them(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    build_site(content, tmp_path / "first" / "site")  # writes first/.hubsite-cache
    build_site(content, tmp_path / "first" / "again")  # reads it
    assert (tmp_path / "first" / ".hubsite-cache" / LEAFLET_FILE).is_file()
    assert tree_hash(tmp_path / "first" / "site") == tree_hash(tmp_path / "first" / "again")


def test_templates_are_looked_at_once_a_build_and_an_edit_is_seen_by_the_next(tmp_path: Path) -> None:
    """`serve` keeps its environment between builds: each build looks at the templates' files as
    it starts (an edited include counts), and not again while it renders."""
    (tmp_path / "page.html").write_text('{% include "part.html" %}', encoding="utf-8")
    part = tmp_path / "part.html"
    part.write_text("first", encoding="utf-8")
    env = shared_environment(tmp_path)
    assert env.get_template("page.html").render() == "first"
    part.write_text("second", encoding="utf-8")
    os.utime(part, (part.stat().st_atime, part.stat().st_mtime + 10))
    assert env.get_template("page.html").render() == "first"  # the same build
    assert shared_environment(tmp_path).get_template("page.html").render() == "second"  # the next one
