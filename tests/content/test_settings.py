"""Every setting of site.yaml is checked with the records, with its position, so `check` and
`build` refuse the same settings with the same line (they used to disagree: a bad tile provider
passed `check` and failed `build` at site.yaml:1:1)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from conftest import SITE_YAML, TODAY, run_cli, run_main, scratch_content

CASES = [
    ("map:\n  tiles: No.Such.Provider\n", "8:10: map.tiles: unknown tile provider 'No.Such.Provider': use an xyzservices name such as OpenStreetMap.Mapnik"),
    ("map:\n  tiles: CartoDB.Positron\n", "8:10: map.tiles: tile provider 'CartoDB.Positron' needs an API key"),
    ("map:\n  tiles: https://tiles.example.org/{z}/{x}/{y}.png\n", "8:10: map.tiles: a tile URL template needs map.attribution (who the tiles come from)"),
    ("map:\n  tiles: ftp://tiles.example.org/{z}/{x}/{y}.png\n  attribution: Example\n", "8:10: map.tiles: 'ftp://tiles.example.org/{z}/{x}/{y}.png' is not an http(s) URL template"),
    ("map:\n  center: [100, 0]\n", "8:12: map.center[0]: 100 must be at most 90"),
    ("map:\n  center: [0, 200]\n", "8:15: map.center[1]: 200 must be at most 180"),
    ("map:\n  zoom: 25\n", "8:9: map.zoom: 25 must be at most 19"),
    ("map:\n  zom: 3\n", "8:3: map.zom: unknown key 'zom'; did you mean 'zoom'?"),
    ("geocoding:\n  provider: google\n", "8:13: geocoding.provider: 'google' is not one of: nominatim"),
    ("geocoding:\n  min_delay_seconds: 0.2\n", "8:22: geocoding.min_delay_seconds: Nominatim's usage policy allows at most 1 request per second on the public server; set 1 or more"),
    ("geocoding:\n  delay_seconds: 2\n", "8:3: geocoding.delay_seconds: unknown key 'delay_seconds'; did you mean"),
    ("geocoding:\n  scheme: ftp\n", "8:11: geocoding.scheme: 'ftp' is not one of: https, http"),
    ("stale_after_days: 0\n", "7:19: stale_after_days: 0 must be at least 1"),
    # A tile template's host reaches the Content-Security-Policy: nothing but a host may.
    ("map:\n  tiles: \"https://t.example.org/{z}/{x}/{y}.png; script-src-elem 'unsafe-inline' *\"\n  attribution: T\n", "8:10: map.tiles: 'https://t.example.org/{z}/{x}/{y}.png; script-src-elem 'unsafe-inline' *' holds ';'"),
    ("map:\n  tiles: https://t.example.org/{z}/{x}/{y}.png?a=b,c\n  attribution: T\n", "8:10: map.tiles: 'https://t.example.org/{z}/{x}/{y}.png?a=b,c' holds ','"),
    ("map:\n  tiles: \"https://t.example.org/{z}/{x}/{y}.png x\"\n  attribution: T\n", "8:10: map.tiles: 'https://t.example.org/{z}/{x}/{y}.png x' holds ' '"),
    ("map:\n  tiles: \"https://t.example.org/{z}/'{x}/{y}.png\"\n  attribution: T\n", "8:10: map.tiles: 'https://t.example.org/{z}/'{x}/{y}.png' holds \"'\""),
    ("map:\n  tiles: https://user:pw@t.example.org/{z}/{x}/{y}.png\n  attribution: T\n", "8:10: map.tiles: 'https://user:pw@t.example.org/{z}/{x}/{y}.png' has a user name or password"),
    ("map:\n  tiles: https://{variant}.org/{z}/{x}/{y}.png\n  attribution: T\n", "8:10: map.tiles: 'https://{variant}.org/{z}/{x}/{y}.png' is not a tile URL template"),
    ("map:\n  tiles: https://tiles.exämple.org/{z}/{x}/{y}.png\n  attribution: T\n", "8:10: map.tiles: 'https://tiles.exämple.org/{z}/{x}/{y}.png' is not a tile URL template"),
    # Where the application form posts: its origin reaches the policy's form-action, and applicants' answers travel on it.
    ("application_endpoint: http://forms.example.org/apply\n", "7:23: application_endpoint: 'http://forms.example.org/apply' is not https: applicants' answers must travel encrypted"),
    ("application_endpoint: \"https://forms.example.org; form-action *\"\n", "7:23: application_endpoint: 'https://forms.example.org; form-action *' holds ';'"),
    ("application_endpoint: https://forms.example.org/a,b\n", "7:23: application_endpoint: 'https://forms.example.org/a,b' holds ','"),
    ("application_endpoint: https://me:pw@forms.example.org/apply\n", "7:23: application_endpoint: 'https://me:pw@forms.example.org/apply' has a user name or password"),
    ("application_endpoint: https://192.168.1.10/apply\n", "7:23: application_endpoint: 'https://192.168.1.10/apply' does not name a host"),
    ("application_endpoint: https://forms/apply\n", "7:23: application_endpoint: 'https://forms/apply' does not name a host"),
    ("application_endpoint: https://forms.example.org/apply#top\n", "7:23: application_endpoint: 'https://forms.example.org/apply#top' is not a form address: write netlify, or https://HOST/PATH"),
    ("application_endpoint: mailto:hubs@example.org\n", "7:23: application_endpoint: 'mailto:hubs@example.org' is not a form address"),
    ("application_endpoint: https://forms.example.org:70000/\n", "7:23: application_endpoint: 'https://forms.example.org:70000/' is not a form address"),
]
BASE_URLS = [
    ("ftp://example.org/hubs/", "3:11: base_url: 'ftp://example.org/hubs/' is not a web link: write an address starting with https://"),
    ("mailto:hubs@example.org", "3:11: base_url: base_url must be an http(s) URL"),
    # _redirects would send / off-site, and 404.html would load its script from another host
    ("https://example.org//evil.example/", "3:11: base_url: 'https://example.org//evil.example/' is not a clean site address: its path has an empty segment (//)"),
    ("https://example.org/\\evil.example/", "3:11: base_url: 'https://example.org/\\evil.example/' is not a clean site address: its path has a backslash"),
    ("https://example.org/%2fevil.example/", "3:11: base_url: 'https://example.org/%2fevil.example/' is not a clean site address: its path has an encoded slash"),
    ("https://example.org/%5Cevil.example/", "3:11: base_url: 'https://example.org/%5Cevil.example/' is not a clean site address: its path has an encoded slash"),
    ("https://example.org/hubs/../", "3:11: base_url: 'https://example.org/hubs/../' is not a clean site address: its path has a . or .. segment"),
    ("https://example.org/%2E%2E/", "3:11: base_url: 'https://example.org/%2E%2E/' is not a clean site address: its path has a . or .. segment"),
    ("https://example.org/a;b/", "3:11: base_url: 'https://example.org/a;b/' is not a clean site address: its path has a character other than"),
    ("https://example.org/hubs/?x=1", "3:11: base_url: 'https://example.org/hubs/?x=1' has a query or a fragment"),
    ("https://example.org/hubs/#top", "3:11: base_url: 'https://example.org/hubs/#top' has a query or a fragment"),
    ("https://example.org:0/", "3:11: base_url: 'https://example.org:0/' does not name a host"),
]
CONTACT_EMAILS = [
    # one @, but every applicant's answers would be copied to a third party
    ('"hubs%40example.org?cc=spy%40evil.example&x=@example.org"', "5:16: contact_email: 'hubs%40example.org?cc=spy%40evil.example&x=@example.org' is not an e-mail address: write one like name@example.org, with one @ and without"),
    ("hubs?cc=spy@example.org", "5:16: contact_email: 'hubs?cc=spy@example.org' is not an e-mail address: write one like name@example.org, with one @ and without"),
    ("hubs&x/y@example.org", "5:16: contact_email: 'hubs&x/y@example.org' is not an e-mail address"),
    ("hubs..x@example.org", "5:16: contact_email: 'hubs..x@example.org' is not an e-mail address"),
]
# Odd but valid: each is accepted, and built from its parts.
ACCEPTED = [
    "map:\n  tiles: https://{s}.tiles.example.org:8443/{z}/{x}/{-y}{r}.png?key=abc&style={variant}\n  attribution: Example tiles\n",
    "map:\n  tiles: http://localhost:8080/{z}/{x}/{y}.png\n  attribution: Local tiles\n",
    "application_endpoint: netlify\n",
    "application_endpoint: https://forms.example.org:8443/f/xyz?to=hubs&lang=en\n",
    "application_endpoint: http://127.0.0.1:8080/apply\n",  # the visitor's own machine: for trying a handler out
]


def refused_alike(tmp_path: Path, site_yaml: str, expected: str) -> None:
    content = scratch_content(tmp_path / "content", {"site.yaml": site_yaml})
    where = f"{content}/site.yaml:"
    lines = {}
    for command in ("check", "build"):
        extra = ("--out", str(tmp_path / "site")) if command == "build" else ()
        result = run_main(command, "--content", str(content), "--today", TODAY, *extra)
        assert result.code == 1, (command, result.err)
        lines[command] = [line.removeprefix(where) for line in result.lines if line.startswith(where)]
    assert lines["check"] == lines["build"]
    assert any(line.startswith(expected) for line in lines["check"]), (expected, lines["check"])
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("extra, expected", CASES, ids=[expected.split(": ")[1] + " " + expected.split(": ")[2][:24] for _, expected in CASES])
def test_bad_setting_is_refused_by_check_and_build_alike(tmp_path: Path, extra: str, expected: str) -> None:
    refused_alike(tmp_path, SITE_YAML + extra, expected)


@pytest.mark.parametrize("base_url, expected", BASE_URLS)
def test_bad_base_url_is_refused_by_check_and_build_alike(tmp_path: Path, base_url: str, expected: str) -> None:
    refused_alike(tmp_path, SITE_YAML.replace("base_url: https://example.org/hubs/", f"base_url: {base_url}"), expected)


@pytest.mark.parametrize("email, expected", CONTACT_EMAILS)
def test_bad_contact_email_is_refused_by_check_and_build_alike(tmp_path: Path, email: str, expected: str) -> None:
    refused_alike(tmp_path, SITE_YAML.replace("contact_email: hubs@example.org", f"contact_email: {email}"), expected)


@pytest.mark.parametrize("extra", ACCEPTED)
def test_odd_but_valid_settings_are_accepted(tmp_path: Path, extra: str) -> None:
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML + extra})
    result = run_main("check", "--content", str(content), "--today", TODAY)
    assert result.code == 0, result.err


@pytest.mark.parametrize(("written", "rebuilt"), [
    ("https://Example.ORG:8443/hubs", "https://example.org:8443/hubs/"),
    ("http://[2001:db8::1]/", "http://[2001:db8::1]/"),
    ("https://example.org/%C3%A9coles/", "https://example.org/%C3%A9coles/"),
])
def test_base_url_is_rebuilt_from_its_parts(tmp_path: Path, written: str, rebuilt: str) -> None:
    from hubsite.content.fields import check_base_url

    assert check_base_url(written) == rebuilt


@pytest.mark.parametrize("base_url", ["https://example.org//evil.example/", "https://example.org/\\evil.example/", "https://u@example.org/", "https://example.org/a%2fb/"])
def test_the_command_line_base_url_follows_the_same_rule(tmp_path: Path, base_url: str) -> None:
    content = scratch_content(tmp_path / "content")
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", TODAY, "--base-url", base_url + "\n::error::x")
    assert result.code == 2
    assert "argument --base-url: '" + base_url + "\\n::error::x'" in result.err  # the line break escaped
    assert not any(line.startswith("::") for line in result.lines)
    assert not (tmp_path / "site").exists()


def test_the_command_line_takes_a_site_opened_from_disk(tmp_path: Path) -> None:
    from hubsite.cli import parse_base_url

    assert parse_base_url("file:///srv/hubs/site") == "file:///srv/hubs/site/"
    with pytest.raises(argparse.ArgumentTypeError, match="names a host"):
        parse_base_url("file://evil.example/site/")


def test_a_local_geocoder_may_be_asked_faster(tmp_path: Path) -> None:
    """The one-request-a-second rule is the public server's, not every Nominatim's."""
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML + "geocoding:\n  domain: nominatim.example.org\n  min_delay_seconds: 0\n"})
    assert run_main("check", "--content", str(content), "--today", TODAY).code == 0


@pytest.mark.parametrize(("written", "rebuilt"), [
    ("NetLify", "netlify"),
    ("HTTPS://Forms.Example.ORG:8443/F/Xyz?To=A", "https://forms.example.org:8443/F/Xyz?To=A"),
    ("http://LOCALHOST:8080/", "http://localhost:8080/"),
])
def test_application_endpoint_is_rebuilt_from_its_parts(written: str, rebuilt: str) -> None:
    from hubsite.content.settings import check_endpoint

    assert check_endpoint(written) == rebuilt
