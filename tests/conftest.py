"""Fixtures every test file may use: the real corpus, the bundled sample, a running replay of
the sample, and a warehouse built from it by the whole job.

Paths that live outside the project (``../shared/corpus``) fail loudly when missing; nothing is
skipped. Heavier fixtures are session-scoped and must be treated as read-only by tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from etl.sample import SAMPLE_API_DIR

ROOT = Path(__file__).resolve().parents[1]


def find_corpus() -> Path:
    """``$KAMERSPOOR_CORPUS`` or ``../shared/corpus`` next to the project; must hold letters."""
    env = os.environ.get("KAMERSPOOR_CORPUS")
    path = (Path(env) if env else ROOT / ".." / "shared" / "corpus").resolve()
    assert path.is_dir() and any(path.glob("*.json")), (
        f"gold corpus not found at {path}: set KAMERSPOOR_CORPUS or provide ../shared/corpus"
    )
    return path


def sample_file(koop_id: str) -> Path:
    """The bundled file of the document published as ``koop_id`` (found via DocumentVersie)."""
    versions = json.loads((SAMPLE_API_DIR / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    doc_id = next(v["Document_Id"] for v in versions if v["ExterneIdentifier"] == koop_id)
    return next((SAMPLE_API_DIR / "resources").glob(f"{doc_id}.*"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real published letters with gold labels (read at test time, never copied)."""
    return find_corpus()


@pytest.fixture(scope="session")
def sample_api_dir() -> Path:
    """The bundled sample in the replay's fixture format (written by us)."""
    return SAMPLE_API_DIR


@pytest.fixture(scope="session")
def sample_pdf() -> Path:
    """One bundled ministry letter as a PDF (cover page, sidebar, annex)."""
    return sample_file("ah-tk-20252026-38")


@pytest.fixture()
def sample_replay(sample_api_dir):
    """A replay of the sample on 127.0.0.1 with small pages (so paging is exercised)."""
    from etl.replay import ReplayServer

    with ReplayServer(sample_api_dir, page_size=3) as replay:
        yield replay


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, sample_api_dir) -> Path:
    """A DuckDB warehouse built from the sample by the whole Dagster job; open it read-only."""
    from assets.runner import run_job
    from etl.config import Settings
    from etl.replay import ReplayServer

    root = tmp_path_factory.mktemp("sample-warehouse")
    with ReplayServer(sample_api_dir) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=root / "data", warehouse_path=root / "kamerspoor.duckdb")
        ok, summaries = run_job(settings, progress_bar=False)
    assert ok, summaries
    return settings.warehouse_path
