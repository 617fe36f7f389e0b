"""Export every analyst relation as Parquet (and CSV on request) with a manifest.

For analysts who work outside DuckDB (R, pandas, spreadsheets): one file per relation plus
``manifest.json`` with row counts, column types and the column comments from the warehouse.
The warehouse is opened in the SQL sandbox (:mod:`etl.load.sandbox`), so DuckDB itself writes
no files; rows stream out as Arrow batches and Python writes them. CSV cells are neutralised
for spreadsheets (:func:`etl.load.safe_output.csv_cell`). Files a previous export listed in its
manifest and this one does not write (a CSV after an export without ``--csv``, a dropped
relation) are removed, so the directory always matches its manifest.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from etl.load.sandbox import open_readonly
from etl.load.sql import read_sql
from etl.load.safe_output import csv_lines

MANIFEST_NAME = "manifest.json"
_BATCH_ROWS = 50_000


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

    Reads the warehouse read-only in the sandbox (point it at a snapshot while a job writes).
    Files are written under temporary names and renamed, so a half-written export never looks
    complete. Returns the manifest.
    """
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: warehouse file does not exist")
    previous = _previous_files(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = open_readonly(db_path)
    try:
        relations: dict[str, Any] = {}
        for name, kind, comment in analyst_relations(con):
            files = {"parquet": _write(out_dir / f"{name}.parquet", lambda p, n=name: _write_parquet(con, n, p))}
            if csv:
                files["csv"] = _write(out_dir / f"{name}.csv", lambda p, n=name: _write_csv(con, n, p))
            relations[name] = {
                "kind": kind,
                "comment": comment,
                "rows": con.table(name).count("*").fetchone()[0],
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
    written = {f for info in relations.values() for f in info["files"].values()}
    for stale in sorted(previous - written):
        (out_dir / stale).unlink(missing_ok=True)
    return manifest


def _previous_files(out_dir: Path) -> set[str]:
    """File names the last export's manifest lists (plain names inside ``out_dir`` only)."""
    try:
        manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        names = {f for info in manifest["relations"].values() for f in info["files"].values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()
    return {n for n in names if isinstance(n, str) and n == Path(n).name and n not in ("", ".", "..")}


def _batches(con: duckdb.DuckDBPyConnection, name: str) -> pa.RecordBatchReader:
    return con.table(name).to_arrow_reader(_BATCH_ROWS)


def _write_parquet(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
    reader = _batches(con, name)
    with pq.ParquetWriter(str(path), reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)


def _rows(con: duckdb.DuckDBPyConnection, name: str) -> Iterator[tuple]:
    rel = con.table(name)
    while chunk := rel.fetchmany(_BATCH_ROWS):
        yield from chunk


def _write_csv(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
    columns = [c[0] for c in con.table(name).description]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for text in csv_lines(columns, _rows(con, name)):
            fh.write(text)


def _write(target: Path, writer: Any) -> str:
    tmp = target.with_name(target.name + ".tmp")
    try:
        writer(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    return target.name


__all__ = ["MANIFEST_NAME", "analyst_relations", "export_warehouse", "relation_columns"]
