"""Write an :class:`~etl.enrich.Enrichment` to DuckDB (tables of ``warehouse/20_enrichment.sql``).

Enrichment of a letter depends only on its own text units, the theme file and the enrich code,
so a run re-enriches only the documents whose inputs changed (:func:`enrichment_plan` reads
``_enriched_documents``) and replaces just their rows; a new theme file or new enrich code
replaces everything. Each load is one transaction: readers see the old rows or the new ones,
never a mix, and a failed load leaves the old rows in place. Rows go through Polars frames and
Arrow; the SQL lives in ``warehouse/enrichment_load.sql``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from typing import TYPE_CHECKING

import duckdb

from etl.enrich import ENRICHER_VERSION
from etl.enrich.records import Enrichment
from etl.enrich.themes import Theme, themes_fingerprint
from etl.load.schema import frame_schema
from etl.load.sql import read_sql

if TYPE_CHECKING:  # imported where frames are built (see etl.load.schema)
    import polars as pl

#: Enrichment output -> the warehouse table it fills; each frame's schema is that table's DDL.
TABLES = {
    "themes": "themes", "theme_links": "theme_links", "events": "events", "commitments": "commitments",
    "references": "doc_references", "question_set_links": "question_set_links",
}


def schemas() -> dict[str, dict[str, pl.DataType]]:
    """Frame schemas per enrichment output, derived from the DDL (``etl.load.schema``)."""
    return {name: frame_schema(table) for name, table in TABLES.items()}


_UNIT = re.compile(r":(q|a|fn|closing)(?::([^:]+))?$")
_KINDS = {"q": "question", "a": "answer", "fn": "footnote", "closing": "closing"}


def unit_kind(unit_id: str) -> tuple[str, int | None]:
    """``("answer", 3)`` for ``"<doc>:a:3"`` — the unit id scheme of :class:`etl.models.TextUnit`."""
    m = _UNIT.search(unit_id)
    if not m:
        raise ValueError(f"unit_id {unit_id!r}: not <document_id>:q|a:<i>, :fn:<n> or :closing")
    kind = _KINDS[m.group(1)]
    index = int(m.group(2)) if kind in ("question", "answer") and m.group(2) is not None else None
    return kind, index


@cache
def _statements() -> dict[str, str]:
    """The named statements of ``enrichment_load.sql`` (each after a ``-- name: x`` line)."""
    parts = re.split(r"^-- name: (\w+)\s*$", read_sql("enrichment_load.sql"), flags=re.MULTILINE)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}


def frames(enrichment: Enrichment) -> dict[str, pl.DataFrame]:
    """One Polars frame per enrichment table, typed even when empty."""
    version = enrichment.themes[0].version if enrichment.themes else None
    ref_day = enrichment.reference_date or date.today()
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for t in enrichment.themes:
        rows["themes"].append({
            "theme_id": t.id, "label": t.label, "description": t.description,
            "rules": [r.name for r in t.rules] + ([r.name for r in t.supported.rules] if t.supported else []),
            "subjects": [f"{name}={'|'.join(stems)}" for name, stems in t.subjects],
            "theme_file_version": t.version, "theme_file": t.source,
            "scope": f"{t.scope.id}: {t.scope.label}" if t.scope else "general",
        })
    for ln in enrichment.theme_links:
        kind, idx = unit_kind(ln.unit_id)
        rows["theme_links"].append({
            "unit_id": ln.unit_id, "document_id": ln.document_id, "unit_kind": kind,
            "block_index": idx, "theme_id": ln.theme, "rule": ln.rule, "evidence": ln.evidence,
            "char_start": ln.start, "char_end": ln.end, "letter_date": ln.letter_date,
            "theme_file_version": version, "scope_evidence": ln.scope_evidence,
        })
    for i, ev in enumerate(enrichment.events, start=1):
        rows["events"].append({
            "event_id": i, "unit_id": ev.unit_id, "document_id": ev.document_id,
            "unit_kind": unit_kind(ev.unit_id)[0], "kind": ev.kind, "theme_id": ev.theme,
            "subject": ev.subject, "date_start": ev.date_start, "date_end": ev.date_end,
            "date_text": ev.text, "evidence": ev.evidence, "char_start": ev.start,
            "char_end": ev.end, "letter_date": ev.letter_date,
        })
    for i, c in enumerate(enrichment.commitments, start=1):
        rows["commitments"].append({
            "commitment_id": i, "unit_id": c.unit_id, "document_id": c.document_id,
            "kind": c.kind, "theme_id": c.theme, "subject": c.subject, "trigger": c.trigger,
            "date_text": c.text, "due_start": c.due_start, "due_end": c.due_end,
            "status": c.status, "reference_date": ref_day, "evidence": c.evidence,
            "char_start": c.start, "char_end": c.end, "letter_date": c.letter_date,
        })
    for r in enrichment.references:
        rows["references"].append({
            "unit_id": r.unit_id, "document_id": r.document_id, "unit_kind": unit_kind(r.unit_id)[0],
            "kind": r.kind, "target": r.target, "session": r.session, "chamber": r.chamber,
            "dossier": r.dossier, "number": r.number, "evidence": r.evidence,
            "char_start": r.start, "char_end": r.end,
        })
    for q in enrichment.question_set_links:
        rows["question_set_links"].append({
            "unit_id": q.unit_id, "document_id": q.document_id, "target_number": q.target_number,
            "relation": q.relation, "evidence": q.evidence, "char_start": q.start, "char_end": q.end,
        })
    import polars as pl

    return {name: pl.DataFrame(rows[name], schema=schema)
            for name, schema in schemas().items()}


@dataclass(frozen=True)
class EnrichmentPlan:
    """What an enrichment run has to do, from ``_enriched_documents`` (see enrichment_plan).

    ``full``: re-enrich every document and replace every row (no record yet, another theme
    file or enrich code made the records, or every document changed). Otherwise only ``stale`` documents (new, or their
    file, parser version or letter date changed) are enriched, and ``gone`` documents (no longer
    in ``documents``) lose their rows. ``unchanged`` counts the documents left as they are.
    """

    full: bool
    stale: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    unchanged: int = 0
    documents: int = 0  # documents in the warehouse


def enrichment_key(themes: Sequence[Theme]) -> tuple[str | None, str, str]:
    """(theme file version, themes sha256, enricher version): what every record must match."""
    return (themes[0].version if themes else None, themes_fingerprint(themes), ENRICHER_VERSION)


def enrichment_plan(con: duckdb.DuckDBPyConnection, themes: Sequence[Theme]) -> EnrichmentPlan:
    """Which documents to (re-)enrich: compare ``documents`` with ``_enriched_documents``."""
    stmts = _statements()
    records, outdated = con.execute(stmts["plan_records"], list(enrichment_key(themes))).fetchone()
    documents = con.execute(stmts["count_documents"]).fetchone()[0]
    gone = tuple(r[0] for r in con.execute(stmts["gone_documents"]).fetchall())
    if records == 0 or outdated > 0:
        return EnrichmentPlan(True, gone=gone, documents=documents)
    stale = tuple(r[0] for r in con.execute(stmts["stale_documents"]).fetchall())
    if documents and len(stale) == documents:  # e.g. a new parser version: no list of every id
        return EnrichmentPlan(True, gone=gone, documents=documents)
    return EnrichmentPlan(False, stale, gone, unchanged=documents - len(stale), documents=documents)


def load_enrichment(
    con: duckdb.DuckDBPyConnection,
    enrichment: Enrichment,
    *,
    document_ids: Iterable[str] | None = None,
    start_over: bool = False,
) -> dict[str, int]:
    """Write ``enrichment`` in one transaction; row counts staged per table.

    ``start_over`` with ``document_ids``: the first batch of a full enrichment done in batches.
    Every enrichment row, the themes and every record go (as in a full load), the batch's rows
    and the themes come in, and only the batch's documents are recorded as enriched: should the
    run stop before the other batches, the next run finds those documents still to do.

    Without ``document_ids`` every enrichment row (themes included) is replaced. With them only
    the rows of those documents are deleted and ``enrichment``'s rows inserted (it must hold
    rows of those documents only; a document listed without rows, e.g. a tombstone, just loses
    its rows); the themes table is left alone. Either way ``_enriched_documents`` is updated in
    the same transaction (from ``documents``, when the warehouse has that table), event and
    commitment ids are renumbered as a full load numbers them, and every commitment's status
    is judged on ``enrichment.reference_date``: a failed load leaves the old rows in place.
    """
    incremental = document_ids is not None
    wanted = sorted(set(document_ids)) if incremental else []
    staged = {name: df.to_arrow() for name, df in frames(enrichment).items()}
    if incremental:
        strays = sorted({d for name, t in staged.items() if name != "themes"
                         for d in t.column("document_id").to_pylist()} - set(wanted))
        if strays:
            raise ValueError(f"enrichment holds rows of documents not in document_ids: {strays[:5]}")
        if not start_over:
            del staged["themes"]  # the themes table changes only with a full load
    import pyarrow as pa

    documents = pa.table({"document_id": pa.array(wanted, pa.string())})
    ref_day = enrichment.reference_date or date.today()
    record = [*enrichment_key(list(enrichment.themes)), ref_day]
    stmts = _statements()
    con.begin()
    try:
        for name, table in staged.items():
            con.register(f"staged_{name}", table)
        con.register("staged_documents", documents)
        con.execute(stmts["clear_documents" if incremental and not start_over else "clear"])
        for name in staged:
            con.execute(stmts[f"insert_{name}"])
        con.execute(stmts["renumber_events"])
        con.execute(stmts["renumber_commitments"])
        con.execute(stmts["refresh_superseded"])
        con.execute(stmts["refresh_status"], [ref_day])
        if con.execute(stmts["has_documents"]).fetchone()[0]:
            con.execute(stmts["record_documents" if incremental else "record_all_documents"], record)
        con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        for name in [*staged, "documents"]:
            try:
                con.unregister(f"staged_{name}")
            except duckdb.Error:
                pass
    return {name: table.num_rows for name, table in staged.items()}


def document_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every document of the warehouse (a full enrichment goes through them in batches)."""
    return [r[0] for r in con.execute(_statements()["document_ids"]).fetchall()]


def refresh_commitment_status(con: duckdb.DuckDBPyConnection, reference_date: date) -> None:
    """Judge every commitment's status on ``reference_date`` (a run that enriched nothing)."""
    con.execute(_statements()["refresh_superseded"])
    con.execute(_statements()["refresh_status"], [reference_date])


__all__ = [
    "TABLES",
    "schemas",
    "EnrichmentPlan",
    "enrichment_key",
    "enrichment_plan",
    "frames",
    "document_ids",
    "load_enrichment",
    "refresh_commitment_status",
    "unit_kind",
]
