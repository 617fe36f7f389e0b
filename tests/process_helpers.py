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
