"""Warehouse assets: DuckDB tables and theme links. Both write, so both sit in the one-writer pool."""


from datetime import date

import dagster as dg

from assets.letters import parsed_letters
from assets.resources import KamerspoorResource
from etl import pipeline

# dagster.yaml limits this pool to one step at a time: DuckDB allows a single writer.
WRITE_POOL = "duckdb_write"


@dg.asset(
    group_name="warehouse",
    kinds={"duckdb"},
    deps=[parsed_letters],
    pool=WRITE_POOL,
    check_specs=[dg.AssetCheckSpec("answers_have_pairs", asset="warehouse_tables")],
    description="Analyst tables: question_sets, documents, questions, answers, qa_pairs, ...",
)
def warehouse_tables(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    summary = pipeline.load_warehouse(kamerspoor.settings(), progress=kamerspoor.progress(context))
    context.log.info(f"load: {summary}")
    pairs = dg.AssetCheckResult(
        check_name="answers_have_pairs",
        # Checked inside the asset: a separate check step would open DuckDB beside the writer.
        passed=summary.counts.get("answers", 0) == 0 or summary.counts.get("qa_pairs", 0) > 0,
        metadata={k: v for k, v in summary.counts.items()},
    )
    return dg.MaterializeResult(metadata={"summary": str(summary), **summary.to_metadata()}, check_results=[pairs])


@dg.asset(
    group_name="warehouse",
    kinds={"duckdb"},
    deps=[warehouse_tables],
    pool=WRITE_POOL,
    description="Themes, theme links, dated events, commitments and references per question and answer.",
)
def theme_links(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    summary = pipeline.link_themes(kamerspoor.settings(), reference_date=date.today())
    context.log.info(f"enrich: {summary}")
    return dg.MaterializeResult(metadata={"summary": str(summary), **summary.to_metadata()})


@dg.asset(
    group_name="warehouse",
    kinds={"duckdb"},
    deps=[theme_links],
    pool=WRITE_POOL,  # it checkpoints the live file, so it must not overlap a writer
    description="Read-only copy of the finished warehouse for analysts (query it while jobs run).",
)
def analyst_snapshot(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    path = pipeline.publish_snapshot(kamerspoor.settings())
    context.log.info(f"snapshot: {path}")
    return dg.MaterializeResult(metadata={"summary": f"snapshot for analysts: {path}", "path": str(path)})
