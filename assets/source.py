"""The raw layer: a month of question sets, their letter files and the letters' parses.

No `from __future__ import annotations` in assets/: Dagster reads the annotations at runtime.
One step produces the three raw assets of a partition, in order: metadata snapshot → files →
parses (each subsettable, e.g. re-parse alone after a parser upgrade); with both files and
parses selected, each file is parsed as soon as it is stored. Their order is the step's
and is not drawn as edges: Dagster cannot run a partitioned asset with a partitioned parent
without a partition (it looks up the parent's partitions for provenance), and the incremental
run, which spans every month, must run unpartitioned. Nothing here opens DuckDB, so partitions
may run in parallel processes or on other machines that share the raw store.
"""


import dagster as dg

from assets.partitions import SyncConfig, backfill_policy, monthly, partitioned, reference_date, run_window
from assets.resources import KamerspoorResource
from etl import pipeline
from etl.window import Window

METADATA = dg.AssetKey("question_set_metadata")
FILES = dg.AssetKey("letter_files")
PARSES = dg.AssetKey("parsed_letters")


@dg.multi_asset(
    name="ingest",
    specs=[
        dg.AssetSpec(
            METADATA, group_name="raw", kinds={"http", "json"}, skippable=True,
            description="Raw metadata snapshot: question sets (Zaak 'Schriftelijke vragen') submitted in the "
            "month, with their documents and actors, merged into the raw store. The incremental run (no "
            "partition) pulls what changed in any month since the stored cursor.",
        ),
        dg.AssetSpec(
            FILES, group_name="raw", kinds={"http", "pdf"}, skippable=True,
            description="The month's letter files (each live document's current file) in the raw store, by sha256; "
            "fetched after question_set_metadata in the same step.",
        ),
        dg.AssetSpec(
            PARSES, group_name="parse", kinds={"python"}, skippable=True,
            description="The month's parsed letters (questions, answers, footnotes, metadata), cached in the raw "
            "store per file hash and parser version; unreadable files are recorded, never fatal. Each file is parsed "
            "as soon as letter_files has stored it, in the same step.",
        ),
    ],
    partitions_def=monthly,
    backfill_policy=backfill_policy,
    can_subset=True,
    description="Fetch a month's metadata and files and parse its letters into the raw store (no DuckDB).",
)
def ingest(context: dg.AssetExecutionContext, config: SyncConfig, kamerspoor: KamerspoorResource):
    settings, progress = kamerspoor.settings(), kamerspoor.progress(context)
    window = run_window(context, config)
    selected = context.selected_asset_keys
    if METADATA in selected:
        # The live contract first (once a day): a renamed field or value stops the run here,
        # with the check-api table, before anything in the raw store is touched.
        report = pipeline.check_api_contract(settings, reference_date(context))
        if report is not None and report.exit_code != 0:
            raise dg.Failure(
                description=(
                    f"check-api: {settings.api_url}: {report.failures[0] if report.failures else 'contract broken'}"
                    f" ({len(report.failures)} problem(s); `kamerspoor check-api` prints the table)\n{report}"
                ),
                metadata={"check_api": str(report), **report.to_metadata()},
            )
        incremental = config.incremental and not partitioned(context)
        summary = pipeline.fetch_metadata(settings, window=window, incremental=incremental, progress=progress)
        yield _result(context, METADATA, "metadata", window, summary)
    # A partition's files and parses follow its question sets; an unpartitioned run takes all.
    scope = window if partitioned(context) else Window()
    if FILES in selected and PARSES in selected:  # each file is parsed as soon as it is stored
        files, parses = pipeline.fetch_and_parse_letters(settings, window=scope, progress=progress)
        yield _result(context, FILES, "files", scope, files)
        yield _result(context, PARSES, "parse", scope, parses)
    elif FILES in selected:
        summary = pipeline.fetch_letter_files(settings, window=scope, progress=progress)
        yield _result(context, FILES, "files", scope, summary)
    elif PARSES in selected:
        summary = pipeline.parse_letters(settings, window=scope, progress=progress)
        yield _result(context, PARSES, "parse", scope, summary)


def _result(context: dg.AssetExecutionContext, key: dg.AssetKey, label: str, window: Window, summary):
    context.log.info(f"{label} {window}: {summary}")
    return dg.MaterializeResult(
        asset_key=key, metadata={"summary": str(summary), "window": str(window), **summary.to_metadata()}
    )
