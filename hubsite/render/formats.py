"""Dates, times, lists, numbers and time zones as a reader of one language writes them: CLDR's
data through Babel, with its 12- or 24-hour clock, its weekday and month names, its order.

One `Formats` per language, made once per build (`formats_for`); pages get it as `fmt`. The
words that are ours ("%(place)s time") go through the catalogue like every other word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, time
from functools import cache, lru_cache, wraps
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_timezone, get_timezone_location
from babel.lists import format_list
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from hubsite.content.dates import WEEKDAYS
from hubsite.content.fields import TimeRange
from hubsite.languages import Language
from hubsite.render.catalogues import Words

# Babel's weekday numbers (Monday 0) by our names.
WEEKDAY_NUMBER = {day: number for number, day in enumerate(WEEKDAYS)}
# Where a distance is given in miles (CLDR's measurementSystem "US" and "UK" for road distances).
MILE_REGIONS = frozenset({"US", "GB", "LR", "MM"})
KM_PER_MILE = 1.609344


def remembered(method: Callable[..., str]) -> Callable[..., str]:
    """A format of one value, made once per Formats: thousands of sessions share a few hundred
    dates and times, and CLDR's formatting is most of what a schedule costs to render."""
    name = method.__name__

    @wraps(method)
    def once(self: Formats, *args: Any) -> str:
        key = (name, *args)
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = method(self, *args)
        return found

    return once


class Formats:
    def __init__(self, language: Language, words: Words) -> None:
        self.locale = Locale.parse(language.locale_id)
        self._ = words._
        self.ngettext = words.ngettext
        self.pgettext = words.pgettext
        self.made: dict[tuple[Any, ...], str] = {}

    @remembered
    def date(self, day: date) -> str:
        """'Thursday, December 3, 2026': the weekday written out, as a student reads a meeting's date."""
        return format_date(day, "full", locale=self.locale)

    @remembered
    def short_date(self, day: date) -> str:
        """'Dec 3, 2026'."""
        return format_skeleton("yMMMd", day, locale=self.locale)

    @remembered
    def day_month(self, day: date) -> str:
        """'Dec 3'."""
        return format_skeleton("MMMd", day, locale=self.locale)

    @remembered
    def short_day(self, day: date) -> str:
        """'Thu, Dec 3': a coming meeting on a card."""
        return format_skeleton("MMMEd", day, locale=self.locale)

    @remembered
    def day_and_time(self, day: date, span: TimeRange) -> str:
        """'Thu, Dec 3, 6:00 – 7:30 PM': a day and a time joined by the language's own date-time
        pattern (CLDR's: '12月3日周四 18:00–19:30' in Chinese, the time first in Vietnamese)."""
        parts = {"0": self.time_range(span), "1": self.short_day(day)}
        return re.sub(r"\{([01])\}", lambda match: parts[match.group(1)], unquoted(self.locale.datetime_formats["medium"]))

    @remembered
    def date_range(self, first: date, last: date) -> str:
        """'Jan 13 – Mar 17, 2026', or across years 'Nov 2, 2026 – Jan 25, 2027'."""
        return format_interval(first, last, "yMMMd", locale=self.locale)

    @remembered
    def year(self, year: int) -> str:
        """'2026', '2026年': a year as the locale writes one alone (never '2,026')."""
        return format_skeleton("y", date(year, 1, 1), locale=self.locale)

    @remembered
    def time(self, moment: time) -> str:
        return format_time(moment, "short", locale=self.locale)

    @remembered
    def time_range(self, span: TimeRange) -> str:
        """'6:00 – 8:00 PM' or '18:00–20:00', as the locale's clock has it. An end at 24:00 is
        written with the locale's own pattern for two times ('10:00 PM – 12:00 AM', '22:00–24:00')."""
        if not span.midnight:
            return format_interval(span.start, span.end, self.clock_skeleton, locale=self.locale)
        return self.locale.interval_formats[None].replace("{0}", self.time(span.start)).replace("{1}", self.midnight)

    @property
    def clock_skeleton(self) -> str:
        return "hm" if "h" in self.locale.time_formats["short"].pattern else "Hm"

    @property
    def midnight(self) -> str:
        return "24:00" if self.clock_skeleton == "Hm" else format_time(time(0, 0), "short", locale=self.locale)

    def weekday(self, name: str) -> str:
        """'tuesday' -> 'Tuesday' in the locale."""
        return self.locale.days["format"]["wide"][WEEKDAY_NUMBER[name]]

    def weekday_short(self, name: str) -> str:
        return self.locale.days["format"]["abbreviated"][WEEKDAY_NUMBER[name]]

    def weekdays(self, names: Iterable[str]) -> str:
        """'Tuesday and Thursday'."""
        return self.list([self.weekday(name) for name in names])

    def every(self, names: Iterable[str], biweekly: bool) -> str:
        """'Every Tuesday and Thursday', 'Every other Tuesday': a session's rhythm, in a sentence of its own."""
        days = self.weekdays(names)
        return self._("Every other %(days)s", days=days) if biweekly else self._("Every %(days)s", days=days)

    def list(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale) if items else ""

    def list_html(self, items: list[str]) -> Markup:
        """list() of markup (links): each item escaped unless it is markup already, then joined by the locale's pattern."""
        return Markup(format_list([str(escape(item)) for item in items], locale=self.locale)) if items else Markup("")  # noqa: S704 - items escaped

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    @property
    def miles(self) -> bool:
        """Whether the page counts distances in miles: the locale's region as Babel parses it, in
        CLDR's measurement systems that measure roads in miles (MILE_REGIONS: Babel carries the
        locales, not that supplemental table). Only a language tagged with such a region counts
        in miles (en-US, en-GB, es-US); a bare `en` is read worldwide and counts in kilometres, as
        CLDR's world region (001) does: its likely region, US, speaks for one English reader in
        several. The finder's radius and distances follow the page (finder.html), so a page never
        mixes the two."""
        return self.locale.territory in MILE_REGIONS

    def distance(self, km: float) -> str:
        """'12 km', or '7.5 mi' where people count in miles."""
        value = km / KM_PER_MILE if self.miles else km
        return self.in_unit(round(value, 1 if value < 10 else 0))

    def in_unit(self, value: float) -> str:
        """A length already in the page's unit, written: '25 km', or '25 mi' (the finder's radii)."""
        number = format_decimal(value, locale=self.locale)
        return self._("%(distance)s mi", distance=number) if self.miles else self._("%(distance)s km", distance=number)

    def zone(self, zone: str) -> str:
        """The hub's time zone as people name it: 'New York time' where a country has several
        zones, 'Kenya time' where it has one. The IANA name stays in the data."""
        return self._("%(place)s time", place=zone_place(zone, str(self.locale)))

    def language(self, tag: str) -> str:
        """'vi' -> 'Vietnamese', 'pt-BR' -> 'Brazilian Portuguese', in the locale."""
        return language_name(tag, str(self.locale))

    def country(self, code: str) -> str:
        return self.locale.territories.get(code.upper(), code)


@cache
def unquoted(pattern: str) -> str:
    """A CLDR pattern's literal text as written: "{1} 'à' {0}" -> "{1} à {0}" ('' is a quote)."""
    return re.sub(r"'([^']*)'", lambda match: match.group(1) or "'", pattern)


def zone_place(zone: str, locale_id: str) -> str:
    locale = Locale.parse(locale_id)
    country = get_global("zone_territories").get(zone)
    if country and len(get_global("territory_zones").get(country, ())) == 1:
        return locale.territories.get(country, country)
    return get_timezone_location(get_timezone(zone), locale=locale, return_city=True)


@cache  # every language CLDR names, in each of the site's languages: some 10,000 names
def language_name(tag: str, locale_id: str) -> str:
    """A BCP 47 tag's name in a locale (CLDR), or the tag as written when CLDR has no name for it."""
    locale, named = locale_of(locale_id), parsed_locale(tag.replace("-", "_"))
    if named is None:  # a language CLDR has a name for but no locale data (Aymara)
        return locale.languages.get(tag.split("-")[0].lower(), tag)
    return named.get_display_name(locale) or tag


@cache
def locale_of(locale_id: str) -> Locale:
    """Babel's Locale of a locale the site speaks: parsed once, not for each of the names asked in it."""
    return Locale.parse(locale_id)


@cache
def parsed_locale(identifier: str) -> Locale | None:
    """Babel's Locale for an identifier, or None where CLDR has no data for it: parsed once, not
    for every name asked of it (parsing one Babel has no data for scans every locale it has)."""
    try:
        return Locale.parse(identifier)
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return None


@lru_cache(maxsize=1024)
def native_name(tag: str) -> str:
    """A language's name in itself ('sw' -> 'Kiswahili'), or the tag where CLDR has no data for it."""
    try:
        return language_name(tag, tag.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return tag
