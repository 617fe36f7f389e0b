"""Small named state, such as the sync cursor, in one JSON file (``state/kv.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from etl.store.atomic import atomic_write_json
from etl.store.lock import WriterLock


class SmallState:
    def __init__(self, path: Path, lock: WriterLock):
        self.path = path
        self._write = lock

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return json.loads(self.path.read_bytes()).get(key, default)
        except FileNotFoundError:
            return default

    def set(self, key: str, value: Any) -> None:
        """Set one JSON-able value (e.g. the sync cursor) atomically, under the write lock."""
        with self._write.writing():
            try:
                kv = json.loads(self.path.read_bytes())
            except FileNotFoundError:
                kv = {}
            kv[key] = value
            atomic_write_json(self.path, kv)
