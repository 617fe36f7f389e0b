"""The merged metadata: a snapshot plus a journal of merged batches, checksummed per line.

Layout under ``state/``: ``metadata.json`` (merged current state by Id, tombstones applied)
and ``journal.jsonl`` (the batches merged since). A page costs a write proportional to the
page, not to the whole history; a line torn by a crash is ignored (and cut off before the next
append); the journal is folded into a new snapshot once it grows large.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.models import ActorRecord, DocumentRecord, QuestionSetRecord
from etl.store.atomic import atomic_write_bytes, file_stamp, fsync_dir
from etl.store.codec import from_dict, record_dict
from etl.store.lock import WriterLock

@dataclass
class MetadataBatch:
    """What one page (or one lookup) of the API told us, ready to merge.

    ``snapshots`` are complete question sets: the set, every live document linked to it and
    every live actor; they replace what the store knew about that set (so links and actors
    that disappeared are dropped). The tombstone lists come from incremental pulls.
    """

    snapshots: list[tuple[QuestionSetRecord, list[DocumentRecord], list[ActorRecord]]] = field(default_factory=list)
    question_set_tombstones: list[QuestionSetRecord] = field(default_factory=list)
    document_tombstones: list[DocumentRecord] = field(default_factory=list)
    actor_tombstones: list[str] = field(default_factory=list)


@dataclass
class MergeResult:
    """Ids touched by one merge, by outcome (per entity: question_sets, documents, actors)."""

    new: dict[str, set[str]] = field(default_factory=lambda: {"question_sets": set(), "documents": set(), "actors": set()})
    changed: dict[str, set[str]] = field(default_factory=lambda: {"question_sets": set(), "documents": set(), "actors": set()})
    unchanged: dict[str, set[str]] = field(default_factory=lambda: {"question_sets": set(), "documents": set(), "actors": set()})
    deleted: dict[str, set[str]] = field(default_factory=lambda: {"question_sets": set(), "documents": set(), "actors": set()})

    def note(self, entity: str, rid: str, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        if after.get("deleted"):
            if before is not None and not before.get("deleted"):
                self.deleted[entity].add(rid)
            else:
                self.unchanged[entity].add(rid)
        elif before is None or before.get("deleted"):
            self.new[entity].add(rid)
        elif before != after:
            self.changed[entity].add(rid)
        else:
            self.unchanged[entity].add(rid)

    @property
    def touched(self) -> bool:
        return any(self.new[e] or self.changed[e] or self.deleted[e] for e in self.new)


MAPS = ("question_sets", "documents", "actors", "links")
#: Compact the journal into a new snapshot once it outgrows this, or half the snapshot.
JOURNAL_COMPACT_BYTES = 4 * 1024 * 1024


class _State:
    """The merged metadata in memory, with reverse indexes for links and actors.

    ``data`` maps: question_sets {id: record}, documents {id: record},
    actors {question set id: {actor id: record}}, links {question set id: [document ids]}.
    """

    def __init__(self, data: dict[str, Any] | None = None, seq: int = 0):
        self.data = data or {m: {} for m in MAPS}
        self.seq = seq
        self.snapshot_size = 0
        self.journal_good = 0  # bytes of whole, verified journal lines
        self.doc_sets: dict[str, set[str]] = {}
        self.actor_set: dict[str, str] = {}
        for q, docs in self.data["links"].items():
            for d in docs:
                self.doc_sets.setdefault(d, set()).add(q)
        for q, group in self.data["actors"].items():
            for a in group:
                self.actor_set[a] = q

    def apply(self, ops: dict[str, dict[str, Any]]) -> None:
        for m in MAPS:
            for k, v in ops.get(m, {}).items():
                old = self.data[m].get(k)
                if m == "links" and old:
                    for d in old:
                        self.doc_sets.get(d, set()).discard(k)
                if m == "actors" and old:
                    for a in old:
                        if self.actor_set.get(a) == k:
                            del self.actor_set[a]
                if v is None:
                    self.data[m].pop(k, None)
                    continue
                self.data[m][k] = v
                if m == "links":
                    for d in v:
                        self.doc_sets.setdefault(d, set()).add(k)
                elif m == "actors":
                    for a in v:
                        self.actor_set[a] = k

    def live_links(self) -> dict[str, tuple[str, ...]]:
        """Document id -> live question sets linking to it (live documents only)."""
        qs_all, docs_all = self.data["question_sets"], self.data["documents"]
        out = {}
        for d, sets in self.doc_sets.items():
            rec = docs_all.get(d)
            if rec is None or rec["deleted"]:
                continue
            live = tuple(sorted(q for q in sets if q in qs_all and not qs_all[q]["deleted"]))
            if live:
                out[d] = live
        return out


class _Overlay:
    """Changes of one batch on top of a ``_State``, applied only once they are on disk."""

    def __init__(self, state: _State):
        self.state = state
        self.ops: dict[str, dict[str, Any]] = {m: {} for m in MAPS}

    def get(self, m: str, k: str) -> Any:
        ops = self.ops[m]
        return ops[k] if k in ops else self.state.data[m].get(k)

    def put(self, m: str, k: str, v: Any) -> None:
        if self.get(m, k) != v:
            self.ops[m][k] = v

    def doc_live(self, d: str) -> bool:
        rec = self.get("documents", d)
        if not rec or rec["deleted"]:
            return False
        candidates = set(self.state.doc_sets.get(d, ())) | {q for q, docs in self.ops["links"].items() if docs and d in docs}
        for q in candidates:
            docs, qs = self.get("links", q), self.get("question_sets", q)
            if docs and d in docs and qs and not qs["deleted"]:
                return True
        return False

    def set_of_actor(self, a: str) -> str | None:
        for q, group in self.ops["actors"].items():
            if group and a in group:
                return q
        q = self.state.actor_set.get(a)
        group = self.get("actors", q) if q else None
        return q if group and a in group else None

    def net_ops(self) -> dict[str, dict[str, Any]]:
        """Only the entries that differ from the state (a batch can undo its own change)."""
        return {m: {k: v for k, v in self.ops[m].items() if self.state.data[m].get(k) != v} for m in MAPS}


def _journal_line(seq: int, ops: dict[str, Any]) -> bytes:
    body = json.dumps({"seq": seq, "ops": ops}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{body}\t{hashlib.sha256(body.encode()).hexdigest()[:16]}\n".encode()


def _read_journal_line(raw: bytes) -> dict[str, Any] | None:
    """A verified journal entry, or None for a torn or corrupt line (a write cut short)."""
    if not raw.endswith(b"\n"):
        return None
    try:
        body, digest = raw[:-1].decode("utf-8").rsplit("\t", 1)
    except (UnicodeDecodeError, ValueError):
        return None
    if hashlib.sha256(body.encode()).hexdigest()[:16] != digest:
        return None
    return json.loads(body)


class MetadataJournal:
    """Question sets, documents and actors as the API last described them, merged by Id.

    Writers hold ``lock``; readers never wait and reload when the files change.
    """

    def __init__(self, state_dir: Path, lock: WriterLock):
        self._snapshot_path = state_dir / "metadata.json"
        self._journal_path = state_dir / "journal.jsonl"
        self._write = lock
        self._lock = lock.thread_lock
        self._state: _State | None = None
        self._state_stamp: tuple | None = None

    def _writing(self):
        return self._write.writing()

    def _stamp(self) -> tuple:
        return (file_stamp(self._snapshot_path), file_stamp(self._journal_path))

    def _load_state(self) -> _State:
        stamp = self._stamp()
        if self._state is not None and stamp == self._state_stamp:
            return self._state
        try:
            raw = self._snapshot_path.read_bytes()
            snap = json.loads(raw)
            state = _State(snap["data"], snap["seq"])
            state.snapshot_size = len(raw)
        except FileNotFoundError:
            state = _State()
        try:
            with open(self._journal_path, "rb") as fh:
                for line in fh:
                    entry = _read_journal_line(line)
                    if entry is None:
                        break
                    state.journal_good += len(line)
                    if entry["seq"] > state.seq:
                        state.apply(entry["ops"])
                        state.seq = entry["seq"]
        except FileNotFoundError:
            pass
        self._state, self._state_stamp = state, stamp
        return state

    def _append(self, state: _State, ops: dict[str, Any]) -> None:
        line = _journal_line(state.seq + 1, ops)
        path = self._journal_path
        created = not path.exists()
        with open(path, "ab") as fh:
            if fh.tell() != state.journal_good:
                fh.truncate(state.journal_good)  # drop a line torn by a killed writer
                fh.seek(state.journal_good)
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        if created:
            fsync_dir(path.parent)
        state.apply(ops)
        state.seq += 1
        state.journal_good += len(line)
        if state.journal_good > max(JOURNAL_COMPACT_BYTES, state.snapshot_size // 2):
            self._compact(state)
        self._state_stamp = self._stamp()

    def _compact(self, state: _State) -> None:
        """Fold the journal into a new snapshot (lines at or below its seq are then skipped)."""
        data = json.dumps({"seq": state.seq, "data": state.data}, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode()
        atomic_write_bytes(self._snapshot_path, data)
        atomic_write_bytes(self._journal_path, b"")
        state.snapshot_size, state.journal_good = len(data), 0

    def compact(self) -> None:
        with self._writing():
            state = self._load_state()
            self._compact(state)
            self._state_stamp = self._stamp()

    def merge(self, batch: MetadataBatch) -> MergeResult:
        """Apply a batch to the current state and persist it (one journal line, if anything changed)."""
        with self._writing():
            state = self._load_state()
            ov = _Overlay(state)
            result = MergeResult()
            candidates: set[str] = set()  # documents whose liveness may change
            for qs, docs, actors in batch.snapshots:
                after = record_dict(qs)
                result.note("question_sets", qs.id, ov.get("question_sets", qs.id), after)
                ov.put("question_sets", qs.id, after)
                for doc in docs:
                    d = record_dict(doc)
                    d.pop("question_set_ids", None)
                    result.note("documents", doc.id, ov.get("documents", doc.id), d)
                    ov.put("documents", doc.id, d)
                new_links = sorted({d.id for d in docs})
                candidates |= set(ov.get("links", qs.id) or ()) | set(new_links)
                ov.put("links", qs.id, new_links or None)
                old_group = ov.get("actors", qs.id) or {}
                new_group = {a.id: record_dict(a) for a in actors}
                result.deleted["actors"] |= old_group.keys() - new_group.keys()
                for aid, a in new_group.items():
                    result.note("actors", aid, old_group.get(aid), a)
                ov.put("actors", qs.id, new_group or None)
            for qs in batch.question_set_tombstones:
                before = ov.get("question_sets", qs.id)
                if before is None:
                    continue  # a tombstone of a set we never had: nothing to remove
                after = record_dict(qs)
                result.note("question_sets", qs.id, before, after)
                ov.put("question_sets", qs.id, after)
                candidates |= set(ov.get("links", qs.id) or ())
                ov.put("links", qs.id, None)
                result.deleted["actors"] |= set(ov.get("actors", qs.id) or ())
                ov.put("actors", qs.id, None)
            for doc in batch.document_tombstones:
                before = ov.get("documents", doc.id)
                if before is None:
                    continue
                after = record_dict(doc)
                after.pop("question_set_ids", None)
                result.note("documents", doc.id, before, after)
                ov.put("documents", doc.id, after)
                candidates.add(doc.id)
            for aid in batch.actor_tombstones:
                q = ov.set_of_actor(aid)
                if q is None:
                    continue
                group = dict(ov.get("actors", q))
                del group[aid]
                ov.put("actors", q, group or None)
                result.deleted["actors"].add(aid)
            # a document whose last live link went is gone for the analyst, tombstone or not
            base = _Overlay(state)
            result.deleted["documents"] |= {d for d in candidates if base.doc_live(d) and not ov.doc_live(d)}
            ops = ov.net_ops()
            if any(ops.values()):
                self._append(state, ops)
            return result

    def digest(self) -> str:
        """sha256 of the merged metadata as stored, and of the codec that reads it into records.

        Equal digests mean equal records. Compaction rewrites the files with the same content
        and changes the digest: that only costs one needless reload downstream.
        """
        from etl.store import codec

        h = hashlib.sha256(Path(codec.__file__).read_bytes())
        for path in (self._snapshot_path, self._journal_path):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                data = b""
            h.update(b"\0%d\0" % len(data) + data)
        return h.hexdigest()

    def question_sets(self) -> list[QuestionSetRecord]:
        """Live question sets, ordered by id."""
        with self._lock:
            state = self._load_state()
            return [from_dict(QuestionSetRecord, d) for _, d in sorted(state.data["question_sets"].items()) if not d["deleted"]]

    def documents(self) -> list[DocumentRecord]:
        """Live documents linked to at least one live question set, ordered by id."""
        with self._lock:
            state = self._load_state()
            links = state.live_links()
            return [from_dict(DocumentRecord, state.data["documents"][i], question_set_ids=links[i]) for i in sorted(links)]

    def actors(self) -> list[ActorRecord]:
        """Actors of live question sets, ordered by id."""
        with self._lock:
            state = self._load_state()
            qs_all = state.data["question_sets"]
            out = [
                from_dict(ActorRecord, a)
                for q, group in state.data["actors"].items()
                if q in qs_all and not qs_all[q]["deleted"]
                for a in group.values()
                if not a["deleted"]
            ]
            return sorted(out, key=lambda a: a.id)

    def deleted_document_ids(self) -> set[str]:
        """Documents we once had that are gone now: tombstoned, or no longer linked to a live set."""
        with self._lock:
            state = self._load_state()
            return set(state.data["documents"]) - set(state.live_links())

    def deleted_question_set_ids(self) -> set[str]:
        with self._lock:
            return {k for k, d in self._load_state().data["question_sets"].items() if d["deleted"]}
