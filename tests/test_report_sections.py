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
