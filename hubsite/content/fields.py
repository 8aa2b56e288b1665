"""Field types of the content records: each a small validator that turns a raw value into a
value or raises a short reason in our words (`fail`), and the JSON Schema side of the same rule.

The caller (validate.py) adds the field's path and the loader adds its position, so a reason
reads well after `content/hubs/x.yaml:7:3: location.lat: `.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import unicodedata
import zoneinfo
from datetime import time
from functools import cache
from typing import Annotated, Any, Literal, NamedTuple
from urllib.parse import unquote

import pycountry
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic_core import PydanticCustomError, core_schema

from hubsite import urls
from hubsite.content.dates import WEEKDAYS
from hubsite.content.slugs import SLUG_PATTERN, ascii_slug, is_slug
from hubsite.content.wording import country_guess, language_guess, link_guess, time_guess
from hubsite.languages import TAG, Local, babel_locale_of, canonical_tag


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "translate later"
    """Marks a message for the catalogues (`python build.py catalogues`): `check` says it in English,
    a page (the application form) in its own language."""
    return message


FACILITIES = ("wifi", "computers", "wheelchair-access", "quiet-room", "childcare", "printing")
PARTNER_KINDS = ("library", "embassy", "government", "university", "school", "nonprofit", "company")
STATUSES = ("active", "upcoming", "paused", "closed")
MAX_DESCRIPTION = 20_000
MAX_PAGE_BODY = 100_000
MAX_BRACKET_DEPTH = 32
MAX_LINK_PARENS = 32  # in one paragraph: link targets whose '(' Python-Markdown may scan to its end, and '(' nested in one
MAX_EMPHASIS_RUNS = 2_000  # in one paragraph: runs of '*' or '_'
# An e-mail address as RFC 5322's addr-spec: a dot-atom local part without the characters that mean
# something in a mailto: URL or a header (? & % / : quotes), one @, a DNS domain of two labels or more.
_ATOM = r"[A-Za-z0-9!#$*+=^_{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = rf"{_LABEL}(?:\.{_LABEL})*"
EMAIL_ADDRESS = rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+"  # the JSON Schema's patterns use it too
_EMAIL = re.compile(EMAIL_ADDRESS)
_NOT_IN_EMAIL = re.compile(r"[\s\"'?&%/:;,]|@.*@")
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s<>\"'`]*)?")
_TIME_RANGE = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})")
_LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")

OUR_KINDS: set[str] = set()


def fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    """Raise-able validation error with our own wording (shown as is, without 'got ...')."""
    OUR_KINDS.add(kind)
    return PydanticCustomError(kind, message, context)


# --- one small validator per field type -------------------------------------------------


def check_slug(value: str) -> str:
    if not is_slug(value):
        guess = ascii_slug(value)
        if guess and guess != value:
            raise fail("slug", "'{value}' is not an id: ids are lowercase letters, digits and single hyphens; did you mean '{guess}'?", value=value, guess=guess)
        raise fail("slug", "'{value}' is not an id: use lowercase letters, digits and single hyphens, like kibera-library", value=value)
    return value


def check_link(value: str) -> str:
    """Allow only http(s) URLs with a host, and mailto: links to one address."""
    if value.lower().startswith("mailto:"):
        return mailto_link(value)
    if not _URL.fullmatch(value):
        guess = link_guess(value)
        if guess:
            raise fail("link", "'{value}' is not a link: write it with https:// in front, like {guess}", value=value[:80], guess=guess[:90])
        raise fail("link", "'{value}' is not a web link: write an address starting with https:// (or mailto: for e-mail)", value=value[:80])
    return value


def check_online_link(value: str) -> str:
    """An online group's video call: an https URL with a host. Not http: (a call's address often
    carries its passcode), not mailto:. A private or loopback host is only a link: it is shown,
    never fetched by a build."""
    if value.lower().startswith("http://"):
        raise fail("online_link", "'{value}' is not a secure link: a video call's link starts with https:// (it often carries the passcode); write it with https://", value=value[:80])
    if not value.lower().startswith("https://") or not _URL.fullmatch(value):
        guess = link_guess(value)
        if guess:
            raise fail("online_link", "'{value}' is not a link: write it with https:// in front, like {guess}", value=value[:80], guess=guess[:90])
        raise fail("online_link", "'{value}' is not a video call's link: write the address learners open, starting with https://", value=value[:80])
    return value


def mailto_link(value: str) -> str:
    """'mailto:ADDRESS' or 'mailto:ADDRESS?subject=TEXT', rebuilt from its parts. Anything more
    (cc, bcc, body, a second address) would copy what a visitor writes to someone else."""
    address, _, query = value[len("mailto:"):].partition("?")
    check_email(address)
    if not query:
        return urls.mailto(address)
    name, equals, subject = query.partition("=")
    if name.lower() != "subject" or not equals or "&" in subject:
        raise fail("mailto", "'{value}' says more than an address: a mailto: link may hold only the address, and ?subject= after it", value=value[:80])
    try:
        text = unquote(subject, errors="strict")
    except UnicodeDecodeError:
        raise fail("mailto", "'{value}' has a subject that is not percent-encoded UTF-8", value=value[:80]) from None
    return urls.mailto(address, check_printable(one_line(text)))


def check_email(value: str) -> str:
    local, _, domain = value.partition("@")
    if not _EMAIL.fullmatch(value) or len(local) > 64 or len(domain) > 253:
        unlike = "@" in value and _NOT_IN_EMAIL.search(value)
        hint = ", with one @ and without spaces, quotes or ? & % / : ; ," if unlike else ""
        raise fail("email", "'{value}' is not an e-mail address: write one like name@example.org" + hint, value=value[:80])
    return value


# --- the site's address: it reaches _redirects, robots.txt, the sitemap and every canonical link --

_BASE_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>[^/?#]*)(?P<path>[^?#]*)(?P<rest>[?#].*)?", re.DOTALL)
_HOST_PORT = re.compile(rf"(?P<host>{_HOST_NAME}|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{{1,5}}))?")
_SEGMENT = re.compile(r"(?:[A-Za-z0-9._~-]|%(?:20|[89A-Fa-f][0-9A-Fa-f]))+")  # percent-encoded: a space or non-ASCII only
_PATH_FAULTS = (
    (re.compile(r"//"), "an empty segment (//)"),
    (re.compile(r"\\"), "a backslash"),
    (re.compile(r"%(?:2[Ff]|5[Cc])"), "an encoded slash or backslash (%2F, %5C)"),
    (re.compile(r"(?:^|/)(?:\.|%2[Ee]){1,2}(?=/|$)"), "a . or .. segment"),
    (re.compile(r"[\s\x00-\x1f\x7f]"), "a space or a control character"),
)


def check_base_url(value: str, *, from_disk: bool = False) -> str:
    """base_url (and --base-url): http(s)://HOST[:PORT]/PATH/, rebuilt from its checked parts, so
    nothing in it can send a redirect or a script to another host. `from_disk`: the command line
    may also give file:///path/to/site/ for a site opened from disk."""
    match = _BASE_URL.fullmatch(value)
    schemes = ("http", "https", "file") if from_disk else ("http", "https")
    if not match or match["scheme"].lower() not in schemes:
        raise fail("base_url", "base_url must be an http(s) URL" + (" (or file:///path/to/site/ for a site opened from disk)" if from_disk else ""))
    if match["rest"]:
        raise fail("base_url", "'{value}' has a query or a fragment: base_url is the site's address only, like https://example.org/hubs/", value=value[:80])
    scheme = match["scheme"].lower()
    return f"{scheme}://{base_host(value, match['host'], scheme)}{base_path(value, match['path'])}"


def base_host(value: str, netloc: str, scheme: str) -> str:
    """The host (a DNS name or an IP address) and port of base_url, lowercase; none for file:///."""
    if scheme == "file":
        if netloc:
            raise fail("base_url", "'{value}' names a host: write a file address with three slashes, like file:///path/to/site/", value=value[:80])
        return ""
    if "@" in netloc:
        raise fail("base_url", "'{value}' has a user name or password before its host: base_url is the site's address only, like https://example.org/hubs/", value=value[:80])
    found = _HOST_PORT.fullmatch(netloc)
    if not found or not valid_ip_literal(found["host"]) or (found["port"] and not 0 < int(found["port"]) < 65536):
        raise fail("base_url", "'{value}' does not name a host: write a host name like example.org (with a :port if it needs one)", value=value[:80])
    return netloc.lower()


def valid_ip_literal(host: str) -> bool:
    """True for a host name, and for a bracketed IPv6 address that parses (no zone)."""
    if not host.startswith("["):
        return True
    try:
        ipaddress.IPv6Address(host[1:-1])
    except ValueError:
        return False
    return True


def base_path(value: str, path: str) -> str:
    """base_url's path, ending in '/': segments of unreserved characters only."""
    path = path if path.endswith("/") else path + "/"
    fault = next((why for pattern, why in _PATH_FAULTS if pattern.search(path)), None)
    if fault is None and not all(_SEGMENT.fullmatch(segment) for segment in path.strip("/").split("/") if path != "/"):
        fault = "a character other than letters, digits, - . _ ~ and percent-encoded non-ASCII characters"
    if fault:
        raise fail("base_url", "'{value}' is not a clean site address: its path has {fault}; write one like https://example.org/hubs/", value=value[:80], fault=fault)
    return path


def check_country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        guess = country_guess(value)
        if guess:
            raise fail("country", "'{value}' is not a two-letter country code; did you mean '{guess}'?", value=value, guess=guess)
        raise fail("country", "'{value}' is not a two-letter country code (ISO 3166-1, like KE, US, VN)", value=value)
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
        if (value.isupper() and len(value) <= 5) or value.upper().startswith(("GMT+", "GMT-", "UTC+", "UTC-")):
            raise fail("timezone", "'{value}' is an abbreviation or an offset, not a time zone name: write the zone of a city, like Africa/Nairobi, "
                       "or leave timezone out to derive it from the location", value=value)
        close = difflib.get_close_matches(value, timezone_names(), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ": write the zone of a city, like Africa/Nairobi"
        raise fail("timezone", "'{value}' is not a time zone name" + hint, value=value)
    return value


def check_language(value: str) -> str:
    if not _LANGUAGE.fullmatch(value):
        guess = language_guess(value)
        if guess:
            raise fail("language", "'{value}' is not a language tag; did you mean '{guess}'?", value=value, guess=guess)
        raise fail("language", "'{value}' is not a language tag: write a short code, like en, es or pt-BR", value=value)
    return value


def check_site_language(value: str) -> str:
    """A language the site is written in: CLDR must know it, for its dates, names and plural rules."""
    check_language(value)
    if babel_locale_of(value) is None:
        raise fail("site_language", "'{value}' is a language tag CLDR has no data for, so dates and names cannot be written in it; use a tag such as es, fr, ar or zh-Hans", value=value)
    return canonical_tag(value)


def not_a_time_range(text: str) -> PydanticCustomError:
    match = _TIME_RANGE.fullmatch(text)
    if match and int(match[1]) < 24 and int(match[2]) < 60 and int(match[3]) >= 24:
        return fail("time_range", "'{value}' ends after midnight: end it at 24:00 at the latest", value=text)
    guess = time_guess(text)
    if guess:
        return fail("time_range", "'{value}' is not a time range as the site reads it: write {guess}", value=text, guess=guess)
    return fail("time_range", "'{value}' is not a time range: write the local start and end in 24-hour time, like 18:00-20:00", value=text)


def lower_text(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")


def one_line(value: str) -> str:
    """A name, a title, an address line: a line break in one would split a calendar's SUMMARY
    into lines of its own (`END:VEVENT` and all), so none is allowed, at either end."""
    found = _LINE_BREAK.search(value.strip("\n"))
    if found:
        raise fail("one_line", "must be a single line of text: it has a line break (at character {index})", index=found.start() + 1)
    return value


def as_written(value: Any) -> Any:
    """A number the reader typed (reader.WrittenInt/WrittenFloat) as the text it was written as:
    `name: 1.10` is the name '1.10', not 1.1."""
    return getattr(value, "written", value)


class TimeRange(NamedTuple):
    """Local start and end; `midnight`: it ends at 24:00, the end of the day (end is then 00:00)."""

    start: time
    end: time
    midnight: bool = False

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end_text}"

    @property
    def end_text(self) -> str:
        return "24:00" if self.midnight else f"{self.end:%H:%M}"

    @property
    def start_minutes(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minutes(self) -> int:
        return 24 * 60 if self.midnight else self.end.hour * 60 + self.end.minute


def parse_time_range(value: Any) -> TimeRange:
    if value is None or str(value).strip() == "":
        raise PydanticCustomError("missing", "required")  # pydantic's own kind: wording.say adds the field's description
    text = str(as_written(value)).strip()
    match = _TIME_RANGE.fullmatch(text)
    if not match:
        raise not_a_time_range(text)
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    midnight = (h2, m2) == (24, 0)  # ISO 8601's end of the day
    if h1 > 23 or (h2 > 23 and not midnight) or max(m1, m2) > 59:
        raise not_a_time_range(text)
    span = TimeRange(time(h1, m1), time(0, 0) if midnight else time(h2, m2), midnight)
    if span.end_minutes <= span.start_minutes:
        raise fail("time_range", "'{value}' ends before it starts; give the local start and end time", value=text)
    return span


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Characters that reorder text as it is shown (bidi embeddings, overrides, isolates: a "Trojan
# Source" spoof of a name or a link) or that cannot be seen (so two "same" names differ). The
# marks U+200E/U+200F and the joiners U+200C/U+200D stay: right-to-left text and many scripts need them.
SPOOFING = "\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u180e"
_SPOOFING = re.compile(f"[{SPOOFING}]")


def check_printable(value: str) -> str:
    """Refuse control characters and lone surrogates (they break HTML, XML, JSON and iCalendar),
    and characters that reorder or hide text."""
    found = _CONTROL.search(value)
    if found:
        raise fail("control_character", "contains the control character U+{code} (at character {index}); remove it", code=f"{ord(found.group()):04X}", index=found.start() + 1, char=found.group())
    found = _SPOOFING.search(value)
    if found:
        char = found.group()
        why = "which makes text show in another order than it is written" if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069" else "an invisible character"
        raise fail("spoofing", "contains U+{code} {name} (at character {index}), {why}; remove it", code=f"{ord(char):04X}", name=unicodedata.name(char, "?"), index=found.start() + 1, why=why, char=char)
    return value


# The JSON Schema side of each field type (content/schema.py publishes it for editors and the host
# form): the validators' rules as ECMA-262 patterns, written without backslash-quote escapes, which
# the 'u' flag refuses. tests/content/test_schema.py checks that schema and models agree on samples.
NO_CONTROL = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u180e"
PRINTABLE_SCHEMA = {"pattern": f"^[^{NO_CONTROL}]*$", "patternErrorMessage": N_("contains a control or invisible character; remove it")}
LINE_SCHEMA = {"pattern": f"^\\n*[^\\n\\r\\u0085\\u2028\\u2029{NO_CONTROL}]*\\n*$", "patternErrorMessage": N_("must be a single line of text, without control or invisible characters")}
EMAIL_SCHEMA = {"type": "string", "maxLength": 254, "pattern": f"^{EMAIL_ADDRESS}$", "patternErrorMessage": N_("not an e-mail address")}
LINK_SCHEMA = {
    "type": "string",
    "maxLength": 2000,
    "pattern": "^(?:https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\\s<>\"'`]*)?|[Mm][Aa][Ii][Ll][Tt][Oo]:" + EMAIL_ADDRESS + "(?:\\?[Ss][Uu][Bb][Jj][Ee][Cc][Tt]=[^&\\u0000-\\u001f]*)?)$",
    "patternErrorMessage": N_("not an http(s) link, or a mailto: link to one address (with ?subject= at most)"),
}
_ANY_CASE_DAYS = "|".join("".join(f"[{c.upper()}{c}]" for c in day) for day in WEEKDAYS)
WEEKDAY_SCHEMA = {"type": "string", "pattern": f"^\\s*(?:{_ANY_CASE_DAYS})\\s*$", "examples": list(WEEKDAYS), "patternErrorMessage": N_("not a weekday (monday ... sunday)")}
_HOUR_MINUTE = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
TIMES_SCHEMA = {"type": "string", "pattern": f"^\\s*{_HOUR_MINUTE}\\s*-\\s*(?:{_HOUR_MINUTE}|24:00)\\s*$", "patternErrorMessage": N_("not a valid time range (HH:MM-HH:MM, like 18:00-20:00)")}


def text(max_length: int) -> Any:
    """A line of text people read: a name, a title, an address line."""
    return Annotated[str, Field(min_length=1, max_length=max_length, json_schema_extra=LINE_SCHEMA), BeforeValidator(as_written), AfterValidator(one_line), AfterValidator(check_printable)]


Slug = Annotated[str, AfterValidator(check_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "patternErrorMessage": N_("not a valid id: use lowercase letters, digits and single hyphens")})]
Link = Annotated[str, Field(max_length=2000), AfterValidator(check_link), AfterValidator(check_printable), WithJsonSchema(LINK_SCHEMA)]
ONLINE_LINK_SCHEMA = {"type": "string", "maxLength": 2000, "pattern": "^https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\\s<>\"'`]*)?$", "patternErrorMessage": N_("not a secure link: a video call's link starts with https://")}
OnlineLink = Annotated[str, Field(max_length=2000), AfterValidator(check_online_link), AfterValidator(check_printable), WithJsonSchema(ONLINE_LINK_SCHEMA)]
Email = Annotated[str, Field(max_length=254), AfterValidator(check_email), AfterValidator(check_printable), WithJsonSchema(EMAIL_SCHEMA)]
BaseUrl = Annotated[str, Field(max_length=2000), AfterValidator(check_link), AfterValidator(check_printable), AfterValidator(check_base_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})]
CountryCode = Annotated[str, AfterValidator(check_country), WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$", "patternErrorMessage": N_("not an ISO 3166-1 alpha-2 country code (like KE, NO, VN)")})]
Timezone = Annotated[str, AfterValidator(check_timezone), WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$", "patternErrorMessage": N_("not an IANA time zone name (like Africa/Nairobi)")})]
Language = Annotated[str, AfterValidator(check_language), WithJsonSchema({"type": "string", "pattern": f"^{_LANGUAGE.pattern}$", "patternErrorMessage": N_("not a BCP 47 language tag (like en, es, pt-BR)")})]
SiteLanguage = Annotated[str, AfterValidator(check_site_language), WithJsonSchema({"type": "string", "pattern": f"^{_LANGUAGE.pattern}$", "patternErrorMessage": N_("not a BCP 47 language tag (like en, es, zh-Hans)")})]
Weekday = Annotated[Literal[WEEKDAYS], BeforeValidator(lower_text), WithJsonSchema(WEEKDAY_SCHEMA)]  # type: ignore[valid-type]
Facility = Literal[FACILITIES]  # type: ignore[valid-type]
Line = text(300)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)  # as Python-Markdown's, which runs before links
_EMPHASIS_RUN = re.compile(r"[*_]+")


def _link_scans_to_the_end(paragraph: str) -> tuple[int, int]:
    """How many link targets (a '(' right after ']') in a paragraph Python-Markdown's link scan may
    follow to the paragraph's end, and the deepest '(' nesting inside one, in one pass. Its scan goes
    from the '(' to the ')' that balances it, and past it to the end when the target holds a quote
    (a title) that does not end just before that ')' (`[a](x "t")` ends; `[a](" )` does not): each
    such target costs the rest of the paragraph. Code spans and escaped characters are not seen."""
    text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), paragraph)
    stack: list[list[str] | None] = []  # each open '(': None, or a link target's [first quote, whether it came again]
    links: list[int] = []  # where the open link targets are in the stack
    runaway = deepest = 0
    previous = last = ""  # the character before; the last one that is not a space
    escaped = False
    for char in text:
        if escaped:
            escaped, previous, last = False, "", "\\"  # Python-Markdown sees a placeholder here
            continue
        if char == "\\":
            escaped = True
        elif char == "(":
            stack.append(["", ""] if previous == "]" else None)
            if previous == "]":
                links.append(len(stack) - 1)
                if len(links) > MAX_LINK_PARENS:
                    return len(links), deepest
            if links:
                deepest = max(deepest, len(stack) - links[0])
        elif char == ")" and stack:
            target = stack.pop()
            if target is not None:
                links.pop()
                quote, again = target
                runaway += bool(quote) and not (again and last == quote)
        elif char in "'\"" and links:
            for index in links:
                target = stack[index]
                assert target is not None
                if not target[0]:
                    target[0] = char
                elif target[0] == char:
                    target[1] = char
        previous = char
        if char != " ":
            last = char
    return runaway + len(links), deepest


def check_markdown_depth(value: str) -> str:
    """Refuse up front what Python-Markdown is quadratic in: unclosed '[' (20,000 took 25 s); link
    targets it scans to the paragraph's end (`[a](` 25,000 times took 471 s), and runs of emphasis
    markers in one paragraph (each rewrites the paragraph: `*a` 50,000 times took 6 s)."""
    depth = deepest = 0
    for char in value:
        if char == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "]" and depth:
            depth -= 1
    if deepest > MAX_BRACKET_DEPTH or depth > MAX_BRACKET_DEPTH:
        raise fail("markdown_depth", "too many unclosed or nested '[' brackets ({depth}); at most {limit}", depth=max(deepest, depth), limit=MAX_BRACKET_DEPTH)
    for paragraph in _PARAGRAPH_BREAK.split(value):
        if "](" in paragraph:
            runaway, nested = _link_scans_to_the_end(paragraph)
            if runaway > MAX_LINK_PARENS:
                raise fail("markdown_links", "too many link targets '](' left open in one paragraph ({count}; a target ends at its ')', after its title's closing quote); at most {limit}", count=runaway, limit=MAX_LINK_PARENS)
            if nested > MAX_LINK_PARENS:
                raise fail("markdown_links", "too deeply nested '(' in a link target ({depth}); at most {limit}", depth=nested, limit=MAX_LINK_PARENS)
        runs = sum(1 for _ in _EMPHASIS_RUN.finditer(paragraph))
        if runs > MAX_EMPHASIS_RUNS:
            raise fail("markdown_emphasis", "too many '*' or '_' emphasis marks in one paragraph ({count}); at most {limit}: split it into paragraphs", count=runs, limit=MAX_EMPHASIS_RUNS)
    return value


Markdown = Annotated[str, Field(max_length=MAX_DESCRIPTION, json_schema_extra=PRINTABLE_SCHEMA), BeforeValidator(as_written), AfterValidator(check_markdown_depth), AfterValidator(check_printable)]
Times = Annotated[
    TimeRange,
    BeforeValidator(parse_time_range),
    WithJsonSchema(TIMES_SCHEMA),
]




# --- texts in several languages ------------------------------------------------------------


def translated_text(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    """A text people read may be one string (in the site's default language) or a mapping of
    languages to texts (`summary: {en: ..., es: ...}`), each text checked as the field checks one:
    a `Local`, whose str is the default language's text (else the first given). A problem in one
    text names its language (validate.py adds it to the field's path)."""
    if not isinstance(value, dict):
        return handler(value)
    if not value:
        raise fail("translations", "an empty mapping: give the text, or its translations by language, like {en: ..., es: ...}")
    texts: dict[str, str] = {}
    for key, text in value.items():
        written = str(as_written(key))
        if not TAG.fullmatch(written):
            raise fail("translation_language", "'{tag}' is not a language tag (like en, es, zh-Hans): a text in several languages maps each language to its text", tag=written, language=written)
        tag = canonical_tag(written)
        if tag in texts:
            raise fail("translation_language", "{tag} is given twice", tag=tag, language=written)
        try:
            texts[tag] = handler(text)
        except ValidationError as error:
            first = error.errors()[0]
            context = {**(first.get("ctx") or {}), "language": written, "text": text, "message": first["msg"], "kind": first["type"]}
            raise PydanticCustomError("translated", "{message}", context) from None
    default = (info.context or {}).get("default_language")
    return Local(texts[default] if default in texts else next(iter(texts.values())), texts)


class TranslatedSchema:
    """The JSON Schema of a translatable text: the text's own schema, or an object of them by language."""

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        text = handler(schema)
        by_language = {"type": "object", "additionalProperties": text, "description": "The text in several languages, by BCP 47 tag: {en: ..., es: ...}"}
        return {"anyOf": [text, by_language]}


def every_translation(value: Any) -> Any:
    """A translated text as it was given (its mapping), so records compare and hash by every language."""
    return value.texts if isinstance(value, Local) else value


def translatable(field: Any) -> Any:
    """`field` (a str type of this module), which may also be given in several languages."""
    return Annotated[field, WrapValidator(translated_text), TranslatedSchema(), PlainSerializer(every_translation)]
