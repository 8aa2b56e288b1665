"""Publishing files on real builds: sitemap, robots, open data, _headers, fingerprints, metadata,
the GitHub Pages workflow, and sites opened from disk. Validated with independent readers:
lxml for XML, the `geojson` package for GeoJSON, PyYAML for the workflow."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import geojson
import lxml.etree
import pytest
import yaml
from conftest import HUB_YAML, ROOT, SITE_YAML, TODAY, build_site, parse_html, run_main, scratch_content, tree_hash

from hubsite.commands.links import broken_links
from hubsite.render import publishing as publish

BASE = "https://example.org/hubs/"
XSS = "</script><script>alert(1)</script>"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

SECOND_HUB = (
    HUB_YAML.replace("name: Example Hub", f"name: {json.dumps(XSS)}")
    .replace("city: Nairobi", "city: Hà Nội")
    .replace("country: KE", "country: VN")
    .replace("{lat: -1.2864, lon: 36.8172}", "{lat: 21.0285, lon: 105.8542}")
    .replace("timezone: Africa/Nairobi", "timezone: Asia/Ho_Chi_Minh")
    .replace("summary: Weekly study groups.", "summary: Weekly groups & more.\nlast_verified: 2026-01-20\ncontact: {email: hub@example.org, phone: '+84 24 3850 5000'}")
    .replace("    capacity: 20\n", "    capacity: 20\n    exceptions: [2026-02-17]\n    frequency: weekly\n")
)
FILES = {
    "hubs/hanoi-hub.yaml": SECOND_HUB,
    "pages/about.md": "---\ntitle: About us\nnav: 1\n---\nSee [the hubs](../hubs/example-hub/) and [a session](../hubs/example-hub/#session-learning-how-to-learn).\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publish")
    build_site(scratch_content(root / "content", FILES), root / "site")
    return root / "site"


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# --- sitemap and robots ----------------------------------------------------------------------


def test_sitemap_lists_every_page_but_404_with_absolute_urls(site: Path) -> None:
    tree = lxml.etree.parse(str(site / "sitemap.xml"))  # well-formed XML, or this raises
    root = tree.getroot()
    assert root.tag == f"{SITEMAP}urlset"
    assert tree.docinfo.encoding.upper() == "UTF-8"
    urls = root.findall(f"{SITEMAP}url")
    locs = [url.findtext(f"{SITEMAP}loc") for url in urls]
    assert 0 < len(locs) <= 50_000 and len(set(locs)) == len(locs)
    expected = {BASE + page.removesuffix("index.html") for page in html_pages(site) if page != "404.html" and not page.startswith("embed/")}
    assert set(locs) == expected  # the lists made to be framed are not for search engines (and say noindex)
    for url, loc in zip(urls, locs, strict=True):
        # protocol rules: absolute, under the sitemap's own folder, ASCII (percent-encoded), short
        assert loc.startswith(BASE) and loc.isascii() and len(loc) < 2048 and " " not in loc
        assert {child.tag.removeprefix(SITEMAP) for child in url} <= {"loc", "lastmod", "changefreq", "priority"}
    assert locs[0] == BASE  # the home page first


def test_sitemap_lastmod_only_where_the_content_dates_a_page(site: Path) -> None:
    root = lxml.etree.parse(str(site / "sitemap.xml")).getroot()
    dated = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.findall(f"{SITEMAP}url") if url.find(f"{SITEMAP}lastmod") is not None}
    assert dated == {BASE + "hubs/hanoi-hub/": "2026-01-20"}
    date.fromisoformat(dated[BASE + "hubs/hanoi-hub/"])  # W3C Datetime, date form


def test_sitemap_splits_into_an_index_past_the_protocol_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "SITEMAP_LIMIT", 2)
    out = tmp_path / "site"
    result = run_main("build", "--content", str(scratch_content(tmp_path / "content")), "--out", str(out), "--today", TODAY, "--base-url", BASE)
    assert result.code == 0, result.err
    index = lxml.etree.fromstring((out / "sitemap.xml").read_bytes())
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert parts == [f"{BASE}sitemap-{number}.xml" for number in range(1, len(parts) + 1)] and len(parts) >= 3
    found = []
    for part in parts:
        locs = [loc.text for loc in lxml.etree.fromstring((out / part.removeprefix(BASE)).read_bytes()).iter(f"{SITEMAP}loc")]
        assert 1 <= len(locs) <= 2
        found += locs
    pages = sorted(BASE + path.removesuffix("index.html") for path in tree_hash(out) if path.endswith(".html") and path != "404.html" and not path.startswith("embed/"))
    assert sorted(found) == pages


def test_robots_points_at_the_sitemap(site: Path) -> None:
    lines = (site / "robots.txt").read_text().splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules == ["User-agent: *", "Disallow:", f"Sitemap: {BASE}sitemap.xml"]
    assert any("root of a host" in line for line in lines)  # base_url has a path: say where robots.txt counts


# --- open data -------------------------------------------------------------------------------


def test_geojson_is_a_valid_rfc7946_feature_collection(site: Path) -> None:
    text = (site / "hubs.geojson").read_text(encoding="utf-8")
    collection = geojson.loads(text)
    assert isinstance(collection, geojson.FeatureCollection)
    assert collection.is_valid, collection.errors()
    raw = json.loads(text)
    assert "crs" not in raw  # RFC 7946 removed it: WGS 84 always
    features = raw["features"]
    assert [f["id"] for f in features] == ["example-hub", "hanoi-hub"]  # sorted by slug
    for feature in features:
        assert geojson.GeoJSON.to_instance(feature).is_valid
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert features[0]["geometry"]["coordinates"] == [36.8172, -1.2864]  # [lon, lat], not [lat, lon]
    assert features[1]["properties"]["name"] == XSS and features[1]["properties"]["url"] == BASE + "hubs/hanoi-hub/"


def leaf_keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in leaf_keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in leaf_keys(item)}
    return set()


def test_hubs_json_has_every_public_field_sorted_and_documented(site: Path) -> None:
    data = json.loads((site / "hubs.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["url"] == BASE and data["as_of"] == TODAY
    hubs = data["hubs"]
    assert [h["slug"] for h in hubs] == ["example-hub", "hanoi-hub"]
    hanoi = hubs[1]
    assert hanoi["name"] == XSS and hanoi["address"]["city"] == "Hà Nội" and hanoi["address"]["country_name"] == "Vietnam"
    assert hanoi["location"] == {"lat": 21.0285, "lon": 105.8542} and hanoi["timezone"] == "Asia/Ho_Chi_Minh"
    assert hanoi["contact"] == {"email": "hub@example.org", "phone": "+84 24 3850 5000", "url": None}
    assert hanoi["last_verified"] == "2026-01-20" and hanoi["host"]["id"] == "example-library"
    session = hanoi["sessions"][0]
    assert session["days"] == ["tuesday"] and session["time"] == "18:00-20:00" and session["exceptions"] == ["2026-02-17"]
    assert session["state"] == "current" and session["next_meeting"] == "2026-02-03"
    assert session["signup_url"] == "https://example.org/signup"  # the hub's, as the page shows
    for url in (hanoi["url"], hanoi["calendar_url"], session["calendar_url"], session["course_page"], hanoi["host"]["url"]):
        path = urlsplit(url).path.removeprefix("/hubs/")
        assert (site / (path + "index.html" if path.endswith("/") else path)).is_file(), url
    # every record field is published (the record's own keys, at least)
    record = yaml.safe_load(HUB_YAML)
    assert set(record) <= set(hanoi)
    assert set(record["sessions"][0]) - {"day"} <= set(session)  # day: and days: are both published as days
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### hubs.json") :]
    section = section[: section.index("\n#", 1)]
    missing = sorted(key for key in leaf_keys(data) if f"`{key}`" not in section)
    assert missing == [], f"document these hubs.json fields in the README: {missing}"


def test_publishing_files_are_deterministic(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", FILES)
    for name in ("one", "two"):
        assert run_main("build", "--content", str(content), "--out", str(tmp_path / name), "--today", TODAY).code == 0
    one, two = tree_hash(tmp_path / "one"), tree_hash(tmp_path / "two")
    assert one == two
    assert {"sitemap.xml", "robots.txt", "hubs.json", "hubs.geojson", "_headers"} <= set(one)


# --- _headers ----------------------------------------------------------------------------------

HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def read_rules(text: str) -> list[tuple[str, dict[str, str]]]:
    """A strict reader of the _headers syntax (Netlify, Cloudflare Pages): a path line at column 0
    starting with '/', then indented 'Name: value' lines; '#' comments; blank lines between."""
    rules: list[tuple[str, dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        assert len(line) <= 2000, f"line {number} is longer than Cloudflare's 2,000 characters"
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            assert line.startswith("/") and " " not in line and line.count("*") <= 1, f"line {number}: bad path {line!r}"
            assert "*" not in line or line.endswith("*"), f"line {number}: nothing may follow '*'"
            rules.append((line, {}))
            continue
        assert rules, f"line {number}: a header before any path"
        name, colon, value = line.strip().partition(":")
        assert colon and HEADER_NAME.match(name) and value.strip(), f"line {number}: not 'Name: value': {line!r}"
        assert name not in rules[-1][1], f"line {number}: {name} twice in one rule"
        rules[-1][1][name] = value.strip()
    assert all(headers for _, headers in rules), "a path without headers"
    return rules


def matches(pattern: str, path: str) -> bool:
    return path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1]))


def url_path(file: str) -> str:
    return "/" + file.removesuffix("index.html")


def test_headers_file_syntax_and_one_cache_rule_per_file(site: Path) -> None:
    rules = read_rules((site / "_headers").read_text())
    assert len(rules) <= 100  # Cloudflare Pages ignores rules past the 100th
    assert rules[0][0] == "/*" and not {"Cache-Control", "Content-Security-Policy", "X-Frame-Options"} & set(rules[0][1])
    files = [f for f in tree_hash(site) if f not in ("_headers", ".hubsite")]
    for file in files:
        paths = {url_path(file), "/" + file}
        cache = [(pattern, headers["Cache-Control"]) for pattern, headers in rules if "Cache-Control" in headers and any(matches(pattern, p) for p in paths)]
        assert len({value for _, value in cache}) == 1, f"{file}: {cache}"  # both hosts would join two values into one
        value = cache[0][1]
        if re.search(r"\.[0-9a-f]{8}\.(css|js|svg)$", file):
            assert value == "public, max-age=31536000, immutable", file
        elif file == "service-worker.js":
            assert value == "no-cache"  # browsers check the worker on every visit
        elif not file.startswith("assets/"):
            assert "max-age=0" in value and "must-revalidate" in value, file


def home_rule(site: Path) -> dict[str, str]:
    """The headers of the home page's rule (`/`): the policy every page but the framed lists has."""
    return dict(read_rules((site / "_headers").read_text()))["/"]


def framing_of(rules: list[tuple[str, dict[str, str]]], path: str) -> tuple[list[str], list[str]]:
    """The frame-ancestors sources and X-Frame-Options values a host sends for the URL path `path`,
    from every rule that matches it, after checking that no two matching rules set one header:
    Netlify and Cloudflare Pages would join or replace them."""
    matching = [headers for pattern, headers in rules if matches(pattern, path)]
    names = [name for headers in matching for name in headers]
    twice = {name for name in names if names.count(name) > 1} - ({"Content-Security-Policy"} if path.startswith("/assets/content/") else set())
    assert not twice, (path, twice)
    policies = [headers["Content-Security-Policy"] for headers in matching if "Content-Security-Policy" in headers]
    assert policies, path
    ancestors = [part.split()[1:] for part in policies[0].split("; ") if part.startswith("frame-ancestors ")]
    return ancestors[0] if ancestors else [], [headers["X-Frame-Options"] for headers in matching if "X-Frame-Options" in headers]


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publish-languages")
    build_site(scratch_content(root / "content", {**FILES, "site.yaml": SITE_YAML.replace("language: en", "languages: [en, ar]")}), root / "site")
    return root / "site"


@pytest.mark.parametrize("which", ["site", "two_languages"])
def test_only_the_lists_made_to_be_framed_may_be_framed(which: str, request: pytest.FixtureRequest) -> None:
    """Every file of the site, its _headers read per path: under /embed/ frame-ancestors * and no
    X-Frame-Options; everywhere else frame-ancestors 'none' and X-Frame-Options DENY, each from
    exactly one rule, so no host's way of combining rules can let a page inherit the other's."""
    site = request.getfixturevalue(which)
    rules = read_rules((site / "_headers").read_text())
    files = [f for f in tree_hash(site) if f not in ("_headers", ".hubsite")]
    framed = [f for f in files if f.startswith("embed/")]
    assert len(framed) >= (10 if which == "two_languages" else 5)  # every hub, a partner, two countries, a course (in each language)
    for file in files:
        expected = (["*"], []) if file in framed else (["'none'"], ["DENY"])
        for path in {url_path(file), "/" + file}:  # a page at its folder's URL and at its file's
            assert framing_of(rules, path) == expected, path


def test_past_the_hosts_rule_limit_the_assets_lifetimes_go_first_then_framing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cloudflare Pages reads 100 rules: the top-level rules (security) outrank the assets' cache
    lifetimes; a site with more top-level paths than that refuses framing everywhere (the safe side)."""
    paths = ["index.html", "hubs/x/index.html", "embed/index.html", "assets/style.0123abcd.css", "assets/vendor/leaflet/leaflet.js"]
    every = publish.header_rules(paths, {"assets/style.0123abcd.css"}, "frame-ancestors 'none'", "frame-ancestors *")
    assert [rule for rule, _ in every] == ["/*", "/", "/assets/*", "/embed/*", "/hubs/*", "/index.html", "/assets/style.0123abcd.css", "/assets/vendor/*"]
    monkeypatch.setattr(publish, "MAX_HEADER_RULES", 6)
    assert publish.header_rules(paths, {"assets/style.0123abcd.css"}, "frame-ancestors 'none'", "frame-ancestors *") == every[:6]
    monkeypatch.setattr(publish, "MAX_HEADER_RULES", 4)
    fallback = publish.header_rules(paths, {"assets/style.0123abcd.css"}, "frame-ancestors 'none'", "frame-ancestors *")
    assert fallback[0][0] == "/*" and fallback[0][1]["X-Frame-Options"] == "DENY" and fallback[0][1]["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert len(fallback) <= 4 and all("Content-Security-Policy" not in headers for _, headers in fallback[1:])


def test_csp_is_strict_and_allows_the_tile_host(site: Path) -> None:
    policy = home_rule(site)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["default-src"] == ["'self'"] and directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert directives["worker-src"] == ["'self'"]  # the service worker, from the site itself
    assert directives["connect-src"] == ["'self'"] and directives["frame-ancestors"] == ["'none'"] and directives["base-uri"] == ["'self'"]
    assert directives["form-action"][0] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_tile_sources_expand_subdomains_and_placeholders() -> None:
    carto = {"url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png", "options": {"subdomains": "abcd"}}
    assert publish.tile_sources(carto) == [f"https://{s}.basemaps.cartocdn.com" for s in "abcd"]
    assert publish.tile_sources({"url": "https://{s}.tile.example/{z}/{x}/{y}.png", "options": {}}) == [f"https://{s}.tile.example" for s in "abc"]
    assert publish.tile_sources({"url": "https://{s}.maps.example:8443/{z}/{x}/{y}.png", "options": {"subdomains": "ab"}}) == ["https://a.maps.example:8443", "https://b.maps.example:8443"]


@pytest.mark.parametrize("template", ["https://{variant}.co.uk/{z}/{x}/{y}.png", "https://{variant}.github.io/{z}/{x}/{y}.png", "https://a{r}.maps.example/{z}/{x}/{y}.png"])
def test_no_placeholder_but_subdomains_in_a_tile_host(template: str) -> None:
    """A wildcard host in img-src would let images from a whole public suffix (*.co.uk, *.github.io)."""
    from pydantic_core import PydanticCustomError

    from hubsite.content.settings import check_tile_template

    with pytest.raises(PydanticCustomError):
        check_tile_template(template)


# The policy's directives, in order: exactly these, each once, whatever the settings say.
DIRECTIVES = ["default-src", "script-src", "style-src", "img-src", "font-src", "connect-src", "worker-src", "object-src", "frame-ancestors", "base-uri", "form-action"]
TILES = "https://{s}.tiles.example.org:8443/{z}/{x}/{-y}{r}.png?key=abc&style={variant}"


def policy_of(site: Path) -> dict[str, list[str]]:
    """The site's Content-Security-Policy read back: its directives in order, each once."""
    policy = home_rule(site)["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";")]
    assert [words[0] for words in parts] == DIRECTIVES, policy
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize(("setting", "hostile"), [
    ("map:\n  tiles: https://t.example.org/{z}/{x}/{y}.png;script-src-elem 'unsafe-inline' *;frame-ancestors *\n  attribution: T\n", "map.tiles"),
    ("map:\n  tiles: https://t.example.org;connect-src */{z}/{x}/{y}.png\n  attribution: T\n", "map.tiles"),
    ("base_url: https://example.org//evil.example/\n", "base_url"),
    ("base_url: https://example.org/\\evil.example/\n", "base_url"),
    ('contact_email: "hubs%40example.org?cc=spy%40evil.example&x=@example.org"\n', "contact_email"),
])
def test_a_hostile_setting_leaves_no_headers_to_publish(tmp_path: Path, setting: str, hostile: str) -> None:
    name = setting.split(":")[0]
    lines = [line for line in SITE_YAML.splitlines(keepends=True) if not line.startswith(name + ":")]
    content = scratch_content(tmp_path / "content", {"site.yaml": "".join(lines) + setting})
    result = run_main("build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert result.code == 1 and "site.yaml:" in result.err and f": {hostile}: " in result.err, result.err
    assert not (tmp_path / "site").exists()


def test_the_policy_is_made_from_the_settings_never_from_the_pages(tmp_path: Path) -> None:
    """img-src: the tile template's scheme and hosts only. form-action: the application form posts
    to a mailto: link; "propose on GitHub" (with `repository`) is a link, not a form, so it adds
    nothing. A form in a page (here from a template) adds no source and no directive: the policy
    is never read from rendered bytes."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    footer = templates / "partials/footer.html"
    footer.write_text(footer.read_text().replace("</footer>", '<form action="https://evil.example; script-src-elem \'unsafe-inline\' *"></form></footer>'))
    tiled = SITE_YAML + f"repository: https://github.com/example/hubs\nmap:\n  tiles: {TILES}\n  attribution: Example tiles\n"
    osm = ["https://tile.openstreetmap.org"]
    builds = (("plain", SITE_YAML, (), osm), ("tiled", tiled, (), [f"https://{s}.tiles.example.org:8443" for s in "abc"]), ("form", SITE_YAML, ("--templates", str(templates)), osm))
    for name, site_yaml, extra, tiles in builds:
        site = tmp_path / name
        build_site(scratch_content(tmp_path / f"content-{name}", {"site.yaml": site_yaml}), site, *extra)
        directives = policy_of(site)
        assert directives["img-src"] == ["'self'", "data:", *tiles], name
        assert directives["form-action"] == ["'self'", "mailto:"], name
        assert directives["script-src"] == ["'self'"], name
    apply_page = parse_html(tmp_path / "tiled/host/apply/index.html")
    assert apply_page.xpath("//a[@id='send-github']/@href") == ["https://github.com/example/hubs/new/main"]
    assert [urlsplit(action).scheme for action in apply_page.xpath("//form/@action")] == ["mailto"]


@pytest.mark.parametrize(("endpoint", "form_action", "action"), [
    ("https://Forms.Example.org:8443/f/xyz?to=hubs", ["'self'", "https://forms.example.org:8443", "mailto:"], "https://forms.example.org:8443/f/xyz?to=hubs"),
    ("netlify", ["'self'", "mailto:"], None),  # Netlify Forms: the form posts to the page itself
])
def test_the_application_endpoint_is_where_the_form_posts_and_all_the_policy_adds(tmp_path: Path, endpoint: str, form_action: list[str], action: str | None) -> None:
    """form-action gains the endpoint's scheme, host and port, taken from the parsed setting (never
    its path or query); the form posts there, urlencoded, with hidden fields for the records."""
    build_site(scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML + f"application_endpoint: {endpoint}\n"}), tmp_path / "site")
    assert policy_of(tmp_path / "site")["form-action"] == form_action
    page = parse_html(tmp_path / "site/host/apply/index.html")
    form = page.xpath("//form[@id='apply-form']")[0]
    assert page.xpath("string(//button[@id='apply-submit'])") == "Send my application"  # without the script too: no e-mail program needed
    assert page.xpath("//*[@data-nojs][not(contains(., 'correct a hub'))]") == []  # only the note for a correction, which needs the script
    assert (form.get("action"), form.get("method")) == (action, "post")
    assert form.get("enctype") in (None, "application/x-www-form-urlencoded")
    assert form.xpath(".//input[@type='hidden']/@name")[-3:] == ["application", "hub_record", "partner_record"]
    netlify = (form.get("data-netlify"), form.get("name"), form.xpath(".//input[@name='form-name']/@value"))
    assert netlify == (("true", "host-application", ["host-application"]) if endpoint == "netlify" else (None, None, []))


def test_only_a_host_name_enters_the_policy() -> None:
    """Defence in depth: a tile host is checked again as a host name before it enters the policy."""
    for url in ("https://t.example;script-src */{z}/{x}/{y}.png", "https://t.example%3bx/{z}", "https://{variant}.org/{z}/{x}/{y}.png"):
        with pytest.raises(ValueError, match="not a host name"):
            publish.tile_sources({"url": url, "options": {"subdomains": "abc"}})
    with pytest.raises(ValueError, match="not a source expression"):
        publish.content_security_policy(["https://t.example", "*"], ["mailto:"])


# --- mailto: links, built from their parts ---------------------------------------------------


def test_mailto_links_are_encoded_in_the_footer_the_form_and_hub_pages(tmp_path: Path) -> None:
    site_yaml = SITE_YAML.replace("contact_email: hubs@example.org", "contact_email: hubs+apply@example.org").replace("language: en", "languages: [en, fr]")
    hub = HUB_YAML.replace("signup_url: https://example.org/signup", "signup_url: mailto:hub@example.org?subject=C++ for all, today\ncontact: {email: o.k+hub@example.org}")
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content", {"site.yaml": site_yaml, "hubs/example-hub.yaml": hub}), site)
    french = parse_html(site / "fr/host/apply/index.html")
    assert "mailto:hubs%2Bapply@example.org" in french.xpath("//footer//a/@href")
    assert french.xpath("//form[@id='apply-form']/@action") == ["mailto:hubs%2Bapply@example.org?subject=Candidature%20pour%20un%20lieu%20d%27apprentissage"]
    assert french.xpath("//a[@id='send-mail']/@href") == ["mailto:hubs%2Bapply@example.org"]
    hub_hrefs = parse_html(site / "en/hubs/example-hub/index.html").xpath("//a/@href")
    assert "mailto:o.k%2Bhub@example.org" in hub_hrefs
    assert "mailto:hub@example.org?subject=C%2B%2B%20for%20all%2C%20today" in hub_hrefs


# --- fingerprints, metadata, favicon ---------------------------------------------------------


def test_own_assets_are_fingerprinted_and_every_reference_follows(site: Path) -> None:
    assets = sorted(p.relative_to(site / "assets").as_posix() for p in (site / "assets").rglob("*") if p.is_file())
    own = [a for a in assets if not a.startswith(("vendor/", "content/"))]
    assert own and all(re.search(r"\.[0-9a-f]{8}\.\w+$", a) for a in own), own
    for name in own:
        digest = re.search(r"\.([0-9a-f]{8})\.\w+$", name).group(1)
        assert hashlib.sha256((site / "assets" / name).read_bytes()).hexdigest()[:8] == digest
    assert "vendor/leaflet/leaflet.css" in assets and "vendor/leaflet/images/marker-icon.png" in assets
    hub = parse_html(site / "hubs/example-hub/index.html")
    sources = hub.xpath("//link[@rel='stylesheet']/@href") + hub.xpath("//script/@src") + hub.xpath("//link[@rel='icon']/@href")
    assert any(re.fullmatch(r"\.\./\.\./assets/style\.[0-9a-f]{8}\.css", s) for s in sources)
    assert any(re.fullmatch(r"\.\./\.\./assets/js/times\.[0-9a-f]{8}\.js", s) for s in sources)
    assert broken_links(site) == []


def test_every_page_has_social_tags_favicon_and_full_canonical(site: Path) -> None:
    for page in html_pages(site):
        doc = parse_html(site / page)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//head/meta[@content]")}
        canonical = doc.xpath("//link[@rel='canonical']/@href")[0]
        if page.startswith("embed/"):  # a list made to be framed: the full page is the one to index and share
            assert canonical == BASE + page.removeprefix("embed/").removesuffix("index.html") and meta["robots"] == "noindex", page
            continue
        assert canonical == BASE + page.removesuffix("index.html"), page
        assert meta["og:url"] == canonical and meta["og:title"] == doc.findtext(".//title"), page
        assert meta["og:site_name"] == "Test Hubs" and meta["twitter:card"] == "summary" and meta["og:description"], page
        icon = doc.xpath("//link[@rel='icon']")
        assert len(icon) == 1 and icon[0].get("type") == "image/svg+xml", page


def test_hub_json_ld_describes_the_place_and_its_sessions_safely(site: Path) -> None:
    raw = (site / "hubs/hanoi-hub/index.html").read_text(encoding="utf-8")
    blocks = parse_html(site / "hubs/hanoi-hub/index.html").xpath("//script[@type='application/ld+json']")
    assert len(blocks) == 1
    assert "</script><script>" not in raw  # the name cannot close the element
    data = json.loads(blocks[0].text)
    assert data["@context"] == "https://schema.org" and "Place" in data["@type"] and "EducationalOrganization" in data["@type"]
    assert data["name"] == XSS and data["url"] == BASE + "hubs/hanoi-hub/"
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "1 Main Street", "addressLocality": "Hà Nội", "addressCountry": "VN"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 21.0285, "longitude": 105.8542}
    event = data["event"][0]
    assert event["@type"] == "CourseInstance" and event["name"] == "Learning How to Learn" and event["location"] == {"@id": data["@id"]}
    assert event["startDate"] == "2026-01-13" and event["endDate"] == "2026-03-17"
    assert event["courseSchedule"] == {
        "@type": "Schedule", "repeatFrequency": "P1W", "byDay": ["https://schema.org/Tuesday"], "startDate": "2026-01-13", "endDate": "2026-03-17",
        "startTime": "18:00", "endTime": "20:00", "scheduleTimezone": "Asia/Ho_Chi_Minh", "exceptDate": ["2026-02-17"],
    }
    assert parse_html(site / "index.html").xpath("//script[@type='application/ld+json']") == []


def test_404_links_start_from_the_site_path_so_it_works_at_any_depth(site: Path) -> None:
    doc = parse_html(site / "404.html")
    links = doc.xpath("//a/@href") + doc.xpath("//link/@href") + doc.xpath("//script/@src")
    local = [link for link in links if not urlsplit(link).scheme and not link.startswith("#")]
    assert local and all(link.startswith("/hubs/") for link in local), local


# --- sites opened from disk, the workflow ------------------------------------------------------


def test_file_url_build_links_name_index_html(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", FILES)
    site = tmp_path / "site"
    base = site.absolute().as_uri() + "/"
    build_site(content, site, "--base-url", base)
    hub = parse_html(site / "hubs/example-hub/index.html")
    hrefs = [h for h in hub.xpath("//a/@href") if not urlsplit(h).scheme and not h.startswith("#")]
    assert "../../index.html" in hrefs and "../../partners/example-library/index.html" in hrefs
    assert not [h for h in hrefs if h.split("#")[0].endswith("/")]
    assert not (site / "sitemap.xml").exists() and not (site / "robots.txt").exists()
    assert broken_links(site, base) == []


def test_pages_workflow_builds_and_deploys_site() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in build]
    runs = " ".join(step.get("run", "") for step in build)
    assert "python build.py build --base-url" in runs and "-r requirements.txt" in runs
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
