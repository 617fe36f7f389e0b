"""Run the whole Dagster job in this process (for `kamerspoor demo` and `kamerspoor run`)."""

from datetime import date

import dagster as dg

from assets.definitions import build_definitions
from assets.partitions import REFERENCE_DATE_TAG
from assets.resources import KamerspoorResource
from etl.config import Settings
from etl.window import Window


def run_job(
    settings: Settings,
    *,
    window: Window = Window(),
    incremental: bool = False,
    progress_bar: bool = True,
    log_level: str = "CRITICAL",
    reference_date: date | None = None,
    instance: dg.DagsterInstance | None = None,
) -> tuple[bool, list[str]]:
    """Run the whole Dagster job in this process with exactly these ``settings``.

    Returns whether it succeeded and one line per step: its summary, or for a failed step the
    error in one line (Dagster's own log, with stack traces, shows at ``log_level`` and above).
    ``reference_date`` (default: today, read here at the edge) is what deadlines are judged on;
    ``instance`` keeps the run's events (default: a throwaway in-memory instance).
    """
    resource = KamerspoorResource.from_settings(settings, progress_bar=progress_bar)
    job = build_definitions(resource, in_process=True).resolve_job_def("kamerspoor_job")
    config = {
        "since": window.start.isoformat() if window.start else None,
        "until": window.end.isoformat() if window.end else None,
        "incremental": incremental,
    }
    instance = instance or dg.DagsterInstance.ephemeral()
    result = job.execute_in_process(
        run_config={
            "ops": {"ingest": {"config": config}},
            "loggers": {"console": {"config": {"log_level": log_level}}},
        },
        instance=instance,
        tags={REFERENCE_DATE_TAG: (reference_date or date.today()).isoformat()},
        raise_on_error=False,
    )
    return result.success, step_summaries(_timed_events(instance, result))


#: How a failed request, chunk or document of a step that otherwise finished is reported.
PARTIAL = "FAILED ITEM"
#: The steps whose failures are requests that the next run must try again.
FETCH_STEPS = ("question_set_metadata", "letter_files")


def _timed_events(instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult) -> list[tuple]:
    """The run's Dagster events with their timestamps (from the instance's event log)."""
    timed = [(e.dagster_event, e.timestamp) for e in instance.all_logs(result.run_id) if e.dagster_event is not None]
    return timed or [(event, None) for event in result.all_events]


def step_summaries(events: list[tuple]) -> list[str]:
    """The summary each asset attached to its materialization, and each failed step's error.

    ``events`` are (Dagster event, timestamp or None). Each summary ends with the seconds its
    work took: from the step's start, or from the step's previous summary (one step may do
    several things in turn, e.g. ingest: metadata, then files, then parses), so every step
    reports its own time.
    """
    out = []
    since: dict[str, float] = {}  # step key -> when its current piece of work began
    for event, when in events:
        if event.is_step_start and when is not None:
            since[event.step_key] = when
        if event.is_step_materialization:
            materialization = event.step_materialization_data.materialization
            summary = materialization.metadata.get("summary")
            if summary is not None:
                began = since.get(event.step_key)
                took = f" [{when - began:.1f} s]" if when is not None and began is not None else ""
                if when is not None:
                    since[event.step_key] = when
                out.append(f"{summary.value}{took}")
            failures = materialization.metadata.get("failures")
            if materialization.asset_key.to_user_string() not in FETCH_STEPS:
                failures = None  # an unreadable letter is a parse issue in the warehouse, not a failed run
            for line in (failures.value if failures is not None else None) or []:
                out.append(f"{PARTIAL} {materialization.asset_key.to_user_string()}: {line}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            check = event.event_specific_data
            if not check.passed:
                violations = check.metadata.get("violations")
                detail = f": {violations.value} rows break it" if violations is not None else ""
                out.append(f"CHECK FAILED {check.asset_key.to_user_string()}.{check.check_name}{detail}")
        elif event.is_step_failure:
            error = event.step_failure_data.error
            root = error.cause or error
            message = root.message.strip().splitlines()[0] if root.message.strip() else root.cls_name
            message = message.removeprefix("dagster._core.definitions.events.Failure: ")  # our own words
            out.append(f"FAILED {event.step_key}: {message}")
    return out
