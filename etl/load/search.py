"""Full-text search over question and answer blocks from Python (the SQL macro is search_qa).

The index and the ranking live in SQL (warehouse/40_search.sql, search_build.sql) so analysts
get the same results in any DuckDB client; this is the thin Python door to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from etl.load.sql import read_sql

if TYPE_CHECKING:
    import polars as pl


def search(con: duckdb.DuckDBPyConnection, query: str, max_results: int | None = 20) -> pl.DataFrame:
    """Best-matching blocks for ``query`` (Dutch stemming, BM25), best first.

    ``max_results=None`` returns every match. An empty or punctuation-only query matches
    nothing rather than everything.
    """
    if not isinstance(query, str):
        raise TypeError(f"search query must be a string, got {type(query).__name__}")
    return con.execute(read_sql("search_call.sql"), {"query": query, "max_results": max_results}).pl()


__all__ = ["search"]
