"""The whole job against the replay in strict live mode (issue 10, "Done when")."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from assets.runner import run_job
from etl.config import Settings
from etl.replay import Realism, ReplayServer
from etl.sample import SAMPLE_API_DIR
from replay_fixtures import edits
from tests.warehouse_hash import analyst_hashes

STRICT = Realism.strict_live(slow_500_seconds=0.05)


def build(root, fixture, realism, **kw):
    with ReplayServer(fixture, page_size=3, realism=realism) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=root / "data", warehouse_path=root / "kamerspoor.duckdb")
        ok, summaries = run_job(settings, progress_bar=False, **kw)
    assert ok, summaries
    return root / "kamerspoor.duckdb"


@pytest.fixture(scope="module")
def strict_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("strict")
    fixture = shutil.copytree(SAMPLE_API_DIR, root / "api")
    return root, fixture, build(root, fixture, STRICT)


def test_strict_live_job_equals_a_default_mode_job(strict_run, tmp_path):
    _, _, strict = strict_run
    default = build(tmp_path, SAMPLE_API_DIR, None)
    assert analyst_hashes(strict) == analyst_hashes(default)


def test_answer_tombstoned_without_api_changed_leaves_the_analyst_tables(strict_run):
    root, fixture, warehouse = strict_run
    con = duckdb.connect(str(warehouse), read_only=True)
    answer, pairs = con.execute(
        "SELECT answer_document_id, count(*) FROM qa_pairs GROUP BY 1 ORDER BY 2 DESC LIMIT 1").fetchone()
    con.close()
    assert pairs > 0
    edits.tombstone(fixture, "Document", answer, "2026-12-01T10:00:00Z")
    build(root, fixture, STRICT, incremental=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM qa_pairs WHERE answer_document_id = ?", [answer]).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM documents WHERE document_id = ?", [answer]).fetchone()[0] == 0
    finally:
        con.close()
