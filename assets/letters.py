"""Parse assets: letter files into question/answer structure (cached per file hash and parser version)."""


import dagster as dg

from assets.resources import KamerspoorResource
from assets.source import letter_files
from etl import pipeline


@dg.asset(
    group_name="parse",
    kinds={"python"},
    deps=[letter_files],
    check_specs=[dg.AssetCheckSpec("all_files_readable", asset="parsed_letters")],
    description="Parsed letters (questions, answers, footnotes, metadata) cached in the raw store.",
)
def parsed_letters(context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource) -> dg.MaterializeResult:
    summary = pipeline.parse_letters(kamerspoor.settings(), progress=kamerspoor.progress(context))
    context.log.info(f"parse: {summary}")
    readable = dg.AssetCheckResult(
        check_name="all_files_readable",
        passed=not summary.failures,
        severity=dg.AssetCheckSeverity.WARN,  # a bad file is recorded in parse_issues, not fatal
        metadata={"failed": len(summary.failures)},
    )
    return dg.MaterializeResult(metadata={"summary": str(summary), **summary.to_metadata()}, check_results=[readable])
