"""The Dagster definitions run for real against the replay of our sample (127.0.0.1 only):
the instance records a row count on every table asset and a passing result for every check;
settings from the environment reach the steps; partitions fetch and parse in separate
processes before one load."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.resources import KamerspoorResource
from assets.runner import run_job
from etl.config import PDF_ENGINES, Settings
from etl.load.schema import declared_relations
from etl.load.warehouse import connect
from etl.replay import ReplayServer
from etl.sample import SAMPLE_API_DIR

ROOT = Path(__file__).resolve().parents[1]
# The engine that is not the default, so only the environment can have chosen it.
OTHER_ENGINE = next(e for e in PDF_ENGINES if e != Settings().pdf_engine)
RAW = [dg.AssetKey(k) for k in ("question_set_metadata", "letter_files", "parsed_letters")]


@pytest.fixture(scope="module")
def demo_instance(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    instance = dg.DagsterInstance.ephemeral()
    with ReplayServer(SAMPLE_API_DIR) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=root / "data", warehouse_path=root / "w.duckdb")
        ok, summaries = run_job(
            settings, progress_bar=False, reference_date=date(2026, 11, 1), instance=instance,
        )
    assert ok, summaries
    return instance, summaries


@pytest.mark.parametrize("rel", [r.name for r in declared_relations()])
def test_after_the_demo_every_table_asset_shows_its_row_count(demo_instance, rel):
    instance, _ = demo_instance
    event = instance.get_latest_materialization_event(dg.AssetKey(rel))
    assert event is not None, f"{rel} was not materialized"
    rows = event.asset_materialization.metadata["dagster/row_count"].value
    assert isinstance(rows, int) and rows >= 0
    if rel in ("question_sets", "documents", "questions", "answers", "qa_pairs", "theme_links", "commitments"):
        assert rows > 0, f"the sample fills {rel}"


def test_after_the_demo_every_check_ran_and_passed(demo_instance):
    instance, _ = demo_instance
    graph = build_definitions().resolve_asset_graph()
    for key in graph.asset_check_keys:
        records = instance.event_log_storage.get_asset_check_execution_history(key, limit=1)
        assert records, f"{key.to_user_string()} did not run"
        evaluation = records[0].event.dagster_event.event_specific_data
        assert evaluation.passed, f"{key.to_user_string()} failed: {evaluation.metadata}"


def test_the_demo_keeps_one_summary_line_per_step(demo_instance):
    _, summaries = demo_instance
    assert any(s.startswith("parsed 17,") for s in summaries), summaries
    assert any(" loaded, " in s and "documents" in s for s in summaries), summaries
    assert any("theme links" in s for s in summaries)
    assert not any(s.startswith(("FAILED", "CHECK FAILED")) for s in summaries)


def test_every_step_summary_ends_with_the_seconds_its_work_took(demo_instance):
    """From the events' timestamps: a step's start, or its previous summary (ingest does three
    things in turn), to the summary; together they cover the run."""
    import re

    _, summaries = demo_instance
    timed = [re.search(r" \[(\d+\.\d) s\]$", s) for s in summaries]
    assert all(timed), [s for s, t in zip(summaries, timed) if not t]
    seconds = [float(t.group(1)) for t in timed]
    assert sum(seconds) > 0.5 and all(x < 600 for x in seconds)
    parse = next(x for s, x in zip(summaries, seconds) if s.startswith("parsed 17,"))
    assert parse < sum(seconds)


def test_the_reference_date_comes_from_the_run_not_the_clock(demo_instance):
    instance, _ = demo_instance
    event = instance.get_latest_materialization_event(dg.AssetKey("response_times"))
    run = instance.get_run_by_id(event.run_id)
    assert run.tags["kamerspoor/reference_date"] == "2026-11-01"


def test_kamerspoor_pdf_engine_reaches_the_parse_step_through_the_definitions(tmp_path, monkeypatch):
    with ReplayServer(SAMPLE_API_DIR) as replay:
        monkeypatch.setenv("KAMERSPOOR_API_URL", replay.base_url)
        monkeypatch.setenv("KAMERSPOOR_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("KAMERSPOOR_WAREHOUSE", str(tmp_path / "w.duckdb"))
        monkeypatch.setenv("KAMERSPOOR_PARSE_WORKERS", "1")
        monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", OTHER_ENGINE)
        job = build_definitions(in_process=True).resolve_job_def("kamerspoor_job")
        result = job.execute_in_process(asset_selection=RAW, instance=dg.DagsterInstance.ephemeral())
    assert result.success
    [parsed] = [m for m in result.asset_materializations_for_node("ingest") if m.asset_key == RAW[2]]
    assert parsed.metadata["pdf_engine"].value == OTHER_ENGINE
    assert parsed.metadata["parsed"].value == 17
    assert not (tmp_path / "w.duckdb").exists(), "fetch and parse must not open DuckDB"


PARTITION_RUN = """
import sys, dagster as dg
from assets.definitions import build_definitions
from assets.resources import KamerspoorResource
from assets.resources import KamerspoorResource
api, data, warehouse, month = sys.argv[1:]
resource = KamerspoorResource(api_url=api, data_dir=data, warehouse_path=warehouse, parse_workers=1)
job = build_definitions(resource, in_process=True).resolve_job_def("kamerspoor_job")
keys = [dg.AssetKey(k) for k in ("question_set_metadata", "letter_files", "parsed_letters")]
result = job.execute_in_process(partition_key=month, asset_selection=keys, instance=dg.DagsterInstance.ephemeral())
sys.exit(0 if result.success else 1)
"""


def test_two_partitions_fetch_and_parse_in_separate_processes_before_one_load(tmp_path):
    data, warehouse = tmp_path / "data", tmp_path / "w.duckdb"
    months = {"2025-10-01": 2, "2026-01-01": 1}  # question sets the sample has in each month
    with ReplayServer(SAMPLE_API_DIR) as replay:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", PARTITION_RUN, replay.base_url, str(data), str(warehouse), month],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            for month in months
        ]
        outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert not warehouse.exists(), "fetch and parse must not open DuckDB"

    resource_defs = build_definitions(
        KamerspoorResource(api_url="http://127.0.0.1:9/unused", data_dir=str(data), warehouse_path=str(warehouse)),
        in_process=True,
    )
    load = [dg.AssetKey(r.name) for r in declared_relations() if r.name not in ("parse_parity", "alerts")]
    result = resource_defs.resolve_job_def("kamerspoor_job").execute_in_process(
        asset_selection=load, instance=dg.DagsterInstance.ephemeral(), tags={"kamerspoor/reference_date": "2026-11-01"}
    )
    assert result.success
    con = connect(warehouse, read_only=True)
    try:
        per_month = dict(con.execute(
            "SELECT strftime(date_trunc('month', submitted_on), '%Y-%m-%d'), count(*) FROM question_sets GROUP BY 1"
        ).fetchall())
        answered = con.execute("SELECT count(DISTINCT question_set_id) FROM answers").fetchone()[0]
    finally:
        con.close()
    assert per_month == months
    assert answered >= 2, json.dumps(per_month)


def test_a_failing_blocking_check_stops_the_tables_built_from_it(tmp_path, monkeypatch):
    """The load step checks its tables; a broken pair rule fails that step, so enrichment (and
    what follows it) does not run on broken pairs, and the CLI summary says which check."""
    from etl import pipeline
    from etl.load.checks import CheckOutcome

    real = pipeline.check_warehouse

    def pairs_broken(settings, names):
        return [CheckOutcome(o.name, 3, ("qa 1", "qa 2")) if o.name == "pair_numbers_in_set" else o
                for o in real(settings, names)]

    monkeypatch.setattr(pipeline, "check_warehouse", pairs_broken)
    instance = dg.DagsterInstance.ephemeral()
    with ReplayServer(SAMPLE_API_DIR) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=tmp_path / "data", warehouse_path=tmp_path / "w.duckdb")
        ok, summaries = run_job(settings, progress_bar=False, instance=instance)
    assert not ok
    assert "CHECK FAILED qa_pairs.pair_numbers_in_set: 3 rows break it" in summaries
    assert any(s.startswith("FAILED load_warehouse") for s in summaries), summaries
    assert instance.get_latest_materialization_event(dg.AssetKey("qa_pairs")) is not None  # loaded, then checked
    assert instance.get_latest_materialization_event(dg.AssetKey("theme_links")) is None  # never built
