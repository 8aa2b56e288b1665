"""Ids and slugs: the one pattern a file name must match, and the one way text becomes a slug.

File names are the ids of hubs, partners and pages (`^[a-z0-9]+(-[a-z0-9]+)*$`); course names
become the slugs of course pages and session anchors. Error messages and the `new` command
suggest an id made the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

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
    return id_from_name(text) or fallback


_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
ID_LENGTH = 60


def id_from_name(name: str) -> str:
    """The id suggested for a hub or organisation named `name`: transliterated (anyascii:
    'Библиотека' -> 'biblioteka', '서울' -> 'seoul'), apostrophes dropped rather than made hyphens
    ("Brooklyn's" -> 'brooklyns'), at most ID_LENGTH characters cut at a hyphen. The apply form
    (templates/static/js/apply-records.js) does the same with the table `transliteration()` gives it."""
    slug = ascii_slug(_APOSTROPHES.sub("", anyascii(name)))
    if len(slug) > ID_LENGTH:
        slug = slug[:ID_LENGTH + 1].rsplit("-", 1)[0] if "-" in slug[:ID_LENGTH + 1] else slug[:ID_LENGTH]
    return "" if slug in WINDOWS_RESERVED else slug


# Scripts whose letters the form transliterates from a table (Latin with marks, Greek, Cyrillic,
# Armenian, Hebrew, Arabic, Devanagari, Thai, Georgian, Vietnamese); Hangul is composed from its
# letters. Han characters (20,000 of them) are not in the table: the form asks for an id instead.
TABLE_BLOCKS = ((0xC0, 0x250), (0x370, 0x530), (0x530, 0x700), (0x900, 0x980), (0xE00, 0xE80), (0x10A0, 0x1100), (0x1E00, 0x1F00), (0x2018, 0x201A))
HANGUL_FIRST = 0xAC00


def transliteration() -> dict[str, object]:
    """What apply-records.js needs to write id_from_name's ids: a character table, Hangul's letters, and the names Windows keeps."""
    table = {chr(c): anyascii(chr(c)) for low, high in TABLE_BLOCKS for c in range(low, high) if anyascii(chr(c)) != chr(c)}
    hangul = {
        "initial": [anyascii(chr(HANGUL_FIRST + i * 588)).lower()[:-1] for i in range(19)],  # '가' -> 'g' + 'a'
        "medial": [anyascii(chr(HANGUL_FIRST + 11 * 588 + m * 28)).lower() for m in range(21)],  # initial 11 is silent
        "final": ["", *(anyascii(chr(HANGUL_FIRST + 11 * 588 + f)).lower()[1:] for f in range(1, 28))],
    }
    return {"table": table, "hangul": hangul, "reserved": sorted(WINDOWS_RESERVED)}


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
