"""Scratch sites that several test folders build: hubs placed around Kenya, hubs with sessions
in zones with and without daylight saving, hubs whose names are hostile markup."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import jsonschema
from conftest import HUB_YAML, PARTNER_YAML, SITE_YAML, TODAY, run_main, scratch_content

from hubsite.content.schema import SCHEMA_DIR, file_name

# --- several hubs in Kenya, two hosts (incremental and reuse tests) -------------------------------

OTHER_PARTNER = PARTNER_YAML.replace("Example Library", "Other College").replace("kind: library", "kind: university")


def hub(name: str, city: str, lat: float, lon: float, host: str = "example-library") -> str:
    return (HUB_YAML.replace("Example Hub", name).replace("city: Nairobi", f"city: {city}")
            .replace("lat: -1.2864, lon: 36.8172", f"lat: {lat}, lon: {lon}").replace("host: example-library", f"host: {host}"))


HUBS = {
    "partners/other-college.yaml": OTHER_PARTNER,
    "hubs/mombasa.yaml": hub("Mombasa Hub", "Mombasa", -4.04, 39.67),
    "hubs/kisumu.yaml": hub("Kisumu Hub", "Kisumu", -0.09, 34.77, host="other-college"),
    "hubs/nakuru.yaml": hub("Nakuru Hub", "Nakuru", -0.30, 36.07),
    "hubs/eldoret.yaml": hub("Eldoret Hub", "Eldoret", 0.51, 35.27, host="other-college"),
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


# A second group for Mombasa's record (its first ends the file): the course Kisumu's full group runs, online.
LAST_YEAR_GROUP = "  - course: Introduction to Statistics\n    starts: 2025-09-02\n    ends: 2025-11-25\n    day: tuesday\n    time: 18:00-20:00\n"
FAR_GROUP = "  - course: Learning How to Learn\n    starts: 2026-01-14\n    ends: 2026-03-18\n    day: wednesday\n    time: 18:00-20:00\n    mode: online\n"


def every_kind_of_edit(content: Path, templates: Path) -> list[tuple[str, Callable[[], None]]]:
    """One edit of each kind that a rebuild reusing earlier work must see, on HUBS (with
    pages/about.md in the navigation) and a copy of the templates, in order. The builds that
    reuse (serve's store in memory, build's on disk) must give after each what a fresh build gives."""
    return [
        ("hub summary", lambda: edit(content / "hubs/eldoret.yaml", "summary: Weekly study groups.", "summary: Saturdays too.")),
        # The sitemap dates a hub's pages by last_verified: the paths stay, the publishing files change.
        ("hub confirmed", lambda: edit(content / "hubs/eldoret.yaml", "summary: Saturdays too.", "summary: Saturdays too.\nlast_verified: 2026-01-20")),
        ("hub's own texts", lambda: edit(content / "hubs/eldoret.yaml", "  We meet **every week**.\nfacilitators:\n  - {name: Amina Otieno, bio: Teacher.}",
                                         "  We meet **on Saturdays**.\nfacilitators:\n  - {name: Amina Otieno, bio: Librarian.}\ncontact: {email: eldoret@example.org}")),
        # Kisumu's full group points to the course's other groups: Mombasa's, once online (far away, on no map of
        # Kisumu's page), until it closes. An online-only hub is no pin and no one's neighbour: the map's points change.
        ("group full", lambda: edit(content / "hubs/kisumu.yaml", "    capacity: 20\n", "    capacity: 20\n    signup: full\n")),
        ("group goes online", lambda: edit(content / "hubs/mombasa.yaml", "    capacity: 20\n", "    capacity: 20\n    mode: online\n")),
        ("other group closed", lambda: edit(content / "hubs/mombasa.yaml", "    capacity: 20\n", "    capacity: 20\n    signup: closed\n")),
        ("partner renamed", lambda: edit(content / "partners/other-college.yaml", "name: Other College", "name: Renamed Polytechnic")),
        ("hub moved", lambda: edit(content / "hubs/nakuru.yaml", "lat: -0.3, lon: 36.07", "lat: 0.05, lon: 37.65")),
        ("session time", lambda: edit(content / "hubs/kisumu.yaml", "time: 18:00-20:00", "time: 17:00-19:00")),
        # 'C#' sorts before 'C++' and takes the slug 'c': the course page Mombasa links to becomes 'c-2'.
        ("course slugs", lambda: edit(content / "hubs/mombasa.yaml", "course: Learning How to Learn", "course: C++")),
        ("course slugs", lambda: edit(content / "hubs/nakuru.yaml", "course: Learning How to Learn", "course: C#")),
        # Mombasa no longer offers Kisumu's full course, so Kisumu's page does not read it as a hub: the
        # course's new online group reaches Kisumu's page through the course alone.
        ("far hub's new group of a full course", lambda: append(content / "hubs/mombasa.yaml", FAR_GROUP)),
        # A group of the year before: every calendar's VTIMEZONE for the zone now starts that year.
        ("group of the year before", lambda: append(content / "hubs/kisumu.yaml", LAST_YEAR_GROUP)),
        # A zone with summer time: its VTIMEZONE states each change until the last year a group meets.
        ("hub in a zone with summer time", lambda: (content / "hubs/prague.yaml").write_text(scheduled_hub(session_yaml(), place=PRAGUE, name="Prague Hub"))),
        ("group into the next year", lambda: edit(content / "hubs/prague.yaml", "ends: 2026-04-28", "ends: 2027-04-27")),
        ("page title (navigation)", lambda: edit(content / "pages/about.md", "title: About", "title: About us")),
        ("site title", lambda: edit(content / "site.yaml", "title: Test Hubs", "title: Renamed Hubs")),
        ("template", lambda: edit(templates / "partials/footer.html", "<footer", "<footer data-edited")),
        ("partner without hubs", lambda: (content / "partners/new-partner.yaml").write_text(PARTNER_YAML.replace("Example Library", "New Partner"))),
        ("hub added", lambda: (content / "hubs/naivasha.yaml").write_text(hub("Naivasha Hub", "Naivasha", -0.72, 36.43, host="new-partner"))),
        # Nairobi gets a second hub: the country page gets a city to follow, with its own files.
        ("second hub in a city", lambda: (content / "hubs/nairobi-west.yaml").write_text(hub("Nairobi West Hub", "Nairobi", -1.30, 36.76))),
        ("hub removed", lambda: (content / "hubs/kisumu.yaml").unlink()),
        ("hub renamed (a neighbour's map)", lambda: edit(content / "hubs/nakuru.yaml", "name: Nakuru Hub", "name: Nakuru Learning Hub")),
        # The hubs near Nakuru name it on their pages in each page's language: a name that changes in
        # one language only (its default stays) changes their French pages.
        ("hub named in two languages", lambda: edit(content / "hubs/nakuru.yaml", "name: Nakuru Learning Hub", "name: {en: Nakuru Learning Hub, fr: Centre de Nakuru}")),
        ("hub renamed in one language", lambda: edit(content / "hubs/nakuru.yaml", "fr: Centre de Nakuru", "fr: Maison du savoir de Nakuru")),
        ("file of content/static", lambda: (content / "static").mkdir() or (content / "static/robots-extra.txt").write_text("hello\n")),
    ]


# --- hubs with sessions in chosen places and zones (calendars, schedules, feeds, times) ----------

PRAGUE = {"city": "Prague", "country": "CZ", "zone": "Europe/Prague", "lat": 50.0875, "lon": 14.4213}
SANTIAGO = {"city": "Santiago", "country": "CL", "zone": "America/Santiago", "lat": -33.4489, "lon": -70.6693}
KOLKATA = {"city": "Kolkata", "country": "IN", "zone": "Asia/Kolkata", "lat": 22.5726, "lon": 88.3639}
KYIV = {"city": "Kyiv", "country": "UA", "zone": "Europe/Kyiv", "lat": 50.4501, "lon": 30.5234}


def session_yaml(course: str = "Learning How to Learn", starts: str = "2026-03-03", ends: str = "2026-04-28", when: str = "day: tuesday", extra: str = "") -> str:
    text = f"  - course: {json.dumps(course)}\n    starts: {starts}\n    ends: {ends}\n    {when}\n    time: 18:00-20:00\n"
    return text + "".join(f"    {line}\n" for line in extra.splitlines())


def scheduled_hub(*sessions: str, place: dict | None = None, name: str = "Example Hub", extra: str = "") -> str:
    """A hub record at `place` (a dict like PRAGUE) with the given session blocks."""
    p = place or PRAGUE
    head = (
        f"name: {json.dumps(name)}\nhost: example-library\n"
        f"address: {{line1: 1 Main Street, city: {json.dumps(p['city'])}, country: {p['country']}}}\n"
        f"location: {{lat: {p['lat']}, lon: {p['lon']}}}\ntimezone: {p['zone']}\nsignup_url: https://example.org/signup\n{extra}"
    )
    return head + ("sessions:\n" + "".join(sessions) if sessions else "")


def build(root: Path, hubs: dict[str, str], *args: str, today: str = TODAY, site_yaml: str | None = None) -> Path:
    """Build a scratch site (in this process) with the given hubs; return the site folder."""
    files: dict[str, str | bytes] = {f"hubs/{slug}.yaml": text for slug, text in hubs.items()}
    if site_yaml:
        files["site.yaml"] = site_yaml
    content = scratch_content(root / "content", files, hub=False)
    out = root / "site"
    result = run_main("build", "--content", str(content), "--out", str(out), "--today", today, *args)
    assert result.code == 0, result.err
    return out


# --- hubs by name and place (maps; the names may be hostile markup) -------------------------------

XSS_SCRIPT = "</script><script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def placed_hub(name: str, city: str = "Nairobi", country: str = "KE", lat: float = -1.2864, lon: float = 36.8172, extra: str = "") -> str:
    """HUB_YAML with another name and place (names are quoted as YAML strings)."""
    text = HUB_YAML.replace("name: Example Hub", "name: " + json.dumps(name)).replace("city: Nairobi", "city: " + json.dumps(city))
    text = text.replace("country: KE", f"country: {country}").replace("{lat: -1.2864, lon: 36.8172}", f"{{lat: {lat}, lon: {lon}}}")
    return text.replace("timezone: Africa/Nairobi\n", "") + textwrap.dedent(extra)


# --- the published JSON Schema ---------------------------------------------------------------------

def validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / file_name(kind)).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# --- a partner's network: five hubs, ten groups still to meet (the framed lists, the partner kit) -

NETWORK_PLACES = [
    ("Prague Library Hub", PRAGUE), ("Santiago Community Hub", SANTIAGO), ("Kolkata Learning Centre", KOLKATA),
    ("Kyiv Reading Room", KYIV), ("Old Town Library", {**PRAGUE, "lat": 50.0870, "lon": 14.4206}),
]
NETWORK_COURSES = ["Learning How to Learn", "The Science of Well-Being", "Financial Markets", "Introduction to Public Speaking", "Machine Learning"]


def network(languages: str = "[en, ar, zh-Hans]") -> dict[str, str]:
    """Content files (for scratch_content, on its site and partner) of a partner with five hubs in
    four countries, two groups each still to meet (one under way, one upcoming), and at the first
    hub a group that has ended, which no list of groups shows."""
    files = {"site.yaml": SITE_YAML.replace("language: en", f"languages: {languages}")}
    for number, (name, place) in enumerate(NETWORK_PLACES):
        slug = name.lower().replace(" ", "-")
        sessions = [session_yaml(NETWORK_COURSES[number], "2026-01-13", "2026-04-28", "day: tuesday", "language: en"),
                    session_yaml(NETWORK_COURSES[(number + 1) % 5], "2026-03-05", "2026-05-28", "days: [thursday, saturday]", "language: es")]
        if number == 0:
            sessions.append(session_yaml("Ended Course", "2025-09-02", "2025-12-16", "day: tuesday"))
        files[f"hubs/{slug}.yaml"] = scheduled_hub(*sessions, place=place, name=name)
    return files
