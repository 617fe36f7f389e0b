"""Report sections without a browser: figures from rows, safe embedding, the CLI's errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from etl.report.build import render
from etl.report.figures import NORM_DAYS, SECTIONS, commitments_figure, response_times_figure
from tests.process_helpers import ROOT


def test_every_section_has_its_commented_sql_file() -> None:
    for section in SECTIONS:
        sql = (ROOT / "warehouse" / "report" / section.sql).read_text(encoding="utf-8")
        assert sql.startswith(f"-- {section.sql} — "), section.sql


def test_response_times_split_by_delay_notice_and_draw_the_21_day_norm() -> None:
    rows = [
        {"ministry": "Financiën", "month": "2026-01-01", "with_notice": False, "question_sets": 2, "still_open": 0, "median_days": 30},
        {"ministry": "Financiën", "month": "2026-02-01", "with_notice": True, "question_sets": 1, "still_open": 1, "median_days": 50},
    ]
    figure = response_times_figure(rows)
    assert [t["name"] for t in figure["data"]] == ["Financiën — zonder uitstelbericht", "Financiën — met uitstelbericht"]
    [norm] = figure["layout"]["shapes"]
    assert norm["y0"] == norm["y1"] == NORM_DAYS == 21


def test_commitments_are_coloured_by_status_including_superseded() -> None:
    rows = [{"theme": "T", "status": s, "kind": "commitment", "due_on": "2026-01-01", "date_text": "x",
             "letter_date": "2025-01-01", "evidence": "e"} for s in ("open", "overdue", "superseded")]
    colours = {t["name"]: t["marker"]["color"] for t in commitments_figure(rows)["data"]}
    assert len(set(colours.values())) == 3 and set(colours) == {"open", "overdue", "superseded"}


def test_text_from_letters_cannot_close_the_data_script() -> None:
    hostile = "</script><script>alert(1)</script><!--"
    sections = [{"key": "latest_answers", "title": "t", "kind": "table", "explain": "e", "rows": 1,
                 "content": {"columns": [["excerpt", "antwoord"]], "links": {}, "rows": [{"excerpt": hostile}]}}]
    page = render(sections, snapshot_name="s.duckdb", generated_at=datetime(2026, 12, 2), reference_date="2026-12-02")
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and json.loads(data)[0]["content"]["rows"][0]["excerpt"] == hostile


def test_report_without_a_snapshot_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "report", "--warehouse", str(tmp_path / "none.duckdb")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"kamerspoor report: {tmp_path / 'none.snapshot.duckdb'}: no such snapshot (run `kamerspoor demo` or `run` first)"
    ]


# ------------------------------------------------------------------ PDF/XML parity per month

def _parity_section():
    return next(s for s in SECTIONS if s.key == "parity")


def test_parity_table_speaks_in_months_percentages_and_reasons() -> None:
    from etl.report.figures import MAX_REASONS, parity_table

    rows = [
        {"month": "2025-09-01", "letters": 3, "agreeing": 2, "share_agreeing": 0.6667, "xml_chosen": 1,
         "reasons": [f"ah-tk-20252026-38: answer block {n} text ratio 0.80" for n in range(1, 8)]},
        {"month": "2025-10-01", "letters": 4, "agreeing": 4, "share_agreeing": 1.0, "xml_chosen": 0, "reasons": []},
        {"month": None, "letters": 1, "agreeing": 0, "share_agreeing": 0.0, "xml_chosen": 0,
         "reasons": ["ah-tk-20252026-99: date_answered 2025-10-02 vs 2025-10-03"]},
    ]
    content = parity_table(rows)
    headings = [h for _, h in content["columns"]]
    assert headings == ["maand", "brieven met PDF én XML", "gelijk gelezen", "aandeel gelijk", "blokken uit de XML",
                        "waar ze verschilden"]
    first, second, third, total = content["rows"]
    assert (total["month"], total["letters"], total["agreeing"], total["share"], total["xml_chosen"]) == (
        "alle maanden", 8, 6, "75%", 1)
    assert (first["month"], first["share"], first["letters"], first["agreeing"]) == ("september 2025", "67%", 3, 2)
    assert first["reasons"].count("ah-tk-20252026-38:") == MAX_REASONS and first["reasons"].endswith("… en nog 2")
    assert (second["month"], second["share"], second["reasons"]) == ("oktober 2025", "100%", "geen: alle brieven gelijk gelezen")
    assert (third["month"], third["share"]) == ("zonder datum", "0%") and "2025-10-03" in third["reasons"]


def _parity_warehouse(tmp_path: Path):
    from etl.load import warehouse as wh

    con = wh.connect(tmp_path / "parity.duckdb")
    wh.apply_schema(con)
    return con


def _add_parity(con, koop_id: str, month: str | None, agrees: bool, reasons: list[str], source: str = "pdf") -> None:
    con.execute(
        "INSERT INTO parse_parity (document_id, koop_id, letter_month, agrees, structure_agrees, footnotes_agree, "
        "dates_agree, blocks, blocks_agreeing, chosen_source, reasons) VALUES (?, ?, ?, ?, ?, true, true, 4, ?, ?, ?)",
        [f"doc-{koop_id}", koop_id, month, agrees, source == "pdf", 4 if agrees else 2, source, reasons],
    )


def test_parity_section_without_any_xml_twin_says_so(tmp_path: Path) -> None:
    from etl.report.build import collect

    con = _parity_warehouse(tmp_path)
    try:
        parity = next(s for s in collect(con) if s["key"] == "parity")
    finally:
        con.close()
    assert parity["rows"] == 0 and parity["content"]["rows"] == []
    assert "Nog geen brief met een XML-versie" in parity["empty"]
    page = render([parity], snapshot_name="s.duckdb", generated_at=datetime(2026, 12, 3), reference_date=None)
    assert "Nog geen brief met een XML-versie" in page  # the drawing script shows it in place of the table


def test_parity_section_counts_letters_and_lists_reasons_per_month(tmp_path: Path) -> None:
    from etl.report.build import section_rows

    con = _parity_warehouse(tmp_path)
    try:
        _add_parity(con, "ah-tk-20252026-38", "2025-10-01", True, [])
        _add_parity(con, "ah-tk-20252026-611", "2025-10-01", False,
                    ["answer block 9 (Antwoord 9) missing in the PDF", "question block 2 text ratio 0.81"], "xml")
        _add_parity(con, "ah-tk-20252026-402", "2025-10-01", False, ["date_answered differs"])
        _add_parity(con, "ah-tk-20252026-905", "2026-01-01", True, [])
        _add_parity(con, "ah-tk-20252026-7", None, True, [])
        rows = section_rows(con, _parity_section())
    finally:
        con.close()
    assert [(r["month"], r["letters"], r["agreeing"], r["xml_chosen"]) for r in rows] == [
        ("2025-10-01", 3, 1, 1), ("2026-01-01", 1, 1, 0), (None, 1, 1, 0)]
    assert rows[0]["reasons"] == [
        "ah-tk-20252026-402: date_answered differs",
        "ah-tk-20252026-611: answer block 9 (Antwoord 9) missing in the PDF",
        "ah-tk-20252026-611: question block 2 text ratio 0.81",
    ]
    assert rows[1]["reasons"] == [] and rows[2]["reasons"] == []
    shown = _parity_section().build(rows)["rows"]
    assert [(r["month"], r["share"]) for r in shown] == [("oktober 2025", "33%"), ("januari 2026", "100%"),
                                                        ("zonder datum", "100%"), ("alle maanden", "60%")]
