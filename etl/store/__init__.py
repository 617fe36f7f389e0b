"""The immutable raw store: what the API said, what it means now, and every file we fetched.

Layout under ``root`` (writers take turns under ``state/.lock``; readers any time)::

    snapshots/<run>/<seq>-<label>.json     every raw API payload, per run   (payloads.py)
    state/metadata.json, journal.jsonl     merged metadata by Id            (metadata.py)
    state/kv.json                          small state such as the cursor   (cursor.py)
    files/objects/<ab>/<sha256>            file bytes, by content           (files.py)
    files/index/<name>.json, names.json    one document's file versions     (files.py)
    parses/<parser version>/<sha256>.json  parse cache                      (parses.py)
    parses/<parser version>/outcomes.jsonl each cached parse's outcome      (parses.py)

Every write is atomic (``atomic.py``), so a crash or SIGKILL leaves either the old or the new
version of each file, never half of one. Keeping raw payloads and old file versions means a
better parser or mapper can rebuild everything offline. :class:`RawStore` puts the parts
together behind one object, which is what the pipeline and the sync use.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from etl.filetype import detect_type
from etl.models import ActorRecord, DocumentRecord, QuestionSetRecord, StoredFile
from etl.store.atomic import atomic_write_bytes, atomic_write_json, clean_stale_tmp, dumps
from etl.store.codec import record_dict
from etl.store.cursor import SmallState
from etl.store.files import FileStore
from etl.store.lock import WriterLock
from etl.store.metadata import MergeResult, MetadataBatch, MetadataJournal
from etl.store.parses import ParseCache, ParseOutcome
from etl.store.payloads import PayloadArchive

__all__ = [
    "MergeResult", "MetadataBatch", "RawStore", "atomic_write_bytes", "atomic_write_json", "detect_type",
]


class RawStore:
    """Raw API payloads, merged metadata, immutable files and a parse cache under one root."""

    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "state").mkdir(parents=True, exist_ok=True)
        lock = WriterLock(self.root / "state" / ".lock")
        self._lock = lock.thread_lock
        self.payloads = PayloadArchive(self.root / "snapshots")
        self.metadata = MetadataJournal(self.root / "state", lock)
        self.small_state = SmallState(self.root / "state" / "kv.json", lock)
        self.files = FileStore(self.root / "files", lock)
        self.parses = ParseCache(self.root / "parses")

    def clean_stale_tmp(self, older_than_s: float = 3600.0) -> int:
        """Remove what writers killed over an hour ago left behind; called as a run starts."""
        return clean_stale_tmp(self.root, older_than_s)

    # raw payloads
    def new_run_id(self) -> str:
        return self.payloads.new_run_id()

    def save_payload(self, run_id: str, label: str, url: str, payload: Any) -> Path:
        return self.payloads.save(run_id, label, url, payload)

    def runs(self) -> list[str]:
        return self.payloads.runs()

    # merged metadata
    def merge(self, batch: MetadataBatch) -> MergeResult:
        return self.metadata.merge(batch)

    def metadata_digest(self) -> str:
        """Changes whenever the merged metadata does (see MetadataJournal.digest)."""
        return self.metadata.digest()

    def compact(self) -> None:
        self.metadata.compact()

    def question_sets(self) -> list[QuestionSetRecord]:
        return self.metadata.question_sets()

    def documents(self) -> list[DocumentRecord]:
        return self.metadata.documents()

    def actors(self) -> list[ActorRecord]:
        return self.metadata.actors()

    def deleted_document_ids(self) -> set[str]:
        return self.metadata.deleted_document_ids()

    def deleted_question_set_ids(self) -> set[str]:
        return self.metadata.deleted_question_set_ids()

    # small state (the sync cursor)
    def get_state(self, key: str, default: Any = None) -> Any:
        return self.small_state.get(key, default)

    def set_state(self, key: str, value: Any) -> None:
        self.small_state.set(key, value)

    # files
    def put_file(self, document_id: str, data: bytes, *, declared_type: str | None = None,
                 markers: dict[str, Any] | None = None) -> tuple[StoredFile, str]:
        return self.files.put(document_id, data, declared_type=declared_type, markers=markers)

    def current_file(self, document_id: str) -> StoredFile | None:
        return self.files.current(document_id)

    def file_versions(self, document_id: str) -> list[StoredFile]:
        return self.files.versions(document_id)

    def has_file(self, document_id: str) -> bool:
        """Whether a file was ever stored for this document (without reading its index)."""
        return self.files.has(document_id)

    def keep_file_indexes(self) -> None:
        """Keep the file indexes this store read for the next step (see FileStore.keep_indexes)."""
        self.files.keep_indexes()

    def file_markers(self, document_id: str) -> dict[str, Any] | None:
        return self.files.markers(document_id)

    def read_file(self, stored: StoredFile) -> bytes:
        """The bytes of one stored file version."""
        return Path(stored.path).read_bytes()

    # parse cache
    def get_parse(self, sha256: str, parser_version: str) -> dict | None:
        return self.parses.get(sha256, parser_version)

    def put_parse(self, sha256: str, parser_version: str, data: dict) -> ParseOutcome:
        """Cache one parse; returns what came of it (see parse_outcome)."""
        return self.parses.put(sha256, parser_version, data)

    def parse_outcome(self, sha256: str, parser_version: str) -> ParseOutcome | None:
        """Whether a file was parsed with this version and what came of it, without its content."""
        return self.parses.outcome(sha256, parser_version)

    def state_digest(self) -> str:
        """A content hash of everything the store means now (not when or how it was fetched).

        Covers live records, deletions and every file version (hash, size, type); excludes
        raw payloads, fetch times and the cursor. Two stores that converged hash equal.
        """
        with self._lock:
            files = {
                doc_id: [{k: e[k] for k in ("sha256", "size", "detected_type", "declared_type")} for e in versions]
                for doc_id, versions in self.files.all_versions().items()
            }
            content = {
                "question_sets": [record_dict(r) for r in self.question_sets()],
                "documents": [record_dict(r) for r in self.documents()],
                "actors": [record_dict(r) for r in self.actors()],
                "deleted_documents": sorted(self.deleted_document_ids()),
                "deleted_question_sets": sorted(self.deleted_question_set_ids()),
                "files": files,
            }
            return hashlib.sha256(dumps(content)).hexdigest()
