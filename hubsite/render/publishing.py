"""The files a static host or a crawler reads beside the pages, made from every rendered path:

- `/sitemap.xml` (every HTML page but 404.html, absolute URLs under base_url; `lastmod` only
  where the content dates a page: a hub's `last_verified`) and `/robots.txt` pointing at it;
- `/_headers` for Netlify and Cloudflare Pages: a Content-Security-Policy the site satisfies, no
  framing but for the pages made to be framed (`/embed/`), and cache lifetimes (a year for hashed
  assets; HTML and data revalidated every time);
- for a site opened from disk (`file://`), links to folders that name their index.html.

Everything is computed from the catalog, the settings and the rendered paths (never their bytes): no clock, sorted walks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from hubsite import urls
from hubsite.content.settings import NETLIFY, SiteConfig
from hubsite.directory.catalog import Catalog
from hubsite.render.context import Site
from hubsite.render.outputs import Output

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (the protocol's limit); past it, a sitemap index
IMMUTABLE = "public, max-age=31536000, immutable"  # the name changes whenever the bytes do
REVALIDATE = "public, max-age=0, must-revalidate"  # pages and data: a new deploy shows at once
NO_CACHE = "no-cache"  # the service worker: browsers check it on every visit, whatever it says
ONE_DAY = "public, max-age=86400"  # vendored libraries and logos: stable names, rare changes
# Files from content (logos) opened at their own URL: nothing in them may run or load (images.py
# already refuses SVG with script; this holds on the hosts that read _headers).
CONTENT_FILE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
MAX_HEADER_RULES = 100  # Cloudflare Pages ignores rules past the 100th
ANY_ANCESTOR = "*"  # frame-ancestors of the pages made to be framed: any partner's website may


# --- the entry point ---------------------------------------------------------------------------


def publishing_files(site: Site, paths: list[str]) -> Iterator[Output]:
    """Every publishing file, from the paths of every rendered output, in a stable order.

    `site`: the build's Site (its settings, languages, base URL, tile layer and hashed assets):
    the Content-Security-Policy is made from the settings, never from the rendered bytes.
    """
    base_url = site.base_url
    files: list[Output] = []
    if urlsplit(base_url).scheme in ("http", "https"):  # a site opened from disk has no crawlers
        pages = [path for path in paths if path.endswith(".html") and not path.startswith(urls.EMBED)]  # the framed lists are not for search engines
        files += sitemap_files(site, pages, page_dates(site.catalog))
        files.append(Output(urls.ROBOTS, robots_txt(base_url)))
    if site.multilingual:
        files.append(Output(urls.REDIRECTS, redirects_file(site)))
    tiles, forms = tile_sources(site.build.leaflet.tiles), form_targets(site.catalog.site)
    every_path = [*paths, *(file.path for file in files)]
    policies = content_security_policy(tiles, forms), content_security_policy(tiles, forms, framed=True)
    files.append(Output(urls.HEADERS, headers_file(every_path, site.assets.immutable(), *policies)))
    yield from files


# --- sitemap and robots ------------------------------------------------------------------------


def sitemap_url(base_url: str, path: str) -> str:
    """The page's full URL, percent-encoded as the sitemap protocol asks (RFC 3986)."""
    return quote(urls.absolute(base_url, path), safe=":/?#[]@!$&'()*+,;=%~")


def page_dates(catalog: Catalog) -> dict[str, date]:
    """The pages whose content carries a date: hub pages, by `last_verified` (by their path in a language)."""
    return {urls.output_file(urls.hub(hub.slug)): hub.record.last_verified for hub in catalog.hubs if hub.record.last_verified}


def sitemap_files(site: Site, html_paths: list[str], dates: dict[str, date]) -> list[Output]:
    """/sitemap.xml: one urlset, or past the limit an index of sitemap-N.xml files. In a site in
    several languages, each page's entry lists the page in every language (hreflang), itself
    included, and x-default; the limit shrinks so that no file grows past the protocol's 50 MB."""
    base_url, prefixes = site.base_url, [urls.language_root(language.key) for language in site.languages] if site.multilingual else [""]
    not_found = {urls.in_language(prefix, urls.NOT_FOUND) for prefix in prefixes} | {urls.NOT_FOUND}
    pages = sorted((p for p in html_paths if p not in not_found), key=lambda p: (p.count("/"), p))
    entries = [sitemap_entry(site, path, prefixes, dates) for path in pages]
    limit = SITEMAP_LIMIT // len(prefixes) if site.multilingual else SITEMAP_LIMIT
    chunks = [entries[i : i + limit] for i in range(0, len(entries), limit)]
    if len(chunks) <= 1:
        return [Output(urls.SITEMAP, urlset(entries, site.multilingual))]
    names = [urls.sitemap_part(number) for number in range(1, len(chunks) + 1)]
    index = "".join(f"<sitemap><loc>{escape(sitemap_url(base_url, name))}</loc></sitemap>\n" for name in names)
    files = [Output(name, urlset(chunk, site.multilingual)) for name, chunk in zip(names, chunks, strict=True)]
    return [*files, Output(urls.SITEMAP, xml_document("sitemapindex", index))]


def sitemap_entry(site: Site, path: str, prefixes: list[str], dates: dict[str, date]) -> tuple[str, date | None, list[tuple[str, str]]]:
    """(URL, lastmod, alternates) of one page: alternates as Site.alternates gives them, for the
    page's path within its language (the picker at the root is the home page's x-default)."""
    prefix = next((p for p in prefixes if p and path.startswith(p)), "")
    inner = path[len(prefix):]
    alternates = [(tag, sitemap_url(site.base_url, url.removeprefix(site.base_url))) for tag, _, url in site.alternates(urls.page_path(inner))]
    return sitemap_url(site.base_url, urls.page_path(path)), dates.get(inner), alternates


def urlset(entries: list[tuple[str, date | None, list[tuple[str, str]]]], alternates: bool) -> bytes:
    body = "".join(
        f"<url><loc>{escape(url)}</loc>{f'<lastmod>{day.isoformat()}</lastmod>' if day else ''}"
        + "".join(f'<xhtml:link rel="alternate" hreflang="{tag}" href="{escape(href)}"/>' for tag, href in links)
        + "</url>\n" for url, day, links in entries
    )
    return xml_document("urlset", body, XHTML_NS if alternates else None)


def xml_document(root: str, body: str, xhtml: str | None = None) -> bytes:
    namespaces = f' xmlns="{SITEMAP_NS}"' + (f' xmlns:xhtml="{xhtml}"' if xhtml else "")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}{namespaces}>\n{body}</{root}>\n'.encode()


def redirects_file(site: Site) -> bytes:
    """/_redirects for Netlify: a visitor whose browser asks for one of the site's languages goes
    from the root to its home; each language's missing pages get its own 404 page. (Cloudflare
    Pages serves the nearest 404.html by itself and ignores Language conditions; GitHub Pages
    reads no such file: both show the picker at the root.)"""
    base = urlsplit(site.base_url).path
    lines = ["# Written by hubsite on every build: the root sends each visitor to the language their browser asks for,",
             "# and each language has its own 404 page. Without a match the root is the language picker.", ""]
    # Forced (!): the picker's index.html would otherwise shadow the rule. Netlify also reads the nf_lang cookie languages.js sets.
    lines += [f"{base}  {base}{urls.language_root(language.key)}  302!  Language={language.tag.split('-')[0].lower()}" for language in site.languages]
    lines += [f"{base}{urls.language_root(language.key)}*  {base}{urls.in_language(urls.language_root(language.key), urls.NOT_FOUND)}  404" for language in site.languages]
    return ("\n".join(lines) + "\n").encode()


def robots_txt(base_url: str) -> bytes:
    lines = ["User-agent: *", "Disallow:", "", f"Sitemap: {sitemap_url(base_url, urls.SITEMAP)}"]
    if urlsplit(base_url).path not in ("", "/"):
        lines[:0] = ["# Crawlers read robots.txt only at the root of a host: under a path prefix, add the", "# Sitemap line below to the host's own /robots.txt.", ""]
    return ("\n".join(lines) + "\n").encode()


# --- _headers: CSP and cache lifetimes ---------------------------------------------------------

# A host the policy may list: a host name, or '*.' and a name of two labels or more.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_POLICY_HOST = re.compile(rf"\*\.{_LABEL}(?:\.{_LABEL})+|{_LABEL}(?:\.{_LABEL})*")
_POLICY_VALUE = re.compile(r"'(?:self|none)'|[a-z]+:|https?://[a-z0-9.*-]+(?::[0-9]{1,5})?")


def tile_sources(tiles: dict[str, Any]) -> list[str]:
    """Where map tiles load from, as scheme://host[:port] only: '{s}' expanded with the layer's
    subdomains (Leaflet's default: abc), each host checked again as a host name here, so that
    nothing but a host ever enters the policy (settings.py refuses bad templates first)."""
    parts = urlsplit(tiles["url"])
    scheme, host, port = parts.scheme.lower(), (parts.hostname or ""), parts.port
    subdomains = tiles.get("options", {}).get("subdomains") or "abc"
    hosts = [host.replace("{s}", s) for s in subdomains] if "{s}" in host else [host]
    return sorted({f"{scheme}://{policy_host(name)}{f':{port}' if port else ''}" for name in hosts})


def policy_host(host: str) -> str:
    """`host` if it is a host name (or '*.' and one), else ValueError: never paste anything else."""
    if not _POLICY_HOST.fullmatch(host):
        raise ValueError(f"{host!r} is not a host name: it cannot enter the Content-Security-Policy")
    return host


def form_targets(settings: SiteConfig) -> list[str]:
    """Where the site's forms may submit to beyond its own origin, from the settings that make
    them: the application form posts to a mailto: link to contact_email (a required setting), or,
    with `application_endpoint`, to that address: its scheme, host and port only, taken from the
    parsed URL (`netlify` posts to the site itself, which 'self' allows). The finder submits to
    the site itself, and "propose on GitHub" (with `repository`) is a link, not a form, so neither
    adds a source."""
    targets = {f"{urlsplit(urls.mailto(settings.contact_email)).scheme}:"}
    endpoint = settings.application_endpoint
    if endpoint and endpoint != NETLIFY:
        parts = urlsplit(endpoint)
        port = f":{parts.port}" if parts.port else ""
        targets.add(f"{parts.scheme}://{policy_host(parts.hostname or '')}{port}")
    return sorted(targets)


def content_security_policy(tiles: list[str], forms: list[str], framed: bool = False) -> str:
    """No inline script or style anywhere; images from the site and the tile hosts only; no page
    in a frame (`framed`: the pages made to be framed, on any site). Each value is checked to be
    one source expression: none can end a directive or start another."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *tiles],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *forms],
    }
    loose = [value for values in directives.values() for value in values if not _POLICY_VALUE.fullmatch(value)]
    if loose:
        raise ValueError(f"not a source expression: {loose[0]!r}")
    if framed:
        directives["frame-ancestors"] = [ANY_ANCESTOR]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(policy: str, framed: bool = False) -> dict[str, str]:
    """The headers that differ between the pages made to be framed and the rest: the policy, and
    X-Frame-Options for browsers that read no frame-ancestors (none on a page to frame)."""
    return {"Content-Security-Policy": policy} | ({} if framed else {"X-Frame-Options": "DENY"})


def cache_rules(paths: list[str], immutable: set[str]) -> list[tuple[str, dict[str, str]]]:
    """The assets' Cache-Control: a year for hashed names, a day for the rest (the other paths are
    revalidated by their top-level rule: top_rules). One rule per path: both hosts join a header
    that two matching rules set into one comma-separated value, so rules must not overlap."""
    rules: dict[str, str] = {f"/{path}": IMMUTABLE for path in sorted(immutable)}
    mixed = {path.split("/")[1] for path in immutable if path.count("/") > 1}  # assets/js/ holds hashed files
    for path in paths:
        parts = path.split("/")
        if path.startswith(urls.ASSETS) and path not in immutable:
            whole_folder = len(parts) > 2 and parts[1] not in mixed
            rules.setdefault(f"/{urls.ASSETS}{parts[1]}/*" if whole_folder else f"/{path}", ONE_DAY)
    return [(rule, {"Cache-Control": value}) for rule, value in rules.items()]


def top_rules(paths: list[str], policy: str, framed_policy: str) -> list[tuple[str, dict[str, str]]]:
    """One rule per top-level file or folder of the site (and `/`), each with the security headers
    that framing decides, and Cache-Control for all but the assets: `/embed/*` may be framed,
    everything else not. Netlify and Cloudflare Pages apply every rule that matches a path and
    join, or replace, a header that two of them set: no rule here overlaps another, so no framed
    page inherits DENY, and nothing else inherits permission."""
    tops = {"/": ""}
    for path in paths:
        top, slash, _ = path.partition("/")
        if path != urls.HEADERS:
            tops.setdefault(f"/{top}/*" if slash else f"/{top}", top + slash)
    extra = {f"/{urls.HUBS_GEOJSON}": {"Content-Type": "application/geo+json"},
             f"/{urls.SERVICE_WORKER}": {"Cache-Control": NO_CACHE, "Content-Type": "text/javascript; charset=utf-8"}}
    rules = []
    for rule, top in sorted(tops.items()):
        framed = top == urls.EMBED
        headers = security_headers(framed_policy if framed else policy, framed)
        rules.append((rule, headers if top == urls.ASSETS else {**headers, "Cache-Control": REVALIDATE, **extra.get(rule, {})}))
    return rules


def header_rules(paths: list[str], immutable: set[str], policy: str, framed_policy: str) -> list[tuple[str, dict[str, str]]]:
    """Every rule of _headers, at most MAX_HEADER_RULES: the headers every path shares on `/*`,
    the top-level rules, the assets' cache lifetimes. Past the limit the assets' lifetimes go first
    (hosts revalidate by default); a site with too many top-level pages to list gets every header
    on `/*`, framing refused everywhere, the embedded lists included: refused is the safe side."""
    shared = ("/*", {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin", "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)"})
    tops, assets = top_rules(paths, policy, framed_policy), cache_rules(paths, immutable)
    if 1 + len(tops) + len(assets) <= MAX_HEADER_RULES:
        return [shared, *tops, *assets]
    if 1 + len(tops) <= MAX_HEADER_RULES:
        return [shared, *tops]
    return [("/*", {**shared[1], **security_headers(policy)}), *assets[: MAX_HEADER_RULES - 1]]


def headers_file(paths: Iterable[str], immutable: Iterable[str], policy: str, framed_policy: str) -> bytes:
    """/_headers (Netlify, Cloudflare Pages). GitHub Pages ignores it: it cannot send headers."""
    lines = [
        "# Response headers for Netlify and Cloudflare Pages, written by hubsite on every build.",
        "# Paths are relative to the published folder. No two rules set one header for one path:",
        "# both hosts join (or replace) a header set by two matching rules. Only /embed/ may be framed.",
    ]
    for rule, headers in header_rules(sorted(set(paths)), set(immutable), policy, framed_policy):
        if rule.startswith("/" + urls.CONTENT_FILES):
            headers = {**headers, "Content-Security-Policy": CONTENT_FILE_POLICY}
        lines += ["", rule, *(f"  {name}: {value}" for name, value in headers.items())]
    return ("\n".join(lines) + "\n").encode()


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    """Read a _headers file back into (path pattern, headers) rules (for `serve` and tests)."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] not in " \t":
            rules.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
    return rules


def headers_for(rules: list[tuple[str, dict[str, str]]], path: str) -> dict[str, str]:
    """The headers a host sends for URL path `path` (from the published folder's root)."""
    found: dict[str, str] = {}
    for pattern, headers in rules:
        prefix = pattern.removesuffix("*")
        if path == pattern or (pattern.endswith("*") and path.startswith(prefix)):
            for name, value in headers.items():
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found


# --- sites opened from disk --------------------------------------------------------------------

_LOCAL_LINK = re.compile(rb'(\s(?:href|action)=")([^"#?]*)')


def index_links(page: bytes) -> bytes:
    """For a site opened with file://: 'hubs/x/' -> 'hubs/x/index.html'. A browser shows a folder,
    not its index.html, so every link to a folder must name the file."""

    def fix(match: re.Match[bytes]) -> bytes:
        path = match.group(2)
        local = path and b":" not in path.split(b"/")[0] and not path.startswith(b"//")
        if local and (path.endswith(b"/") or path in (b".", b"..")):
            path = path.rstrip(b"/") + b"/index.html" if path.strip(b"/") else path + b"index.html"
        return match.group(1) + path

    return _LOCAL_LINK.sub(fix, page)
