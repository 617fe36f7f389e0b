"""Run the whole Dagster job in this process (for `kamerspoor demo` and `kamerspoor run`)."""

import dagster as dg

from assets.definitions import build_definitions
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
) -> tuple[bool, list[str]]:
    """Run the whole Dagster job in this process with exactly these ``settings``.

    Returns whether it succeeded and one line per step: its summary, or for a failed step the
    error in one line (Dagster's own log, with stack traces, shows at ``log_level`` and above).
    """
    resource = KamerspoorResource.from_settings(settings, progress_bar=progress_bar)
    job = build_definitions(resource, in_process=True).resolve_job_def("kamerspoor_job")
    config = {
        "since": window.start.isoformat() if window.start else None,
        "until": window.end.isoformat() if window.end else None,
        "incremental": incremental,
    }
    result = job.execute_in_process(
        run_config={
            "ops": {"question_set_metadata": {"config": config}},
            "loggers": {"console": {"config": {"log_level": log_level}}},
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    return result.success, step_summaries(result)


def step_summaries(result: dg.ExecuteInProcessResult) -> list[str]:
    """The summary each asset attached to its materialization, and each failed step's error."""
    out = []
    for event in result.all_events:
        if event.is_step_materialization:
            summary = event.step_materialization_data.materialization.metadata.get("summary")
            if summary is not None:
                out.append(str(summary.value))
        elif event.is_step_failure:
            error = event.step_failure_data.error
            root = error.cause or error
            message = root.message.strip().splitlines()[0] if root.message.strip() else root.cls_name
            out.append(f"FAILED {event.step_key}: {message}")
    return out
