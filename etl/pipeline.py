"""The pipeline's steps as plain functions: what the Dagster assets and the CLI call.

Each step reads what the previous one left in the raw store (or the warehouse) and writes its
own output there, so steps can be rerun alone, and a better parser re-parses without fetching.
The steps hold no business logic of their own; they sequence the layers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from etl.config import Settings
from etl.models import DocumentRecord, ParseFailure, ParsedLetter, StoredFile
from etl.window import Window

Progress = Callable[[str, int, "int | None"], None]


def _noop(stage: str, done: int, total: int | None) -> None:
    return None


# --------------------------------------------------------------------------- source → store


# Fetch and parse never open DuckDB: they only read and write the raw store (which takes turns
# between processes under a file lock), so Dagster may run one partition per process or machine.
# The warehouse writers below are the only steps that open DuckDB for writing.


def check_api_contract(settings: Settings, today: date):
    """The live-contract check of ``kamerspoor check-api``, at most once a day per API.

    A passing report is remembered in the raw store for the day (``contract/<day>.json``), so
    the hourly runs do not probe the service each time; a failing one is never remembered.
    Returns the Report, or None when today's check already passed.
    """
    import hashlib
    import json

    from etl.source.contract import check
    from etl.store.atomic import atomic_write_bytes

    key = hashlib.sha256(settings.api_url.encode()).hexdigest()[:12]
    marker = settings.store_dir / "contract" / f"{today.isoformat()}-{key}.json"
    if marker.exists():
        return None
    report = check(settings, today=today)
    if report.exit_code == 0:
        marker.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(marker, json.dumps(report.to_metadata()).encode())
    return report


def fetch_metadata(
    settings: Settings,
    *,
    window: Window = Window(),
    incremental: bool = False,
    progress: Progress | None = None,
):
    """Sync question sets, documents and actors submitted in ``window`` (its end day excluded,
    ``etl.window``), or, incrementally, everything changed since the stored cursor, into the raw
    store; returns the SyncSummary."""
    from etl.source.client import TKClient
    from etl.source.sync import sync_metadata
    from etl.store import RawStore

    store = RawStore(settings.store_dir)
    store.clean_stale_tmp()  # a run starts: drop what writers killed long ago left behind
    with TKClient(settings) as client:
        return sync_metadata(
            client, store, window=window, incremental=incremental, progress=progress or _noop
        )


def documents_in(store, window: Window) -> list[DocumentRecord]:
    """The live documents of question sets submitted in ``window`` (all of them when unbounded).

    A document linked to sets in two months belongs to both; its file is stored once by hash.
    """
    documents = store.documents()
    if window.unbounded:
        return documents
    sets = {q.id for q in store.question_sets() if q.submitted_on is not None and window.contains(q.submitted_on)}
    return [d for d in documents if sets.intersection(d.question_set_ids)]


def fetch_letter_files(
    settings: Settings, *, window: Window = Window(), progress: Progress | None = None, on_stored=None,
    documents: list[DocumentRecord] | None = None, store=None,
):
    """Download the file of each live document in ``window`` that is missing or changed;
    returns the FetchSummary. ``on_stored(document)`` hears of each file as it is stored.
    ``documents`` and ``store``: fetch_and_parse_letters' listing and store, which its two
    halves share (a store keeps the file indexes it read)."""
    from etl.source.client import TKClient
    from etl.source.sync import fetch_files
    from etl.store import RawStore

    store = RawStore(settings.store_dir) if store is None else store
    if documents is None:
        documents = documents_in(store, window)
    with TKClient(settings) as client:
        return fetch_files(client, store, documents=documents, progress=progress or _noop, on_stored=on_stored)


def fetch_and_parse_letters(settings: Settings, *, window: Window = Window(), progress: Progress | None = None):
    """fetch_letter_files and parse_letters at once: each file is parsed as soon as it is stored.

    On a backfill the downloads then hide behind the parse instead of running before it; the
    result is the same as the two steps in turn. Returns (FetchSummary, ParseSummary); a
    failure of the fetch as a whole is raised after the parse of what did arrive.
    """
    import queue
    import threading

    from etl.store import RawStore

    arrivals: queue.Queue = queue.Queue()
    done = object()
    outcome: dict[str, Any] = {}
    report = progress or _noop
    fetched = threading.Event()
    store = RawStore(settings.store_dir)
    documents = documents_in(store, window)  # listed once for both

    def fetch() -> None:
        try:
            outcome["files"] = fetch_letter_files(
                settings, progress=report, on_stored=lambda doc: arrivals.put(doc.id), documents=documents, store=store
            )
        except BaseException as exc:  # raised below, in the caller's thread
            outcome["error"] = exc
        finally:
            fetched.set()
            arrivals.put(done)

    def parse_progress(stage: str, count: int, total: int | None) -> None:
        if fetched.is_set():  # one progress line at a time: the parse's once the downloads are done
            report(stage, count, total)

    def arriving():
        while (doc_id := arrivals.get()) is not done:
            yield doc_id

    fetcher = threading.Thread(target=fetch, name="fetch-files", daemon=True)
    fetcher.start()
    # An interrupted parse (Ctrl-C, a store error) does not wait for the downloads: the fetch
    # thread is a daemon, and what it stored stays stored for the next run.
    parsed = parse_letters(settings, progress=parse_progress, arriving=arriving(), documents=documents, store=store)
    fetcher.join()
    store.keep_file_indexes()  # the load step reads every index again
    if "error" in outcome:
        raise outcome["error"]
    return outcome["files"], parsed


# --------------------------------------------------------------------------- store → parse


@dataclass(frozen=True)
class ParseSummary:
    """What one parse pass did; failures are (document id, code, message)."""

    parsed: int = 0
    cached: int = 0
    without_file: int = 0
    failures: tuple[tuple[str, str, str], ...] = ()
    warnings: int = 0
    pdf_engine: str = ""  # who read the PDF characters (operators see which engine a run used)
    seconds: float = 0.0  # wall time of the parse step
    alongside_downloads: bool = False  # parsed as the files arrived (fetch_and_parse_letters)

    def to_metadata(self) -> dict[str, Any]:
        return {
            "pdf_engine": self.pdf_engine,
            "parsed": self.parsed,
            "cached": self.cached,
            "without_file": self.without_file,
            "failed": len(self.failures),
            "warnings": self.warnings,
            "seconds": round(self.seconds, 2),
            "failures": [f"{d}: {c}: {m}" for d, c, m in self.failures[:50]],
        }

    def __str__(self) -> str:
        return (
            f"parsed {self.parsed}, cached {self.cached}, failed {len(self.failures)}, "
            f"without file {self.without_file}, warnings {self.warnings} "
            f"({self.seconds:.1f} s{', alongside the downloads' if self.alongside_downloads else ''})"
        )


def parse_result(payload: dict[str, Any], path: str | None = None) -> ParsedLetter | ParseFailure:
    """Rebuild a parse outcome from its cached payload in the raw store."""
    if "failure" in payload:
        return ParseFailure(payload["failure"]["code"], payload["failure"]["message"], path)
    return ParsedLetter.from_contract(payload)


def parse_letters(
    settings: Settings, *, window: Window = Window(), progress: Progress | None = None, arriving=None,
    documents: list[DocumentRecord] | None = None, store=None,
) -> ParseSummary:
    """Parse the current file of every live document in ``window`` once per (file hash, parser
    version). ``documents`` and ``store``: as for fetch_letter_files.

    ``arriving`` (optional) yields the ids of documents whose file is being stored while this
    runs (see fetch_and_parse_letters): each is parsed as it comes, and a document counts as
    without file only if it has none when the last one has come.
    """
    from etl.parse import PARSER_VERSION
    from etl.parse.workers import parse_stored
    from etl.store import RawStore

    started = time.monotonic()
    store = RawStore(settings.store_dir) if store is None else store
    report = progress or _noop
    if documents is None:
        documents = documents_in(store, window)
    cached = 0
    outcomes: dict[str, Any] = {}  # by sha256: ParseOutcome, or None when the parser process died
    queued: set[str] = set()  # sha256 handed to the parse
    owners: dict[str, str] = {}  # document id -> sha256 of its current file

    def todo(doc_id: str):
        """The stored file of ``doc_id`` when it still needs a parse (counting cached ones)."""
        nonlocal cached
        stored = store.current_file(doc_id)
        if stored is None:
            return None
        owners[doc_id] = stored.sha256
        if stored.sha256 in outcomes or stored.sha256 in queued:
            return None
        outcome = store.parse_outcome(stored.sha256, PARSER_VERSION)  # not the payload: only what came of it
        if outcome is None:
            queued.add(stored.sha256)
            return stored
        outcomes[stored.sha256] = outcome
        cached += 1
        return None

    present = [f for f in (todo(doc.id) for doc in documents) if f is not None]

    everything_arrived = arriving is None

    def files():
        nonlocal everything_arrived
        yield from present
        for doc_id in arriving or ():
            stored = todo(doc_id)
            if stored is not None:
                yield stored
        everything_arrived = True

    parsed = 0
    source = present if arriving is None else files()
    for done, (stored, payload) in enumerate(parse_stored(source, settings), 1):
        outcome = None  # the parser process died: retried next run
        if payload is not None:
            outcome = store.put_parse(stored.sha256, PARSER_VERSION, payload)
            parsed += 1
        outcomes[stored.sha256] = outcome
        report("parse", done, len(queued) if everything_arrived else None)  # the total, once it is known
    warnings = 0
    failures: list[tuple[str, str, str]] = []
    for doc in documents:
        sha = owners.get(doc.id)
        if sha is None:
            continue
        outcome = outcomes[sha]
        if outcome is None:
            failures.append((doc.id, "parser_crash", "the parser process died on this file; retried next run"))
        elif outcome.failure is not None:
            failures.append((doc.id, *outcome.failure))
        else:
            warnings += outcome.warnings
    without_file = sum(1 for doc in documents if doc.id not in owners)
    return ParseSummary(
        parsed, cached, without_file, tuple(failures), warnings,
        pdf_engine=settings.pdf_engine, seconds=time.monotonic() - started, alongside_downloads=arriving is not None,
    )


# --------------------------------------------------------------------------- parse → load


# The analyst tables each writer step fills (the Dagster assets are declared from these; views
# are everything else the DDL declares). A test keeps them and the DDL in step.
LOADED_TABLES = (
    "question_sets", "documents", "document_question_sets", "actors", "questions", "answers",
    "qa_pairs", "footnotes", "parse_issues", "response_times",
)
ENRICHED_TABLES = ("themes", "theme_links", "events", "commitments", "doc_references", "question_set_links")


@dataclass(frozen=True)
class LoadSummary:
    question_sets: int = 0
    documents: int = 0
    letters: int = 0
    removed_documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def to_metadata(self) -> dict[str, Any]:
        return {
            "question_sets": self.question_sets,
            "documents": self.documents,
            "letters_loaded": self.letters,
            "removed_documents": self.removed_documents,
            **{f"rows_{k}": v for k, v in self.counts.items()},
        }

    def __str__(self) -> str:
        return (
            f"{self.question_sets} question sets, {self.documents} documents "
            f"({self.letters} loaded, {self.removed_documents} removed)"
        )


def _result(store, stored: StoredFile, parser_version: str) -> ParsedLetter | ParseFailure | None:
    payload = store.get_parse(stored.sha256, parser_version)
    return None if payload is None else parse_result(payload, stored.path)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


LOAD_BATCH = 1000  # letters per transaction: big enough for bulk speed, small enough to resume
ENRICH_BATCH = 5000  # letters per enrichment transaction (~40,000 text units at the sample's density)


def load_warehouse(
    settings: Settings, *, reference_date: date | None = None, progress: Progress | None = None
) -> LoadSummary:
    """Load metadata, then every letter whose file or parser version changed, into DuckDB.

    Letters already loaded from the same file hash by the same parser version are skipped, so a
    rerun after no change loads nothing; each batch is one transaction, so a killed run resumes.
    """
    from etl.load import warehouse
    from etl.load.sql import read_sql
    from etl.parse import PARSER_VERSION
    from etl.store import RawStore

    store = RawStore(settings.store_dir)
    report = progress or _noop
    # Taken before the metadata is read: a merge in between makes the next run load again.
    metadata_mark = hashlib.sha256(
        (store.metadata_digest() + warehouse.metadata_mapping_digest()).encode()
    ).hexdigest()
    question_sets, documents = store.question_sets(), store.documents()
    deleted_docs = store.deleted_document_ids()
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    con = warehouse.connect(settings.warehouse_path)
    try:
        warehouse.apply_schema(con)
        if warehouse.load_mark(con, "metadata") != metadata_mark:  # else: loaded from this very metadata
            warehouse.load_metadata(
                con,
                question_sets,
                documents,
                store.actors(),
                deleted_document_ids=deleted_docs,
                deleted_question_set_ids=store.deleted_question_set_ids(),
            )
            warehouse.set_load_mark(con, "metadata", metadata_mark)
        loaded = {
            doc_id: (sha, version)
            for doc_id, sha, version in con.execute(read_sql("queries/_loaded_letters.sql")).fetchall()
        }
        todo = []
        for doc in documents:
            stored = store.current_file(doc.id)
            if stored is None or loaded.get(doc.id) == (stored.sha256, PARSER_VERSION):
                continue
            result = _result(store, stored, PARSER_VERSION)
            if result is not None:
                todo.append((doc, stored, result))
        store.keep_file_indexes()
        done = 0
        for batch in _chunks(todo, LOAD_BATCH):
            warehouse.load_letters(con, batch, parser_version=PARSER_VERSION)
            done += len(batch)
            report("load", done, len(todo))
        warehouse.refresh(con, reference_date=reference_date)
        counts = table_counts(con, LOADED_TABLES)
    finally:
        con.close()
    return LoadSummary(len(question_sets), len(documents), len(todo), len(deleted_docs), counts)


def table_counts(con, names: tuple[str, ...]) -> dict[str, int]:
    """Row counts of the named relations (for run metadata and the CLI)."""
    from etl.load.sql import read_sql

    return {name: con.execute(read_sql("queries/_relation_rows.sql"), [name]).fetchone()[0] for name in names}


def relation_counts(settings: Settings, names: tuple[str, ...]) -> dict[str, int]:
    """Row counts of the named relations, read through a read-only connection."""
    from etl.load import warehouse

    con = warehouse.connect(settings.warehouse_path, read_only=True)
    try:
        return table_counts(con, names)
    finally:
        con.close()


def check_warehouse(settings: Settings, names: list[str]) -> list:
    """Run the data checks ``warehouse/checks/<name>.sql`` through one read-only connection;
    returns their CheckOutcomes in the same order."""
    from etl.load import warehouse
    from etl.load.checks import run_check

    con = warehouse.connect(settings.warehouse_path, read_only=True)
    try:
        return [run_check(con, name) for name in names]
    finally:
        con.close()


def warehouse_summary(path: Path) -> dict[str, int]:
    """What a finished warehouse holds: question sets, letters, Q&A pairs, theme links."""
    from etl.load import warehouse
    from etl.load.sql import read_sql

    con = warehouse.connect(path, read_only=True)
    try:
        cur = con.execute(read_sql("queries/_summary.sql"))
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone()))
    finally:
        con.close()


# --------------------------------------------------------------------------- load → enrich → load


@dataclass(frozen=True)
class EnrichSummary:
    """What one enrichment run did. Row counts are of the rows written by this run (all rows
    after a full run; only the re-enriched letters' rows after an incremental one)."""

    units: int
    theme_links: int
    events: int
    commitments: int
    references: int
    documents_enriched: int = 0  # letters (re-)enriched by this run
    documents_skipped: int = 0  # letters whose inputs were unchanged: their rows were kept
    documents_removed: int = 0  # tombstoned letters whose rows were deleted
    full: bool = False  # everything was re-enriched (first run, new theme file or enrich code)

    def to_metadata(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __str__(self) -> str:
        mode = "full" if self.full else "incremental"
        return (
            f"{self.theme_links} theme links, {self.events} events, {self.commitments} commitments, "
            f"{self.references} references over {self.units} text units; {mode}: "
            f"{self.documents_enriched} documents enriched, {self.documents_skipped} unchanged, "
            f"{self.documents_removed} removed"
        )


def link_themes(
    settings: Settings, *, reference_date: date | None = None, theme_file: Path | None = None
) -> EnrichSummary:
    """Enrich the letters whose inputs changed and replace just their enrichment rows.

    A letter's enrichment depends only on its own text units, the theme file and the enrich code
    (cross-letter relations such as deadline_drift are SQL views), so a letter is re-enriched
    only when new, or its file, parser version or letter date changed; tombstoned letters lose
    their rows. The first run, another theme file (``theme_file``, default the packaged one) or
    new enrich code re-enriches everything. Every commitment's status is judged on
    ``reference_date`` (default today) at every run, so the result equals a full enrichment.
    """
    from etl.enrich.parallel import EnrichPool
    from etl.enrich.themes import load_themes
    from etl.load import warehouse
    from etl.load.enrichment import document_ids, enrichment_plan, load_enrichment, refresh_commitment_status

    ref_day = reference_date or date.today()
    themes = load_themes(theme_file)
    counts = [0, 0, 0, 0, 0]  # units, theme links, events, commitments, references
    con = warehouse.connect(settings.warehouse_path)
    try:
        warehouse.apply_schema(con)
        plan = enrichment_plan(con, themes)
        todo = document_ids(con) if plan.full else list(plan.stale)
        if plan.full or plan.stale or plan.gone:
            # Batches of letters, each its own transaction: memory stays bounded at any size
            # (a backfill enriches a million text units), and a stopped run resumes.
            with EnrichPool(themes, settings.parse_workers) as pool:
                for i, ids in enumerate(list(_chunks(todo, ENRICH_BATCH)) or [[]]):
                    units = warehouse.read_text_units(con, ids)
                    result = pool.enrich(units, reference_date=ref_day,
                                         letters=warehouse.read_letter_contexts(con, ids))
                    if plan.full:
                        load_enrichment(con, result, document_ids=ids, start_over=i == 0)
                    else:
                        load_enrichment(con, result, document_ids=[*ids, *(plan.gone if i == 0 else ())])
                    for k, n in enumerate((len(units), len(result.theme_links), len(result.events),
                                           len(result.commitments), len(result.references))):
                        counts[k] += n
            enriched = plan.documents if plan.full else len(plan.stale)
        else:
            enriched = 0
            refresh_commitment_status(con, ref_day)
    finally:
        con.close()
    return EnrichSummary(
        *counts, documents_enriched=enriched, documents_skipped=plan.unchanged, documents_removed=len(plan.gone),
        full=plan.full,
    )


def publish_snapshot(settings: Settings) -> Path:
    """Copy the finished warehouse to the analysts' snapshot (atomic replace)."""
    from etl.load import warehouse

    return warehouse.publish_snapshot(settings.warehouse_path, settings.snapshot_path)


# --------------------------------------------------------------------------- KOOP XML parity


def fetch_koop_xml(settings: Settings):
    """Fetch the KOOP XML twin of every live document with a KOOP id into the raw store."""
    from etl.source.koop import fetch_koop_files
    from etl.store import RawStore

    store = RawStore(settings.store_dir)
    return fetch_koop_files(settings, store, store.documents())


@dataclass(frozen=True)
class ParitySummary:
    compared: int = 0
    agreeing: int = 0
    xml_chosen: int = 0
    failures: tuple[str, ...] = ()  # one line per XML that could not be parsed
    line: str = ""  # the per-month share, as the run summary prints it
    letters: int = 0  # letters with a parity row (this run's and earlier runs')
    letters_agreeing: int = 0

    @property
    def all_agree(self) -> bool:
        """Every letter ever compared agrees, and no XML failed to parse in this run."""
        return self.letters_agreeing == self.letters and not self.failures

    def to_metadata(self) -> dict[str, Any]:
        return {"parity_compared": self.compared, "parity_agreeing": self.agreeing,
                "parity_xml_chosen": self.xml_chosen, "parity_failures": len(self.failures),
                "parity_letters": self.letters, "parity_letters_agreeing": self.letters_agreeing}

    def __str__(self) -> str:
        return self.line


#: Fewer letters to compare than this are compared in this process (workers take ~1 s to start).
MIN_PARALLEL_PARITY = 500
PARITY_CHUNK = 250  # letters per task of a worker


def _compare_chunk(task: tuple[Path, list[tuple[DocumentRecord, tuple | None]]]):
    """Compare a chunk of letters with their XML twins (in a worker process, or in this one).

    Each item is a letter with what its parity row was computed from (file and XML sha256,
    parser version; None without a row); a letter whose sources are the same is skipped.
    Returns (parity rows, letters whose XML blocks win as (doc, stored, letter), failure lines).
    """
    from etl.parse import PARSER_VERSION, parse_bytes
    from etl.parse.parity import choose_letter, parity_row
    from etl.source.koop import koop_store_key
    from etl.store import RawStore

    store_dir, items = task
    store = RawStore(store_dir)
    rows, replace, failures = [], [], []
    for doc, compared in items:
        stored, xml_file = store.current_file(doc.id), store.current_file(koop_store_key(doc.koop_id))
        if stored is None or xml_file is None or compared == (stored.sha256, xml_file.sha256, PARSER_VERSION):
            continue
        printed = _result(store, stored, PARSER_VERSION)
        if not isinstance(printed, ParsedLetter):
            continue  # not parsed yet, or unreadable: parse_issues already says so
        try:
            xml = parse_bytes(store.read_file(xml_file), f"{doc.koop_id}.xml")
        except ParseFailure as failure:
            failures.append(f"{doc.koop_id}.xml: {failure.code}: {failure.message}")
            continue
        chosen, parity = choose_letter(printed, xml)
        rows.append(parity_row(
            doc.id, doc.koop_id, parity, file_sha256=stored.sha256, xml_sha256=xml_file.sha256,
            letter_date=printed.date_answered or doc.date, parser_version=PARSER_VERSION,
        ))
        if chosen is not printed:
            replace.append((doc, stored, chosen))
    return rows, replace, failures


def compare_koop_letters(settings: Settings, *, reference_date: date | None = None) -> ParitySummary:
    """Compare the parse of each letter's TK file with the parse of its stored KOOP XML.

    Run after load_warehouse: every compared letter gets a `parse_parity` row; where the
    structures disagree the letter's blocks are replaced by the XML's (the reason is kept in
    `parse_parity.reasons` and as a `blocks_from_xml` parse issue). A letter whose TK file,
    XML and parser version are those of its row already is not compared again. A backfill's
    thousands of letters are compared in ``settings.parse_workers`` processes.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from etl.load import warehouse
    from etl.load.parity import format_parity, load_parity, parity_by_month
    from etl.load.sql import read_sql
    from etl.parse import PARSER_VERSION
    from etl.source.koop import is_koop_id
    from etl.store import RawStore

    store = RawStore(settings.store_dir)
    rows: list[dict[str, Any]] = []
    replace_with_xml = []
    failures: list[str] = []
    con = warehouse.connect(settings.warehouse_path)
    try:
        warehouse.apply_schema(con)
        compared, current = {}, set()
        for doc_id, file_sha, xml_sha, version, is_current in con.execute(
            read_sql("queries/_parity_compared.sql"), [PARSER_VERSION]
        ).fetchall():
            compared[doc_id] = (file_sha, xml_sha, version)
            if is_current:
                current.add(doc_id)
        todo = [(doc, compared.get(doc.id)) for doc in store.documents()
                if not doc.deleted and is_koop_id(doc.koop_id) and doc.id not in current]
        tasks = [(settings.store_dir, chunk) for chunk in _chunks(todo, PARITY_CHUNK)]
        if settings.parse_workers > 1 and len(todo) >= MIN_PARALLEL_PARITY:
            # spawned, not forked: the caller holds threads and an open DuckDB connection
            workers = min(settings.parse_workers, len(tasks))
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                results = list(pool.map(_compare_chunk, tasks))
        else:
            results = [_compare_chunk(task) for task in tasks]
        for chunk_rows, chunk_replace, chunk_failures in results:
            rows += chunk_rows
            replace_with_xml += chunk_replace
            failures += chunk_failures
        if replace_with_xml:
            warehouse.load_letters(con, replace_with_xml, parser_version=PARSER_VERSION)
            warehouse.refresh(con, reference_date=reference_date)
        if rows:
            load_parity(con, rows)
        months = parity_by_month(con)
    finally:
        con.close()
    return ParitySummary(
        len(rows), sum(bool(r["agrees"]) for r in rows), len(replace_with_xml), tuple(failures),
        f"{format_parity(months)} ({len(rows)} compared in this run)",
        letters=sum(n for _, n, _, _ in months), letters_agreeing=sum(a for _, _, a, _ in months),
    )
