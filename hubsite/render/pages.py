"""The HTML pages, one function per kind: a hub's, a partner's, a country's, a course's (rendered
as tasks, in workers for large sites: tasks.py), and the site's own pages (home and indexes,
content pages, the apply form, 404), rendered in the build's process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from markupsafe import Markup

from hubsite import urls
from hubsite.content.records import Page, Partner
from hubsite.directory.catalog import NEARBY_KM, Country, Course, HubView, Offering, PartnerView, SessionView, other_groups
from hubsite.incremental.dependencies import record_dependency
from hubsite.languages import Language, text_in
from hubsite.render.addresses import address_lines
from hubsite.render.apply_form import apply_form
from hubsite.render.calendar_links import session_links
from hubsite.render.context import Site
from hubsite.render.embed import partner_kit
from hubsite.render.linked_data import hub_structured_data
from hubsite.render.numbers import network_numbers
from hubsite.render.outputs import Output
from hubsite.render.qr import qr_svg
from hubsite.render.sessions import SessionText

# Past this many hubs the home directory lists countries with counts, not every hub (home page stays small).
HOME_LIST_LIMIT = 300

# Pages whose Markdown gets build-time data beside it (host.html: who hosts, counts, the ways to apply).
PAGE_TEMPLATES = {"host": "host.html"}


def hub_page(site: Site, hub: HubView) -> Output:
    record_dependency(("hub", hub.slug))
    path = urls.hub(hub.slug)
    root = urls.root_for(urls.output_file(path))
    fmt = site.formats
    past = sorted(hub.ended, key=lambda view: (view.session.ends, view.session.starts), reverse=True)  # the latest first
    texts = {state: [site.session_text(view, hub) for view in views] for state, views in (("current", hub.current), ("upcoming", hub.upcoming), ("ended", past))}
    languages = fmt.list([fmt.language(code) for code in hub.record.languages])
    return site.page(
        path, "hub.html", hub=hub, hub_map=site.maps.hub(hub, root), structured_data=hub_structured_data(hub, site.absolute(path), site.text),
        next_up=site.session_text(hub.next_session, hub) if hub.next_session else None, sessions=texts, zone_name=fmt.zone(hub.timezone),
        address=address_lines(hub.record.address), languages=languages, partner_links=[partner_link(site, root, p) for p in hub.partners],
        neighbours=[(n, fmt.distance(n.km)) for n in hub.neighbours], nearby_limit=fmt.distance(NEARBY_KM),
        elsewhere={view.index: [(o.hub, site.session_text(o.session, o.hub)) for o in groups] for view, groups in turned_away(site, hub)},
        calendar_links={view.slug: session_links(site, hub, view) for view in hub.sessions if view.state != "ended"},
    )


def turned_away(site: Site, hub: HubView) -> Iterator[tuple[SessionView, tuple[Offering, ...]]]:
    """Each of the hub's full or closed groups and where else (or later) its course takes sign-ups.
    What they are depends on every group of the course: each hub that offers it is recorded."""
    for view in hub.sessions:
        if view.state == "ended" or view.signup not in ("full", "closed"):
            continue
        course = site.catalog.courses_by_slug[view.course_slug]
        record_dependency(("course", course.slug))
        for offering in course.offerings:  # shown by the hub's own page, whose template may show them whole
            record_dependency(("hub", offering.hub.slug))
        yield view, other_groups(course, hub, view)


# The lines of sessions a flyer has room for, with the address and the QR code, on one A4 or Letter
# page: each session takes four (course, time, dates, sign-up state), and one more to say where to
# sign up for a group by video call. Three sessions in the room, or two with one by video call.
FLYER_LINES = 12


def flyer_page(site: Site, hub: HubView) -> Output:
    """A hub's flyer, to print and pin up in its building: what it is, the coming sessions with
    their days and local time, the address, and a QR code of the hub's page in this language."""
    record_dependency(("hub", hub.slug))
    coming = sorted((view for view in hub.sessions if view.state != "ended"), key=lambda v: (v.next_meeting or v.session.starts, v.index))
    url = site.absolute(urls.hub(hub.slug))
    sign_up_at = sign_up_addresses([site.session_text(view, hub) for view in coming])
    sessions = [site.session_text(view, hub) for view in flyer_sessions(coming, sign_up_at)]
    return site.page(
        urls.flyer(hub.slug), "flyer.html", hub=hub, sessions=sessions, sign_up_at=sign_up_at,
        more=len(coming) - len(sessions), address=address_lines(hub.record.address), page_url=url,
        short_url=printed_address(url), qr=qr_svg(url, site.words._("QR code of this hub's page: %(url)s", url=url)),
    )


def flyer_sessions(coming: list[SessionView], sign_up_at: dict[int, str]) -> list[SessionView]:
    """The coming sessions, soonest first, as many as FLYER_LINES holds (at least one)."""
    shown: list[SessionView] = []
    lines = 0
    for view in coming:
        lines += 4 + (view.index in sign_up_at)
        if shown and lines > FLYER_LINES:
            break
        shown.append(view)
    return shown


def printed_address(url: str) -> str:
    """'https://example.org/hubs/x/' as paper says it: 'example.org/hubs/x'; 'mailto:a@b.org' as 'a@b.org'."""
    if url.startswith("mailto:"):
        return url.removeprefix("mailto:").split("?", 1)[0]
    return url.split("://", 1)[-1].rstrip("/")


def sign_up_addresses(sessions: list[SessionText]) -> dict[int, str]:
    """Where a flyer says to sign up for a group met by video call (the sign-up is how a student
    gets the call's link, from anywhere), by the session's index: those that take sign-ups or will.
    A group in the room is signed up for through the hub's page, which the flyer's code opens."""
    return {text.view.index: printed_address(text.signup_url) for text in sessions
            if text.session.mode != "in-person" and text.signup_url and text.view.signup in ("open", "waitlist", "opens")}


def partner_link(site: Site, root: str, partner: Partner) -> Markup:
    """A link to a partner's page, for a list the language joins ('with A, B and C')."""
    return Markup('<a href="{0}" dir="auto">{1}</a>').format(root + urls.partner(partner.id), site.local(partner.record.name))


def partner_page(site: Site, partner: PartnerView) -> Output:
    record_dependency(("partner", partner.id))
    listed(partner.hosted + partner.supported)
    path = urls.partner(partner.id)
    root = urls.root_for(urls.output_file(path))
    return site.page(path, "partner.html", partner=partner, partner_map=site.maps.partner(partner, root), kit=partner_kit(site, partner, root))


def country_page(site: Site, country: Country) -> Output:
    record_dependency(("country", country.code))
    listed(country.hubs)
    root = urls.root_for(urls.output_file(urls.country(country.code)))
    city_links = {city.slug: [hub_link(site, root, hub) for hub in city.hubs] for city in country.cities}
    return site.page(urls.country(country.code), "country.html", section="countries", country=country, city_links=city_links)


def hub_link(site: Site, root: str, hub: HubView) -> Markup:
    """A link to a hub's page, for a list the language joins."""
    return Markup('<a href="{0}" dir="auto">{1}</a>').format(root + urls.hub(hub.slug), site.local(hub.name))


def course_page(site: Site, course: Course) -> Output:
    """A course's groups, soonest meeting first; ended ones last, folded."""
    record_dependency(("course", course.slug))
    listed([offering.hub for offering in course.offerings])
    today = site.catalog.today
    rows = [(o.hub, site.session_text(o.session, o.hub)) for o in course.offerings]
    coming = sorted((row for row in rows if row[1].view.state != "ended"), key=lambda row: (row[1].view.next_meeting or today, row[0].slug, row[1].view.index))
    ended = sorted((row for row in rows if row[1].view.state == "ended"), key=lambda row: (row[1].session.ends, row[0].slug), reverse=True)
    return site.page(urls.course(course.slug), "course.html", section="courses", course=course, coming=coming, ended=ended)


def listed(hubs: Iterable[HubView]) -> None:
    """A page that lists hubs depends on each as lists show it (render/sources.py: all but the
    texts only its own pages show)."""
    for hub in hubs:
        record_dependency(("listed", hub.slug))


def directory_pages(site: Site) -> Iterator[Output]:
    """The home page (map and finder on top of the no-JS directory: every hub, or countries past
    HOME_LIST_LIMIT) and the indexes of partners and courses."""
    record_dependency(("lists",))
    record_dependency(("partners",))
    languages = sorted((site.formats.language(code), code) for code in site.maps.languages())
    root = urls.root_for(urls.output_file(urls.HOME))
    yield site.page(urls.HOME, "index.html", section="home", home_map=site.maps.home(root, root + urls.root_for(site.prefix)), finder_languages=languages,
                    list_every_hub=len(site.catalog.hubs) <= HOME_LIST_LIMIT, online_groups=online_groups(site), language_name=site.formats.language(site.language.tag))
    yield site.page(urls.PARTNERS, "partners.html")
    yield site.page(urls.COURSES, "courses.html", section="courses")
    yield site.page(urls.COUNTRIES, "countries.html", section="countries")


# Online groups the home page lists in its language: a few, soonest first; the finder has them all.
HOME_ONLINE_GROUPS = 8


def online_groups(site: Site) -> list[tuple[HubView, SessionText]]:
    """The groups not yet ended that a student can join by video call (online or hybrid) in the
    page's language (its primary tag: a page in zh-Hans lists groups in zh), soonest meeting first."""
    wanted = site.language.tag.split("-")[0].lower()
    rows = [(view.next_meeting or view.session.starts, hub.slug, view.index, hub, view) for hub in site.catalog.hubs for view in hub.sessions
            if view.state != "ended" and view.session.mode != "in-person" and (view.session.language or "").split("-")[0].lower() == wanted]
    return [(hub, site.session_text(view, hub)) for *_, hub, view in sorted(rows, key=lambda row: row[:3])[:HOME_ONLINE_GROUPS]]


def content_page(site: Site, page: Page) -> Output:
    """A Markdown page of content/pages/ (a page with a template of its own, in PAGE_TEMPLATES, in it)."""
    if page.slug in PAGE_TEMPLATES:
        record_dependency(("hubs",))  # the host guide says who hosts, and how many
    return site.page(urls.page(page.slug), PAGE_TEMPLATES.get(page.slug, "page.html"), section=page.slug, page=page)


def apply_page(site: Site) -> Output:
    """The form that applies to host a hub."""
    root = urls.root_for(urls.output_file(urls.APPLY))
    return site.page(urls.APPLY, "apply.html", form=apply_form(site.catalog, site.formats, site.text), pick_map=site.maps.picker(root),
                     addresses={"hub": site.absolute(urls.HUB_PAGES), "partner": site.absolute(urls.PARTNERS), "hub_page": site.absolute(urls.hub("{slug}"))})


def not_found_page(site: Site) -> Output:
    """404.html: static hosts serve it at any depth, so its links start from the site's path."""
    return site.page(urls.NOT_FOUND, "404.html", root=site.not_found_root)


def numbers_page(site: Site) -> Output:
    """The network in numbers, with a bar for each year's active hubs (its length in percent of the busiest year's)."""
    numbers = network_numbers(site.catalog, site.sources.part)
    bars = [(year, round(100 * year.active_hubs / numbers.busiest, 1) if numbers.busiest else 0) for year in numbers.years]
    fmt = site.formats
    # Translators: the number of hubs with one status, in a list under the number of hubs: "Active: 30, Closed: 2".
    statuses = fmt.list([site.words._("%(status)s: %(count)s", status=site.labels.statuses[status], count=fmt.number(count)) for status, count in numbers.statuses.items()])
    return site.page(urls.NUMBERS, "numbers.html", section="numbers", numbers=numbers, bars=bars, statuses=statuses)


def language_picker(site: Site) -> Iterator[Output]:
    """A site in several languages: at its root, the languages to choose from (each in its own
    name), which is also the x-default of every home page; and a 404 page in no one language."""
    base = urlsplit(site.base_url).path
    choices = [(language, urls.language_root(language.key)) for language in site.languages]
    words = {language.tag: picker_words(site, language) for language in site.languages}
    yield site.page(urls.LANGUAGE_PICKER, "languages.html", at_root=True, choices=choices, picker=True, words_in=words)
    yield site.page(urls.NOT_FOUND, "languages.html", root=base, at_root=True, choices=[(language, base + path) for language, path in choices], picker=False, words_in=words)


def picker_words(site: Site, language: Language) -> dict[str, str]:
    """What the picker says in one language, under that language's name."""
    words = site.all_words[language.tag]
    return {"title": text_in(site.catalog.site.title, language.tag, site.default.tag)[0], "enter": words._("Find a learning hub near you"),
            "missing": words._("This page does not exist, or the hub has moved."), "prompt": words._("Choose your language")}
