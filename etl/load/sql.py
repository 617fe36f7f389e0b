"""Read the SQL files shipped in the ``warehouse`` package (SQL never lives in f-strings)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_sql(name: str) -> str:
    """Text of ``warehouse/<name>`` (e.g. ``"schema.sql"`` or ``"queries/late_answers.sql"``)."""
    return resources.files("warehouse").joinpath(name).read_text(encoding="utf-8")
