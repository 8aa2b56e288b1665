"""Real headless Chromium (Debian's /usr/bin/chromium) through Python Playwright, and a
static file server on 127.0.0.1 for built sites.

Without a browser these tests skip locally; under CI (CI=true) a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest

CHROMIUM = os.environ.get("HUBSITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_tool(available: bool, what: str) -> None:
    """Skip without the tool locally; fail under CI, where it must be installed."""
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing under CI: .ci/install-tools must install it")
    pytest.skip(f"{what} is not installed (bash .ci/install-tools)")


@pytest.fixture(scope="session")
def browser():
    require_tool(Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None, f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: ClassVar[dict[str, str]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve_directory(root: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1; yield its base URL ('http://127.0.0.1:PORT/')."""
    with serve_with(root, type("Handler", (QuietHandler,), {"extra_headers": headers or {}})) as base:
        yield base


@contextmanager
def serve_with(root: Path, handler: type[http.server.SimpleHTTPRequestHandler], path: str = "/") -> Iterator[str]:
    """Serve `root` with `handler` on a free port of 127.0.0.1; yield the base URL ending in `path`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()


def console_text(message) -> str:
    """The message, with the resource's URL when a load failed (Chromium's text leaves it out)."""
    url = (message.location or {}).get("url", "")
    return f"{message.text} ({url})" if url and message.text.startswith("Failed to load resource") else message.text


@contextmanager
def watched_page(browser, **context_options):
    """A fresh page that records requests, console errors, page errors and dialogs."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.requests, page.console_errors, page.dialogs = [], [], []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(console_text(message)))  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))  # type: ignore[attr-defined]

    def on_dialog(dialog) -> None:
        page.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page
    finally:
        context.close()
