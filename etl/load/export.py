"""Export every analyst relation as Parquet (and CSV on request) with a manifest.

For analysts who work outside DuckDB (R, pandas, spreadsheets): one file per relation plus
``manifest.json`` with row counts, column types and the column comments from the warehouse.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from etl.load.sql import read_sql
from etl.load.warehouse import connect

MANIFEST_NAME = "manifest.json"


def analyst_relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    """(name, 'table' | 'view', comment) of every analyst relation, by name.

    Analyst relations are the tables and views of schema ``main`` whose name does not start
    with an underscore; the fts index schemas and temp tables are not part of it. Relations
    added by other SQL files (themes, events, ...) are picked up without a list to maintain.
    """
    return [(n, k, c) for n, k, c in con.execute(read_sql("analyst_relations.sql")).fetchall()]


def relation_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    """Columns of one relation: name, DuckDB type and comment, in table order."""
    rows = con.execute(read_sql("relation_columns.sql"), [name]).fetchall()
    return [{"name": n, "type": t, "comment": c} for n, t, c in rows]


def export_warehouse(db_path: Path, out_dir: Path, *, csv: bool = False) -> dict[str, Any]:
    """Write ``<relation>.parquet`` (and ``.csv``) for every analyst relation plus a manifest.

    Reads the warehouse read-only (point it at a snapshot while a job writes). Files are
    written under temporary names and renamed, so a half-written export never looks complete.
    Returns the manifest.
    """
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: warehouse file does not exist")
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect(db_path, read_only=True)
    try:
        relations: dict[str, Any] = {}
        for name, kind, comment in analyst_relations(con):
            rel = con.table(name)
            files = {"parquet": _write(out_dir / f"{name}.parquet", rel.write_parquet)}
            if csv:
                files["csv"] = _write(out_dir / f"{name}.csv", rel.write_csv)
            relations[name] = {
                "kind": kind,
                "comment": comment,
                "rows": rel.count("*").fetchone()[0],
                "columns": relation_columns(con, name),
                "files": files,
            }
    finally:
        con.close()
    manifest = {
        "source": str(db_path),
        "exported_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "duckdb_version": duckdb.__version__,
        "formats": ["parquet", "csv"] if csv else ["parquet"],
        "relations": relations,
    }
    tmp = out_dir / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out_dir / MANIFEST_NAME)
    return manifest


def _write(target: Path, writer: Any) -> str:
    tmp = target.with_name(target.name + ".tmp")
    writer(str(tmp))
    os.replace(tmp, target)
    return target.name


__all__ = ["MANIFEST_NAME", "analyst_relations", "export_warehouse", "relation_columns"]
