"""Every failure of a write is one clear line and leaves the previous site byte for byte: a full
disk (fresh and incremental), a read-only disk, an --out that is a file or lies under one. A
folder holding files no build wrote is never replaced; content/static/ is how such files are
published. The disk tests mount a small tmpfs, which needs root: they skip without it, except
under CI."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import HUB_YAML, TODAY, build_site, run_cli, run_main, scratch_content, tree_hash
from sites import HUBS, hub

LONG = "\n".join(f"  Paragraph {n}: " + "a learning hub where people meet every week. " * 20 for n in range(12))


def bigger(content: Path) -> None:
    """Version 2: two hundred more hubs, each with a long description: more than the small disk
    holds (which is half as large again as version 1 with what its builds keep in .hubsite-cache/,
    most of it the place names kept once: ninety hubs' pages fitted into that room)."""
    for number in range(200):
        text = hub(f"Hub {number}", "Nairobi", -1.0 - number / 50, 36.0 + number / 50).replace("description: |\n  We meet **every week**.", "description: |\n" + LONG)
        (content / f"hubs/extra-{number:02d}.yaml").write_text(text)


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"cannot mount a tmpfs under CI (root is needed): {error}")
        pytest.skip(f"cannot mount a tmpfs here: {error}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def used_kb(folder: Path) -> int:
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize // 1024


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


@pytest.mark.parametrize("fresh", [False, True], ids=["incremental", "fresh"])
def test_a_full_disk_leaves_the_previous_site_as_it_was(tmp_path: Path, fresh: bool) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    with small_disk(tmp_path / "probe", "64m") as probe:  # how much one build of version 1 takes
        build_site(content, probe / "site")
        needed = used_kb(probe)
    with small_disk(tmp_path / "disk", f"{needed * 3 // 2}k") as disk:
        site = disk / "site"
        build_site(content, site)
        before = tree_hash(site)
        bigger(content)
        if fresh:  # no manifest: nothing can be linked from the live site
            for manifest in (disk / ".hubsite-cache/site.manifest").iterdir():
                manifest.unlink()
        result = run_cli("build", "--content", str(content), "--out", str(site), "--today", TODAY)
        assert result.code == 1, result.err
        assert len(result.lines) == 1, result.err  # one line, no traceback
        assert result.lines[0].startswith(f"error: cannot write {site}/") and result.lines[0].endswith(": no space left on device; the previous site is unchanged"), result.err
        assert tree_hash(site) == before
        assert leftovers(site) == []


def test_a_read_only_disk_leaves_the_previous_site_as_it_was(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", HUBS)
    with small_disk(tmp_path / "disk", "64m") as disk:
        site = disk / "site"
        build_site(content, site)
        before = tree_hash(site)
        (content / "hubs/mombasa.yaml").write_text(HUB_YAML.replace("Example Hub", "Mombasa Hub").replace("lat: -1.2864", "lat: -4.04"))
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = run_cli("build", "--content", str(content), "--out", str(site), "--today", TODAY)
        assert result.code == 1 and len(result.lines) == 1, result.err
        assert result.lines[0].startswith("error: cannot write ") and "read-only file system; the previous site is unchanged" in result.lines[0], result.err
        assert tree_hash(site) == before


def test_an_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    target = tmp_path / "site"
    target.write_text("not a folder")
    result = run_main("build", "--content", str(content), "--out", str(target), "--today", TODAY)
    assert result.code == 2
    assert result.err == f"error: refusing to write the site to {target}: it is a file, not a folder; choose another --out\n"
    assert target.read_text() == "not a folder"


def test_an_out_under_a_file_is_one_clear_line(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    (tmp_path / "file").write_text("x")
    result = run_main("build", "--content", str(content), "--out", str(tmp_path / "file/site"), "--today", TODAY)
    assert result.code == 1
    assert result.err.startswith(f"error: cannot write {tmp_path}/file/.hubsite-cache/site.lock: not a directory"), result.err


def test_a_site_holding_files_no_build_wrote_is_not_replaced(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    site = tmp_path / "site"
    build_site(content, site)
    (site / "notes.txt").write_text("mine")
    (site / "hubs/example-hub/photo.jpg").write_bytes(b"\xff\xd8\xff")
    (content / "hubs/example-hub.yaml").write_text(HUB_YAML.replace("Weekly study groups.", "Now on Fridays."))
    result = run_main("build", "--content", str(content), "--out", str(site), "--today", TODAY)
    assert result.code == 2
    assert result.err == (f"error: refusing to replace {site}: it holds files no build wrote (hubs/example-hub/photo.jpg, notes.txt); "
                          "move them into content/static/ (published with the site) or delete them\n")
    assert (site / "notes.txt").read_text() == "mine"


def test_content_static_is_published_as_it_is(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"static/CNAME": "hubs.example.org\n", "static/.well-known/security.txt": "Contact: mailto:a@example.org\n"})
    site = tmp_path / "site"
    build_site(content, site)
    assert (site / "CNAME").read_text() == "hubs.example.org\n"
    assert (site / ".well-known/security.txt").read_text().startswith("Contact:")
    again = run_main("build", "--content", str(content), "--out", str(site), "--today", "2026-02-02")  # they are the build's own now
    assert again.code == 0, again.err


def test_content_static_may_not_shadow_the_sites_own_files_or_leave_content(tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.write_text("secret")
    content = scratch_content(tmp_path / "content", {"static/hubs.json": "{}", "static/404.html": "x"})
    (content / "static/key").symlink_to(outside)
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 1
    assert f"{content}/static/hubs.json:1:1: static: this file is hubs.json, which the site writes itself: remove it or give it another name" in result.err
    assert f"{content}/static/404.html:1:1: static: this file is 404.html, which the site writes itself" in result.err
    assert f"{content}/static/key:1:1: static: this file is a link to '{outside}' outside {content}/" in result.err
