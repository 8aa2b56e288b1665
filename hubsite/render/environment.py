"""The one Jinja environment, built in one place: autoescape on, StrictUndefined so a template
typo fails the build, and the one global every template may use (`urls`). The words are not globals: each page gets its
language's `_`, `ngettext`, `pgettext` (render/catalogues.py) and labels with its context.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from hubsite import urls


def make_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """`cache_dir`: where compiled templates are kept between builds (Jinja checks each against
    its source, so an edited template is compiled again)."""
    bytecode = None
    try:
        if cache_dir is not None:
            (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "templates"))
    except OSError:  # a read-only or full disk: compile the templates again, as without a cache
        bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(urls=urls)
    return env


@cache
def shared_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """One environment per templates folder, kept across builds in one process (`serve`): compiled
    templates are reused, and Jinja recompiles any whose file changed (auto_reload)."""
    return make_environment(templates_dir, cache_dir)
