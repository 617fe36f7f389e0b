"""The Dagster code location: `dagster dev` and `dagster job execute -m assets.definitions` load this."""


import dagster as dg

from assets import letters, report, source, warehouse
from assets.jobs import daily_recent_window, hourly_incremental, kamerspoor_job
from assets.resources import KamerspoorResource


def build_definitions(resource: KamerspoorResource | None = None, *, in_process: bool = False) -> dg.Definitions:
    """Definitions with the given resource (tests and the demo point it at a replay server)."""
    resource = resource or KamerspoorResource()  # every field "use Settings" (defaults + env)
    return dg.Definitions(
        assets=dg.load_assets_from_modules([source, letters, warehouse, report]),
        asset_checks=dg.load_asset_checks_from_modules([source, letters, warehouse, report]),
        jobs=[kamerspoor_job],
        schedules=[daily_recent_window, hourly_incremental],
        resources={"kamerspoor": resource},
        executor=dg.in_process_executor if in_process else None,
    )


defs = build_definitions()
