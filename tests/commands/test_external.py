"""`check --external` against real local servers on 127.0.0.1: live, gone, refused HEAD, slow,
trickling, redirect loops; positions of the fields that hold dead links; --strict; the day-long
cache; one request at a time per host. Outcomes and order are asserted, never durations.

A link to 127.0.0.1 is refused like any private or local address, so the servers the checks
must reach are *pinned* (`check_external(pinned=...)`, public.Pins: a test-only parameter the
command line cannot set). Every test server listens on 127.0.0.1; no test sends anything to any
other address, and an audit hook records every socket connection the process makes, so the
refusals are shown to happen before any connection is attempted.
"""

from __future__ import annotations

import http.server
import select
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from conftest import HUB_YAML, PARTNER_YAML, TODAY, run_main, scratch_content

from hubsite import pipeline
from hubsite.commands.external import check_external
from hubsite.commands.public import Pins
from hubsite.options import BuildOptions

# --- every connection this process attempts ---------------------------------------------------

_CONNECTS: list[object] = []


def _record_connects(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect":
        _CONNECTS.append(args[1])


sys.addaudithook(_record_connects)  # audit hooks cannot be removed; this one only appends to a list


@contextmanager
def connections() -> Iterator[list[object]]:
    """The addresses of the sockets connected inside the block."""
    start = len(_CONNECTS)
    seen: list[object] = []
    yield seen
    seen.extend(_CONNECTS[start:])


# --- the servers --------------------------------------------------------------------------------


class Counting(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: list[tuple[str, str]] = []  # (method, path), in the order they came
        self.agents: set[str] = set()
        self.authorizations: list[str] = []
        self.redirects: dict[str, str] = {}  # path -> Location, set by a test
        self.busy = 0
        self.most_at_once = 0
        self.guard = threading.Lock()
        self.trickle_cut = threading.Event()  # the client closed the connection while /trickle was sending
        self.trickle_done = threading.Event()  # /trickle sent every line

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    @property
    def pin(self) -> Pins:
        return {("127.0.0.1", self.server_port): ("127.0.0.1", self.server_port)}


class Handler(http.server.BaseHTTPRequestHandler):
    server: Counting

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, body: bool) -> None:
        server = self.server
        with server.guard:
            server.hits.append((self.command, self.path))
            server.agents.add(self.headers.get("User-Agent", ""))
            server.authorizations += self.headers.get_all("Authorization") or []
            server.busy += 1
            server.most_at_once = max(server.most_at_once, server.busy)
        try:
            self.route(body)
        finally:
            with server.guard:
                server.busy -= 1

    def route(self, body: bool) -> None:
        path = self.path
        if path in self.server.redirects:
            return self.reply(302, {"Location": self.server.redirects[path]})
        if path == "/trickle":
            return self.trickle()
        if path == "/slow":
            time.sleep(6)  # past the tests' 3 s deadline
        if path == "/no-head" and self.command == "HEAD":
            return self.reply(405)
        if path == "/loop":
            return self.reply(302, {"Location": "/loop2"})
        if path == "/loop2":
            return self.reply(301, {"Location": "/loop"})
        if path == "/moved":
            return self.reply(301, {"Location": "/ok"})
        status = {"/gone": 410, "/missing": 404, "/busy": 503}.get(path, 200)
        self.reply(status, body=body)

    def reply(self, status: int, headers: dict[str, str] | None = None, body: bool = False) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        data = b"hello" if body else b""
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body and self.command == "GET":
            self.wfile.write(data)

    def trickle(self, lines: int = 12) -> None:
        """One header line a second, never the end of the headers: each read is quick, the answer never comes."""
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for index in range(lines):
                self.wfile.flush()
                if self.closed_within(1.0):
                    return self.server.trickle_cut.set()
                self.wfile.write(f"X-Line-{index}: a\r\n".encode())
        except OSError:  # written into a closed connection
            return self.server.trickle_cut.set()
        self.server.trickle_done.set()

    def closed_within(self, seconds: float) -> bool:
        readable, _, _ = select.select([self.connection], [], [], seconds)
        return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""


@contextmanager
def serving() -> Iterator[Counting]:
    running = Counting()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()


@pytest.fixture
def server() -> Iterator[Counting]:
    with serving() as running:
        yield running


@pytest.fixture
def other() -> Iterator[Counting]:
    """A second live server, never pinned: whatever points to it must be refused."""
    with serving() as running:
        yield running


# --- content and the run ------------------------------------------------------------------------


def site_with_links(root: Path, base: str) -> Path:
    hub = (HUB_YAML.replace("signup_url: https://example.org/signup", f"signup_url: {base}/gone")
           .replace("course_url: https://www.coursera.org/learn/learning-how-to-learn", f"course_url: {base}/moved")
           .replace("  We meet **every week**.", f"  We meet **every week**. [Map]({base}/missing), [form]({base}/no-head), [slow]({base}/slow)."))
    partner = PARTNER_YAML.replace("website: https://library.example.org/", f"website: {base}/loop")
    site = (root / "site.yaml")
    content = scratch_content(root, {"hubs/example-hub.yaml": hub, "partners/example-library.yaml": partner})
    text = site.read_text().replace("host_application_url: https://example.org/apply", f"host_application_url: {base}/busy\nrepository: {base}/ok")
    site.write_text(text)
    return content


def site_linking(root: Path, *urls: str) -> Path:
    """Content whose only external links are `urls`, in the hub's description (line 9)."""
    hub = (HUB_YAML.replace("signup_url: https://example.org/signup\n", "")
           .replace("    course_url: https://www.coursera.org/learn/learning-how-to-learn\n", "")
           .replace("  We meet **every week**.", "  We meet **every week**. " + ", ".join(f"[link {index}]({url})" for index, url in enumerate(urls))))
    partner = PARTNER_YAML.replace("website: https://library.example.org/\n", "")
    content = scratch_content(root, {"hubs/example-hub.yaml": hub, "partners/example-library.yaml": partner})
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("host_application_url: https://example.org/apply\n", ""))
    return content


def check(content: Path, *extra: str, pinned: Pins, timeout: float = 3.0, run_seconds: float = 600) -> tuple[int, list[str], str]:
    """`check --external` as the command line runs it, with `pinned` test servers treated as public."""
    options = BuildOptions(content_dir=content, today=date.fromisoformat(TODAY), strict="--strict" in extra)
    found, _ = pipeline.validated(options)
    assert found is not None
    report = check_external(found, options, Path(".hubsite-cache"), timeout=timeout, delay=0.05, run_seconds=run_seconds, pinned=pinned)
    lines = [str(problem).removeprefix("content/") for problem in report.problems]
    code = 1 if any(problem.severity == "error" for problem in report.problems) else 0
    return code, lines, report.summary()


def check_command(content: Path, *extra: str) -> tuple[int, list[str], str]:
    """`python build.py check --external` itself: nothing pinned."""
    result = run_main("check", "--external", "--timeout", "1", "--delay", "0.05", "--content", str(content), "--today", TODAY, *extra)
    return result.code, [line.removeprefix("content/") for line in result.lines], result.out


# --- what a dead link looks like ------------------------------------------------------------------


def test_dead_links_are_told_at_their_fields_and_live_ones_pass(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the cache: .hubsite-cache/ here
    base = server.base
    content = site_with_links(tmp_path / "content", base)
    code, lines, out = check(content, pinned=server.pin)
    assert code == 0  # warnings only
    assert lines == [
        f"hubs/example-hub.yaml:8:13: warning: signup_url: {base}/gone answers 410 (gone)",
        f"hubs/example-hub.yaml:10:14: warning: description: {base}/missing answers 404 (not found)",
        f"hubs/example-hub.yaml:10:14: warning: description: {base}/slow did not answer in time",
        f"partners/example-library.yaml:3:10: warning: website: {base}/loop redirects in a loop",
        f"site.yaml:6:23: warning: host_application_url: {base}/busy answers 503 for now",
    ]
    assert "external links: 8 checked: 3 broken, 2 not answering for now" in out
    # The server refusing HEAD was asked again with GET; a redirect was followed to a live page.
    assert ("HEAD", "/no-head") in server.hits and ("GET", "/no-head") in server.hits and ("HEAD", "/ok") in server.hits
    assert [hit for hit in server.hits if hit[1] == "/gone"] == [("HEAD", "/gone")]
    assert server.most_at_once == 1  # one host: one request at a time
    assert all(agent.startswith("hubsite-link-check/") and "hubs@example.org" in agent for agent in server.agents)


def test_strict_makes_broken_links_errors_but_not_a_busy_server(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = site_with_links(tmp_path / "content", server.base)
    code, lines, _ = check(content, "--strict", pinned=server.pin)
    assert code == 1
    assert "503 for now" in "\n".join(lines)


def test_answers_are_kept_a_day(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = site_with_links(tmp_path / "content", server.base)
    check(content, pinned=server.pin)
    asked = len(server.hits)
    code, lines, out = check(content, pinned=server.pin)
    # Definite answers came from .hubsite-cache/; only the slow and the busy ones were asked again.
    assert sorted({path for _, path in server.hits[asked:]}) == ["/busy", "/slow"]
    assert "(6 answered from the cache)" in out and (tmp_path / ".hubsite-cache/external-links.json").is_file()
    assert code == 0 and len(lines) == 5


def test_a_closed_port_is_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = site_linking(tmp_path / "content", "http://127.0.0.1:9/closed-port")
    code, lines, _ = check(content, "--strict", pinned={("127.0.0.1", 9): ("127.0.0.1", 9)})
    assert code == 1 and lines == ["hubs/example-hub.yaml:9:14: description: http://127.0.0.1:9/closed-port cannot be reached (connection refused)"], lines


# --- only public addresses ----------------------------------------------------------------------

NOT_PUBLIC = "not checked: points to a private or local address"
NOT_A_HOST = "not checked: its host is neither a name nor an IP address written the usual way"


def test_links_to_private_and_local_addresses_are_refused_before_any_connection(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the command itself, every spelling of this machine and of the networks around it."""
    monkeypatch.chdir(tmp_path)
    port = server.server_port
    refused = {
        f"http://127.0.0.1:{port}/": NOT_PUBLIC,
        f"http://localhost:{port}/": NOT_PUBLIC,
        f"http://LOCALHOST:{port}/": NOT_PUBLIC,
        f"http://[::1]:{port}/": NOT_PUBLIC,
        f"http://0.0.0.0:{port}/": NOT_PUBLIC,
        f"http://[::ffff:127.0.0.1]:{port}/": NOT_PUBLIC,
        "http://169.254.169.254/latest/meta-data/": NOT_PUBLIC,
        "http://[fe80::1]/": NOT_PUBLIC,
        "http://10.0.0.1/": NOT_PUBLIC,
        "http://192.168.1.1/": NOT_PUBLIC,
        "http://100.64.0.1/": NOT_PUBLIC,
        "http://224.0.0.1/": NOT_PUBLIC,
        "http://192.0.2.1/": NOT_PUBLIC,
        "http://[2002:7f00:1::]/": NOT_PUBLIC,
        f"http://2130706433:{port}/": NOT_A_HOST,
        f"http://0x7f.1:{port}/": NOT_A_HOST,
        f"http://0x7f000001:{port}/": NOT_A_HOST,
        f"http://0177.0.0.1:{port}/": NOT_A_HOST,
        f"http://127.1:{port}/": NOT_A_HOST,
        f"http://127.0.0.1.:{port}/": NOT_A_HOST,
    }
    content = site_linking(tmp_path / "content", *refused)
    with connections() as connected:
        code, lines, out = check_command(content, "--strict")
    assert code == 0  # not checked is not broken
    assert sorted(lines) == sorted(f"hubs/example-hub.yaml:9:14: warning: description: {url} {reason}" for url, reason in refused.items())
    assert f"external links: {len(refused)} checked: 0 broken, 0 not answering for now, {len(refused)} not checked" in out
    assert connected == [] and server.hits == []


def test_a_redirect_to_a_private_address_is_refused_after_the_hop(tmp_path: Path, server: Counting, other: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    server.redirects = {
        "/to-loopback": f"{other.base}/secret",
        "/to-decimal": f"http://2130706433:{other.server_port}/secret",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-localhost": f"http://localhost:{other.server_port}/secret",
    }
    content = site_linking(tmp_path / "content", *(server.base + path for path in server.redirects))
    with connections() as connected:
        code, lines, _ = check(content, pinned=server.pin)
    assert code == 0  # not checked is a warning
    reasons = dict(line.split(f"{server.base}/")[1].split(" ", 1) for line in lines)
    assert reasons == {"to-loopback": NOT_PUBLIC, "to-decimal": NOT_A_HOST, "to-metadata": NOT_PUBLIC, "to-localhost": NOT_PUBLIC}, lines
    assert sorted(path for _, path in server.hits) == sorted(server.redirects)  # the first hop was asked
    assert other.hits == []
    assert set(connected) == {("127.0.0.1", server.server_port)}  # never the other server, never 169.254.169.254


def test_a_user_name_and_password_are_never_sent(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    server.redirects = {"/to-credentials": f"http://admin:hunter2@127.0.0.1:{server.server_port}/ok"}
    written = f"http://partner:s3cret@127.0.0.1:{server.server_port}/ok"
    content = site_linking(tmp_path / "content", written, f"{server.base}/to-credentials")
    code, lines, out = check(content, pinned=server.pin)
    assert code == 0 and server.authorizations == []
    assert ("HEAD", "/ok") in server.hits and ("HEAD", "/to-credentials") in server.hits
    assert lines == [f"hubs/example-hub.yaml:9:14: warning: description: {server.base}/ok was written with a user name or password, which were not sent: "
                     "a link on a public site should not hold them"]
    assert "s3cret" not in "\n".join(lines) + out


# --- deadlines ------------------------------------------------------------------------------------


def test_a_server_that_trickles_its_headers_is_cut_at_the_links_deadline(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each header line comes within a read timeout; only a deadline for the whole answer ends it."""
    monkeypatch.chdir(tmp_path)
    content = site_linking(tmp_path / "content", f"{server.base}/trickle")
    code, lines, _ = check(content, pinned=server.pin)
    assert code == 0 and lines == [f"hubs/example-hub.yaml:9:14: warning: description: {server.base}/trickle did not answer in time"]
    assert server.trickle_cut.wait(30), "the server never saw the connection closed"
    assert not server.trickle_done.is_set()  # closed before the server finished trickling


def test_what_the_run_has_no_time_left_for_is_not_checked_not_dead(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = site_linking(tmp_path / "content", f"{server.base}/gone", f"{server.base}/ok")
    code, lines, out = check(content, "--strict", pinned=server.pin, run_seconds=0)
    assert code == 0 and server.hits == []
    assert lines == [f"hubs/example-hub.yaml:9:14: warning: description: {server.base}/{path} not checked: the run's time was up" for path in ("gone", "ok")]
    assert out == "external links: 2 checked: 0 broken, 0 not answering for now, 2 not checked"
    assert not (tmp_path / ".hubsite-cache/external-links.json").read_text().strip("{}\n")  # nothing kept for next time


def test_every_workflow_job_has_a_timeout_past_the_checks_own_cap() -> None:
    import yaml
    from conftest import ROOT

    from hubsite.commands.external import RUN_SECONDS

    for path in sorted((ROOT / ".github/workflows").glob("*.yml")):
        for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: job {name} has no timeout-minutes"
    weekly = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))["jobs"]["external-links"]
    assert weekly["timeout-minutes"] * 60 > RUN_SECONDS + 5 * 60  # room to install, and to report what was not checked
