"""`python build.py serve`: build into memory, serve on 127.0.0.1, rebuild on every change.

The site is built with base_url = this server's address, kept in memory (nothing is written to
site/), and served with the CSP from its own _headers, so the preview breaks where the real
host would. A watcher (watchfiles) rebuilds on any change under the content and templates
folders; open tabs reload through a Server-Sent Events stream. A build that fails leaves the
last good site in place: its problems are printed in the terminal and drawn over the page.
The reload script is injected into served pages only; it is never part of a built site.
"""

from __future__ import annotations

import html
import json
import mimetypes
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
import watchfiles

from hubsite import pipeline, urls
from hubsite.incremental.store import Store
from hubsite.options import BuildOptions
from hubsite.problems import BuildFailed, printable, summarize, template_problem
from hubsite.render.publishing import headers_for, parse_headers
from hubsite.render.site import Keeping, render_site

PREFIX = "/__hubsite/"
REQUEST_TIMEOUT = 15  # seconds a connection may take over a request line and headers, or sit idle
MAX_CONNECTIONS = 64  # open at once (a tab's event stream holds one); more are closed at once
WATCH_QUIET_MS = 10  # a change is handed on once this long passes without another (watchfiles' step)
TYPES = {".ics": "text/calendar; charset=utf-8", ".geojson": "application/geo+json", ".json": "application/json",
         ".xml": "application/xml", ".js": "text/javascript", ".svg": "image/svg+xml", "": "text/plain; charset=utf-8"}

RELOAD_JS = b"""/* hubsite serve: reload this tab when the site is rebuilt; draw build errors over the page. */
(function () {
  "use strict";
  var script = document.currentScript, version = script && script.getAttribute("data-version"), box = null;
  function show(errors) {
    if (!box) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "/__hubsite/overlay.css";
      document.head.appendChild(css);
      box = document.createElement("section");
      box.id = "hubsite-errors";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("h2"), list = document.createElement("pre"), note = document.createElement("p");
    title.textContent = "The last change did not build";
    list.textContent = errors.join("\\n");
    note.textContent = "This page is the last good build. Fix the problem and save: this tab reloads by itself.";
    box.append(title, list, note);
  }
  var source = new EventSource("/__hubsite/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) show(state.errors);
    else if (String(state.version) !== version) location.reload();
  };
})();
"""
OVERLAY_CSS = b"""#hubsite-errors { position: fixed; inset: 0 0 auto 0; max-height: 70vh; overflow: auto; z-index: 100000;
  margin: 0; padding: 1rem 1.5rem; background: #2b0b0b; color: #fff; border-bottom: 6px solid #e5484d;
  font: 15px/1.5 system-ui, sans-serif; box-shadow: 0 4px 24px rgb(0 0 0 / 40%); }
#hubsite-errors h2 { margin: 0 0 0.5rem; font-size: 1.2rem; color: #ffb4b4; }
#hubsite-errors pre { white-space: pre-wrap; font: 14px/1.45 ui-monospace, monospace; margin: 0 0 0.5rem; }
"""
ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title><link rel="stylesheet" href="/__hubsite/overlay.css"></head>
<body><section id="hubsite-errors" role="alert"><h2>The site did not build</h2><pre>{errors}</pre>
<p>Fix the problem and save: this tab reloads by itself.</p></section></body></html>
"""


class SiteState:
    """The last good build (path -> bytes) and the problems of the latest build, if it failed."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.rules: list[tuple[str, dict[str, str]]] = []
        self.version = 0  # of the last good build: a tab showing an older one reloads
        self.errors: list[str] = []
        self.generation = 0  # bumped on every build, good or bad: wakes the event streams
        self.changed = threading.Condition()

    def publish(self, files: dict[str, bytes]) -> None:
        rules = parse_headers(files.get(urls.HEADERS, b"").decode())
        with self.changed:
            self.files, self.rules, self.errors = files, rules, []
            self.version += 1
            self.generation += 1
            self.changed.notify_all()

    def fail(self, errors: list[str]) -> None:
        with self.changed:
            self.errors = errors
            self.generation += 1
            self.changed.notify_all()

    def message(self) -> bytes:
        return json.dumps({"version": self.version, "errors": self.errors}).encode()


@dataclass
class Reuse:
    """What one rebuild hands the next, in memory (incremental/): the files read, records and
    session views, and the artifacts with their bytes."""

    store: Store = field(default_factory=Store)

    def next_build(self) -> None:
        self.store.commit()

    def discard(self) -> None:
        self.store.discard()


def build_files(options: BuildOptions, reuse: Reuse | None = None) -> dict[str, bytes]:
    """Gather and render the whole site into memory; raise on any problem. With `reuse`, what
    the previous build made from the same inputs is taken over instead of made again."""
    reuse = reuse or Reuse()
    try:
        with pipeline.fewer_collections():  # as build does: the store's objects live on, and a full collection looks at all of them
            catalog, warnings = pipeline.gather(options, reuse.store)
            for warning in warnings:
                say(str(warning), file=sys.stderr)
            files = {output.path: output.data for output in render_site(catalog, options, Keeping(reuse.store))}
    except BaseException:
        reuse.discard()
        raise
    reuse.next_build()
    return files


def describe_failure(error: Exception) -> list[str]:
    """A failed build as lines: content problems as the build prints them, else where it broke."""
    if isinstance(error, BuildFailed):
        return [str(problem) for problem in error.problems] + [summarize(error.problems)]
    template = template_problem(error)
    if template is not None:
        return [template]
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
    return [f"{where}{type(error).__name__}: {error}"]


def rebuild(options: BuildOptions, state: SiteState, why: str, reuse: Reuse | None = None) -> None:
    started = time.perf_counter()
    try:
        files = build_files(options, reuse)
    except Exception as error:  # shown to the user, never swallowed: the last good site stays up
        errors = describe_failure(error)
        if not isinstance(error, (BuildFailed, jinja2.TemplateSyntaxError)):
            say("".join(traceback.format_exception(error)), file=sys.stderr)
        say("\n".join(errors), file=sys.stderr)
        say(f"build failed ({why}): still serving the last good build", file=sys.stderr)
        state.fail(errors)
        return
    state.publish(files)
    say(f"rebuilt in {time.perf_counter() - started:.2f} s ({why})")


def say(text: str, file: object = None) -> None:
    """Print each line of `text` escaped (problems.printable): file names and messages quote
    content, and no content may start a line of its own in the terminal."""
    print("\n".join(printable(line) for line in text.rstrip("\n").split("\n")), file=file or sys.stdout, flush=True)


class PreviewServer(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS at once, each given REQUEST_TIMEOUT (the
    handler's) to send its request: a half-sent request held a thread forever, and a connection
    that drops is no traceback over the build's output."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # a tab closed, or a client too slow to send its request: nothing to tell
        say(f"a request failed: {type(error).__name__}: {error}", file=sys.stderr)


class Handler(BaseHTTPRequestHandler):
    state: SiteState
    stopping: threading.Event
    timeout = REQUEST_TIMEOUT  # on the connection's socket (StreamRequestHandler.setup)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for build results

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        if not self.host_is_ours():
            message = f"This preview answers only to http://127.0.0.1:{self.server.server_address[1]}/\n".encode()
            return self.send(HTTPStatus.FORBIDDEN, message, "text/plain; charset=utf-8", body=body)
        # The request target is a path, never a URL: split it by hand, since urlsplit reads a
        # leading '//' as the start of a host name.
        path = "/" + unquote(self.path.split("?", 1)[0].split("#", 1)[0]).lstrip("/")
        if path == PREFIX + "events":
            return self.stream_events()
        if path.startswith(PREFIX):
            return self.serve_own(path.removeprefix(PREFIX), body)
        with self.state.changed:
            files, rules, version, errors = self.state.files, self.state.rules, self.state.version, self.state.errors
        if not files:
            page = ERROR_PAGE.format(errors=html.escape("\n".join(errors))).encode()
            return self.send(HTTPStatus.SERVICE_UNAVAILABLE, inject(page, version), "text/html; charset=utf-8", body=body)
        name = path.lstrip("/")
        name = urls.output_file(name)
        if name not in files and urls.output_file(name + "/") in files:
            # One leading slash and the name percent-encoded: the target can only be on this host.
            return self.send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", {"Location": "/" + quote(name) + "/"}, body)
        missing = nearest_not_found(files, name)
        status, data = (HTTPStatus.OK, files[name]) if name in files else (HTTPStatus.NOT_FOUND, files.get(missing, b"Not found"))
        served = name if status == HTTPStatus.OK else missing
        kind = content_type(served)
        if kind.startswith("text/html"):
            data = inject(data, version)
        self.send(status, data, kind, headers_for(rules, "/" + urls.page_path(name)), body)

    def host_is_ours(self) -> bool:
        """Refuse requests addressed to any other name (DNS rebinding: a page elsewhere whose host
        name has been pointed at 127.0.0.1 must not be able to read the preview)."""
        port = self.server.server_address[1]
        return (self.headers.get("Host") or "").lower() in (f"127.0.0.1:{port}", f"localhost:{port}")

    def serve_own(self, name: str, body: bool) -> None:
        own = {"reload.js": (RELOAD_JS, "text/javascript"), "overlay.css": (OVERLAY_CSS, "text/css"),
               "status": (self.state.message(), "application/json")}
        if name not in own:
            return self.send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain", body=body)
        self.send(HTTPStatus.OK, own[name][0], own[name][1], body=body)

    def send(self, status: int, data: bytes, kind: str, headers: dict[str, str] | None = None, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            if name != "Cache-Control":
                self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")  # a preview is never cached
        self.end_headers()
        if body:
            self.wfile.write(data)

    def stream_events(self) -> None:
        """Server-Sent Events: the state now, then again after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not self.stopping.is_set():
                with self.state.changed:
                    self.state.changed.wait_for(lambda seen=seen: self.state.generation != seen or self.stopping.is_set(), timeout=15)
                    fresh, seen, message = self.state.generation != seen, self.state.generation, self.state.message()
                self.wfile.write(b"data: " + message + b"\n\n" if fresh else b": ping\n\n")
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            return  # the tab went away


def content_type(name: str) -> str:
    suffix = Path(name).suffix
    if suffix in TYPES:
        return TYPES[suffix]
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if guessed.startswith("text/") else guessed


def nearest_not_found(files: dict[str, bytes], name: str) -> str:
    """The 404 page of the nearest folder that has one, as static hosts look for it: a language's
    own (es/404.html) for its missing pages, the site's elsewhere."""
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    while folder:
        if urls.in_language(folder + "/", urls.NOT_FOUND) in files:
            return urls.in_language(folder + "/", urls.NOT_FOUND)
        folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    return urls.NOT_FOUND


def inject(page: bytes, version: int) -> bytes:
    """Add the reload script before </body> (served pages only)."""
    tag = f'<script src="{PREFIX}reload.js" data-version="{version}" defer></script>\n'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def preview_server(state: SiteState, stopping: threading.Event, port: int, request_timeout: float = REQUEST_TIMEOUT) -> PreviewServer:
    """A server of `state` on 127.0.0.1:port (0: any free port), not yet serving."""
    handler = type("SiteHandler", (Handler,), {"state": state, "stopping": stopping, "timeout": request_timeout})
    return PreviewServer(("127.0.0.1", port), handler)


def serve(options: BuildOptions, port: int) -> int:
    """Serve the content on 127.0.0.1:port until Ctrl-C (or SIGTERM), rebuilding on change."""
    state, stopping = SiteState(), threading.Event()
    try:
        server = preview_server(state, stopping, port)
    except OSError as error:
        say(f"error: cannot listen on 127.0.0.1:{port}: {error.strerror}; try another --port", file=sys.stderr)
        return 2
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    options = replace(options, base_url=url)
    reuse = Reuse()
    rebuild(options, state, "start", reuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watched = [options.content_dir, options.templates_dir]
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    announced = False
    try:
        # yield_on_timeout: the first (empty) yield shows the watcher is running, and only then
        # is "serving" printed, so no edit made after that line can go unseen. step: a save is
        # seen once WATCH_QUIET_MS pass without another change (an editor's write and rename come
        # within a millisecond): 30 ms made a save wait 40-60 ms before its rebuild began.
        for changes in watchfiles.watch(*watched, stop_event=stopping, step=WATCH_QUIET_MS, rust_timeout=200, yield_on_timeout=True):
            if not announced:
                say(f"serving {url} - watching {', '.join(options.display(p) for p in watched)} (Ctrl-C to stop)")
                announced = True
            if not changes:
                continue
            names = sorted({options.display(Path(path)) for _, path in changes})
            rebuild(options, state, ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") + " changed", reuse)
    except KeyboardInterrupt:
        pass
    stopping.set()
    with state.changed:
        state.changed.notify_all()
    server.shutdown()
    server.server_close()
    say("stopped")
    return 0
