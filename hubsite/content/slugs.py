"""Ids and slugs: the one pattern a file name must match, and the one way text becomes a slug.

File names are the ids of hubs, partners and pages (`^[a-z0-9]+(-[a-z0-9]+)*$`); course names
become the slugs of course pages and session anchors. Error messages and the `new` command
suggest an id made the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
# Names Windows keeps for devices, with any extension: a site with a folder `hubs/con/` cannot be
# checked out, unzipped or copied there.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})
# Compiled once: re's own cache of 512 patterns is often full by the time a build slugifies.
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_slug(text: str) -> bool:
    return SLUG_RE.match(text) is not None


def ascii_slug(text: str) -> str:
    """Lower case, every run of other characters one '-': 'C++ for You' -> 'c-for-you'. What
    templates/static/js/map.js does to a name, so the map data can leave such slugs out."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def slugify(text: str) -> str:
    """'Introduction to Public Speaking' -> 'introduction-to-public-speaking' (ASCII, stable);
    text with no ASCII letter or digit gets a slug from its hash, a name Windows reserves a suffix."""
    slug = ascii_slug(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())
    if slug in WINDOWS_RESERVED:
        return f"{slug}-course"
    return slug or "course-" + format(abs(hash_text(text)), "x")[:8]


def suggest_slug(text: str, fallback: str) -> str:
    """An id to suggest for a name that is not one ('My Hub.yaml' -> 'my-hub-yaml')."""
    return ascii_slug(text) or fallback


def hash_text(text: str) -> int:
    """A stable (not salted) hash, for ids made from text without any ASCII letter."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def unique_slugs(slugs: list[str]) -> list[str]:
    """Make slugs unique in order: 'c', 'c' -> 'c', 'c-2' ('C++' and 'C#' both slugify to 'c')."""
    taken: set[str] = set()
    out = []
    for slug in slugs:
        candidate, number = slug, 1
        while candidate in taken:
            number += 1
            candidate = f"{slug}-{number}"
        taken.add(candidate)
        out.append(candidate)
    return out
