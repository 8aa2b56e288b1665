"""The benchmark generator's shapes of directory are valid content that `check` accepts (with the
warnings a far-off point earns), and its default shape is unchanged by the knobs."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT, TODAY, run_main

sys.path.insert(0, str(ROOT))
from bench.generate import COURSES, DEFAULT_SHAPE, PLACES, Shape, hub_record, write_content


def test_a_hard_shape_is_content_that_check_accepts(tmp_path: Path) -> None:
    shape = Shape(courses=500, far=0.5, words=400, partners_per_hub=4, languages=3)
    write_content(40, tmp_path / "content", shape)
    result = run_main("check", "--content", str(tmp_path / "content"), "--today", TODAY)
    assert result.code == 0, result.err
    assert "km from the nearest town" in result.err  # points far from any town are told, not refused
    assert "languages: [en, es, fr]" in (tmp_path / "content/site.yaml").read_text(encoding="utf-8")
    courses = {session["course"] for i in range(1, 41) for session in hub_record(i, shape)["sessions"]}
    assert len(courses) > 40 and any(", part " in course for course in courses)
    assert len(hub_record(1, shape)["description"].split()) > 300


def test_the_default_shape_keeps_the_real_courses_short_texts_and_points_near_their_city() -> None:
    real = {name for name, _ in COURSES}
    cities = {city: (lat, lon) for _, city, lat, lon, _, _ in PLACES}
    for i in range(1, 51):
        record = hub_record(i, DEFAULT_SHAPE)
        assert {session["course"] for session in record["sessions"]} <= real
        assert 100 <= len(record["description"].split()) <= 220
        lat, lon = cities[record["address"]["city"]]
        assert abs(record["location"]["lat"] - lat) <= 0.2 and abs(record["location"]["lon"] - lon) <= 0.2
