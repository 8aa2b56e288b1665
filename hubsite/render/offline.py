"""The service worker that lets a visitor read again, without a connection, what they opened:
`/service-worker.js`, at the site's root so that its scope is the site's own path (a site under
/sub/ gets /sub/), from templates/service-worker.js. Its cache is named by a digest of every
asset's name and bytes, so a site whose assets changed empties the cache of the one before (its
pages are asked of the network first anyway). Registered by assets/js/offline.js, on every page.
"""

from __future__ import annotations

import hashlib

from hubsite import urls
from hubsite.render.context import Site
from hubsite.render.outputs import Output


def assets_version(files: dict[str, bytes]) -> str:
    """A digest of every asset's name and bytes: the worker's version, and its cache's name."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(f"{len(name)}:{name}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def service_worker(site: Site) -> Output:
    template = site.env.get_template("service-worker.js")
    script = template.render(version=assets_version(site.assets.files), assets=urls.ASSETS)
    return Output(urls.SERVICE_WORKER, script.encode("utf-8"))
