"""Fixtures shared across test modules."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    """A directory laid out as the Quick start leaves the project: the real job run on the
    bundled sample through the local replay, writing ``warehouse/demo.duckdb`` and publishing
    ``warehouse/demo.snapshot.duckdb``. Built once per session; tests only read it."""
    from assets.runner import run_job
    from etl.replay import ReplayServer
    from etl.sample import SAMPLE_API_DIR

    root = tmp_path_factory.mktemp("quickstart")
    with ReplayServer(SAMPLE_API_DIR) as replay:
        ok, summaries = run_job(
            api_url=replay.base_url,
            data_dir=root / "data" / "demo",
            warehouse_path=root / "warehouse" / "demo.duckdb",
            progress_bar=False,
        )
    assert ok, summaries
    assert (root / "warehouse" / "demo.snapshot.duckdb").is_file()
    return root
