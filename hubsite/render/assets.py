"""The site's assets: templates/static/ (our CSS, scripts and favicon, and vendored Leaflet) and
the files content names (logos, read and checked by the content stage).

Our own top-level files are published under a name that carries a hash of their bytes
(`assets/style.3f2a9c1b.css`), so hosts may cache them for a year; vendored folders keep their
paths, because their CSS refers to images relatively and vendor/README.md records their version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from hubsite import urls
from hubsite.options import display_path
from hubsite.problems import BuildFailed, Problem
from hubsite.render.outputs import Output


def carries_hash(name: str) -> bool:
    """Whether a file of templates/static/ is published under a hashed name (style.css, favicon.svg, js/*.js)."""
    folder, _, _ = name.rpartition("/")
    return folder in ("", "js")


def hashed_name(name: str, data: bytes) -> str:
    """'js/map.js' -> 'js/map.3f2a9c1b.js': the first 8 hex digits of the file's SHA-256."""
    if not carries_hash(name):
        return name
    folder, _, file = name.rpartition("/")
    stem, dot, suffix = file.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:8]
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{file}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


class Assets:
    """templates/static/ of one build: read once, published under their names."""

    def __init__(self, templates_dir: Path) -> None:
        self.static = templates_dir / "static"

    @cached_property
    def files(self) -> dict[str, bytes]:
        """name -> bytes, every file of templates/static/, sorted."""
        return {p.relative_to(self.static).as_posix(): p.read_bytes() for p in sorted(self.static.rglob("*")) if p.is_file()}

    @cached_property
    def published(self) -> dict[str, str]:
        """name -> where it is published: each file hashed once a build, not on every page that links it."""
        return {name: urls.asset(hashed_name(name, data)) for name, data in self.files.items()}

    def path(self, name: str) -> str:
        """Where the file `name` of templates/static/ is published, relative to the site root."""
        if name not in self.published:
            where = display_path(self.static / name)
            raise BuildFailed([Problem(where, 1, 1, "asset", f"a template asks for asset('{name}'), but there is no such file")])
        return self.published[name]

    def immutable(self) -> list[str]:
        """The published paths that carry a hash: cached for a year."""
        return [self.path(name) for name in self.files if carries_hash(name)]

    def outputs(self, content_files: dict[str, bytes], static: dict[str, bytes]) -> Iterator[Output]:
        """templates/static/, the files content names (logos), and content/static/ as it is."""
        for name, data in self.files.items():
            yield Output(self.path(name), data)
        for name, data in sorted(content_files.items()):
            yield Output(urls.content_file(name), data)
        for name, data in sorted(static.items()):
            yield Output(name, data)
