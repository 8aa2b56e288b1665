"""What every generator of the render stage shares: the build's `Site`, with the catalog, the
options, the Jinja environment, the assets, the maps, and `page()`, which renders a template at
a path of the site.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from hubsite import urls
from hubsite.directory.catalog import Catalog
from hubsite.options import BuildOptions
from hubsite.render.assets import Assets
from hubsite.render.calendars import zone_spans
from hubsite.render.environment import shared_environment
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

    def page(self, path: str, template: str, root: str | None = None, **context: Any) -> Output:
        """The page at `path` (urls.py's: 'hubs/x/', or a file such as '404.html') from `template`.
        Its links start from `root`: by default the relative way back to the site's root."""
        file = urls.output_file(path)
        prefix = urls.root_for(file) if root is None else root
        html = self.env.get_template(template).render(
            site=self.catalog.site,
            catalog=self.catalog,
            today=self.catalog.today,
            root=prefix,
            asset=lambda name: prefix + self.assets.path(name),
            canonical=urls.absolute(self.base_url, urls.page_path(file)),
            **context,
        )
        return Output(file, html.encode("utf-8"))

    @cached_property
    def zone_spans(self) -> dict[str, tuple[int, int]]:
        """The years each zone's VTIMEZONEs cover (calendars.zone_spans), the same in every calendar."""
        return zone_spans(self.catalog.hubs)
