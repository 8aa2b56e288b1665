"""`build` takes over the artifacts the last build into the same folder made, when nothing they
recorded as read has changed (incremental/artifacts.py, kept in the store on disk): after every
kind of edit the site must be exactly the one a build from nothing writes, only what the edit
touched is rendered again, and kept artifacts that no longer match the live site (a file deleted,
a table garbled, another version of a library) cost time, never a wrong page."""

from __future__ import annotations

import pickle
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, scratch_content, tree_hash
from sites import HUBS, edit, every_kind_of_edit

from hubsite import fingerprint, pipeline
from hubsite.incremental.artifacts import digest_of
from hubsite.incremental.store import Store, table_folder
from hubsite.languages import Local
from hubsite.options import BuildOptions, cache_folder
from hubsite.render import workers

TWO_LANGUAGES = "title: Test Hubs\nbase_url: https://example.org/hubs/\nlanguage: en\nlanguages: [en, fr]\ncontact_email: hubs@example.org\n"


def kept(content: Path, site: Path, templates: Path = ROOT / "templates", workers: int = 1) -> BuildOptions:
    return BuildOptions(content_dir=content, out_dir=site, today=date(2026, 2, 1), templates_dir=templates, cache_dir=cache_folder(site), workers=workers)


def fresh(options: BuildOptions, scratch: Path) -> dict[str, str]:
    """The tree a build from nothing writes, keeping nothing."""
    out = scratch / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    pipeline.build(replace(options, out_dir=out, cache_dir=None))
    return tree_hash(out)


@pytest.fixture
def scratch(tmp_path: Path) -> tuple[Path, Path]:
    content = scratch_content(tmp_path / "content", {**HUBS, "site.yaml": TWO_LANGUAGES, "pages/about.md": "---\ntitle: About\nnav: 1\n---\nHello.\n",
                                                     "pages/host.md": "---\ntitle: Host a hub\n---\nWrite to us.\n"})
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    return content, templates


@pytest.mark.parametrize("workers", [1, 2])
def test_builds_that_take_kept_artifacts_equal_builds_from_nothing_after_every_kind_of_edit(tmp_path: Path, scratch: tuple[Path, Path], workers: int) -> None:
    content, templates = scratch
    options = kept(content, tmp_path / "site", templates, workers)
    first = pipeline.build(options)
    assert first.taken == 0
    for what, change in every_kind_of_edit(content, templates):
        change()
        result = pipeline.build(options)
        assert tree_hash(options.out_dir) == fresh(options, tmp_path), what
        if what == "hub summary":
            assert result.taken > 0  # the other hubs were not rendered again
            assert b"Saturdays too." in (options.out_dir / "en/hubs/eldoret/index.html").read_bytes()
            # Its neighbours' small maps do not show a summary: they are taken, only the pages
            # that show the hub as a whole (its own, its partners', country's, courses') are made.
            assert {made for made in result.made if made[0] == "hub"} == {("hub", "en", "eldoret"), ("hub", "fr", "eldoret")}
            # Nor do the pages and framed lists that list it: no card or group shows a summary.
            assert not [made for made in result.made if made[0] in ("partner", "country", "course") or made[:2] in (("embed", "partner"), ("embed", "country"), ("embed", "course"))]
            # The files about the whole directory that show a hub's own texts are made again from
            # kept parts, as is the host guide (it says who hosts); those that list hubs (the home
            # page and indexes, the map, the numbers, the framed list of every hub) and the other
            # pages (the application form, about, 404) are taken.
            assert {("feed", "fr"), ("open data",), ("page", "fr", "host")} <= set(result.made)
            assert not {("directory", "fr"), ("map data", "fr"), ("numbers", "fr"), ("numbers data",), ("embed", "fr"), ("page", "fr", "about"), ("apply", "fr"),
                        ("not found", "fr"), ("schema",), ("places",)} & set(result.made)
            # The calendars and feeds that follow it are joined again; those of a partner it has nothing to do with are taken.
            assert {("follow", "fr", "country", "KE"), ("follow", "fr", "partner", "other-college"), ("follow", "fr", "course", "learning-how-to-learn")} <= set(result.made)
            assert ("follow", "fr", "partner", "example-library") not in result.made
        if what == "second hub in a city":
            assert (options.out_dir / "fr/countries/ke/cities/nairobi/calendar.ics").is_file()
        if what == "partner renamed":
            for slug in ("kisumu", "eldoret"):
                assert b"Renamed Polytechnic" in (options.out_dir / f"en/hubs/{slug}/index.html").read_bytes()
        if what == "group goes online":
            # Eldoret's page, made again for the last edit and shown nothing of Mombasa, is taken: what a
            # build makes again is kept for the next, not the artifact it replaced.
            assert ("hub", "en", "eldoret") not in result.made
        if what == "far hub's new group of a full course":
            assert b"Mombasa Hub</a>, online" in (options.out_dir / "en/hubs/kisumu/index.html").read_bytes()
        if what == "template":
            assert result.taken == 0
    assert b'href="../../courses/c-2/"' in (options.out_dir / "en/hubs/mombasa/index.html").read_bytes()
    # Another day: every unit is rendered again, none is taken wrongly.
    later = replace(options, today=date(2026, 3, 20))
    assert pipeline.build(later).taken == 0
    assert tree_hash(later.out_dir) == fresh(later, tmp_path)


def test_a_file_gone_from_the_live_site_is_rendered_again(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    content, _ = scratch
    options = kept(content, tmp_path / "site")
    pipeline.build(options)
    (options.out_dir / "en/hubs/mombasa/index.html").unlink()
    (options.out_dir / "fr/hubs/kisumu/calendar.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    pipeline.build(options)
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_a_hub_in_every_language_and_its_parts_are_saved_in_one_shard_each(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """What an edit of one hub makes again in every language is saved together: its artifacts in
    one shard of the table, its parts (entries, map facts, open data) in one shard of theirs."""
    content, _ = scratch
    options = kept(content, tmp_path / "site")
    pipeline.build(options)
    store = Store(cache_folder(options.out_dir) / "site.store")
    artifacts, parts = store.table("artifacts"), store.table("parts")
    assert artifacts.kept and parts.kept  # read from disk, with the shard of each key
    assert {artifacts.shard_of[("hub", tag, "eldoret")] for tag in ("en", "fr")} == {artifacts.shard_of[("hub", "en", "eldoret")]}
    assert {artifacts.shard_of[("feed", tag)] for tag in ("en", "fr")} == {artifacts.shard_of[("feed", "en")]}
    by_hub: dict[str, set[int]] = {}
    for key, shard in parts.shard_of.items():
        by_hub.setdefault(key[-1], set()).add(shard)
    assert len(by_hub) >= len(HUBS)
    assert all(len(shards) == 1 for shards in by_hub.values())


def test_a_garbled_table_is_ignored(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    content, _ = scratch
    options = kept(content, tmp_path / "site")
    pipeline.build(options)
    shards = sorted(table_folder(cache_folder(options.out_dir) / "site.store", "artifacts").glob("*.pickle"))
    assert len(shards) > 1
    summary = "summary: Weekly study groups."
    for number, garble in enumerate((lambda b: b[:-100], lambda b: b[:40] + b"x" + b[41:], lambda b: b"", lambda b: b[:32])):
        for shard in shards:
            shard.write_bytes(garble(shard.read_bytes()))
        edit(content / "hubs/eldoret.yaml", summary, summary := f"summary: Edit number {number}.")
        assert pipeline.build(options).taken == 0, number
        assert tree_hash(options.out_dir) == fresh(options, tmp_path), number


def test_another_version_of_a_library_makes_everything_again(tmp_path: Path, scratch: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """What a library shapes (Jinja's escaping, Babel's dates) may change with its version: kept
    artifacts are not taken across an upgrade."""
    content, _ = scratch
    options = kept(content, tmp_path / "site")
    pipeline.build(options)
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    installed = fingerprint.library_version
    monkeypatch.setattr(fingerprint, "library_version", lambda name: "99.0" if name == "jinja2" else installed(name))
    fingerprint.code_fingerprint.cache_clear()
    try:
        result = pipeline.build(options)
    finally:
        fingerprint.code_fingerprint.cache_clear()
    assert result.taken == 0
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_events_kept_with_their_hub_are_its_own(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """calendar.ics is joined from every hub's events, kept with its artifact: after hubs are
    added before and after the others, every hub's events are still its own."""
    content, _ = scratch
    options = kept(content, tmp_path / "site")
    pipeline.build(options)
    for slug in ("aaa-first", "zzz-last"):
        (content / f"hubs/{slug}.yaml").write_text((content / "hubs/kisumu.yaml").read_text().replace("Kisumu Hub", f"Hub {slug}").replace("lat: -0.09", "lat: -0.19"))
    assert pipeline.build(options).taken > 0
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)
    calendar = (options.out_dir / "en/calendar.ics").read_bytes()
    assert calendar.count(b"BEGIN:VEVENT") == 7 and calendar.endswith(b"END:VCALENDAR\r\n")


def test_a_site_opened_from_disk_takes_its_own_pages_too(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """With a file: address, folder links are rewritten to name index.html as pages are made, so
    what is kept is what was written, and the site's own pages are taken like the hubs' pages."""
    content, _ = scratch
    options = replace(kept(content, tmp_path / "site"), base_url=(tmp_path / "site").as_uri() + "/")
    pipeline.build(options)
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    result = pipeline.build(options)
    assert ("page", "fr", "about") not in result.made and ("hub", "fr", "kisumu") not in result.made
    assert b'href="../../about/index.html"' in (options.out_dir / "en/hubs/eldoret/index.html").read_bytes()
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_an_edit_with_little_to_make_is_rendered_without_forking_workers(tmp_path: Path, scratch: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers cost seconds to fork on a large site: a build shares out only the tasks with
    something to make, and only when many pages are to be made (here: more than one hub's edit)."""
    content, templates = scratch
    monkeypatch.setattr(workers, "PARALLEL_FROM_ARTIFACTS", 4)  # a summary edit: its hub in 2 languages; from nothing: dozens
    forked: list[int] = []
    share_out = workers.forked_results

    def counted(run, state, tasks, count):  # what the build shares out, passed on as it is
        forked.append(len(tasks))
        return share_out(run, state, tasks, count)

    monkeypatch.setattr(workers, "forked_results", counted)
    options = replace(kept(content, tmp_path / "site", templates), workers=None)
    pipeline.build(options)
    assert len(forked) == 1 and forked[0] > 1  # from nothing: every task, in workers
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    result = pipeline.build(options)
    assert len(forked) == 1 and ("hub", "fr", "eldoret") in result.made
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_lists_whose_templates_show_a_hubs_summary_are_made_again_when_it_changes(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """The bundled cards show no summary, so a summary edit leaves the lists as they are; a site's
    own templates may show it on every card, and then the lists follow it."""
    content, templates = scratch
    card = templates / "partials/hub_card.html"
    card.write_text(card.read_text().replace('<p class="coming">', '<p class="summary">{{ local(hub.record.summary) }}</p>\n  <p class="coming">'))
    options = kept(content, tmp_path / "site", templates)
    pipeline.build(options)
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    pipeline.build(options)
    for page in ("en/countries/ke/index.html", "en/index.html"):  # a country's page, the home page's list of every hub
        assert b"Saturdays too." in (options.out_dir / page).read_bytes()
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_cards_that_start_to_show_summaries_follow_the_next_summary_edit(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """What the templates of lists leave out of a hub is kept from build to build by the templates
    it was found in: once the cards show summaries, a later summary edit makes the lists again."""
    content, templates = scratch
    options = kept(content, tmp_path / "site", templates)
    pipeline.build(options)
    card = templates / "partials/hub_card.html"
    card.write_text(card.read_text().replace('<p class="coming">', '<p class="summary">{{ local(hub.record.summary) }}</p>\n  <p class="coming">'))
    pipeline.build(options)
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    pipeline.build(options)
    assert b"Saturdays too." in (options.out_dir / "en/countries/ke/index.html").read_bytes()
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_a_build_that_changes_nothing_read_takes_every_artifact(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """Every dependency an artifact records is among those the build works out fingerprints for
    (Sources.every_dependency): one left out would make its artifacts again at every build. A
    file added to content/static/ is read by no artifact: only the publishing files, which list
    every path, are made again."""
    content, _ = scratch
    options = kept(content, tmp_path / "site")
    pipeline.build(options)
    (content / "static").mkdir(exist_ok=True)
    (content / "static/humans.txt").write_text("Made by volunteers.\n")
    result = pipeline.build(options)
    assert [made[0] for made in result.made] == ["publishing"]
    assert (options.out_dir / "humans.txt").read_bytes() == b"Made by volunteers.\n"
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)


def test_a_fingerprint_follows_the_values_in_every_language_and_nothing_else() -> None:
    """Equal facts give one fingerprint, whether made now or taken from the store (unpickled: other
    objects, some shared); a text given in several languages changes it in any of them."""
    name = Local("Nakuru Hub", {"en": "Nakuru Hub", "fr": "Centre de Nakuru"})
    city = "Nakuru"
    facts = ("nakuru", -0.3, 36.07, [(city, name), (city, name)], date(2026, 2, 1), b"\x00\x01")
    taken = pickle.loads(pickle.dumps(facts))
    assert taken[3][0][0] is taken[3][1][0] and facts[3][0][0] is facts[3][1][0]
    separate = ("nakuru", -0.3, 36.07, [("".join(["Nak", "uru"]), Local("Nakuru Hub", {"en": "Nakuru Hub", "fr": "Centre de Nakuru"})), (city, name)], date(2026, 2, 1), b"\x00\x01")
    assert digest_of(facts) == digest_of(taken) == digest_of(separate)
    renamed = Local("Nakuru Hub", {"en": "Nakuru Hub", "fr": "Maison du savoir de Nakuru"})
    assert digest_of((*facts[:3], [(city, renamed), (city, name)], *facts[4:])) != digest_of(facts)


def test_fingerprints_are_the_same_in_every_process(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """`build` runs in a new process each time, with its own hash seed: a fingerprint that
    followed it (a set's order in what is hashed) would make every artifact again at every build.
    Two builds in processes of their own take as much as two in this one."""
    content, _ = scratch
    (content / "static").mkdir(exist_ok=True)
    options = kept(content, tmp_path / "here")
    pipeline.build(options)
    (content / "static/humans.txt").write_text("Made by volunteers.\n")
    taken_here = pipeline.build(options).taken
    (content / "static/humans.txt").unlink()
    builds = [run_cli("build", "--content", str(content), "--out", str(tmp_path / "apart"), "--today", "2026-02-01") for _ in range(1)]
    (content / "static/humans.txt").write_text("Made by volunteers.\n")
    builds.append(run_cli("build", "--content", str(content), "--out", str(tmp_path / "apart"), "--today", "2026-02-01"))
    assert all(build.code == 0 for build in builds), [build.err for build in builds]
    taken_apart = re.search(r"\(([0-9,]+) files unchanged since the last build", builds[-1].out)
    assert taken_apart is not None, builds[-1].out
    assert int(taken_apart[1].replace(",", "")) == taken_here > 0


def test_a_home_page_whose_own_template_shows_summaries_is_made_again_when_one_changes(tmp_path: Path, scratch: tuple[Path, Path]) -> None:
    """The home page depends on the hubs as lists show them: what its own template reads (not
    only the cards it shares with the other lists) is in that fingerprint."""
    content, templates = scratch
    home = templates / "index.html"
    card = '{% include "partials/hub_card.html" %}'
    home.write_text(home.read_text().replace(card, card + '<li class="summary">{{ local(hub.record.summary) }}</li>'))
    options = kept(content, tmp_path / "site", templates)
    pipeline.build(options)
    edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")
    pipeline.build(options)
    assert b"Saturdays too." in (options.out_dir / "en/index.html").read_bytes()
    assert tree_hash(options.out_dir) == fresh(options, tmp_path)
