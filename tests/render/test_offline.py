"""The service worker as a build writes it: once, at the site's root (so its scope is the site's
path), in every build the same bytes, its cache named by the assets and renamed when one changes,
served with no-cache and as JavaScript; every page loads the script that registers it and holds
the offline notice's words."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SITE_YAML, build_site, parse_html, scratch_content, tree_hash

from hubsite import urls
from hubsite.render.publishing import headers_for, parse_headers


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("offline")
    content = scratch_content(root / "content", {"site.yaml": SITE_YAML.replace("language: en", "languages: [en, ar]")})
    build_site(content, root / "site")
    return root / "site"


def version(site: Path) -> str:
    found = re.search(r'var VERSION = "([0-9a-f]{16})"', (site / urls.SERVICE_WORKER).read_text())
    assert found
    return found.group(1)


def test_one_worker_at_the_root_of_a_site_in_several_languages(site: Path) -> None:
    workers = [path for path in tree_hash(site) if path.endswith(urls.SERVICE_WORKER)]
    assert workers == [urls.SERVICE_WORKER]
    assert urls.route_of(urls.SERVICE_WORKER, ("en", "ar")) == "data" and urls.route_of("ar/" + urls.SERVICE_WORKER, ("en", "ar")) is None
    for page, worker in (("en/index.html", "../service-worker.js"), ("ar/hubs/example-hub/index.html", "../../../service-worker.js")):
        (script,) = parse_html(site / page).xpath("//script[@data-worker]")
        assert script.get("data-worker") == worker and script.get("src").startswith(worker.removesuffix("service-worker.js") + "assets/js/offline.")
        (notice,) = parse_html(site / page).xpath("//p[@id='offline-notice']")
        assert notice.get("hidden") is not None and notice.get("data-built") == "2026-02-01" and "{date}" in notice.get("data-text")


def test_served_as_javascript_checked_on_every_visit(site: Path) -> None:
    headers = headers_for(parse_headers((site / "_headers").read_text()), "/" + urls.SERVICE_WORKER)
    assert headers["Cache-Control"] == "no-cache" and headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "worker-src 'self'" in headers["Content-Security-Policy"]


def test_a_changed_asset_renames_the_cache_and_nothing_else_does(tmp_path: Path, site: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    content = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML.replace("language: en", "languages: [en, ar]")})
    build_site(content, tmp_path / "same", "--templates", str(templates))
    assert (tmp_path / "same" / urls.SERVICE_WORKER).read_bytes() == (site / urls.SERVICE_WORKER).read_bytes()
    with (templates / "static/style.css").open("a") as css:
        css.write("\n.changed { color: red; }\n")
    build_site(content, tmp_path / "changed", "--templates", str(templates))
    assert version(tmp_path / "changed") != version(site)
