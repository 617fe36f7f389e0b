"""Run the whole Dagster job in this process (for `kamerspoor demo` and `kamerspoor run`)."""

from datetime import date
from pathlib import Path

import dagster as dg

from assets.definitions import build_definitions
from assets.resources import KamerspoorResource


def run_job(
    *,
    api_url: str,
    data_dir: Path,
    warehouse_path: Path,
    since: date | None = None,
    until: date | None = None,
    incremental: bool = False,
    progress_bar: bool = True,
) -> tuple[bool, list[str]]:
    """Run the whole Dagster job in this process: (succeeded, each step's summary in order)."""
    resource = KamerspoorResource(
        api_url=api_url, data_dir=str(data_dir), warehouse_path=str(warehouse_path), progress_bar=progress_bar
    )
    job = build_definitions(resource, in_process=True).resolve_job_def("kamerspoor_job")
    config = {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "incremental": incremental,
    }
    result = job.execute_in_process(
        run_config={
            "ops": {"question_set_metadata": {"config": config}},
            "loggers": {"console": {"config": {"log_level": "WARNING"}}},
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    return result.success, step_summaries(result)


def step_summaries(result: dg.ExecuteInProcessResult) -> list[str]:
    """The human-readable summary each asset attached to its materialization."""
    out = []
    for event in result.all_events:
        if event.is_step_materialization:
            summary = event.step_materialization_data.materialization.metadata.get("summary")
            if summary is not None:
                out.append(str(summary.value))
    return out
