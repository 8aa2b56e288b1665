"""The pages made to be framed by partners' websites (urls.embed): every hub, and one per partner,
country and course, in each language. Each lists the groups still to meet, hub by hub (the city,
the course, the days and local time, the language, a link to sign up): complete without
JavaScript, with a map only when the frame's address asks for one (`?map=1`, read by embed.js).

Every link opens the full site in the top window (`<base target="_top">`): a visitor who follows a
hub from a library's page lands on the hub's own page, and the Back button returns to the library.
Only the links from one framed list to another (the countries of a very large directory) stay in
the frame. The pages are kept out of the sitemap, say `noindex`, and name the full page as canonical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from hubsite import urls
from hubsite.directory.catalog import Country, Course, HubView, PartnerView, SessionView
from hubsite.incremental.dependencies import record_dependency
from hubsite.render.context import Site
from hubsite.render.outputs import Output
from hubsite.render.sessions import SessionText

# Past this many hubs the list of every hub names the countries, each with its own framed list
# (as the home page does past pages.HOME_LIST_LIMIT): a page to frame stays light.
ALL_HUBS_LIMIT = 300


@dataclass(frozen=True)
class Listed:
    """A hub as a framed list shows it: the groups still to meet there (all, or one course's)."""

    hub: HubView
    groups: list[SessionText]


def embed_all(site: Site) -> Output:
    """Every hub, country by country; past ALL_HUBS_LIMIT, the countries with their counts, each
    linking to its own framed list. The map reads the home map's data files."""
    record_dependency(("lists",))
    config = site.maps.home(*map_roots(site, urls.HOME)) | {"id": "map_embed"}
    title = site.text(site.catalog.site.title)
    if len(site.catalog.hubs) > ALL_HUBS_LIMIT:
        countries = [(country, urls.embed(site.path(urls.country(country.code)))) for country in site.countries]
        return embed_page(site, urls.HOME, title, [], map_config=config, countries=countries)
    sections = [(site.formats.country(country.code), listing(site, country.hubs)) for country in site.countries]
    return embed_page(site, urls.HOME, title, sections, map_config=config)


def embed_partner(site: Site, partner: PartnerView) -> Output:
    """The hubs a partner hosts, then those it supports."""
    record_dependency(("partner", partner.id))
    hubs = list({hub.slug: hub for hub in partner.hosted + partner.supported}.values())
    # Translators: the heading of a list of hubs made to be shown on a partner's own website.
    heading = site.words._("Learning hubs of %(partner)s", partner=site.text(partner.record.name))
    return scoped_page(site, urls.partner(partner.id), heading, listing(site, hubs))


def embed_country(site: Site, country: Country) -> Output:
    record_dependency(("country", country.code))
    heading = site.words._("Learning hubs in %(country)s", country=site.formats.country(country.code))
    return scoped_page(site, urls.country(country.code), heading, listing(site, country.hubs))


def embed_course(site: Site, course: Course) -> Output:
    """The hubs where a course meets, each with that course's groups only."""
    record_dependency(("course", course.slug))
    hubs = list({offering.hub.slug: offering.hub for offering in course.offerings}.values())
    slugs = {(offering.hub.slug, offering.session.index) for offering in course.offerings}
    return scoped_page(site, urls.course(course.slug), site.text(course.name), listing(site, hubs, lambda hub, view: (hub.slug, view.index) in slugs))


def listing(site: Site, hubs: Iterable[HubView], keep: Callable[[HubView, SessionView], bool] | None = None) -> list[Listed]:
    """Each hub with its groups that have not ended (those `keep` keeps, if given); a list
    depends on each hub it shows as lists show it (pages.listed)."""
    found = []
    for hub in hubs:
        record_dependency(("listed", hub.slug))
        views = [view for view in hub.sessions if view.state != "ended" and (keep is None or keep(hub, view))]
        found.append(Listed(hub, [site.session_text(view, hub) for view in views]))
    return found


def scoped_page(site: Site, full: str, heading: str, listed: list[Listed]) -> Output:
    """The framed list of the page at `full` (a partner's, a country's, a course's)."""
    map_config = site.maps.listed([item.hub for item in listed], map_roots(site, full)[0])
    return embed_page(site, full, heading, [("", listed)], map_config=map_config)


def map_roots(site: Site, full: str) -> tuple[str, str]:
    """From the framed page of `full`: the way to its language's home and to the site's root."""
    site_root = urls.root_for(urls.output_file(urls.embed(site.path(full))))
    return site_root + site.prefix, site_root


def embed_page(site: Site, full: str, heading: str, sections: list[tuple[str, list[Listed]]], map_config: dict[str, Any] | None = None,
               countries: list[tuple[Country, str]] | None = None) -> Output:
    """The framed page that lists what the full page at `full` lists (a path of this language)."""
    home, site_root = map_roots(site, full)
    return site.page(
        urls.embed(site.path(full)), "embed.html", at_root=True, heading=heading, sections=sections, country_lists=countries or [],
        home=home, full_path=home + full, full_url=site.absolute(full), embed_map=map_config, embed_root=site_root,
    )


@dataclass(frozen=True)
class PartnerKit:
    """What a partner's page offers it to take away: the code that frames its list (None for a
    site without a web address: a file: build cannot be framed), the list itself (which is also
    the printable list of its groups), and its hubs, each with a flyer."""

    snippet: str | None
    embed: str  # the framed list's path, from the partner's page
    hubs: list[HubView]


def partner_kit(site: Site, partner: PartnerView, root: str) -> PartnerKit | None:
    """The kit of a partner with hubs; `root`: the way from its page to its language's home."""
    hubs = list({hub.slug: hub for hub in partner.hosted + partner.supported}.values())
    if not hubs:
        return None
    framed = urls.embed(site.path(urls.partner(partner.id)))
    url = urls.absolute(site.base_url, framed)
    # Translators: the title of a partner's list of hubs inside its own website (read by screen readers).
    title = site.words._("Learning hubs of %(partner)s", partner=site.text(partner.record.name))
    snippet = iframe_snippet(url, str(title)) if urlsplit(url).scheme in ("http", "https") else None
    return PartnerKit(snippet, root + urls.root_for(site.prefix) + framed, hubs)


def iframe_snippet(url: str, title: str) -> str:
    """The HTML a partner pastes into its page: the URL and title escaped for the attribute they
    land in. Plain text, not Markup: the page that shows it escapes it once more, as text."""
    return str(Markup('<iframe src="{0}" title="{1}" width="100%" height="600" style="border: 0" loading="lazy"></iframe>').format(url, title))
