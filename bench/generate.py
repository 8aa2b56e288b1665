"""Write a synthetic but realistic content directory of N learning hubs, for benchmarks.

    python bench/generate.py N OUTDIR [--courses 5000] [--far 0.25] [--words 600]
                                      [--partners-per-hub 5] [--languages 9] [--groups 0.3]

or, from Python (with the repository root on sys.path):

    from bench.generate import write_content
    write_content(10_000, Path("/dev/shm/content-10000"))

What it writes (all valid against the content format of design.md):

- OUTDIR/site.yaml with the design's keys, base_url https://example.org/hubs/;
- OUTDIR/partners/partner-0001.yaml ...: one partner per 20 hubs, kinds in turn;
- OUTDIR/hubs/hub-00001.yaml ...: every field of a hub record, a ~150-word Markdown
  description, 1-2 facilitators and 2-4 sessions of courses from a pool of 40;
- OUTDIR/pages/about.md.

Deterministic: every hub and partner draws from its own random.Random seeded by its
number, never the clock, so the same N gives byte-identical files and the first 100 hubs
of N=1000 are the hubs of N=100. `hub_record(i)` and `partner_record(j)` give the same
records as plain data (dates as datetime.date), which bench/run.py feeds to Hugo.

YAML is written directly: every free text is a JSON string (a valid YAML double-quoted
scalar, so `NO`, `on`, `18:00` stay text for any YAML reader), dates are plain ISO dates,
the description is a literal block.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from json.encoder import encode_basestring as quote  # json.dumps(str, ensure_ascii=False): a YAML double-quoted scalar
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 22)
HUBS_PER_PARTNER = 20
MARKER = ".bench-generated"
JITTER_DEGREES = 0.19
_PLASTIC = 1.32471795724474602596
_R2 = (1 / _PLASTIC, 1 / _PLASTIC**2)

# (country, city, lat, lon, IANA time zone, languages): real places, real zones.
PLACES = (
    ("IQ", "Baghdad", 33.3152, 44.3661, "Asia/Baghdad", ("ar", "en")),
    ("AR", "Buenos Aires", -34.6037, -58.3816, "America/Argentina/Buenos_Aires", ("es",)),
    ("EG", "Cairo", 30.0444, 31.2357, "Africa/Cairo", ("ar", "en")),
    ("EG", "Alexandria", 31.2001, 29.9187, "Africa/Cairo", ("ar",)),
    ("IN", "Chennai", 13.0827, 80.2707, "Asia/Kolkata", ("ta", "en")),
    ("IN", "Mumbai", 19.0760, 72.8777, "Asia/Kolkata", ("hi", "mr", "en")),
    ("VN", "Hanoi", 21.0285, 105.8542, "Asia/Ho_Chi_Minh", ("vi", "en")),
    ("FI", "Helsinki", 60.1699, 24.9384, "Europe/Helsinki", ("fi", "sv", "en")),
    ("SS", "Juba", 4.8594, 31.5713, "Africa/Juba", ("en", "ar")),
    ("UA", "Kyiv", 50.4501, 30.5234, "Europe/Kyiv", ("uk", "en")),
    ("BO", "La Paz", -16.4897, -68.1193, "America/La_Paz", ("es", "ay", "qu")),
    ("PE", "Lima", -12.0464, -77.0428, "America/Lima", ("es",)),
    ("PH", "Manila", 14.5995, 120.9842, "Asia/Manila", ("fil", "en")),
    ("US", "Mountain View", 37.3861, -122.0839, "America/Los_Angeles", ("en", "es")),
    ("US", "New York", 40.7128, -74.0060, "America/New_York", ("en", "es")),
    ("KH", "Phnom Penh", 11.5564, 104.9282, "Asia/Phnom_Penh", ("km", "en")),
    ("HT", "Port-au-Prince", 18.5944, -72.3074, "America/Port-au-Prince", ("ht", "fr")),
    ("MU", "Port Louis", -20.1609, 57.5012, "Indian/Mauritius", ("en", "fr")),
    ("CZ", "Prague", 50.0755, 14.4378, "Europe/Prague", ("cs", "en")),
    ("CL", "Santiago", -33.4489, -70.6693, "America/Santiago", ("es",)),
    ("KR", "Seoul", 37.5665, 126.9780, "Asia/Seoul", ("ko", "en")),
    ("CN", "Shanghai", 31.2304, 121.4737, "Asia/Shanghai", ("zh-Hans", "en")),
    ("GE", "Tbilisi", 41.7151, 44.8271, "Asia/Tbilisi", ("ka", "en")),
    ("KE", "Kakamega", 0.2827, 34.7519, "Africa/Nairobi", ("en", "sw")),
    ("KE", "Nairobi", -1.2921, 36.8219, "Africa/Nairobi", ("en", "sw")),
    ("TT", "Port of Spain", 10.6549, -61.5019, "America/Port_of_Spain", ("en",)),
    ("NO", "Oslo", 59.9139, 10.7522, "Europe/Oslo", ("nb", "en")),
    ("NG", "Lagos", 6.5244, 3.3792, "Africa/Lagos", ("en", "yo")),
    ("GH", "Accra", 5.6037, -0.1870, "Africa/Accra", ("en",)),
    ("ID", "Jakarta", -6.2088, 106.8456, "Asia/Jakarta", ("id", "en")),
    ("MX", "Mexico City", 19.4326, -99.1332, "America/Mexico_City", ("es",)),
    ("BR", "São Paulo", -23.5505, -46.6333, "America/Sao_Paulo", ("pt-BR",)),
    ("CO", "Bogotá", 4.7110, -74.0721, "America/Bogota", ("es",)),
    ("PL", "Kraków", 50.0647, 19.9450, "Europe/Warsaw", ("pl", "en")),
    ("IS", "Reykjavík", 64.1466, -21.9426, "Atlantic/Reykjavik", ("is", "en")),
    ("JP", "Tokyo", 35.6762, 139.6503, "Asia/Tokyo", ("ja", "en")),
    ("BD", "Dhaka", 23.8103, 90.4125, "Asia/Dhaka", ("bn", "en")),
    ("PK", "Karachi", 24.8607, 67.0011, "Asia/Karachi", ("ur", "en")),
    ("ET", "Addis Ababa", 8.9806, 38.7578, "Africa/Addis_Ababa", ("am", "en")),
    ("UG", "Kampala", 0.3476, 32.5825, "Africa/Kampala", ("en", "lg")),
    ("SN", "Dakar", 14.7167, -17.4677, "Africa/Dakar", ("fr", "wo")),
    ("MA", "Casablanca", 33.5731, -7.5898, "Africa/Casablanca", ("ar", "fr")),
    ("JO", "Amman", 31.9539, 35.9106, "Asia/Amman", ("ar", "en")),
    ("TR", "Istanbul", 41.0082, 28.9784, "Europe/Istanbul", ("tr", "en")),
    ("DE", "Berlin", 52.5200, 13.4050, "Europe/Berlin", ("de", "en")),
    ("PT", "Lisbon", 38.7223, -9.1393, "Europe/Lisbon", ("pt", "en")),
    ("NZ", "Auckland", -36.8485, 174.7633, "Pacific/Auckland", ("en", "mi")),
    ("CA", "Toronto", 43.6532, -79.3832, "America/Toronto", ("en", "fr")),
    ("ZA", "Cape Town", -33.9249, 18.4241, "Africa/Johannesburg", ("en", "af", "xh")),
    ("RW", "Kigali", -1.9441, 30.0619, "Africa/Kigali", ("rw", "en", "fr")),
    ("NP", "Kathmandu", 27.7172, 85.3240, "Asia/Kathmandu", ("ne", "en")),
)

# (course name, Coursera slug)
COURSES = (
    ("Learning How to Learn", "learning-how-to-learn"),
    ("Machine Learning", "machine-learning"),
    ("Introduction to Public Speaking", "public-speaking"),
    ("Financial Markets", "financial-markets-global"),
    ("The Science of Well-Being", "the-science-of-well-being"),
    ("Programming for Everybody (Getting Started with Python)", "python"),
    ("English for Career Development", "careerdevelopment"),
    ("Introduction to Psychology", "introduction-psych"),
    ("Foundations of Project Management", "project-management-foundations"),
    ("Technical Support Fundamentals", "technical-support-fundamentals"),
    ("Data Science Math Skills", "datasciencemathskills"),
    ("Writing in the Sciences", "sciwrite"),
    ("Successful Negotiation: Essential Strategies and Skills", "negotiation"),
    ("Model Thinking", "model-thinking"),
    ("Introduction to Philosophy", "philosophy"),
    ("Understanding Research Methods", "research-methods"),
    ("Mindshift: Break Through Obstacles to Learning", "mindshift"),
    ("Introduction to Marketing", "wharton-marketing"),
    ("Fundamentals of Graphic Design", "fundamentals-of-graphic-design"),
    ("Global Health: An Interdisciplinary Overview", "global-health-overview"),
    ("Algorithms, Part I", "algorithms-part1"),
    ("HTML, CSS, and Javascript for Web Developers", "html-css-javascript-for-web-developers"),
    ("Introduction to Statistics", "stanford-statistics"),
    ("Excel Skills for Business: Essentials", "excel-essentials"),
    ("Think Again I: How to Understand Arguments", "understanding-arguments"),
    ("Introduction to Financial Accounting", "wharton-accounting"),
    ("The Data Scientist's Toolbox", "data-scientists-tools"),
    ("Creative Writing: The Craft of Plot", "craft-of-plot"),
    ("Chinese for Beginners", "learn-chinese"),
    ("Grammar and Punctuation", "grammar-punctuation"),
    ("First Step Korean", "learn-korean"),
    ("AI For Everyone", "ai-for-everyone"),
    ("Foundations of Teaching for Learning", "foundations-of-teaching-for-learning-introduction"),
    ("Introduction to Sustainability", "sustainability"),
    ("Moralities of Everyday Life", "moralities"),
    ("Social Psychology", "socialpsychology"),
    ("Entrepreneurship: Launching an Innovative Business", "innovation-development"),
    ("Climate Change & Health: From Science to Action", "climate-change-and-health"),
    ("Web Design: Strategy & Information Architecture", "web-design-strategy"),
    ("Human Rights for Open Societies", "human-rights"),
)

PARTNER_KINDS = ("library", "embassy", "government", "university", "school", "nonprofit", "company")
FACILITIES = ("wifi", "computers", "wheelchair-access", "quiet-room", "childcare", "printing")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

PARTNER_NAMES = {
    "library": ("{city} Public Library", "{city} City Library", "National Library, {city}"),
    "embassy": ("U.S. Embassy {city}", "American Spaces {city}", "Embassy Cultural Section, {city}"),
    "government": ("{city} Ministry of Education", "{city} Digital Skills Agency", "Department of Youth & Labour, {city}"),
    "university": ("University of {city}", "{city} Technical University", "{city} Open University"),
    "school": ("{city} International School", "{city} Secondary School No. 4", "{city} Community College"),
    "nonprofit": ("{city} Digital Skills Foundation", "Learn Together {city}", "{city} Youth Education Trust"),
    "company": ("{city} Tech Hub Ltd.", "{city} Coworking Co.", "Bright Futures {city} Inc."),
}
HUB_PLACES = {
    "library": ("Central Library", "Branch Library", "Library Learning Commons", "Reading Room"),
    "embassy": ("American Corner", "American Center", "Information Resource Center", "Window on America"),
    "government": ("Civic Learning Centre", "Community Service Centre", "Youth Employment Centre"),
    "university": ("Campus Learning Lab", "Faculty of Education", "Student Centre"),
    "school": ("Evening Study Hall", "Computer Lab", "Adult Learning Wing"),
    "nonprofit": ("Community Learning Centre", "Women's Learning Circle", "Neighbourhood Hub"),
    "company": ("Innovation Lab", "Coworking Space", "Makerspace"),
}
DISTRICTS = (
    "Old Town", "Riverside", "North", "Eastgate", "City Centre", "Westside", "Hillcrest", "Harbour", "University District",
    "Market Quarter", "Garden City", "Airport Road", "South", "New Town", "Lakeside", "Station",
)
STREETS = (
    "Main Street", "Station Road", "Avenida Central", "Rue de la République", "Calle Mayor", "Rua Augusta",
    "Ulica Długa", "Market Street", "University Avenue", "Church Road", "Jalan Merdeka", "Independence Avenue",
    "Riverside Drive", "Nguyen Du Street", "Harbour Road", "Kingsway", "Boulevard Mohammed V", "Liberty Square",
)
FIRST_NAMES = (
    "Amina", "Carlos", "Nguyen Thi", "Olga", "Priya", "Tomás", "Fatima", "Kwame", "Mei", "Joon-ho", "Ingrid",
    "Aroha", "Mariam", "José", "Ana", "Tendai", "Sofía", "Raj", "Elif", "Lucía", "Oluwaseun", "Hana", "Pierre",
    "Aisha", "Mateo", "Nino", "Bilal", "Chloé", "Dawit", "Siobhan",
)
LAST_NAMES = (
    "Okafor", "García", "Lan", "Kovalenko", "Raman", "Novák", "El-Sayed", "Mensah", "Chen", "Park", "Hansen",
    "Ngata", "Haddad", "Quispe", "Silva", "Moyo", "Rodríguez", "Iyer", "Yılmaz", "Fernández", "Adeyemi", "Sato",
    "Dubois", "Abubakar", "Rojas", "Beridze", "Khan", "Martin", "Tesfaye", "O'Brien",
)
BIOS = (
    "Lecturer in economics and a Coursera alumna.",
    "Librarian who has run study groups since 2014.",
    "Software developer and volunteer mentor.",
    "Secondary-school teacher of mathematics.",
    "Graduate student in public health.",
    "Career counsellor at the host organisation.",
    "Former engineer, now teaching digital skills.",
)
SUMMARIES = (
    "Weekly study groups for online courses, with a facilitator and free wifi.",
    "Take a Coursera course with others: meet once a week, learn together.",
    "Evening and weekend learning circles, open to everyone.",
    "Free meeting space, computers and a local facilitator for online learners.",
    "Study online courses in a group, in your own language.",
)
OPENERS = (
    "The {name} welcomes anyone taking an online course who would rather not study alone.",
    "At the {name}, learners meet every week to work through online courses together.",
    "Hosted by {host}, this hub brings online learners in {city} together in one room.",
    "Since it opened, the {name} has helped hundreds of people in {city} finish their courses.",
)
MIDDLES = (
    "Each group has a **local facilitator** who keeps the pace, answers questions and helps when a week's videos feel hard.",
    "Groups watch the week's lectures at home and meet here to discuss them, solve the exercises and prepare the **peer-graded assignments**.",
    "Meetings are informal: bring your questions, your notes and your laptop if you have one, and the group will do the rest.",
    "You do not need any background: most members are **first-time online learners**, students, job seekers and working adults.",
)
CLOSERS = (
    "The room is quiet, the connection is reliable and there is tea in the afternoon.",
    "Many members say the weekly meeting is what finally got them to the certificate.",
    "Facilitators are volunteers trained by the host, and every session is free of charge.",
    "Groups stay small so that everyone has time to speak and ask for help.",
)
BRING = (
    "a notebook and a pen",
    "your Coursera login",
    "a laptop or tablet, if you have one (computers can be booked)",
    "headphones for the lecture videos",
    "a photo ID for the building's front desk",
    "questions from the week's quiz",
)
SECOND = (
    "To join, create a free account, enrol in the course and then register on our [sign-up page]({signup}). "
    "Places are limited, so **register early**; if a group is full you will be told when the next one starts.",
    "Enrol in the course first, then tell us which group you want on the [sign-up page]({signup}). "
    "We confirm every registration by e-mail within a week, and **there is no fee** for any session.",
    "Registration for the next term is open on the [sign-up page]({signup}). "
    "If you need help enrolling, come to any meeting **fifteen minutes early** and a facilitator will set you up.",
)

SITE_YAML = """\
title: "Learning Hubs"
tagline: "Take an online course together, in person, near you."
base_url: "https://example.org/hubs/"
language: "en"
contact_email: "hubs@example.org"
host_application_url: "https://example.org/apply"
repository: "https://github.com/example/learning-hubs"
map:
  tiles: "OpenStreetMap.Mapnik"
  center: [20, 0]
  zoom: 2
geocoding:
  provider: "nominatim"
  domain: "nominatim.openstreetmap.org"
  scheme: "https"
  user_agent: "learning-hubs-directory (hubs@example.org)"
  min_delay_seconds: 1
"""

ABOUT_MD = """\
---
title: "About the learning hubs"
nav: 1
summary: "What a learning hub is and who runs them."
---
A **learning hub** is a place where people taking online courses meet every week
with a local facilitator: a library, a school, a university campus, an embassy's
American Space or a community centre.

This directory is generated for benchmarks: {n:,} hubs hosted by {p:,} partners.

- Find a hub near you on the [map](https://example.org/hubs/).
- Ask a host about sign-up, schedules and facilities.
- Want to host one? See [how to apply](https://example.org/apply).
"""


@dataclass(frozen=True)
class Shape:
    """Other shapes of directory than the default one (which these defaults give, byte for byte)."""

    courses: int = 0  # distinct course names in the pool; 0: the 40 real courses
    far: float = 0.0  # share of hubs whose point lies 2-4 degrees from their city: imprecise, islands, deserts
    words: int = 0  # description length in words; 0: about 145
    partners_per_hub: int = 2  # the most co-partners a hub has
    languages: int = 1  # the site's languages: the first N of the bundled site's nine
    groups: float = 0.0  # share of sessions online or hybrid, full, waitlisted or closing, with a last day to join

    def course_pool(self) -> tuple[tuple[str, str], ...]:
        if self.courses <= len(COURSES):
            return COURSES if not self.courses else COURSES[: self.courses]
        return tuple((f"{COURSES[k % len(COURSES)][0]}, part {k // len(COURSES) + 1}", f"{COURSES[k % len(COURSES)][1]}-{k // len(COURSES) + 1}") for k in range(self.courses))


DEFAULT_SHAPE = Shape()
# The shapes the benchmarks run on: this generator's default, and the directory of issue 17 (thousands
# of distinct courses, a quarter of the hubs far from any town, long texts, many co-partners).
SHAPES = {"default": DEFAULT_SHAPE, "hard": Shape(courses=5000, far=0.25, words=600, partners_per_hub=5),
          "groups": Shape(courses=5000, far=0.25, words=600, partners_per_hub=5, groups=0.3)}
SITE_LANGUAGES = ("en", "es", "fr", "ar", "zh-Hans", "ru", "uk", "ko", "vi")


def hub_slug(i: int) -> str:
    return f"hub-{i:05d}"


def partner_id(j: int) -> str:
    return f"partner-{j:04d}"


def partner_count(n: int) -> int:
    return max(1, -(-n // HUBS_PER_PARTNER))


def partner_of(i: int) -> int:
    """The number of the partner that hosts hub i (1-based): 20 hubs each."""
    return (i - 1) // HUBS_PER_PARTNER + 1


def _partner_place(j: int) -> tuple:
    return PLACES[random.Random(f"partner-place-{j}").randrange(len(PLACES))]


def partner_record(j: int) -> dict[str, Any]:
    rng = random.Random(f"partner-{j}")
    kind = PARTNER_KINDS[(j - 1) % len(PARTNER_KINDS)]
    city = _partner_place(j)[1]
    name = rng.choice(PARTNER_NAMES[kind]).format(city=city)
    pid = partner_id(j)
    description = (
        f"{name} hosts learning hubs in and around {city}.\n\n"
        f"It offers **free meeting space**, internet access and trained facilitators. "
        f"Read more on [its website](https://{pid}.example.org/about).\n"
    )
    return {"name": name, "kind": kind, "website": f"https://{pid}.example.org/", "description": description}


def hub_record(i: int, shape: Shape = DEFAULT_SHAPE) -> dict[str, Any]:
    """The record of hub number i (1-based), as plain data in the order it is written."""
    rng = random.Random(i)
    host_j = partner_of(i)
    host = partner_record(host_j)
    kind = host["kind"]
    place = _partner_place(host_j) if rng.random() < 0.6 else rng.choice(PLACES)
    country, city, lat, lon, tz, languages = place
    name = f"{city} {rng.choice(HUB_PLACES[kind])} ({rng.choice(DISTRICTS)})"
    slug = hub_slug(i)
    others = [j for j in range(1, host_j) if j != host_j]
    wanted = rng.choice((0, 0, 1, 1, 2)) if shape.partners_per_hub == 2 else rng.randint(0, shape.partners_per_hub)
    partners = [partner_id(j) for j in sorted(rng.sample(others, min(len(others), wanted)))]
    facilities = [f for f in FACILITIES if f == "wifi" or rng.random() < 0.4]
    signup = f"https://example.org/signup/{slug}"

    facilitators = []
    for _ in range(rng.choice((1, 1, 2))):
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if all(person != f["name"] for f in facilitators):
            facilitators.append({"name": person, "bio": rng.choice(BIOS)} if rng.random() < 0.7 else {"name": person})

    sessions = []
    for course, course_slug in rng.sample(shape.course_pool(), rng.randint(2, 4)):
        sessions.append(session_record(rng, course, course_slug, languages, facilitators))
    if shape.groups:
        sessions = [group_terms(random.Random(i * 131 + k), session, shape.groups) for k, session in enumerate(sessions)]

    words = {"name": name, "host": host["name"], "city": city, "signup": signup}
    bring = rng.sample(BRING, 3)
    body = " ".join((rng.choice(OPENERS), *rng.sample(MIDDLES, 2), *rng.sample(CLOSERS, 2)))
    while shape.words and len(body.split()) < shape.words - 40:
        body += " " + " ".join(rng.sample(MIDDLES, 2))
    description = (
        body.format(**words)
        + "\n\nWhat to bring:\n\n"
        + "".join(f"- {item}\n" for item in bring)
        + "\n"
        + rng.choice(SECOND).format(**words)
        + "\n"
    )
    return {
        "name": name,
        "status": "active",
        "host": partner_id(host_j),
        "partners": partners,
        "address": {"line1": f"{rng.randint(1, 250)} {rng.choice(STREETS)}", "city": city, "country": country},
        "location": far_from_town(rng, lat, lon) if shape.far and rng.random() < shape.far else jittered(i, lat, lon),
        "timezone": tz,
        "languages": list(languages),
        "facilities": facilities,
        "contact": {"email": f"{slug}@example.org"},
        "signup_url": signup,
        "summary": rng.choice(SUMMARIES),
        "last_verified": TODAY - timedelta(days=rng.randint(0, 59)),
        "description": description,
        "facilitators": facilitators,
        "sessions": sessions,
    }


def group_terms(rng: random.Random, session: dict[str, Any], share: float) -> dict[str, Any]:
    """For a share of sessions: online or hybrid, full or waitlisted, or closing its sign-up, with a last
    day to join (each session its own generator: the default shape's records stay byte for byte)."""
    if rng.random() >= share:
        return session
    terms = dict(session)
    mode = rng.choice(("online", "online", "hybrid", "in-person"))
    if mode != "in-person":
        terms["mode"] = mode
        if rng.random() < 0.7:
            terms["online_url"] = f"https://meet.example.org/{rng.randrange(10**8):08d}"
    signup = rng.choice(("open", "full", "waitlist", "closed", "open"))
    if signup != "open":
        terms["signup"] = signup
    last_join = session["starts"] + timedelta(weeks=3)
    if last_join <= session["ends"]:
        terms["join_until"] = last_join
        if signup == "open" and rng.random() < 0.5:
            terms["signup_closes"] = last_join
    return terms


def far_from_town(rng: random.Random, lat: float, lon: float) -> dict[str, float]:
    """A point 2-4 degrees from the city in each direction: rounded coordinates, a desert, the sea."""
    moved = [value + rng.choice((-1, 1)) * rng.uniform(2, 4) for value in (lat, lon)]
    return {"lat": round(max(-85.0, min(85.0, moved[0])), 4), "lon": round((moved[1] + 180) % 360 - 180, 4)}


def jittered(i: int, lat: float, lon: float) -> dict[str, float]:
    """The city centre moved by less than 0.2° in each direction, spread by hub number.

    An R2 low-discrepancy sequence rather than random offsets: random points put some of
    10,000 hubs within a few metres of each other, which hubsite rightly warns about as
    "one place listed twice"; these stay hundreds of metres apart.
    """
    dlat = ((0.5 + i * _R2[0]) % 1.0 - 0.5) * 2 * JITTER_DEGREES
    dlon = ((0.5 + i * _R2[1]) % 1.0 - 0.5) * 2 * JITTER_DEGREES
    return {"lat": round(lat + dlat, 5), "lon": round(lon + dlon, 5)}


def session_record(rng: random.Random, course: str, course_slug: str, languages: tuple, facilitators: list) -> dict[str, Any]:
    starts = date(2026, 9, 1) + timedelta(days=rng.randint(0, 240))
    ends = starts + timedelta(weeks=rng.randint(6, 14))
    weekly = rng.random() < 0.9
    meeting: dict[str, Any]
    if rng.random() < 0.7:
        days = [rng.choice(WEEKDAYS)]
        meeting = {"day": days[0]}
    else:
        chosen = set(rng.sample(WEEKDAYS, 2))
        days = [d for d in WEEKDAYS if d in chosen]
        meeting = {"days": days}
    hour, minute = rng.randint(8, 19), rng.choice((0, 0, 30))
    length = rng.choice((60, 90, 120, 120, 180))
    end = hour * 60 + minute + length
    record: dict[str, Any] = {
        "course": course,
        "course_url": f"https://www.coursera.org/learn/{course_slug}",
        "starts": starts,
        "ends": ends,
        **meeting,
        "time": f"{hour:02d}:{minute:02d}-{end // 60:02d}:{end % 60:02d}",
    }
    if not weekly:
        record["frequency"] = "biweekly"
    if rng.random() < 0.15:
        first = next(starts + timedelta(days=k) for k in range(7) if WEEKDAYS[(starts + timedelta(days=k)).weekday()] in days)
        skip = first + timedelta(weeks=(1 if weekly else 2) * rng.randint(1, 2))
        if skip <= ends:
            record["exceptions"] = [skip]
    record["language"] = "en" if "en" in languages and rng.random() < 0.5 else languages[0]
    record["facilitator"] = rng.choice(facilitators)["name"]
    record["capacity"] = rng.choice((12, 15, 20, 25, 30, 40))
    return record


# --- YAML writing -------------------------------------------------------------------------


def scalar(value: Any) -> str:
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        text = f"{value:.5f}".rstrip("0")  # always with a point: 1e-05 would be text to a YAML 1.1 reader
        return text + "0" if text.endswith(".") else text
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"cannot write {value!r}")


def emit(lines: list[str], key: str, value: Any, indent: str) -> None:
    """Append `key: value` to lines: block mappings, flow lists of scalars, block lists of mappings."""
    if isinstance(value, dict):
        lines.append(f"{indent}{key}:")
        for k, v in value.items():
            emit(lines, k, v, indent + "  ")
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        lines.append(f"{indent}{key}:")
        for item in value:
            first = True
            for k, v in item.items():
                emit(lines, k, v, indent + "    ")
                if first:
                    lines[-1] = f"{indent}  - " + lines[-1][len(indent) + 4 :]
                    first = False
    elif isinstance(value, list):
        lines.append(f"{indent}{key}: [{', '.join(scalar(v) for v in value)}]")
    elif isinstance(value, str) and "\n" in value:
        lines.append(f"{indent}{key}: |")  # keeps one final newline: records end their texts with one
        lines.extend(f"{indent}  {line}" if line else "" for line in value.rstrip("\n").split("\n"))
    else:
        lines.append(f"{indent}{key}: {scalar(value)}")


def to_yaml(record: dict[str, Any]) -> str:
    lines: list[str] = []
    for key, value in record.items():
        emit(lines, key, value, "")
    return "\n".join(lines) + "\n"


def write_content(n: int, out: Path, shape: Shape = DEFAULT_SHAPE) -> None:
    """Write a content directory of n hubs into `out` (replacing one this function wrote before)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise FileExistsError(f"refusing to overwrite {out}: it is not empty and was not written by bench/generate.py")
        for name in ("hubs", "partners", "pages"):
            shutil.rmtree(out / name, ignore_errors=True)
    for name in ("hubs", "partners", "pages"):
        (out / name).mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(f"written by bench/generate.py with n={n}\n", encoding="utf-8")
    site = SITE_YAML if shape.languages == 1 else SITE_YAML.replace('language: "en"', f"languages: [{', '.join(SITE_LANGUAGES[: shape.languages])}]")
    (out / "site.yaml").write_text(site, encoding="utf-8")
    partners = partner_count(n)
    (out / "pages" / "about.md").write_text(ABOUT_MD.format(n=n, p=partners), encoding="utf-8")
    for j in range(1, partners + 1):
        (out / "partners" / f"{partner_id(j)}.yaml").write_text(to_yaml(partner_record(j)), encoding="utf-8")
    hubs = out / "hubs"
    for i in range(1, n + 1):
        (hubs / f"{hub_slug(i)}.yaml").write_text(to_yaml(hub_record(i, shape)), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic content directory of N hubs.")
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--courses", type=int, default=0, help="distinct course names (default: the 40 real ones)")
    parser.add_argument("--far", type=float, default=0.0, help="share of hubs placed 2-4 degrees from their city")
    parser.add_argument("--words", type=int, default=0, help="description length in words (default: about 145)")
    parser.add_argument("--partners-per-hub", type=int, default=2, help="the most co-partners of a hub (default: 2)")
    parser.add_argument("--languages", type=int, default=1, choices=range(1, 10), help="site languages (default: 1)")
    parser.add_argument("--groups", type=float, default=0.0, help="share of sessions online or hybrid, full, waitlisted or closing (default: 0)")
    args = parser.parse_args(argv)
    write_content(args.n, args.out, Shape(args.courses, args.far, args.words, args.partners_per_hub, args.languages, args.groups))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
