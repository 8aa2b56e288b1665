"""`check --external` against a real local server on 127.0.0.1: live, gone, refused HEAD, slow,
redirect loops; positions of the fields that hold dead links; --strict; the day-long cache;
one request at a time per host. Outcomes and order are asserted, never durations."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HUB_YAML, PARTNER_YAML, TODAY, run_main, scratch_content


class Counting(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: list[tuple[str, str]] = []  # (method, path), in the order they came
        self.agents: set[str] = set()
        self.busy = 0
        self.most_at_once = 0
        self.guard = threading.Lock()


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
            server.busy += 1
            server.most_at_once = max(server.most_at_once, server.busy)
        try:
            self.route(body)
        finally:
            with server.guard:
                server.busy -= 1

    def route(self, body: bool) -> None:
        path = self.path
        if path == "/slow":
            time.sleep(3)  # past the test's 1 s timeout
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


@pytest.fixture
def server() -> Iterator[Counting]:
    running = Counting()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


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


def check(content: Path, *extra: str) -> tuple[int, list[str], str]:
    result = run_main("check", "--external", "--timeout", "1", "--delay", "0.05", "--content", str(content), "--today", TODAY, *extra)
    return result.code, [line.removeprefix(f"{content}/").removeprefix("content/") for line in result.lines], result.out


def test_dead_links_are_told_at_their_fields_and_live_ones_pass(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the cache: .hubsite-cache/ here
    base = f"http://127.0.0.1:{server.server_port}"
    content = site_with_links(tmp_path / "content", base)
    code, lines, out = check(content)
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
    content = site_with_links(tmp_path / "content", f"http://127.0.0.1:{server.server_port}")
    code, lines, _ = check(content, "--strict")
    assert code == 1
    assert "503 for now" in "\n".join(lines)


def test_answers_are_kept_a_day(tmp_path: Path, server: Counting, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content = site_with_links(tmp_path / "content", f"http://127.0.0.1:{server.server_port}")
    check(content)
    asked = len(server.hits)
    code, lines, out = check(content)
    # Definite answers came from .hubsite-cache/; only the slow and the busy ones were asked again.
    assert sorted({path for _, path in server.hits[asked:]}) == ["/busy", "/slow"]
    assert "(6 answered from the cache)" in out and (tmp_path / ".hubsite-cache/external-links.json").is_file()
    assert code == 0 and len(lines) == 5


def test_a_host_that_does_not_exist_is_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    hub = HUB_YAML.replace("signup_url: https://example.org/signup", "signup_url: http://127.0.0.1:9/closed-port")
    content = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": hub, "partners/example-library.yaml": PARTNER_YAML.replace("website: https://library.example.org/\n", "")})
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("host_application_url: https://example.org/apply\n", ""))
    text = (content / "hubs/example-hub.yaml").read_text().replace("    course_url: https://www.coursera.org/learn/learning-how-to-learn\n", "")
    (content / "hubs/example-hub.yaml").write_text(text)
    code, lines, _ = check(content, "--strict")
    assert code == 1 and lines[0].endswith("signup_url: http://127.0.0.1:9/closed-port cannot be reached (connection refused)"), lines
