"""Content hashes of a warehouse's analyst relations (equal hashes mean equal content)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from etl.load.sql import read_sql

# Columns that record *when* a run saw something, not what the warehouse holds.
RUN_TIME_COLUMNS = {"alerts": ("first_seen", "delivered")}


def analyst_hashes(path: Path) -> dict[str, str]:
    """sha256 per analyst relation over its sorted rows, independent of row order."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [row[0] for row in con.execute(read_sql("analyst_relations.sql")).fetchall()]
        out = {}
        for name in names:
            rel = con.table(name)
            skip = RUN_TIME_COLUMNS.get(name, ())
            if skip:
                rel = rel.select(*[c for c in rel.columns if c not in skip])
            rows = sorted(repr(r) for r in rel.fetchall())
            out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return out
    finally:
        con.close()
