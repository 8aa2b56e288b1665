"""`geocode` against a real HTTP server on 127.0.0.1 that answers /search like Nominatim.

geopy is pointed at it through site.yaml's geocoding domain `geocoder.test` (a name reserved for
tests, never resolved: `geocode_content(pinned=...)` connects it to the server, treated as
public; the command line cannot pin), and scheme http; nothing leaves the machine. The server counts requests, records when each came and with which headers, and can
be told to fail (HTTP 500/503) or to be slower than the client's timeout.
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import HUB_YAML, SITE_YAML, TODAY, Run, run_main, scratch_content

from hubsite import cli, pipeline
from hubsite.commands.geocode import GeocodeReport, geocode_content, plan_lookups, run_lookups
from hubsite.commands.public import NO_PINS, NotPublic, Pins
from hubsite.content.reader import load_content
from hubsite.content.validate import validate_content
from hubsite.options import BuildOptions
from hubsite.pipeline import gather
from hubsite.problems import HubsiteError, Problem

NAIROBI_LINE = "location: {lat: -1.2864, lon: 36.8172}\n"
USER_AGENT = "hubsite-tests (tests@example.org)"
GEOCODER = "geocoder.test"


def place(name: str, lat: float, lon: float, country: str, importance: float = 0.5) -> dict:
    """One Nominatim search result (format=json), plus the country code the server filters on."""
    return {
        "place_id": abs(hash((name, lat, lon))) % 10**9,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "node",
        "osm_id": 1000 + int(abs(lat * 1000)),
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": "place",
        "type": "city",
        "place_rank": 16,
        "importance": importance,
        "addresstype": "city",
        "name": name.split(",")[0],
        "display_name": name,
        "boundingbox": [f"{lat - 0.1:.7f}", f"{lat + 0.1:.7f}", f"{lon - 0.1:.7f}", f"{lon + 0.1:.7f}"],
        "_country": country,
    }


ANSWERS = {
    "1 Main Street, Nairobi, Kenya": [place("Main Street, Nairobi, Nairobi County, Kenya", -1.2841, 36.8155, "ke", 0.31)],
    "Kakamega, Kenya": [place("Kakamega, Kakamega County, Western Kenya, Kenya", 0.2827, 34.7519, "ke", 0.52)],
    "Mombasa, Kenya": [place("Mombasa, Mombasa County, Coast, Kenya", -4.0435, 39.6682, "ke", 0.6)],
    "Kisumu, Kenya": [place("Kisumu, Kisumu County, Nyanza, Kenya", -0.0917, 34.768, "ke", 0.55)],
    "Nakuru, Kenya": [place("Nakuru, Nakuru County, Rift Valley, Kenya", -0.3031, 36.08, "ke", 0.5)],
    "Springfield, United States": [
        place("Springfield, Sangamon County, Illinois, United States", 39.7990, -89.6440, "us", 0.61),
        place("Springfield, Hampden County, Massachusetts, United States", 42.1015, -72.5898, "us", 0.6),
        place("Springfield, Greene County, Missouri, United States", 37.2090, -93.2923, "us", 0.58),
    ],
    "Paris, France": [
        place("Paris, Île-de-France, France métropolitaine, France", 48.8535, 2.3484, "fr", 0.88),
        place("Paris, Île-de-France, France", 48.8589, 2.3469, "fr", 0.65),  # the same place, another object
        place("Paris, Loir-et-Cher, France", 47.9, 1.2, "fr", 0.3),
    ],
    "Nairobi, Kenya": [place("Nairobi, Kenya", -1.2833, 36.8167, "ke", 0.7), place("Nairobi, Kenya (a hotel)", -1.29, 36.82, "ke", 0.69)],
    "Nowhere, Kenya": [],
}


@dataclass
class Seen:
    at: float
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeNominatim:
    """The server's state: canned answers, what it saw, and what to do to the next requests."""

    answers: dict[str, list[dict]]
    seen: list[Seen] = field(default_factory=list)
    script: list[int | str] = field(default_factory=list)  # per coming request: an HTTP status, or "slow"
    slow_seconds: float = 1.0
    port: int = 0

    @property
    def searches(self) -> list[str]:
        return [s.params.get("q", "") for s in self.seen]

    def domain(self) -> str:
        return GEOCODER

    @property
    def pin(self) -> Pins:
        return {(GEOCODER, 80): ("127.0.0.1", self.port)}

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        params = {key: values[-1] for key, values in parse_qs(url.query).items()}
        self.seen.append(Seen(time.monotonic(), url.path, params, dict(handler.headers.items())))
        action = self.script.pop(0) if self.script else None
        if url.path != "/search":
            return send(handler, 404, {"error": "not found"})
        if isinstance(action, int):
            return send(handler, action, {"error": {"code": action, "message": "Internal Server Error"}})
        if action == "slow":
            time.sleep(self.slow_seconds)
        send(handler, 200, self.search(params))

    def search(self, params: dict[str, str]) -> list[dict]:
        found = self.answers.get(params.get("q", ""), [])
        wanted = params.get("countrycodes", "").split(",")
        results = [dict(r) for r in found if not params.get("countrycodes") or r["_country"] in wanted][: int(params.get("limit", 10))]
        for result in results:
            del result["_country"]
            if params.get("format") == "jsonv2":
                result["category"] = result.pop("class")
        return results


def send(handler: BaseHTTPRequestHandler, status: int, body: object) -> None:
    data = json.dumps(body).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
        pass


@contextmanager
def nominatim(answers: dict[str, list[dict]] | None = None) -> Iterator[FakeNominatim]:
    state = FakeNominatim(answers if answers is not None else ANSWERS)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.respond(self)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server() -> Iterator[FakeNominatim]:
    with nominatim() as state:
        yield state


def site_yaml(server: FakeNominatim, **settings: object) -> str:
    values = {"domain": server.domain(), "scheme": "http", "user_agent": json.dumps(USER_AGENT), "min_delay_seconds": 0, "timeout_seconds": 2, "max_retries": 2, "error_wait_seconds": 0.05}
    values.update(settings)
    return SITE_YAML + "geocoding:\n  provider: nominatim\n" + "".join(f"  {key}: {value}\n" for key, value in values.items())


def street_warning(problem: Problem) -> bool:
    """The warning a hub without a street line earns: these hubs are found by their city on purpose."""
    return problem.severity == "warning" and problem.field == "address" and "no street line" in problem.message


def hub_at(city: str, line1: str | None = None) -> str:
    """The test hub with only an address (no location): what a partner sends."""
    address = f"{{line1: {line1}, city: {city}, country: KE}}" if line1 else f"{{city: {city}, country: KE}}"
    return HUB_YAML.replace(NAIROBI_LINE, "").replace("address: {line1: 1 Main Street, city: Nairobi, country: KE}", f"address: {address}")


def content_with(tmp_path: Path, server: FakeNominatim, hubs: dict[str, str], **settings: object) -> Path:
    files: dict[str, str | bytes] = {"site.yaml": site_yaml(server, **settings)}
    files.update({f"hubs/{slug}.yaml": text for slug, text in hubs.items()})
    root = scratch_content(tmp_path / "content", files, hub=False)
    (root / "hubs").mkdir(exist_ok=True)
    return root


def geocode(server: FakeNominatim | None, root: Path, *extra: str) -> Run:
    """`python build.py geocode` as cli.geocode runs it, with the test server pinned as public
    (None: nothing pinned, as on the command line)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            report = geocode_content(root, date.fromisoformat(TODAY), dry_run="--dry-run" in extra, write="--write" in extra, pinned=server.pin if server else NO_PINS)
        except HubsiteError as error:
            code = cli.report_failure(error, "nothing was looked up")
        else:
            for line in report.lines():
                cli.say(line)
            cli.print_problems(report.problems)
            cli.say(report.summary())
            code = 1 if report.problems else 0
    return Run(code, out.getvalue(), err.getvalue())


# --- the whole story ------------------------------------------------------------------------


def test_a_hub_with_only_an_address_is_geocoded_cached_and_then_builds_offline(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"example-hub": hub_at("Nairobi", "1 Main Street")})
    before = run_main("check", "--content", str(root), "--today", TODAY)
    assert before.code == 1 and "run `python build.py geocode`" in before.err

    result = geocode(server, root)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "found '1 Main Street, Nairobi, Kenya': -1.2841, 36.8155 (Main Street, Nairobi, Nairobi County, Kenya)",
        f"looked up 1 address in 1 request: 1 found; wrote {root / 'geocache.yaml'}",
    ]
    (request,) = server.seen
    assert request.path == "/search"
    assert request.params == {"q": "1 Main Street, Nairobi, Kenya", "format": "json", "limit": "5", "countrycodes": "ke"}
    assert request.headers["User-Agent"] == USER_AGENT
    assert (root / "geocache.yaml").read_text(encoding="utf-8") == (
        "# Coordinates found by `python build.py geocode`, by address text. Builds read this file and\n"
        "# never go online: commit it. Correct a wrong entry by hand, or delete it to look the address up again.\n"
        '"1 Main Street, Nairobi, Kenya":\n'
        "  lat: -1.2841\n"
        "  lon: 36.8155\n"
        '  display_name: "Main Street, Nairobi, Nairobi County, Kenya"\n'
        "  date: 2026-02-01\n"
    )
    server.answers = {}  # from here on the "network" knows nothing: builds must use the cache
    out = tmp_path / "site"
    built = run_main("build", "--content", str(root), "--out", str(out), "--today", TODAY)
    assert built.code == 0 and built.err == "", built.err
    assert len(server.seen) == 1  # the build asked nothing
    catalog, warnings = gather(BuildOptions(content_dir=root, today=date(2026, 2, 1)))
    hub = catalog.hub("example-hub")
    assert hub.location_from_cache and (hub.location.lat, hub.location.lon) == (-1.2841, 36.8155)
    assert warnings == []


def test_a_second_run_sends_no_requests(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"a-hub": hub_at("Kakamega"), "b-hub": hub_at("Mombasa")})
    assert geocode(server, root).code == 0
    assert len(server.seen) == 2
    cache = (root / "geocache.yaml").read_bytes()
    again = geocode(server, root)
    assert again.code == 0, again.err
    assert len(server.seen) == 2
    assert again.out.strip() == "looked up 0 addresses in 0 requests: 0 found"
    assert (root / "geocache.yaml").read_bytes() == cache


def test_the_cache_is_sorted_and_reads_back_through_the_loader(tmp_path: Path, server: FakeNominatim) -> None:
    hubs = {"a-hub": hub_at("Nakuru"), "b-hub": hub_at("Kakamega"), "c-hub": hub_at("Mombasa")}
    root = content_with(tmp_path, server, hubs)
    assert geocode(server, root).code == 0
    text = (root / "geocache.yaml").read_text(encoding="utf-8")
    keys = [line for line in text.splitlines() if line.startswith('"')]
    assert keys == ['"Kakamega, Kenya":', '"Mombasa, Kenya":', '"Nakuru, Kenya":']
    content, problems = validate_content(load_content(root), root)
    assert [p for p in problems if not street_warning(p)] == [] and content is not None
    assert content.geocache["Mombasa, Kenya"].lat == -4.0435


def test_hubs_sharing_an_address_are_looked_up_once(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"a-hub": hub_at("Kisumu"), "b-hub": hub_at("Kisumu")})
    assert geocode(server, root).code == 0
    assert server.searches == ["Kisumu, Kenya"]


# --- politeness: rate limit, retries, failures --------------------------------------------------


def test_requests_are_spaced_by_min_delay_seconds(tmp_path: Path, server: FakeNominatim) -> None:
    hubs = {f"hub-{i}": hub_at(city) for i, city in enumerate(("Kakamega", "Mombasa", "Kisumu", "Nakuru"))}
    root = content_with(tmp_path, server, hubs, min_delay_seconds=0.5)
    assert geocode(server, root).code == 0
    times = [s.at for s in server.seen]
    assert len(times) == 4
    # The limiter spaces the starts of requests; the server sees them arrive with a loaded machine's
    # jitter (a late arrival shortens the gap after it, never the time since the first), so the
    # check is each request's offset from the first: i pauses at least, less a jitter's worth.
    assert all(at - times[0] >= i * 0.5 - 0.2 for i, at in enumerate(times)), times


def test_timeouts_are_retried_with_a_doubling_pause(tmp_path: Path, server: FakeNominatim) -> None:
    server.script = ["slow", "slow"]
    server.slow_seconds = 6.0  # far past the timeout; the timeout itself leaves a busy machine time to answer the third try
    root = content_with(tmp_path, server, {"example-hub": hub_at("Kakamega")}, timeout_seconds=2.0, max_retries=3, error_wait_seconds=0.2)
    result = geocode(server, root)
    assert result.code == 0, result.err
    assert server.searches == ["Kakamega, Kenya"] * 3
    # (The gaps between the tries are not measured: on a loaded machine the server's clock readings jitter.)
    assert result.err.splitlines() == [
        "'Kakamega, Kenya': try 1 failed (GeocoderTimedOut: Service timed out); trying again in 0.2 s",
        "'Kakamega, Kenya': try 2 failed (GeocoderTimedOut: Service timed out); trying again in 0.4 s",
    ]


def test_a_503_is_retried_and_then_succeeds(tmp_path: Path, server: FakeNominatim) -> None:
    server.script = [503]
    root = content_with(tmp_path, server, {"example-hub": hub_at("Mombasa")})
    result = geocode(server, root)
    assert result.code == 0, result.err
    assert len(server.seen) == 2
    assert "'Mombasa, Kenya': try 1 failed (GeocoderTimedOut: " in result.err


def test_a_failing_service_is_reported_per_hub_and_given_up_on(tmp_path: Path, server: FakeNominatim) -> None:
    server.script = [500] * 100
    hubs = {f"hub-{i}": hub_at(city) for i, city in enumerate(("Kakamega", "Kisumu", "Mombasa", "Nakuru"))}
    root = content_with(tmp_path, server, hubs, max_retries=1)
    result = geocode(server, root)
    assert result.code == 1
    assert len(server.seen) == 3 * 2  # three addresses, two tries each, then it stops
    problems = [line for line in result.err.splitlines() if ".yaml:" in line]
    assert len(problems) == 4
    assert problems[0].startswith(f"{root / 'hubs/hub-0.yaml'}:3:10: address: the geocoder failed after 2 tries: GeocoderServiceError: ")
    assert problems[0].endswith("; run geocode again later")
    assert problems[3] == f"{root / 'hubs/hub-3.yaml'}:3:10: address: not looked up: the geocoder failed 3 times in a row; run geocode again later"
    assert not (root / "geocache.yaml").exists()


# --- answers: ambiguous, empty, dominant ------------------------------------------------------


def test_ambiguous_answers_are_reported_not_guessed(tmp_path: Path, server: FakeNominatim) -> None:
    springfield = hub_at("Springfield").replace("country: KE", "country: US")
    root = content_with(tmp_path, server, {"example-hub": springfield})
    result = geocode(server, root)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{root / 'hubs/example-hub.yaml'}:3:10: address: ambiguous: 3 different places match 'Springfield, United States' "
        "(Springfield, Sangamon County, Illinois, United States; Springfield, Hampden County, Massachusetts, United States; "
        "Springfield, Greene County, Missouri, United States); add line1 or postal_code to the address, or write location: {lat: ..., lon: ...} by hand"
    )
    assert not (root / "geocache.yaml").exists()


def test_an_empty_answer_is_reported(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"example-hub": hub_at("Nowhere")})
    result = geocode(server, root)
    assert result.code == 1
    assert f"{root / 'hubs/example-hub.yaml'}:3:10: address: no place found for 'Nowhere, Kenya'; check the address, or add line1" in result.err


def test_one_place_described_twice_or_a_far_more_important_one_is_taken(tmp_path: Path, server: FakeNominatim) -> None:
    paris = hub_at("Paris").replace("country: KE", "country: FR").replace("Africa/Nairobi", "Europe/Paris")
    nairobi = hub_at("Nairobi")  # two answers 800 m apart: one place
    root = content_with(tmp_path, server, {"paris": paris, "nairobi": nairobi})
    result = geocode(server, root)
    assert result.code == 0, result.err
    assert "found 'Paris, France': 48.8535, 2.3484" in result.out  # 0.88 against 0.3 for the other Paris
    assert "found 'Nairobi, Kenya': -1.2833, 36.8167" in result.out


def test_answers_are_restricted_to_the_hubs_country(tmp_path: Path, server: FakeNominatim) -> None:
    server.answers = {"Kakamega, Kenya": [place("Kakamega, Uganda?", 1.0, 32.0, "ug", 0.9)]}
    root = content_with(tmp_path, server, {"example-hub": hub_at("Kakamega")})
    result = geocode(server, root)
    assert result.code == 1 and "no place found for 'Kakamega, Kenya'" in result.err


# --- --dry-run and --write --------------------------------------------------------------------


def test_dry_run_sends_nothing_and_writes_nothing(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"a-hub": hub_at("Kakamega"), "b-hub": hub_at("Mombasa"), "c-hub": HUB_YAML})
    result = geocode(server, root, "--dry-run")
    assert result.code == 0, result.err
    assert server.seen == []
    assert not (root / "geocache.yaml").exists()
    assert result.out.splitlines() == [
        f"would look up 'Kakamega, Kenya' (countrycodes=ke) for {root / 'hubs/a-hub.yaml'}",
        f"would look up 'Mombasa, Kenya' (countrycodes=ke) for {root / 'hubs/b-hub.yaml'}",
        "2 addresses to look up; dry run: nothing was sent",
    ]


HAND_WRITTEN = """\
# Kakamega hub: sent in by the county library.
name: Kakamega Hub   # the name on the door
host: example-library
address:
  city: Kakamega     # not "Kakamega Town"
  country: KE
# Next: the schedule.
timezone: Africa/Nairobi
sessions:
  - course: Learning How to Learn
    starts: 2026-01-13
    ends: 2026-03-17
    day: tuesday
    time: 18:00-20:00
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_write_adds_the_location_after_the_address_and_keeps_every_other_byte(tmp_path: Path, server: FakeNominatim, newline: str, bom: bytes) -> None:
    root = content_with(tmp_path, server, {})
    original = bom + HAND_WRITTEN.replace("\n", newline).encode()
    (root / "hubs/kakamega.yaml").write_bytes(original)
    result = geocode(server, root, "--write")
    assert result.code == 0, result.err
    assert "added location: to 1 hub file" in result.out
    lines = original.split(newline.encode())
    expected = newline.encode().join([*lines[:6], b"location: {lat: 0.2827, lon: 34.7519}", *lines[6:]])
    assert (root / "hubs/kakamega.yaml").read_bytes() == expected
    check = run_main("check", "--content", str(root), "--today", TODAY)
    assert check.code == 0 and [line for line in check.lines if "no street line" not in line and "1 warning" not in line] == [], check.err


@pytest.mark.parametrize(
    ("address", "after"),
    [
        ("address: {city: Kakamega, country: KE}\n", "address: {city: Kakamega, country: KE}\nlocation: {lat: 0.2827, lon: 34.7519}\n"),
        ("address: {city: Kakamega,\n  country: KE}  # flow, two lines\n", "address: {city: Kakamega,\n  country: KE}  # flow, two lines\nlocation: {lat: 0.2827, lon: 34.7519}\n"),
        ("address:\n  city: Kakamega\n  country: KE\n\n", "address:\n  city: Kakamega\n  country: KE\nlocation: {lat: 0.2827, lon: 34.7519}\n\n"),
    ],
)
def test_write_handles_flow_and_block_addresses(tmp_path: Path, server: FakeNominatim, address: str, after: str) -> None:
    root = content_with(tmp_path, server, {})
    text = "name: Kakamega Hub\nhost: example-library\n" + address + "timezone: Africa/Nairobi\n"
    (root / "hubs/kakamega.yaml").write_text(text, encoding="utf-8")
    assert geocode(server, root, "--write").code == 0
    assert (root / "hubs/kakamega.yaml").read_text(encoding="utf-8") == text.replace(address, after)


def test_write_uses_the_cache_without_asking_again(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"example-hub": hub_at("Mombasa")})
    assert geocode(server, root).code == 0
    result = geocode(server, root, "--write")
    assert result.code == 0 and len(server.seen) == 1
    assert "location: {lat: -4.0435, lon: 39.6682}\n" in (root / "hubs/example-hub.yaml").read_text()


def test_write_leaves_an_empty_location_key_alone(tmp_path: Path, server: FakeNominatim) -> None:
    text = hub_at("Mombasa").replace("timezone:", "location:\ntimezone:")
    root = content_with(tmp_path, server, {"example-hub": text})
    result = geocode(server, root, "--write")
    assert result.code == 1
    assert f"{root / 'hubs/example-hub.yaml'}:4:1: location: is empty, so it was left alone: fill it in by hand from content/geocache.yaml" in result.err
    assert (root / "hubs/example-hub.yaml").read_text() == text


# --- refusals ---------------------------------------------------------------------------------


HOST_NAME_ONLY = "is not a host name: write the geocoder's name alone, like nominatim.openstreetmap.org (no https://, port, path or IP address: `scheme` says http or https)"


@pytest.mark.parametrize(
    ("domain", "error"),
    [
        ("nominatim.example.org", None),
        ("Nominatim.Example.ORG", None),
        ("xn--bcher-kva.example", None),
        ("127.0.0.1:18081/steal?x=", HOST_NAME_ONLY),
        ("nominatim.example.org:8080", HOST_NAME_ONLY),
        ("nominatim.example.org/search", HOST_NAME_ONLY),
        ("nominatim.example.org?q=x", HOST_NAME_ONLY),
        ("https://nominatim.example.org", HOST_NAME_ONLY),
        ("user:pass@nominatim.example.org", HOST_NAME_ONLY),
        ("nominatim.example.org.", HOST_NAME_ONLY),
        ("127.0.0.1", HOST_NAME_ONLY),
        ("2130706433", HOST_NAME_ONLY),
        ("0x7f.1", HOST_NAME_ONLY),
        ("0177.0.0.1", HOST_NAME_ONLY),
        ("169.254.169.254", HOST_NAME_ONLY),
        ("'[::1]'", HOST_NAME_ONLY),
        ("localhost", HOST_NAME_ONLY),
        ("-bad-.example.org", HOST_NAME_ONLY),
        ('"nominatim.example.org\\u0085x"', "must be a single line of text"),
    ],
)
def test_the_geocoding_domain_is_a_host_name_alone(tmp_path: Path, domain: str, error: str | None) -> None:
    root = scratch_content(tmp_path / "content", {"site.yaml": SITE_YAML + f"geocoding:\n  domain: {domain}\n"})
    result = run_main("check", "--content", str(root), "--today", TODAY)
    if error is None:
        assert result.code == 0, result.err
    else:
        assert result.code == 1
        assert result.lines[0].startswith(f"{root / 'site.yaml'}:8:11: geocoding.domain: ") and error in result.lines[0], result.lines


def test_the_public_server_is_known_however_its_name_is_written(tmp_path: Path) -> None:
    site = SITE_YAML + "geocoding:\n  domain: Nominatim.OpenStreetMap.org\n  min_delay_seconds: 0.5\n"
    result = run_main("check", "--content", str(scratch_content(tmp_path / "content", {"site.yaml": site})), "--today", TODAY)
    assert result.code == 1 and "geocoding.min_delay_seconds: Nominatim's usage policy allows at most 1 request per second" in result.err


def test_a_geocoder_that_resolves_to_this_machine_is_refused_before_any_request(tmp_path: Path, server: FakeNominatim) -> None:
    """What a geocoder name whose DNS answer is 127.0.0.1 amounts to: site.yaml could not say
    `localhost:PORT` (validation refuses it), so the setting is changed past validation here."""
    root = content_with(tmp_path, server, {"example-hub": hub_at("Kakamega")})
    content, _ = pipeline.validated(BuildOptions(content_dir=root, today=date.fromisoformat(TODAY)))
    assert content is not None
    for domain in (f"localhost:{server.port}", f"127.0.0.1:{server.port}"):
        settings = content.site.geocoding.model_copy(update={"domain": domain})
        report = GeocodeReport(plan_lookups(content.hubs, {}))
        with pytest.raises(NotPublic) as refusal:
            run_lookups(report.lookups, settings, date.fromisoformat(TODAY), report)
        assert str(refusal.value) == f"{domain.split(':')[0]}: points to a private or local address; nothing was sent to it"
        assert server.seen == [] and report.requests == 1  # one try, not retried


def test_the_public_server_is_never_asked_faster_than_once_a_second(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"example-hub": hub_at("Mombasa")}, domain="nominatim.openstreetmap.org", scheme="https", min_delay_seconds=0.5)
    result = geocode(server, root)
    assert result.code == 1
    assert "geocoding.min_delay_seconds: Nominatim's usage policy allows at most 1 request per second on the public server; set 1 or more" in result.err


def test_a_broken_cache_file_is_reported_not_overwritten(tmp_path: Path, server: FakeNominatim) -> None:
    root = content_with(tmp_path, server, {"example-hub": hub_at("Mombasa")})
    broken = '"Kakamega, Kenya":\n  lat: north\n  lon: 34.75\n'
    (root / "geocache.yaml").write_text(broken)
    result = geocode(server, root)
    assert result.code == 1 and server.seen == []
    assert "geocache.yaml:2:8: Kakamega, Kenya.lat: " in result.err
    assert (root / "geocache.yaml").read_text() == broken


def test_odd_characters_survive_the_cache_round_trip(tmp_path: Path, server: FakeNominatim) -> None:
    name = 'Rue "Ünïcode": #1, 北京\u2028next line\\ end'
    server.answers = {"Kakamega, Kenya": [place(name, 0.2827, 34.7519, "ke")]}
    root = content_with(tmp_path, server, {"example-hub": hub_at("Kakamega")})
    assert geocode(server, root).code == 0, (root / "geocache.yaml").read_text()
    loaded = load_content(root)
    assert loaded.geocache is not None and loaded.problems == []
    assert loaded.geocache.data["Kakamega, Kenya"]["display_name"] == name.replace("\u2028", " ")


def test_only_the_geocode_module_imports_geopys_network_side() -> None:
    import ast

    from conftest import ROOT

    network = ("geopy.geocoders", "geopy.adapters", "geopy.extra")
    offenders = []
    for path in sorted((ROOT / "hubsite").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if path.name != "geocode.py" and any(name == "geopy" or name.startswith(network) for name in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_a_build_never_loads_the_geocode_command(tmp_path: Path) -> None:
    """(geopy's own __init__ imports its geocoder classes for geopy.distance too; none is ever built.)"""
    import subprocess
    import sys

    from conftest import ROOT

    root = scratch_content(tmp_path / "content")
    script = (
        "import sys; from hubsite.cli import main; "
        f"code = main(['build', '--content', {str(root)!r}, '--out', {str(tmp_path / 'site')!r}, '--today', {TODAY!r}]); "
        "print(code, sorted(m for m in sys.modules if m.startswith(('hubsite.commands.geocode', 'geopy.extra'))))"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip().splitlines()[-1] == "0 []", proc.stdout + proc.stderr
