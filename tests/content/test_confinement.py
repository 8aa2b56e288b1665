"""Content stays inside content/: no link or path in it can publish a file of the machine that
builds (a pull request from an outside partner runs on the maintainer's CI), and a logo is an
image that cannot run script."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import HUB_YAML, PARTNER_YAML, TODAY, build_site, run_cli, run_main, scratch_content, tree_hash

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#036"/></svg>\n'
LOGO_PARTNER = PARTNER_YAML + "logo: logos/{name}\nlogo_alt: Example Library logo\n"
PARTNER_FILE = "partners/example-library.yaml"
LOGO_AT = f"{PARTNER_FILE}:4:7: logo: "


def logo_site(tmp_path: Path, name: str, data: bytes | None = None) -> Path:
    """A content folder whose partner names logos/NAME (written with `data` unless None)."""
    files: dict[str, str | bytes] = {PARTNER_FILE: LOGO_PARTNER.format(name=name)}
    if data is not None:
        files[f"logos/{name}"] = data
    return scratch_content(tmp_path / "content", files)


def refused_by_check_and_build(tmp_path: Path, content: Path, expected: str, env: dict[str, str] | None = None) -> None:
    """`check` and `build` both exit 1 with `expected` in one error line, and nothing is written."""
    site = tmp_path / "site"
    for args in (("check",), ("build", "--out", str(site))):
        result = run_cli(*args, "--content", str(content), "--today", TODAY, env=env)
        assert result.code == 1, result.err
        assert any(expected in line for line in result.lines), (expected, result.err)
    assert not site.exists()


def test_logo_linked_to_etc_passwd_is_refused(tmp_path: Path) -> None:
    content = logo_site(tmp_path, "passwd.svg")
    (content / "logos").mkdir()
    (content / "logos/passwd.svg").symlink_to("/etc/passwd")
    refused_by_check_and_build(tmp_path, content, LOGO_AT + "'logos/passwd.svg' is a link to '/etc/passwd' outside ")


def test_logo_linked_to_the_build_environment_publishes_nothing(tmp_path: Path) -> None:
    content = logo_site(tmp_path, "environ.svg")
    (content / "logos").mkdir()
    (content / "logos/environ.svg").symlink_to("/proc/self/environ")
    token = "deploy-token-5f1c0e9a"
    env = {**os.environ, "DEPLOY_TOKEN": token}
    refused_by_check_and_build(tmp_path, content, LOGO_AT + "'logos/environ.svg' is a link to '/proc/self/environ' outside ", env)
    assert not any(token.encode() in path.read_bytes() for path in tmp_path.rglob("*") if path.is_file() and not path.is_symlink())


def test_logo_linked_through_a_folder_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.svg").write_bytes(SVG)
    content = logo_site(tmp_path, "a.svg")
    (content / "logos").symlink_to(outside)
    refused_by_check_and_build(tmp_path, content, LOGO_AT + "'logos/a.svg' leads, through a linked folder, outside ")


@pytest.mark.parametrize("logo, expected", [
    ("/usr/share/gitweb/static/git-logo.png", "'/usr/share/gitweb/static/git-logo.png' is an absolute path; give a path inside the content folder"),
    ("logos/../../secret.svg", "'logos/../../secret.svg' climbs out of the content folder ('..')"),
    ("logos/missing.svg", "'logos/missing.svg' is not a file in the content folder"),
])
def test_logo_paths_that_leave_content_are_refused(tmp_path: Path, logo: str, expected: str) -> None:
    (tmp_path / "secret.svg").write_bytes(SVG)
    content = scratch_content(tmp_path / "content", {PARTNER_FILE: PARTNER_YAML + f"logo: {logo}\nlogo_alt: Logo\n"})
    refused_by_check_and_build(tmp_path, content, LOGO_AT + expected)


def test_logo_that_is_a_folder_or_a_fifo_is_refused(tmp_path: Path) -> None:
    content = logo_site(tmp_path, "dir.svg")
    (content / "logos/dir.svg").mkdir(parents=True)
    refused_by_check_and_build(tmp_path, content, LOGO_AT + "'logos/dir.svg' is not a regular file")
    os.mkfifo(content / "logos/pipe.svg")  # reading it would wait forever
    (content / PARTNER_FILE).write_text(LOGO_PARTNER.format(name="pipe.svg"))
    refused_by_check_and_build(tmp_path, content, LOGO_AT + "'logos/pipe.svg' is not a regular file")


@pytest.mark.parametrize("name, data, expected", [
    ("x.png", Path("/etc/hostname").read_bytes() if Path("/etc/hostname").is_file() else b"not a png", "is not a PNG image (its bytes say otherwise)"),
    ("x.jpg", b"GIF89a....", "is not a JPG image"),
    ("x.webp", b"RIFF\0\0\0\0WAVE", "is not a WebP image"),
    ("x.svg", b"root:x:0:0:root:/root:/bin/bash\n", "is not well-formed SVG"),
    ("x.svg", b"<html><body>hi</body></html>", "is not an SVG image (its root element is not <svg>"),
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "contains a <script> element"),
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "has an event-handler attribute (onload)"),
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>', "contains a <foreignObject> element"),
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><h:meta xmlns:h="http://www.w3.org/1999/xhtml" http-equiv="refresh" content="0;url=https://phish.example/"/></svg>',
     "contains a <meta> element from outside SVG (http://www.w3.org/1999/xhtml)"),
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a x:href="javascript:alert(1)"><rect/></a></svg>', "contains a <a> element"),
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://tracker.example/p.png"/></svg>', "refers to another file ('https://tracker.example/p.png')"),
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>', "has a <style> that loads another file"),
    ("x.svg", b'<?xml-stylesheet href="https://evil.example/x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>', "has an xml-stylesheet instruction"),
    ("x.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "declares XML entities"),
    ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'>" + b" " * (1024 * 1024) + b"</svg>", "is larger than 1 MiB"),
])
def test_logo_must_be_a_safe_image_by_its_bytes(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    content = logo_site(tmp_path, name, data)
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 1
    assert any(line.startswith(f"{content}/{PARTNER_FILE}:4:7: logo: 'logos/{name}' {expected}") or (LOGO_AT + f"'logos/{name}' {expected}") in line
               for line in result.lines), result.err


def test_clean_logo_is_published_as_it_is_with_a_policy_that_runs_nothing(tmp_path: Path) -> None:
    content = logo_site(tmp_path, "library.svg", SVG)
    site = tmp_path / "site"
    build_site(content, site)
    assert (site / "assets/content/logos/library.svg").read_bytes() == SVG
    assert 'src="../../assets/content/logos/library.svg" alt="Example Library logo"' in (site / "partners/example-library/index.html").read_text()
    headers = (site / "_headers").read_text()
    rule = headers.split("\n/assets/content/*\n", 1)[1].split("\n\n", 1)[0]
    assert "Content-Security-Policy: default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox" in rule


def test_content_files_linked_outside_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "pages").mkdir(parents=True)
    (outside / "hub.yaml").write_text(HUB_YAML)
    (outside / "pages/about.md").write_text("---\ntitle: About\n---\nHello.\n")
    content = scratch_content(tmp_path / "content")
    (content / "hubs/linked.yaml").symlink_to(outside / "hub.yaml")
    (content / "pages").symlink_to(outside / "pages")
    site = tmp_path / "site"
    result = run_cli("build", "--content", str(content), "--out", str(site), "--today", TODAY)
    assert result.code == 1 and not site.exists()
    assert any("hubs/linked.yaml:1:1: this file is a link to " in line and "outside" in line for line in result.lines), result.err
    assert any(line.endswith("pages:1:1: this folder is a link to " + repr(str(outside / "pages")) + f" outside {content}/; content is read only from inside that folder")
               for line in result.lines), result.err


def test_site_yaml_linked_outside_is_refused(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    real = tmp_path / "site.yaml"
    (content / "site.yaml").rename(real)
    (content / "site.yaml").symlink_to(real)
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 1 and "site.yaml:1:1: this file is a link to " in result.err


def test_links_that_stay_inside_content_are_followed(tmp_path: Path) -> None:
    """The choice made: a link is followed when its target, links resolved, lies inside content/."""
    content = scratch_content(tmp_path / "content", {"shared/second.yaml": HUB_YAML.replace("Example Hub", "Second Hub").replace("lat: -1.2864", "lat: -1.30"),
                                                     "shared/logo.svg": SVG, PARTNER_FILE: LOGO_PARTNER.format(name="logo.svg")})
    (content / "hubs/second.yaml").symlink_to("../shared/second.yaml")
    (content / "logos").mkdir()
    (content / "logos/logo.svg").symlink_to("../shared/logo.svg")
    site = tmp_path / "site"
    build_site(content, site)
    assert "Second Hub" in (site / "hubs/second/index.html").read_text()
    assert (site / "assets/content/logos/logo.svg").read_bytes() == SVG
    assert not [path for path in tree_hash(site) if (site / path).is_symlink()]
