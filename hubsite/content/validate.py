"""Loaded documents into records: every file's problems, then what only the files together can
reveal (references to partners, session dates, page sizes, logos), all collected before the
build decides to stop.

A field type gives a short reason (fields.py); here the field's path is added, and the loader's
position (`doc.problem`), so each problem reads `path:line:col: field: message`.
"""

from __future__ import annotations

import difflib
import os
import pickle
import types
import typing
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Any, NamedTuple, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from hubsite import urls
from hubsite.content.dates import WEEKDAYS, first_meeting_day, meeting_dates, pattern_dates
from hubsite.content.fields import MAX_PAGE_BODY, OUR_KINDS, TimeRange, check_markdown_depth
from hubsite.content.files import Refused, read_named_file, read_static
from hubsite.content.images import MAX_IMAGE_BYTES, image_problem
from hubsite.content.reader import (
    ContentFile,
    Document,
    LoadedContent,
    Loc,
    Reading,
    YamlProblem,
    document_problems,
    format_loc,
    parse_file,
    text_again,
)
from hubsite.content.records import NO_DAY, GeocacheEntry, Hub, HubRecord, Page, PageRecord, Partner, PartnerRecord, Record, Session
from hubsite.content.settings import SiteConfig
from hubsite.content.slugs import WINDOWS_RESERVED, is_slug, suggest_slug
from hubsite.content.wording import MAX_UNKNOWN_KEYS_LISTED, more_unknown_keys, say
from hubsite.incremental.store import Store, Table
from hubsite.languages import TAG, Language, Local, canonical_tag
from hubsite.options import display_path
from hubsite.problems import Problem
from hubsite.processes import can_fork, forked_results

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



class ValidContent(NamedTuple):
    """What the content stage hands the catalog."""

    site: SiteConfig
    hubs: list[Hub]
    partners: list[Partner]
    pages: list[Page]
    geocache: dict[str, GeocacheEntry]  # written by `geocode`: address text -> where it is
    content_dir: Path
    files: dict[str, bytes]  # files that content names (logos), read and checked here: path under content/ -> bytes
    static: dict[str, bytes]  # content/static/, published as it is: path in the site -> bytes


def validate_record(model: type[Record], doc: Document, data: Any, base: Loc = (), default_language: str = "en") -> tuple[Any, list[Problem]]:
    """Validate one mapping; return (record or None, positioned problems). `default_language`: the
    site's, which a text given in several languages is read in first (fields.translated_text)."""
    try:
        return model.model_validate(data, context={"default_language": default_language}), []
    except ValidationError as exc:
        errors, unlisted = listed_errors(exc.errors())
        problems = [problem_from_error(model, doc, base, error) for error in errors]
        if unlisted:
            loc = (*base, *clean_loc(unlisted[0]["loc"]))
            problems.append(doc.problem(loc, more_unknown_keys(len(unlisted)), key=True))
        return None, problems + unchecked_rules(model, doc, data, problems)


def listed_errors(errors: list[Any]) -> tuple[list[Any], list[Any]]:
    """A record's errors to list one by one, and the unknown keys past the first few, which are
    counted in one line: a file of 100,000 unknown keys is one mistake, not 100,000 lines (and each
    key listed costs a search for the key it was meant to be)."""
    unknown = [error for error in errors if error["type"] == "extra_forbidden"]
    unlisted = unknown[MAX_UNKNOWN_KEYS_LISTED:]
    if not unlisted:
        return errors, []
    skipped = {id(error) for error in unlisted}
    return [error for error in errors if id(error) not in skipped], unlisted


def unchecked_rules(model: type[BaseModel], doc: Document, data: Any, found: list[Problem]) -> list[Problem]:
    """What a record's own rules would say but pydantic never asks while a field is wrong: a
    session with neither day nor days (a scaffold left half-filled has both empty)."""
    if model is not HubRecord or not isinstance(data, dict) or not isinstance(data.get("sessions"), list):
        return []
    named = {problem.field for problem in found}
    problems = []
    for index, session in enumerate(data["sessions"]):
        if isinstance(session, dict) and session.get("day") is None and session.get("days") is None:
            if format_loc(("sessions", index, "day")) not in named and format_loc(("sessions", index, "days")) not in named:
                problems.append(doc.problem(("sessions", index, "day"), NO_DAY))
    return problems


def problem_from_error(model: type[BaseModel], doc: Document, base: Loc, error: Any) -> Problem:
    """One of pydantic's errors as a problem in our words (wording.py), at its position."""
    field_loc = clean_loc(error["loc"])
    loc = (*base, *field_loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        return doc.problem(loc, unknown_key_message(model, field_loc), key=True)
    if kind == "day":  # Session._one_day_field: its problem is the day's
        loc = (*loc, "day")
    message = error["msg"]
    value = error.get("input")
    context = error.get("ctx") or {}
    if "language" in context:  # one text of a translated field (fields.translated_text)
        loc, field_loc = (*loc, context["language"]), (*field_loc, context["language"])
        value = context.get("text", value)
        kind = context.get("kind", kind)
        message = context.get("message", message)
    if "char" in context and isinstance(value, str):  # a character to point at, not just the value
        line, col = doc.character_position(loc, value, value.find(context["char"]))
        return Problem(doc.display, line, col, format_loc(loc), message)
    if kind not in OUR_KINDS:
        message = say(model, field_loc, kind, value, context) or message
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


def validate_content(loaded: LoadedContent, content_dir: Path, store: Store | None = None, workers: int = 1) -> tuple[ValidContent | None, list[Problem]]:
    """Validate every loaded document, read and validate every hub file (in `workers` processes
    when there are many), then check the references between them (`store`: what earlier builds
    made of files unchanged since, taken instead of made again)."""
    problems = list(loaded.problems)
    site = None
    if loaded.site and loaded.site.data is not None:
        site, found = validate_record(SiteConfig, loaded.site, loaded.site.data, default_language=written_default(loaded.site.data))
        problems += found
    default = site.default_language.tag if site else "en"
    partners = [Partner(d.slug, r, d) for d, r in _validate_all(PartnerRecord, loaded.partners, problems, default, store)]
    partner_ids = frozenset({p.id for p in partners} | {d.slug for d in loaded.partners})
    read = read_hubs(loaded.hub_paths, loaded.root, default, partner_ids, store, workers)
    hubs = [Hub(doc.slug, record, doc) for doc, record, _ in read if record is not None]
    problems += [problem for _, _, found in read for problem in found]
    every_page = [Page(d.slug, r, d.body, d) for d, r in _validate_all(PageRecord, loaded.pages, problems, default, store)]
    pages, found = with_translations(every_page, site.site_languages if site else ())
    problems += found
    problems += check_slugs([doc for doc, _, _ in read] + loaded.partners + loaded.pages)
    problems += check_pages(every_page)
    files, found = read_logos(partners, content_dir)
    problems += found
    static, found = read_static(content_dir, [language.key for language in site.site_languages] if site else (), [page.slug for page in every_page])
    problems += found
    geocache, found = validated_geocache(loaded.geocache, store)
    problems += found
    for record in (*hubs, *partners, *every_page):
        record.doc.release()
    if site is None:
        return None, problems
    return ValidContent(site, hubs, partners, pages, geocache, content_dir, files, static), problems


def written_default(data: Any) -> str:
    """The default language as site.yaml writes it, for its own translated texts (the title)."""
    languages = data.get("languages") if isinstance(data, dict) else None
    first = languages[0] if isinstance(languages, list) and languages else (data.get("language") if isinstance(data, dict) else None)
    first = first.get("tag") if isinstance(first, dict) else first
    return canonical_tag(first) if isinstance(first, str) and TAG.fullmatch(first) else "en"


def _validate_all(model: type[Record], docs: list[Document], problems: list[Problem], default_language: str, store: Store | None = None) -> list[tuple[Document, Any]]:
    valid = []
    for doc in docs:
        record, found = validated_record(model, doc, default_language, store)
        problems += found
        if record is not None:
            valid.append((doc, record))
    return valid


def validated_record(model: type[Record], doc: Document, default_language: str, store: Store | None = None) -> tuple[Any, list[Problem]]:
    if doc.data is None:
        return None, []
    if store is None or not doc.digest:
        return validate_record(model, doc, doc.data, default_language=default_language)
    # A record is a function of the model, the file's bytes and the default language; its problems name the file.
    key = (model.__name__, str(doc.path), doc.display, doc.digest, default_language)
    return store.table("records").get(key, partial(validate_record, model, doc, doc.data, default_language=default_language))


# Hub files read per task in a worker, and how many make reading them in workers worth its start.
HUBS_PER_TASK = 200
PARALLEL_FROM_HUB_FILES = 1000
HUB_FILES = "hub-files"  # the store's table of HubFile by file
Read = tuple[Document, HubRecord | None, list[Problem]]


class HubFile(NamedTuple):
    """What one hub file gives on its own: all that read_hubs finds in it but whether the partners it
    names exist, which the other files decide and is checked on every build from `named`. A
    function of the file's path and bytes and the default language, kept by them in the store."""

    record: HubRecord | None
    problems: tuple[Problem, ...]  # of reading and validating the file
    named: tuple[tuple[Loc, str], ...]  # the partner ids it names, and where
    later: tuple[Problem, ...]  # of its sessions and street, told after those of the partners named


def read_hubs(paths: list[Path], root: Path, default_language: str, partner_ids: frozenset[str], store: Store | None, workers: int) -> list[Read]:
    """Every hub file read, validated and checked on its own (its sessions, the partners it names),
    its parsed values then released. With a `store`, a file whose bytes an earlier build read is
    taken from it, and only the others are read; with `workers` > 1 and many of them, in forked
    workers."""
    reading = Reading(store) if store is not None else None
    kept = store.table(HUB_FILES) if store is not None else None
    key = partial(hub_file_key, os.getcwd(), default_language)
    files = [ContentFile(path, root, reading) for path in paths]
    found = [taken_hub_file(file, kept, key) for file in files]
    to_make = [(index, file.path, raw) for index, (file, raw) in enumerate(zip(files, found, strict=True)) if isinstance(raw, bytes)]
    for (index, path, _), made in zip(to_make, made_hub_files(to_make, default_language, workers), strict=True):
        found[index] = pickle.loads(made)  # noqa: S301 - made by this build, here or in its workers
        if kept is not None:
            kept.put(key(path, files[index].digest), found[index])
    return [hub_read(file, hub_file, partner_ids) for file, hub_file in zip(files, found, strict=True) if isinstance(hub_file, HubFile)]


def taken_hub_file(file: ContentFile, kept: Table | None, key: Callable[[Path, bytes | None], tuple]) -> HubFile | bytes:
    """The file's HubFile, taken from the store when an earlier build read the same bytes (found
    by the file's identity, or, for a file touched since, by the hash of its bytes); else the bytes
    to make it from."""
    if kept is not None and file.digest is not None:
        taken = kept.find(key(file.path, file.digest))
        if taken is not None:
            return taken
    try:
        raw = file.raw()
    except YamlProblem as exc:
        return unread_hub_file(file.path, exc)
    taken = kept.find(key(file.path, file.digest)) if kept is not None else None
    return taken if taken is not None else raw


def hub_file_key(cwd: str, default_language: str, path: Path, digest: bytes | None) -> tuple:
    """What a HubFile is made of: the file's path (its problems name it as seen from the working
    folder `cwd`), its bytes, and the default language."""
    return (cwd, str(path), digest, default_language)


def made_hub_files(to_make: list[tuple[int, Path, bytes]], default_language: str, workers: int) -> list[bytes]:
    """Each file of `to_make` read into a HubFile, pickled: here, or in forked workers for many."""
    if workers <= 1 or len(to_make) < PARALLEL_FROM_HUB_FILES or not can_fork():
        return [make_hub_file(path, raw, default_language) for _, path, raw in to_make]
    items = [(path, raw) for _, path, raw in to_make]
    tasks = [items[start : start + HUBS_PER_TASK] for start in range(0, len(items), HUBS_PER_TASK)]
    return [made for chunk in forked_results(make_hub_file_chunk, default_language, tasks, min(workers, len(tasks))) for made in chunk]


def make_hub_file_chunk(default_language: str, items: list[tuple[Path, bytes]]) -> list[bytes]:
    return [make_hub_file(path, raw, default_language) for path, raw in items]


def make_hub_file(path: Path, raw: bytes, default_language: str) -> bytes:
    """A hub file's bytes read, validated and checked on their own, as a pickled HubFile (what the
    store keeps, and what a worker sends back)."""
    doc = Document(path=path, kind="hub", slug=path.stem)
    parsed = parse_file(raw, "hub")
    problems = document_problems(doc, parsed)
    record, found = validated_record(HubRecord, doc, default_language)
    named = named_partners(doc)
    later = (check_sessions(Hub(doc.slug, record, doc)) + check_street(doc, record)) if record is not None else []
    hub_file = HubFile(record, tuple(problems + found), named, tuple(later))
    return pickle.dumps(hub_file, protocol=pickle.HIGHEST_PROTOCOL)


def unread_hub_file(path: Path, exc: YamlProblem) -> HubFile:
    """A hub file that may not be read (a link out of content/, too large): never kept."""
    return HubFile(None, (Problem(display_path(path), exc.line, exc.col, "", exc.message),), (), ())


def hub_read(file: ContentFile, hub_file: HubFile, partner_ids: frozenset[str]) -> Read:
    """A hub file's Read for this build: its kept findings and the check of the partners it names."""
    digest = file.digest or b""
    doc = Document(path=file.path, kind="hub", slug=file.path.stem, reread=partial(text_again, file.path, file.root, digest), positioned=False, digest=digest)
    problems = [*hub_file.problems, *check_references(doc, hub_file.named, partner_ids), *hub_file.later]
    return doc, hub_file.record, problems


def check_slugs(docs: list[Document]) -> list[Problem]:
    problems = []
    for doc in docs:
        if not is_slug(doc.slug):
            suggestion = suggest_slug(doc.slug, "my-hub")
            message = f"file name '{doc.slug}' is not a valid slug: use lowercase letters, digits and hyphens, e.g. '{suggestion}{doc.path.suffix}'"
            problems.append(Problem(doc.display, 1, 1, "slug", message))
        elif doc.slug in WINDOWS_RESERVED:
            message = f"file name '{doc.slug}' is reserved on Windows (a site with it cannot be checked out or unzipped there); rename the file, e.g. '{doc.slug}-{doc.kind}{doc.path.suffix}'"
            problems.append(Problem(doc.display, 1, 1, "slug", message))
    return problems


def named_partners(doc: Document) -> tuple[tuple[Loc, str], ...]:
    """The partners a hub file names (`host`, `partners`), where. Read from the file's values, not
    its record, so that a misspelt host is reported in the same run as the record's other problems;
    a value that is no id at all is the record's problem, reported there."""
    data = doc.data if isinstance(doc.data, dict) else {}
    named = data.get("partners") if isinstance(data.get("partners"), list) else []
    refs = [(("host",), data.get("host")), *((("partners", i), pid) for i, pid in enumerate(named))]
    return tuple((loc, pid) for loc, pid in refs if isinstance(pid, str) and is_slug(pid))


def check_references(doc: Document, named: tuple[tuple[Loc, str], ...], partner_ids: frozenset[str]) -> list[Problem]:
    """The partners a hub file names exist."""
    problems = []
    for loc, pid in named:
        if pid not in partner_ids:
            close = difflib.get_close_matches(pid, sorted(partner_ids), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; add content/partners/{pid}.yaml"
            problems.append(doc.problem(loc, f"no partner '{pid}' in partners/{hint}"))
    return problems


def check_street(doc: Document, record: HubRecord) -> list[Problem]:
    """A warning for a hub without a street line: a city and a venue's name rarely lead a
    newcomer to its door."""
    if record.address.line1 or record.status == "closed":
        return []
    return [doc.problem(("address",), "no street line (address.line1): students need a street address to find the hub; add the building, street and number", severity="warning")]


def check_sessions(hub: Hub) -> list[Problem]:
    """Check what one session cannot know alone: exceptions on meeting days, facilitator names, overlaps."""
    problems = []
    names = {f.name for f in hub.record.facilitators}
    for index, session in enumerate(hub.record.sessions):
        problems += check_session_dates(hub, index, session)
        if session.facilitator and names and session.facilitator not in names:
            problems.append(hub.doc.problem(("sessions", index, "facilitator"), f"'{session.facilitator}' is not one of the hub's facilitators ({', '.join(sorted(names))})"))
    return problems + overlapping_sessions(hub)


def overlapping_sessions(hub: Hub) -> list[Problem]:
    """Two sessions of one hub meeting on the same date at overlapping times: the same course
    twice is an error (listed twice by mistake); two courses, a warning (one room, two groups?).
    A course may come back with other days, times or dates: another term, another section."""
    sessions = hub.record.sessions
    dates = [set(meeting_dates(s)) if (s.ends - s.starts).days <= MAX_SESSION_DAYS else set() for s in sessions]
    problems = []
    for later, session in enumerate(sessions):
        for earlier in range(later):
            other = sessions[earlier]
            common = dates[earlier] & dates[later] if times_overlap(other.time, session.time) else set()
            if common:
                problems.append(overlap_problem(hub, earlier, later, min(common)))
                break
    return problems


def overlap_problem(hub: Hub, earlier: int, later: int, day: date) -> Problem:
    other, session = hub.record.sessions[earlier], hub.record.sessions[later]
    line, col = hub.doc.position(("sessions", earlier))
    when = f"{WEEKDAYS[day.weekday()].capitalize()} {day}"
    if other.course.casefold() == session.course.casefold():
        return hub.doc.problem(("sessions", later), f"the same session as sessions[{earlier}] (line {line}, column {col}): '{session.course}' "
                               f"meets at {other.time} and {session.time} on {when} in both; merge them, or give one other days, times or dates")
    message = (f"overlaps sessions[{earlier}] ('{other.course}', line {line}): both meet on {when}, "
               f"at {other.time} and {session.time}; check the day, the time or the dates")
    return hub.doc.problem(("sessions", later, "time"), message, severity="warning")


def times_overlap(first: TimeRange, second: TimeRange) -> bool:
    return first.start_minutes < second.end_minutes and second.start_minutes < first.end_minutes



MAX_SESSION_DAYS = 3660  # ten years: a longer session is a typo in a year (2062 for 2026), and unbounded dates overflow


def check_session_dates(hub: Hub, index: int, session: Session) -> list[Problem]:
    """Reject sessions that can never meet as written: no meeting day in range, exceptions off the pattern."""
    if (session.ends - session.starts).days > MAX_SESSION_DAYS:
        return [hub.doc.problem(("sessions", index, "ends"), f"ends ({session.ends}) is more than ten years after starts ({session.starts}); check the year")]
    first = first_meeting_day(session)
    if first is None:
        field = "day" if session.day else "days"
        return [hub.doc.problem(("sessions", index, field), f"no {' or '.join(session.weekdays)} between starts ({session.starts}) and ends ({session.ends}): the session never meets")]
    pattern = set(pattern_dates(session))
    problems = []
    for number, day in enumerate(session.exceptions):
        loc = ("sessions", index, "exceptions", number)
        if not session.starts <= day <= session.ends:
            problems.append(hub.doc.problem(loc, f"{day} is outside the session ({session.starts} to {session.ends})"))
        elif WEEKDAYS[day.weekday()] not in session.weekdays:
            problems.append(hub.doc.problem(loc, f"{day} is a {WEEKDAYS[day.weekday()]}, not a meeting day ({', '.join(session.weekdays)})"))
        elif day not in pattern:
            problems.append(hub.doc.problem(loc, f"{day} is not a meeting date: this session meets every other week, starting {first}"))
        elif day in session.exceptions[:number]:
            problems.append(hub.doc.problem(loc, f"{day} is listed twice"))
    if not problems and session.exceptions and pattern <= set(session.exceptions):
        problems.append(hub.doc.problem(("sessions", index, "exceptions"), "every meeting date is listed as an exception: the session never meets"))
    return problems


def with_translations(pages: list[Page], languages: tuple[Language, ...]) -> tuple[list[Page], list[Problem]]:
    """Each page with its translations (pages/host.es.md beside host.md) folded in: its title,
    nav_label, summary and body become texts in several languages (languages.Local)."""
    main = {page.slug: page for page in pages if page.doc.language is None}
    tags = [language.tag for language in languages]
    translations: dict[str, list[Page]] = defaultdict(list)
    problems = []
    for page in pages:
        tag = page.doc.language
        if tag is None:
            continue
        if page.slug not in main:
            problems.append(Problem(page.doc.display, 1, 1, "slug", f"a translation of pages/{page.slug}.md, which does not exist: add it, in the default language ({tags[0] if tags else 'en'})"))
        elif tags and tag == tags[0]:
            problems.append(Problem(page.doc.display, 1, 1, "slug", f"{tag} is the site's default language: its text is pages/{page.slug}.md itself"))
        elif page.record.nav is not None and page.record.nav != main[page.slug].record.nav:
            problems.append(page.doc.problem(("nav",), f"nav is pages/{page.slug}.md's to set: a translation keeps its place in the navigation"))
        else:
            if tag not in tags:
                problems.append(Problem(page.doc.display, 1, 1, "slug", f"{tag} is not one of the site's languages ({', '.join(tags)}): this translation is not published", "warning"))
            translations[page.slug].append(page)
    return [translated_page(page, translations.get(page.slug, []), tags[0] if tags else "en") for page in main.values()], problems


def translated_page(page: Page, translations: list[Page], default: str) -> Page:
    if not translations:
        return page
    def merged(name: str, main: str | None) -> str | None:
        texts = dict(getattr(main, "texts", None) or ({default: main} if main else {}))
        for translation in translations:
            value = getattr(translation.record, name)
            if value:
                texts.update(getattr(value, "texts", None) or {translation.doc.language: value})
        return Local(main, texts) if main and texts else main
    record = page.record.model_copy(update={name: merged(name, getattr(page.record, name)) for name in ("title", "nav_label", "summary")})
    body = Local(page.body, {default: page.body, **{t.doc.language: t.body for t in translations}})
    return Page(page.slug, record, body, page.doc)


def check_pages(pages: list[Page]) -> list[Problem]:
    problems = []
    for page in pages:
        if page.slug in urls.RESERVED:
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


def validated_geocache(doc: Document | None, store: Store | None) -> tuple[dict[str, GeocacheEntry], list[Problem]]:
    """The geocode cache, validated once for its bytes (it holds an entry for every address)."""
    if store is None or doc is None or not doc.digest:
        return validate_geocache(doc)
    return store.table("records").get(("geocache", str(doc.path), doc.display, doc.digest), partial(validate_geocache, doc))


def validate_geocache(doc: Document | None) -> tuple[dict[str, GeocacheEntry], list[Problem]]:
    """The geocode cache: address text -> {lat, lon, display_name, date}."""
    if doc is None or doc.data is None:
        return {}, []
    cache_: dict[str, GeocacheEntry] = {}
    problems = []
    for address, entry in doc.data.items():
        record, found = validate_record(GeocacheEntry, doc, entry, (address,))
        problems += found
        if record is not None:
            cache_[address] = record
    return cache_, problems


