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
) -> bool:
    """Run the whole Dagster job in this process; returns whether it succeeded."""
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
    return result.success
