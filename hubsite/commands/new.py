"""`python build.py new hub SLUG` / `new partner ID`: write a starter record (content/starters.py)
under a valid id, never over an existing file."""

from __future__ import annotations

from pathlib import Path

from hubsite.content.slugs import is_slug, suggest_slug
from hubsite.content.starters import FOLDERS, schema_ref, starter_hub, starter_partner
from hubsite.options import display_path
from hubsite.problems import HubsiteError


class ScaffoldError(HubsiteError):
    """A refusal with its exit code: 2 for what was typed, 1 for what is on disk."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code


def check_id(kind: str, slug: str) -> None:
    if is_slug(slug):
        return
    suggestion = suggest_slug(slug.lower().removesuffix(".yaml"), f"my-{kind}")
    raise ScaffoldError(f"'{slug}' is not a valid {kind} id: use lowercase letters, digits and single hyphens, e.g. '{suggestion}'", 2)


def create(kind: str, slug: str, content_dir: Path) -> Path:
    """Write content/<kind>s/<slug>.yaml from the starter; refuse bad ids and existing files."""
    check_id(kind, slug)
    if not (content_dir / "site.yaml").is_file():
        raise ScaffoldError(f"no site.yaml in '{display_path(content_dir)}': run this in the project folder, or pass --content DIR", 2)
    folder = content_dir / FOLDERS[kind]
    path = folder / f"{slug}.yaml"
    partners = sorted(p.stem for p in (content_dir / "partners").glob("*.yaml")) if kind == "hub" else []
    text = starter_hub(schema_ref(kind, folder), partners) if kind == "hub" else starter_partner(schema_ref(kind, folder))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"'{display_path(path)}' already exists: edit it, or choose another id", 1) from None
    return path


