"""The Dagster code location loads, wires the five steps in order, and keeps DuckDB to one writer."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import yaml

from assets.definitions import build_definitions, defs
from assets.jobs import daily_recent_window, hourly_incremental
from assets.resources import progress_line

PIPELINE = [
    "question_set_metadata", "letter_files", "parsed_letters", "warehouse_tables", "theme_links", "analyst_snapshot",
]


def test_definitions_load_and_validate():
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("kamerspoor_job")
    assert job.name == "kamerspoor_job"


def test_assets_run_in_pipeline_order_ending_with_the_analyst_snapshot():
    graph = defs.resolve_asset_graph()
    for upstream, downstream in zip(PIPELINE, PIPELINE[1:]):
        parents = {k.to_user_string() for k in graph.get(dg.AssetKey(downstream)).parent_keys}
        assert upstream in parents, f"{downstream} should depend on {upstream}"


def test_every_warehouse_writer_is_in_the_single_writer_pool():
    graph = defs.resolve_asset_graph()
    for key in ("warehouse_tables", "theme_links", "analyst_snapshot"):
        assert graph.get(dg.AssetKey(key)).pools == {"duckdb_write"}
    for key in ("question_set_metadata", "letter_files", "parsed_letters"):
        assert not graph.get(dg.AssetKey(key)).pools, f"{key} must stay parallel (no DuckDB)"


def test_dagster_yaml_limits_the_pool_to_one_and_turns_telemetry_off():
    config = yaml.safe_load(open("dagster.yaml", encoding="utf-8"))
    assert config["telemetry"]["enabled"] is False
    assert config["concurrency"]["pools"]["default_limit"] == 1
    assert config["storage"]["sqlite"]["base_dir"].startswith(".dagster_home")


def test_daily_schedule_resyncs_the_current_month():
    when = datetime(2026, 3, 17, 6, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    context = dg.build_schedule_context(scheduled_execution_time=when)
    request = daily_recent_window(context)
    assert request.partition_key == "2026-03-01"


def test_hourly_schedule_requests_an_incremental_sync():
    when = datetime(2026, 3, 17, 9, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))
    request = hourly_incremental(dg.build_schedule_context(scheduled_execution_time=when))
    assert request.run_config["ops"]["question_set_metadata"]["config"]["incremental"] is True
    assert request.run_key == "incremental-2026-03-17T09"


def test_in_process_definitions_use_the_in_process_executor():
    job = build_definitions(in_process=True).resolve_job_def("kamerspoor_job")
    assert job.executor_def.name == "in_process"


def test_progress_line_shows_a_bar_and_counts():
    assert progress_line("parse", 5, 10, width=10) == "parse     [#####.....] 5/10"
    assert progress_line("fetch", 7, None) == "fetch     7"
