"""Records to JSON-able dicts and back, derived from the record classes in ``etl.models``.

The field names and types are written once, on the data classes; this module reads them
(``typing.get_type_hints``) instead of listing them again, so a new field is stored and read
back without touching the store.
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def encode_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def record_dict(rec: Any) -> dict[str, Any]:
    """A record as a JSON-able dict (dates as ISO text, tuples as lists)."""
    return {k: encode_value(v) for k, v in rec.__dict__.items()}


@cache
def _decoders(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in fields(cls):
        hint = hints[f.name]
        args = set(typing.get_args(hint)) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union else {hint}
        if datetime in args:
            out.append((f.name, datetime.fromisoformat))
        elif date in args:
            out.append((f.name, date.fromisoformat))
        elif typing.get_origin(hint) is tuple:
            out.append((f.name, tuple))
        else:
            out.append((f.name, None))
    return tuple(out)


def from_dict(cls: type[T], d: dict[str, Any], **given: Any) -> T:
    """The record ``cls`` from its stored dict; ``given`` fields are not read from ``d``.

    A field missing from ``d`` (stored before the field existed) takes its default.
    """
    kwargs: dict[str, Any] = dict(given)
    for name, decode in _decoders(cls):
        if name in given or name not in d:
            continue
        value = d[name]
        kwargs[name] = decode(value) if decode is not None and value is not None else value
    return cls(**kwargs)
