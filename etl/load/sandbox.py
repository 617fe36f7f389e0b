"""Open a warehouse for people and programs that only read it: a SQL sandbox.

Analysts type arbitrary SQL (``kamerspoor sql``), and the export, the report and the alerts run
queries over the same file. A plain read-only DuckDB connection still lets SQL attach another
database read-write, write files with ``COPY``/``EXPORT``, read any file (``read_text``,
``glob``, ``read_csv``) and install extensions from the network. So the sandbox loads the one
bundled extension it needs (fts, from the local wheel), then switches external access off and
locks the configuration, after which no statement can switch it back on.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.load.sql import read_sql
from etl.load.warehouse import connect, load_fts


class WarehouseUnavailable(Exception):
    """The warehouse file cannot be opened for reading (missing, locked, not a DuckDB file)."""


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down connection to the warehouse at ``path``.

    Allowed: queries over the warehouse's tables, views and macros, full-text search
    (``search_qa``) and temporary tables in memory. Refused: ``ATTACH``, ``COPY``, ``EXPORT
    DATABASE``, ``INSTALL``/``LOAD``, every function that reads files or URLs, and any ``SET``.
    Raises :class:`WarehouseUnavailable` with one line naming the file when it cannot be opened.
    """
    path = Path(path)
    if not path.is_file():
        raise WarehouseUnavailable(f"{path}: no such warehouse file")
    try:
        con = connect(path, read_only=True)
    except duckdb.IOException as exc:
        raise WarehouseUnavailable(f"{path}: {_open_problem(exc)}") from None
    except duckdb.Error as exc:
        raise WarehouseUnavailable(f"{path}: cannot open: {first_line(exc)}") from None
    except OSError as exc:  # placing the bundled fts extension (a read-only project directory)
        raise WarehouseUnavailable(
            f"{path}: cannot place the bundled fts extension: {exc.filename or ''} {exc.strerror or exc}".rstrip()
        ) from None
    try:
        if not _locked_down(con):
            load_fts(con)  # search needs it, and once locked down nothing can be loaded
            con.execute(read_sql("sandbox_lockdown.sql"))
    except BaseException:
        con.close()
        raise
    return con


def _locked_down(con: duckdb.DuckDBPyConnection) -> bool:
    """True when this database instance is already sandboxed.

    DuckDB shares one instance per file within a process, so a second ``open_readonly`` of
    the same file meets the settings of the first, which can no longer be SET.
    """
    external, locked = con.execute(read_sql("sandbox_state.sql")).fetchone()
    return not external and bool(locked)


def _open_problem(exc: duckdb.Error) -> str:
    text = first_line(exc)
    if "lock" in text.lower():
        return "locked by a running job (read the published snapshot instead, or wait)"
    if "not a valid DuckDB database" in text or "database file" in text.lower():
        return "not a DuckDB warehouse file"
    return f"cannot open: {text}"


def first_line(exc: BaseException) -> str:
    """The first non-empty line of a DuckDB error, without the hints DuckDB adds below it."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__


__all__ = ["WarehouseUnavailable", "first_line", "open_readonly"]
