"""The immutable raw store: what the API said, what it means now, and every file we fetched.

Layout under ``root`` (one writer at a time; readers any time)::

    snapshots/<run>/<seq>-<label>.json   every raw API payload, per run, append-only
    state/metadata.json                  merged current state by Id (tombstones applied)
    state/kv.json                        small state such as the sync cursor
    files/objects/<ab>/<sha256>          file bytes, immutable, addressed by content
    files/index/<document id>.json       the versions of one document's file, oldest first
    parses/<parser version>/<sha256>.json  parse cache

Every write is atomic (temporary file, fsync, rename, fsync of the directory), so a crash or
SIGKILL leaves either the old or the new version of each file, never half of one. Keeping raw
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
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
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


def _empty_state() -> dict[str, Any]:
    return {"question_sets": {}, "documents": {}, "actors": {}, "links": {}}


# --------------------------------------------------------------------------- the store


class RawStore:
    """Raw API payloads, merged metadata state, immutable files and a parse cache.

    One writing process at a time (the pipeline's fetch steps); any number of readers.
    Readers re-read the state file when it changed on disk.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.RLock()
        self._state: dict[str, Any] | None = None
        self._state_stamp: tuple[int, int] | None = None
        self._seq = 0
        for sub in ("snapshots", "state", "files/objects", "files/index", "parses"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ paths
    @property
    def _state_path(self) -> Path:
        return self.root / "state" / "metadata.json"

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
    def _load_state(self) -> dict[str, Any]:
        path = self._state_path
        try:
            st = path.stat()
        except FileNotFoundError:
            self._state, self._state_stamp = _empty_state(), None
            return self._state
        stamp = (st.st_mtime_ns, st.st_size)
        if self._state is None or stamp != self._state_stamp:
            self._state = json.loads(path.read_bytes())
            self._state_stamp = stamp
        return self._state

    def merge(self, batch: MetadataBatch) -> MergeResult:
        """Apply a batch to the current state and persist it atomically (if anything changed)."""
        with self._lock:
            state = json.loads(json.dumps(self._load_state()))  # private copy until written
            result = MergeResult()
            qs_all, docs_all, actors_all, links = (
                state["question_sets"], state["documents"], state["actors"], state["links"]
            )
            for qs, docs, actors in batch.snapshots:
                after = _record_dict(qs)
                result.note("question_sets", qs.id, qs_all.get(qs.id), after)
                qs_all[qs.id] = after
                for doc in docs:
                    d = _record_dict(doc)
                    d.pop("question_set_ids", None)
                    result.note("documents", doc.id, docs_all.get(doc.id), d)
                    docs_all[doc.id] = d
                links[qs.id] = sorted({d.id for d in docs})
                keep = {a.id for a in actors}
                for aid in [aid for aid, a in actors_all.items() if a["question_set_id"] == qs.id and aid not in keep]:
                    result.deleted["actors"].add(aid)
                    del actors_all[aid]
                for actor in actors:
                    a = _record_dict(actor)
                    result.note("actors", actor.id, actors_all.get(actor.id), a)
                    actors_all[actor.id] = a
            for qs in batch.question_set_tombstones:
                before = qs_all.get(qs.id)
                if before is None:
                    continue  # a tombstone of a set we never had: nothing to remove
                after = _record_dict(qs)
                result.note("question_sets", qs.id, before, after)
                qs_all[qs.id] = after
                links.pop(qs.id, None)
                for aid in [aid for aid, a in actors_all.items() if a["question_set_id"] == qs.id]:
                    result.deleted["actors"].add(aid)
                    del actors_all[aid]
            for doc in batch.document_tombstones:
                before = docs_all.get(doc.id)
                if before is None:
                    continue
                after = _record_dict(doc)
                after.pop("question_set_ids", None)
                result.note("documents", doc.id, before, after)
                docs_all[doc.id] = after
            for aid in batch.actor_tombstones:
                if actors_all.pop(aid, None) is not None:
                    result.deleted["actors"].add(aid)
            # a document whose last live link went is gone for the analyst, tombstone or not
            result.deleted["documents"] |= set(self._live_links(self._load_state())) - set(self._live_links(state))
            if result.touched or state != self._load_state():
                atomic_write_json(self._state_path, state, compact=True)  # rewritten per page: keep it small
                self._state = state
                st = self._state_path.stat()
                self._state_stamp = (st.st_mtime_ns, st.st_size)
            return result

    def _live_links(self, state: dict[str, Any] | None = None) -> dict[str, tuple[str, ...]]:
        """Document id -> live question sets linking to it (live documents only)."""
        state = self._load_state() if state is None else state
        qs_all, docs_all = state["question_sets"], state["documents"]
        by_doc: dict[str, set[str]] = {}
        for qs_id, doc_ids in state["links"].items():
            if qs_id not in qs_all or qs_all[qs_id]["deleted"]:
                continue
            for doc_id in doc_ids:
                if doc_id in docs_all and not docs_all[doc_id]["deleted"]:
                    by_doc.setdefault(doc_id, set()).add(qs_id)
        return {k: tuple(sorted(v)) for k, v in by_doc.items()}

    def question_sets(self) -> list[QuestionSetRecord]:
        """Live question sets, ordered by id."""
        with self._lock:
            state = self._load_state()
            return [_question_set(d) for _, d in sorted(state["question_sets"].items()) if not d["deleted"]]

    def documents(self) -> list[DocumentRecord]:
        """Live documents linked to at least one live question set, ordered by id."""
        with self._lock:
            state = self._load_state()
            links = self._live_links()
            return [_document(state["documents"][i], links[i]) for i in sorted(links)]

    def actors(self) -> list[ActorRecord]:
        """Actors of live question sets, ordered by id."""
        with self._lock:
            state = self._load_state()
            live = {k for k, d in state["question_sets"].items() if not d["deleted"]}
            return [_actor(a) for _, a in sorted(state["actors"].items()) if a["question_set_id"] in live and not a["deleted"]]

    def deleted_document_ids(self) -> set[str]:
        """Documents we once had that are gone now: tombstoned, or no longer linked to a live set."""
        with self._lock:
            state = self._load_state()
            return set(state["documents"]) - set(self._live_links())

    def deleted_question_set_ids(self) -> set[str]:
        with self._lock:
            return {k for k, d in self._load_state()["question_sets"].items() if d["deleted"]}

    def document_record(self, document_id: str) -> DocumentRecord | None:
        """The last known record of a document (live or not)."""
        with self._lock:
            d = self._load_state()["documents"].get(document_id)
            return _document(d, self._live_links().get(document_id, ())) if d else None

    def known_question_set_ids(self) -> set[str]:
        with self._lock:
            return set(self._load_state()["question_sets"])

    # ------------------------------------------------------------------ small state
    def get_state(self, key: str, default: Any = None) -> Any:
        try:
            return json.loads(self._kv_path.read_bytes()).get(key, default)
        except FileNotFoundError:
            return default

    def set_state(self, key: str, value: Any) -> None:
        """Set one JSON-able value (e.g. the sync cursor) atomically."""
        with self._lock:
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
        with self._lock:
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
