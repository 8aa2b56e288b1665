"""The `geocode` command: look up the addresses of hubs that have no location, politely, and cache them.

The only module that imports geopy's geocoders or reaches the network; builds read the cache
(content/geocache.yaml) and never go online. Nominatim's usage policy is followed: one request
at a time at most every `min_delay_seconds` (never under 1 s on the public server), the site's
own User-Agent, every answer cached and committed, and a pause that doubles after each failed
try. An empty or ambiguous answer is reported, never guessed.

geopy's requests go through public.py (PublicAdapter): the geocoder's name must resolve to public
addresses only (a run stops, having sent nothing there, when it does not), each request ends by
`timeout_seconds` however slowly the server answers, no redirect is followed, no proxy is read.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import yaml
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from tqdm import tqdm

from hubsite import pipeline
from hubsite.commands.public import NO_PINS, Deadline, Pins, public_client, tls_context
from hubsite.content.reader import parse_yaml
from hubsite.content.records import GeocacheEntry, Hub
from hubsite.content.settings import GeocodingSettings
from hubsite.directory.places import distance_km
from hubsite.options import BuildOptions, display_path
from hubsite.problems import BuildFailed, Problem

CACHE_FILE = "geocache.yaml"
CACHE_HEADER = """\
# Coordinates found by `python build.py geocode`, by address text. Builds read this file and
# never go online: commit it. Correct a wrong entry by hand, or delete it to look the address up again.
"""
MAX_CANDIDATES = 5  # answers asked for per address: enough to see that a name is ambiguous
SAME_PLACE_KM = 1.0  # answers this close to the first are one place described several ways
IMPORTANCE_GAP = 0.2  # the first answer wins when it is this much more important than the next place
MAX_FAILURES_IN_A_ROW = 3  # then the service is down: stop instead of hammering it
MAX_ANSWER_BYTES = 1 << 20  # five candidates in JSON are a few kilobytes

logging.getLogger("geopy").addHandler(logging.NullHandler())  # we report retries ourselves, in our words

_PLURALS = {"address": "addresses", "try": "tries"}


def count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {_PLURALS.get(word, word + 's')}"


@dataclass(frozen=True)
class Lookup:
    """One address to look up, and the hubs that share it."""

    query: str
    country: str
    hubs: tuple[Hub, ...]

    @property
    def files(self) -> str:
        return ", ".join(hub.doc.display for hub in self.hubs)


@dataclass
class GeocodeReport:
    """What a run did: for the command line to print."""

    lookups: list[Lookup]
    dry_run: bool = False
    found: dict[str, GeocacheEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0
    cache_written: Path | None = None
    files_written: list[str] = field(default_factory=list)
    skipped_files: int = 0

    def lines(self) -> list[str]:
        """One line per address: what would be asked (dry run) or what was found."""
        if self.dry_run:
            return [f"would look up '{lookup.query}' (countrycodes={lookup.country.lower()}) for {lookup.files}" for lookup in self.lookups]
        return [f"found '{query}': {entry.lat}, {entry.lon} ({entry.display_name or 'no name given'})" for query, entry in sorted(self.found.items())]

    def summary(self) -> str:
        if self.dry_run:
            return f"{count(len(self.lookups), 'address')} to look up; dry run: nothing was sent"
        parts = [f"looked up {count(len(self.lookups), 'address')} in {count(self.requests, 'request')}: {len(self.found)} found"]
        if self.problems:
            parts.append(f"{count(len(self.problems), 'problem')} (listed above)")
        if self.cache_written:
            parts.append(f"wrote {self.cache_written}")
        if self.files_written:
            parts.append(f"added location: to {count(len(self.files_written), 'hub file')}")
        if self.skipped_files:
            parts.append(f"{count(self.skipped_files, 'hub file')} with errors skipped (run `python build.py check`)")
        return "; ".join(parts)


def geocode_content(content_dir: Path, today: date, *, dry_run: bool = False, write: bool = False, pinned: Pins = NO_PINS) -> GeocodeReport:
    """Look up every hub address that has neither a location nor a cache entry; cache what is found.

    `pinned` is for tests only (public.Pins): a geocoder on 127.0.0.1 to treat as public.
    """
    content, problems = pipeline.validated(BuildOptions(content_dir=content_dir, today=today))
    cache_file = display_path(content_dir / CACHE_FILE)
    if content is None or any(p.severity == "error" and p.path == cache_file for p in problems):
        raise BuildFailed([p for p in problems if p.severity == "error"])
    cache = dict(content.geocache)
    lookups = plan_lookups(content.hubs, cache)
    skipped = sum(1 for _ in (content_dir / "hubs").glob("*.yaml")) - len(content.hubs)  # records that did not validate
    report = GeocodeReport(lookups, dry_run=dry_run, skipped_files=skipped)
    if dry_run:
        return report
    try:
        if lookups:
            run_lookups(lookups, content.site.geocoding, today, report, pinned)
    finally:  # even when interrupted: every answer found costs the service a request
        if report.found:
            cache.update(report.found)
            report.cache_written = write_cache(content_dir / CACHE_FILE, cache)
    if write:
        report.files_written, failures = write_locations(content.hubs, cache)
        report.problems += failures
    return report


def plan_lookups(hubs: Iterable[Hub], cache: dict[str, GeocacheEntry]) -> list[Lookup]:
    """Addresses of hubs without a location that the cache does not know, each asked once."""
    wanted: dict[str, list[Hub]] = {}
    for hub in sorted(hubs, key=lambda h: h.slug):
        query = hub.record.address.query()
        if hub.record.location is None and query not in cache:
            wanted.setdefault(query, []).append(hub)
    return [Lookup(query, group[0].record.address.country, tuple(group)) for query, group in wanted.items()]


def make_geocoder(settings: GeocodingSettings, pinned: Pins) -> Nominatim:
    """(content/settings.py has already held the public server to one request a second.)"""
    return Nominatim(user_agent=settings.user_agent, domain=settings.domain, scheme=settings.scheme, timeout=settings.timeout_seconds,
                     adapter_factory=lambda **_: PublicAdapter(pinned))


class PublicAdapter(BaseSyncAdapter):
    """geopy's HTTP side: one GET per call (so our retries and rate limit are the only ones), to
    public addresses only, done within `timeout` (public.py); the errors geopy's adapters raise."""

    def __init__(self, pinned: Pins) -> None:
        self.pinned = pinned
        tls_context()  # made now rather than in the first request, which would then reach the server later than the rate limit meant

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except ValueError:
            raise GeocoderParseError("the answer is not JSON") from None

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        try:
            with public_client(Deadline(timeout), self.pinned, headers=headers, timeout=timeout) as client, client.stream("GET", url) as response:
                body = read_capped(response)
        except httpx.TimeoutException:
            raise GeocoderTimedOut("Service timed out") from None
        except httpx.HTTPError as error:
            raise GeocoderUnavailable(str(error).splitlines()[0] if str(error) else type(error).__name__) from None
        if response.status_code >= 300:  # a redirect is not followed: the geocoder is where site.yaml says
            raise AdapterHTTPError(f"Non-successful status code {response.status_code}", status_code=response.status_code, headers=dict(response.headers), text=body)
        return body


def read_capped(response: httpx.Response) -> str:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            raise GeocoderServiceError(f"the answer is larger than {MAX_ANSWER_BYTES >> 20} MiB")
    return body.decode(response.encoding or "utf-8", errors="replace")


class Attempts:
    """The call RateLimiter wraps: counts tries, says why one failed, and doubles the pause before the next."""

    def __init__(self, search: Callable[..., Any], settings: GeocodingSettings, report: GeocodeReport) -> None:
        self.search, self.settings, self.report, self.tries = search, settings, report, 0

    def __call__(self, query: str, **options: Any) -> Any:
        self.tries += 1
        self.report.requests += 1
        try:
            return self.search(query, **options)
        except GeocoderServiceError as error:
            if self.tries <= self.settings.max_retries:
                wait = max(error_wait(self.settings) * 2 ** (self.tries - 1), getattr(error, "retry_after", None) or 0)  # 429's Retry-After
                tqdm.write(f"'{query}': try {self.tries} failed ({describe(error)}); trying again in {wait:g} s", file=sys.stderr)
                time.sleep(wait - error_wait(self.settings))  # RateLimiter itself waits error_wait once more
            raise


def error_wait(settings: GeocodingSettings) -> float:
    return max(settings.error_wait_seconds, settings.min_delay_seconds)  # RateLimiter requires it


def describe(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def run_lookups(lookups: list[Lookup], settings: GeocodingSettings, today: date, report: GeocodeReport, pinned: Pins = NO_PINS) -> None:
    """Ask the geocoder for each address in turn; stop early if the service keeps failing, and at
    once if its address is not public (public.NotPublic)."""
    attempts = Attempts(make_geocoder(settings, pinned).geocode, settings, report)
    limiter = RateLimiter(attempts, min_delay_seconds=settings.min_delay_seconds, max_retries=settings.max_retries, error_wait_seconds=error_wait(settings), swallow_exceptions=False)
    failures = 0
    for index, lookup in enumerate(tqdm(lookups, desc="geocoding", unit="address", file=sys.stderr, disable=None)):
        attempts.tries = 0
        try:
            answers = limiter(lookup.query, exactly_one=False, limit=MAX_CANDIDATES, country_codes=lookup.country.lower())
        except GeocoderServiceError as error:
            failures += 1
            report.problems += unresolved(lookup, f"the geocoder failed after {count(attempts.tries, 'try')}: {describe(error)}; run geocode again later")
            if failures >= MAX_FAILURES_IN_A_ROW:
                for rest in lookups[index + 1 :]:
                    report.problems += unresolved(rest, f"not looked up: the geocoder failed {failures} times in a row; run geocode again later")
                return
            continue
        failures = 0
        entry, reason = choose(answers or [], lookup.query, today)
        if entry is None:
            report.problems += unresolved(lookup, reason)
        else:
            report.found[lookup.query] = entry


def unresolved(lookup: Lookup, reason: str) -> list[Problem]:
    return [hub.doc.problem(("address",), reason) for hub in lookup.hubs]


def importance(answer: Any) -> float:
    try:
        return float(answer.raw.get("importance") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def choose(answers: list[Any], query: str, today: date) -> tuple[GeocacheEntry | None, str]:
    """Take the answer only when it is clearly the one: alone, all answers one place, or far more important."""
    fix = "add line1 or postal_code to the address, or write location: {lat: ..., lon: ...} by hand"
    if not answers:
        return None, f"no place found for '{query}'; check the address, or {fix}"
    ranked = sorted(answers, key=lambda a: -importance(a))
    first = ranked[0]
    others = [a for a in ranked[1:] if distance_km(first.latitude, first.longitude, a.latitude, a.longitude) > SAME_PLACE_KM]
    if others and importance(first) - importance(others[0]) < IMPORTANCE_GAP:
        names = "; ".join(_UNPRINTABLE.sub(" ", a.address or "?") for a in [first, *others][:3])
        return None, f"ambiguous: {len(others) + 1} different places match '{query}' ({names}); {fix}"
    name = _UNPRINTABLE.sub(" ", first.address or "").strip()[:500] or None
    entry = GeocacheEntry(lat=round(first.latitude, 7), lon=round(first.longitude, 7), display_name=name, date=today)
    return entry, ""


# --- the cache file ---------------------------------------------------------------------------

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")


def write_cache(path: Path, cache: dict[str, GeocacheEntry]) -> Path:
    """Sorted by address, one short block each, so a new entry is a small diff in review."""
    parts = [CACHE_HEADER]
    for address in sorted(cache):
        entry = cache[address]
        parts.append(f"{quote(address)}:\n  lat: {number(entry.lat)}\n  lon: {number(entry.lon)}\n")
        if entry.display_name:
            parts.append(f"  display_name: {quote(entry.display_name)}\n")
        if entry.date:
            parts.append(f"  date: {entry.date.isoformat()}\n")
    write_atomically(path, "".join(parts).encode("utf-8"))
    return path


def quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes, plus the line separators YAML would fold."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def number(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: an interrupted run never leaves half a file."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~current_umask()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- --write: the location into the hub file --------------------------------------------------

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a line break


def write_locations(hubs: Iterable[Hub], cache: dict[str, GeocacheEntry]) -> tuple[list[str], list[Problem]]:
    """Add `location:` after the address of each hub the cache can place; leave every other byte alone."""
    written, problems = [], []
    for hub in sorted(hubs, key=lambda h: h.slug):
        entry = cache.get(hub.record.address.query())
        if hub.record.location is not None or entry is None:
            continue
        if hub.doc.has_key(("location",)):
            problems.append(hub.doc.problem(("location",), "is empty, so it was left alone: fill it in by hand from content/geocache.yaml", key=True))
            continue
        try:
            new = with_location(hub.doc.path.read_bytes(), entry)
        except ValueError as reason:
            problems.append(hub.doc.problem(("address",), f"location: not added ({reason}); add location: {{lat: {number(entry.lat)}, lon: {number(entry.lon)}}} by hand"))
            continue
        write_atomically(hub.doc.path, new)
        written.append(hub.doc.display)
    return written, problems


def with_location(raw: bytes, entry: GeocacheEntry) -> bytes:
    """The file with one line inserted after its address; checked to read back as before plus location."""
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    text = raw[len(bom) :].decode("utf-8")
    line_index, column = address_end(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    added = " " * column + f"location: {{lat: {number(entry.lat)}, lon: {number(entry.lon)}}}" + newline
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    if line_index < len(starts):
        new = text[: starts[line_index]] + added + text[starts[line_index] :]
    else:
        new = text + ("" if not text or _BREAK.search(text[-1]) else newline) + added
    expected = {**read_back(text), "location": {"lat": float(number(entry.lat)), "lon": float(number(entry.lon))}}
    if read_back(new) != expected:
        raise ValueError("the edited file would not read back the same")
    return bom + new.encode("utf-8")


def read_back(text: str) -> Any:
    return parse_yaml(text.replace("\r\n", "\n").replace("\r", "\n"))[0]


def address_end(text: str) -> tuple[int, int]:
    """(index of the line after the address value, the address key's column), from libyaml's marks.

    The file has passed our loader (no aliases, no deep nesting), so composing it is safe.
    """
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if key.value == "address" and isinstance(value, yaml.MappingNode):
            if value.flow_style:
                end = value.end_mark
            else:
                end = max((node.end_mark for pair in value.value for node in pair), key=lambda m: (m.line, m.column))
            return (end.line if end.column == 0 else end.line + 1), key.start_mark.column
    raise ValueError("no address: mapping found")
