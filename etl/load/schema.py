"""The warehouse schema as data, read from the DDL itself (``warehouse/NN_*.sql``).

The DDL is the one place where a relation's columns, types and comments are written; everything
else that needs them (Dagster column schemas, frame schemas, the export manifest) asks this
module, which applies the DDL to an in-memory DuckDB and reads the catalogue back.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from etl.load.sql import read_sql

if TYPE_CHECKING:  # polars is imported where frames are built: a run that loads nothing never needs it
    import polars as pl


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB's spelling, e.g. VARCHAR, DATE, VARCHAR[]
    comment: str | None


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # "table" or "view"
    comment: str | None
    columns: tuple[Column, ...]


@cache
def declared_relations() -> tuple[Relation, ...]:
    """Every analyst relation (tables and views, names not starting with ``_``) the DDL declares."""
    from etl.load.warehouse import apply_schema, connect

    con = connect(Path(":memory:"))
    try:
        apply_schema(con)
        columns: dict[str, list[Column]] = {}
        for relation_name, *column in con.execute(read_sql("analyst_columns.sql")).fetchall():
            columns.setdefault(relation_name, []).append(Column(*column))
        return tuple(
            Relation(name, kind, comment, tuple(columns.get(name, ())))
            for name, kind, comment in con.execute(read_sql("analyst_relations.sql")).fetchall()
        )
    finally:
        con.close()


def relation(name: str) -> Relation:
    """One declared relation by name; an unknown name is an error naming it."""
    for rel in declared_relations():
        if rel.name == name:
            return rel
    raise KeyError(f"no relation {name!r} in the warehouse DDL")


@cache
def _polars_types() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "VARCHAR": pl.Utf8, "INTEGER": pl.Int32, "BIGINT": pl.Int64, "HUGEINT": pl.Int128,
        "DOUBLE": pl.Float64, "BOOLEAN": pl.Boolean, "DATE": pl.Date, "TIMESTAMP": pl.Datetime("us"),
    }


def polars_type(duckdb_type: str) -> pl.DataType:
    """The Polars type whose Arrow form DuckDB reads back as ``duckdb_type``."""
    if duckdb_type.endswith("[]"):
        import polars as pl

        return pl.List(polars_type(duckdb_type[:-2]))
    try:
        return _polars_types()[duckdb_type]
    except KeyError:
        raise ValueError(f"no Polars type for the DuckDB type {duckdb_type!r}; add it to etl.load.schema") from None


@cache
def frame_schema(name: str) -> dict[str, pl.DataType]:
    """The schema of a frame that fills relation ``name``: its DDL columns, in DDL order."""
    return {c.name: polars_type(c.type) for c in relation(name).columns}


@cache
def record_schema(cls: type, exclude: tuple[str, ...] = ()) -> dict[str, pl.DataType]:
    """The frame schema of a record class of ``etl.models`` (its fields and their types), for
    staging frames whose rows are those records as they came from the source."""
    import polars as pl

    py_polars = {str: pl.Utf8, int: pl.Int64, float: pl.Float64, bool: pl.Boolean, date: pl.Date,
                 datetime: pl.Datetime("us")}
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        if f.name in exclude:
            continue
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)] if isinstance(hint, types.UnionType) else [hint]
        if typing.get_origin(args[0]) is tuple:
            out[f.name] = pl.List(py_polars[typing.get_args(args[0])[0]])
        else:
            out[f.name] = py_polars[args[0]]
    return out
