"""Typed, immutable records validated from loaded documents.

Each field type is a small validator that returns a value or raises a short reason;
`validate_content` adds the field path and the loader's position, and collects every
problem of every file before the build decides to stop.
"""

from __future__ import annotations

import datetime
import difflib
import re
import types
import typing
import zoneinfo
from datetime import date, time
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, Union

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hubsite.content.images import MAX_IMAGE_BYTES, image_problem
from hubsite.content.reader import Document, LoadedContent, Loc, Refused, read_named_file
from hubsite.memo import Memo
from hubsite.problems import Problem

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FACILITIES = ("wifi", "computers", "wheelchair-access", "quiet-room", "childcare", "printing")
PARTNER_KINDS = ("library", "embassy", "government", "university", "school", "nonprofit", "company")
STATUSES = ("active", "upcoming", "paused", "closed")
MAX_DESCRIPTION = 20_000
MAX_PAGE_BODY = 100_000
MAX_BRACKET_DEPTH = 32
_EMAIL = re.compile(r"[^@\s<>\"'(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s<>\"'`]*)?")
_TIME_RANGE = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})")
_LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")


OUR_KINDS: set[str] = set()

# Keys people write for a field that is spelt or shaped differently here.
KEY_ALIASES = {
    "lat": "location: {lat: ..., lon: ...}",
    "latitude": "location: {lat: ..., lon: ...}",
    "lon": "location: {lat: ..., lon: ...}",
    "lng": "location: {lat: ..., lon: ...}",
    "longitude": "location: {lat: ..., lon: ...}",
    "coordinates": "location: {lat: ..., lon: ...}",
    "tz": "timezone",
    "time_zone": "timezone",
    "email": "contact: {email: ...}",
    "phone": "contact: {phone: ...}",
    "website": "contact: {url: ...}",
    "city": "address: {city: ...}",
    "country": "address: {country: ...}",
    "weekday": "day",
    "start": "starts",
    "end": "ends",
    "url": "course_url",
    "title": "name",
}


def fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    """Raise-able validation error with our own wording (shown as is, without 'got ...')."""
    OUR_KINDS.add(kind)
    return PydanticCustomError(kind, message, context)


# --- one small validator per field type -------------------------------------------------


def check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise fail("slug", "'{value}' is not a valid id: use lowercase letters, digits and single hyphens", value=value)
    return value


def check_link(value: str) -> str:
    """Allow only http(s) URLs with a host, and mailto: addresses."""
    if value.lower().startswith("mailto:"):
        check_email(value[7:].split("?")[0])
        return value
    if not _URL.fullmatch(value):
        raise fail("link", "'{value}' is not an http(s) or mailto: link", value=value[:80])
    return value


def check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise fail("email", "'{value}' is not an e-mail address", value=value[:80])
    return value


def check_country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise fail("country", "'{value}' is not an ISO 3166-1 alpha-2 country code (like KE, NO, VN)", value=value)
    return code


@cache
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(value: str) -> str:
    if value not in timezone_names():
        close = difflib.get_close_matches(value, timezone_names(), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else " (like Africa/Nairobi)"
        raise fail("timezone", "'{value}' is not an IANA time zone name" + hint, value=value)
    return value


def check_language(value: str) -> str:
    if not _LANGUAGE.fullmatch(value):
        raise fail("language", "'{value}' is not a BCP 47 language tag (like en, es, pt-BR)", value=value)
    return value


def lower_text(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def one_line(value: str) -> str:
    if "\n" in value.strip():
        raise fail("one_line", "must be a single line of text")
    return value


class TimeRange(NamedTuple):
    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_time_range(value: Any) -> TimeRange:
    text = str(value).strip()
    match = _TIME_RANGE.fullmatch(text)
    if not match:
        raise fail("time_range", "'{value}' is not a valid time range (HH:MM-HH:MM)", value=text)
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if max(h1, h2) > 23 or max(m1, m2) > 59:
        raise fail("time_range", "'{value}' is not a valid time range (HH:MM-HH:MM)", value=text)
    span = TimeRange(time(h1, m1), time(h2, m2))
    if span.end <= span.start:
        raise fail("time_range", "'{value}' ends before it starts; give the local start and end time", value=text)
    return span


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_printable(value: str) -> str:
    """Refuse control characters and lone surrogates: they break HTML, XML, JSON and iCalendar."""
    found = _CONTROL.search(value)
    if found:
        raise fail("control_character", "contains the control character U+{code} (at character {index}); remove it", code=f"{ord(found.group()):04X}", index=found.start() + 1)
    return value


# The JSON Schema side of each field type (hubsite/schema.py publishes it for editors and the host
# form): the validators' rules as ECMA-262 patterns, written without backslash-quote escapes, which
# the 'u' flag refuses. tests/test_schema.py checks that schema and models agree on samples.
NO_CONTROL = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f"
PRINTABLE_SCHEMA = {"pattern": f"^[^{NO_CONTROL}]*$", "patternErrorMessage": "contains a control character; remove it"}
LINE_SCHEMA = {"pattern": f"^\\n*[^\\n{NO_CONTROL}]*\\n*$", "patternErrorMessage": "must be a single line of text"}
_DOMAIN = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
EMAIL_SCHEMA = {"type": "string", "maxLength": 254, "pattern": "^[^@\\s<>\"'(),;:]+@" + _DOMAIN + "$", "patternErrorMessage": "not an e-mail address"}
LINK_SCHEMA = {
    "type": "string",
    "maxLength": 2000,
    "pattern": "^(?:https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\\s<>\"'`]*)?|[Mm][Aa][Ii][Ll][Tt][Oo]:[^@\\s<>\"'(),;:?]+@" + _DOMAIN + "(?:\\?.*)?)$",
    "patternErrorMessage": "not an http(s) or mailto: link",
}
_ANY_CASE_DAYS = "|".join("".join(f"[{c.upper()}{c}]" for c in day) for day in WEEKDAYS)
WEEKDAY_SCHEMA = {"type": "string", "pattern": f"^\\s*(?:{_ANY_CASE_DAYS})\\s*$", "examples": list(WEEKDAYS), "patternErrorMessage": "not a weekday (monday ... sunday)"}
_HOUR_MINUTE = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
TIMES_SCHEMA = {"type": "string", "pattern": f"^\\s*{_HOUR_MINUTE}\\s*-\\s*{_HOUR_MINUTE}\\s*$", "patternErrorMessage": "not a valid time range (HH:MM-HH:MM, like 18:00-20:00)"}


def text(max_length: int) -> Any:
    return Annotated[str, Field(min_length=1, max_length=max_length, json_schema_extra=PRINTABLE_SCHEMA), AfterValidator(check_printable)]


Slug = Annotated[str, AfterValidator(check_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "patternErrorMessage": "not a valid id: use lowercase letters, digits and single hyphens"})]
Link = Annotated[str, Field(max_length=2000), AfterValidator(check_link), WithJsonSchema(LINK_SCHEMA)]
Email = Annotated[str, Field(max_length=254), AfterValidator(check_email), WithJsonSchema(EMAIL_SCHEMA)]
Country = Annotated[str, AfterValidator(check_country), WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$", "patternErrorMessage": "not an ISO 3166-1 alpha-2 country code (like KE, NO, VN)"})]
Timezone = Annotated[str, AfterValidator(check_timezone), WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$", "patternErrorMessage": "not an IANA time zone name (like Africa/Nairobi)"})]
Language = Annotated[str, AfterValidator(check_language), WithJsonSchema({"type": "string", "pattern": f"^{_LANGUAGE.pattern}$", "patternErrorMessage": "not a BCP 47 language tag (like en, es, pt-BR)"})]
Weekday = Annotated[Literal[WEEKDAYS], BeforeValidator(lower_text), WithJsonSchema(WEEKDAY_SCHEMA)]  # type: ignore[valid-type]
Facility = Literal[FACILITIES]  # type: ignore[valid-type]
Line = Annotated[str, Field(min_length=1, max_length=300, json_schema_extra=LINE_SCHEMA), AfterValidator(one_line), AfterValidator(check_printable)]
def check_markdown_depth(value: str) -> str:
    """Python-Markdown is quadratic in unclosed '[' (20,000 took 25 s): refuse deep ones up front."""
    depth = deepest = 0
    for char in value:
        if char == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "]" and depth:
            depth -= 1
    if deepest > MAX_BRACKET_DEPTH or depth > MAX_BRACKET_DEPTH:
        raise fail("markdown_depth", "too many unclosed or nested '[' brackets ({depth}); at most {limit}", depth=max(deepest, depth), limit=MAX_BRACKET_DEPTH)
    return value


Markdown = Annotated[str, Field(max_length=MAX_DESCRIPTION, json_schema_extra=PRINTABLE_SCHEMA), AfterValidator(check_markdown_depth), AfterValidator(check_printable)]
Times = Annotated[
    TimeRange,
    BeforeValidator(parse_time_range),
    WithJsonSchema(TIMES_SCHEMA),
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True, allow_inf_nan=False)


# --- records -----------------------------------------------------------------------------


class MapSettings(Record):
    tiles: text(500) = "OpenStreetMap.Mapnik"  # type: ignore[valid-type]
    attribution: text(500) | None = None  # type: ignore[valid-type]
    center: tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]] = (20.0, 0.0)
    zoom: Annotated[int, Field(ge=0, le=19)] = 2


class GeocodingSettings(Record):
    provider: Literal["nominatim"] = "nominatim"
    domain: text(200) = "nominatim.openstreetmap.org"  # type: ignore[valid-type]
    scheme: Literal["https", "http"] = "https"
    user_agent: text(200) = "learning-hubs-directory"  # type: ignore[valid-type]
    min_delay_seconds: Annotated[float, Field(ge=0)] = 1.0
    timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 3
    error_wait_seconds: Annotated[float, Field(ge=0, le=600)] = 5.0  # pause before retrying a failed request


class SiteConfig(Record):
    title: text(200)  # type: ignore[valid-type]
    tagline: Line | None = None
    base_url: Link
    language: Language = "en"
    contact_email: Email
    host_application_url: Link | None = None
    repository: Link | None = None
    footer_note: Line | None = None
    stale_after_days: Annotated[int, Field(ge=1)] = 365
    map: MapSettings = MapSettings()
    geocoding: GeocodingSettings = GeocodingSettings()

    @field_validator("base_url")
    @classmethod
    def _http_base(cls, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise fail("base_url", "base_url must be an http(s) URL")
        return value if value.endswith("/") else value + "/"


class Address(Record):
    line1: text(200) | None = None  # type: ignore[valid-type]
    line2: text(200) | None = None  # type: ignore[valid-type]
    city: text(100)  # type: ignore[valid-type]
    region: text(100) | None = None  # type: ignore[valid-type]
    postal_code: text(20) | None = None  # type: ignore[valid-type]
    country: Country

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def query(self) -> str:
        """The address as one line of text: what `geocode` asks for and caches under."""
        parts = (self.line1, self.line2, self.city, self.region, self.postal_code, self.country_name)
        return ", ".join(part for part in parts if part)

    def lines(self) -> list[str]:
        """The address as printed lines, without the country."""
        city = " ".join(part for part in (self.postal_code, self.city) if part)
        return [part for part in (self.line1, self.line2, city, self.region) if part]


class Location(Record):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Contact(Record):
    email: Email | None = None
    phone: Annotated[str, Field(max_length=40, pattern=r"^[0-9+() .\-/]+$")] | None = None
    url: Link | None = None


class Facilitator(Record):
    name: text(100)  # type: ignore[valid-type]
    bio: text(1000) | None = None  # type: ignore[valid-type]


class Session(Record):
    course: text(200)  # type: ignore[valid-type]
    course_url: Link | None = None
    starts: date
    ends: date
    day: Weekday | None = None
    days: Annotated[list[Weekday], Field(min_length=1, max_length=7)] | None = None
    time: Times
    frequency: Literal["weekly", "biweekly"] = "weekly"
    exceptions: Annotated[list[date], Field(max_length=200)] = []
    language: Language | None = None
    facilitator: text(100) | None = None  # type: ignore[valid-type]
    capacity: Annotated[int, Field(ge=1, le=100_000)] | None = None
    signup_url: Link | None = None

    @field_validator("ends")
    @classmethod
    def _ends_after_starts(cls, value: date, info: Any) -> date:
        starts = info.data.get("starts")
        if starts and value < starts:
            raise fail("date_order", "ends ({ends}) is before starts ({starts})", ends=str(value), starts=str(starts))
        return value

    @model_validator(mode="after")
    def _one_day_field(self) -> Session:
        if (self.day is None) == (self.days is None):
            raise fail("day", "give either day: (one weekday) or days: [a list of weekdays]")
        return self

    @property
    def weekdays(self) -> tuple[str, ...]:
        chosen = set(self.days or [self.day])
        return tuple(day for day in WEEKDAYS if day in chosen)


class HubRecord(Record):
    name: text(200)  # type: ignore[valid-type]
    status: Literal[STATUSES] = "active"  # type: ignore[valid-type]
    host: Slug
    partners: Annotated[list[Slug], Field(max_length=50)] = []
    address: Address
    location: Location | None = None
    timezone: Timezone | None = None
    languages: Annotated[list[Language], Field(max_length=20)] = []
    facilities: Annotated[list[Facility], Field(max_length=len(FACILITIES))] = []
    contact: Contact | None = None
    signup_url: Link | None = None
    summary: Line | None = None
    last_verified: date | None = None
    description: Markdown | None = None
    facilitators: Annotated[list[Facilitator], Field(max_length=50)] = []
    sessions: Annotated[list[Session], Field(max_length=200)] = []

    @field_validator("sessions")
    @classmethod
    def _unique_courses(cls, sessions: list[Session]) -> list[Session]:
        seen: set[str] = set()
        for index, session in enumerate(sessions):
            key = session.course.casefold()
            if key in seen:
                raise fail("duplicate_course", "course '{course}' is listed twice (sessions[{index}]); merge them with days: [...]", course=session.course, index=index)
            seen.add(key)
        return sessions


class PartnerRecord(Record):
    name: text(200)  # type: ignore[valid-type]
    kind: Literal[PARTNER_KINDS]  # type: ignore[valid-type]
    website: Link | None = None
    logo: Annotated[str, Field(max_length=200, pattern=r"^[A-Za-z0-9_./-]+\.(svg|png|jpg|jpeg|webp)$")] | None = None
    logo_alt: text(300) | None = None  # type: ignore[valid-type]
    description: Markdown | None = None

    @model_validator(mode="after")
    def _logo_needs_alt(self) -> PartnerRecord:
        if self.logo and not self.logo_alt:
            raise fail("logo_alt", "a logo needs logo_alt: a short text describing it for screen readers")
        return self


class PageRecord(Record):
    title: text(200)  # type: ignore[valid-type]
    nav: Annotated[int, Field(ge=0, le=100)] | None = None
    summary: Line | None = None


# --- validated content -------------------------------------------------------------------


class Hub(NamedTuple):
    slug: str
    record: HubRecord
    doc: Document


class Partner(NamedTuple):
    id: str
    record: PartnerRecord
    doc: Document


class Page(NamedTuple):
    slug: str
    record: PageRecord
    body: str
    doc: Document


class ValidContent(NamedTuple):
    site: SiteConfig
    hubs: list[Hub]
    partners: list[Partner]
    pages: list[Page]
    geocache: dict[str, Location]
    content_dir: Path
    files: dict[str, bytes]  # files that content names (logos), read and checked here: path under content/ -> bytes


RESERVED_PAGE_SLUGS = frozenset({"hubs", "partners", "countries", "courses", "assets", "schema", "404"})


def validate_record(model: type[Record], doc: Document, data: Any, base: Loc = ()) -> tuple[Any, list[Problem]]:
    """Validate one mapping; return (record or None, positioned problems)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [problem_from_error(model, doc, base, error) for error in exc.errors()]


def problem_from_error(model: type[BaseModel], doc: Document, base: Loc, error: Any) -> Problem:
    loc = (*base, *clean_loc(error["loc"]))
    kind = error["type"]
    if kind == "extra_forbidden":
        return doc.problem(loc, unknown_key_message(model, clean_loc(error["loc"])), key=True)
    if kind == "missing":
        return doc.problem(loc, "required field is missing")
    message = error["msg"]
    value = error.get("input")
    if kind not in OUR_KINDS and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        shown = value if not isinstance(value, str) or len(value) <= 60 else value[:57] + "..."
        message = f"{message}, got {shown!r}"
    return doc.problem(loc, message)


def clean_loc(loc: tuple) -> Loc:
    """Drop pydantic's internal steps (union branches, function-after names) from a loc."""
    return tuple(part for part in loc if isinstance(part, int) or not (part.startswith(("function-", "literal[", "list[", "tuple[")) or ("[" in part and part[0].isupper())))


def unknown_key_message(model: type[BaseModel], loc: Loc) -> str:
    key = str(loc[-1])
    known = sorted(model_at(model, loc[:-1]).model_fields)
    aliases = [alias for alias, field in KEY_ALIASES.items() if field.split(":")[0] in known and alias not in known]
    close = difflib.get_close_matches(key.lower(), known + aliases, n=1, cutoff=0.6)
    suggestion = KEY_ALIASES.get(close[0], close[0]) if close and close[0] not in known else (close[0] if close else "")
    hint = f"did you mean '{suggestion}'?" if suggestion else "known keys: " + ", ".join(known)
    return f"unknown key '{key}'; {hint}"


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel]:
    """Follow field names down nested models, skipping list indexes."""
    for part in loc:
        if isinstance(part, int) or part not in model.model_fields:
            continue
        model = submodel(model.model_fields[part].annotation) or model
    return model


def submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, Union, types.UnionType, Annotated):
        for arg in typing.get_args(annotation):
            found = submodel(arg)
            if found:
                return found
    return None


def validate_content(loaded: LoadedContent, content_dir: Path, memo: Memo | None = None) -> tuple[ValidContent | None, list[Problem]]:
    """Validate every loaded document, then the references between them (`memo`: records kept by `serve`)."""
    problems = list(loaded.problems)
    site = None
    if loaded.site and loaded.site.data is not None:
        site, found = validate_record(SiteConfig, loaded.site, loaded.site.data)
        problems += found
    partners = [Partner(d.slug, r, d) for d, r in _validate_all(PartnerRecord, loaded.partners, problems, memo)]
    hubs = [Hub(d.slug, r, d) for d, r in _validate_all(HubRecord, loaded.hubs, problems, memo)]
    pages = [Page(d.slug, r, d.body, d) for d, r in _validate_all(PageRecord, loaded.pages, problems, memo)]
    problems += check_slugs(loaded)
    problems += check_references(hubs, {p.id for p in partners} | {d.slug for d in loaded.partners})
    problems += check_sessions(hubs)
    problems += check_pages(pages)
    files, found = read_logos(partners, content_dir)
    problems += found
    geocache, found = validate_geocache(loaded.geocache)
    problems += found
    for record in (*hubs, *partners, *pages):
        record.doc.release()
    if site is None:
        return None, problems
    return ValidContent(site, hubs, partners, pages, geocache, content_dir, files), problems


def _validate_all(model: type[Record], docs: list[Document], problems: list[Problem], memo: Memo | None = None) -> list[tuple[Document, Any]]:
    valid = []
    for doc in docs:
        if doc.data is None:
            continue
        if memo is None:
            record, found = validate_record(model, doc, doc.data)
        else:  # a record is a function of the model and the text; its problems name the file
            record, found = memo.get(("record", model.__name__, doc.display, doc.line_offset, doc.source), partial(validate_record, model, doc, doc.data))
        problems += found
        if record is not None:
            valid.append((doc, record))
    return valid


def check_slugs(loaded: LoadedContent) -> list[Problem]:
    problems = []
    for doc in (*loaded.hubs, *loaded.partners, *loaded.pages):
        if not SLUG_RE.match(doc.slug):
            suggestion = re.sub(r"[^a-z0-9]+", "-", doc.slug.lower()).strip("-") or "my-hub"
            message = f"file name '{doc.slug}' is not a valid slug: use lowercase letters, digits and hyphens, e.g. '{suggestion}{doc.path.suffix}'"
            problems.append(Problem(doc.display, 1, 1, "slug", message))
    return problems


def check_references(hubs: list[Hub], partner_ids: set[str]) -> list[Problem]:
    problems = []
    for hub in hubs:
        refs = [(("host",), hub.record.host)] + [(("partners", i), pid) for i, pid in enumerate(hub.record.partners)]
        for loc, pid in refs:
            if pid not in partner_ids:
                close = difflib.get_close_matches(pid, sorted(partner_ids), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; add content/partners/{pid}.yaml"
                problems.append(hub.doc.problem(loc, f"no partner '{pid}' in partners/{hint}"))
    return problems


def check_sessions(hubs: list[Hub]) -> list[Problem]:
    """Check what one session cannot know alone: exceptions on meeting days, facilitator names."""
    problems = []
    for hub in hubs:
        names = {f.name for f in hub.record.facilitators}
        for index, session in enumerate(hub.record.sessions):
            problems += check_session_dates(hub, index, session)
            if session.facilitator and names and session.facilitator not in names:
                problems.append(hub.doc.problem(("sessions", index, "facilitator"), f"'{session.facilitator}' is not one of the hub's facilitators ({', '.join(sorted(names))})"))
    return problems


MAX_SESSION_DAYS = 3660  # ten years: a longer session is a typo in a year (2062 for 2026), and unbounded dates overflow


def first_meeting_day(session: Session) -> date | None:
    """The first date on or after `starts` that falls on a meeting weekday, or None if none comes before `ends`."""
    days = (session.starts + datetime.timedelta(days=offset) for offset in range(7))
    return next((day for day in days if day <= session.ends and WEEKDAYS[day.weekday()] in session.weekdays), None)


def meets_on(session: Session, day: date, first: date) -> bool:
    """Whether the weekly pattern has a meeting on `day` (exceptions aside); biweekly counts weeks from `first`'s week."""
    if not first <= day <= session.ends or WEEKDAYS[day.weekday()] not in session.weekdays:
        return False
    return session.frequency == "weekly" or (day.toordinal() - day.weekday() - first.toordinal() + first.weekday()) // 7 % 2 == 0


def check_session_dates(hub: Hub, index: int, session: Session) -> list[Problem]:
    """Reject sessions that can never meet as written: no meeting day in range, exceptions off the pattern."""
    if (session.ends - session.starts).days > MAX_SESSION_DAYS:
        return [hub.doc.problem(("sessions", index, "ends"), f"ends ({session.ends}) is more than ten years after starts ({session.starts}); check the year")]
    first = first_meeting_day(session)
    if first is None:
        field = "day" if session.day else "days"
        return [hub.doc.problem(("sessions", index, field), f"no {' or '.join(session.weekdays)} between starts ({session.starts}) and ends ({session.ends}): the session never meets")]
    problems = []
    for number, day in enumerate(session.exceptions):
        loc = ("sessions", index, "exceptions", number)
        if not session.starts <= day <= session.ends:
            problems.append(hub.doc.problem(loc, f"{day} is outside the session ({session.starts} to {session.ends})"))
        elif WEEKDAYS[day.weekday()] not in session.weekdays:
            problems.append(hub.doc.problem(loc, f"{day} is a {WEEKDAYS[day.weekday()]}, not a meeting day ({', '.join(session.weekdays)})"))
        elif not meets_on(session, day, first):
            problems.append(hub.doc.problem(loc, f"{day} is not a meeting date: this session meets every other week, starting {first}"))
        elif day in session.exceptions[:number]:
            problems.append(hub.doc.problem(loc, f"{day} is listed twice"))
    if not problems and session.exceptions and all_excepted(session, first):
        problems.append(hub.doc.problem(("sessions", index, "exceptions"), "every meeting date is listed as an exception: the session never meets"))
    return problems


def all_excepted(session: Session, first: date) -> bool:
    skipped = set(session.exceptions)
    days = (first + datetime.timedelta(days=offset) for offset in range((session.ends - first).days + 1))
    return all(day in skipped for day in days if meets_on(session, day, first))


def check_pages(pages: list[Page]) -> list[Problem]:
    problems = []
    for page in pages:
        if page.slug in RESERVED_PAGE_SLUGS:
            problems.append(Problem(page.doc.display, 1, 1, "slug", f"'/{page.slug}/' is used by the site itself; rename the page"))
        if len(page.body) > MAX_PAGE_BODY:
            problems.append(Problem(page.doc.display, page.doc.body_line, 1, "body", f"page text is longer than {MAX_PAGE_BODY:,} characters"))
        else:
            try:
                check_markdown_depth(page.body)
            except PydanticCustomError as exc:
                problems.append(Problem(page.doc.display, page.doc.body_line, 1, "body", exc.message()))
    return problems


def read_logos(partners: list[Partner], content_dir: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Every partner's logo, read once, here: confined to the content folder, an image by its bytes."""
    root, files, problems = content_dir.resolve(), {}, []
    for partner in partners:
        logo = partner.record.logo
        if not logo:
            continue
        try:
            data = read_named_file(root, logo, MAX_IMAGE_BYTES)
        except Refused as refused:
            problems.append(partner.doc.problem(("logo",), f"'{logo}' {refused.reason}"))
            continue
        reason = image_problem(logo, data)
        if reason:
            problems.append(partner.doc.problem(("logo",), f"'{logo}' {reason}"))
        else:
            files[logo] = data
    return files, problems


def validate_geocache(doc: Document | None) -> tuple[dict[str, Location], list[Problem]]:
    """The geocode cache: address text -> {lat, lon, display_name, date}."""
    if doc is None or doc.data is None:
        return {}, []
    cache_: dict[str, Location] = {}
    problems = []
    for address, entry in doc.data.items():
        record, found = validate_record(GeocacheEntry, doc, entry, (address,))
        problems += found
        if record is not None:
            cache_[address] = Location(lat=record.lat, lon=record.lon)
    return cache_, problems


class GeocacheEntry(Record):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    display_name: text(500) | None = None  # type: ignore[valid-type]
    date: datetime.date | None = None
