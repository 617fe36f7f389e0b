"""The job checks the live contract before it touches the raw store, and a run in which some
request or document failed finishes the rest but says so: one line each and exit code 3."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from etl.cli import EXIT_PARTIAL, main
from etl.replay import Faults, Realism, ReplayServer
from replay_fixtures.helpers import SMALL, copy_fixture, edit_rows

ROOT = Path(__file__).resolve().parents[1]


def test_a_broken_contract_stops_the_job_before_the_raw_store_is_touched(tmp_path, capsys):
    fx = copy_fixture(tmp_path / "api")
    edit_rows(fx, "DocumentVersie", lambda rows: [r.update(ExterneIdentifiers=r.pop("ExterneIdentifier")) for r in rows] and None)
    data = tmp_path / "data"
    with ReplayServer(fx, realism=Realism.strict_live()) as srv:
        code = main(["run", "--api-url", srv.base_url, "--data-dir", str(data),
                     "--warehouse", str(tmp_path / "w.duckdb"), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert "FAILED ingest: check-api:" in err and "ExterneIdentifier" in err
    assert not (data / "raw" / "metadata").exists() and not (tmp_path / "w.duckdb").exists()


def test_a_passing_contract_is_checked_once_a_day(tmp_path):
    data = tmp_path / "data"
    with ReplayServer(SMALL) as srv:
        for _ in range(2):
            assert main(["run", "--api-url", srv.base_url, "--data-dir", str(data),
                         "--warehouse", str(tmp_path / "w.duckdb"), "--quiet"]) == 0
    markers = list((data / "raw" / "contract").glob("*.json"))
    assert len(markers) == 1 and json.loads(markers[0].read_text())["exit_code"] == 0


def test_a_document_that_fails_to_download_is_one_line_and_exit_code_3_even_when_quiet(tmp_path):
    docs = json.loads((SMALL / "DocumentVersie.json").read_text(encoding="utf-8"))
    rows = docs["value"] if isinstance(docs, dict) else docs
    missing = rows[0]["Document_Id"]
    with ReplayServer(SMALL, faults=Faults(missing=frozenset({missing}))) as srv:
        proc = subprocess.run(
            [sys.executable, "-m", "etl.cli", "run", "--api-url", srv.base_url, "--quiet",
             "--data-dir", str(tmp_path / "data"), "--warehouse", str(tmp_path / "w.duckdb")],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
    assert proc.returncode == EXIT_PARTIAL == 3, proc.stderr
    failed = [line for line in proc.stderr.splitlines() if line.startswith("FAILED ITEM letter_files:")]
    assert len(failed) == 1 and missing in failed[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert "question sets:" in proc.stdout  # the rest was loaded
