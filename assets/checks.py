"""Asset checks on the warehouse tables, each its own step with a description.

A check reads DuckDB through a read-only connection after the step that wrote its table has
finished, and sits in the writers' pool so it never overlaps a writer in another process.
Blocking checks stop the tables built from theirs (enrichment does not run on broken pairs).
The rules themselves are SQL files in ``warehouse/checks/``.
"""

import time
from datetime import timedelta

import dagster as dg

from assets.resources import KamerspoorResource
from assets.warehouse import WRITE_POOL
from etl import pipeline

# The daily schedule refreshes question_sets every morning; a day and a few hours of slack.
FRESH_FOR = timedelta(hours=26)


def _result(kamerspoor: KamerspoorResource, name: str) -> dg.AssetCheckResult:
    outcome = pipeline.check_warehouse(kamerspoor.settings(), name)
    return dg.AssetCheckResult(
        passed=outcome.passed,
        metadata={"violations": outcome.violations, "examples": ", ".join(outcome.examples) or "none"},
    )


@dg.asset_check(
    asset="answers",
    blocking=True,
    pool=WRITE_POOL,
    description="Every answer letter whose file was loaded has answer blocks, or a parse issue saying why not.",
)
def answer_letters_parsed(kamerspoor: KamerspoorResource) -> dg.AssetCheckResult:
    return _result(kamerspoor, "answer_letters_parsed")


@dg.asset_check(
    asset="qa_pairs",
    blocking=True,
    pool=WRITE_POOL,
    description="Every Q&A pair points at a question of its own set that carries the pair's question number.",
)
def pair_numbers_in_set(kamerspoor: KamerspoorResource) -> dg.AssetCheckResult:
    return _result(kamerspoor, "pair_numbers_in_set")


@dg.asset_check(
    asset="footnotes",
    pool=WRITE_POOL,
    description="No orphan footnotes: each footnote belongs to a loaded document.",
)
def footnotes_have_documents(kamerspoor: KamerspoorResource) -> dg.AssetCheckResult:
    return _result(kamerspoor, "footnotes_have_documents")


@dg.asset_check(
    asset="question_set_links",
    pool=WRITE_POOL,
    description="No orphan links: every question-set link and document reference comes from a loaded document.",
)
def links_have_documents(kamerspoor: KamerspoorResource) -> dg.AssetCheckResult:
    return _result(kamerspoor, "links_have_documents")


@dg.asset_check(
    asset="response_times",
    blocking=True,
    pool=WRITE_POOL,
    description="response_times holds exactly one row per question set: none missing, none doubled.",
)
def one_response_time_per_set(kamerspoor: KamerspoorResource) -> dg.AssetCheckResult:
    return _result(kamerspoor, "one_response_time_per_set")


@dg.asset_check(
    asset="theme_links",
    pool=WRITE_POOL,
    description="Every evidence span (theme links, events, commitments, references, set links) lies inside "
    "the text of the unit it cites.",
)
def evidence_inside_units(kamerspoor: KamerspoorResource) -> dg.AssetCheckResult:
    return _result(kamerspoor, "evidence_inside_units")


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
