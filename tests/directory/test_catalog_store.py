"""The catalog kept in the store: an edit works out again only what it touches, and a catalog made
with what earlier builds kept equals one made cold."""

from __future__ import annotations

import copy
import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from bench.generate import Shape, write_content
from hubsite.content.reader import load_content
from hubsite.content.records import Hub, Location
from hubsite.content.validate import ValidContent, validate_content
from hubsite.directory.catalog import Catalog, build_catalog
from hubsite.incremental import store as store_module
from hubsite.incremental.store import Store
from hubsite.problems import Problem

TODAY = date(2026, 11, 22)
PER_HUB = ("session-facts", "place-checks")


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables signed with a key of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    store_module.signing_key.cache_clear()


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> ValidContent:
    """Forty hubs of the hard shape: many courses, a third of the points far from any town (warned)."""
    root = tmp_path_factory.mktemp("catalog") / "content"
    write_content(40, root, Shape(courses=60, far=0.3))
    valid, problems = validate_content(load_content(root), root)
    assert valid is not None and not [p for p in problems if p.severity == "error"]
    return valid


def edited(content: ValidContent, slug: str, **changes: object) -> ValidContent:
    """The content with one hub's record changed, as if its file had been edited: new bytes, a new hash."""
    return content._replace(hubs=[rewritten(hub, changes) if hub.slug == slug else hub for hub in content.hubs])


def rewritten(hub: Hub, changes: dict[str, object]) -> Hub:
    doc = copy.copy(hub.doc)
    doc.digest = hashlib.sha256(hub.doc.digest + repr(sorted(changes.items())).encode()).digest()
    return hub._replace(record=hub.record.model_copy(update=changes), doc=doc)


def views(catalog: Catalog | None) -> list[tuple]:
    """What the catalog derives of each hub (not the records it was given)."""
    assert catalog is not None
    return [(hub.slug, hub.location, hub.timezone, hub.timezone_derived, hub.stale, hub.neighbours,
             tuple((view.facts, view.session, view.index, view.course_slug, view.signup_url, view.timezone, view.slug) for view in hub.sessions)) for hub in catalog.hubs]


def cold(content: ValidContent) -> tuple[Catalog | None, list[Problem]]:
    return build_catalog(content, TODAY, Store())


def nothing_made(store: Store) -> bool:
    """Every table of the catalog was asked, and answered from what the last build kept."""
    return {"course-slugs", "neighbours", "twins", *PER_HUB} <= set(store.tables) and all(table.made == 0 for table in store.tables.values())


def made_by_table(store: Store) -> dict[str, int]:
    return {name: table.made for name, table in store.tables.items() if table.made}


def test_a_summary_edit_works_out_only_that_hubs_sessions_again(content: ValidContent) -> None:
    store = Store()
    build_catalog(content, TODAY, store)
    store.commit()
    catalog, _ = build_catalog(edited(content, "hub-00007", summary="Now with a new summary."), TODAY, store)
    assert made_by_table(store) == {"session-facts": 1}  # a hub's sessions are kept by its file's bytes, which changed
    assert store.table("session-facts").taken == len(content.hubs) - 1
    assert views(catalog) == views(cold(content)[0])
    assert catalog.hub("hub-00007").record.summary == "Now with a new summary."  # type: ignore[union-attr]


def test_moving_a_hub_works_out_its_place_and_the_neighbours_again(content: ValidContent) -> None:
    store = Store()
    before, _ = build_catalog(content, TODAY, store)
    store.commit()
    hub = next(h for h in content.hubs if h.slug == "hub-00012")
    moved = edited(content, hub.slug, location=Location(lat=hub.record.location.lat + 0.3, lon=hub.record.location.lon))  # type: ignore[union-attr]
    catalog, problems = build_catalog(moved, TODAY, store)
    assert store.table("place-checks").made == 1  # its own
    assert store.table("neighbours").made == 1  # every hub's, from every hub's point
    assert store.table("twins").made == 1
    assert store.table("session-facts").made == 1  # its file changed
    fresh, fresh_problems = cold(moved)
    assert views(catalog) == views(fresh)
    assert problems == fresh_problems
    assert views(catalog) != views(before)


def test_a_session_edit_works_out_that_hubs_sessions_alone(content: ValidContent) -> None:
    store = Store()
    build_catalog(content, TODAY, store)
    store.commit()
    hub = next(h for h in content.hubs if h.slug == "hub-00003")
    sessions = [hub.record.sessions[0].model_copy(update={"exceptions": []}), *hub.record.sessions[1:]]
    changed = edited(content, hub.slug, sessions=[s.model_copy(update={"frequency": "biweekly"}) if i == 0 else s for i, s in enumerate(sessions)])
    catalog, _ = build_catalog(changed, TODAY, store)
    assert store.table("session-facts").made == 1
    assert store.table("place-checks").made == 0
    assert views(catalog) == views(cold(changed)[0])


def test_zone_spans_cover_each_zones_sessions_years(content: ValidContent) -> None:
    catalog, _ = cold(content)
    assert catalog is not None
    for zone, (first, last) in catalog.zone_spans.items():
        sessions = [view.session for hub in catalog.hubs if hub.timezone == zone for view in hub.sessions]
        assert (first, last) == (min(s.starts.year for s in sessions), max(s.ends.year for s in sessions)), zone
    assert set(catalog.zone_spans) == {hub.timezone for hub in catalog.hubs}


def test_a_zone_without_sessions_spans_the_years_of_all(content: ValidContent) -> None:
    hub = content.hubs[0]
    alone = edited(content, hub.slug, sessions=[], timezone="Pacific/Chatham", location=Location(lat=-43.95, lon=-176.55), address=hub.record.address.model_copy(update={"country": "NZ"}))
    catalog, _ = cold(alone)
    assert catalog is not None
    years = [year for h in catalog.hubs for view in h.sessions for year in (view.session.starts.year, view.session.ends.year)]
    assert catalog.zone_spans["Pacific/Chatham"] == (min(years), max(years))


def test_a_store_on_disk_gives_a_later_build_the_same_catalog(content: ValidContent, tmp_path: Path) -> None:
    first = Store(tmp_path / "site.store")
    build_catalog(content, TODAY, first)
    first.commit()
    later = Store(tmp_path / "site.store")  # as a later process opens it
    catalog, problems = build_catalog(content, TODAY, later)
    assert nothing_made(later)
    assert later.table("place-checks").taken == len(content.hubs)
    fresh, fresh_problems = cold(content)
    assert views(catalog) == views(fresh)
    assert problems == fresh_problems
    assert catalog.zone_spans == fresh.zone_spans  # type: ignore[union-attr]


def test_a_new_day_works_out_the_sessions_again(content: ValidContent) -> None:
    store = Store()
    build_catalog(content, TODAY, store)
    store.commit()
    build_catalog(content, date(2026, 12, 15), store)
    assert store.table("session-facts").made == len(content.hubs)
    assert store.table("place-checks").made == 0  # the same year


HEAVY = ("scipy", "numpy", "timezonefinder")
CATALOG_IN_A_PROCESS = """
import sys
from datetime import date
from pathlib import Path
from hubsite.content.reader import load_content
from hubsite.content.validate import validate_content
from hubsite.directory.catalog import build_catalog
from hubsite.incremental.store import Store
root, folder = Path(sys.argv[1]), Path(sys.argv[2])
content, _ = validate_content(load_content(root), root)
store = Store(folder)
build_catalog(content, date(2026, 11, 22), store)
store.commit()
print(" ".join(name for name in sys.argv[3:] if name in sys.modules))
"""


def test_a_later_build_loads_no_place_tables(tmp_path: Path) -> None:
    """What the first build found of each place is kept: the next process loads neither the zone
    finder nor numpy nor scipy (a second or more of a small site's build)."""
    root = tmp_path / "content"
    write_content(12, root, Shape(courses=20, far=0.5))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", CATALOG_IN_A_PROCESS, str(root), str(tmp_path / "site.store"), *HEAVY],
                           capture_output=True, text=True, check=True, env=env).stdout.split() for _ in range(2)]
    assert "timezonefinder" in runs[0]
    assert runs[1] == []
