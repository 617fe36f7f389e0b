"""The parity step end to end on the sample: fetch KOOP twins through the replay, compare with
the parsed TK files, keep one `parse_parity` row per letter, take the XML's blocks only when the
structures disagree, and report the per-month share of agreeing letters."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from etl.config import Settings
from etl.replay import ReplayServer
from etl.sample import SAMPLE_API_DIR

EDITED = "ah-tk-20252026-905"  # structure broken in the XML: its last answer is dropped
WORDING = "ah-tk-20252026-1790"  # text changed in the XML: same structure, other words


def _edit_twins(fixture: Path) -> None:
    twin = fixture / "koop" / f"{EDITED}.xml"
    text = twin.read_text(encoding="utf-8")
    last = text.rindex("    <antwoord>")
    end = text.index("</antwoord>", last) + len("</antwoord>\n")
    twin.write_text(text[:last] + text[end:], encoding="utf-8")
    twin = fixture / "koop" / f"{WORDING}.xml"
    text = twin.read_text(encoding="utf-8")
    start = text.index("<antwoord>")
    al = text.index("<al>", start) + 4
    twin.write_text(text[:al] + "Geheel andere woorden die de vergelijking laten falen. " * 6 + text[al:], encoding="utf-8")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("parity")
    fixture = root / "api"
    shutil.copytree(SAMPLE_API_DIR, fixture)
    _edit_twins(fixture)
    with ReplayServer(fixture) as replay:
        settings = Settings(api_url=replay.base_url, koop_url=replay.origin, data_dir=root / "data",
                            warehouse_path=root / "w.duckdb", parse_workers=1)
        pipeline.fetch_metadata(settings)
        pipeline.fetch_letter_files(settings)
        fetched = pipeline.fetch_koop_xml(settings)
    pipeline.parse_letters(settings)
    pipeline.load_warehouse(settings)
    summary = pipeline.compare_koop_letters(settings)
    return settings, fetched, summary


def rows(settings: Settings, sql: str, params=()):
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_every_sample_document_gets_its_twin_and_a_parity_row(run):
    settings, fetched, summary = run
    assert fetched.failed == [] and len(fetched.stored) == 17
    assert summary.compared == len(rows(settings, "SELECT * FROM parse_parity")) >= 15
    assert summary.failures == ()


def test_structure_disagreement_takes_the_xml_blocks_and_keeps_the_reason(run):
    settings, _, summary = run
    (agrees, chosen, reasons, doc_id), = rows(settings, "SELECT agrees, chosen_source, reasons, document_id "
                                              "FROM parse_parity WHERE koop_id = ?", [EDITED])
    assert not agrees and chosen == "xml" and summary.xml_chosen == 1
    assert any("missing in the XML" in r for r in reasons)
    (fmt,), = rows(settings, "SELECT source_format FROM documents WHERE document_id = ?", [doc_id])
    assert fmt == "xml"
    issues = rows(settings, "SELECT code, message FROM parse_issues WHERE document_id = ?", [doc_id])
    assert any(code == "blocks_from_xml" and "missing in the XML" in msg for code, msg in issues)


def test_a_text_disagreement_keeps_the_pdf_blocks(run):
    settings, _, _ = run
    (agrees, structure, chosen, reasons), = rows(
        settings, "SELECT agrees, structure_agrees, chosen_source, reasons FROM parse_parity WHERE koop_id = ?", [WORDING])
    assert not agrees and structure and chosen == "pdf"
    assert any("text ratio" in r for r in reasons)


def test_all_other_letters_agree_and_the_month_share_is_reported(run):
    settings, _, summary = run
    others = rows(settings, "SELECT koop_id FROM parse_parity WHERE NOT agrees ORDER BY koop_id")
    assert [k for (k,) in others] == sorted([EDITED, WORDING])
    assert summary.agreeing == summary.compared - 2
    months = rows(settings, "SELECT month, letters, agreeing, share_agreeing FROM parity_by_month")
    assert sum(m[1] for m in months) == summary.compared
    assert summary.line.startswith("PDF/XML parity: ") and "%" in summary.line


def test_a_rerun_compares_only_changed_letters_and_still_reports_every_letter(run):
    settings, _, first = run
    before = rows(settings, "SELECT * FROM parse_parity ORDER BY document_id")
    again = pipeline.compare_koop_letters(settings)
    assert again.compared == 0 and again.xml_chosen == 0
    assert (again.letters, again.letters_agreeing) == (first.compared, first.compared - 2)
    assert not again.all_agree  # the two disagreements of the first run still count
    assert again.line.rsplit(" (", 1)[0] == first.line.rsplit(" (", 1)[0]  # the same months and shares
    assert rows(settings, "SELECT * FROM parse_parity ORDER BY document_id") == before
