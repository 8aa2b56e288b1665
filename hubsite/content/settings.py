"""site.yaml: the site's settings, validated with the records and positioned like them, so
`check` and `build` (and `geocode`) refuse the same settings with the same `path:line:col`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import xyzservices
from pydantic import Field, field_validator

from hubsite.content.fields import Email, Language, Line, Link, fail, text
from hubsite.content.records import Record

PUBLIC_GEOCODER = "nominatim.openstreetmap.org"


def tile_provider(name: str) -> xyzservices.TileProvider:
    """A tile provider from xyzservices' bundled catalogue (no network), or a reason why not."""
    try:
        provider = xyzservices.providers.query_name(name)
    except ValueError:
        raise fail("tiles", "unknown tile provider '{name}': use an xyzservices name such as OpenStreetMap.Mapnik, or a URL template with map.attribution", name=name) from None
    if provider.requires_token():
        raise fail("tiles", "tile provider '{name}' needs an API key: give its URL template (with the key) and map.attribution instead", name=name)
    return provider


class MapSettings(Record):
    attribution: text(500) | None = None  # type: ignore[valid-type]  # before tiles: the tiles' check reads it
    tiles: text(500) = "OpenStreetMap.Mapnik"  # type: ignore[valid-type]
    center: tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]] = (20.0, 0.0)
    zoom: Annotated[int, Field(ge=0, le=19)] = 2

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
        return value


class GeocodingSettings(Record):
    provider: Literal["nominatim"] = "nominatim"
    domain: text(200) = PUBLIC_GEOCODER  # type: ignore[valid-type]
    scheme: Literal["https", "http"] = "https"
    user_agent: text(200) = "learning-hubs-directory"  # type: ignore[valid-type]
    min_delay_seconds: Annotated[float, Field(ge=0)] = 1.0
    timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 3
    error_wait_seconds: Annotated[float, Field(ge=0, le=600)] = 5.0  # pause before retrying a failed request

    @field_validator("min_delay_seconds")
    @classmethod
    def _polite_to_the_public_server(cls, value: float, info: Any) -> float:
        if info.data.get("domain") == PUBLIC_GEOCODER and value < 1:
            raise fail("min_delay", "Nominatim's usage policy allows at most 1 request per second on the public server; set 1 or more")
        return value


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
