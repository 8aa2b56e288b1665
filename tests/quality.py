"""Quality checkers shared by the gate tests: each returns a list of findings (empty = clean),
so the same code is used to pass the real site and to fail a deliberately broken one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from chromium import require_tool, watched_page

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
# A 1x1 transparent PNG: map tiles are answered locally so tests never leave the machine.
TILE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def require_vnu() -> None:
    require_tool(shutil.which("java") is not None and VNU_JAR.is_file(), f"Java and the Nu HTML Checker ({VNU_JAR})")


def nu_check(paths: list[Path]) -> tuple[list[str], list[str]]:
    """Validate HTML files with the W3C Nu checker; return (errors, warnings) as 'file:line: message'."""
    require_vnu()
    assert paths and all(path.is_file() for path in paths), "nothing to check"  # vnu says 'clean' for missing files
    proc = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--no-langdetect", *map(str, paths)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    errors, warnings = [], []
    for message in messages:
        where = f"{Path(urlsplit(message.get('url', '')).path).as_posix()}:{message.get('lastLine', '?')}"
        text = f"{where}: {message.get('message')}"
        (errors if message.get("type") in ("error", "non-document-error") else warnings).append(text)
    return errors, warnings


def tile_hosts(site_yaml: Path) -> set[str]:
    """Hosts of the configured map tiles (the only third-party hosts a page may contact)."""
    import xyzservices
    import yaml

    tiles = (yaml.safe_load(site_yaml.read_text()).get("map") or {}).get("tiles", "OpenStreetMap.Mapnik")
    template = tiles if "://" in tiles else xyzservices.providers.query_name(tiles).build_url()
    host = urlsplit(template.replace("{s}", "a")).hostname or ""
    return {host, *(host.replace("a.", f"{s}.", 1) for s in "abc")} if host.startswith("a.") else {host}


def route_tiles(page, hosts: set[str]) -> None:
    """Answer tile requests with a blank PNG; abort anything else that leaves 127.0.0.1."""

    def handle(route) -> None:
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        elif host in hosts:
            route.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        else:
            route.abort()

    page.route("**/*", handle)


def visit_all(browser, urls: list[str], hosts: set[str], viewport: dict | None = None) -> dict[str, dict]:
    """Load each page in turn in one tab; return what happened on each that did something it must
    not: third-party requests, console errors, dialogs, in its load and the 150 ms after it (then
    the next page replaces it, as closing the tab did when each page had its own). One tab for all:
    a new one per page cost three times as much. After the first page the site's service worker
    serves the tab, as it does a visitor's later pages."""
    problems = {}
    with watched_page(browser, viewport=viewport or DESKTOP) as page:
        route_tiles(page, hosts)
        for url in urls:
            page.requests.clear(), page.console_errors.clear(), page.dialogs.clear()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(150)
            third_party = sorted({r for r in page.requests if urlsplit(r).hostname not in {"127.0.0.1", *hosts} and urlsplit(r).scheme in ("http", "https")})
            seen = {"third_party": third_party, "console_errors": list(page.console_errors), "dialogs": list(page.dialogs)}
            if any(seen.values()):
                problems[url] = seen
    return problems


def axe_violations(browser, url: str, hosts: set[str], viewport: dict) -> list[dict]:
    require_tool(AXE_JS.is_file(), f"axe-core ({AXE_JS})")
    with watched_page(browser, viewport=viewport) as page:
        route_tiles(page, hosts)
        page.goto(url, wait_until="load")
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # add_script_tag would be refused by a script-src 'self' CSP
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
