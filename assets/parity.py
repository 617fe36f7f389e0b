"""KOOP XML twins and PDF/XML parity: the parser's accuracy monitor in production.

Wiring only: the steps are etl.pipeline.fetch_koop_xml and compare_koop_letters. The check runs
inside the parity asset (like answers_have_pairs) so no second step opens DuckDB beside the writer.
"""


import dagster as dg

from assets.partitions import reference_date
from assets.resources import KamerspoorResource
from assets.source import FILES
from assets.tables import table_metadata
from assets.warehouse import WRITE_POOL
from etl import pipeline


@dg.asset(
    group_name="source",
    kinds={"xml"},
    deps=[FILES],
    description="KOOP XML twin (officielebekendmakingen.nl/<id>.xml) of every document with a KOOP id, in the raw store.",
)
def koop_xml(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    result = pipeline.fetch_koop_xml(kamerspoor.settings())
    for line in result.failed:
        context.log.warning(line)
    return dg.MaterializeResult(metadata={
        "summary": result.summary, "stored": len(result.stored), "changed": len(result.changed),
        "failed": len(result.failed),
    })


@dg.asset(
    group_name="warehouse",
    kinds={"duckdb"},
    deps=["documents", "parsed_letters", koop_xml],
    metadata=table_metadata("parse_parity"),
    pool=WRITE_POOL,
    check_specs=[dg.AssetCheckSpec(
        "pdf_xml_parity", asset="parse_parity",
        description="Every letter with a KOOP XML twin parses to the same blocks, numbers, footnotes and "
                    "dates from its PDF and its XML (a warning: the XML's blocks are used where they differ).",
    )],
    description="parse_parity: PDF and KOOP XML parses compared per letter; XML blocks where structures disagree.",
)
def parse_parity(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    settings = kamerspoor.settings()
    summary = pipeline.compare_koop_letters(settings, reference_date=reference_date(context))
    rows = pipeline.relation_counts(settings, ("parse_parity",))["parse_parity"]
    context.log.info(str(summary))
    for line in summary.failures:
        context.log.warning(line)
    check = dg.AssetCheckResult(
        check_name="pdf_xml_parity",
        passed=summary.all_agree,
        severity=dg.AssetCheckSeverity.WARN,  # a disagreement is a finding to look at, not a broken run
        metadata={"share_by_month": summary.line, **summary.to_metadata()},
    )
    return dg.MaterializeResult(
        metadata={"summary": summary.line, "dagster/row_count": rows, **summary.to_metadata()}, check_results=[check]
    )
