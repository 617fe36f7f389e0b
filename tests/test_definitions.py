"""The Dagster code location: assets are the warehouse's relations, checks stand on their own,
partitions and schedules say what time a run covers, and DuckDB keeps one writer."""

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
import yaml

from assets.definitions import build_definitions, defs
from assets.jobs import build_schedules
from assets.partitions import REFERENCE_DATE_TAG, monthly
from assets.resources import KamerspoorResource, progress_line
from assets.tables import LINEAGE
from etl import pipeline
from etl.config import PDF_ENGINES, Settings, from_env
from etl.load.schema import declared_relations
from etl.window import Window

ROOT = Path(__file__).resolve().parents[1]
RAW = ("question_set_metadata", "letter_files", "parsed_letters")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


# Every relation is in the job (PDF/XML parity included, since KOOP follows the API server).
UNWIRED: set[str] = set()


def spec_of(name: str) -> dg.AssetSpec:
    from assets import parity

    specs = parity.parse_parity.specs if name in UNWIRED else defs.resolve_all_asset_specs()
    return next(s for s in specs if s.key == dg.AssetKey(name))


def parents(name: str) -> set[str]:
    return {k.to_user_string() for k in defs.resolve_asset_graph().get(dg.AssetKey(name)).parent_keys}


def test_definitions_load_and_validate():
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("kamerspoor_job").name == "kamerspoor_job"


def test_dagster_definitions_validate_command_passes(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-m", "assets.definitions"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation successful" in done.stdout + done.stderr


@pytest.mark.parametrize("rel", declared_relations(), ids=lambda r: r.name)
def test_every_analyst_relation_is_an_asset_with_its_table_name_and_column_schema(rel):
    spec = spec_of(rel.name)
    assert spec.metadata["dagster/table_name"] == f"main.{rel.name}"
    schema = spec.metadata["dagster/column_schema"]
    assert [(c.name, c.type) for c in schema.columns] == [(c.name, c.type) for c in rel.columns]
    assert [c.description for c in schema.columns] == [c.comment for c in rel.columns]
    assert "duckdb" in spec.kinds


def test_writers_cover_exactly_the_declared_relations():
    views = {r.name for r in declared_relations() if r.kind == "view"}
    tables = {r.name for r in declared_relations() if r.kind == "table"}
    assert set(pipeline.LOADED_TABLES) | set(pipeline.ENRICHED_TABLES) | {"alerts", "parse_parity"} == tables
    assert not set(pipeline.LOADED_TABLES) & set(pipeline.ENRICHED_TABLES)
    graph = defs.resolve_asset_graph()
    materializable = {k.to_user_string() for k in graph.materializable_asset_keys}
    assert materializable == tables | views | set(RAW) | {"koop_xml", "analyst_snapshot", "analyst_report"}


def test_every_declared_relation_has_its_lineage_written_down():
    assert set(LINEAGE) == {r.name for r in declared_relations()}


def test_lineage_follows_the_sql():
    assert {"questions", "answers"} <= parents("qa_pairs")
    assert {"question_sets", "documents"} <= parents("response_times")
    assert {"questions", "answers", "themes"} <= parents("theme_links")
    assert parents("commitments_today") == {"commitments"}
    assert set(RAW) <= parents("documents")
    assert {r.name for r in declared_relations()} - {"alerts"} <= parents("analyst_snapshot")
    assert parents("alerts") == {"analyst_snapshot"}


def test_at_least_six_checks_each_with_a_description():
    checks = list(defs.resolve_asset_graph().asset_check_keys)
    assert len(checks) >= 6
    graph = defs.resolve_asset_graph()
    for key in checks:
        spec = graph.get_check_spec(key)
        assert spec.description and len(spec.description) > 20, key
    assert {k.asset_key.to_user_string() for k in checks} >= {
        "answers", "qa_pairs", "footnotes", "question_set_links", "response_times", "theme_links", "question_sets",
    }


def test_checks_that_guard_downstream_tables_are_blocking():
    graph = defs.resolve_asset_graph()
    blocking = {k.name for k in graph.asset_check_keys if graph.get_check_spec(k).blocking}
    assert {"answer_letters_parsed", "pair_numbers_in_set", "one_response_time_per_set"} <= blocking


def test_raw_assets_are_monthly_partitions_with_a_backfill_policy_and_the_warehouse_spans_them_all():
    graph = defs.resolve_asset_graph()
    for key in RAW:
        node = graph.get(dg.AssetKey(key))
        assert node.partitions_def == monthly
        assert node.backfill_policy is not None and node.backfill_policy.max_partitions_per_run == 12
    for rel in declared_relations():
        if rel.name not in UNWIRED:
            assert graph.get(dg.AssetKey(rel.name)).partitions_def is None  # one warehouse, all months
    assert defs.resolve_job_def("kamerspoor_job").partitions_def == monthly
    assert monthly.get_first_partition_key() == "2008-09-01"


def test_every_duckdb_step_is_in_the_single_writer_pool_and_fetch_parse_are_not():
    graph = defs.resolve_asset_graph()
    for rel in declared_relations():
        if rel.name not in UNWIRED:
            assert graph.get(dg.AssetKey(rel.name)).pools == {"duckdb_write"}, rel.name
    for key in RAW:
        assert not graph.get(dg.AssetKey(key)).pools, f"{key} must stay parallel (no DuckDB)"
    sql_checks = {k for k in graph.asset_check_keys if k.name != "question_sets_fresh"}
    in_writers = set()
    for assets_def in graph.assets_defs:
        if assets_def.check_keys & sql_checks:
            assert assets_def.op.pool == "duckdb_write", assets_def.op.name
            in_writers |= assets_def.check_keys & sql_checks
    assert in_writers == sql_checks  # every data check runs inside a writer step of the pool


def test_dagster_yaml_limits_the_pool_keeps_compute_logs_and_turns_telemetry_off():
    config = yaml.safe_load(open(ROOT / "dagster.yaml", encoding="utf-8"))
    assert config["telemetry"]["enabled"] is False
    assert config["concurrency"]["pools"]["default_limit"] == 1
    assert config["storage"]["sqlite"]["base_dir"].startswith(".dagster_home")
    assert config["compute_logs"]["class"] == "LocalComputeLogManager"
    assert config["compute_logs"]["config"]["base_dir"].startswith(".dagster_home")


def schedule(name: str, running: bool = True) -> dg.ScheduleDefinition:
    return next(s for s in build_schedules(running) if s.name == name)


def test_daily_schedule_is_running_by_default_and_resyncs_the_current_month():
    daily = next(s for s in defs.schedules if s.name == "daily_recent_window")
    assert daily.default_status == dg.DefaultScheduleStatus.RUNNING
    when = datetime(2026, 3, 17, 6, 0, tzinfo=AMSTERDAM)
    request = daily(dg.build_schedule_context(scheduled_execution_time=when))
    assert request.partition_key == "2026-03-01"
    assert request.tags[REFERENCE_DATE_TAG] == "2026-03-17"


def test_schedules_env_var_off_leaves_every_schedule_stopped():
    assert from_env({"KAMERSPOOR_SCHEDULES": "off"}).schedules is False
    assert from_env({}).schedules is True
    with pytest.raises(ValueError, match="KAMERSPOOR_SCHEDULES"):
        from_env({"KAMERSPOOR_SCHEDULES": "sometimes"})
    assert {s.default_status for s in build_schedules(False)} == {dg.DefaultScheduleStatus.STOPPED}


def test_hourly_schedule_requests_an_unpartitioned_incremental_run_dated_by_its_tick():
    when = datetime(2026, 3, 31, 23, 15, tzinfo=AMSTERDAM)
    request = schedule("hourly_incremental")(dg.build_schedule_context(scheduled_execution_time=when))
    assert request.run_config["ops"]["ingest"]["config"]["incremental"] is True
    assert request.partition_key is None
    assert request.run_key == "incremental-2026-03-31T23"
    assert request.tags[REFERENCE_DATE_TAG] == "2026-03-31"  # the Dutch day, not UTC's


def test_month_boundary_ticks_belong_to_the_dutch_month():
    when = datetime(2026, 3, 31, 22, 30, tzinfo=ZoneInfo("UTC"))  # 1 April 00:30 in Amsterdam
    request = schedule("daily_recent_window")(dg.build_schedule_context(scheduled_execution_time=when))
    assert request.partition_key == "2026-04-01"
    assert request.tags[REFERENCE_DATE_TAG] == "2026-04-01"


def test_resource_fields_default_to_settings_and_accept_env_vars(monkeypatch):
    default, other = Settings().pdf_engine, next(e for e in PDF_ENGINES if e != Settings().pdf_engine)
    monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", other)
    monkeypatch.setenv("KAMERSPOOR_WAREHOUSE", "elsewhere/w.duckdb")
    assert KamerspoorResource().settings().pdf_engine == other
    assert KamerspoorResource().settings().warehouse_path == Path("elsewhere/w.duckdb")
    assert KamerspoorResource(pdf_engine=default).settings().pdf_engine == default
    monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", default)
    monkeypatch.setenv("OTHER_ENGINE", other)

    @dg.asset
    def probe(kamerspoor: KamerspoorResource) -> str:
        return kamerspoor.settings().pdf_engine

    result = dg.materialize([probe], resources={"kamerspoor": KamerspoorResource(pdf_engine=dg.EnvVar("OTHER_ENGINE"))})
    assert result.output_for_node("probe") == other


def test_in_process_definitions_use_the_in_process_executor():
    job = build_definitions(in_process=True).resolve_job_def("kamerspoor_job")
    assert job.executor_def.name == "in_process"


def test_progress_line_shows_a_bar_and_counts():
    assert progress_line("parse", 5, 10, width=10) == "parse     [#####.....] 5/10"
    assert progress_line("fetch", 7, None) == "fetch     7"


def test_a_window_is_narrowed_to_the_partition_month():
    from assets.partitions import SyncConfig, run_window

    @dg.asset(partitions_def=monthly)
    def probe(context: dg.AssetExecutionContext) -> str:
        return str(run_window(context, SyncConfig(since="2026-03-10", until="2030-01-01")))

    result = dg.materialize([probe], partition_key="2026-03-01")
    assert result.output_for_node("probe") == str(Window(date(2026, 3, 10), date(2026, 4, 1)))


@pytest.mark.parametrize("name", ["daily_recent_window", "hourly_incremental"])
def test_each_schedule_tick_resolves_against_the_job(name):
    when = datetime(2026, 3, 17, 6, 15, tzinfo=AMSTERDAM)
    context = dg.build_schedule_context(
        scheduled_execution_time=when, repository_def=defs.get_repository_def(), instance=dg.DagsterInstance.ephemeral()
    )
    data = next(s for s in defs.schedules if s.name == name).evaluate_tick(context)
    [request] = data.run_requests
    assert request.tags[REFERENCE_DATE_TAG] == "2026-03-17"
    assert request.partition_key == ("2026-03-01" if name == "daily_recent_window" else None)


def test_a_backfill_run_over_a_range_of_months_covers_exactly_that_range():
    from assets.partitions import run_window

    @dg.asset(partitions_def=monthly)
    def probe(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"window": str(run_window(context))})

    tags = {"dagster/asset_partition_range_start": "2026-01-01", "dagster/asset_partition_range_end": "2026-03-01"}
    result = dg.materialize([probe], tags=tags)
    windows = {m.metadata["window"].value for m in result.asset_materializations_for_node("probe")}
    assert windows == {str(Window(date(2026, 1, 1), date(2026, 4, 1)))}


def test_the_instance_config_loads_and_keeps_compute_logs_in_the_dagster_home(tmp_path, monkeypatch):
    from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager

    (tmp_path / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        manager = instance.compute_log_manager
        assert isinstance(manager, LocalComputeLogManager)
        assert Path(manager._base_dir).resolve() == (tmp_path / ".dagster_home" / "compute_logs").resolve()
