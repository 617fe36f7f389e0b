"""The immutable raw store: what the API said, what it means now, and every file we fetched.

Layout under ``root`` (writers take turns under ``state/.lock``; readers any time)::

    snapshots/<run>/<seq>-<label>.json   every raw API payload, per run, append-only
    state/metadata.json                  merged current state by Id (tombstones applied) ...
    state/journal.jsonl                  ... plus the batches merged since (checksummed lines)
    state/kv.json                        small state such as the sync cursor
    files/objects/<ab>/<sha256>          file bytes, immutable, addressed by content
    files/index/<document id>.json       the versions of one document's file, oldest first
    parses/<parser version>/<sha256>.json  parse cache

Every write is atomic (temporary file, fsync, rename, fsync of the directory; journal lines are
appended with fsync and verified by checksum), so a crash or SIGKILL leaves either the old or
the new version of each file, never half of one. Keeping raw
payloads and old file versions means a better parser or mapper can rebuild everything offline.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import threading
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

try:  # POSIX; elsewhere the single-writer rule is the caller's to keep
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
from urllib.parse import quote

from etl.models import ActorRecord, DocumentRecord, QuestionSetRecord, StoredFile

# --------------------------------------------------------------------------- atomic I/O


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see all of it or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def atomic_write_json(path: Path, obj: Any, *, compact: bool = False) -> None:
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() if compact else _dumps(obj)
    atomic_write_bytes(path, data)


# --------------------------------------------------------------------------- file types


def detect_type(data: bytes) -> str:
    """The file type from its bytes, never from a declared Content-Type (#174: Word as PDF).

    Returns "pdf", "docx", "doc", "rtf", "html" (typically an error page), "txt" or "unknown".
    """
    head = data[:1024]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head:  # readers accept junk before the header within the first KiB
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return "unknown"
        return "docx" if "word/document.xml" in names else "unknown"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    lowered = stripped[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        lowered.startswith(b"<") and b"<html" in lowered
    ):
        return "html"
    if b"\x00" not in head:
        try:
            data[:65536].decode("utf-8")
            return "txt"
        except UnicodeDecodeError:
            pass
    return "unknown"


# --------------------------------------------------------------------------- (de)serialise


def _enc(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _record_dict(rec: Any) -> dict[str, Any]:
    return {k: _enc(v) for k, v in rec.__dict__.items()}


def _dt(v: str | None) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def _d(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def _question_set(d: dict[str, Any]) -> QuestionSetRecord:
    return QuestionSetRecord(
        id=d["id"], number=d["number"], kind=d["kind"], subject=d["subject"],
        submitted_on=_d(d["submitted_on"]), session=d["session"],
        changed_at=_dt(d["changed_at"]), deleted=d["deleted"],
    )


def _document(d: dict[str, Any], question_set_ids: tuple[str, ...]) -> DocumentRecord:
    return DocumentRecord(
        id=d["id"], number=d["number"], kind=d["kind"], subject=d["subject"], date=_d(d["date"]),
        session=d["session"], content_type=d["content_type"], content_length=d["content_length"],
        koop_id=d["koop_id"], appendix_number=d["appendix_number"],
        question_set_ids=question_set_ids, changed_at=_dt(d["changed_at"]),
        source_changed_at=_dt(d["source_changed_at"]), deleted=d["deleted"],
    )


def _actor(d: dict[str, Any]) -> ActorRecord:
    return ActorRecord(
        id=d["id"], question_set_id=d["question_set_id"], name=d["name"], party=d["party"],
        function=d["function"], relation=d["relation"], changed_at=_dt(d["changed_at"]),
        deleted=d["deleted"],
    )


# --------------------------------------------------------------------------- merge results


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


# --------------------------------------------------------------------------- the store


class RawStore:
    """Raw API payloads, merged metadata state, immutable files and a parse cache.

    The merged state is a snapshot plus an append-only journal of merged batches, so a page
    costs a write proportional to the page, not to the whole history; every journal line is
    checksummed, and a line torn by a crash is ignored (and cut off before the next append).
    Writers take turns under an exclusive file lock; readers never wait and reload when the
    files change.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.RLock()
        self._state: _State | None = None
        self._state_stamp: tuple | None = None
        self._write_depth = 0
        self._seq = 0
        for sub in ("snapshots", "state", "files/objects", "files/index", "parses"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Exclusive write access: this thread, and this process among processes (flock).

        Two writers (say, two Dagster partitions fetching at once) then take turns, and each
        sees the other's journal lines before appending its own.
        """
        with self._lock:
            if fcntl is None or self._write_depth:
                self._write_depth += 1
                try:
                    yield
                finally:
                    self._write_depth -= 1
                return
            with open(self.root / "state" / ".lock", "a+b") as fh:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
                self._write_depth += 1
                try:
                    yield
                finally:
                    self._write_depth -= 1
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    # ------------------------------------------------------------------ paths
    @property
    def _snapshot_path(self) -> Path:
        return self.root / "state" / "metadata.json"

    @property
    def _journal_path(self) -> Path:
        return self.root / "state" / "journal.jsonl"

    @property
    def _kv_path(self) -> Path:
        return self.root / "state" / "kv.json"

    def _object_path(self, sha256: str) -> Path:
        return self.root / "files" / "objects" / sha256[:2] / sha256

    def _index_path(self, document_id: str) -> Path:
        return self.root / "files" / "index" / f"{quote(document_id, safe='')}.json"

    # ------------------------------------------------------------------ raw payloads
    def new_run_id(self) -> str:
        return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)

    def save_payload(self, run_id: str, label: str, url: str, payload: Any) -> Path:
        """Keep one raw API response of a run (append-only; never rewritten)."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in label)[:60]
        path = self.root / "snapshots" / run_id / f"{seq:06d}-{safe}.json"
        atomic_write_json(path, {"url": url, "saved_at": datetime.now(timezone.utc).isoformat(), "payload": payload})
        return path

    def runs(self) -> list[str]:
        return sorted(p.name for p in (self.root / "snapshots").iterdir() if p.is_dir())

    # ------------------------------------------------------------------ merged state
    def _stamp(self) -> tuple:
        out = []
        for p in (self._snapshot_path, self._journal_path):
            try:
                st = p.stat()
                out.append((st.st_ino, st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

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
            _fsync_dir(path.parent)
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
                after = _record_dict(qs)
                result.note("question_sets", qs.id, ov.get("question_sets", qs.id), after)
                ov.put("question_sets", qs.id, after)
                for doc in docs:
                    d = _record_dict(doc)
                    d.pop("question_set_ids", None)
                    result.note("documents", doc.id, ov.get("documents", doc.id), d)
                    ov.put("documents", doc.id, d)
                new_links = sorted({d.id for d in docs})
                candidates |= set(ov.get("links", qs.id) or ()) | set(new_links)
                ov.put("links", qs.id, new_links or None)
                old_group = ov.get("actors", qs.id) or {}
                new_group = {a.id: _record_dict(a) for a in actors}
                result.deleted["actors"] |= old_group.keys() - new_group.keys()
                for aid, a in new_group.items():
                    result.note("actors", aid, old_group.get(aid), a)
                ov.put("actors", qs.id, new_group or None)
            for qs in batch.question_set_tombstones:
                before = ov.get("question_sets", qs.id)
                if before is None:
                    continue  # a tombstone of a set we never had: nothing to remove
                after = _record_dict(qs)
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
                after = _record_dict(doc)
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

    def question_sets(self) -> list[QuestionSetRecord]:
        """Live question sets, ordered by id."""
        with self._lock:
            state = self._load_state()
            return [_question_set(d) for _, d in sorted(state.data["question_sets"].items()) if not d["deleted"]]

    def documents(self) -> list[DocumentRecord]:
        """Live documents linked to at least one live question set, ordered by id."""
        with self._lock:
            state = self._load_state()
            links = state.live_links()
            return [_document(state.data["documents"][i], links[i]) for i in sorted(links)]

    def actors(self) -> list[ActorRecord]:
        """Actors of live question sets, ordered by id."""
        with self._lock:
            state = self._load_state()
            qs_all = state.data["question_sets"]
            out = [
                _actor(a)
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

    def document_record(self, document_id: str) -> DocumentRecord | None:
        """The last known record of a document (live or not)."""
        with self._lock:
            state = self._load_state()
            d = state.data["documents"].get(document_id)
            return _document(d, state.live_links().get(document_id, ())) if d else None

    def known_question_set_ids(self) -> set[str]:
        with self._lock:
            return set(self._load_state().data["question_sets"])

    # ------------------------------------------------------------------ small state
    def get_state(self, key: str, default: Any = None) -> Any:
        try:
            return json.loads(self._kv_path.read_bytes()).get(key, default)
        except FileNotFoundError:
            return default

    def set_state(self, key: str, value: Any) -> None:
        """Set one JSON-able value (e.g. the sync cursor) atomically."""
        with self._writing():
            try:
                kv = json.loads(self._kv_path.read_bytes())
            except FileNotFoundError:
                kv = {}
            kv[key] = value
            atomic_write_json(self._kv_path, kv)

    # ------------------------------------------------------------------ files
    def _read_index(self, document_id: str) -> list[dict[str, Any]]:
        try:
            return json.loads(self._index_path(document_id).read_bytes())
        except FileNotFoundError:
            return []

    def _stored(self, document_id: str, e: dict[str, Any]) -> StoredFile:
        return StoredFile(
            document_id=document_id, sha256=e["sha256"], size=e["size"],
            detected_type=e["detected_type"], declared_type=e["declared_type"],
            path=str(self._object_path(e["sha256"]).resolve()), fetched_at=_dt(e["fetched_at"]),
        )

    def put_file(
        self,
        document_id: str,
        data: bytes,
        *,
        declared_type: str | None = None,
        markers: dict[str, Any] | None = None,
    ) -> tuple[StoredFile, str]:
        """Store one fetched file; returns it and "new", "changed" or "unchanged".

        The bytes go under their sha256 (written once, never modified); the document's index
        gains a version when the hash differs from its current one, so older versions stay.
        ``markers`` (ContentLength, GewijzigdOp at fetch time) let a later run see whether the
        API announced a change; refetching identical bytes only refreshes them.
        """
        sha = hashlib.sha256(data).hexdigest()
        obj = self._object_path(sha)
        if not obj.exists() or obj.stat().st_size != len(data):
            atomic_write_bytes(obj, data)
        with self._writing():
            versions = self._read_index(document_id)
            entry = {
                "sha256": sha, "size": len(data), "detected_type": detect_type(data),
                "declared_type": declared_type, "fetched_at": datetime.now(timezone.utc).isoformat(),
                "markers": markers or {},
            }
            if versions and versions[-1]["sha256"] == sha:
                status = "unchanged"
                if versions[-1].get("markers") != entry["markers"] or versions[-1].get("declared_type") != declared_type:
                    versions[-1] = {**versions[-1], "markers": entry["markers"], "declared_type": declared_type}
                    atomic_write_json(self._index_path(document_id), versions)
                return self._stored(document_id, versions[-1]), status
            status = "changed" if versions else "new"
            versions.append(entry)
            atomic_write_json(self._index_path(document_id), versions)
            return self._stored(document_id, entry), status

    def current_file(self, document_id: str) -> StoredFile | None:
        versions = self._read_index(document_id)
        return self._stored(document_id, versions[-1]) if versions else None

    def file_versions(self, document_id: str) -> list[StoredFile]:
        """Every stored version of a document's file, oldest first."""
        return [self._stored(document_id, e) for e in self._read_index(document_id)]

    def file_markers(self, document_id: str) -> dict[str, Any] | None:
        versions = self._read_index(document_id)
        return versions[-1].get("markers", {}) if versions else None

    def read_file(self, stored: StoredFile) -> bytes:
        return Path(stored.path).read_bytes()

    # ------------------------------------------------------------------ parse cache
    def _parse_path(self, sha256: str, parser_version: str) -> Path:
        return self.root / "parses" / quote(parser_version, safe="") / f"{sha256}.json"

    def get_parse(self, sha256: str, parser_version: str) -> dict | None:
        try:
            return json.loads(self._parse_path(sha256, parser_version).read_bytes())
        except FileNotFoundError:
            return None

    def put_parse(self, sha256: str, parser_version: str, data: dict) -> None:
        atomic_write_json(self._parse_path(sha256, parser_version), data)

    # ------------------------------------------------------------------ comparison
    def state_digest(self) -> str:
        """A content hash of everything the store means now (not when or how it was fetched).

        Covers live records, deletions and every file version (hash, size, type); excludes
        raw payloads, fetch times and the cursor. Two stores that converged hash equal.
        """
        with self._lock:
            files = {}
            for p in sorted((self.root / "files" / "index").glob("*.json")):
                files[p.stem] = [
                    {k: e[k] for k in ("sha256", "size", "detected_type", "declared_type")}
                    for e in json.loads(p.read_bytes())
                ]
            content = {
                "question_sets": [_record_dict(r) for r in self.question_sets()],
                "documents": [_record_dict(r) for r in self.documents()],
                "actors": [_record_dict(r) for r in self.actors()],
                "deleted_documents": sorted(self.deleted_document_ids()),
                "deleted_question_sets": sorted(self.deleted_question_set_ids()),
                "files": files,
            }
            return hashlib.sha256(_dumps(content)).hexdigest()


def clean_stale_tmp(root: Path, older_than_s: float = 3600.0) -> int:
    """Remove temporary files a killed writer left behind (only old ones, to spare live writers)."""
    removed = 0
    now = time.time()
    for p in Path(root).rglob(".*.tmp-*"):
        try:
            if now - p.stat().st_mtime > older_than_s:
                p.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed
