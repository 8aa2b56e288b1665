"""Validation problems in our words: each of pydantic's error kinds, for each field, as a sentence
that says what is wrong and what to write instead. validate.py puts the field's path and the
position in front: `content/hubs/x.yaml:7:3: name: required: the hub's name as people know it`.

Our own field types already raise in our words (fields.fail); this covers what pydantic itself
finds (a missing or empty value, a wrong type, a number out of range, a value not in a list), and
the guesses that make a mistake quick to fix ("did you mean 'US'?", "write 18:00-20:00").
tests/content/test_wording.py holds a table of common mistakes with their exact messages, and
fails on any message in the validator's own phrasing.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Any

import pycountry
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel

from hubsite.content.dates import WEEKDAYS
from hubsite.content.descriptions import described

TYPES = {"string": "text", "int": "a whole number", "float": "a number", "bool": "true or false", "list": "a list",
         "dict": "a group of fields (key: value lines)", "model": "a group of fields (key: value lines)", "date": "a date (YYYY-MM-DD)"}
MAX_UNKNOWN_KEYS_LISTED = 5  # in one file; the others are counted in one line


def more_unknown_keys(count: int) -> str:
    """The line after the first unknown keys of a file, at the first one it does not list."""
    return f"and {count:,} more unknown {'key' if count == 1 else 'keys'} from here on, not listed one by one; remove them or fix their names"


_CLOCK = re.compile(r"\s*(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])?\.?\s*m?\.?\s*", re.IGNORECASE)


def say(model: type[BaseModel], loc: tuple[str | int, ...], kind: str, value: Any, context: dict[str, Any]) -> str | None:
    """Our sentence for one of pydantic's error kinds, or None to keep the message as it is. What
    to write is the field's own description (descriptions.py), the one its schema and starter show."""
    what = described(model, loc)
    field = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"required: {what}" if what else "required"
    if value is None:
        return f"required: {what}" if what else "required: give a value"
    if value == "" or (kind == "string_too_short" and isinstance(value, str) and not value.strip()):
        return f"is empty: {what}" if what else "is empty: give a value or delete the line"
    if kind == "string_too_long":
        return f"is {len(value):,} characters long, more than the {context.get('max_length')} allowed: shorten it"
    if kind == "too_long":
        return f"has {context.get('actual_length')} entries, more than the {context.get('max_length')} allowed"
    if kind == "too_short":
        return f"is empty: {what}" if what else "is empty"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return bounds(field, value, kind, context, what)
    if kind == "literal_error":
        if [part for part in loc if isinstance(part, str)][-1:] in (["day"], ["days"]) and isinstance(value, str) and (day := weekday_guess(value)):
            return f"{shown(value)} is not a weekday; did you mean '{day}'?"
        return not_one_of(value, context.get("expected", ""), what)
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"):
        return not_a_date(str(value))
    if kind in ("int_parsing", "int_from_float", "float_parsing", "int_type", "float_type", "finite_number"):
        number = "a whole number" if kind.startswith("int") else "a number"
        return f"{shown(value)} is not {number}: write {what}" if what else f"{shown(value)} is not {number}"
    if kind.endswith("_type") or kind == "model_attributes_type":
        wanted = TYPES.get(kind.removesuffix("_type").removesuffix("_attributes"), "another kind of value")
        quoted = "; put it in quotes to make it text" if kind == "string_type" and isinstance(value, bool | int | float) else ""
        return f"{shown(value)} is not {wanted}{quoted}" + (f": write {what}" if what and not quoted else "")
    if kind == "string_pattern_mismatch":
        return f"{shown(value)} is not in the expected form: write {what}" if what else f"{shown(value)} is not in the expected form"
    return None


def not_a_date(text: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"'{text}' is not a real date: check the day and the month (YYYY-MM-DD)"
    guess = date_guess(text)
    if guess:
        return f"'{text}' is not a date as the site reads it: write {guess} (YYYY-MM-DD)"
    return f"'{text}' is not a date: write it as YYYY-MM-DD, like 2026-03-17"


def date_guess(text: str) -> str | None:
    """'13/01/2026' -> '2026-01-13'; '01/13/2026' -> '2026-01-13'; '3/4/2026' is either: None."""
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text.strip())
    if not match:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    else:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if day <= 31 else None


def shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value if len(value) <= 60 else value[:57] + '...'}'"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    return str(value)


def bounds(field: str, value: Any, kind: str, context: dict[str, Any], what: str) -> str:
    limit = next((context[key] for key in ("ge", "le", "gt", "lt") if key in context), "")
    limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
    side = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than", "less_than": "less than"}[kind]
    if field in ("lat", "lon"):
        other = "longitude" if field == "lat" else "latitude"
        swapped = f"; are lat and lon swapped? {other} goes in {'lon' if field == 'lat' else 'lat'}" if field == "lat" and isinstance(value, int | float) and abs(value) <= 180 else ""
        return f"{value} is out of range: it must be {side} {limit}{swapped}"
    return f"{value} must be {side} {limit}" + (f": {what}" if what else "")


# What people write for a value the records spell otherwise.
ALIASES = {"ngo": "nonprofit", "charity": "nonprofit", "non-profit": "nonprofit", "ministry": "government", "college": "university",
           "public-library": "library", "open": "active", "inactive": "paused", "wi-fi": "wifi", "internet": "wifi", "accessible": "wheelchair-access",
           "virtual": "online", "remote": "online", "zoom": "online", "face-to-face": "in-person", "onsite": "in-person", "on-site": "in-person",
           "offline": "in-person", "blended": "hybrid", "mixed": "hybrid", "waiting-list": "waitlist", "wait-list": "waitlist", "waitlisted": "waitlist"}


def not_one_of(value: Any, expected: str, what: str) -> str:
    choices = re.findall(r"'([^']*)'", expected)
    written = str(value).lower().strip().replace(" ", "-").replace("_", "-")
    close = [ALIASES[written]] if ALIASES.get(written) in choices else difflib.get_close_matches(written, choices, n=1, cutoff=0.75) or one_extending(written, choices)
    guess = f"; did you mean '{close[0]}'?" if close else ""
    return f"{shown(value)} is not one of: {', '.join(choices)}{guess}" if choices else f"{shown(value)} is not allowed: {what}"


def one_extending(written: str, choices: list[str]) -> list[str]:
    """The one choice that begins with what was written ('wheelchair' -> 'wheelchair-access'), if
    just one does: a shortened word is too far from its choice for a similarity ratio."""
    extending = [choice for choice in choices if len(written) >= 3 and choice.startswith(written)]
    return extending if len(extending) == 1 else []


# --- guesses for our own field types ------------------------------------------------------------


def country_guess(value: str) -> str | None:
    """'USA' -> 'US', 'Kenya' -> 'KE', 'UK' -> 'GB': the code someone who wrote `value` meant."""
    text = value.strip()
    special = {"UK": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "USA": "US", "EL": "GR"}
    if text.upper() in special:
        return special[text.upper()]
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        pass
    names = {getattr(country, "common_name", None) or country.name: country.alpha_2 for country in pycountry.countries}
    close = difflib.get_close_matches(text.title(), list(names), n=1, cutoff=0.85) if len(text) > 3 else []
    return names[close[0]] if close else None


def time_guess(value: str) -> str | None:
    """'6pm-8pm' -> '18:00-20:00', '18.00 to 20.00' -> '18:00-20:00', '6-8pm' -> '18:00-20:00'."""
    parts = re.split(r"\s*(?:-|–|—|to|until|till)\s*", value.strip(), maxsplit=1, flags=re.IGNORECASE)
    if len(parts) != 2:
        return None
    clocks = [_CLOCK.fullmatch(part) for part in parts]
    if not all(clocks):
        return None
    end_half = clocks[1][3]
    times = []
    for number, match in enumerate(clocks):
        hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or (end_half if number == 0 else None))
        if (half and hour > 12) or hour > 24 or minute > 59 or (hour == 24 and (minute or number == 0)):
            return None
        if half:
            hour = hour % 12 + (12 if half.lower() == "p" else 0)
        times.append(f"{hour:02d}:{minute:02d}")
    if number_of_hours(times[1]) <= number_of_hours(times[0]):
        return None
    return "-".join(times)


def number_of_hours(clock: str) -> float:
    hours, minutes = clock.split(":")
    return int(hours) + int(minutes) / 60


def weekday_guess(value: str) -> str | None:
    """'Tues' -> 'tuesday', 'thurs' -> 'thursday', 'Mon.' -> 'monday'."""
    text = value.strip().lower().rstrip(".")
    starts = [day for day in WEEKDAYS if len(text) >= 2 and day.startswith(text[:3] if len(text) >= 3 else text)]
    if len(starts) == 1:
        return starts[0]
    close = difflib.get_close_matches(text, WEEKDAYS, n=1, cutoff=0.6)
    return close[0] if close else None


def language_guess(value: str) -> str | None:
    """'English' -> 'en', 'Kiswahili' or 'Swahili' -> 'sw', 'español' -> 'es': a tag from a language's name."""
    return language_names().get(value.strip().casefold())


@cache
def language_names() -> dict[str, str]:
    """Every language's name in English and in itself (CLDR), folded, to its tag."""
    names = {"kiswahili": "sw", "farsi": "fa", "mandarin": "zh", "cantonese": "yue"}
    english = Locale.parse("en").languages
    for code, name in english.items():
        if "_" in code or len(code) > 3:
            continue
        names.setdefault(name.casefold(), code)
        try:
            own = Locale.parse(code).get_display_name(code)
        except (ValueError, LookupError, UnknownLocaleError):
            continue
        if own:
            names.setdefault(own.casefold(), code)
    return names


def link_guess(value: str) -> str | None:
    """'www.example.org/x' -> 'https://www.example.org/x': a web address written without its scheme."""
    text = value.strip()
    if re.fullmatch(r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#]\S*)?", text) and "@" not in text:
        return "https://" + text
    return None
