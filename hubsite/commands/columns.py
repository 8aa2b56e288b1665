"""The columns of a spreadsheet of hubs, derived from the records (content/records.py), so that a
field added to a hub or a session is a column without this module naming it.

One row per session, the hub's fields on each of its rows (a hub without sessions: one row).

- `slug` first: the hub's file name, which groups its rows;
- a nested field by its dotted path: `address.city`, `location.lat`, `contact.email`;
- a text given in several languages, one column per language: `name.en`, `name.es`, ... (the
  site's languages, then any other a record uses); a plain text is in the default language's;
- a list of values (ids, tags, weekdays, dates) in one cell, its items separated by commas:
  `partners` = `coursera, nypl`; none of them can hold a comma;
- a list of groups of fields, numbered from 1: `facilitators.1.name`, `facilitators.1.bio.en`,
  `facilitators.2.name`, ... as many as the hub that has the most;
- a session's fields after `sessions.`: `sessions.course.en`, `sessions.starts`, `sessions.days`.

`record_cells` turns a record into cells, `row_data` cells back into the values a YAML file
would hold (validation then judges them, as it judges a file), and `column_of` finds the column
of a problem's field (`sessions[2].time`, `name.es`, `facilitators[0].bio`).
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Union

from pydantic import BaseModel

from hubsite.content.fields import TimeRange, TranslatedSchema
from hubsite.content.records import HubRecord

SESSIONS = "sessions"  # the field whose entries are the rows
LIST_SEPARATOR = ","
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class Field:
    """One field of a record as the columns see it: its path and its shape."""

    path: tuple[str, ...]  # ('address', 'city'); a session's: ('sessions', 'time')
    shape: str  # "value", "number", "list", "translated" or "groups" (a list of records)
    model: type[BaseModel] | None = None  # a group's record, for "groups"


def unwrapped(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under Annotated and `| None`, and the metadata met on the way."""
    metadata: list[Any] = []
    while True:
        if typing.get_origin(annotation) is Annotated:
            metadata += list(annotation.__metadata__)
            annotation = annotation.__origin__
        elif typing.get_origin(annotation) in (Union, types.UnionType):
            kept = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = kept[0] if len(kept) == 1 else annotation
            if len(kept) != 1:
                return annotation, metadata
        else:
            return annotation, metadata


def model_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Field]:
    """Every field of `model` as columns see it, nested records opened, in the record's order."""
    found: list[Field] = []
    for name, info in model.model_fields.items():
        annotation, metadata = unwrapped(info.annotation)
        metadata += info.metadata
        path = (*prefix, name)
        item = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None
        item_type = unwrapped(item)[0] if item is not None else None
        if any(isinstance(meta, TranslatedSchema) for meta in metadata):
            found.append(Field(path, "translated"))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += model_fields(annotation, path)
        elif isinstance(item_type, type) and issubclass(item_type, BaseModel):
            found.append(Field(path, "groups", item_type))
        elif item is not None:
            found.append(Field(path, "list"))
        else:
            found.append(Field(path, "number" if annotation in (int, float) else "value"))
    return found


def hub_fields() -> tuple[list[Field], list[Field]]:
    """The hub's own fields, and a session's (`sessions.` before each)."""
    fields = model_fields(HubRecord)
    sessions = next(field for field in fields if field.path == (SESSIONS,))
    assert sessions.model is not None
    return [field for field in fields if field is not sessions], model_fields(sessions.model, (SESSIONS,))


# --- values into cells ------------------------------------------------------------------------


class Unwritable(ValueError):
    """A value the documented cell format cannot hold (a list item with a comma)."""


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | TimeRange):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def list_text(values: list[Any]) -> str:
    items = [cell_text(value) for value in values]
    if any(LIST_SEPARATOR in item for item in items):
        raise Unwritable(f"a list item holds '{LIST_SEPARATOR}', which separates the items of a cell")
    return f"{LIST_SEPARATOR} ".join(items)


def texts_of(value: Any, default: str) -> dict[str, str]:
    """A translated text by language: a plain one is in the default language."""
    if value is None:
        return {}
    return dict(getattr(value, "texts", None) or {default: str(value)})


def field_value(record: BaseModel | None, path: tuple[str, ...]) -> Any:
    """A field's value as its file sets it: None (an empty cell) for one the file leaves to its
    default, so that importing the row writes the file's fields and no others."""
    for name in path:
        if record is None or name not in record.model_fields_set:
            return None
        record = getattr(record, name)
    return record


def field_cells(field: Field, value: Any, default: str) -> dict[str, str]:
    """The cells of one field by column name."""
    name = ".".join(field.path)
    if field.shape == "translated":
        return {f"{name}.{tag}": text for tag, text in texts_of(value, default).items()}
    if field.shape == "list":
        return {name: list_text(value or [])}
    if field.shape == "groups":
        cells: dict[str, str] = {}
        assert field.model is not None
        for number, group in enumerate(value or [], 1):
            for inner in model_fields(field.model, (*field.path, str(number))):
                cells.update(field_cells(inner, field_value(group, inner.path[len(field.path) + 1 :]), default))
        return cells
    return {name: cell_text(value)}


def record_cells(slug: str, record: HubRecord, default: str) -> list[dict[str, str]]:
    """A hub's rows as cells by column name: one per session, or one without sessions."""
    own, session_fields = hub_fields()
    hub = {"slug": slug}
    for field in own:
        hub.update(field_cells(field, field_value(record, field.path), default))
    rows = []
    for session in record.sessions or [None]:
        row = dict(hub)
        for field in session_fields:
            row.update(field_cells(field, field_value(session, field.path[1:]), default))
        rows.append(row)
    return rows


def header_for(rows: list[dict[str, str]], languages: list[str]) -> list[str]:
    """The columns, in the records' order: every field (each language of a translated one, the site's
    first), and as many numbered groups as a hub has."""
    own, session_fields = hub_fields()
    used = {name for row in rows for name, text in row.items() if text}
    header = ["slug"]
    for field in [*own, *session_fields]:
        header += field_columns(field, languages, used)
    return header


def field_columns(field: Field, languages: list[str], used: set[str]) -> list[str]:
    name = ".".join(field.path)
    if field.shape == "translated":
        others = sorted({column.removeprefix(name + ".") for column in used if column.startswith(name + ".") and column.count(".") == name.count(".") + 1} - set(languages))
        return [f"{name}.{tag}" for tag in [*languages, *others]]
    if field.shape == "groups":
        assert field.model is not None
        count = max((int(column[len(name) + 1 :].split(".")[0]) for column in used if column.startswith(name + ".")), default=0)
        return [column for number in range(1, count + 1) for inner in model_fields(field.model, (*field.path, str(number))) for column in field_columns(inner, languages, used)]
    return [name]


# --- cells into values ------------------------------------------------------------------------


class Plain(str):
    """A cell to write unquoted in YAML: a number in a number's field, which YAML reads as one."""


def shapes() -> dict[str, str]:
    """Each column name's shape, with `*` for a group's number: 'facilitators.*.bio' -> 'translated'."""
    own, session_fields = hub_fields()
    found = {}
    for field in [*own, *session_fields]:
        found[".".join(field.path)] = field.shape
        if field.shape == "groups":
            assert field.model is not None
            found.update({".".join(inner.path): inner.shape for inner in model_fields(field.model, (*field.path, "*"))})
    return found


def shape_of(column: str, known: dict[str, str]) -> tuple[str, str]:
    """A column's field (its name without a language, `*` for a group's number) and its shape;
    ('', 'unknown') for a column no field has (its name becomes a key, which validation refuses)."""
    general = re.sub(r"\.[0-9]+(?=\.|$)", ".*", column)
    if general in known:
        return general, known[general]
    field, _, _ = general.rpartition(".")
    if known.get(field) == "translated":
        return field, "translated"
    return "", "unknown"


def cell_value(text: str, shape: str) -> Any:
    if shape == "list":
        return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
    if shape == "number" and _NUMBER.fullmatch(text.strip()):
        return Plain(text.strip())
    return text


def row_data(cells: dict[str, str], known: dict[str, str], default: str) -> dict[str, Any]:
    """A record's values from its filled cells (column name -> text), nested as a YAML file nests
    them: groups numbered from 1 become a list in their numbers' order, a text given only in the
    default language stays a plain text."""
    data: dict[str, Any] = {}
    for column, text in cells.items():
        if not text:
            continue
        _, shape = shape_of(column, known)
        put(data, [int(part) if part.isdigit() else part for part in column.split(".")], cell_value(text, shape))
    return as_lists(plain_defaults(data, known, default))


def put(data: dict[Any, Any], path: list[str | int], value: Any) -> None:
    """Set a value at its path (no column names a field and a field under it: import refuses such a header)."""
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def as_lists(data: Any) -> Any:
    """{1: {...}, 2: {...}} (a group's numbered columns) as a list, in the numbers' order."""
    if not isinstance(data, dict):
        return data
    if data and all(isinstance(key, int) for key in data):
        return [as_lists(data[key]) for key in sorted(data)]
    return {key: as_lists(value) for key, value in data.items()}


def plain_defaults(data: dict[str, Any], known: dict[str, str], default: str, prefix: str = "") -> dict[str, Any]:
    """A translated text given only in the default language, as the plain text a file would hold."""
    for key, value in data.items():
        name = f"{prefix}{'*' if isinstance(key, int) else key}"
        if known.get(name) == "translated" and isinstance(value, dict) and list(value) == [default]:
            data[key] = value[default]
        elif isinstance(value, dict):
            plain_defaults(value, known, default, name + ".")
    return data


# --- problems back to their cells -------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def field_path(field: str) -> list[str | int]:
    """'sessions[2].exceptions[0]' -> ['sessions', 2, 'exceptions', 0]."""
    return [int(index) if index else name for name, index in _STEP.findall(field)]


def column_of(field: str, header: list[str], default: str) -> tuple[int | None, str]:
    """The session (its index, or None for the hub's own fields) and the column a problem's field
    is in: the field's own column, else its default language's, else the first under it."""
    path = field_path(field)
    session = None
    if len(path) > 1 and path[0] == SESSIONS and isinstance(path[1], int):
        session, path = path[1], [SESSIONS, *path[2:]]
    names = [str(part + 1) if isinstance(part, int) and index + 1 < len(path) and isinstance(path[index + 1], str) else part for index, part in enumerate(path)]
    names = [name for name in names if isinstance(name, str)]
    while names:
        name = ".".join(names)
        for candidate in (name, f"{name}.{default}"):
            if candidate in header:
                return session, candidate
        under = [column for column in header if column.startswith(name + ".")]
        if under:
            return session, under[0]
        names.pop()
    return session, "slug"
