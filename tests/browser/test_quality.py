"""Quality gates on real builds of the bundled content and of the hostile corpus: valid HTML
(W3C Nu checker), accessibility (axe-core in Chromium), no script from content, no third-party
requests, page weight. A deliberately broken page proves each gate can fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chromium import serve_directory
from conftest import CORPUS, ROOT, run_main
from corpus import CASES, corpus_arguments, corpus_site, expectation
from quality import DESKTOP, PHONE, axe_violations, nu_check, tile_hosts, visit_all
from weight import page_weight

BUNDLED_TODAY = "2026-11-22"
AXE_PAGES = ["index.html", "hubs/{hub}/index.html", "partners/{partner}/index.html", "courses/{course}/index.html", "host/index.html", "host/apply/index.html", "numbers/index.html"]
DEFAULT = "en/"  # the bundled site is in several languages: its default one's pages (tests/browser/test_languages.py checks the others)


def build(content: Path, out: Path, *extra: str) -> Path:
    result = run_main("build", "--content", str(content), "--out", str(out), "--today", BUNDLED_TODAY, *extra)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT / "content", tmp_path_factory.mktemp("bundled") / "site")


@pytest.fixture(scope="session")
def corpus_sites(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    sites = []
    for case in CASES:  # settings cases move the site (a path, a port, other tiles): test_corpus.py builds them
        if expectation(case)[0] == "accept" and case.parent.name != "site":
            scratch = tmp_path_factory.mktemp("corpus-" + case.stem)
            sites.append(build(corpus_site(scratch, case), scratch / "site", *corpus_arguments(scratch, case)))  # a locale case: its catalogue
    return sites


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def first(site: Path, folder: str) -> str:
    return sorted(p.name for p in (site / folder).iterdir() if p.is_dir())[0]


@pytest.mark.validator
def test_every_bundled_page_is_valid_html(bundled_site: Path) -> None:
    errors, warnings = nu_check(html_pages(bundled_site))
    print("\n".join(["Nu checker warnings:", *warnings]) if warnings else "Nu checker: no warnings")
    assert errors == []


@pytest.mark.validator
def test_every_corpus_page_is_valid_html(corpus_sites: list[Path]) -> None:
    errors, warnings = nu_check([page for site in corpus_sites for page in html_pages(site)])
    print("\n".join(warnings))
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("template", AXE_PAGES)
def test_no_serious_accessibility_violations(browser, bundled_site: Path, template: str, viewport: dict) -> None:
    english = bundled_site / DEFAULT
    path = DEFAULT + template.format(hub=first(english, "hubs"), partner=first(english, "partners"), course=first(english, "courses"))
    assert (bundled_site / path).is_file(), path
    with serve_directory(bundled_site) as base:
        violations = axe_violations(browser, base + path.removesuffix("index.html"), tile_hosts(ROOT / "content/site.yaml"), viewport)
    moderate = [v for v in violations if v["impact"] not in ("serious", "critical")]
    if moderate:
        print(f"\n{path} moderate/minor axe findings:", *moderate, sep="\n  ")
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


@pytest.mark.browser
def test_bundled_pages_contact_no_third_party_host(browser, bundled_site: Path) -> None:
    hosts = tile_hosts(ROOT / "content/site.yaml")
    # 404.html links from the base_url's path (/hubs/), so it only loads cleanly served
    # there: test_subpath_browser.py checks it that way.
    pages = [p for p in [bundled_site / "index.html", *html_pages(bundled_site / DEFAULT), *html_pages(bundled_site / "embed" / DEFAULT)] if p.name != "404.html"]
    with serve_directory(bundled_site) as base:
        problems = visit_all(browser, [base + page.relative_to(bundled_site).as_posix() for page in pages], hosts)
    assert problems == {}


@pytest.mark.browser
def test_no_script_from_corpus_content_runs(browser, corpus_sites: list[Path]) -> None:
    hosts = tile_hosts(CORPUS / "base/site.yaml")
    problems = {}
    for site in corpus_sites:
        with serve_directory(site) as base:
            found = visit_all(browser, [base + page.relative_to(site).as_posix() for page in html_pages(site)], hosts)
            problems.update({f"{site.parent.name}/{url.removeprefix(base)}": seen for url, seen in found.items()})
    assert problems == {}


def test_bundled_page_weight(bundled_site: Path) -> None:
    hubs = [page_weight(bundled_site, p) for p in sorted((bundled_site / DEFAULT / "hubs").glob("*/index.html"))]
    heaviest = max(hubs, key=lambda w: w.total)
    assert heaviest.total <= 50 * 1024, heaviest
    # Leaflet is fetched only when the reader nears the map; it is counted, not hidden.
    assert heaviest.on_demand > 30 * 1024, heaviest
    home = page_weight(bundled_site, bundled_site / DEFAULT / "index.html")
    assert home.total <= 120 * 1024, home


BROKEN = """{% extends "base.html" %}
{% block main %}<p id="twice">one</p><p id="twice">two</p><img src="missing.png">
<script src="https://cdn.example.com/lib.js"></script>{% endblock %}
"""


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content rendered with a page template that has a missing alt, a duplicate id and a CDN script."""
    scratch = tmp_path_factory.mktemp("broken")
    templates = scratch / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "page.html").write_text(BROKEN)
    return build(ROOT / "content", scratch / "site", "--templates", str(templates))


@pytest.mark.validator
def test_nu_checker_catches_a_broken_page(broken_site: Path) -> None:
    errors, _ = nu_check([broken_site / DEFAULT / "about/index.html"])
    assert any("Duplicate ID" in e for e in errors), errors
    assert any("alt" in e for e in errors), errors


@pytest.mark.browser
def test_axe_and_request_gates_catch_a_broken_page(browser, broken_site: Path) -> None:
    hosts = tile_hosts(ROOT / "content/site.yaml")
    with serve_directory(broken_site) as base:
        violations = axe_violations(browser, base + DEFAULT + "about/", hosts, DESKTOP)
        # Clean, broken, clean: the broken page is seen on its own account, and once the site's
        # service worker has taken charge of the tab (as it has of every page after the first).
        pages = [base + DEFAULT + "countries/", base + DEFAULT + "about/", base + DEFAULT + "courses/"]
        seen = visit_all(browser, pages, hosts)
    assert any(v["id"] == "image-alt" and v["impact"] == "critical" for v in violations), violations
    assert list(seen) == [pages[1]] and seen[pages[1]]["third_party"] == ["https://cdn.example.com/lib.js"]
