"""`python build.py check --external`: every link the content sends readers to elsewhere (sign-up
pages, courses, partners' websites, contact pages, links in descriptions and pages), fetched
politely, and each dead one told as a warning at the field that holds it (an error with --strict).

Polite: one request at a time to a host, a pause between two (`delay`), a User-Agent that says
who asks and how to reach them, HEAD first and GET only when a server will not answer HEAD,
redirects followed one hop at a time to a limit. A link is *broken* when its server says it is
gone (4xx but 429) or cannot be reached at all (no such host, refused, a redirect loop);
*unanswered* when it could not say for now (past its deadline, 429, 5xx); *not checked* when it
(or a redirect) points to a private or local address, or the run's time was up. Only broken
links become errors with --strict. Answers are kept a day in `.hubsite-cache/external-links.json`,
so a second run asks nobody; the weekly workflow (.github/workflows/pages.yml) runs it.

Links are partner-supplied and the answers land in a public CI log, so every hop goes through
public.py: public addresses only, checked before anything is sent, a user name or password in a
link never sent, and one deadline for each link (`timeout`, hops included, polite pauses not)
and for the run (RUN_SECONDS).

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
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from hubsite import __version__
from hubsite.commands.public import NO_PINS, Deadline, NotPublic, Pins, check_url, public_client
from hubsite.content.reader import Document, Loc, format_loc, load_document
from hubsite.content.validate import ValidContent
from hubsite.options import BuildOptions
from hubsite.problems import Problem

CACHE_FILE = "external-links.json"
CACHE_SECONDS = 24 * 3600
MAX_REDIRECTS = 5
WORKERS = 8  # hosts asked at once; each host one request at a time
RUN_SECONDS = 20 * 60  # a whole run stops asking then (the weekly job's timeout-minutes is 30)
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)")
_BARE_LINK = re.compile(r"<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class Link:
    url: str
    doc: Document
    loc: Loc


@dataclass(frozen=True)
class Verdict:
    state: str  # "ok", "broken", "unanswered" or "unchecked" (refused, or the run's time was up)
    reason: str = ""


RUN_OVER = Verdict("unchecked", "not checked: the run's time was up")


@dataclass
class ExternalReport:
    problems: list[Problem]
    urls: int
    asked: int  # how many of them were fetched now (the rest came from the cache)
    broken: int
    unanswered: int
    unchecked: int = 0

    def summary(self) -> str:
        cached = f" ({self.urls - self.asked} answered from the cache)" if self.asked < self.urls else ""
        if not self.broken and not self.unanswered and not self.unchecked:
            return f"external links: {self.urls} checked{cached}, all answer"
        unchecked = f", {self.unchecked} not checked" if self.unchecked else ""
        return f"external links: {self.urls} checked{cached}: {self.broken} broken, {self.unanswered} not answering for now{unchecked}"


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

    def wait(self, host: str, deadline: Deadline) -> None:
        """Called holding the host's lock: pause until `delay` has passed since its last request
        (a pause the link's deadline does not count)."""
        deadline.pause(self.delay - (time.monotonic() - self.last.get(host, -self.delay)))
        self.last[host] = time.monotonic()


@dataclass(frozen=True)
class Asking:
    """What every request of a run shares: the hosts' turns, who asks, the deadlines."""

    hosts: Hosts
    agent: str
    timeout: float  # seconds a link may take, every hop included
    run_end: float  # time.monotonic() by which the whole run stops asking
    pinned: Pins


def ask(asking: Asking, url: str) -> Verdict:
    """Follow `url` within its own deadline, or say it was not checked when the run's time is up."""
    if time.monotonic() >= asking.run_end:
        return RUN_OVER
    deadline = Deadline(asking.timeout, asking.run_end)
    with public_client(deadline, asking.pinned, headers={"User-Agent": asking.agent}, timeout=asking.timeout) as client:
        return follow(client, asking, deadline, url)


def follow(client: httpx.Client, asking: Asking, deadline: Deadline, url: str) -> Verdict:
    """Follow `url` (HEAD, else GET) through at most MAX_REDIRECTS redirects, each hop checked
    before it is asked (public.py), none with a user name or password."""
    seen = {url}
    for _ in range(MAX_REDIRECTS + 1):
        try:
            check_url(url, asking.pinned)  # before waiting for the host's turn: a refused host costs no pause
            response = request(client, asking.hosts, deadline, url)
        except NotPublic as refusal:
            return Verdict("unchecked", f"not checked: {refusal.reason}")
        except httpx.TimeoutException:
            return RUN_OVER if deadline.cut_by_the_run() else Verdict("unanswered", "did not answer in time")
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
            return Verdict("broken", f"cannot be reached ({reason_of(error)})")
        if response.is_redirect and "location" in response.headers:
            url = without_credentials(urljoin(url, response.headers["location"]))
            if url in seen:
                return Verdict("broken", "redirects in a loop")
            seen.add(url)
            continue
        return verdict_of(response.status_code)
    return Verdict("broken", f"redirects more than {MAX_REDIRECTS} times")


def request(client: httpx.Client, hosts: Hosts, deadline: Deadline, url: str) -> httpx.Response:
    host = urlsplit(url).netloc.lower()
    with hosts.lock(host):
        hosts.wait(host, deadline)
        response = client.head(url)
        if response.status_code in (400, 403, 405, 406, 501) or response.status_code >= 500:  # some servers refuse HEAD: ask again with GET
            hosts.wait(host, deadline)
            with client.stream("GET", url) as streamed:
                return streamed  # the body is not read
        return response


def without_credentials(url: str) -> str:
    """`url` without the `user:password@` before its host: they are never sent (nor printed)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])) if "@" in parts.netloc else url


def verdict_of(status: int) -> Verdict:
    if status < 400:
        return Verdict("ok")
    if status == 429 or status >= 500:
        return Verdict("unanswered", f"answers {status} for now")
    word = {404: "not found", 410: "gone"}.get(status, "refused")
    return Verdict("broken", f"answers {status} ({word})")


def reason_of(error: Exception) -> str:
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


def check_external(content: ValidContent, options: BuildOptions, cache_dir: Path, *, timeout: float = 10.0, delay: float = 1.0,
                   run_seconds: float = RUN_SECONDS, pinned: Pins = NO_PINS) -> ExternalReport:
    """Fetch every external link once (or take it from the cache) and turn the dead ones into problems.

    `timeout` is the whole time one link may take, redirects included; after `run_seconds` nothing
    more is asked. `pinned` is for tests only (public.Pins): servers on 127.0.0.1 to treat as public.
    """
    links = content_links(content)
    wanted = sorted({without_credentials(link.url) for link in links})
    now = time.time()
    cache = read_cache(cache_dir / CACHE_FILE, now)
    asking = [url for url in wanted if url not in cache]
    verdicts = {url: Verdict(cache[url]["state"], cache[url].get("reason", "")) for url in wanted if url in cache}
    if asking:
        agent = f"hubsite-link-check/{__version__} (+{content.site.base_url}; {content.site.contact_email})"
        verdicts.update(ask_all(asking, Asking(Hosts(delay), agent, timeout, time.monotonic() + run_seconds, pinned)))
    for url in asking:
        if verdicts[url].state in ("ok", "broken"):  # only definite answers are kept
            cache[url] = {"state": verdicts[url].state, "reason": verdicts[url].reason, "at": now}
    write_cache(cache_dir / CACHE_FILE, cache)
    problems = sorted(problems_of(links, verdicts, options.strict))
    states = [verdicts[url].state for url in wanted]
    return ExternalReport(problems, len(wanted), len(asking), states.count("broken"), states.count("unanswered"), states.count("unchecked"))


def ask_all(urls: list[str], asking: Asking) -> dict[str, Verdict]:
    """Hosts side by side, each host's links one after the other."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).netloc.lower()].append(url)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(pair for found in pool.map(lambda group: [(url, ask(asking, url)) for url in group], by_host.values()) for pair in found)


def problems_of(links: Iterable[Link], verdicts: dict[str, Verdict], strict: bool) -> Iterator[Problem]:
    for link in links:
        url = without_credentials(link.url)
        line, col = link.doc.position(link.loc)
        where = (link.doc.display, line, col, format_loc(link.loc))
        if url != link.url:
            yield Problem(*where, f"{url} was written with a user name or password, which were not sent: a link on a public site should not hold them", "warning")
        verdict = verdicts[url]
        if verdict.state != "ok":
            severity = "error" if strict and verdict.state == "broken" else "warning"
            yield Problem(*where, f"{url} {verdict.reason}", severity)  # type: ignore[arg-type]
