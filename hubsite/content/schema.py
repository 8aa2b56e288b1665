"""JSON Schema for hub and partner records, generated from the pydantic models so it cannot drift.

Published in the site at /schema/hub.schema.json and /schema/partner.schema.json, and kept in
the repository under hubsite/schemas/, beside the code that makes it, so editors validate and
complete YAML offline: the `# yaml-language-server: $schema=...` line that `new` writes points
there. After changing hubsite/content/records.py, refresh the committed copies with

    python -m hubsite.content.schema            # --check only reports drift, exit 1

tests/content/test_schema.py fails while the committed copies differ from the models.

The schema is pydantic's `model_json_schema()` plus what it cannot know: numbers are accepted
where the models turn them into text (`postal_code: 10458`), dates get a pattern, the rules
the models check in validators that a schema can say (day or days; a logo needs logo_alt; no
online_url for an in-person group) are written as schema, and
each field's description (its one description in the records, descriptions.py) is written as a
sentence for editor hovers. It keeps to draft-07 keywords, which every
YAML editor supports; the host form's validator (templates/static/js/apply-schema.js) implements
exactly KEYWORDS, and a test checks the schema uses no other.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from hubsite import urls
from hubsite.content.descriptions import schema_sentence
from hubsite.content.fields import N_
from hubsite.content.records import NO_LOGO_ALT, HubRecord, PartnerRecord, Record

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"  # hubsite/schemas/: where the records' modelines point
MODELS: dict[str, type[Record]] = {"hub": HubRecord, "partner": PartnerRecord}
DRAFT = "http://json-schema.org/draft-07/schema#"

# What apply-schema.js implements; the rest of the schema's keys are annotations it may ignore.
KEYWORDS = frozenset({
    "$ref", "type", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems",
    "items", "properties", "required", "additionalProperties", "anyOf", "oneOf", "allOf", "if", "then", "else", "format",
})
ANNOTATIONS = frozenset({"$schema", "$comment", "$defs", "title", "description", "default", "examples", "patternErrorMessage", "errorMessage"})

TITLES = {
    "hub": ("Learning hub", "One learning hub: content/hubs/SLUG.yaml, where SLUG (the file name) is its id."),
    "partner": ("Partner organisation", "One host or supporting organisation: content/partners/ID.yaml, where ID (the file name) is its id."),
}

# The models' cross-field validators (Session._one_day_field, PartnerRecord._logo_needs_alt) as schema.
RULES: dict[str, list[dict[str, Any]]] = {
    "Session": [{
        "oneOf": [
            {"required": ["day"], "properties": {"day": {"type": "string"}}},
            {"required": ["days"], "properties": {"days": {"type": "array"}}},
        ],
        "errorMessage": N_("give either day: (one weekday) or days: [a list of weekdays]"),
    }, {
        # Session._online_url_for_online: mode in-person (or none) leaves no room for a video call's link.
        "if": {"properties": {"mode": {"enum": ["in-person"]}}},
        "then": {"properties": {"online_url": {"maxLength": 0}}},
        "errorMessage": N_("an in-person group has no video call: remove online_url, or set mode: online (or hybrid)"),
    }],
    "PartnerRecord": [{
        "if": {"required": ["logo"], "properties": {"logo": {"type": "string"}}},
        "then": {"required": ["logo_alt"], "properties": {"logo_alt": {"type": "string"}}},
        "errorMessage": NO_LOGO_ALT,
    }],
}

DATE_RULE = {"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "patternErrorMessage": N_("not a date (YYYY-MM-DD)")}

def subschemas(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The schemas directly inside `node` (not annotations such as enum values or defaults)."""
    for key in ("properties", "$defs"):
        yield from node.get(key, {}).values()
    for key in ("anyOf", "oneOf", "allOf"):
        yield from node.get(key, [])
    for key in ("items", "if", "then", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield node[key]


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for sub in subschemas(node):
        yield from walk(sub)


def accept_numbers(node: dict[str, Any]) -> None:
    """Records coerce numbers to text (coerce_numbers_to_str): `postal_code: 10458` is valid, so say so.

    Only where a number's text could pass (no enum or format, and the pattern, if any, takes digits).
    """
    if node.get("type") != "string" or "enum" in node or "format" in node:
        return
    pattern = node.get("pattern")
    if pattern is None or re.search(pattern, "1.5"):
        node["type"] = ["string", "number"]
    elif re.search(pattern, "1"):
        node["type"] = ["string", "integer"]


def text_rules_inside(node: dict[str, Any]) -> None:
    """A text that may be translated is anyOf [text, {language: text}]; the field's own rules
    (pattern) land beside the anyOf, where they check nothing: move them to each text."""
    if "anyOf" not in node or "pattern" not in node:
        return
    rules = {key: node.pop(key) for key in ("pattern", "patternErrorMessage") if key in node}
    for option in node["anyOf"]:
        for text in (option, option.get("additionalProperties")):
            if isinstance(text, dict) and text.get("type") == "string":
                text.update(rules)


def describe(node: dict[str, Any]) -> None:
    """Each field's description as an editor's hover (descriptions.schema_sentence: 'Required. The
    city or town.'), in place of pydantic's generated title ('Course Url')."""
    required = set(node.get("required", ()))
    for field, sub in node.get("properties", {}).items():
        sub.pop("title", None)
        if sub.get("description"):  # every field has one: tests/content/test_schema.py says which has not
            sub["description"] = schema_sentence(sub["description"], field in required)


def record_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one record kind ('hub' or 'partner'): a copy of its own."""
    return json.loads(schema_text(kind))


def made_schema(kind: str) -> dict[str, Any]:
    model = MODELS[kind]
    body = model.model_json_schema()
    named = {model.__name__: body, **body.get("$defs", {})}
    for node in list(walk(body)):
        text_rules_inside(node)
    for node in walk(body):
        if model.model_config.get("coerce_numbers_to_str"):
            accept_numbers(node)
        if node.get("format") == "date":
            node.update(DATE_RULE)
    for name, node in named.items():
        describe(node)
        if name in RULES:
            node["allOf"] = RULES[name]
    title, description = TITLES[kind]
    head = {"$schema": DRAFT, "$comment": "Generated from hubsite/content/records.py by `python -m hubsite.content.schema`; do not edit.", "title": title, "description": description}
    body.pop("title", None)
    return {**head, **body}


@cache
def schema_text(kind: str) -> str:
    """Worked out once per process (pydantic takes 8 ms a model; `serve` rebuilds and nine
    languages' application pages ask again)."""
    return json.dumps(made_schema(kind), indent=2, ensure_ascii=True) + "\n"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_files() -> list[tuple[str, bytes]]:
    """The published schema files: (path in the site, bytes)."""
    return [(urls.schema(kind), schema_text(kind).encode("utf-8")) for kind in sorted(MODELS)]


def stale_copies(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Committed schema files that differ from what the models generate now."""
    return [folder / file_name(kind) for kind in sorted(MODELS) if not (folder / file_name(kind)).is_file()
            or (folder / file_name(kind)).read_text(encoding="utf-8") != schema_text(kind)]


def write_copies(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Refresh the committed copies; return the files that changed."""
    changed = stale_copies(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for path in changed:
        path.write_text(schema_text(path.name.split(".")[0]), encoding="utf-8", newline="\n")
    return changed


def used_keywords(schema: dict[str, Any]) -> set[str]:
    return {key for node in walk(schema) for key in node}


def max_lengths(schema: dict[str, Any], node: dict[str, Any] | None = None, prefix: str = "") -> dict[str, int]:
    """{'address.city': 100, 'sessions.course': 200, ...}: the form's maxlength attributes, from the schema."""
    node = schema if node is None else node
    found: dict[str, int] = {}
    for field, sub in node.get("properties", {}).items():
        for option in [sub, *sub.get("anyOf", []), sub.get("items", {})]:
            target = resolve(schema, option)
            if "maxLength" in target:
                found[prefix + field] = target["maxLength"]
            if "properties" in target:
                found.update(max_lengths(schema, target, f"{prefix}{field}."))
    return found


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    return schema["$defs"][ref.rsplit("/", 1)[-1]] if ref.startswith("#/$defs/") else node


def main(argv: list[str] | None = None) -> int:
    """`python -m hubsite.content.schema [--check]`: refresh hubsite/schemas/*.json, or only report drift."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--check"]:
        stale = stale_copies()
        for path in stale:
            print(f"{path} differs from the models: run `python -m hubsite.content.schema`", file=sys.stderr)
        return 1 if stale else 0
    changed = write_copies()
    print("\n".join(f"wrote {path}" for path in changed) or "schema files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
