"""Time in the Dagster layer: monthly partitions, the window a run covers, its reference date.

A run's window comes from its partition (or partition range, for single-run backfills), else
from run config; its reference date (what "overdue" and "days open" are judged against) comes
from the schedule tick that launched it, else from when the run was created, never from the
wall clock while it runs, so a retried or re-executed run judges the same day.
"""

import warnings
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import dagster as dg

from etl.window import Window

# BackfillPolicy on @asset is "beta" in Dagster 1.13; its warning would reach every CLI user.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Monthly windows by submission date for backfills of past years (the record starts in
# September 2008); end_offset=1 makes the current month a partition too.
monthly = dg.MonthlyPartitionsDefinition(start_date="2008-09-01", timezone="Europe/Amsterdam", end_offset=1)

# A backfill of many months runs a year per run: few runs to launch, each one small enough to
# retry, and runs may go to different workers (fetch and parse never touch DuckDB).
backfill_policy = dg.BackfillPolicy.multi_run(max_partitions_per_run=12)

# Set by the schedules (the tick's day) and by the CLI runner; read by the warehouse writers.
REFERENCE_DATE_TAG = "kamerspoor/reference_date"


class SyncConfig(dg.Config):
    """Window for an unpartitioned run; a partitioned run uses its month(s) instead."""

    since: str | None = None  # ISO date, included
    until: str | None = None  # ISO date, excluded
    incremental: bool = False  # changed since the stored cursor (ApiGewijzigdOp), any month


def partitioned(context: dg.AssetExecutionContext) -> bool:
    """A run of one month or of a range of months (a backfill run of up to 12)."""
    return context.has_partition_key or context.has_partition_key_range


def run_window(context: dg.AssetExecutionContext, config: SyncConfig | None = None) -> Window:
    """The days this run covers: its partition (range), narrowed by a configured window."""
    asked = Window.parse(config.since, config.until) if config else Window()
    if not partitioned(context):
        return asked
    span = context.partition_time_window
    start, end = span.start.date(), span.end.date()
    return Window(max(start, asked.start or start), min(end, asked.end or end))


def reference_date(context: dg.AssetExecutionContext) -> date:
    """The day this run judges deadlines on: the tick's (tag), else the run's creation day."""
    tagged = context.run.tags.get(REFERENCE_DATE_TAG)
    if tagged:
        return date.fromisoformat(tagged)
    record = context.instance.get_run_record_by_id(context.run.run_id)
    created = record.create_timestamp if record else datetime.now(timezone.utc)
    return created.astimezone(AMSTERDAM).date()


def tick_tags(when: datetime) -> dict[str, str]:
    """Tags that pin a scheduled run's reference date to its tick (in Amsterdam)."""
    return {REFERENCE_DATE_TAG: when.astimezone(AMSTERDAM).date().isoformat()}
