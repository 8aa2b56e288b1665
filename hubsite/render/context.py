"""What every generator of the render stage shares: the build's `Site` in one of its languages,
with the catalog, the options, the Jinja environment, the assets, the maps, the language's
words and formats, and `page()`, which renders a template at a path of the site.

A site in one language keeps its paths as they are; in several, each language's pages live
under its key (`es/hubs/SLUG/`, urls.in_language). `root` climbs from a page to its language's
home, `site_root` to the site's own root, where the shared files are (assets, hubs.json).
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from hubsite import urls
from hubsite.directory.catalog import Catalog, HubView, SessionView
from hubsite.incremental.dependencies import record_dependency
from hubsite.incremental.store import Store
from hubsite.languages import Language, direction_of, text_in
from hubsite.options import BuildOptions
from hubsite.render.assets import Assets
from hubsite.render.catalogues import Words
from hubsite.render.environment import shared_environment
from hubsite.render.formats import Formats
from hubsite.render.labels import labels_in
from hubsite.render.mapping import Maps, leaflet_for
from hubsite.render.markup import render_markdown
from hubsite.render.outputs import Output
from hubsite.render.sessions import SessionText, session_text
from hubsite.render.sources import Sources, part_group


class Build:
    """What the site's languages share in one build: the catalog, the options, the Jinja
    environment, the assets, the maps' settings, what pages are made from (`sources`, with the
    parts kept by it) and every language's words. Made once; nothing changes it."""

    def __init__(self, catalog: Catalog, options: BuildOptions, words: dict[str, Words], store: Store | None = None) -> None:
        store = store if store is not None else Store()
        self.catalog = catalog
        self.options = options
        self.base_url = options.base_url or catalog.site.base_url
        self.env = shared_environment(options.templates_dir, options.cache_dir)
        self.assets = Assets(options.templates_dir)
        self.leaflet = leaflet_for(catalog.site.map, options.cache_dir)
        self.event_times: dict[tuple[str, str], list[str]] = {}  # calendars.event_times, shared by every language
        self.sources = Sources(self, store.table("parts", part_group))
        self.time_zones = store.table("time-zones")  # each zone's VTIMEZONE by its years (calendars.timezones)
        self.languages = catalog.site.site_languages
        self.all_words = words

    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1

    def editions(self) -> list[Site]:
        """The site in each of its languages, the default first."""
        return [Site(self, language) for language in self.languages]


class Site:
    """One build's rendering in one language: every generator gets this, and nothing else of the
    build. What the languages share is the `build`'s, named here too for the generators."""

    def __init__(self, build: Build, language: Language) -> None:
        self.build = build
        self.catalog, self.options, self.base_url, self.env, self.assets = build.catalog, build.options, build.base_url, build.env, build.assets
        self.sources, self.event_times, self.languages, self.all_words = build.sources, build.event_times, build.languages, build.all_words
        self.default = self.languages[0]
        self.language = language
        self.prefix = urls.language_root(language.key) if self.multilingual else ""
        self.words = self.all_words[language.tag]
        self.formats = Formats(language, self.words)
        self.maps = Maps(self.catalog, build.leaflet, self.text, self.formats.country, partial(self.sources.part, ("map-facts", language.tag)))
        self.template_words = self.words.markup()
        self.labels = labels_in(self.words)
        self.session_texts: dict[tuple[str, int], SessionText] = {}
        # Babel has no collation: names sort by their case-folded text (Chinese by code point).
        self.countries = sorted(self.catalog.countries, key=lambda c: (self.formats.country(c.code).casefold(), c.code))
        self.courses = sorted(self.catalog.courses, key=lambda c: (self.text(c.name).casefold(), c.slug))

    @property
    def multilingual(self) -> bool:
        return self.build.multilingual

    def path(self, path: str) -> str:
        """A path of this language's pages (urls.py's), as a path of the site."""
        return urls.in_language(self.prefix, path)

    def absolute(self, path: str) -> str:
        return urls.absolute(self.base_url, self.path(path))

    def webcal(self, path: str) -> str | None:
        """The webcal:// address of a calendar of this language, to subscribe to; None for a site
        without a web address (opened from disk: no calendar app could fetch it again)."""
        return urls.webcal(self.absolute(path))

    def page(self, path: str, template: str, root: str | None = None, section: str = "", at_root: bool = False, **context: Any) -> Output:
        """The page at `path` of this language (urls.py's: 'hubs/x/', or a file such as '404.html'),
        or of the site's root (`at_root`: the language picker), from `template`. Its links start
        from `root`: by default the relative way back to the language's home; an absolute one for a
        page served at any depth (404). `section`: which link of the main navigation is its own."""
        record_dependency(("site",))
        site_path = path if at_root else self.path(path)
        file = urls.output_file(site_path)
        if root is None:
            root = urls.root_for(urls.output_file(path))
            site_root = root + ("" if at_root else urls.root_for(self.prefix))
        else:
            site_root = urlsplit(self.base_url).path if root.startswith("/") else root
        page_path = urls.page_path(urls.output_file(path))
        html = self.env.get_template(template).render(
            site=self.catalog.site,
            catalog=self.catalog,
            today=self.catalog.today,
            root=root,
            site_root=site_root,
            asset=lambda name: site_root + self.assets.path(name),
            canonical=urls.absolute(self.base_url, urls.page_path(file)),
            alternates=self.alternates(page_path),
            switcher=self.switcher(page_path, site_root, root.startswith("/")),
            language=self.language,
            current_section=section,
            fmt=self.formats,
            labels=self.labels,
            countries=self.countries,
            courses=self.courses,
            local=self.local,
            plain=self.text,
            markdown=self.markdown,
            place_of=self.place_of,
            coming_line=self.coming_line,
            absolute=self.absolute,
            webcal=self.webcal,
            coming_state=self.coming_state,
            **self.template_words,
            **context,
        )
        return Output(file, html.encode("utf-8"))

    def alternates(self, path: str) -> list[tuple[str, Language | None, str]]:
        """The page in every language, for hreflang and the switcher: (tag, language, absolute URL),
        itself included, then x-default: the language picker for the home page, else the default language."""
        if not self.multilingual or path == urls.NOT_FOUND:
            return []
        found: list[tuple[str, Language | None, str]] = [(language.tag, language, urls.absolute(self.base_url, urls.in_language(urls.language_root(language.key), path))) for language in self.languages]
        default = urls.absolute(self.base_url, urls.LANGUAGE_PICKER) if path == urls.HOME else found[0][2]
        return [*found, ("x-default", None, default)]

    def switcher(self, path: str, site_root: str, anywhere: bool) -> list[tuple[Language, str]]:
        """Each language and the link to this page in it, relative (so a preview stays a preview);
        from a page served at any depth (404), each language's home."""
        if not self.multilingual:
            return []
        target = urls.HOME if anywhere or path == urls.NOT_FOUND else path
        return [(language, site_root + urls.in_language(urls.language_root(language.key), target)) for language in self.languages]

    # --- content in the page's language ---

    def text(self, value: str | None) -> str:
        """A content text (a plain string, or translated) in this language, else the default's: plain."""
        return "" if value is None else text_in(value, self.language.tag, self.default.tag)[0]

    def local(self, value: str | None) -> Markup:
        """A content text for HTML: in another language than the page's, it is marked as such, so
        screen readers say it in that language and bidi lays it out in its direction."""
        if value is None:
            return Markup("")
        text, other = text_in(value, self.language.tag, self.default.tag)
        if other is None:
            return escape(text)
        return Markup('<span lang="{0}" dir="{1}">{2}</span>').format(other, direction_of(other), text)

    def markdown(self, value: str | None) -> Markup:
        """A content text in Markdown, rendered (once per text, whatever the languages that show it)."""
        if not value:
            return Markup("")
        text, other = text_in(value, self.language.tag, self.default.tag)
        html = render_markdown(text)
        return html if other is None else Markup('<div lang="{0}" dir="{1}">{2}</div>').format(other, direction_of(other), html)

    def session_text(self, view: SessionView, hub: HubView) -> SessionText:
        """What a page says of a session in this language: made once, though the hub's page, its
        flyer and the course's page all show it."""
        key = (hub.slug, view.index)
        if key not in self.session_texts:
            self.session_texts[key] = session_text(view, hub, self.formats, self.catalog.today)
        return self.session_texts[key]

    def place_of(self, hub: HubView) -> str:
        """'Lower East Side, New York, United States': where a hub is, as a card says it, in the
        language's order and punctuation (a message: '美国 New York', 'New York، الولايات المتحدة')."""
        address, country = hub.record.address, self.formats.country(hub.record.address.country)
        if address.area:
            # Translators: where a hub is: its neighbourhood, city and country, in the order and with the separators your language writes an address with.
            return self.words._("%(area)s, %(city)s, %(country)s", area=address.area, city=address.city, country=country)
        # Translators: where a hub is: its city and country, in the order and with the separator your language writes an address with.
        return self.words._("%(city)s, %(country)s", city=address.city, country=country)

    def coming_line(self, hub: HubView) -> Markup:
        """A card's line about what meets next, one message so each language orders it its own way:
        'Machine Learning — Thu, Dec 3, 6:00 – 7:30 PM, and 2 more courses'."""
        _, ngettext = self.template_words["_"], self.template_words["ngettext"]
        view = hub.next_session
        if view is None or view.next_meeting is None:
            return _("No group meets here at the moment.")
        course = self.local(view.session.course)
        when = self.formats.day_and_time(view.next_meeting, view.session.time)
        others = sum(1 for s in hub.sessions if s.state != "ended") - 1
        if others:
            # Translators: a hub's card: the course that meets next, its day and time, and how many other courses meet there.
            return ngettext("%(course)s — %(when)s, and %(num)d more course", "%(course)s — %(when)s, and %(num)d more courses", others, course=course, when=when)
        # Translators: a hub's card: the course that meets next, and its day and time.
        return _("%(course)s — %(when)s", course=course, when=when)

    def coming_state(self, hub: HubView) -> str:
        """What a card says of the group its coming line names, in its hub page's words: how it meets
        (said when not in person), whether a student can sign up, and for a group under way its week:
        'Online · Open for sign-up until Mar 10', 'Full: you can join the waiting list'; '' without one."""
        view = hub.next_session
        if view is None or view.next_meeting is None:
            return ""
        text = self.session_text(view, hub)
        said = text.signup
        if text.progress:
            # Translators: a group's sign-up state ("Open for sign-up"), then its week ("Week 4 of 10 · you can still join until Mar 14").
            said = self.words._("%(signup)s · %(progress)s", signup=said, progress=text.progress)
        if view.session.mode == "in-person":
            return said
        # Translators: a hub's card, under the course that meets next: how that group meets ("Online") and its sign-up state ("Full: no places left").
        return self.words._("%(mode)s · %(signup)s", mode=text.mode, signup=said)

    @property
    def not_found_root(self) -> str:
        """The links of a 404 page start from the site's path: static hosts serve it at any depth."""
        return urlsplit(self.base_url).path + self.prefix
