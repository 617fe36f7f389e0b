"""Asset checks on the warehouse tables, each with a description.

The data checks run in the step that wrote their tables, right after the write, through one
read-only connection: a step of their own each cost more than the check (start-up, a
connection) on a run that changed nothing. Blocking checks fail that step when they fail, so
the tables built from theirs are not built (enrichment does not run on broken pairs). The
rules themselves are SQL files in ``warehouse/checks/``. Freshness is about the clock, not the
data, and stays a check of its own.
"""

import time
from collections.abc import Iterator, Sequence
from datetime import timedelta

import dagster as dg

from assets.resources import KamerspoorResource
from etl import pipeline

# The daily schedule refreshes question_sets every morning; a day and a few hours of slack.
FRESH_FOR = timedelta(hours=26)

#: Checked by the load step (assets/warehouse.py: load_warehouse).
LOAD_CHECKS = (
    dg.AssetCheckSpec(
        "answer_letters_parsed", asset="answers", blocking=True,
        description="Every answer letter whose file was loaded has answer blocks, or a parse issue saying why not.",
    ),
    dg.AssetCheckSpec(
        "pair_numbers_in_set", asset="qa_pairs", blocking=True,
        description="Every Q&A pair points at a question of its own set that carries the pair's question number.",
    ),
    dg.AssetCheckSpec(
        "footnotes_have_documents", asset="footnotes",
        description="No orphan footnotes: each footnote belongs to a loaded document.",
    ),
    dg.AssetCheckSpec(
        "one_response_time_per_set", asset="response_times", blocking=True,
        description="response_times holds exactly one row per question set: none missing, none doubled.",
    ),
)

#: Checked by the enrichment step (assets/warehouse.py: enrich_warehouse).
ENRICH_CHECKS = (
    dg.AssetCheckSpec(
        "links_have_documents", asset="question_set_links",
        description="No orphan links: every question-set link and document reference comes from a loaded document.",
    ),
    dg.AssetCheckSpec(
        "evidence_inside_units", asset="theme_links",
        description="Every evidence span (theme links, events, commitments, references, set links) lies inside "
        "the text of the unit it cites.",
    ),
)


def check_results(
    context: dg.AssetExecutionContext, kamerspoor: KamerspoorResource, specs: Sequence[dg.AssetCheckSpec]
) -> Iterator[dg.AssetCheckResult]:
    """The result of each check in ``specs`` that the run selected (its SQL in
    warehouse/checks/<name>.sql)."""
    selected = context.selected_asset_check_keys
    specs = [spec for spec in specs if spec.key in selected]
    if not specs:
        return
    outcomes = pipeline.check_warehouse(kamerspoor.settings(), [spec.name for spec in specs])
    for spec, outcome in zip(specs, outcomes):
        yield dg.AssetCheckResult(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=outcome.passed,
            metadata={"violations": outcome.violations, "examples": ", ".join(outcome.examples) or "none"},
        )


@dg.asset_check(
    asset="question_sets",
    description=f"question_sets was refreshed within {FRESH_FOR} (the daily schedule's period plus slack).",
)
def question_sets_fresh(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    # Freshness is about the clock by nature: how long ago the last load happened.
    event = context.instance.get_latest_materialization_event(dg.AssetKey("question_sets"))
    age = None if event is None else time.time() - event.timestamp
    return dg.AssetCheckResult(
        passed=age is not None and age <= FRESH_FOR.total_seconds(),
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"age_hours": round(age / 3600, 2) if age is not None else -1.0},
    )
