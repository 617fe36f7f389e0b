"""Parse stored files in worker processes, each file under a memory and a wall-clock limit.

Every parse (a backfill of thousands of files or an incremental run with three) goes through
here, so one hostile file can never take the job down or hang it:

- workers are spawned processes (not forked: the caller holds threads and sockets) that only
  read files; every store write stays with the caller;
- each worker sets ``RLIMIT_AS`` on itself (``Settings.parse_memory_mb``), so a file that
  asks for more memory fails inside the worker with ``MemoryError`` instead of exhausting
  the machine;
- each file gets a wall-clock limit (``Settings.parse_timeout_s``, scaled up for files larger
  than 5 MB); a worker that passes it is killed and replaced;
- a worker that dies (a crash in pdfium, the kernel's OOM killer) is replaced too;
- such a file comes back as a ``quarantined`` failure payload with the reason. The caller
  caches it like any parse result, so it lands in ``parse_issues`` and is not tried again
  until the parser version changes.

A worker also retires after ``RECYCLE_AFTER`` files, so memory the allocator keeps after a big
letter does not accumulate.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Iterable, Iterator

from etl.parse.limits import Limits, limits_of

RECYCLE_AFTER = 500  # files per worker process before it is replaced
PIPELINE = 2  # jobs handed to a worker at once (see _Worker)
STARTUP_GRACE = 30.0  # seconds a new worker may take to start (imports) on top of its first file's limit
SCALE_BYTES = 5 * 1024 * 1024  # the time limit grows by one unit per this many bytes of input


@dataclass(frozen=True)
class Job:
    """One file to parse: ``key`` is the caller's (e.g. the file's sha256)."""

    key: str
    path: str


@dataclass(frozen=True)
class WorkerConfig:
    pdf_engine: str
    limits: Limits
    memory_mb: int
    timeout_s: float


def failure(code: str, message: str) -> dict[str, Any]:
    """The cacheable payload of a file that could not be parsed."""
    return {"failure": {"code": code, "message": message}}


def parse_one(path: str, pdf_engine: str, limits: Limits) -> dict[str, Any]:
    """Parse one file into its cacheable payload; a bad file becomes a failure payload."""
    from etl.models import ParseFailure
    from etl.parse import parse_file

    try:
        return parse_file(path, pdf_engine=pdf_engine, limits=limits).to_contract()
    except ParseFailure as e:
        if _out_of_memory(e):  # a library turned the MemoryError into its own error
            return failure("quarantined", "parsing needed more memory than the worker's limit")
        return failure(e.code, e.message)
    except MemoryError:
        return failure("quarantined", "parsing needed more memory than the worker's limit")
    except RecursionError:
        return failure("quarantined", "parsing recursed too deeply (a pathological file?)")
    except Exception as e:  # a parser bug must not stop the other documents
        return failure("parser_error", f"{type(e).__name__}: {e}")


def _out_of_memory(e: BaseException | None) -> bool:
    seen = 0
    while e is not None and seen < 20:
        if isinstance(e, MemoryError):
            return True
        e = e.__cause__ or e.__context__
        seen += 1
    return False


def time_limit(path: str, config: WorkerConfig) -> float:
    """Seconds one file may take: the base limit, times its size in units of 5 MB."""
    try:
        size = os.path.getsize(path)
    except OSError:
        size = 0
    return config.timeout_s * max(1.0, size / SCALE_BYTES)


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform, or not allowed: run without
        pass


def _worker_main(conn, config: WorkerConfig) -> None:  # type: ignore[no-untyped-def]
    """Worker loop: receive a path, send back its payload; None ends the worker."""
    _limit_memory(config.memory_mb)
    import etl.parse  # noqa: F401  (import before the first file, so its clock is the parse only)

    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        conn.send(parse_one(path, config.pdf_engine, config.limits))


class _Worker:
    """One worker process and the jobs handed to it, in the order it parses them.

    It holds up to ``PIPELINE`` jobs: the next path waits in its pipe, so the worker goes on
    while this process stores the last payload (one job at a time left the workers idle for
    about a quarter of a backfill). The clock runs for the first job only; the next one's
    starts when the first one's payload is received.
    """

    def __init__(self, ctx, config: WorkerConfig) -> None:  # type: ignore[no-untyped-def]
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, config), daemon=True)
        self.proc.start()
        child.close()
        self.config = config
        self.jobs: deque[Job] = deque()
        self.deadline = 0.0
        self.given = 0
        self.started = False

    @property
    def job(self) -> Job | None:
        """The job being parsed (None: idle)."""
        return self.jobs[0] if self.jobs else None

    def wants(self) -> bool:
        """May take another job (retiring workers take none past ``RECYCLE_AFTER``)."""
        return len(self.jobs) < PIPELINE and self.given < RECYCLE_AFTER

    def give(self, job: Job) -> None:
        if not self.jobs:
            self._start_clock(job)
        self.jobs.append(job)
        self.given += 1
        try:
            self.conn.send(job.path)
        except OSError:  # the process is gone: its sentinel tells the pool, which hands the job on
            pass

    def finish(self) -> Job:
        """The first job is done: drop it, start the clock for the next."""
        job = self.jobs.popleft()
        if self.jobs:
            self._start_clock(self.jobs[0])
        return job

    def _start_clock(self, job: Job) -> None:
        grace = 0.0 if self.started else STARTUP_GRACE
        self.deadline = time.monotonic() + time_limit(job.path, self.config) + grace
        self.started = True

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class _Source:
    """The jobs, as they become available: a list at once, or any other iterable (files still
    downloading, say) drained by a thread, with a pipe the pool waits on beside its workers."""

    def __init__(self, jobs: Iterable[Job]) -> None:
        self._ready: deque[Job] = deque()
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self.signal = None
        if isinstance(jobs, (list, tuple)):
            self._ready.extend(jobs)
            self._open = False
            return
        self._open = True
        self.signal, self._wake = multiprocessing.Pipe(duplex=False)
        threading.Thread(target=self._drain, args=(iter(jobs),), name="parse-jobs", daemon=True).start()

    def _drain(self, it: Iterator[Job]) -> None:
        try:
            for job in it:
                with self._lock:
                    self._ready.append(job)
                self._wake.send(None)
        except BaseException as exc:  # raised in the pool's thread, where the caller sees it
            self._error = exc
        finally:
            with self._lock:
                self._open = False
            self._wake.send(None)

    def take(self) -> Job | None:
        """The next available job, or None (none yet, or none left)."""
        with self._lock:
            if self._error is not None:
                raise self._error
            return self._ready.popleft() if self._ready else None

    def put_back(self, jobs: Iterable[Job]) -> None:
        """Jobs a dead or killed worker had not begun: first in line again, in their order."""
        with self._lock:
            self._ready.extendleft(reversed(list(jobs)))

    @property
    def open(self) -> bool:
        """More jobs may still come."""
        with self._lock:
            return self._open or bool(self._ready)

    def waitables(self) -> list:
        return [self.signal] if self.signal is not None and self.open else []

    def clear(self) -> None:
        while self.signal is not None and self.signal.poll():
            self.signal.recv()


def parse_in_workers(jobs: Iterable[Job], config: WorkerConfig, workers: int) -> Iterator[tuple[Job, dict[str, Any]]]:
    """Yield (job, payload) for every job, in completion order; always one payload per job.

    ``jobs`` may be a list, or an iterable that yields jobs as they become available (parsing
    starts with the first while the rest are still being downloaded). Workers start as jobs
    arrive, up to ``workers``.
    """
    source = _Source(jobs)
    ctx = multiprocessing.get_context("spawn")
    pool: list[_Worker] = []
    workers = max(1, workers)
    try:
        while True:
            for w in pool:  # workers with room take the next jobs; new workers start for the rest
                while w.wants() and (job := source.take()) is not None:
                    w.give(job)
            while len(pool) < workers and (job := source.take()) is not None:
                pool.append(_Worker(ctx, config))
                pool[-1].give(job)
            busy = [w for w in pool if w.job is not None]
            if not busy and not source.open:
                return
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic()) if busy else None
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy] + source.waitables(), timeout)
            source.clear()
            for i, w in enumerate(pool):
                if w.job is None:
                    continue
                job = w.job
                payload = None
                if w.conn in ready:
                    try:
                        payload = w.conn.recv()
                    except (EOFError, OSError):
                        payload = None
                if payload is None and (w.conn in ready or w.proc.sentinel in ready):
                    w.proc.join(1)
                    payload = failure("quarantined", f"the parser process died on this file ({_exit(w.proc.exitcode)})")
                    w = pool[i] = _replace(w, ctx, config, source)
                elif payload is None and time.monotonic() >= w.deadline:
                    limit = time_limit(job.path, config)
                    payload = failure("quarantined", f"parsing took longer than its {limit:.0f} s limit")
                    w = pool[i] = _replace(w, ctx, config, source)
                else:
                    if payload is None:
                        continue
                    w.finish()
                    while w.wants() and (more := source.take()) is not None:  # before the caller stores this one
                        w.give(more)
                yield job, payload
                if w.given >= RECYCLE_AFTER and w.job is None and source.open:
                    w.stop()
                    pool[i] = _Worker(ctx, config)
    finally:
        for w in pool:
            w.stop(kill=w.job is not None)


def _replace(w: _Worker, ctx, config: WorkerConfig, source: _Source) -> _Worker:  # type: ignore[no-untyped-def]
    """Kill ``w`` (its first job failed it); the jobs queued behind that one go back in line."""
    w.stop(kill=True)
    source.put_back(list(w.jobs)[1:])
    return _Worker(ctx, config)


def parse_stored(files: Iterable, settings) -> Iterator[tuple[Any, dict[str, Any]]]:  # type: ignore[no-untyped-def,type-arg]
    """Yield (stored file, payload) for each raw-store file, parsed as ``settings`` say.

    ``files`` may be a list or an iterable that yields files as they are stored; each sha256
    is parsed once.
    """
    config = WorkerConfig(settings.pdf_engine, limits_of(settings), settings.parse_memory_mb, settings.parse_timeout_s)
    by_key: dict[str, Any] = {}

    def jobs() -> Iterator[Job]:
        for f in files:
            if f.sha256 not in by_key:
                by_key[f.sha256] = f
                yield Job(f.sha256, str(f.path))

    source = list(jobs()) if isinstance(files, (list, tuple)) else jobs()
    for job, payload in parse_in_workers(source, config, settings.parse_workers):
        yield by_key[job.key], payload


def _exit(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
