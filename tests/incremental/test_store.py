"""The store: values kept from one build for the next, in memory and on disk, and never a table
that this user's builds did not sign."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pytest

from hubsite import pipeline
from hubsite.incremental import store as store_module
from hubsite.incremental.store import SHARDS, Store, Table, shard_for, shard_path, table_folder, table_header


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs with a key of its own, in its own cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    store_module.signing_key.cache_clear()


def counting_maker(calls: list[str], value: str):
    def make() -> str:
        calls.append(value)
        return value
    return make


def test_a_value_is_made_once_and_taken_by_the_next_build() -> None:
    store, calls = Store(), []
    table = store.table("parsed")
    assert table.get("a", counting_maker(calls, "A")) == "A"
    assert table.get("a", counting_maker(calls, "other")) == "A"  # once per build
    store.commit()
    assert store.table("parsed").get("a", counting_maker(calls, "again")) == "A"
    assert calls == ["A"]
    assert store.table("parsed").taken == 1


def test_what_a_build_did_not_use_is_forgotten_and_a_failed_build_keeps_the_last_good_one() -> None:
    store, calls = Store(), []
    table = store.table("parsed")
    table.get("a", counting_maker(calls, "A"))
    table.get("b", counting_maker(calls, "B"))
    store.commit()
    table.get("a", counting_maker(calls, "A2"))
    store.commit()  # b was not used
    table.get("c", counting_maker(calls, "C"))
    store.discard()  # failed: c is not kept, a still is
    assert table.get("a", counting_maker(calls, "A3")) == "A"
    assert table.get("b", counting_maker(calls, "B2")) == "B2"
    assert table.find("c") is None


def test_tables_on_disk_are_read_by_the_next_process(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    first = Store(folder)
    first.table("places").get(("lat", 1.5), lambda: {"city": "Lima"})
    first.commit()
    second = Store(folder)  # a new build: a new Store over the same folder
    calls: list[str] = []
    assert second.table("places").get(("lat", 1.5), counting_maker(calls, "made")) == {"city": "Lima"}
    assert calls == []


def test_what_a_build_loads_is_kept_from_the_collector_until_the_build_ends(tmp_path: Path) -> None:
    """Tables unpickled from disk are frozen out of the garbage collector's sight (it would scan
    them at every collection and free none); the end of a build lets it see them again, so that
    `serve`, whose process lives on, frees what its builds dropped."""
    folder = tmp_path / "store"
    first = Store(folder)
    first.table("places").get(("lat", 1.5), lambda: {"city": "Lima"})
    first.commit()
    gc.unfreeze()
    with pipeline.fewer_collections():
        Store(folder).table("places").find(("lat", 1.5))
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0


class Planted:
    """What a hostile pickle does when loaded: here, leave a file behind."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (self.target, "ran"))


def test_a_planted_table_is_never_unpickled(tmp_path: Path) -> None:
    folder, target = tmp_path / "store", tmp_path / "ran.txt"
    folder.mkdir()
    body = table_header() + pickle.dumps({"k": Planted(target)})
    shard_path(folder, "parsed", shard_for("k")).parent.mkdir(parents=True)
    shard_path(folder, "parsed", shard_for("k")).write_bytes(b"\0" * 32 + body)  # a pull request cannot know the key
    calls: list[str] = []
    assert Store(folder).table("parsed").get("k", counting_maker(calls, "made")) == "made"
    assert not target.exists()


def test_a_table_signed_by_another_user_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "store"
    store = Store(folder)
    store.table("parsed").get("k", lambda: "mine")
    store.commit()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    store_module.signing_key.cache_clear()
    assert Store(folder).table("parsed").get("k", lambda: "made again") == "made again"


def test_a_truncated_table_is_empty(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    store = Store(folder)
    store.table("parsed").get("k", lambda: "v" * 1000)
    store.commit()
    path = shard_path(folder, "parsed", shard_for("k"))
    path.write_bytes(path.read_bytes()[:-10])
    assert Store(folder).table("parsed").get("k", lambda: "made") == "made"


def test_values_still_valid_are_kept_though_this_build_did_not_ask_for_them() -> None:
    """A file taken whole does not ask for its parts; the next build may need them."""
    store, calls = Store(), []
    table = store.table("parts")
    for key in ("a", "b", "c"):
        table.get(key, counting_maker(calls, key))
    store.commit()
    table.get("a", counting_maker(calls, "again"))
    table.retain(lambda key: key != "c")  # c is no longer valid
    store.commit()
    assert table.find("b") == "b" and table.find("c") is None
    assert calls == ["a", "b", "c"]


def test_a_value_made_again_in_place_of_a_kept_one_is_saved(tmp_path: Path) -> None:
    """An artifact whose inputs changed is found (the last build's), then made again and put in its
    place: the table on disk must hold the new one, or every later build makes it again."""
    folder = tmp_path / "store"
    first = Store(folder)
    first.table("artifacts").put("hub", "old")
    first.commit()
    second = Store(folder)
    table = second.table("artifacts")
    assert table.find("hub") == "old"
    table.put("hub", "new")
    second.commit()
    assert Store(folder).table("artifacts").find("hub") == "new"


def test_a_build_rewrites_only_the_shards_whose_values_changed(tmp_path: Path) -> None:
    """An edit of one hub of 10,000 makes a few values again: the rest of the table on disk stays
    as it is, and the next process reads the old values and the new alike."""
    folder = tmp_path / "store"
    first = Store(folder)
    for number in range(1000):
        first.table("parts").get(("hub", number), lambda number=number: f"v{number}")
    first.commit()
    shards = sorted(table_folder(folder, "parts").glob("*.pickle"))
    assert len(shards) == SHARDS
    before = {path: path.stat().st_ino for path in shards}  # a shard rewritten is a new file
    second = Store(folder)
    table = second.table("parts")
    for number in range(1000):
        if number != 7:  # 7 is dropped, 3 made again, 1000 new
            table.get(("hub", number), lambda: "not asked")
    table.put(("hub", 3), "v3 again")
    table.get(("hub", 1000), lambda: "v1000")
    second.commit()
    rewritten = {path.name for path in shards if not path.exists() or path.stat().st_ino != before[path]}
    assert rewritten == {shard_path(folder, "parts", shard_for(("hub", number))).name for number in (3, 7, 1000)}
    third = Store(folder).table("parts")
    assert [third.find(("hub", number)) for number in (2, 3, 7, 1000)] == ["v2", "v3 again", None, "v1000"]


def test_the_values_of_one_group_are_saved_in_one_shard(tmp_path: Path) -> None:
    """A table opened with a group saves the values of a group together: an edit that makes a
    hub's pages in nine languages again rewrites one shard, not nine. Without one, each key has
    its own shard."""
    folder = tmp_path / "store"
    store = Store(folder)
    for name, group in (("grouped", lambda key: key[-1]), ("plain", None)):
        table = store.table(name, group)
        for language in ("en", "fr", "ar", "zh-Hans", "es", "pt", "sw", "ru", "hi"):
            for slug in ("nairobi", "kisumu"):
                table.get(("hub", language, slug), lambda: "page")
    store.commit()
    grouped, plain = Store(folder).table("grouped"), Store(folder).table("plain")
    assert len(grouped.kept) == len(plain.kept) == 18  # read from disk, with the shard of each key

    def shards_of(table: Table, slug: str) -> set[int]:
        return {shard for key, shard in table.shard_of.items() if key[-1] == slug}

    assert [len(shards_of(grouped, slug)) for slug in ("nairobi", "kisumu")] == [1, 1]
    assert len(shards_of(plain, "nairobi")) > 1
    assert grouped.find(("hub", "zh-Hans", "kisumu")) == "page"


def test_a_value_whose_making_failed_is_not_saved_and_the_rest_is(tmp_path: Path) -> None:
    """A maker that raises, caught by its caller, leaves no key behind: the store still saves."""
    store = Store(tmp_path / "site.store")
    table = store.table("parsed")
    table.get("a", lambda: "A")

    def broken() -> str:
        raise ValueError("not this one")

    with pytest.raises(ValueError):
        table.get("b", broken)
    store.commit()
    later = Store(tmp_path / "site.store").table("parsed")
    assert later.kept == {"a": "A"}
