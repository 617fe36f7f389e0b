"""What to fetch, and when it counts as fetched.

Two ways to sync metadata:

* **window** — question sets whose ``Zaak.GestartOp`` falls in a ``Window`` ``[start, end)`` (Dutch calendar
  days, sent as Dutch local midnights: a ``Z`` midnight is a different instant and drops rows,
  #185); listings filter ``Verwijderd eq false`` (also inside ``$expand``).
* **incremental** — everything changed since the stored cursor minus an overlap, by
  ``ApiGewijzigdOp``: changed question sets, documents, actors and document versions, including
  tombstones. Every question set touched by a change is re-read whole, so links and actors that
  disappeared disappear here too; tombstoned documents and sets are marked deleted.

Each page is stored (raw payload, then merged state) before the next is read, and the cursor is
written only after the whole run is stored. Merges are idempotent, so a run killed at any point
and simply started again converges to the same state with no duplicates.

``fetch_files`` downloads the current file of every live document whose file is missing or whose
ContentLength/ContentType/GewijzigdOp changed since it was fetched; one failure never stops
the others.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from etl.models import ActorRecord, DocumentRecord, QuestionSetRecord
from etl.source import fields as F
from etl.source.client import TKClient, TKError, TKHTTPError
from etl.source.odata import Expand, Guid, and_, any_, any_of, build_url, eq, ge, gt, in_, lt, node_cost, or_, url_filter
from etl.source.timeutil import dutch_midnight, dutch_tz_at, format_odata_datetime, parse_datetime
from etl.store import MergeResult, MetadataBatch, RawStore, detect_type
from etl.window import Window

Progress = Callable[[str, int, "int | None"], None]

CURSOR_KEY = "sync_cursor"
RECONCILE_LAST_KEY = "reconcile_last"  # when the last reconcile finished (UTC)
RECONCILE_DONE_KEY = "reconcile_done"  # windows (first days) done by the reconcile under way
MAX_IDS_PER_REQUEST = 100
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

ENTITIES = ("question_sets", "documents", "actors")


# --------------------------------------------------------------------------- summaries


@dataclass
class EntityCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class SyncSummary:
    """What one metadata sync did; ``str()`` for the CLI, ``to_metadata()`` for Dagster."""

    mode: str
    since: date | None = None
    until: date | None = None
    cursor_before: str | None = None
    cursor_after: str | None = None
    pages: int = 0
    requests: int = 0
    retries: int = 0
    counts: dict[str, EntityCounts] = field(default_factory=lambda: {e: EntityCounts() for e in ENTITIES})
    failed: list[tuple[str, str]] = field(default_factory=list)
    run_id: str = ""
    reconciled: bool = False

    def to_metadata(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mode": self.mode,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "cursor_before": self.cursor_before,
            "cursor_after": self.cursor_after,
            "pages": self.pages,
            "requests": self.requests,
            "retries": self.retries,
            "failed": len(self.failed),
            "failures": [f"{k}: {r}" for k, r in self.failed],
            "run_id": self.run_id,
            "reconciled": self.reconciled,
        }
        for entity, c in self.counts.items():
            for k, v in c.__dict__.items():
                out[f"{entity}_{k}"] = v
        return out

    def __str__(self) -> str:
        window = ""
        if self.mode == "window":
            window = f" {Window(self.since, self.until)}" if self.since or self.until else " all"
        lines = [f"metadata sync ({self.mode}{window}): {self.pages} pages, {self.requests} requests, {self.retries} retries"]
        for entity, c in self.counts.items():
            lines.append(
                f"  {entity.replace('_', ' '):14s} new {c.new}, changed {c.changed}, unchanged {c.unchanged}, deleted {c.deleted}"
            )
        if self.reconciled:
            lines.append("  reconciled every stored window with the service")
        lines.append(f"  cursor {self.cursor_before or '(none)'} -> {self.cursor_after or '(none)'}")
        for key, reason in self.failed:
            lines.append(f"  FAILED {key}: {reason}")
        return "\n".join(lines)


class _Tally:
    """Accumulates merge results over a run (an id counts once, by its strongest outcome)."""

    def __init__(self) -> None:
        self.sets = {k: {e: set() for e in ENTITIES} for k in ("new", "changed", "unchanged", "deleted")}

    def add(self, r: MergeResult) -> None:
        for kind in self.sets:
            for e in ENTITIES:
                self.sets[kind][e] |= getattr(r, kind)[e]

    def counts(self) -> dict[str, EntityCounts]:
        out = {}
        for e in ENTITIES:
            new = self.sets["new"][e]
            changed = self.sets["changed"][e] - new
            deleted = self.sets["deleted"][e] - new - changed
            unchanged = self.sets["unchanged"][e] - new - changed - deleted
            out[e] = EntityCounts(len(new), len(changed), len(unchanged), len(deleted))
        return out


@dataclass
class FetchSummary:
    """What one file fetch did. ``up_to_date`` documents were not requested at all."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    up_to_date: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    bytes: int = 0
    types: dict[str, int] = field(default_factory=dict)

    @property
    def downloaded(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged)

    def to_metadata(self) -> dict[str, Any]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "up_to_date": self.up_to_date,
            "failed": len(self.failed),
            "failures": [f"{k}: {r}" for k, r in self.failed],
            "bytes": self.bytes,
            "types": dict(sorted(self.types.items())),
        }

    def __str__(self) -> str:
        types = ", ".join(f"{k} {v}" for k, v in sorted(self.types.items())) or "none"
        lines = [
            f"files: new {len(self.new)}, changed {len(self.changed)}, unchanged {len(self.unchanged)}, "
            f"up to date {self.up_to_date}, failed {len(self.failed)} ({self.bytes} bytes; types: {types})"
        ]
        lines += [f"  FAILED {doc}: {reason}" for doc, reason in self.failed]
        return "\n".join(lines)


# --------------------------------------------------------------------------- queries


def _key_literal(value: str) -> Guid | str:
    return Guid(value) if _GUID.fullmatch(value) else value


def question_set_expands() -> tuple[Expand, ...]:
    """Documents (live, with their current version for the KOOP id) and actors (live)."""
    live = eq(F.F_DELETED, False)
    return (
        Expand(F.NAV_ZAAK_DOCUMENTS, filter=live, expand=(Expand(F.NAV_DOCUMENT_CURRENT_VERSION),)),
        Expand(F.NAV_ZAAK_ACTORS, filter=live),
    )


def window_url(base: str, window: Window) -> str:
    """Question sets started in ``window`` (Dutch days, the end day excluded), oldest first."""
    parts = [eq(F.F_SOORT, F.ZAAK_SOORT_SCHRIFTELIJKE_VRAGEN), eq(F.F_DELETED, False)]
    if window.start:
        parts.append(ge(F.F_STARTED, dutch_midnight(window.start)))
    if window.end:
        parts.append(lt(F.F_STARTED, dutch_midnight(window.end)))
    return build_url(
        base, F.ZAAK, filter=and_(*parts), expand=question_set_expands(),
        orderby=f"{F.F_STARTED} asc,{F.F_ID} asc",
    )


def _is_question_set() -> str:
    return eq(F.F_SOORT, F.ZAAK_SOORT_SCHRIFTELIJKE_VRAGEN)


def changed_question_sets_url(base: str, start: datetime) -> str:
    # Tombstones have their Soort nulled, so they are asked for separately.
    flt = and_(gt(F.F_API_CHANGED, start), or_(_is_question_set(), eq(F.F_DELETED, True)))
    return build_url(base, F.ZAAK, filter=flt, expand=question_set_expands(),
                     orderby=f"{F.F_API_CHANGED} asc,{F.F_ID} asc")


def changed_documents_url(base: str, start: datetime) -> str:
    """Every changed document, not only those still linked to a question set.

    A document unlinked from its question set no longer matches ``Zaak/any(…)``, and whether
    the Zaak itself changes then is unknown; so all changes are read (a day's worth is a few
    pages) and the sync keeps those linked to a question set or already known to the store.
    """
    zaken = Expand(F.NAV_DOCUMENT_ZAKEN, filter=and_(eq(F.F_DELETED, False), _is_question_set()), select=(F.F_ID,))
    return build_url(base, F.DOCUMENT, filter=gt(F.F_API_CHANGED, start), expand=(zaken,),
                     orderby=f"{F.F_API_CHANGED} asc,{F.F_ID} asc")


def changed_actors_url(base: str, start: datetime) -> str:
    flt = and_(gt(F.F_API_CHANGED, start), or_(f"{F.NAV_ACTOR_ZAAK}/{_is_question_set()}", eq(F.F_DELETED, True)))
    return build_url(base, F.ZAAK_ACTOR, filter=flt, orderby=f"{F.F_API_CHANGED} asc,{F.F_ID} asc")


def changed_versions_url(base: str, start: datetime) -> str:
    in_question_set = any_(f"{F.NAV_VERSION_DOCUMENT}/{F.NAV_DOCUMENT_ZAKEN}", "z", f"z/{_is_question_set()}")
    flt = and_(gt(F.F_API_CHANGED, start), eq(F.F_DELETED, False), in_question_set)
    return build_url(base, F.DOCUMENT_VERSIE, filter=flt, orderby=f"{F.F_API_CHANGED} asc,{F.F_ID} asc")


def question_sets_by_id_filter(ids: Iterable[str], use_in: bool = True) -> str:
    keys = [_key_literal(i) for i in ids]
    ids_filter = in_(F.F_ID, keys) if use_in else any_of(F.F_ID, keys)
    return and_(ids_filter, _is_question_set(), eq(F.F_DELETED, False))


def question_sets_by_id_url(base: str, ids: Iterable[str], use_in: bool = True) -> str:
    flt = question_sets_by_id_filter(ids, use_in)
    return build_url(base, F.ZAAK, filter=flt, expand=question_set_expands(), orderby=f"{F.F_ID} asc")


def ids_per_request(budget: int, use_in: bool = True) -> int:
    """The most GUIDs one by-id re-read can carry and stay within ``budget`` filter nodes."""
    sample = "00000000-0000-0000-0000-000000000000"
    best = 0
    for n in range(1, MAX_IDS_PER_REQUEST + 1):
        if node_cost(question_sets_by_id_filter([sample] * n, use_in)) > budget:
            break
        best = n
    return max(1, best)


def tombstones_url(base: str, entity: str, start: datetime) -> str:
    """Tombstones by the source system's ``GewijzigdOp`` (Dutch offset): found even when the
    service leaves a tombstone's ``ApiGewijzigdOp`` empty (then ``ApiGewijzigdOp gt …`` misses it)."""
    dutch = start.astimezone(dutch_tz_at(start))
    flt = and_(eq(F.F_DELETED, True), gt(F.F_CHANGED, dutch))
    return build_url(base, entity, filter=flt, orderby=f"{F.F_CHANGED} asc,{F.F_ID} asc")


def window_ids_url(base: str, first: date, end: date) -> str:
    """Ids only (with the ids of live documents and actors) of the sets started in
    ``[first, end)``: what the reconcile compares with the store."""
    parts = [_is_question_set(), eq(F.F_DELETED, False),
             ge(F.F_STARTED, dutch_midnight(first)), lt(F.F_STARTED, dutch_midnight(end))]
    live = eq(F.F_DELETED, False)
    expands = (Expand(F.NAV_ZAAK_DOCUMENTS, filter=live, select=(F.F_ID,)),
               Expand(F.NAV_ZAAK_ACTORS, filter=live, select=(F.F_ID,)))
    return build_url(base, F.ZAAK, filter=and_(*parts), select=(F.F_ID,), expand=expands,
                     orderby=f"{F.F_ID} asc")


# --------------------------------------------------------------------------- mapping pages


def snapshot_of(
    row: dict[str, Any], url: str
) -> tuple[QuestionSetRecord, list[DocumentRecord], list[ActorRecord]]:
    """A Zaak row with expansions -> (question set, live documents, live actors)."""
    qs = F.question_set_from_api(row, url)
    docs = [
        F.document_from_api(d, url)
        for d in F.expanded(row, F.NAV_ZAAK_DOCUMENTS, F.ZAAK, url)
        if not F.is_deleted(d, F.DOCUMENT, url)
    ]
    actors = [
        F.actor_from_api(a, url, qs.id)
        for a in F.expanded(row, F.NAV_ZAAK_ACTORS, F.ZAAK, url)
        if not F.is_deleted(a, F.ZAAK_ACTOR, url)
    ]
    return qs, docs, actors


def _max_changed(rows: Iterable[dict[str, Any]]) -> datetime | None:
    """The newest ApiGewijzigdOp in rows and their expansions."""
    best: datetime | None = None
    stack = list(rows)
    while stack:
        row = stack.pop()
        value = row.get(F.F_API_CHANGED)
        if value:
            dt = parse_datetime(str(value))
            best = dt if best is None or dt > best else best
        for v in row.values():
            if isinstance(v, dict):
                stack.append(v)
            elif isinstance(v, list):
                stack.extend(x for x in v if isinstance(x, dict))
    return best


class _Run:
    """State of one sync run: the store, the summary, the newest change seen."""

    def __init__(self, client: TKClient, store: RawStore, summary: SyncSummary, progress: Progress | None):
        self.client, self.store, self.summary, self.progress = client, store, summary, progress
        self.tally = _Tally()
        self.newest: datetime | None = None
        self.rows_seen = 0
        self.id_reader = _IdReader(client)
        self.run_id = store.new_run_id()
        summary.run_id = self.run_id

    def see(self, rows: list[dict[str, Any]]) -> None:
        newest = _max_changed(rows)
        if newest and (self.newest is None or newest > self.newest):
            self.newest = newest

    def page(self, label: str, url: str, payload: dict[str, Any], batch: MetadataBatch) -> None:
        """Store the raw payload, then merge: in that order, so nothing merged is unrecorded."""
        self.store.save_payload(self.run_id, label, url, payload)
        self.tally.add(self.store.merge(batch))
        self.summary.pages += 1
        self.rows_seen += len(payload.get("value", []))
        if self.progress:
            self.progress(f"metadata:{label}", self.rows_seen, None)

    def listing(self, label: str, url: str):
        """Like :meth:`pages`, but a listing that fails is recorded and ends; the run goes on."""
        try:
            yield from self.pages(url)
        except TKError as exc:
            self.summary.failed.append((f"listing {label}", str(exc)))

    def pages(self, url: str):
        check_budget(url, self.client.settings.filter_node_budget)
        for page in self.client.iter_pages(url):
            self.see(page.rows)
            yield page


def check_budget(url: str, budget: int) -> None:
    """Every filter we send is costed first; one over the budget is our bug, named here."""
    cost = node_cost(url_filter(url))
    if cost > budget:
        raise TKError(f"the $filter of {url} costs {cost} nodes, over the budget of {budget}")


class _IdReader:
    """Re-reads question sets by id in chunks that fit the node budget.

    Uses ``Id in (…)``; if the service refuses ``in`` (a 400 that is not the node limit) it
    falls back to ``or``-joined ``eq``. On the node-limit 400 the chunk is halved and retried
    (that request only, never the run) and the smaller size is kept for the rest of the run.
    """

    def __init__(self, client: TKClient):
        self.client = client
        self.budget = client.settings.filter_node_budget
        self.use_in = True
        self.size = ids_per_request(self.budget, True)
        self._lock = threading.Lock()

    def chunks(self, ids: list[str]) -> list[list[str]]:
        return [ids[i : i + self.size] for i in range(0, len(ids), self.size)]

    def read(self, chunk: list[str]) -> list[tuple[str, dict[str, Any]]]:
        out: list[tuple[str, dict[str, Any]]] = []
        pending = [chunk]
        while pending:
            part = pending.pop(0)
            use_in = self.use_in
            url = question_sets_by_id_url(self.client.base_url, part, use_in)
            try:
                check_budget(url, self.budget)
                out += [(p.url, p.payload) for p in self.client.iter_pages(url)]
            except TKHTTPError as exc:
                if exc.node_limit and len(part) > 1:
                    with self._lock:
                        self.size = min(self.size, max(1, len(part) // 2))
                elif exc.status == 400 and use_in:
                    with self._lock:
                        self.use_in = False
                        self.size = min(self.size, ids_per_request(self.budget, False))
                else:
                    raise
                pending[:0] = [part[i : i + self.size] for i in range(0, len(part), self.size)]
        return out


def _cursor_value(store: RawStore) -> datetime | None:
    value = store.get_state(CURSOR_KEY)
    return parse_datetime(value) if value else None


# --------------------------------------------------------------------------- sync


def sync_metadata(
    client: TKClient,
    store: RawStore,
    *,
    window: Window = Window(),
    incremental: bool = False,
    reconcile: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> SyncSummary:
    """Fetch question sets with their documents and actors into ``store``.

    ``incremental=True`` pulls changes since the stored cursor (minus
    ``settings.overlap_minutes``), tombstones included, ignoring ``window``; without a
    stored cursor it falls back to a window sync over ``window``. Otherwise a window
    sync over ``window`` (start day included, end day excluded; an open side is unbounded). A window sync sets the cursor only
    when none is stored yet. API errors that survive the retries raise :class:`TKError`
    without advancing the cursor; unexpected shapes raise ``fields.SchemaError``. A failed
    part of an incremental run (a listing, a chunk of re-reads, a sweep) is recorded in
    ``summary.failed``, the rest still runs, and the cursor stays where it was.

    An incremental run also reconciles (lists the ids of every stored month and retires what
    the service no longer has) every ``settings.reconcile_days``, or when ``reconcile=True``.
    """
    cursor = _cursor_value(store)
    mode = "incremental" if incremental and cursor is not None else "window"
    summary = SyncSummary(mode=mode, since=window.start, until=window.end,
                          cursor_before=format_odata_datetime(cursor) if cursor else None)
    run = _Run(client, store, summary, progress)
    requests0, retries0 = client.stats.requests, client.stats.retries
    if mode == "window":
        _sync_window(run, window)
    else:
        assert cursor is not None
        _sync_incremental(run, cursor - timedelta(minutes=client.settings.overlap_minutes))
    now = now or datetime.now(timezone.utc)
    if reconcile or (mode == "incremental" and reconcile_due(store, client.settings.reconcile_days, now)):
        _reconcile(run, now)
    summary.counts = run.tally.counts()
    summary.requests = client.stats.requests - requests0
    summary.retries = client.stats.retries - retries0
    # The cursor moves only after everything is stored, and only forwards. A window sync sets
    # it only when there is none yet: it saw one window, not every change up to its newest row.
    advance = mode == "incremental" or cursor is None
    if advance and not summary.failed and run.newest is not None and (cursor is None or run.newest > cursor):
        store.set_state(CURSOR_KEY, format_odata_datetime(run.newest.astimezone(timezone.utc)))
    new_cursor = _cursor_value(store)
    summary.cursor_after = format_odata_datetime(new_cursor) if new_cursor else None
    return summary


def _sync_window(run: _Run, window: Window) -> None:
    url = window_url(run.client.base_url, window)
    rows = 0
    for page in run.pages(url):
        rows += len(page.rows)
        batch = MetadataBatch(snapshots=[snapshot_of(r, page.url) for r in page.rows])
        run.page("Zaak-window", page.url, page.payload, batch)
    limit = run.client.settings.empty_window_days
    days = (window.end - window.start).days if window.start and window.end else 0
    if rows == 0 and limit and days > limit:
        raise TKError(
            f"no question sets at all in {window} ({days} days), which looks like "
            f"a renamed vocabulary rather than a quiet period; the filter was: {url_filter(url)}"
        )


def _sync_incremental(run: _Run, start: datetime) -> None:
    client, store = run.client, run.store
    base = client.base_url
    fetched: set[str] = set()
    to_refetch: set[str] = set()

    # A. changed question sets (complete), and their tombstones
    for page in run.listing("Zaak-changed", changed_question_sets_url(base, start)):
        batch = MetadataBatch()
        for row in page.rows:
            if F.is_deleted(row, F.ZAAK, page.url):
                batch.question_set_tombstones.append(F.question_set_from_api(row, page.url))
            else:
                batch.snapshots.append(snapshot_of(row, page.url))
                fetched.add(batch.snapshots[-1][0].id)
        run.page("Zaak-changed", page.url, page.payload, batch)

    known_links = {d.id: d.question_set_ids for d in store.documents()}

    # B. changed documents: tombstones now; live ones re-read through their question sets
    for page in run.listing("Document-changed", changed_documents_url(base, start)):
        batch = MetadataBatch()
        for row in page.rows:
            doc_id = F.row_id(row, F.DOCUMENT, page.url)
            if F.is_deleted(row, F.DOCUMENT, page.url):
                batch.document_tombstones.append(F.document_from_api(row, page.url))
                continue
            for z in F.expanded(row, F.NAV_DOCUMENT_ZAKEN, F.DOCUMENT, page.url):
                to_refetch.add(F.row_id(z, F.ZAAK, page.url))
            to_refetch.update(known_links.get(doc_id, ()))  # a link that was removed
        run.page("Document-changed", page.url, page.payload, batch)

    # C. changed actors: tombstones now; live ones re-read through their question set
    for page in run.listing("ZaakActor-changed", changed_actors_url(base, start)):
        batch = MetadataBatch()
        for row in page.rows:
            if F.is_deleted(row, F.ZAAK_ACTOR, page.url):
                batch.actor_tombstones.append(F.row_id(row, F.ZAAK_ACTOR, page.url))
            else:
                zaak_id = F.raw(row, F.F_ZAAK_ID, F.ZAAK_ACTOR, page.url)
                if zaak_id:
                    to_refetch.add(str(zaak_id))
        run.page("ZaakActor-changed", page.url, page.payload, batch)

    # D. changed document versions (a KOOP id appears when KOOP publishes)
    for page in run.listing("DocumentVersie-changed", changed_versions_url(base, start)):
        for row in page.rows:
            doc_id = F.raw(row, F.F_DOCUMENT_ID, F.DOCUMENT_VERSIE, page.url)
            to_refetch.update(known_links.get(str(doc_id), ()))
        run.page("DocumentVersie-changed", page.url, page.payload, MetadataBatch())

    # E. tombstones the service left without ApiGewijzigdOp, found by GewijzigdOp instead
    _sweep_tombstones(run, start)

    # F. re-read every touched question set whole, a few per request, concurrently
    _refetch(run, sorted(i for i in to_refetch - fetched if i))


def _sweep_tombstones(run: _Run, start: datetime) -> None:
    """``Verwijderd eq true and GewijzigdOp gt <start>`` for sets, documents and actors."""
    base = run.client.base_url
    for entity in (F.ZAAK, F.DOCUMENT, F.ZAAK_ACTOR):
        url = tombstones_url(base, entity, start)
        try:
            for page in run.pages(url):
                batch = MetadataBatch()
                for row in page.rows:
                    if not F.is_deleted(row, entity, page.url):
                        continue
                    if entity == F.ZAAK:
                        batch.question_set_tombstones.append(F.question_set_from_api(row, page.url))
                    elif entity == F.DOCUMENT:
                        batch.document_tombstones.append(F.document_from_api(row, page.url))
                    else:
                        batch.actor_tombstones.append(F.row_id(row, entity, page.url))
                run.page(f"{entity}-tombstones", page.url, page.payload, batch)
        except TKError as exc:
            run.summary.failed.append((f"{entity} tombstones", str(exc)))


def _refetch(run: _Run, ids: list[str]) -> None:
    """Re-read question sets whole by id (chunked to the node budget), merged in a fixed order."""
    if not ids:
        return
    client = run.client
    reader = run.id_reader
    chunks = reader.chunks(ids)
    with ThreadPoolExecutor(max_workers=max(1, client.settings.concurrency)) as pool:
        futures = {pool.submit(reader.read, c): n for n, c in enumerate(chunks)}
        results: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        for fut in as_completed(futures):
            n = futures[fut]
            try:
                results[n] = fut.result()
            except TKError as exc:
                chunk = chunks[n]
                run.summary.failed.append((f"question sets {chunk[0]}…({len(chunk)})", str(exc)))
    for n in sorted(results):  # merge in a fixed order: same input, same state
        for url, payload in results[n]:
            rows = payload.get("value", [])
            run.see(rows)
            run.page("Zaak-refetch", url, payload, MetadataBatch(snapshots=[snapshot_of(r, url) for r in rows]))


# --------------------------------------------------------------------------- reconcile


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def reconcile_due(store: RawStore, every_days: int, now: datetime) -> bool:
    """Whether the periodic reconcile should run now (one is under way, or it is time).

    The first time there is no record, the clock starts now rather than reconciling at once.
    """
    if store.get_state(RECONCILE_DONE_KEY):
        return True
    last = store.get_state(RECONCILE_LAST_KEY)
    if last is None:
        store.set_state(RECONCILE_LAST_KEY, format_odata_datetime(now))
        return False
    return every_days > 0 and now - parse_datetime(last) >= timedelta(days=every_days)


def _reconcile(run: _Run, now: datetime) -> None:
    """List the ids of every month the store holds sets for and make the store agree.

    A stored live set the service no longer lists is retired (tombstoned); a set whose live
    documents or actors differ, or that the store lacks, is re-read whole. Each month is
    stored before the next is listed and recorded as done, so a killed reconcile resumes where
    it stopped; the next one is due ``settings.reconcile_days`` after this one finished.
    """
    store, base = run.store, run.client.base_url
    done = set(store.get_state(RECONCILE_DONE_KEY) or [])
    sets = [q for q in store.question_sets() if q.submitted_on]
    docs_of: dict[str, set[str]] = {}
    for d in store.documents():
        for q in d.question_set_ids:
            docs_of.setdefault(q, set()).add(d.id)
    actors_of: dict[str, set[str]] = {}
    for a in store.actors():
        actors_of.setdefault(a.question_set_id, set()).add(a.id)
    months = sorted({_month_start(q.submitted_on) for q in sets})
    failed_before = len(run.summary.failed)
    for first in months:
        if first.isoformat() in done:
            continue
        end = _next_month(first)
        listed: dict[str, tuple[set[str], set[str]]] = {}
        try:
            for page in run.pages(window_ids_url(base, first, end)):
                for row in page.rows:
                    rid = F.row_id(row, F.ZAAK, page.url)
                    docs = {F.row_id(d, F.DOCUMENT, page.url) for d in F.expanded(row, F.NAV_ZAAK_DOCUMENTS, F.ZAAK, page.url)}
                    actors = {F.row_id(a, F.ZAAK_ACTOR, page.url) for a in F.expanded(row, F.NAV_ZAAK_ACTORS, F.ZAAK, page.url)}
                    listed[rid] = (docs, actors)
                run.page("Zaak-reconcile", page.url, page.payload, MetadataBatch())
        except TKError as exc:
            run.summary.failed.append((f"reconcile {first:%Y-%m}", str(exc)))
            continue
        stored = {q.id: q for q in sets if first <= q.submitted_on < end}
        gone = [
            QuestionSetRecord(id=i, number=None, kind=None, subject=None, submitted_on=None, session=None,
                              changed_at=None, deleted=True)
            for i in sorted(stored.keys() - listed.keys())
        ]
        stale = sorted(
            i for i, (docs, actors) in listed.items()
            if i not in stored or docs != docs_of.get(i, set()) or actors != actors_of.get(i, set())
        )
        if gone:
            run.page("Zaak-retired", f"reconcile {first:%Y-%m}", {"value": [{"Id": q.id} for q in gone]},
                     MetadataBatch(question_set_tombstones=gone))
        n_failed = len(run.summary.failed)
        _refetch(run, stale)
        if len(run.summary.failed) == n_failed:
            done.add(first.isoformat())
            store.set_state(RECONCILE_DONE_KEY, sorted(done))
    if len(run.summary.failed) == failed_before:
        store.set_state(RECONCILE_LAST_KEY, format_odata_datetime(now.astimezone(timezone.utc)))
        store.set_state(RECONCILE_DONE_KEY, None)
    run.summary.reconciled = True


# --------------------------------------------------------------------------- files


def _markers(doc: DocumentRecord) -> dict[str, Any]:
    """What the API says about a file; a change in any of these means: fetch again."""
    return {
        "content_length": doc.content_length,
        "content_type": doc.content_type,
        "source_changed_at": doc.source_changed_at.isoformat() if doc.source_changed_at else None,
    }


def fetch_files(
    client: TKClient,
    store: RawStore,
    *,
    documents: list[DocumentRecord] | None = None,
    progress: Progress | None = None,
    on_stored: Callable[[DocumentRecord], None] | None = None,
) -> FetchSummary:
    """Download the current file of each live document (or of ``documents``, say one
    partition's) that is missing or announced changed.

    ``on_stored(document)`` is called (from a download thread) as soon as a document's file is
    in the store, so the parse can start before the last download ends.

    The byte count must equal ``ContentLength`` (else retried, then failed); the type is read
    from the bytes; an HTML body is an error page, not a letter, and is not stored; bodies over
    ``settings.max_file_bytes`` are refused. Failures are reported per document.
    """
    summary = FetchSummary()
    todo: list[DocumentRecord] = []
    for doc in store.documents() if documents is None else documents:
        try:
            known = store.file_markers(doc.id)
        except OSError as exc:  # this document's index is unreadable: fail it, not the run
            summary.failed.append((doc.id, f"raw store: {exc.strerror or exc}"))
            continue
        if known == _markers(doc):
            summary.up_to_date += 1
        else:
            todo.append(doc)

    def fetch(doc: DocumentRecord) -> tuple[str, str, int]:
        dl = client.download(doc.id, expected_length=doc.content_length)
        kind = detect_type(dl.data)
        if kind == "html":
            raise TKError(f"{dl.url} returned an HTML page ({len(dl.data)} bytes) instead of a file")
        _, status = store.put_file(doc.id, dl.data, declared_type=doc.content_type, markers=_markers(doc))
        if on_stored is not None:
            on_stored(doc)
        return status, kind, len(dl.data)

    done = 0
    with ThreadPoolExecutor(max_workers=max(1, client.settings.concurrency)) as pool:
        futures = {pool.submit(fetch, doc): doc for doc in todo}
        for fut in as_completed(futures):
            doc = futures[fut]
            try:
                status, kind, size = fut.result()
            except Exception as exc:  # one bad document never stops the others
                summary.failed.append((doc.id, str(exc) or type(exc).__name__))
            else:
                getattr(summary, status).append(doc.id)
                summary.types[kind] = summary.types.get(kind, 0) + 1
                summary.bytes += size
            done += 1
            if progress:
                progress("files", done, len(todo))
    for lst in (summary.new, summary.changed, summary.unchanged):
        lst.sort()
    summary.failed.sort()
    return summary
