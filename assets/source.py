"""Source assets: question-set metadata and letter files into the raw store.

No `from __future__ import annotations` in assets/: Dagster reads the annotations at runtime.
"""


import dagster as dg

from assets.resources import KamerspoorResource
from etl import pipeline
from etl.window import Window

# Monthly windows for backfills of past years (the record starts in September 2008).
monthly = dg.MonthlyPartitionsDefinition(start_date="2008-09-01", timezone="Europe/Amsterdam", end_offset=1)


class SyncConfig(dg.Config):
    """Window for an unpartitioned run; a partitioned run uses its month instead."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, exclusive
    incremental: bool = False  # changed since the stored cursor (ApiGewijzigdOp)


def _window(context: dg.AssetExecutionContext, config: SyncConfig) -> tuple[Window, bool]:
    if context.has_partition_key:
        window = context.partition_time_window
        return Window(window.start.date(), window.end.date()), False
    return Window.parse(config.since, config.until), config.incremental


@dg.asset(
    group_name="source",
    kinds={"http"},
    partitions_def=monthly,
    description="Question sets (Zaak 'Schriftelijke vragen'), their documents and actors, as raw snapshots.",
)
def question_set_metadata(
    context: dg.AssetExecutionContext, config: SyncConfig, kamerspoor: KamerspoorResource
) -> dg.MaterializeResult:
    window, incremental = _window(context, config)
    summary = pipeline.fetch_metadata(
        kamerspoor.settings(), window=window, incremental=incremental, progress=kamerspoor.progress(context)
    )
    context.log.info(f"metadata: {summary}")
    return dg.MaterializeResult(metadata={"summary": str(summary), **summary.to_metadata()})


@dg.asset(
    group_name="source",
    kinds={"http"},
    deps=[question_set_metadata],
    description="Every live document's current file in the raw store, addressed by sha256.",
)
def letter_files(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    summary = pipeline.fetch_letter_files(kamerspoor.settings(), progress=kamerspoor.progress(context))
    context.log.info(f"files: {summary}")
    return dg.MaterializeResult(metadata={"summary": str(summary), **summary.to_metadata()})
