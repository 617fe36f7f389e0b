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
from tests.process_helpers import kill_after, run_to_end
from tests.warehouse_hash import analyst_hashes



def run_cmd(base_url: str, root: Path) -> list[str]:
    return [sys.executable, "-m", "etl.cli", "run", "--quiet", "--api-url", base_url,
            "--data-dir", str(root / "data"), "--warehouse", str(root / "kamerspoor.duckdb")]


@pytest.fixture(scope="module")
def replay():
    with ReplayServer(SAMPLE_API_DIR, page_size=4, faults=Faults(latency=0.02)) as server:
        yield server


def test_sigkill_mid_run_then_rerun_gives_the_fault_free_warehouse(tmp_path, replay):
    reference_root = tmp_path / "reference"
    duration = run_to_end(run_cmd(replay.base_url, reference_root))
    reference = analyst_hashes(reference_root / "kamerspoor.duckdb")

    killed_root = tmp_path / "killed"
    # Python and Dagster start-up take the first seconds; aim the kill at the working part.
    delay = round(random.uniform(0.3, 0.95) * duration, 2)
    was_running = kill_after(run_cmd(replay.base_url, killed_root), delay)

    run_to_end(run_cmd(replay.base_url, killed_root))
    assert was_running, f"the run ended before the kill at {delay}s (full run {duration:.1f}s)"
    assert analyst_hashes(killed_root / "kamerspoor.duckdb") == reference, (
        f"killed after {delay}s of a {duration:.1f}s run"
    )
