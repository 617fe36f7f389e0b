"""Jobs and the schedules that run them (schedules need `dagster dev` or `dagster-daemon`)."""


from zoneinfo import ZoneInfo

import dagster as dg



AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The whole pipeline. Partitioned runs sync one month (backfills); unpartitioned runs take the
# window from run config (`kamerspoor run`, the demo) or sync incrementally.
kamerspoor_job = dg.define_asset_job(
    "kamerspoor_job",
    selection=dg.AssetSelection.all(),
    tags={"warehouse": "duckdb"},
    description="Fetch, store, parse, load and enrich Kamervragen.",
)


@dg.schedule(job=kamerspoor_job, cron_schedule="0 6 * * *", execution_timezone="Europe/Amsterdam")
def daily_recent_window(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every morning: re-sync the current month, so late answers and changes land the same day."""
    key = context.scheduled_execution_time.astimezone(AMSTERDAM).strftime("%Y-%m-01")
    return dg.RunRequest(run_key=f"daily-{context.scheduled_execution_time:%Y-%m-%d}", partition_key=key)


@dg.schedule(job=kamerspoor_job, cron_schedule="15 * * * *", execution_timezone="Europe/Amsterdam")
def hourly_incremental(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every hour: pull what changed since the stored cursor (tombstones included)."""
    return dg.RunRequest(
        run_key=f"incremental-{context.scheduled_execution_time:%Y-%m-%dT%H}",
        run_config={"ops": {"question_set_metadata": {"config": {"incremental": True}}}},
    )
