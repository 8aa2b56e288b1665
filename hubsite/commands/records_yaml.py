"""A record's values as the YAML file a person would write: block mappings in the record's order,
short lists of ids and dates in brackets, Markdown as a `|` block, and every other text plain
where the content reader (content/reader.py) reads it back as the same text, quoted where not.

Quoted text is YAML's double-quoted form with every character that is not printable (controls,
the Unicode line separators, bidi controls) written as an escape, so the file holds exactly the
text, which validation then judges: a control character is refused there, with check's words.
"""

from __future__ import annotations

import re
from typing import Any

from hubsite.commands.columns import Plain
from hubsite.content.records import HubRecord

_FLOW_ITEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_RESOLVED = re.compile(r"~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN)|[-+]\.(?:inf|Inf|INF)")
INDENT = "  "


def record_yaml(data: dict[str, Any]) -> str:
    """A hub file's text from its values (`data`, as columns.row_data nests them), keys in the
    record's order and unknown ones after (validation names them)."""
    return "".join(mapping_lines(ordered(data, list(HubRecord.model_fields)), 0))


def ordered(data: dict[str, Any], order: list[str]) -> dict[str, Any]:
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(data.items(), key=lambda item: rank.get(str(item[0]), len(rank))))


def mapping_lines(data: dict[str, Any], depth: int) -> list[str]:
    lines = []
    for key, value in data.items():
        lines += entry_lines(f"{INDENT * depth}{scalar(str(key))}:", value, depth)
    return lines


def entry_lines(lead: str, value: Any, depth: int) -> list[str]:
    """`lead` (a key and its colon, or a list's dash) followed by the value, inline or below."""
    if isinstance(value, dict):
        return [lead + "\n", *mapping_lines(value, depth + 1)]
    if isinstance(value, list):
        if all(isinstance(item, str) and _FLOW_ITEM.fullmatch(item) and not _RESOLVED.fullmatch(item) for item in value):
            return [f"{lead} [{', '.join(value)}]\n"]
        lines = [lead + "\n"]
        for item in value:
            lines += list_item_lines(item, depth + 1)
        return lines
    if isinstance(value, str) and "\n" in value.strip("\n") and block_safe(value):
        return [f"{lead} |\n", *(f"{INDENT * (depth + 1)}{line}\n" if line else "\n" for line in value.strip("\n").split("\n"))]
    return [f"{lead} {scalar(value)}\n"]


def list_item_lines(item: Any, depth: int) -> list[str]:
    """One entry of a block list, its dash at `depth`: `- value`, or a mapping whose first key
    follows the dash and whose other keys line up with it."""
    dash = f"{INDENT * depth}-"
    if not isinstance(item, dict) or not item:
        return entry_lines(dash, item, depth)
    first, *rest = mapping_lines(item, depth + 1)
    return [f"{dash} {first.lstrip(' ')}", *rest]


def block_safe(text: str) -> bool:
    """Whether `text` reads back the same from a `|` block: printable lines, no tab (the reader
    refuses tabs in indentation), no first line starting with a space (it would set the indent)."""
    lines = text.strip("\n").split("\n")
    return not lines[0].startswith(" ") and all(line.isprintable() for line in lines) and "\t" not in text


def scalar(value: Any) -> str:
    if isinstance(value, Plain):
        return str(value)
    text = str(value)
    if plain_safe(text):
        return text
    return quoted(text)


def plain_safe(text: str) -> bool:
    """A text YAML reads back as the same text when written bare."""
    return (bool(text) and (text[0].isalnum() or text[0] in "(/") and text.isprintable() and text == text.strip()
            and ": " not in text and " #" not in text and not text.endswith(":") and not _RESOLVED.fullmatch(text))


def quoted(text: str) -> str:
    return '"' + "".join(escaped(char) for char in text) + '"'


def escaped(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if char.isprintable() or char == " ":
        return char
    code = ord(char)
    return f"\\x{code:02X}" if code < 0x100 else (f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}")
