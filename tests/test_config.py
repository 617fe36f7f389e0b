"""Settings come from one typed place: defaults, then KAMERSPOOR_* variables."""

from pathlib import Path

import pytest

from etl.config import LIVE_API_URL, Settings, from_env


def test_defaults_point_at_the_live_v5_service_and_project_paths():
    settings = from_env({})
    assert settings.api_url == LIVE_API_URL.rstrip("/") and settings.api_url.endswith("/OData/v5")
    assert settings.store_dir == Path("data/raw")
    assert settings.pdf_engine == "pypdfium2"


def test_environment_overrides_each_setting():
    settings = from_env({
        "KAMERSPOOR_API_URL": "http://127.0.0.1:9/OData/v5",
        "KAMERSPOOR_DATA_DIR": "/tmp/ks",
        "KAMERSPOOR_WAREHOUSE": "/tmp/ks/w.duckdb",
        "KAMERSPOOR_PDF_ENGINE": "pdfplumber",
    })
    assert settings.api_url == "http://127.0.0.1:9/OData/v5"
    assert settings.store_dir == Path("/tmp/ks/raw")
    assert settings.warehouse_path == Path("/tmp/ks/w.duckdb")
    assert settings.pdf_engine == "pdfplumber"


def test_an_unknown_pdf_engine_is_refused_naming_the_setting():
    with pytest.raises(ValueError, match="KAMERSPOOR_PDF_ENGINE"):
        Settings(pdf_engine="tesseract")


def test_parse_workers_come_from_the_environment_and_must_be_positive():
    assert from_env({"KAMERSPOOR_PARSE_WORKERS": "3"}).parse_workers == 3
    with pytest.raises(ValueError, match="KAMERSPOOR_PARSE_WORKERS"):
        from_env({"KAMERSPOOR_PARSE_WORKERS": "zero"})
