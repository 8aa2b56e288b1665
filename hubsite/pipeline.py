"""The build, top to bottom: gather everything (load, validate, catalog), then write.

Nothing touches the output before every file has validated and every page has rendered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from hubsite.catalog import Catalog, build_catalog
from hubsite.config import BuildOptions
from hubsite.errors import BuildFailed, Problem
from hubsite.load import load_content
from hubsite.models import validate_content
from hubsite.output import write_site
from hubsite.render import render_site


@dataclass(frozen=True)
class Result:
    catalog: Catalog
    warnings: list[Problem]
    files: int = 0
    pages: int = 0
    seconds: float = 0.0

    def summary(self, verb: str) -> str:
        c = self.catalog
        what = f"{len(c.hubs)} hubs, {len(c.partners)} partners"
        if verb == "checked":
            return f"checked {what}, {len(c.pages)} pages: no errors"
        return f"built {what}, {self.pages} pages in {self.seconds:.2f} s"


def gather(options: BuildOptions) -> tuple[Catalog, list[Problem]]:
    """Load, validate and catalog the content; raise BuildFailed listing every error."""
    loaded = load_content(options.content_dir)
    content, problems = validate_content(loaded, options.content_dir)
    catalog = None
    if content is not None and not any(p.severity == "error" for p in problems):
        catalog, found = build_catalog(content, options.today)
        problems += found
    if options.strict:
        problems = [Problem(p.path, p.line, p.col, p.field, p.message) for p in problems]
    if catalog is None or any(p.severity == "error" for p in problems):
        raise BuildFailed(problems)
    return catalog, sorted(set(problems))


def check(options: BuildOptions) -> Result:
    catalog, warnings = gather(options)
    return Result(catalog, warnings)


def build(options: BuildOptions) -> Result:
    started = time.perf_counter()
    catalog, warnings = gather(options)
    outputs = render_site(catalog, options)
    files = write_site(outputs, options.out_dir, options.content_dir)
    pages = sum(1 for o in outputs if o.path.endswith(".html"))
    return Result(catalog, warnings, files, pages, time.perf_counter() - started)
