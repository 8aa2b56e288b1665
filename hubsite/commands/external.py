"""`python build.py check --external`: every link the content sends readers to elsewhere (sign-up
pages, courses, partners' websites, contact pages, links in descriptions and pages), fetched
politely, and each dead one told as a warning at the field that holds it (an error with --strict).

Polite: one request at a time to a host, a pause between two (`delay`), a User-Agent that says
who asks and how to reach them, HEAD first and GET only when a server will not answer HEAD, a
timeout, redirects followed to a limit. A link is *broken* when its server says it is gone (4xx
but 429) or cannot be reached at all (no such host, refused, a redirect loop); *unanswered* when
it could not say for now (a timeout, 429, 5xx): told, but not made an error by --strict. Answers
are kept a day in `.hubsite-cache/external-links.json`, so a second run asks nobody; the weekly
workflow (.github/workflows/pages.yml) runs it.

This is the one command besides `geocode` that goes online; the build never does.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from hubsite import __version__
from hubsite.content.reader import Document, Loc, format_loc, load_document
from hubsite.content.validate import ValidContent
from hubsite.options import BuildOptions
from hubsite.problems import Problem

CACHE_FILE = "external-links.json"
CACHE_SECONDS = 24 * 3600
MAX_REDIRECTS = 5
WORKERS = 8  # hosts asked at once; each host one request at a time
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)")
_BARE_LINK = re.compile(r"<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class Link:
    url: str
    doc: Document
    loc: Loc


@dataclass(frozen=True)
class Verdict:
    state: str  # "ok", "broken" or "unanswered"
    reason: str = ""


@dataclass
class ExternalReport:
    problems: list[Problem]
    urls: int
    asked: int  # how many of them were fetched now (the rest came from the cache)
    broken: int
    unanswered: int

    def summary(self) -> str:
        cached = f" ({self.urls - self.asked} answered from the cache)" if self.asked < self.urls else ""
        if not self.broken and not self.unanswered:
            return f"external links: {self.urls} checked{cached}, all answer"
        return f"external links: {self.urls} checked{cached}: {self.broken} broken, {self.unanswered} not answering for now"


# --- which links ---------------------------------------------------------------------------------


def content_links(content: ValidContent) -> list[Link]:
    """Every external link of the content, with the field that holds it."""
    found: list[Link] = []
    site = content.site
    for name in ("host_application_url", "repository"):
        if getattr(site, name):
            found.append(Link(getattr(site, name), site_doc(content), (name,)))
    for hub in content.hubs:
        record = hub.record
        found += fields(hub.doc, (("signup_url",), record.signup_url), (("contact", "url"), record.contact.url if record.contact else None))
        for index, session in enumerate(record.sessions):
            found += fields(hub.doc, (("sessions", index, "course_url"), session.course_url), (("sessions", index, "signup_url"), session.signup_url))
        found += in_markdown(hub.doc, ("description",), record.description)
    for partner in content.partners:
        found += fields(partner.doc, (("website",), partner.record.website))
        found += in_markdown(partner.doc, ("description",), partner.record.description)
    for page in content.pages:
        found += in_markdown(page.doc, ("body",), page.body)
    return [link for link in found if link.url.lower().startswith(("http://", "https://"))]


def site_doc(content: ValidContent) -> Document:
    """site.yaml read again for its positions (validation keeps the settings, not the file)."""
    return load_document(content.content_dir / "site.yaml", "site", content.content_dir.resolve())[0]


def fields(doc: Document, *pairs: tuple[Loc, str | None]) -> list[Link]:
    return [Link(url, doc, loc) for loc, url in pairs if url]


def in_markdown(doc: Document, loc: Loc, text: str | None) -> list[Link]:
    """The http(s) links written in a Markdown text (every language's, when it is translated)."""
    texts = getattr(text, "texts", None) or ({"": text} if text else {})
    return [Link(url, doc, (*loc, tag) if tag else loc) for tag, body in texts.items() for url in sorted(set(_MARKDOWN_LINK.findall(body) + _BARE_LINK.findall(body)))]


# --- asking ----------------------------------------------------------------------------------------


class Hosts:
    """One request at a time per host, `delay` seconds apart."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self.last: dict[str, float] = {}
        self.guard = threading.Lock()

    def lock(self, host: str) -> threading.Lock:
        with self.guard:
            return self.locks[host]

    def wait(self, host: str) -> None:
        """Called holding the host's lock: sleep until `delay` has passed since its last request."""
        since = time.monotonic() - self.last.get(host, -self.delay)
        if since < self.delay:
            time.sleep(self.delay - since)
        self.last[host] = time.monotonic()


def ask(client: httpx.Client, hosts: Hosts, url: str) -> Verdict:
    """Follow `url` (HEAD, else GET) through at most MAX_REDIRECTS redirects."""
    seen = {url}
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = request(client, hosts, url)
        except httpx.TimeoutException:
            return Verdict("unanswered", "did not answer in time")
        except httpx.HTTPError as error:
            return Verdict("broken", f"cannot be reached ({reason_of(error)})")
        if response.is_redirect and "location" in response.headers:
            url = urljoin(url, response.headers["location"])
            if url in seen:
                return Verdict("broken", "redirects in a loop")
            seen.add(url)
            continue
        return verdict_of(response.status_code)
    return Verdict("broken", f"redirects more than {MAX_REDIRECTS} times")


def request(client: httpx.Client, hosts: Hosts, url: str) -> httpx.Response:
    host = urlsplit(url).netloc.lower()
    with hosts.lock(host):
        hosts.wait(host)
        response = client.head(url)
        if response.status_code in (400, 403, 405, 406, 501) or response.status_code >= 500:  # some servers refuse HEAD: ask again with GET
            hosts.wait(host)
            with client.stream("GET", url) as streamed:
                return streamed  # the body is not read
        return response


def verdict_of(status: int) -> Verdict:
    if status < 400:
        return Verdict("ok")
    if status == 429 or status >= 500:
        return Verdict("unanswered", f"answers {status} for now")
    word = {404: "not found", 410: "gone"}.get(status, "refused")
    return Verdict("broken", f"answers {status} ({word})")


def reason_of(error: httpx.HTTPError) -> str:
    text = str(error) or type(error).__name__
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "no such host"
    if "Connection refused" in text or "ConnectError" in text:
        return "connection refused"
    return text.splitlines()[0][:120]


# --- the cache ---------------------------------------------------------------------------------------


def read_cache(path: Path, now: float) -> dict[str, Any]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {url: entry for url, entry in entries.items() if isinstance(entry, dict) and now - entry.get("at", 0) < CACHE_SECONDS}


def write_cache(path: Path, entries: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(dict(sorted(entries.items())), indent=1) + "\n", encoding="utf-8")
    except OSError:  # a read-only checkout: check again next time
        pass


# --- the command -------------------------------------------------------------------------------------


def check_external(content: ValidContent, options: BuildOptions, cache_dir: Path, *, timeout: float = 10.0, delay: float = 1.0) -> ExternalReport:
    """Fetch every external link once (or take it from the cache) and turn the dead ones into problems."""
    links = content_links(content)
    wanted = sorted({link.url for link in links})
    now = time.time()
    cache = read_cache(cache_dir / CACHE_FILE, now)
    asking = [url for url in wanted if url not in cache]
    agent = f"hubsite-link-check/{__version__} (+{content.site.base_url}; {content.site.contact_email})"
    verdicts = {url: Verdict(cache[url]["state"], cache[url].get("reason", "")) for url in wanted if url in cache}
    if asking:
        with httpx.Client(headers={"User-Agent": agent}, timeout=timeout, follow_redirects=False) as client:
            hosts = Hosts(delay)
            by_host: dict[str, list[str]] = defaultdict(list)
            for url in asking:
                by_host[urlsplit(url).netloc.lower()].append(url)
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # hosts side by side, each host's links one after the other
                for found in pool.map(lambda group: [(url, ask(client, hosts, url)) for url in group], by_host.values()):
                    verdicts.update(found)
    for url in asking:
        if verdicts[url].state != "unanswered":  # only definite answers are kept
            cache[url] = {"state": verdicts[url].state, "reason": verdicts[url].reason, "at": now}
    write_cache(cache_dir / CACHE_FILE, cache)
    problems = list(problems_of(links, verdicts, options.strict))
    broken = sum(1 for url in wanted if verdicts[url].state == "broken")
    unanswered = sum(1 for url in wanted if verdicts[url].state == "unanswered")
    return ExternalReport(sorted(problems), len(wanted), len(asking), broken, unanswered)


def problems_of(links: Iterable[Link], verdicts: dict[str, Verdict], strict: bool) -> Iterator[Problem]:
    for link in links:
        verdict = verdicts[link.url]
        if verdict.state == "ok":
            continue
        severity = "error" if strict and verdict.state == "broken" else "warning"
        line, col = link.doc.position(link.loc)
        yield Problem(link.doc.display, line, col, format_loc(link.loc), f"{link.url} {verdict.reason}", severity)  # type: ignore[arg-type]
