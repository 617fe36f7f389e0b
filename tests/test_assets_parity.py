"""assets/parity.py: the KOOP twin asset and the parity asset with its check, on the sample."""

from __future__ import annotations

import dagster as dg

from assets.parity import koop_xml, parse_parity
from assets.resources import KamerspoorResource
from etl import pipeline
from etl.config import Settings
from etl.replay import ReplayServer
from etl.sample import SAMPLE_API_DIR


def test_parity_assets_materialise_and_the_check_passes_on_the_sample(tmp_path, monkeypatch):
    with ReplayServer(SAMPLE_API_DIR) as replay:
        monkeypatch.setenv("KAMERSPOOR_KOOP_URL", replay.origin)
        monkeypatch.setenv("KAMERSPOOR_PARSE_WORKERS", "1")
        settings = Settings(api_url=replay.base_url, koop_url=replay.origin, data_dir=tmp_path / "data",
                            warehouse_path=tmp_path / "w.duckdb", parse_workers=1)
        pipeline.fetch_metadata(settings)
        pipeline.fetch_letter_files(settings)
        pipeline.parse_letters(settings)
        pipeline.load_warehouse(settings)
        resource = KamerspoorResource(api_url=replay.base_url, data_dir=str(settings.data_dir),
                                      warehouse_path=str(settings.warehouse_path))
        result = dg.materialize([koop_xml, parse_parity], resources={"kamerspoor": resource})
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert [(c.check_name, c.passed) for c in checks] == [("pdf_xml_parity", True)]
    meta = result.asset_materializations_for_node("parse_parity")[0].metadata
    assert meta["parity_compared"].value >= 15 and meta["parity_xml_chosen"].value == 0
