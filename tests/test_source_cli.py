"""`python -m etl.source`: summaries on stdout, exit status that tells what happened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from etl.replay import Faults, ReplayServer
from replay_fixtures.helpers import IDS, SMALL, copy_fixture

ROOT = Path(__file__).resolve().parents[1]


def cli(base_url: str, data_dir: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "etl.source", "--api-url", base_url, "--data-dir", str(data_dir),
           "--read-timeout", "2", "--max-retries", "1", "--backoff-base", "0.01"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_failed_file_is_listed_and_exit_status_is_1(tmp_path):
    with ReplayServer(SMALL, faults=Faults(missing=frozenset({IDS["Q1"]}))) as srv:
        proc = cli(srv.base_url, tmp_path / "data")
    assert proc.returncode == 1, proc.stderr
    assert "question sets  new 5" in proc.stdout and "files: new 8" in proc.stdout
    assert f"FAILED {IDS['Q1']}: HTTP 404" in proc.stdout
    assert f"raw store: {(tmp_path / 'data' / 'raw').resolve()}" in proc.stdout


def test_metadata_failure_is_one_line_on_stderr_and_exit_status_2(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    rows = (fx / "Zaak.json").read_text().replace('"Onderwerp"', '"Omschrijving"')
    (fx / "Zaak.json").write_text(rows)
    with ReplayServer(fx) as srv:
        proc = cli(srv.base_url, tmp_path / "data")
    assert proc.returncode == 2
    assert proc.stderr.startswith("metadata sync failed: expected field 'Onderwerp'")
    assert len(proc.stderr.strip().splitlines()) == 1
