"""site.yaml: the site's settings, validated with the records and positioned like them, so
`check` and `build` (and `geocode`) refuse the same settings with the same `path:line:col`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, Literal

import xyzservices
from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from hubsite.content.fields import BaseUrl, Email, Line, Link, SiteLanguage, check_printable, fail, text, translatable
from hubsite.content.records import Record
from hubsite.languages import Language, canonical_tag, language

PUBLIC_GEOCODER = "nominatim.openstreetmap.org"


def tile_provider(name: str) -> xyzservices.TileProvider:
    """A tile provider from xyzservices' bundled catalogue (no network), or a reason why not."""
    try:
        provider = provider_named(name)
    except ValueError:
        raise fail("tiles", "unknown tile provider '{name}': use an xyzservices name such as OpenStreetMap.Mapnik, or a URL template with map.attribution", name=name) from None
    if provider.requires_token():
        raise fail("tiles", "tile provider '{name}' needs an API key: give its URL template (with the key) and map.attribution instead", name=name)
    return provider


@cache
def provider_named(name: str) -> xyzservices.TileProvider:
    """xyzservices' own lookup, which flattens its whole catalogue on every call (6 ms, twice a
    build); it hands out the catalogue's own provider, so keeping it shares nothing new."""
    return xyzservices.providers.query_name(name)


# A tile URL template as Leaflet reads it: http(s)://HOST[:PORT]/PATH[?QUERY], where a part of the
# path may hold a placeholder ({z}, {x}, {y}, {-y}, {r} or a named one such as {variant}) and a host
# label only {s}, the subdomains. Its scheme and host reach the Content-Security-Policy (publishing.tile_sources), so
# nothing else may: no user@, no ; or , (they end a directive or a source list), no spaces or quotes.
_PLACEHOLDER = re.compile(r"\{-?[A-Za-z][A-Za-z0-9_]*\}")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TILE_URL = re.compile(
    r"(?i:https?)://(?P<host>[A-Za-z0-9.{}_-]+)(?::(?P<port>[0-9]{1,5}))?"
    rf"/(?:[A-Za-z0-9._~!$*+=:@/-]|%[0-9A-Fa-f]{{2}}|{_PLACEHOLDER.pattern})*"
    rf"(?:\?(?:[A-Za-z0-9._~=&-]|%[0-9A-Fa-f]{{2}}|{_PLACEHOLDER.pattern})*)?"
)
_NOT_IN_TILES = re.compile(r"[;,\s\"'`<>\\\x00-\x1f\x7f]")


def check_tile_template(value: str) -> str:
    """An http(s) tile URL template, or a reason why not in plain words."""
    authority = value.partition("://")[2].partition("/")[0]
    if "@" in authority:
        raise fail("tiles", "'{tiles}' has a user name or password before its host: give the tile server's address only (a key goes in the path or the query)", tiles=value)
    found = _NOT_IN_TILES.search(value)
    if found:
        raise fail("tiles", "'{tiles}' holds {char}, which a tile URL template may not: no spaces, quotes, ; or ,", tiles=value, char=ascii(found.group()))
    match = _TILE_URL.fullmatch(value)
    if not match or not is_tile_host(match["host"]) or (match["port"] and not 0 < int(match["port"]) < 65536):
        raise fail("tiles", "'{tiles}' is not a tile URL template: write http(s)://HOST/PATH with placeholders, like https://{s}.tile.example.org/{z}/{x}/{y}.png", tiles=value)
    return value


def is_tile_host(host: str) -> bool:
    """A DNS name whose labels may hold Leaflet's subdomain placeholder ({s}.tiles.example.org), and
    no other, in any but its last two labels: the policy names each tile host, expanded with its
    subdomains, never a wildcard (a '{variant}.co.uk' would have let images from all of '*.co.uk')."""
    labels = host.split(".")
    plain = labels[-2:] if len(labels) > 1 else labels
    return all(_LABEL.fullmatch(label.replace("{s}", "a")) for label in labels) and not any("{" in label for label in plain)


class MapSettings(Record):
    attribution: text(500) | None = Field(None, description="who the tiles come from, shown on the map; needed with a tile URL template")  # type: ignore[valid-type]  # before tiles: the tiles' check reads it
    tiles: text(500) = Field("OpenStreetMap.Mapnik", description="an xyzservices name like OpenStreetMap.Mapnik, or a tile URL template like https://{s}.tile.example.org/{z}/{x}/{y}.png")  # type: ignore[valid-type]
    center: tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]] = Field((20.0, 0.0), description="where the map opens, as [lat, lon], like [20, 0]")
    zoom: Annotated[int, Field(ge=0, le=19)] = Field(2, description="how close the map opens, from 0 (the whole world) to 19")

    @field_validator("tiles")
    @classmethod
    def _known_tiles(cls, value: str, info: Any) -> str:
        """An xyzservices name, or an http(s) URL template with an attribution."""
        if "://" not in value:
            tile_provider(value)
        elif not value.lower().startswith(("https://", "http://")):
            raise fail("tiles", "'{tiles}' is not an http(s) URL template", tiles=value)
        elif not info.data.get("attribution"):
            raise fail("tiles", "a tile URL template needs map.attribution (who the tiles come from)")
        return value if "://" not in value else check_tile_template(value)


_HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def is_dns_label(label: str) -> bool:
    return 0 < len(label) <= 63 and set(label) <= _HOST_CHARACTERS and not label.startswith("-") and not label.endswith("-")


class GeocodingSettings(Record):
    provider: Literal["nominatim"] = Field("nominatim", description="the geocoding service `python build.py geocode` asks: nominatim")
    domain: text(200) = Field(PUBLIC_GEOCODER, description=f"the geocoder's host name alone, like {PUBLIC_GEOCODER}")  # type: ignore[valid-type]
    scheme: Literal["https", "http"] = Field("https", description="https or http, how to reach the geocoder")
    user_agent: text(200) = Field("learning-hubs-directory", description="how requests name the site to the geocoder, with a contact address, like learning-hubs-directory (hubs@example.org)")  # type: ignore[valid-type]
    min_delay_seconds: Annotated[float, Field(ge=0)] = Field(1.0, description="seconds between two requests, 1 or more on the public Nominatim server")
    timeout_seconds: Annotated[float, Field(gt=0)] = Field(10.0, description="seconds to wait for an answer")
    max_retries: Annotated[int, Field(ge=0, le=10)] = Field(3, description="how many times a failed request is tried again, 0 to 10")
    error_wait_seconds: Annotated[float, Field(ge=0, le=600)] = Field(5.0, description="seconds to wait before trying a failed request again, up to 600")

    @field_validator("domain")
    @classmethod
    def _a_host_name_alone(cls, value: str) -> str:
        """A host name with a dot and nothing else: no scheme, port, path, query or user, and no IP
        address (every spelling of one, `127.0.0.1`, `2130706433`, `0x7f.1`, `[::1]`, ends in a digit
        or holds a colon; a top-level domain starts with a letter). Lowercased, so the public server
        is known however it is written. `geocode` checks the addresses the name resolves to too."""
        host = value.lower()
        labels = host.split(".")
        if len(host) > 253 or len(labels) < 2 or not all(map(is_dns_label, labels)) or not labels[-1][0].isalpha():
            raise fail("host_name", "'{value}' is not a host name: write the geocoder's name alone, like nominatim.openstreetmap.org "
                       "(no https://, port, path or IP address: `scheme` says http or https)", value=value[:80])
        return host

    @field_validator("min_delay_seconds")
    @classmethod
    def _polite_to_the_public_server(cls, value: float, info: Any) -> float:
        if info.data.get("domain") == PUBLIC_GEOCODER and value < 1:
            raise fail("min_delay", "Nominatim's usage policy allows at most 1 request per second on the public server; set 1 or more")
        return value


# Where the application form posts (application_endpoint): `netlify` (the static host's own form
# handling: the form posts to the site itself, which form-action 'self' already allows), or an
# https address that takes a POST. Its scheme, host and port reach the Content-Security-Policy's
# form-action (publishing.form_targets), so it is checked like a tile template: no user@, nothing
# that could end a directive (; ,), no spaces or quotes. Plain http only to the visitor's own
# machine (localhost, 127.0.0.1), which browsers count as secure: for trying a handler out.
NETLIFY = "netlify"
LOOPBACK = frozenset({"localhost", "127.0.0.1"})
_ENDPOINT = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<rest>(?:/(?:[A-Za-z0-9._~!$*+=:@/-]|%[0-9A-Fa-f]{2})*)?(?:\?(?:[A-Za-z0-9._~!$*+=:@/?&-]|%[0-9A-Fa-f]{2})*)?)"
)


def check_endpoint(value: str) -> str:
    """`netlify`, or an https URL with a host name, rebuilt from its parts (scheme and host lower-cased)."""
    if value.strip().lower() == NETLIFY:
        return NETLIFY
    if "@" in value.partition("://")[2].partition("/")[0]:
        raise fail("endpoint", "'{value}' has a user name or password before its host: give the form handler's address only", value=value[:80])
    found = _NOT_IN_TILES.search(value)
    if found:
        raise fail("endpoint", "'{value}' holds {char}, which a form address may not: no spaces, quotes, ; or ,", value=value[:80], char=ascii(found.group()))
    match = _ENDPOINT.fullmatch(value)
    if not match or (match["port"] and not 0 < int(match["port"]) < 65536):
        raise fail("endpoint", "'{value}' is not a form address: write netlify, or https://HOST/PATH, like https://forms.example.org/apply", value=value[:80])
    scheme, host = match["scheme"].lower(), match["host"].lower()
    if host not in LOOPBACK and not is_public_host_name(host):
        raise fail("endpoint", "'{value}' does not name a host: write a host name like forms.example.org (not an IP address)", value=value[:80])
    if scheme != "https" and not (scheme == "http" and host in LOOPBACK):
        raise fail("endpoint", "'{value}' is not https: applicants' answers must travel encrypted, so write https://", value=value[:80])
    port = f":{match['port']}" if match["port"] else ""
    return f"{scheme}://{host}{port}{match['rest']}"


def is_public_host_name(host: str) -> bool:
    """A DNS name of two labels or more whose top-level label starts with a letter (so no IP address)."""
    labels = host.split(".")
    return len(host) <= 253 and len(labels) > 1 and all(map(is_dns_label, labels)) and labels[-1][0].isalpha()


class LanguageChoice(Record):
    """One of `languages:`: a tag, or {tag, label, direction} to name it or set its direction."""

    tag: SiteLanguage = Field(description="the language's tag, like es or zh-Hans")
    label: text(40) | None = Field(None, description="its name in the language picker; CLDR's name of the language in itself by default")  # type: ignore[valid-type]
    direction: Literal["ltr", "rtl"] | None = Field(None, description="ltr or rtl, the direction its text runs; CLDR's by default")


def language_choice(value: Any) -> Any:
    return {"tag": value} if isinstance(value, str) else value


class SiteConfig(Record):
    title: translatable(text(200)) = Field(description="the site's title")  # type: ignore[valid-type]
    tagline: translatable(Line) | None = Field(None, description="one line under the title of the home page")  # type: ignore[valid-type]
    base_url: BaseUrl = Field(description="the address the site is published at, like https://example.org/hubs/")
    language: SiteLanguage | None = Field(None, description="the site's language, like en, for a site in one language (languages: for several)")
    languages: Annotated[list[Annotated[LanguageChoice, BeforeValidator(language_choice)]], Field(min_length=1, max_length=40)] | None = Field(
        None, description="the site's languages, the default first, like [en, es, fr]; each a tag, or {tag, label, direction}")
    contact_email: Email = Field(description="the e-mail address learners and hosts write to")
    host_application_url: Link | None = Field(None, description="another place to tell the maintainers about an organisation, linked from the host guide, like https://example.org/apply")
    application_endpoint: Annotated[str, Field(max_length=2000), AfterValidator(check_printable), AfterValidator(check_endpoint)] | None = Field(
        None, description="where the application form sends its answers: netlify, or an https address that takes a POST; by e-mail without it")
    repository: Link | None = Field(None, description="the directory's repository, like https://github.com/OWNER/REPO; on GitHub it enables the propose-on-GitHub links")
    footer_note: translatable(Line) | None = Field(None, description="one line at the foot of every page")  # type: ignore[valid-type]
    stale_after_days: Annotated[int, Field(ge=1)] = Field(365, description="how many days after last_verified a hub's page says its details may be out of date")
    map: MapSettings = Field(MapSettings(), description="the map: tiles, attribution, center and zoom")
    geocoding: GeocodingSettings = Field(GeocodingSettings(), description="how `python build.py geocode` looks addresses up")

    @field_validator("languages")
    @classmethod
    def _each_language_once(cls, value: list[LanguageChoice] | None) -> list[LanguageChoice] | None:
        keys = [canonical_tag(choice.tag).lower() for choice in value or ()]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise fail("languages", "{tag} is listed twice", tag=twice[0])
        return value

    @model_validator(mode="after")
    def _one_default_language(self) -> SiteConfig:
        if self.language and self.languages and canonical_tag(self.language) != canonical_tag(self.languages[0].tag):
            raise fail("languages", "language: {one} and languages: [{first}, ...] disagree about the default language: keep languages: (its first is the default)",
                       one=self.language, first=self.languages[0].tag)
        return self

    @property
    def site_languages(self) -> tuple[Language, ...]:
        """The site's languages, the default first."""
        choices = tuple((c.tag, c.label, c.direction) for c in self.languages) if self.languages else ((self.language or "en", None, None),)
        return site_languages(choices)

    @property
    def default_language(self) -> Language:
        return self.site_languages[0]


@cache
def site_languages(choices: tuple[tuple[str, str | None, str | None], ...]) -> tuple[Language, ...]:
    return tuple(language(tag, label, direction) for tag, label, direction in choices)  # type: ignore[arg-type]
