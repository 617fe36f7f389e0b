"""Analyst-facing outputs after each run: alerts (derived and delivered) and the HTML report."""


import dagster as dg

from assets.resources import KamerspoorResource
from assets.tables import table_metadata
from assets.warehouse import WRITE_POOL, analyst_snapshot
from etl import alerts as alerts_lib
from etl import pipeline
from etl.report import build_report, default_report_path


@dg.asset(
    group_name="analysts",
    kinds={"duckdb"},
    deps=[analyst_snapshot],
    pool=WRITE_POOL,  # writes the alerts table in the live file
    metadata=table_metadata("alerts"),
    description="New alerts on watched themes, sets, ministries and parties, delivered to the watch file's sinks.",
)
def alerts(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    settings = kamerspoor.settings()
    summary = alerts_lib.run_alerts(settings)  # a sink that is down is reported, never raised
    if summary.new or any(summary.delivered.values()):
        pipeline.publish_snapshot(settings)  # readers see the new alerts and delivery stamps
    if summary.errors:
        context.log.warning(f"alert sinks pending: {'; '.join(summary.errors.values())}")
    context.log.info(str(summary))
    rows = pipeline.relation_counts(settings, ("alerts",))["alerts"]
    return dg.MaterializeResult(metadata={"summary": str(summary), "dagster/row_count": rows, **summary.to_metadata()})


@dg.asset(
    group_name="analysts",
    kinds={"html"},
    deps=[analyst_snapshot],  # not on alerts: a broken watch file must not cost the report
    description="The analysts' HTML report (plots and tables, works offline), built from the snapshot.",
)
def analyst_report(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    settings = kamerspoor.settings()
    path = build_report(settings, default_report_path(settings))
    return dg.MaterializeResult(metadata={"summary": f"report: {path}", "path": str(path),
                                          "bytes": path.stat().st_size})
