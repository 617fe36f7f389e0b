"""Benchmark of the raw store's merge at live scale (not a test; prints figures).

    .venv/bin/python scripts/bench_store.py 20000

Merges N synthetic question sets (3 documents, 3 actors each) in pages of 250, as a backfill
does, and prints the time of a page merge, the state size and the time to list documents.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from etl.models import ActorRecord, DocumentRecord, QuestionSetRecord
from etl.store import MetadataBatch, RawStore


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        store = RawStore(Path(d))
        t = time.perf_counter()
        for start in range(0, n, 250):
            snaps = []
            for i in range(start, min(n, start + 250)):
                q = str(uuid.UUID(int=i))
                qs = QuestionSetRecord(q, f"2025Z{i:05d}", "Schriftelijke vragen", "Vragen van het lid X over iets " * 3,
                                       date(2025, 1, 1), "2025-2026")
                docs = [DocumentRecord(str(uuid.UUID(int=10**9 + i * 3 + k)), f"2025D{i:05d}", "Antwoord schriftelijke vragen",
                                       "Antwoord op vragen " * 4, date(2025, 2, 1), "2025-2026", "application/pdf", 100000,
                                       "ah-tk-20252026-1", "252600001") for k in range(3)]
                actors = [ActorRecord(str(uuid.UUID(int=2 * 10**9 + i * 3 + k)), q, "A.B. Jansen", "CDA", "Tweede Kamerlid",
                                      "Indiener") for k in range(3)]
                snaps.append((qs, docs, actors))
            t0 = time.perf_counter()
            store.merge(MetadataBatch(snapshots=snaps))
            done = min(n, start + 250)
            if done % 10_000 == 0 or done == n:
                size = sum(p.stat().st_size for p in (Path(d) / "state").iterdir())
                print(f"{done} sets: last page merge {time.perf_counter() - t0:.2f}s, state {size / 1e6:.1f} MB, "
                      f"total {time.perf_counter() - t:.1f}s")
        t0 = time.perf_counter()
        reopened = RawStore(Path(d))
        count = len(reopened.documents())
        print(f"reopen + documents(): {count} documents in {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
