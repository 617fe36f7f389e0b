"""How long `dagster dev` takes to stop on SIGTERM (a service manager) and on Ctrl-C (SIGINT to
the terminal's process group), and whether it leaves processes behind.

Starts `dagster dev` on a free 127.0.0.1 port in its own process group, waits until the web
server answers, sends the signal, and times the exit. Run from the project root:

    python3 -m uv run python scripts/bench_dagster_stop.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 300.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"dagster dev exited early with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"dagster dev did not answer on port {port} within {timeout:.0f} s")


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def one_round(how: str) -> tuple[float, float, bool]:
    port = free_port()
    env = {**os.environ, "KAMERSPOOR_SCHEDULES": "off"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster"), "dev", "-m", "assets.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    up = wait_until_up(port, proc)
    time.sleep(2.0)  # let the daemon finish starting too
    start = time.monotonic()
    if how == "SIGTERM":
        proc.send_signal(signal.SIGTERM)
    else:  # Ctrl-C: the terminal signals the whole foreground group
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    stopped = time.monotonic() - start
    deadline = time.monotonic() + 30
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    leftovers = group_alive(proc.pid)
    if leftovers:
        os.killpg(proc.pid, signal.SIGKILL)
    return up, stopped, leftovers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    worst = 0.0
    for how in ("SIGTERM", "SIGINT"):
        for i in range(args.rounds):
            up, stopped, leftovers = one_round(how)
            worst = max(worst, stopped)
            print(f"{how} round {i + 1}: up after {up:.1f} s, stopped {stopped:.1f} s after the signal"
                  f"{', processes left behind' if leftovers else ''}")
    print(f"worst stop: {worst:.1f} s (limit {LIMIT_S:.0f} s)")
    return 0 if worst <= LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
