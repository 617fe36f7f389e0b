"""The parse step over hostile files: each is quarantined or refused with its reason in the
parse cache (so it reaches ``parse_issues``), the rest of the sample parses, and the next run
does not try them again."""

from __future__ import annotations

import json
import shutil

from etl import pipeline
from replay_fixtures import edits
from etl.sample import SAMPLE_API_DIR
from tests.test_parse_bounded import dense_pdf, docx_bomb, pdf_bomb
from tests.test_pipeline_parse import fetched

MB = 1024 * 1024


def test_bombs_are_recorded_with_their_reason_and_not_retried(tmp_path):
    fixture = tmp_path / "fx"
    shutil.copytree(SAMPLE_API_DIR, fixture)
    versions = json.loads((fixture / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    ids = [v["Document_Id"] for v in versions if v["Extensie"] == ".pdf"][:3]
    edits.replace_resource(fixture, ids[0], pdf_bomb(256 * MB), ".pdf", "2026-11-01T10:00:00Z")
    edits.replace_resource(fixture, ids[1], docx_bomb(80 * MB), ".docx", "2026-11-01T10:00:00Z")
    edits.replace_resource(fixture, ids[2], dense_pdf(400), ".pdf", "2026-11-01T10:00:00Z")
    settings = fetched(tmp_path, fixture).with_overrides(parse_workers=2)

    summary = pipeline.parse_letters(settings)
    failures = {doc: (code, message) for doc, code, message in summary.failures}
    assert set(failures) == set(ids)
    assert failures[ids[0]][0] == "too_large" and "decompression bomb" in failures[ids[0]][1]
    assert failures[ids[1]][0] == "too_large" and "DOCX part" in failures[ids[1]][1]
    assert failures[ids[2]][0] == "too_large" and "characters" in failures[ids[2]][1]  # 400 dense pages
    assert summary.parsed == 17 and summary.seconds > 0

    again = pipeline.parse_letters(settings)
    assert again.parsed == 0 and again.cached == 17
    assert {doc for doc, _, _ in again.failures} == set(ids)


def test_quarantined_files_reach_parse_issues_and_the_sample_still_loads(tmp_path):
    import duckdb

    fixture = tmp_path / "fx"
    shutil.copytree(SAMPLE_API_DIR, fixture)
    versions = json.loads((fixture / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    victim = [v["Document_Id"] for v in versions if v["Extensie"] == ".pdf"][0]
    edits.replace_resource(fixture, victim, docx_bomb(80 * MB), ".docx", "2026-11-01T10:00:00Z")
    settings = fetched(tmp_path, fixture)
    pipeline.parse_letters(settings)
    pipeline.load_warehouse(settings)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        rows = con.execute(
            "SELECT code, message FROM parse_issues WHERE document_id = ? AND severity = 'error'", [victim]
        ).fetchall()
        parsed = con.execute("SELECT count(*) FROM documents WHERE parse_status LIKE 'parsed%'").fetchone()[0]
    finally:
        con.close()
    assert rows and rows[0][0] == "too_large" and "DOCX part" in rows[0][1]
    assert parsed == 16  # every other letter of the sample
