"""Render the catalog into the site's files (HTML pages, copied assets) in memory.

One Jinja environment, built in one place: autoescape on, StrictUndefined so a template
typo fails the build, rendered Markdown marked safe only in `markup.render_markdown`.
Every link is relative to the page (`root`), so the site works under any base_url path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import pycountry

from hubsite.calendars import calendar_files
from hubsite.catalog import Catalog, HubView, PartnerView
from hubsite.config import BuildOptions
from hubsite.feeds import render_feed
from hubsite.mapping import DATA_PATH, Maps
from hubsite.markup import render_markdown
from hubsite.models import FACILITIES

TEMPLATES = BuildOptions.templates_dir

FACILITY_LABELS = {
    "wifi": "Wi-Fi",
    "computers": "Computers available",
    "wheelchair-access": "Wheelchair access",
    "quiet-room": "Quiet room",
    "childcare": "Childcare",
    "printing": "Printing",
}
assert set(FACILITY_LABELS) == set(FACILITIES)

# Past this many hubs the home directory lists countries with counts, not every hub (home page stays small).
HOME_LIST_LIMIT = 300

STATUS_LABELS = {"active": "Active", "upcoming": "Opening soon", "paused": "Paused", "closed": "Closed"}


@dataclass(frozen=True)
class Output:
    """One file of the site: its path relative to the site root, and its bytes."""

    path: str
    data: bytes


def make_environment(templates_dir: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["markdown"] = render_markdown
    env.filters["longdate"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}" if d else ""
    env.filters["shortdate"] = lambda d: f"{d.day} {d:%b %Y}" if d else ""
    env.filters["language"] = language_name
    env.filters["weekdays"] = lambda days: ", ".join(day.capitalize() for day in days)
    env.globals.update(facility_labels=FACILITY_LABELS, status_labels=STATUS_LABELS)
    return env


@cache
def language_name(tag: str) -> str:
    """'vi' -> 'Vietnamese', 'pt-BR' -> 'Portuguese (BR)'; unknown tags are shown as written."""
    base, _, region = tag.partition("-")
    found = pycountry.languages.get(alpha_2=base.lower()) if len(base) == 2 else pycountry.languages.get(alpha_3=base.lower())
    name = found.name if found else tag
    return f"{name} ({region})" if found and region else name


def root_for(path: str) -> str:
    """The relative prefix from a page at `path` back to the site root: 'hubs/x/index.html' -> '../../'."""
    return "../" * path.count("/")


class Renderer:
    def __init__(self, catalog: Catalog, options: BuildOptions) -> None:
        self.catalog = catalog
        self.options = options
        self.templates_dir = options.templates_dir
        self.env = make_environment(options.templates_dir)
        self.base_url = options.base_url or catalog.site.base_url
        self.maps = Maps(catalog, options.display(options.content_dir / "site.yaml"))

    def page(self, path: str, template: str, root: str | None = None, **context: Any) -> Output:
        prefix = root_for(path) if root is None else root
        html = self.env.get_template(template).render(
            site=self.catalog.site,
            catalog=self.catalog,
            today=self.catalog.today,
            root=prefix,
            asset=lambda name: prefix + self.asset_path(name),
            canonical=self.base_url + path.removesuffix("index.html"),
            **context,
        )
        return Output(path, html.encode("utf-8"))

    def render_all(self) -> Iterator[Output]:
        catalog = self.catalog
        yield self.home_page()
        yield Output(DATA_PATH, self.maps.data_file())
        for hub in catalog.hubs:
            yield self.hub_page(hub)
        yield self.page("partners/index.html", "partners.html")
        for partner in catalog.partners:
            yield self.partner_page(partner)
        for country in catalog.countries:
            yield self.page(f"countries/{country.code.lower()}/index.html", "country.html", country=country)
        yield self.page("courses/index.html", "courses.html")
        for course in catalog.courses:
            yield self.page(f"courses/{course.slug}/index.html", "course.html", course=course)
        for page in catalog.pages:
            yield self.page(f"{page.slug}/index.html", "page.html", page=page)
        # Static hosts serve 404.html at any depth: its links start from the site's path.
        yield self.page("404.html", "404.html", root=urlsplit(self.base_url).path)
        yield from (Output(path, data) for path, data in calendar_files(catalog, self.base_url))
        yield Output("feed.xml", render_feed(catalog, self.base_url))
        yield from self.assets()

    def asset_path(self, name: str) -> str:
        """Where a file of templates/static/ is published, relative to the site root."""
        return "assets/" + name

    def hub_page(self, hub: HubView) -> Output:
        return self.page(f"hubs/{hub.slug}/index.html", "hub.html", hub=hub, hub_map=self.maps.hub(hub, "../../"))

    def home_page(self) -> Output:
        """The map and finder on top of the no-JS directory (every hub, or countries past HOME_LIST_LIMIT)."""
        languages = sorted((language_name(code), code) for code in self.maps.languages())
        return self.page("index.html", "index.html", home_map=self.maps.home(""), finder_languages=languages,
                         list_every_hub=len(self.catalog.hubs) <= HOME_LIST_LIMIT)

    def partner_page(self, partner: PartnerView) -> Output:
        return self.page(f"partners/{partner.id}/index.html", "partner.html", partner=partner, partner_map=self.maps.partner(partner, "../../"))

    def assets(self) -> Iterator[Output]:
        static = self.templates_dir / "static"
        for path in sorted(p for p in static.rglob("*") if p.is_file()):
            yield Output("assets/" + path.relative_to(static).as_posix(), path.read_bytes())
        for partner in self.catalog.partners:
            if partner.record.logo:
                yield Output("assets/content/" + partner.record.logo, (self.options.content_dir / partner.record.logo).read_bytes())


def render_site(catalog: Catalog, options: BuildOptions) -> list[Output]:
    """Render every file of the site, in a stable order."""
    return list(Renderer(catalog, options).render_all())
