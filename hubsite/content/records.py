"""The content records: typed, immutable, one class per kind of file or block, built from the
field types of fields.py. validate.py turns loaded documents into them.
"""

from __future__ import annotations

import datetime
from datetime import date
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from hubsite.content.dates import WEEKDAYS
from hubsite.content.fields import (
    FACILITIES,
    PARTNER_KINDS,
    STATUSES,
    CountryCode,
    Email,
    Facility,
    Language,
    Line,
    Link,
    Markdown,
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
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True, allow_inf_nan=False)



class Address(Record):
    line1: text(200) | None = None  # type: ignore[valid-type]
    line2: text(200) | None = None  # type: ignore[valid-type]
    area: text(100) | None = None  # type: ignore[valid-type]  # neighbourhood, borough or district: "Bronx", "Lower East Side"
    city: text(100)  # type: ignore[valid-type]
    region: text(100) | None = None  # type: ignore[valid-type]
    postal_code: text(20) | None = None  # type: ignore[valid-type]
    country: CountryCode

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def query(self) -> str:
        """The address as one line of text: what `geocode` asks for and caches under."""
        parts = (self.line1, self.line2, self.city, self.region, self.postal_code, self.country_name)
        return ", ".join(part for part in parts if part)



class Location(Record):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Contact(Record):
    email: Email | None = None
    phone: Annotated[str, Field(max_length=40, pattern=r"^[0-9+() .\-/]+$"), BeforeValidator(as_written)] | None = None
    url: Link | None = None


class Facilitator(Record):
    name: text(100)  # type: ignore[valid-type]
    bio: translatable(text(1000)) | None = None  # type: ignore[valid-type]


NO_DAY = "required: day or days, the weekday this session meets, like day: tuesday (or days: [tuesday, thursday])"


class Session(Record):
    course: translatable(text(200))  # type: ignore[valid-type]
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
            raise fail("date_order", "ends ({ends}) is before starts ({starts}): check the year and the month", ends=str(value), starts=str(starts))
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


class HubRecord(Record):
    name: translatable(text(200))  # type: ignore[valid-type]
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
    summary: translatable(Line) | None = None  # type: ignore[valid-type]
    last_verified: date | None = None
    description: translatable(Markdown) | None = None  # type: ignore[valid-type]
    facilitators: Annotated[list[Facilitator], Field(max_length=50)] = []
    sessions: Annotated[list[Session], Field(max_length=200)] = []


class PartnerRecord(Record):
    name: translatable(text(200))  # type: ignore[valid-type]
    kind: Literal[PARTNER_KINDS]  # type: ignore[valid-type]
    website: Link | None = None
    logo: Annotated[str, Field(max_length=200, pattern=r"^[A-Za-z0-9_./-]+\.(svg|png|jpg|jpeg|webp)$")] | None = None
    logo_alt: translatable(text(300)) | None = None  # type: ignore[valid-type]
    description: translatable(Markdown) | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _logo_needs_alt(self) -> PartnerRecord:
        if self.logo and not self.logo_alt:
            raise fail("logo_alt", "a logo needs logo_alt: a short text describing it for screen readers")
        return self


class PageRecord(Record):
    title: translatable(text(200))  # type: ignore[valid-type]
    nav: Annotated[int, Field(ge=0, le=100)] | None = None
    nav_label: translatable(text(40)) | None = None  # type: ignore[valid-type]  # its name in the main navigation; the title by default
    summary: translatable(Line) | None = None  # type: ignore[valid-type]


class GeocacheEntry(Record):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    display_name: text(500) | None = None  # type: ignore[valid-type]
    date: datetime.date | None = None


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
