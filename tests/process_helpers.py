"""Run a command to its end, or SIGKILL it mid-run: the crash-convergence tests share these."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]


def run_to_end(cmd: list[str], timeout: float = 600) -> float:
    """Run ``cmd`` from the project root; assert it succeeds; return its wall time."""
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, (proc.stderr + proc.stdout)[-3000:]
    return time.monotonic() - started


def kill_after(cmd: list[str], delay: float) -> bool:
    """Start ``cmd``, SIGKILL it after ``delay`` s; True if it was still running then."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return alive


def kill_when(cmd: list[str], ready: Callable[[], bool], timeout: float = 600) -> bool:
    """Start ``cmd`` and SIGKILL it as soon as ``ready()`` holds (polled every few ms).

    Returns True if the process was still running at the kill. Pick a ``ready`` that implies
    work remains (say, fewer requests served than a full run makes), so the kill always lands
    mid-run instead of racing a timer against the run's end.
    """
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and not ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not reached within {timeout}s: {cmd}")
            time.sleep(0.005)
        alive = proc.poll() is None
        if alive:
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    return alive


def _proc_table() -> tuple[dict[int, list[int]], dict[int, int]]:
    """Children of each process and each one's resident bytes, from Linux /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p = int(entry)
        children.setdefault(int(fields[1]), []).append(p)
        rss[p] = int(fields[21]) * page
    return children, rss


def descendants(pid: int) -> list[int]:
    children, _ = _proc_table()
    out, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc), as
    ``scripts/bench_backfill.py`` measures the whole job."""
    children, rss = _proc_table()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run_measured(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 600,
                 interval: float = 0.1) -> dict:
    """Run ``cmd`` from the project root to its end: exit code, wall seconds, the peak resident
    memory of its whole process tree (sampled every ``interval`` s) and its output. A run
    still going after ``timeout`` s is killed and fails the caller's assertion on ``rc``."""
    import threading

    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def watch() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        for pid in [proc.pid, *descendants(proc.pid)]:  # the job and its parse workers
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        out, err = proc.communicate()
        err += f"\n(killed after {timeout:.0f} s)"
    wall = time.monotonic() - started
    watcher.join()
    return {"rc": proc.returncode, "wall": wall, "peak": peak[0], "out": out, "err": err}
