"""Typed query parameters from the command line: ``--param n:int=3``, ``since:date=2025-01-01``.

Saved queries bind ``$name`` parameters; typed values let a query compare dates and numbers
without casts, and ``NULL`` lets a query's "all" branch (``$theme IS NULL OR ...``) be chosen
from the command line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

NULL = "NULL"  # the value that binds SQL NULL, whatever the type
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


class ParamError(ValueError):
    """A ``--param`` that cannot be read; the message names it and says what was expected."""


def _bool(text: str) -> bool:
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError("not true or false")


def _date(text: str) -> date:
    return date.fromisoformat(text)


CONVERTERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "date": _date,
    "bool": _bool,
}


def parse_param(spec: str) -> tuple[str, Any]:
    """``"n:int=3"`` → ``("n", 3)``; ``"theme=NULL"`` → ``("theme", None)``; no type is ``str``."""
    head, sep, text = spec.partition("=")
    if not sep:
        raise ParamError(f"{spec!r}: expected NAME=VALUE or NAME:TYPE=VALUE")
    name, _, kind = head.partition(":")
    kind = kind or "str"
    if not _NAME.match(name):
        raise ParamError(f"{spec!r}: {name!r} is not a parameter name (letters, digits, _)")
    if kind not in CONVERTERS:
        raise ParamError(f"{spec!r}: unknown type {kind!r} (one of {', '.join(CONVERTERS)})")
    if text == NULL:
        return name, None
    try:
        return name, CONVERTERS[kind](text)
    except ValueError:
        raise ParamError(f"{spec!r}: {text!r} is not a {kind}") from None


def parse_params(specs: Iterable[str]) -> dict[str, Any]:
    """All ``--param`` values as a name → value mapping; a name given twice is an error."""
    out: dict[str, Any] = {}
    for spec in specs:
        name, value = parse_param(spec)
        if name in out:
            raise ParamError(f"{spec!r}: ${name} is given twice")
        out[name] = value
    return out


_MISSING = re.compile(r"Values were not provided for the following prepared statement parameters: (.+)$")
_EXCESS = re.compile(r"identifiers of the excess parameters: (.+)$")


def missing_params_message(duckdb_error: str) -> str | None:
    """A user's line for DuckDB's parameter-count errors, naming the parameters; else None."""
    if m := _MISSING.search(duckdb_error):
        names = ", ".join(_dollar(n) for n in m.group(1).split(", "))
        return f"the query needs values for {names} (give --param NAME=VALUE, NAME=NULL for none)"
    if m := _EXCESS.search(duckdb_error):
        names = ", ".join(_dollar(n) for n in m.group(1).split(", "))
        return f"the query has no parameter {names} (remove that --param)"
    return None


def _dollar(name: str) -> str:
    return f"${name.strip()}"


__all__ = ["CONVERTERS", "NULL", "ParamError", "missing_params_message", "parse_param", "parse_params"]
