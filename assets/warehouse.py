"""Warehouse assets: one asset per analyst table and view, written by one step at a time.

Three multi-assets, because one writer fills several tables in one transaction: the load
(metadata, letters and what is derived from them), the enrichment (themes, events,
commitments, references, links) and the views (defined by the DDL; the step records their row
counts). All sit in the ``duckdb_write`` pool, which dagster.yaml limits to one step: DuckDB
allows a single writer per file, and a reader in another process conflicts with it too.
"""


import dagster as dg

from assets.checks import ENRICH_CHECKS, LOAD_CHECKS, check_results
from assets.partitions import reference_date
from assets.resources import KamerspoorResource
from assets.tables import LINEAGE, relation_spec, view_names
from etl import pipeline

# dagster.yaml limits this pool to one step at a time: DuckDB allows a single writer.
WRITE_POOL = "duckdb_write"


def _results(counts: dict[str, int], summary: str | None, extra: dict | None = None):
    """One MaterializeResult per table with its row count; the step summary rides on the first."""
    for i, (name, rows) in enumerate(counts.items()):
        metadata = {"dagster/row_count": rows}
        if i == 0 and summary is not None:
            metadata.update({"summary": summary, **(extra or {})})
        yield dg.MaterializeResult(asset_key=name, metadata=metadata)


@dg.multi_asset(
    name="load_warehouse",
    specs=[relation_spec(name, "warehouse") for name in pipeline.LOADED_TABLES],
    check_specs=LOAD_CHECKS,
    pool=WRITE_POOL,
    description="Load metadata and parsed letters into DuckDB and rebuild what derives from them, then check them.",
)
def load_warehouse(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource):
    summary = pipeline.load_warehouse(
        kamerspoor.settings(), reference_date=reference_date(context), progress=kamerspoor.progress(context)
    )
    context.log.info(f"load: {summary}")
    yield from _results(summary.counts, str(summary), summary.to_metadata())
    yield from check_results(context, kamerspoor, LOAD_CHECKS)  # after the writer's connection is closed


@dg.multi_asset(
    name="enrich_warehouse",
    specs=[relation_spec(name, "enrichment") for name in pipeline.ENRICHED_TABLES],
    check_specs=ENRICH_CHECKS,
    pool=WRITE_POOL,
    description="Enrich the changed letters' text units (themes, dates, commitments, references) in DuckDB, "
    "then check them.",
)
def enrich_warehouse(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource):
    settings = kamerspoor.settings()
    summary = pipeline.link_themes(settings, reference_date=reference_date(context))
    context.log.info(f"enrich: {summary}")
    counts = pipeline.relation_counts(settings, pipeline.ENRICHED_TABLES)
    yield from _results(counts, str(summary), summary.to_metadata())
    yield from check_results(context, kamerspoor, ENRICH_CHECKS)


VIEWS = view_names()


@dg.multi_asset(
    name="analyst_views",
    specs=[relation_spec(name, "views") for name in VIEWS],
    pool=WRITE_POOL,  # a read-only connection must not overlap the writer in another process
    description="Analyst views (defined by the DDL, so always current); records their row counts.",
)
def analyst_views(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource):
    counts = pipeline.relation_counts(kamerspoor.settings(), VIEWS)
    yield from _results(counts, f"{len(counts)} views: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@dg.asset(
    group_name="views",
    kinds={"duckdb"},
    deps=[name for name in LINEAGE if name != "alerts"],  # alerts come after the snapshot
    pool=WRITE_POOL,  # it checkpoints the live file, so it must not overlap a writer
    description="Read-only copy of the finished warehouse for analysts (query it while jobs run).",
)
def analyst_snapshot(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    path = pipeline.publish_snapshot(kamerspoor.settings())
    context.log.info(f"snapshot: {path}")
    return dg.MaterializeResult(metadata={"summary": f"snapshot for analysts: {path}", "path": str(path)})
