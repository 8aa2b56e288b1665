"""Build options: where content is read from, where the site goes, and what "today" is."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# With `workers` left to the build (None), pages render in parallel when this many artifacts or more
# are to be made again (render/tasks.py: a hub's page with its flyer and calendars, a partner's,
# country's or course's page or framed list; in every language): below it, the workers cost more
# than they save. Forking costs with the size of the build's process: an edit of one hub of 10,000
# took 5 s longer in two workers, to render a dozen pages. The bundled site from nothing (1,260
# such artifacts) builds in 9.0 s with two workers against 11.2-12.0 s with one.
PARALLEL_FROM_ARTIFACTS = 1000


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build depends on besides the content itself."""

    content_dir: Path = Path("content")
    out_dir: Path = Path("site")
    today: date = date(1970, 1, 1)
    base_url: str | None = None
    strict: bool = False
    # Processes rendering hub pages: None lets the build choose (every core, for large sites).
    workers: int | None = 1
    templates_dir: Path = Path(__file__).resolve().parent.parent / "templates"
    # Where a build keeps what later builds can reuse (compiled templates); None keeps nothing.
    cache_dir: Path | None = None

    def display(self, path: Path) -> str:
        """Show a path the way the user would type it: relative to the working directory."""
        return display_path(path)


CACHE_DIR = ".hubsite-cache"


def cache_folder(out_dir: Path) -> Path:
    """Where builds into `out_dir` keep what later builds reuse (manifest, compiled templates, lock): beside it."""
    return out_dir.absolute().parent / CACHE_DIR


def display_path(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path.absolute()) if relative.startswith("..") else relative
