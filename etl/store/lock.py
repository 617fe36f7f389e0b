"""One writer at a time: threads of this process, and processes sharing the store (flock)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX; elsewhere the single-writer rule is the caller's to keep
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    """Re-entrant exclusive write access to one store, held across its parts.

    Two writers (say, two Dagster partitions fetching at once) take turns; readers never wait.
    """

    def __init__(self, lock_file: Path):
        self.lock_file = lock_file
        self.thread_lock = threading.RLock()
        self._depth = 0

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self.thread_lock:
            if fcntl is None or self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            with open(self.lock_file, "a+b") as fh:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
