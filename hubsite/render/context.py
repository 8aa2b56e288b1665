"""What every generator of the render stage shares: the build's `Site`, with the catalog, the
options, the Jinja environment, the assets, the maps, and `page()`, which renders a template at
a path of the site.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from hubsite import urls
from hubsite.directory.catalog import Catalog, HubView
from hubsite.options import BuildOptions
from hubsite.render.assets import Assets
from hubsite.render.calendars import zone_spans
from hubsite.render.environment import shared_environment, text
from hubsite.render.formats import Formats, babel_locale
from hubsite.render.mapping import Maps
from hubsite.render.outputs import Output


class Site:
    """One build's rendering: every generator gets this, and nothing else of the build."""

    def __init__(self, catalog: Catalog, options: BuildOptions) -> None:
        self.catalog = catalog
        self.options = options
        self.base_url = options.base_url or catalog.site.base_url
        self.env = shared_environment(options.templates_dir, options.cache_dir)
        self.assets = Assets(options.templates_dir)
        self.maps = Maps(catalog)
        self.formats = Formats(babel_locale(catalog.site.language), text)

    def page(self, path: str, template: str, root: str | None = None, section: str = "", **context: Any) -> Output:
        """The page at `path` (urls.py's: 'hubs/x/', or a file such as '404.html') from `template`.
        Its links start from `root`: by default the relative way back to the site's root.
        `section`: which link of the main navigation is this page's own."""
        file = urls.output_file(path)
        prefix = urls.root_for(file) if root is None else root
        html = self.env.get_template(template).render(
            site=self.catalog.site,
            catalog=self.catalog,
            today=self.catalog.today,
            root=prefix,
            asset=lambda name: prefix + self.assets.path(name),
            canonical=urls.absolute(self.base_url, urls.page_path(file)),
            current_section=section,
            fmt=self.formats,
            place_of=self.place_of,
            coming_line=self.coming_line,
            **context,
        )
        return Output(file, html.encode("utf-8"))

    def place_of(self, hub: HubView) -> str:
        """'Lower East Side, New York, United States': where a hub is, as a card says it."""
        address = hub.record.address
        return ", ".join(part for part in (address.area, address.city, self.formats.country(address.country)) if part)

    def coming_line(self, hub: HubView) -> str:
        """A card's line about what meets next: 'Machine Learning — Thu, Dec 3, 6:00 – 7:30 PM, and 2 more courses'."""
        fmt, view = self.formats, hub.next_session
        if view is None or view.next_meeting is None:
            return fmt._("No group meets here at the moment.")
        line = fmt._("%(course)s — %(date)s, %(time)s", course=view.session.course, date=fmt.short_day(view.next_meeting), time=fmt.time_range(view.session.time))
        others = sum(1 for s in hub.sessions if s.state != "ended") - 1
        return fmt.ngettext("%(line)s, and %(num)d more course", "%(line)s, and %(num)d more courses", others, line=line) if others else line

    @cached_property
    def zone_spans(self) -> dict[str, tuple[int, int]]:
        """The years each zone's VTIMEZONEs cover (calendars.zone_spans), the same in every calendar."""
        return zone_spans(self.catalog.hubs)
