"""The alerts and report assets sit after the snapshot, in the order the data needs."""

from __future__ import annotations

import dagster as dg

from assets.definitions import build_definitions


def test_alerts_and_the_report_both_follow_the_snapshot() -> None:
    graph = build_definitions().resolve_asset_graph()
    deps = {key.to_user_string(): {d.to_user_string() for d in graph.get(key).parent_keys}
            for key in graph.get_all_asset_keys()}
    assert deps["alerts"] == {"analyst_snapshot"}
    assert deps["analyst_report"] == {"analyst_snapshot"}
    job = build_definitions().resolve_job_def("kamerspoor_job")
    assert {"alerts", "analyst_report"} <= {n.name for n in job.nodes}


def test_alerts_write_in_the_one_writer_pool() -> None:
    from assets.report import alerts
    from assets.warehouse import WRITE_POOL

    assert alerts.op.pool == WRITE_POOL
    assert isinstance(alerts, dg.AssetsDefinition)
