"""Load `parse_parity` rows and read the per-month agreement back (warehouse/50_parity.sql).

The frame schema is derived from the DDL (etl.load.schema), so the column list lives in one
place. Rows come from etl.parse.parity.parity_row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import duckdb

from etl.load.schema import frame_schema
from etl.load.sql import read_sql


def parity_schema() -> dict[str, Any]:
    """Polars schema of `parse_parity`, read from its DDL."""
    return frame_schema("parse_parity")


def load_parity(con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, Any]]) -> int:
    """Replace the parity rows of the given letters in one transaction; returns the row count."""
    import polars as pl

    schema = parity_schema()
    rows = [dict(r) for r in rows]
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    con.register("incoming_parity", frame.to_arrow())
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(read_sql("load_parity.sql"))
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.unregister("incoming_parity")
    return len(rows)


def parity_by_month(con: duckdb.DuckDBPyConnection) -> list[tuple[date | None, int, int, float]]:
    """(month, letters, agreeing, share) from the `parity_by_month` view, oldest month first."""
    return [tuple(r) for r in con.execute(read_sql("queries/_parity_by_month.sql")).fetchall()]  # type: ignore[misc]


def format_parity(months: list[tuple[date | None, int, int, float]]) -> str:
    """One line for the run summary: 'PDF/XML parity: 2026-01 3/3 (100%), 2026-02 1/2 (50%)'."""
    if not months:
        return "PDF/XML parity: no letter with both sources"
    parts = [
        f"{m.strftime('%Y-%m') if m else 'undated'} {agree}/{n} ({share:.0%})" for m, n, agree, share in months
    ]
    return "PDF/XML parity: " + ", ".join(parts)
