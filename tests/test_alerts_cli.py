"""`kamerspoor alerts` and alert derivation on the demo warehouse of the bundled sample."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl.alerts import derive_alerts
from etl.alerts.watch import parse_watch
from etl.load import warehouse
from tests.process_helpers import ROOT


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("alerts_demo")
    env = {**os.environ, "KAMERSPOOR_WATCH": ""}
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "demo", "--quiet", "--warehouse", str(root / "demo.duckdb"),
                           "--data-dir", str(root / "data")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root / "demo.duckdb"


def test_alerts_json_lists_every_kind_the_sample_raises(demo: Path) -> None:
    proc = cli("alerts", "--json", "--warehouse", str(demo))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {r["kind"] for r in rows} == {"new_answer", "nader_answer", "new_delay_notice", "promised_date_moved",
                                         "commitment_overdue", "past_norm_without_notice"}
    assert len({r["alert_key"] for r in rows}) == len(rows)
    assert all(r["delivered"] is None for r in rows), "the packaged watch file has no sinks"


def test_alerts_since_a_later_day_lists_nothing(demo: Path) -> None:
    proc = cli("alerts", "--json", "--since", "2999-01-01", "--warehouse", str(demo))
    assert proc.returncode == 0 and proc.stdout == ""


def test_alerts_on_a_snapshot_from_before_alerts_is_one_line(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "old.snapshot.duckdb"))
    con.execute("CREATE TABLE documents (document_id VARCHAR)")
    con.close()
    proc = cli("alerts", "--warehouse", str(tmp_path / "old.duckdb"))
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "no alerts table" in proc.stderr


def test_a_ministry_watch_raises_only_that_ministrys_alerts_and_only_once(demo: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(demo, db)
    con = warehouse.connect(db)
    try:
        con.execute("DELETE FROM alerts")
        watch = parse_watch('[watch]\nministries = ["Binnenlandse Zaken en Koninkrijksrelaties"]\n', "w.toml")
        first = derive_alerts(con, watch, datetime(2026, 12, 2, 8))
        again = derive_alerts(con, watch, datetime(2026, 12, 3, 8))
        sets = con.execute("SELECT DISTINCT unnest(question_set_numbers) FROM alerts").fetchall()
        seen = con.execute("SELECT DISTINCT first_seen FROM alerts").fetchall()
    finally:
        con.close()
    assert first > 0 and again == 0
    assert sets == [("2026Z01577",)]  # the one set addressed to BZK as well
    assert seen == [(datetime(2026, 12, 2, 8),)]


def test_since_in_the_watch_file_keeps_older_events_out(demo: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(demo, db)
    con = warehouse.connect(db)
    try:
        con.execute("DELETE FROM alerts")
        watch = parse_watch('[watch]\nthemes = ["ict_incidents"]\nsince = 2026-07-01\n', "w.toml")
        derive_alerts(con, watch, datetime(2026, 12, 2, 8))
        kinds = con.execute("SELECT kind, question_set_numbers FROM alerts ORDER BY kind").fetchall()
    finally:
        con.close()
    # Left: the nader answer of July and its moved ICT recovery promise, the open set past the
    # norm (due in November), the promise due end 2026 is not overdue yet; older answers are out.
    assert ("nader_answer", ["2026Z07160"]) in kinds and ("past_norm_without_notice", ["2026Z19034"]) in kinds
    assert ("promised_date_moved", ["2026Z07160"]) in kinds
    assert all(k != "new_delay_notice" for k, _ in kinds)  # the notice of November 2025


def test_a_bad_watch_file_fails_only_the_alerts_step_in_one_line(tmp_path: Path) -> None:
    watch = tmp_path / "watch.toml"
    watch.write_text('[[sink]]\ntype = "pigeon"\n', encoding="utf-8")
    env = {**os.environ, "KAMERSPOOR_WATCH": str(watch)}
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "demo", "--quiet", "--warehouse", str(tmp_path / "demo.duckdb"),
                           "--data-dir", str(tmp_path / "data")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    failed = [line for line in proc.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and failed[0].startswith("FAILED alerts:") and f"{watch}: sink 1: type must be one of" in failed[0]
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "demo.snapshot.duckdb").is_file() and (tmp_path / "demo.report.html").is_file()
