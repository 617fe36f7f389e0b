"""SIGKILL at a random point, run again: the store converges to the fault-free state.

The sync runs as a real subprocess (``python -m etl.source``) against the replay server over
127.0.0.1, with latency per request (0.1 s for the timed kills: the replay answers in well under
a millisecond, so without it a run is over before a kill lands). The delay is random
and printed in the assertion message, so a failure can be replayed.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pytest

from etl.replay import Faults, Realism, ReplayServer
from replay_fixtures import edits
from etl.store import RawStore
from replay_fixtures.helpers import IDS, SMALL, copy_fixture
from tests.process_helpers import kill_after, kill_when, run_to_end



def sync_cmd(base_url: str, data_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "etl.source", "--api-url", base_url, "--data-dir", str(data_dir),
            "--read-timeout", "2", "--max-retries", "2", "--backoff-base", "0.01", "--concurrency", "2", *extra]


def digest(data_dir: Path) -> str:
    return RawStore(data_dir / "raw").state_digest()


MODES = {"default": None, "strict live": Realism.strict_live(slow_500_seconds=0.05)}


@pytest.fixture(scope="module", params=list(MODES))
def slow_server(request):
    with ReplayServer(SMALL, page_size=1, faults=Faults(latency=0.1), realism=MODES[request.param]) as srv:
        yield srv


def test_sigkill_during_a_window_sync_then_rerun_converges(tmp_path, slow_server):
    ref_dir = tmp_path / "ref"
    duration = run_to_end(sync_cmd(slow_server.base_url, ref_dir))
    reference = digest(ref_dir)
    rng = random.Random()
    kills = []
    for n in range(2):
        data = tmp_path / f"killed{n}"
        delays = [round(rng.uniform(0.05, 0.95) * duration, 3) for _ in range(1 + n % 2)]  # one or two kills
        hit = [kill_after(sync_cmd(slow_server.base_url, data), d) for d in delays]
        run_to_end(sync_cmd(slow_server.base_url, data))
        kills.append((delays, hit))
        assert digest(data) == reference, f"kill delays {delays} (run took {duration:.2f}s)"
        docs = RawStore(data / "raw").documents()
        assert len(docs) == len({d.id for d in docs}) == 9
    assert any(any(hit) for _, hit in kills), f"no kill landed mid-run: {kills}"


@pytest.mark.parametrize("mode", list(MODES))
def test_sigkill_during_an_incremental_sync_then_rerun_converges(tmp_path, mode):
    fx = copy_fixture(tmp_path / "fx")
    with ReplayServer(fx, page_size=1, faults=Faults(latency=0.03), realism=MODES[mode]) as srv:
        base = tmp_path / "base"
        run_to_end(sync_cmd(srv.base_url, base))
        # the API changes: a new file for A1, a tombstone for D1
        new = b"%PDF-1.7\n% nieuwe versie\n%%EOF\n"
        edits.replace_resource(fx, IDS["A1"], new, ".pdf", "2026-03-01T10:00:00Z")
        edits.tombstone(fx, "Document", IDS["D1"], "2026-03-01T10:00:01Z")
        ref = tmp_path / "ref"
        shutil.copytree(base, ref)
        before = len(srv.request_log)
        run_to_end(sync_cmd(srv.base_url, ref, "--incremental"))
        requests = len(srv.request_log) - before
        reference = digest(ref)
        assert reference != digest(base) and requests > 1
        killed = tmp_path / "killed"
        shutil.copytree(base, killed)
        start, n = len(srv.request_log), random.randrange(1, requests)  # work remains after n
        was_running = kill_when(sync_cmd(srv.base_url, killed, "--incremental"),
                                lambda: len(srv.request_log) - start >= n)
        assert was_running, f"the sync ended before its request {n} of {requests}"
        run_to_end(sync_cmd(srv.base_url, killed, "--incremental"))
    assert digest(killed) == reference, f"killed after {n} of {requests} requests"
    store = RawStore(killed / "raw")
    assert IDS["D1"] in store.deleted_document_ids()
    assert len(store.file_versions(IDS["A1"])) == 2
    # in strict live mode the tombstone has no ApiGewijzigdOp (the sweep found it), so the
    # newest change seen is the new file's
    expected = "2026-03-01T10:00:01Z" if mode == "default" else "2026-03-01T10:00:00Z"
    assert store.get_state("sync_cursor") == expected
