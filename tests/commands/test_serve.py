"""`python build.py serve` as a real subprocess on a free port: an edit shows, a broken edit
shows the errors (terminal, status, overlay) while the last good site keeps being served,
open tabs reload. The subprocess is always terminated."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from chromium import watched_page
from conftest import HUB_YAML, ROOT, TODAY, scratch_content, tree_hash

HUB = "hubs/example-hub.yaml"
BROKEN = HUB_YAML.replace("lat: -1.2864", "lat: 999")


@dataclass
class Server:
    url: str
    content: Path
    process: subprocess.Popen
    log: Path

    def get(self, path: str = "") -> tuple[int, dict[str, str], str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("__hubsite/status")[2])

    def edit(self, text: str) -> None:
        (self.content / HUB).write_text(text, encoding="utf-8")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (OSError, urllib.error.URLError, json.JSONDecodeError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def running_server(tmp_path: Path, content: Path, *args: str) -> Iterator[Server]:
    """`python build.py serve` on a free port, terminated (killed if need be) on the way out."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", str(content), "--today", TODAY, *args],
                                   cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    running = Server(f"http://127.0.0.1:{port}/", content, process, log)
    try:
        wait_for(lambda: process.poll() is not None or "serving http" in running.output(), "the server to start")
        assert process.poll() is None, running.output()
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, scratch_content(tmp_path / "content")) as running:
        yield running


def test_edit_shows_then_broken_edit_keeps_the_last_good_site(server: Server) -> None:
    status, headers, page = server.get("hubs/example-hub/")
    assert status == 200 and "<h1 dir=\"auto\">Example Hub</h1>" in page
    assert '<script src="/__hubsite/reload.js" data-version="1" defer></script>' in page
    assert headers["Content-Security-Policy"].startswith("default-src 'self'") and headers["Cache-Control"] == "no-store"
    assert 'href="http://127.0.0.1:' in page  # canonical: the preview's own address

    server.edit(HUB_YAML.replace("name: Example Hub", "name: Renamed Hub"))
    wait_for(lambda: "Renamed Hub</h1>" in server.get("hubs/example-hub/")[2], "the edit to show")
    assert server.status() == {"version": 2, "errors": []}

    server.edit(BROKEN)
    wait_for(lambda: server.status()["errors"], "the broken edit to be reported")
    errors = server.status()["errors"]
    assert errors[0].endswith("hubs/example-hub.yaml:4:17: location.lat: 999 is out of range: it must be at most 90")
    assert errors[-1] == "1 error in 1 file" and server.status()["version"] == 2
    status, _, page = server.get("hubs/example-hub/")
    assert status == 200 and "Renamed Hub</h1>" in page and 'data-version="2"' in page  # the last good build
    assert "location.lat: 999 is out of range: it must be at most 90" in server.output()  # and in the terminal
    assert "still serving the last good build" in server.output()

    server.edit(HUB_YAML)
    wait_for(lambda: server.status() == {"version": 3, "errors": []}, "the fix to build")
    assert "Example Hub</h1>" in server.get("hubs/example-hub/")[2]


def test_missing_pages_and_own_files(server: Server) -> None:
    status, _, page = server.get("hubs/nowhere/")
    assert status == 404 and "Page not found" in page and "/__hubsite/reload.js" in page
    request = urllib.request.Request(server.url + "hubs/example-hub", method="GET")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=10)
    assert redirect.value.code == 301 and redirect.value.headers["Location"] == "/hubs/example-hub/"
    status, headers, script = server.get("__hubsite/reload.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript" and "EventSource" in script
    assert server.get("hubs/example-hub/calendar.ics")[1]["Content-Type"] == "text/calendar; charset=utf-8"
    assert server.get("hubs.geojson")[1]["Content-Type"] == "application/geo+json"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


def test_event_stream_announces_every_build(server: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1].strip("/")), timeout=60)
    connection.request("GET", "/__hubsite/events")
    response = connection.getresponse()
    assert response.status == 200 and response.headers["Content-Type"] == "text/event-stream"

    def next_event() -> dict:
        while True:
            line = response.readline().decode().strip()
            if line.startswith("data: "):
                return json.loads(line.removeprefix("data: "))

    assert next_event() == {"version": 1, "errors": []}
    server.edit(HUB_YAML.replace("name: Example Hub", "name: Streamed Hub"))
    assert next_event() == {"version": 2, "errors": []}
    server.edit(BROKEN)
    event = next_event()
    assert event["version"] == 2 and event["errors"][-1] == "1 error in 1 file"
    connection.close()


def test_first_build_failing_shows_the_errors_until_fixed(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {HUB: BROKEN})
    with running_server(tmp_path, content) as server:
        status, _, page = server.get("hubs/example-hub/")
        assert status == 503 and "location.lat: 999 is out of range: it must be at most 90" in page and "/__hubsite/reload.js" in page
        server.edit(HUB_YAML)
        wait_for(lambda: server.get("hubs/example-hub/")[0] == 200, "the fix to build")


def test_template_error_names_the_template_and_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with running_server(tmp_path, scratch_content(tmp_path / "content"), "--templates", str(templates)) as server:
        hub = templates / "hub.html"
        lines = hub.read_text(encoding="utf-8").splitlines(keepends=True)
        hub.write_text("".join([*lines[:3], "{% if %}\n", *lines[3:]]), encoding="utf-8")
        wait_for(lambda: server.status()["errors"], "the template error")
        errors = server.status()["errors"]
        assert len(errors) == 1 and errors[0].endswith("hub.html:4: template: Expected an expression, got 'end of statement block'"), errors
        assert server.get("hubs/example-hub/")[0] == 200  # the last good site


def test_nothing_of_serve_is_in_a_built_site(tmp_path: Path) -> None:
    from conftest import build_site

    build_site(scratch_content(tmp_path / "content"), tmp_path / "site")
    files = tree_hash(tmp_path / "site")
    assert not [name for name in files if "__hubsite" in name or "reload" in name]
    assert not [name for name in files if b"__hubsite" in (tmp_path / "site" / name).read_bytes()]


@pytest.mark.browser
def test_open_tab_shows_the_overlay_and_reloads_on_fix(server: Server, browser) -> None:
    with watched_page(browser) as page:
        page.route("https://*/**", lambda route: route.abort())  # tiles: not needed here
        page.goto(server.url + "hubs/example-hub/", wait_until="load")
        page.wait_for_function("() => true")
        server.edit(BROKEN)
        overlay = page.locator("#hubsite-errors")
        overlay.wait_for(state="visible", timeout=60_000)
        assert "location.lat: 999 is out of range: it must be at most 90" in overlay.inner_text()
        assert page.locator("h1").inner_text() == "Example Hub"  # the last good page is still there
        server.edit(HUB_YAML.replace("name: Example Hub", "name: Fixed Hub"))
        page.wait_for_function("() => document.querySelector('h1').textContent === 'Fixed Hub'", timeout=60_000)
        assert page.locator("#hubsite-errors").count() == 0
        assert not [e for e in page.console_errors if "Content Security Policy" in e]


@pytest.fixture(scope="module")
def still_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that only read from it."""
    folder = tmp_path_factory.mktemp("still")
    with running_server(folder, scratch_content(folder / "content")) as running:
        yield running


def raw_get(server: Server, target: str, host: str | None = None) -> tuple[int, dict[str, str]]:
    """One GET with the request target and Host exactly as given (http.client sends them as they are)."""
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("GET", target, skip_host=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, dict(response.headers)


@pytest.mark.parametrize("target", ["/%2F%2Fpartners", "//partners", "/%2Fpartners", "///partners", "/%5Cpartners", "/%2F%5Cpartners", "/partners"])
def test_no_path_redirects_to_another_host(still_server: Server, target: str) -> None:
    from urllib.parse import urljoin, urlsplit

    server = still_server
    status, headers = raw_get(server, target)
    if status in (301, 302, 303, 307, 308):
        location = headers["Location"]
        assert location.startswith("/") and location[1:2] not in ("/", "\\"), location
        assert urlsplit(urljoin(server.url, location)).netloc == urlsplit(server.url).netloc
    assert raw_get(server, "/%2F%2Fpartners")[1]["Location"] == "/partners/"


@pytest.mark.parametrize("host, allowed", [("127.0.0.1:{port}", True), ("localhost:{port}", True), ("LOCALHOST:{port}", True),
                                           ("evil.example:{port}", False), ("evil.example", False), ("127.0.0.1", False), ("", False)])
def test_requests_for_other_host_names_are_refused(still_server: Server, host: str, allowed: bool) -> None:
    """DNS rebinding: a page on another site whose name now points at 127.0.0.1 must not read the preview."""
    server = still_server
    port = server.url.rsplit(":", 1)[1].strip("/")
    for target in ("/", "/hubs/example-hub/", "/__hubsite/status", "/hubs.json"):
        status, _ = raw_get(server, target, host.format(port=port))
        assert (status == 200) is allowed and (status == 403) is not allowed, (target, host, status)


def test_half_sent_and_dropped_requests_are_closed_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    """50 connections that never finish their request: a page is still served, each is closed
    after the request timeout, and neither they nor connections reset mid-request print anything."""
    import threading

    from hubsite.commands.serve import SiteState, preview_server

    state, stopping = SiteState(), threading.Event()
    state.publish({"index.html": b"<!DOCTYPE html><html><body>home</body></html>"})
    server = preview_server(state, stopping, 0, request_timeout=1.0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    half_sent = []
    try:
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", port), timeout=20)
            sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())  # no blank line: never ends
            half_sent.append(sock)
        for _ in range(5):  # a client that resets its connection mid-request
            sock = socket.create_connection(("127.0.0.1", port), timeout=20)
            sock.sendall(b"GET / HTTP/1.1\r\nHo")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        page.request("GET", "/")
        response = page.getresponse()
        assert (response.status, b"home" in response.read()) == (200, True)
        page.close()
        for sock in half_sent:  # closed by the server: end of stream, not this side's timeout
            assert sock.recv(1024) == b""
    finally:
        for sock in half_sent:
            sock.close()
        server.shutdown()
        server.server_close()
    assert capfd.readouterr().err == ""


def test_the_preview_sends_the_sites_framing_headers(still_server: Server) -> None:
    """serve sends what _headers says, per path: the lists made to be framed may be framed from
    anywhere, every other page (and a missing one) by no one."""
    for path, ancestors, deny in (("embed/", "frame-ancestors *;", None), ("embed/partners/example-library/", "frame-ancestors *;", None),
                                  ("", "frame-ancestors 'none';", "DENY"), ("partners/example-library/", "frame-ancestors 'none';", "DENY")):
        status, headers, _ = still_server.get(path)
        assert status == 200, path
        assert ancestors in headers["Content-Security-Policy"] and headers.get("X-Frame-Options") == deny, path
