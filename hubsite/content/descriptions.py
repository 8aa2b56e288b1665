"""Each field of a record is described once, where it is declared: `Field(description=...)` in
records.py and settings.py, a phrase in the maintainer's English that says what to write ("the
city or town", "the local start and end time, like 18:00-20:00"). Everything that explains a
field is made from that phrase: the JSON Schema's description (schema.py: "Required. The city or
town."), what `check` says after a problem (wording.py: "required: the city or town") and the
starter records' comments (starters.py: `city:  # required: the city or town`).

So a description is a phrase, not a sentence: it is read after "required:" or "write", and ends
without a full stop. tests/content/test_schema.py fails on a field without one. The words the
application form shows visitors are not these: they are the page's, through gettext.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo


def either(choices: Iterable[str]) -> str:
    """('weekly', 'biweekly') -> 'weekly or biweekly': the values a field takes, said as a choice."""
    *others, last = choices
    return f"{', '.join(others)} or {last}" if others else last


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The record a field holds, through lists, unions and Annotated (Address of `address`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, tuple, Union, types.UnionType, Annotated):
        return next(filter(None, map(nested_model, typing.get_args(annotation))), None)
    return None


def fields_along(model: type[BaseModel], loc: Sequence[str | int]) -> Iterator[FieldInfo]:
    """The fields `loc` names, outermost first; list indexes are skipped, and the walk ends where
    `loc` leaves the records (at a language of a translated text, or inside a plain value)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return
        info = current.model_fields[part]
        yield info
        current = nested_model(info.annotation)


def described(model: type[BaseModel], loc: Sequence[str | int]) -> str:
    """The description of the innermost field `loc` names: ('sessions', 0, 'time') of HubRecord ->
    'the local start and end time, like 18:00-20:00'; '' at the record itself."""
    found = [info.description for info in fields_along(model, loc) if info.description]
    return found[-1] if found else ""


def field_at(model: type[BaseModel], path: str) -> FieldInfo:
    """The field a dotted path names: 'address.city', 'sessions.time' (through the list)."""
    along = list(fields_along(model, path.split(".")))
    if len(along) != len(path.split(".")):
        raise KeyError(f"{model.__name__} has no field {path}")
    return along[-1]


def schema_sentence(description: str, required: bool) -> str:
    """The JSON Schema's description, an editor's hover: 'Required. The city or town.'"""
    sentence = f"{description[:1].upper()}{description[1:]}."
    return f"Required. {sentence}" if required else sentence


def starter_comment(description: str, required: bool) -> str:
    """A starter record's comment: 'required: the city or town'."""
    return f"required: {description}" if required else description
