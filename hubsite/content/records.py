"""The content records: typed, immutable, one class per kind of file or block, built from the
field types of fields.py. validate.py turns loaded documents into them.
"""

from __future__ import annotations

import datetime
from datetime import date
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from hubsite.content.dates import WEEKDAYS
from hubsite.content.descriptions import either
from hubsite.content.fields import (
    FACILITIES,
    N_,
    PARTNER_KINDS,
    STATUSES,
    CountryCode,
    Email,
    Facility,
    Language,
    Line,
    Link,
    Markdown,
    OnlineLink,
    Slug,
    Times,
    Timezone,
    Weekday,
    as_written,
    country_name,
    fail,
    text,
    translatable,
)
from hubsite.content.reader import Document


class Record(BaseModel):
    """A record of content. Each field carries its one description (descriptions.py), which the
    schema, `check`'s messages and the starter records are made from."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True, allow_inf_nan=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its class and its fields' values: a build unpickles the records of every hub
        file it keeps, and pydantic's own state (a dict of four, set back by a Python method for
        each of a hub's dozen models) took five times as long. Records forbid extra fields and
        have no private attributes, so the values are all there is."""
        fields = type(self).__pydantic_fields__
        return restored, (type(self), tuple(self.__dict__[name] for name in fields), tuple(sorted(self.__pydantic_fields_set__)))


def restored(cls: type[Record], values: tuple[Any, ...], fields_set: tuple[str, ...]) -> Record:
    """A record as Record.__reduce__ pickled it, set back as pydantic's `model_construct` does
    (it was validated when it was made)."""
    record = cls.__new__(cls)
    object.__setattr__(record, "__dict__", dict(zip(cls.__pydantic_fields__, values, strict=True)))
    object.__setattr__(record, "__pydantic_fields_set__", set(fields_set))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


MARKDOWN_TEXT = "a few sentences in Markdown (raw HTML is shown as text); for several lines write `description: |` and indent them below"


class Address(Record):
    line1: text(200) | None = Field(None, description="the building, street and number, like 1 Main Street: students need it to find the hub")  # type: ignore[valid-type]
    line2: text(200) | None = Field(None, description="a second address line, like the floor or the room")  # type: ignore[valid-type]
    area: text(100) | None = Field(None, description="the neighbourhood, borough or district, like Bronx or Lower East Side: students search by it")  # type: ignore[valid-type]
    city: text(100) = Field(description="the city or town")  # type: ignore[valid-type]
    region: text(100) | None = Field(None, description="the state, province or region")  # type: ignore[valid-type]
    postal_code: text(20) | None = Field(None, description="the postal code")  # type: ignore[valid-type]
    country: CountryCode = Field(description="the two-letter country code (ISO 3166-1), like KE, US or VN")

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def query(self) -> str:
        """The address as one line of text: what `geocode` asks for and caches under."""
        parts = (self.line1, self.line2, self.city, self.region, self.postal_code, self.country_name)
        return ", ".join(part for part in parts if part)



class Location(Record):
    lat: Annotated[float, Field(ge=-90, le=90)] = Field(description="the latitude in decimal degrees, like -1.2864 (right-click the place on openstreetmap.org)")
    lon: Annotated[float, Field(ge=-180, le=180)] = Field(description="the longitude in decimal degrees, like 36.8172 (right-click the place on openstreetmap.org)")


class Contact(Record):
    email: Email | None = Field(None, description="an e-mail address for learners, like hub@example.org")
    phone: Annotated[str, Field(max_length=40, pattern=r"^[0-9+() .\-/]+$"), BeforeValidator(as_written)] | None = Field(
        None, description="a phone number: digits, spaces and + ( ) . - /")
    url: Link | None = Field(None, description="a web page about the hub, starting with https://")


class Facilitator(Record):
    name: text(100) = Field(description="the facilitator's name, as learners call them")  # type: ignore[valid-type]
    bio: translatable(text(1000)) | None = Field(None, description="one or two sentences about them, like: Librarian, took the course in 2025")  # type: ignore[valid-type]


FREQUENCIES = ("weekly", "biweekly")
MODES = ("in-person", "online", "hybrid")
SIGNUPS = ("open", "full", "waitlist", "closed")


class Session(Record):
    course: translatable(text(200)) = Field(description="the course's name, like Learning How to Learn")  # type: ignore[valid-type]
    course_url: Link | None = Field(None, description="the course's page, starting with https://")
    starts: date = Field(description="the first date it meets, like 2026-03-03")
    ends: date = Field(description="the last date it meets, on or after starts, like 2026-05-26")
    day: Weekday | None = Field(None, description="the weekday this session meets, like day: tuesday (or days: [tuesday, thursday])")
    days: Annotated[list[Weekday], Field(min_length=1, max_length=7)] | None = Field(None, description="the weekdays it meets, like [tuesday, thursday]")
    time: Times = Field(description="the local start and end time, like 18:00-20:00")
    frequency: Literal[FREQUENCIES] = Field("weekly", description=f"{either(FREQUENCIES)} (every other week, counted from the first meeting)")  # type: ignore[valid-type]
    exceptions: Annotated[list[date], Field(max_length=200)] = Field([], description="dates it does not meet, like [2026-04-07]")
    language: Language | None = Field(None, description="the language the group meets in, like en")
    facilitator: text(100) | None = Field(None, description="who leads it: the name of one of the hub's facilitators")  # type: ignore[valid-type]
    capacity: Annotated[int, Field(ge=1, le=100_000)] | None = Field(None, description="how many learners can join, a whole number like 20")
    signup_url: Link | None = Field(None, description="where to sign up for this group, starting with https://; the hub's signup_url otherwise")
    mode: Literal[MODES] = Field("in-person", description=f"{either(MODES)}: where the group meets (online: by video call only; hybrid: in the room, and by video call for those who cannot come)")  # type: ignore[valid-type]
    online_url: OnlineLink | None = Field(None, description="for an online or hybrid group, the video call's link, starting with https://; leave it out to tell learners they get it after signing up")
    signup: Literal[SIGNUPS] = Field("open", description=f"{either(SIGNUPS)}: whether learners can still sign up (waitlist: full, but taking names for a free place)")  # type: ignore[valid-type]
    signup_opens: date | None = Field(None, description="the first date learners can sign up, like 2026-02-01, when sign-up opens later than now")
    signup_closes: date | None = Field(None, description="the last date learners can sign up, like 2026-03-01, on or before the session's last date")
    join_until: date | None = Field(None, description="the last date a newcomer may join the group once it has started, like 2026-03-15, within the session's dates")

    @field_validator("ends")
    @classmethod
    def _ends_after_starts(cls, value: date, info: Any) -> date:
        starts = info.data.get("starts")
        if starts and value < starts:
            raise fail("date_order", "ends ({ends}) is before starts ({starts}): check the year and the month", ends=str(value), starts=str(starts))
        return value

    @field_validator("online_url")
    @classmethod
    def _online_url_for_online(cls, value: str | None, info: Any) -> str | None:
        if value is not None and info.data.get("mode", "in-person") == "in-person":
            raise fail("online_url", "an in-person group has no video call: remove online_url, or set mode: online (or hybrid) if the group also meets by video call")
        return value

    @field_validator("signup_closes")
    @classmethod
    def _closes_in_order(cls, value: date | None, info: Any) -> date | None:
        opens, ends = info.data.get("signup_opens"), info.data.get("ends")
        if value is not None and opens is not None and value < opens:
            raise fail("date_order", "signup_closes ({closes}) is before signup_opens ({opens}): sign-up must open before it closes; check the year and the month",
                       closes=str(value), opens=str(opens))
        if value is not None and ends is not None and value > ends:
            raise fail("date_order", "signup_closes ({closes}) is after the group's last meeting ({ends}): sign-up closes on the last date at the latest",
                       closes=str(value), ends=str(ends))
        return value

    @field_validator("signup_opens")
    @classmethod
    def _opens_before_the_end(cls, value: date | None, info: Any) -> date | None:
        ends = info.data.get("ends")
        if value is not None and ends is not None and value > ends:
            raise fail("date_order", "signup_opens ({opens}) is after the group's last meeting ({ends}): check the year and the month", opens=str(value), ends=str(ends))
        return value

    @field_validator("join_until")
    @classmethod
    def _join_within_the_dates(cls, value: date | None, info: Any) -> date | None:
        starts, ends = info.data.get("starts"), info.data.get("ends")
        if value is not None and starts is not None and ends is not None and not starts <= value <= ends:
            raise fail("date_order", "join_until ({until}) is outside the group's dates ({starts} to {ends}): give the last date a newcomer may join, between them",
                       until=str(value), starts=str(starts), ends=str(ends))
        return value

    @model_validator(mode="after")
    def _one_day_field(self) -> Session:
        if self.day is None and self.days is None:
            raise fail("day", NO_DAY)
        if self.day is not None and self.days is not None:
            raise fail("day", "give day: (one weekday) or days: [a list of weekdays], not both")
        return self

    @property
    def weekdays(self) -> tuple[str, ...]:
        chosen = set(self.days or [self.day])
        return tuple(day for day in WEEKDAYS if day in chosen)


# What a session with neither day nor days is told: a rule between two fields, so required by neither.
NO_DAY = f"required: day or days, {Session.model_fields['day'].description}"


class HubRecord(Record):
    name: translatable(text(200)) = Field(description="the hub's name as people know it, like Kibera Community Library")  # type: ignore[valid-type]
    status: Literal[STATUSES] = Field("active", description=f"{either(STATUSES)}; upcoming when it opens soon")  # type: ignore[valid-type]
    host: Slug = Field(description="the id of the partner that runs the hub: a file name in content/partners/, without .yaml")
    partners: Annotated[list[Slug], Field(max_length=50)] = Field([], description="ids of other partners that support the hub, like [coursera]")
    address: Address = Field(description="the postal address, like address: {line1: 1 Main Street, city: Nairobi, country: KE}")
    location: Location | None = Field(None, description="the coordinates, like location: {lat: -1.2864, lon: 36.8172}, or run `python build.py geocode`")
    timezone: Timezone | None = Field(None, description="an IANA time zone name like Africa/Nairobi, or nothing to derive it from the location")
    languages: Annotated[list[Language], Field(max_length=20)] = Field([], description="the languages spoken at the hub, as tags like [en, sw]")
    facilities: Annotated[list[Facility], Field(max_length=len(FACILITIES))] = Field([], description="what the venue offers, a list of any of: " + ", ".join(FACILITIES))
    contact: Contact | None = Field(None, description="how learners reach the hub, like contact: {email: hub@example.org, phone: +254 20 123 4567}")
    signup_url: Link | None = Field(None, description="the sign-up page, starting with https:// (or mailto: for e-mail)")
    summary: translatable(Line) | None = Field(None, description="one line about the hub, shown on its card")  # type: ignore[valid-type]
    last_verified: date | None = Field(None, description="the date the host last confirmed these details, like 2026-03-17; old dates show a notice")
    description: translatable(Markdown) | None = Field(None, description=MARKDOWN_TEXT)  # type: ignore[valid-type]
    facilitators: Annotated[list[Facilitator], Field(max_length=50)] = Field([], description="the people who lead the meetings, like [{name: Amina Otieno, bio: Teacher.}]")
    sessions: Annotated[list[Session], Field(max_length=200)] = Field([], description="the course groups that meet at the hub, each an entry that starts with `- course:`")


# What a partner with a logo but no logo_alt is told, here and in the schema's rule.
NO_LOGO_ALT = N_("a logo needs logo_alt: a short text describing it for screen readers")


class PartnerRecord(Record):
    name: translatable(text(200)) = Field(description="the organisation's name")  # type: ignore[valid-type]
    kind: Literal[PARTNER_KINDS] = Field(description=either(PARTNER_KINDS))  # type: ignore[valid-type]
    website: Link | None = Field(None, description="the organisation's website, starting with https://")
    logo: Annotated[str, Field(max_length=200, pattern=r"^[A-Za-z0-9_./-]+\.(svg|png|jpg|jpeg|webp)$")] | None = Field(
        None, description="a logo file under content/, like logos/library.svg (svg, png, jpg or webp); it needs logo_alt")
    logo_alt: translatable(text(300)) | None = Field(None, description="what the logo shows, for screen readers, like New York Public Library lion logo")  # type: ignore[valid-type]
    description: translatable(Markdown) | None = Field(None, description=MARKDOWN_TEXT)  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _logo_needs_alt(self) -> PartnerRecord:
        if self.logo and not self.logo_alt:
            raise fail("logo_alt", NO_LOGO_ALT)
        return self


class PageRecord(Record):
    title: translatable(text(200)) = Field(description="the page's title")  # type: ignore[valid-type]
    nav: Annotated[int, Field(ge=0, le=100)] | None = Field(None, description="its place in the main navigation, a number from 0 to 100; without it, the page is linked from the footer")
    nav_label: translatable(text(40)) | None = Field(None, description="its name in the main navigation; the title by default")  # type: ignore[valid-type]
    summary: translatable(Line) | None = Field(None, description="one line about the page, for search engines and link previews")  # type: ignore[valid-type]


class GeocacheEntry(Record):
    lat: Annotated[float, Field(ge=-90, le=90)] = Field(description="the latitude the geocoder found, in decimal degrees")
    lon: Annotated[float, Field(ge=-180, le=180)] = Field(description="the longitude the geocoder found, in decimal degrees")
    display_name: text(500) | None = Field(None, description="the place as the geocoder named it")  # type: ignore[valid-type]
    date: datetime.date | None = Field(None, description="when the address was looked up, like 2026-03-17")


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
