"""A build killed at any moment leaves the previous site or the new one, whole, at site/: never a
missing or mixed site, never a temporary file inside it; the next build cleans up what the
killed one left beside it. One build at a time writes into a folder; render workers end with
the build. Builds run as real subprocesses, killed with SIGKILL at named moments
(tests/pausing_build.py) and at random ones."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import HUB_YAML, ROOT, TODAY, build_site, scratch_content, tree_hash
from sites import HUBS

PAUSING = Path(__file__).resolve().parent.parent / "pausing_build.py"


def build_args(content: Path, site: Path, *extra: str) -> list[str]:
    return ["build", "--content", str(content), "--out", str(site), "--today", TODAY, *extra]


@contextmanager
def paused_build(point: str, *args: str, stderr: Path | None = None) -> Iterator[tuple[subprocess.Popen, int]]:
    """A build paused at `point`: (the process, the pid that paused). Killed on the way out."""
    err = stderr.open("w") if stderr else subprocess.DEVNULL
    process = subprocess.Popen([sys.executable, str(PAUSING), point, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith(f"paused at {point} "), f"the build did not reach {point}: {line!r}"
        yield process, int(line.split()[-1])
    finally:
        process.kill()
        process.wait()
        if stderr:
            err.close()  # type: ignore[union-attr]


@dataclass
class Versions:
    """Two versions of one directory: site/ holds a build of v1; `old` and `new` are the trees
    of clean builds of v1 and v2."""

    v1: Path
    v2: Path
    site: Path
    old: dict[str, str]
    new: dict[str, str]


@pytest.fixture
def versions(tmp_path: Path) -> Versions:
    v1 = scratch_content(tmp_path / "v1", HUBS)
    v2 = tmp_path / "v2"
    shutil.copytree(v1, v2)
    edited = v2 / "hubs/eldoret.yaml"
    edited.write_text(edited.read_text().replace("summary: Weekly study groups.", "summary: Now on Saturdays too."))
    (v2 / "hubs/nakuru.yaml").unlink()  # a removed hub: files the new site no longer has
    (v2 / "hubs/thika.yaml").write_text(HUB_YAML.replace("Example Hub", "Thika Hub").replace("lat: -1.2864", "lat: -1.03"))
    new = build_and_hash(v2, tmp_path / "clean")
    site = tmp_path / "site"
    return Versions(v1, v2, site, build_and_hash(v1, site), new)


def build_and_hash(content: Path, site: Path) -> dict[str, str]:
    build_site(content, site)
    return tree_hash(site)


def leftovers(site: Path) -> list[str]:
    """What a killed build may leave: folders beside the site, or the site moved aside during a swap."""
    from hubsite.output.manifest import aside_folder, spare_folder

    aside = aside_folder(spare_folder(site))
    return sorted([p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.")] + ([aside.name] if aside.exists() else []))


def assert_recovers(content: Path, site: Path, new: dict[str, str]) -> None:
    """The next build cleans up and gives exactly the clean build's tree."""
    build_site(content, site)
    assert tree_hash(site) == new
    assert leftovers(site) == []


@pytest.mark.parametrize("point, expected", [("rendering", "old"), ("staged", "old"), ("swapped", "new"), ("manifest", "new")])
def test_kill_at_each_moment_leaves_a_whole_site(versions: Versions, point: str, expected: str) -> None:
    with paused_build(point, *build_args(versions.v2, versions.site)):
        pass
    assert tree_hash(versions.site) == (versions.old if expected == "old" else versions.new)
    assert_recovers(versions.v2, versions.site, versions.new)


def test_kill_between_two_renames_is_repaired_by_the_next_build(versions: Versions) -> None:
    """Where the system has no atomic exchange of folders (not Linux), the swap is renames: a kill
    between the first two leaves the old site aside, and the next build puts it back first."""
    from hubsite.output.manifest import aside_folder, spare_folder
    from hubsite.output.writer import remove_leftovers

    with paused_build("between-renames", *build_args(versions.v2, versions.site)):
        pass
    assert not versions.site.exists() and aside_folder(spare_folder(versions.site)).is_dir()
    remove_leftovers(versions.site.absolute())
    assert tree_hash(versions.site) == versions.old and leftovers(versions.site) == []
    assert_recovers(versions.v2, versions.site, versions.new)


@pytest.mark.slow
@pytest.mark.parametrize("fresh", [False, True], ids=["incremental", "fresh"])
def test_kill_at_random_moments_never_leaves_a_mixed_site(versions: Versions, fresh: bool) -> None:
    """Ten SIGKILLs at moments spread over a whole build (fixed seed): each time the site is the
    old one or the new one. `fresh` drops the manifest first, so nothing is linked from the site."""
    site = versions.site
    started = time.monotonic()
    build_site(versions.v2, site.with_name("timing"))
    duration = time.monotonic() - started
    chance = random.Random(19)
    for _ in range(10):
        build_site(versions.v1, site)  # back to the old site (up to date when it already is)
        if fresh:
            shutil.rmtree(site.parent / ".hubsite-cache")
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *build_args(versions.v2, site)], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.1, 1.1) * duration)
        process.kill()
        process.wait()
        tree = tree_hash(site)
        assert tree in (versions.old, versions.new), sorted(set(tree) ^ set(versions.old))[:5]
    assert_recovers(versions.v2, site, versions.new)


def test_second_build_into_the_same_folder_waits_for_the_first(versions: Versions, tmp_path: Path) -> None:
    errors = tmp_path / "second.err"
    with paused_build("staged", *build_args(versions.v2, versions.site)) as (first, _), errors.open("w") as err:
        second = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *build_args(versions.v2, versions.site)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=err, text=True)
        deadline = time.monotonic() + 60
        while "waiting for another build" not in errors.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"waiting for another build into {versions.site} (process {first.pid}) to finish" in errors.read_text()
        assert second.poll() is None  # still waiting: the first holds the lock
    out, _ = second.communicate(timeout=120)  # the first was killed: the second goes ahead
    assert second.returncode == 0 and out.startswith("built 5 hubs")
    assert tree_hash(versions.site) == versions.new and leftovers(versions.site) == []


def test_render_workers_end_with_the_build(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    with paused_build("worker", *build_args(content, tmp_path / "site", "--workers", "2")) as (main, worker):
        assert worker != main.pid
        main.kill()
        main.wait()
        deadline = time.monotonic() + 30  # a paused worker would otherwise sleep for ten minutes
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(worker)


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")
