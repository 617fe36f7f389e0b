"""Every raw API response, per run, append-only: ``snapshots/<run>/<seq>-<label>.json``.

Kept so a better field mapper can rebuild the merged metadata offline.
"""

from __future__ import annotations

import secrets
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from etl.store.atomic import atomic_write_json


class PayloadArchive:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._seq = 0

    @staticmethod
    def new_run_id() -> str:
        return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)

    def save(self, run_id: str, label: str, url: str, payload: Any) -> Path:
        """Keep one raw API response of a run (never rewritten)."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in label)[:60]
        path = self.root / run_id / f"{seq:06d}-{safe}.json"
        atomic_write_json(path, {"url": url, "saved_at": datetime.now(timezone.utc).isoformat(), "payload": payload})
        return path

    def runs(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())
