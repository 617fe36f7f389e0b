"""SIGKILL the whole job at a random point, run it again: every analyst relation converges.

`kamerspoor run` runs as a real subprocess against the replay of our sample (with a little
latency per request, so a kill can land while fetching, parsing or loading). The delay is
random and printed in the failure message, so a failure can be replayed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from etl.replay import Faults, ReplayServer
from etl.sample import SAMPLE_API_DIR
from tests.process_helpers import kill_when, run_to_end
from tests.warehouse_hash import analyst_hashes


def run_cmd(base_url: str, root: Path) -> list[str]:
    return [sys.executable, "-m", "etl.cli", "run", "--quiet", "--api-url", base_url,
            "--data-dir", str(root / "data"), "--warehouse", str(root / "kamerspoor.duckdb")]


@pytest.fixture(scope="module")
def replay():
    with ReplayServer(SAMPLE_API_DIR, page_size=4, faults=Faults(latency=0.02)) as server:
        yield server


def kill_point(rng: random.Random, requests: int, parses: int):
    """A random moment of the run that leaves work to do: while fetching, parsing or loading."""
    phase = rng.choice(["fetch", "parse", "load"])
    if phase == "fetch":
        n = rng.randrange(1, requests)
        return f"after {n} of {requests} requests", lambda replay, root: len(replay.request_log) >= n
    if phase == "parse":
        k = rng.randrange(1, parses)
        return f"after {k} of {parses} parses", lambda replay, root: count_parses(root) >= k
    return "once the warehouse exists", lambda replay, root: (root / "kamerspoor.duckdb").exists()


def count_parses(root: Path) -> int:
    return sum(1 for _ in (root / "data" / "raw" / "parses").glob("*/*.json"))


def test_sigkill_mid_run_then_rerun_gives_the_fault_free_warehouse(tmp_path, replay):
    reference_root = tmp_path / "reference"
    before = len(replay.request_log)
    run_to_end(run_cmd(replay.base_url, reference_root))
    requests, parses = len(replay.request_log) - before, count_parses(reference_root)
    reference = analyst_hashes(reference_root / "kamerspoor.duckdb")
    assert requests > 1 and parses > 1

    killed_root = tmp_path / "killed"
    where, ready = kill_point(random.Random(), requests, parses)
    start = len(replay.request_log)
    was_running = kill_when(
        run_cmd(replay.base_url, killed_root),
        lambda: ready(RequestsSince(replay, start), killed_root),
    )
    assert was_running, f"the run ended before the kill ({where})"

    run_to_end(run_cmd(replay.base_url, killed_root))
    assert analyst_hashes(killed_root / "kamerspoor.duckdb") == reference, f"killed {where}"


class RequestsSince:
    """The replay's request log as seen from one run's start."""

    def __init__(self, replay: ReplayServer, start: int):
        self.replay, self.start = replay, start

    @property
    def request_log(self) -> list[str]:
        return list(self.replay.request_log)[self.start :]
