"""DuckDB warehouse: schema, idempotent loads, derived relations, snapshots.

Every function takes a connection (or a path) and keeps nothing open after it returns, so a
Dagster asset can open, write and close inside its own step; the lead's ``duckdb_write`` pool
keeps it to one writer. Rows travel as polars frames handed over through Arrow; the SQL lives
in ``warehouse/*.sql`` and reads the frames by their registered names.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from etl.load.schema import frame_schema, polars_type, record_schema
from etl.load.sql import read_sql
from etl.models import (
    ActorRecord,
    DocumentRecord,
    ParsedLetter,
    ParseFailure,
    QuestionSetRecord,
    StoredFile,
    TextUnit,
)

if TYPE_CHECKING:
    import polars as pl

    from etl.enrich.themes import LetterContext

# Project-local directory DuckDB installs extensions into (git-ignored), instead of ~/.duckdb.
DEFAULT_EXTENSION_DIR = Path(__file__).resolve().parents[2] / ".duckdb_ext"

_SCHEMA_FILE = re.compile(r"^\d\d_[a-z0-9_]+\.sql$")
_WARNING_CODE = re.compile(r"^([a-z][a-z0-9_]*):\s*(.*)$", re.S)

# Arrow schemas of the frames handed to the SQL files (names match the registered views).
# Staging frames of the source records: the record's fields (etl.models), minus what is not a
# column (tombstone flags; a document's links go to their own frame).
# (Functions, not constants: polars is imported where frames are built, so a run that loads
# nothing never imports it.)
def _question_set_schema() -> dict[str, pl.DataType]:
    return record_schema(QuestionSetRecord, exclude=("deleted",))


def _document_schema() -> dict[str, pl.DataType]:
    return record_schema(DocumentRecord, exclude=("question_set_ids", "deleted"))


def _actor_schema() -> dict[str, pl.DataType]:
    return record_schema(ActorRecord, exclude=("deleted",))


def _id_schema() -> dict[str, pl.DataType]:
    return {"id": polars_type("VARCHAR")}


# The frames above and the letters frame below are staging shapes of the source records (their
# names differ from the tables'); frames that fill a table one to one (questions, answers,
# footnotes, parse_issues, document_question_sets) take its schema from the DDL: frame_schema.
#: The parse outcome columns of ``documents``, filled per letter (types from the DDL).
_LETTER_COLUMNS = (
    "file_sha256", "file_size", "file_type", "parse_status", "parser_version", "pages", "source_format",
    "letter_title", "letter_date_submitted", "letter_date_answered", "letter_askers", "letter_addressees",
    "letter_answered_by", "letter_question_set_numbers", "see_also", "intro", "closing",
)


@cache
def _letter_schema() -> dict[str, pl.DataType]:
    documents = frame_schema("documents")
    return {
        **{k: v for k, v in _document_schema().items() if k != "id"},
        "document_id": polars_type("VARCHAR"),
        **{c: documents[c] for c in _LETTER_COLUMNS},
    }

LetterResult = ParsedLetter | ParseFailure


# --------------------------------------------------------------------------- connection


def connect(
    path: Path, read_only: bool = False, *, extension_directory: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse with the fts extension at hand from the local wheel, never the network.

    Extensions live in a project-local directory (``.duckdb_ext``); automatic downloads are
    switched off, so a missing extension is an error rather than a hang on a firewall. DuckDB
    loads fts from there the first time a statement needs it (``stem`` in search): loading
    costs ~65 ms per open database (the signature check), more than most of the job's short
    reads. A connection that will forbid loading later calls :func:`load_fts` first.
    """
    ext_dir = Path(extension_directory or DEFAULT_EXTENSION_DIR)
    install_fts(ext_dir)
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"extension_directory": str(ext_dir), "autoinstall_known_extensions": False}
    return duckdb.connect(str(path), read_only=read_only, config=config)


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the fts extension now (from the directory :func:`connect` placed it in)."""
    con.execute("LOAD fts")


def install_fts(extension_directory: Path) -> Path:
    """Place the fts binary from the ``duckdb-extension-fts`` wheel where DuckDB looks for it.

    DuckDB looks in ``<dir>/<duckdb version>/<platform>/``; copying the file there is what
    ``INSTALL '<path>'`` does, without SQL built from a path and without touching HOME.
    """
    version = "v" + duckdb.__version__
    source = resources.files("duckdb_extension_fts").joinpath("extensions", version, "fts.duckdb_extension")
    if not source.is_file():
        raise RuntimeError(
            f"duckdb-extension-fts has no binary for DuckDB {version} ({source}); "
            "install duckdb and duckdb-extension-fts of the same version"
        )
    platform = duckdb.execute("PRAGMA platform").fetchone()[0]
    target = Path(extension_directory) / version / platform / "fts.duckdb_extension"
    if not target.is_file() or target.stat().st_size != Path(str(source)).stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        shutil.copyfile(str(source), tmp)
        os.replace(tmp, target)
    return target


def schema_files() -> list[str]:
    """The ``warehouse/NN_*.sql`` files in the order apply_schema runs them."""
    names = [p.name for p in resources.files("warehouse").iterdir() if _SCHEMA_FILE.match(p.name)]
    return sorted(names)


@cache
def schema_digest() -> str:
    """sha256 of the DDL files' text, in the order they run: what a warehouse was built with."""
    digest = hashlib.sha256()
    for name in schema_files():
        digest.update(name.encode() + b"\0" + read_sql(name).encode() + b"\0")
    return digest.hexdigest()


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or update every table, view and macro; safe to run on a full warehouse.

    A warehouse that records the digest of this very DDL is left as it is (each writer step
    calls this; re-running the DDL would change nothing and cost ~130 ms).
    """
    if load_mark(con, "schema") == schema_digest():
        return
    with _transaction(con):
        for name in schema_files():
            con.execute(read_sql(name))
        set_load_mark(con, "schema", schema_digest())


@cache
def metadata_mapping_digest() -> str:
    """sha256 of what turns metadata records into rows: this module, the record classes, the
    DDL and the load SQL. Part of the 'metadata' mark, so a new release loads metadata again."""
    from etl import models

    h = hashlib.sha256(schema_digest().encode())
    for path in (Path(__file__), Path(models.__file__)):
        h.update(path.read_bytes())
    for name in ("load_metadata.sql", "delete_tombstones.sql"):
        h.update(read_sql(name).encode())
    return h.hexdigest()


def load_mark(con: duckdb.DuckDBPyConnection, mark: str) -> str | None:
    """The digest recorded under ``mark`` in ``_load_marks`` (None: never, or an older warehouse)."""
    try:
        row = con.execute(read_sql("load_mark_read.sql"), {"mark": mark}).fetchone()
    except duckdb.CatalogException:  # built before the marks existed, or empty
        return None
    return None if row is None else row[0]


def set_load_mark(con: duckdb.DuckDBPyConnection, mark: str, digest: str) -> None:
    con.execute(read_sql("load_mark_write.sql"), {"mark": mark, "digest": digest})


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pl.DataFrame]) -> Iterator[None]:
    """Expose polars frames to SQL under fixed names, through Arrow."""
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def _frame(rows: list[dict[str, Any]], schema: Mapping[str, Any]) -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(rows, schema=dict(schema), orient="row") if rows else pl.DataFrame(schema=dict(schema))


def _utc(value: datetime | None) -> datetime | None:
    """Naive UTC for a TIMESTAMP column (API times arrive with offsets)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def _last_by_id(records: Iterable[Any]) -> list[Any]:
    """De-duplicate on ``id`` (the last record wins), keeping first-seen order."""
    by_id: dict[str, Any] = {}
    for record in records:
        by_id.pop(record.id, None)
        by_id[record.id] = record
    return list(by_id.values())


# --------------------------------------------------------------------------- metadata


def load_metadata(
    con: duckdb.DuckDBPyConnection,
    question_sets: list[QuestionSetRecord],
    documents: list[DocumentRecord],
    actors: list[ActorRecord],
    *,
    deleted_document_ids: Iterable[str] = frozenset(),
    deleted_question_set_ids: Iterable[str] = frozenset(),
) -> dict[str, int]:
    """Upsert API metadata and apply tombstones in one transaction.

    Records flagged ``deleted`` count as tombstones too. A deleted document takes everything
    parsed from it along. Returns counts of what was upserted and deleted.
    """
    doomed_docs = set(deleted_document_ids) | {d.id for d in documents if d.deleted}
    doomed_sets = set(deleted_question_set_ids) | {q.id for q in question_sets if q.deleted}
    doomed_actors = {a.id for a in actors if a.deleted}
    sets = [q for q in _last_by_id(question_sets) if q.id not in doomed_sets]
    docs = [d for d in _last_by_id(documents) if d.id not in doomed_docs]
    people = [a for a in _last_by_id(actors) if a.id not in doomed_actors and a.question_set_id not in doomed_sets]

    frames = {
        "incoming_question_sets": _frame([_question_set_row(q) for q in sets], _question_set_schema()),
        "incoming_documents": _frame([_document_row(d) for d in docs], _document_schema()),
        "incoming_document_links": _frame([r for d in docs for r in _link_rows(d)], frame_schema("document_question_sets")),
        "incoming_actors": _frame([_actor_row(a) for a in people], _actor_schema()),
        "doomed_documents": _frame([{"id": i} for i in sorted(doomed_docs)], _id_schema()),
        "doomed_question_sets": _frame([{"id": i} for i in sorted(doomed_sets)], _id_schema()),
        "doomed_actors": _frame([{"id": i} for i in sorted(doomed_actors)], _id_schema()),
    }
    with _registered(con, frames), _transaction(con):
        if doomed_docs or doomed_sets or doomed_actors:  # its dozen DELETEs scan the tables even for none
            con.execute(read_sql("delete_tombstones.sql"))
        con.execute(read_sql("load_metadata.sql"))
    return {
        "question_sets": len(sets),
        "documents": len(docs),
        "actors": len(people),
        "deleted_documents": len(doomed_docs),
        "deleted_question_sets": len(doomed_sets),
        "deleted_actors": len(doomed_actors),
    }


def _staged_row(record: Any, schema: Mapping[str, Any]) -> dict[str, Any]:
    """A record as a row of its staging frame (times in UTC, as the warehouse keeps them)."""
    return {k: _utc(v) if isinstance(v, datetime) else v for k, v in record.__dict__.items() if k in schema}


def _question_set_row(q: QuestionSetRecord) -> dict[str, Any]:
    return _staged_row(q, _question_set_schema())


def _document_row(d: DocumentRecord) -> dict[str, Any]:
    return _staged_row(d, _document_schema())


def _link_rows(d: DocumentRecord) -> list[dict[str, Any]]:
    seen: list[str] = []
    for qid in d.question_set_ids:
        if qid not in seen:
            seen.append(qid)
    return [{"document_id": d.id, "question_set_id": qid, "position": i} for i, qid in enumerate(seen)]


def _actor_row(a: ActorRecord) -> dict[str, Any]:
    return _staged_row(a, _actor_schema())


# --------------------------------------------------------------------------- letters


def load_letter(
    con: duckdb.DuckDBPyConnection,
    document: DocumentRecord,
    file: StoredFile | None,
    result: LetterResult,
    *,
    parser_version: str | None = None,
) -> dict[str, int]:
    """Replace one document's parsed rows in one transaction (see load_letters)."""
    return load_letters(con, [(document, file, result)], parser_version=parser_version)


def load_letters(
    con: duckdb.DuckDBPyConnection,
    items: Iterable[tuple[DocumentRecord, StoredFile | None, LetterResult]],
    *,
    parser_version: str | None = None,
) -> dict[str, int]:
    """Replace the parsed rows of many documents in one transaction (bulk backfills).

    Each document's questions, answers, footnotes and parse issues are deleted and inserted
    again, and its file and parse columns set, so loading the same input twice gives the same
    content and a new parser version replaces every row. The document's metadata row and links
    are upserted from the record too, so a letter never lands without its document.
    A ParseFailure becomes one error row in parse_issues and parse_status 'failed';
    ``parser_version`` labels those failures (a ParsedLetter carries its own). A record flagged
    ``deleted`` is a tombstone: its document and parsed rows are removed instead.
    """
    latest: dict[str, tuple[DocumentRecord, StoredFile | None, LetterResult]] = {}
    tombstones: set[str] = set()
    for item in items:
        document, _, result = item
        if document.deleted:  # a letter of a deleted document is never stored
            tombstones.add(document.id)
            latest.pop(document.id, None)
            continue
        if not isinstance(result, (ParsedLetter, ParseFailure)):
            raise TypeError(
                f"document {document.id}: expected ParsedLetter or ParseFailure, got {type(result).__name__}"
            )
        latest.pop(document.id, None)
        latest[document.id] = item

    if tombstones:
        load_metadata(con, [], [], [], deleted_document_ids=tombstones)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("letters", "questions", "answers", "footnotes", "issues")}
    for document, file, result in latest.values():
        _letter_rows(document, file, result, parser_version, rows)

    docs = [d for d, _, _ in latest.values()]
    frames = {
        "incoming_letters": _frame(rows["letters"], _letter_schema()),
        "incoming_document_links": _frame([r for d in docs for r in _link_rows(d)], frame_schema("document_question_sets")),
        "incoming_questions": _frame(rows["questions"], frame_schema("questions")),
        "incoming_answers": _frame(rows["answers"], frame_schema("answers")),
        "incoming_footnotes": _frame(rows["footnotes"], frame_schema("footnotes")),
        "incoming_parse_issues": _frame(rows["issues"], frame_schema("parse_issues")),
    }
    with _registered(con, frames), _transaction(con):
        con.execute(read_sql("load_letters.sql"))
    return {
        "documents": len(docs),
        "questions": len(rows["questions"]),
        "answers": len(rows["answers"]),
        "footnotes": len(rows["footnotes"]),
        "parse_issues": len(rows["issues"]),
    }


def _letter_rows(
    document: DocumentRecord,
    file: StoredFile | None,
    result: LetterResult,
    failure_version: str | None,
    out: dict[str, list[dict[str, Any]]],
) -> None:
    """Turn one parse result into table rows (appended to ``out``)."""
    doc_id = document.id
    primary_set = document.question_set_ids[0] if document.question_set_ids else None
    sha = file.sha256 if file else None
    letter: dict[str, Any] = {
        **{k: v for k, v in _document_row(document).items() if k != "id"},
        "document_id": doc_id,
        "file_sha256": sha,
        "file_size": file.size if file else None,
        "file_type": file.detected_type if file else None,
    }
    if isinstance(result, ParseFailure):
        out["letters"].append({**letter, "parse_status": "failed", "parser_version": failure_version})
        out["issues"].append({
            "document_id": doc_id, "position": 0, "severity": "error", "code": result.code,
            "message": result.message, "file_sha256": sha, "parser_version": failure_version,
        })
        return

    version = result.parser_version or failure_version
    out["letters"].append({
        **letter,
        "parse_status": "parsed_with_warnings" if result.warnings else "parsed",
        "parser_version": version,
        "pages": result.pages,
        "source_format": result.source_format,
        "letter_title": result.title,
        "letter_date_submitted": result.date_submitted,
        "letter_date_answered": result.date_answered,
        "letter_askers": list(result.askers),
        "letter_addressees": list(result.addressees),
        "letter_answered_by": list(result.answered_by),
        "letter_question_set_numbers": list(result.question_set_numbers),
        "see_also": list(result.see_also),
        "intro": result.intro,
        "closing": result.closing,
    })
    for kind, blocks, key, tag in (
        ("questions", result.questions, "question_id", "q"),
        ("answers", result.answers, "answer_id", "a"),
    ):
        for i, b in enumerate(blocks):
            row = {
                key: f"{doc_id}:{tag}:{i}", "document_id": doc_id, "question_set_id": primary_set,
                "block_index": i, "label": b.label, "numbers": list(b.numbers), "text": b.text,
                "page_start": b.page_start, "page_end": b.page_end, "char_start": b.char_start,
                "char_end": b.char_end, "parser_version": version,
            }
            if kind == "answers":
                row["refers_to"] = list(b.refers_to)
            out[kind].append(row)
    for i, f in enumerate(result.footnotes):
        out["footnotes"].append({
            "footnote_id": f"{doc_id}:fn:{f.n}", "document_id": doc_id, "position": i, "n": f.n,
            "text": f.text, "page": f.page, "parser_version": version,
        })
    for i, warning in enumerate(result.warnings):
        match = _WARNING_CODE.match(warning)
        code, message = (match.group(1), match.group(2)) if match else ("parse_warning", warning)
        out["issues"].append({
            "document_id": doc_id, "position": i, "severity": "warning", "code": code,
            "message": message, "file_sha256": sha, "parser_version": version,
        })


# --------------------------------------------------------------------------- derived


def refresh(
    con: duckdb.DuckDBPyConnection, *, reference_date: date | None = None, full: bool | None = None
) -> str:
    """Bring derived relations up to date after a batch of loads; returns "full" or "incremental".

    qa_pairs, the derived columns of documents and question_sets, response_times (open sets
    measured against ``reference_date``, default today) and the full-text search index. Only
    the sets and documents the loads queued in ``_refresh_queue`` are recomputed, unless
    ``full`` is True or (``full`` None) a rebuild is cheaper; either way the result is the
    same as a rebuild from nothing.
    """
    ref = reference_date or date.today()
    with _transaction(con):
        full = _rebuild_is_cheaper(con) if full is None else full
        con.execute(read_sql("refresh_params.sql"), [ref, full])
        # joins on rowid with up to this many rows become direct fetches (search_update.sql)
        con.execute("SET dynamic_or_filter_threshold = 20000")
        con.execute(read_sql("refresh_scope.sql"))
        in_scope = full or any(con.execute(read_sql("refresh_scope_size.sql")).fetchone())
        if in_scope:  # nothing queued (a run that changed nothing): derived rows and index stand
            con.execute(read_sql("refresh_derived.sql"))
        con.execute(read_sql("refresh_response_times.sql"))
        if full:
            con.execute(read_sql("search_reset.sql"))
            con.execute(read_sql("40_search.sql"))
        if in_scope:
            con.execute(read_sql("search_update.sql"))
        con.execute("DROP TABLE _scope_sets")
        con.execute("DROP TABLE _scope_docs")
        con.execute("RESET dynamic_or_filter_threshold")
    return "full" if full else "incremental"


def _rebuild_is_cheaper(con: duckdb.DuckDBPyConnection) -> bool:
    """A full rebuild beats per-set updates when much changed, the search index has no
    vocabulary yet (new or older warehouse) or retired blocks pass a tenth of the index."""
    queued, total, vocab, blocks, units, retired = con.execute(read_sql("refresh_state.sql")).fetchone()
    if blocks and not vocab:
        return True
    if units and retired * 10 > units:
        return True
    return total > 0 and queued * 4 > total


@contextmanager
def _wanted_documents(con: duckdb.DuckDBPyConnection, document_ids: Iterable[str] | None) -> Iterator[bool]:
    """``document_ids`` as the relation ``_wanted_documents`` (column ``document_id``) while the
    block runs; yields True when every document is wanted (``document_ids`` is None).

    Registered as Arrow, not bound as a list parameter: DuckDB's client converts a list value
    by value, trying to import pandas twice per value when it is not installed (~0.5 s for the
    5,000 ids of one enrichment batch).
    """
    import pyarrow as pa

    ids = [] if document_ids is None else sorted(set(document_ids))
    con.register("_wanted_documents", pa.table({"document_id": pa.array(ids, pa.string())}))
    try:
        yield document_ids is None
    finally:
        con.unregister("_wanted_documents")


def read_text_units(
    con: duckdb.DuckDBPyConnection, document_ids: Iterable[str] | None = None
) -> list[TextUnit]:
    """Question/answer blocks, footnotes and closing texts, for the enrich layer.

    Every document's units by default; with ``document_ids`` only those documents' units (an
    incremental enrichment reads just the letters that changed). Ordered by document, then
    position in the letter.
    """
    with _wanted_documents(con, document_ids) as every:
        rows = con.execute(read_sql("text_units.sql"), [every]).fetchall()
    return [
        TextUnit(unit_id=u, document_id=d, kind=k, numbers=tuple(n or ()), text=t or "", letter_date=ld)
        for u, d, k, n, t, ld in rows
    ]


def read_letter_contexts(
    con: duckdb.DuckDBPyConnection, document_ids: Iterable[str] | None = None
) -> dict[str, LetterContext]:
    """Title, addressees and answerers per letter (every letter, or those of ``document_ids``),
    for the themes' scope checks."""
    from etl.enrich.themes import LetterContext  # noqa: F811 (at call time: loading the warehouse needs no enrich code)

    with _wanted_documents(con, document_ids) as every:
        rows = con.execute(read_sql("letter_context.sql"), [every]).fetchall()
    return {d: LetterContext(t or "", tuple(a or ()), tuple(b or ())) for d, t, a, b in rows}


# --------------------------------------------------------------------------- snapshots


def publish_snapshot(db_path: Path, snapshot_path: Path) -> Path:
    """Publish a consistent read-only copy of the warehouse for analysts.

    DuckDB allows one writing process per file and refuses readers while it writes, so
    analysts query the snapshot, never the live file. The live file is checkpointed (WAL folded
    in), copied next to the target and renamed over it atomically: a reader sees the old or
    the new snapshot, never half of one. Run it as the last warehouse-writing step.
    """
    db_path, snapshot_path = Path(db_path), Path(snapshot_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: warehouse file does not exist")
    if snapshot_path.resolve() == db_path.resolve():
        raise ValueError(f"{snapshot_path}: the snapshot must not be the live warehouse file")
    con = connect(db_path)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=snapshot_path.name + ".", suffix=".tmp", dir=snapshot_path.parent)
    os.close(fd)
    try:
        shutil.copyfile(db_path, tmp_name)
        os.chmod(tmp_name, 0o444)
        os.replace(tmp_name, snapshot_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return snapshot_path


__all__ = [
    "apply_schema",
    "connect",
    "install_fts",
    "load_letter",
    "load_letters",
    "load_metadata",
    "publish_snapshot",
    "read_text_units",
    "refresh",
    "schema_files",
]
