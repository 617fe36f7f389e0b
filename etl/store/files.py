"""Immutable file bytes addressed by sha256, and per document the versions of its file.

Layout under ``files/``: ``objects/<ab>/<sha256>`` (bytes, written once) and
``index/<name>.json`` (one document's versions, oldest first). A document id is data, not a
path: ``<name>`` is the percent-quoted id when that is short and plain, else ``h-`` and a hash
of the id, recorded in ``names.json`` (name → id) so the id can always be read back.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from etl.filetype import detect_type
from etl.models import StoredFile
from etl.store.atomic import atomic_write_bytes, atomic_write_json, file_stamp
from etl.store.lock import WriterLock

#: Longest quoted id used as a file name as it is; the name also carries ``.json`` and, while
#: written, a temporary prefix and suffix, all within the usual 255-byte limit.
MAX_PLAIN_NAME = 120
HASHED_PREFIX = "h-"
#: Every index as last read, with its file's stamp (see FileStore.keep_indexes).
INDEX_CACHE = "index-cache.json"


def index_name(document_id: str) -> str:
    """The file name (without ``.json``) of a document's version index."""
    quoted = quote(document_id, safe="")
    plain = 0 < len(quoted) <= MAX_PLAIN_NAME and not quoted.startswith((".", HASHED_PREFIX))
    if plain:
        return quoted
    return HASHED_PREFIX + hashlib.sha256(document_id.encode("utf-8")).hexdigest()[:40]


class FileStore:
    def __init__(self, root: Path, lock: WriterLock):
        self.root = root
        self._write = lock
        self._indexes: dict[str, tuple[tuple, list[dict[str, Any]]]] = {}  # id -> (file stamp, versions)
        self._cache_read = False
        self._cache_lock = threading.Lock()
        self._read_from_disk = 0  # indexes read from their files since the cache was last kept
        for sub in ("objects", "index"):
            (root / sub).mkdir(parents=True, exist_ok=True)

    @cached_property
    def _resolved_root(self) -> Path:
        """The root as an absolute path without links, resolved once (not per stored file)."""
        return self.root.resolve()

    @property
    def _names_path(self) -> Path:
        return self.root / "names.json"

    def object_path(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256

    @cached_property
    def _index_dir(self) -> str:
        return os.path.join(self.root, "index")

    @cached_property
    def _objects_dir(self) -> str:
        return os.path.join(self._resolved_root, "objects")

    def _index_path(self, document_id: str) -> Path:
        return Path(self._index_file(document_id))

    def _index_file(self, document_id: str) -> str:
        # A string join: a run reads every document's index in several steps, and pathlib's
        # joins cost more than reading the small file itself.
        return os.path.join(self._index_dir, index_name(document_id) + ".json")

    def hashed_names(self) -> dict[str, str]:
        """Index name → document id, for the ids whose names are hashes."""
        try:
            return json.loads(self._names_path.read_bytes())
        except FileNotFoundError:
            return {}

    def _remember_name(self, document_id: str) -> None:
        """Record a hashed name before its index file exists (caller holds the write lock)."""
        name = index_name(document_id)
        if not name.startswith(HASHED_PREFIX):
            return
        names = self.hashed_names()
        if names.get(name) != document_id:
            names[name] = document_id
            atomic_write_json(self._names_path, names)

    def _read_index(self, document_id: str) -> list[dict[str, Any]]:
        """A document's versions (not to be mutated: it may be the copy kept for the next read).

        Every step of a run reads every document's index; read once, an index is kept with its
        file's stamp and read again only when the file changed (a stat costs a tenth of a read).
        What a step read is kept on disk too (:meth:`keep_indexes`), so the next process starts
        from it.
        """
        if not self._cache_read:
            self._read_cache()
        path = self._index_file(document_id)
        stamp = file_stamp(path)
        if stamp is None:
            return []
        kept = self._indexes.get(document_id)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        try:
            with open(path, "rb") as fh:
                versions = json.loads(fh.read())
        except FileNotFoundError:
            return []
        self._indexes[document_id] = (stamp, versions)
        self._read_from_disk += 1
        return versions

    def _read_cache(self) -> None:
        """Start from the indexes a previous step kept (each still checked by its stamp)."""
        with self._cache_lock:
            if self._cache_read:
                return
            try:
                entries = json.loads((self.root / INDEX_CACHE).read_bytes())["indexes"]
                for document_id, (ino, size, mtime_ns, versions) in entries.items():
                    self._indexes.setdefault(document_id, ((ino, size, mtime_ns), versions))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # none yet, or unreadable: every index is read from its file, and kept anew
            self._cache_read = True

    def keep_indexes(self) -> None:
        """Write the indexes this store holds to ``files/index-cache.json`` when it read any from
        their files: a run's steps are separate processes or stores, and reading thousands of
        small index files cost each step about half a second on a run that changed nothing.
        Only a shortcut: an entry whose file has another stamp now is read from the file.
        """
        if not self._read_from_disk:
            return
        entries = {d: [*stamp, versions] for d, (stamp, versions) in list(self._indexes.items())}
        atomic_write_json(self.root / INDEX_CACHE, {"indexes": entries}, compact=True)
        self._read_from_disk = 0

    def _stored(self, document_id: str, e: dict[str, Any]) -> StoredFile:
        sha = e["sha256"]
        return StoredFile(
            document_id=document_id, sha256=sha, size=e["size"],
            detected_type=e["detected_type"], declared_type=e["declared_type"],
            path=os.path.join(self._objects_dir, sha[:2], sha),
            fetched_at=datetime.fromisoformat(e["fetched_at"]) if e.get("fetched_at") else None,
        )

    def put(
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
        obj = self.object_path(sha)
        if not obj.exists() or obj.stat().st_size != len(data):
            atomic_write_bytes(obj, data)
        with self._write.writing():
            versions = list(self._read_index(document_id))  # a copy: the kept one stays as on disk
            entry = {
                "sha256": sha, "size": len(data), "detected_type": detect_type(data),
                "declared_type": declared_type, "fetched_at": datetime.now(timezone.utc).isoformat(),
                "markers": markers or {},
            }
            if versions and versions[-1]["sha256"] == sha:
                status = "unchanged"
                if versions[-1].get("markers") != entry["markers"] or versions[-1].get("declared_type") != declared_type:
                    versions[-1] = {**versions[-1], "markers": entry["markers"], "declared_type": declared_type}
                    self._write_index(document_id, versions)
                return self._stored(document_id, versions[-1]), status
            status = "changed" if versions else "new"
            versions.append(entry)
            self._remember_name(document_id)
            self._write_index(document_id, versions)
            return self._stored(document_id, entry), status

    def _write_index(self, document_id: str, versions: list[dict[str, Any]]) -> None:
        self._indexes.pop(document_id, None)  # our own write: never trust a stamp across it
        atomic_write_json(self._index_path(document_id), versions)

    def has(self, document_id: str) -> bool:
        return os.path.exists(self._index_file(document_id))

    def current(self, document_id: str) -> StoredFile | None:
        versions = self._read_index(document_id)
        return self._stored(document_id, versions[-1]) if versions else None

    def versions(self, document_id: str) -> list[StoredFile]:
        """Every stored version of a document's file, oldest first."""
        return [self._stored(document_id, e) for e in self._read_index(document_id)]

    def markers(self, document_id: str) -> dict[str, Any] | None:
        versions = self._read_index(document_id)
        return versions[-1].get("markers", {}) if versions else None

    def all_versions(self) -> dict[str, list[dict[str, Any]]]:
        """Document id → its raw version entries, for every document with a file."""
        hashed = self.hashed_names()
        out = {}
        for p in sorted((self.root / "index").glob("*.json")):
            doc_id = hashed.get(p.stem) if p.stem.startswith(HASHED_PREFIX) else unquote(p.stem)
            if doc_id is not None:
                out[doc_id] = json.loads(p.read_bytes())
        return out
