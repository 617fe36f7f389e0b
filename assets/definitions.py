"""The Dagster code location: `dagster dev` and `dagster job execute -m assets.definitions` load this."""


import dagster as dg

from assets import checks, parity, report, source, warehouse
from assets.jobs import build_schedules, kamerspoor_job
from assets.resources import KamerspoorResource


def build_definitions(resource: KamerspoorResource | None = None, *, in_process: bool = False) -> dg.Definitions:
    """Definitions with the given resource (tests and the demo point it at a replay server).

    The default resource leaves every setting to ``etl.config`` (defaults, then KAMERSPOOR_*).
    """
    resource = resource or KamerspoorResource()  # every field "use Settings" (defaults + env)
    return dg.Definitions(
        assets=dg.load_assets_from_modules([source, warehouse, parity, report]),
        asset_checks=dg.load_asset_checks_from_modules([checks]),
        jobs=[kamerspoor_job],
        schedules=build_schedules(running=resource.settings().schedules),
        resources={"kamerspoor": resource},
        executor=dg.in_process_executor if in_process else None,
    )


defs = build_definitions()
