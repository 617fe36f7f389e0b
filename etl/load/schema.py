"""The warehouse schema as data, read from the DDL itself (``warehouse/NN_*.sql``).

The DDL is the one place where a relation's columns, types and comments are written; everything
else that needs them (Dagster column schemas, frame schemas, the export manifest) asks this
module, which applies the DDL to an in-memory DuckDB and reads the catalogue back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.load.sql import read_sql


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
        out = []
        for name, kind, comment in con.execute(read_sql("analyst_relations.sql")).fetchall():
            cols = con.execute(read_sql("relation_columns.sql"), [name]).fetchall()
            out.append(Relation(name, kind, comment, tuple(Column(*c) for c in cols)))
        return tuple(out)
    finally:
        con.close()


def relation(name: str) -> Relation:
    """One declared relation by name; an unknown name is an error naming it."""
    for rel in declared_relations():
        if rel.name == name:
            return rel
    raise KeyError(f"no relation {name!r} in the warehouse DDL")
