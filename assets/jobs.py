"""The job and the schedules that run it (schedules need `dagster dev` or `dagster-daemon`).

Two ways in, both the same job:
- the daily schedule runs the current month's partition (fetch, parse) and then the single
  writer steps; backfills of past months are asset backfills over the monthly partitions;
- the hourly schedule runs it without a partition and with ``incremental`` config: changes can
  land in any month, so that run is not a month; the sync's cursor lives in the raw store.
Both pin the run's reference date to the tick. Both start RUNNING unless
``KAMERSPOOR_SCHEDULES=off``.
"""


import dagster as dg

from assets.partitions import AMSTERDAM, tick_tags

kamerspoor_job = dg.define_asset_job(
    "kamerspoor_job",
    selection=dg.AssetSelection.all(),
    tags={"warehouse": "duckdb"},
    description="Fetch and parse (per month), then load, enrich and check the DuckDB warehouse.",
)


def build_schedules(running: bool) -> list[dg.ScheduleDefinition]:
    status = dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED

    @dg.schedule(
        job=kamerspoor_job, cron_schedule="0 6 * * *", execution_timezone="Europe/Amsterdam",
        default_status=status,
    )
    def daily_recent_window(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        """Every morning: re-sync the current month, so late answers and changes land the same day."""
        when = context.scheduled_execution_time
        return dg.RunRequest(
            run_key=f"daily-{when:%Y-%m-%d}",
            partition_key=when.astimezone(AMSTERDAM).strftime("%Y-%m-01"),
            tags=tick_tags(when),
        )

    @dg.schedule(
        job=kamerspoor_job, cron_schedule="15 * * * *", execution_timezone="Europe/Amsterdam",
        default_status=status,
    )
    def hourly_incremental(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        """Every hour: pull what changed in any month since the stored cursor (tombstones included)."""
        when = context.scheduled_execution_time
        return dg.RunRequest(
            run_key=f"incremental-{when:%Y-%m-%dT%H}",
            run_config={"ops": {"ingest": {"config": {"incremental": True}}}},
            tags=tick_tags(when),
        )

    return [daily_recent_window, hourly_incremental]
