"""`kamerspoor report` on the demo warehouse, opened in headless Chromium with the network off:
every section draws something, nothing is logged to the console, no request leaves the page.
Screenshots are kept under tests/output/ (git-ignored)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import chromium_or_skip, dump_json, visit
from tests.process_helpers import ROOT

OUTPUT = ROOT / "tests" / "output"
SECTIONS = ("response_times", "answers_per_theme", "commitments", "promised_dates", "late_without_notice",
            "latest_answers", "open_past_norm", "parity")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    env = {**os.environ, "KAMERSPOOR_WATCH": ""}
    demo = [sys.executable, "-m", "etl.cli", "demo", "--quiet", "--warehouse", str(root / "demo.duckdb"),
            "--data-dir", str(root / "data")]
    proc = subprocess.run(demo, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (root / "demo.report.html").stat().st_size > 1_000_000, "the job's analyst_report asset wrote it"
    out = root / "report.html"
    proc = subprocess.run([sys.executable, "-m", "etl.cli", "report", "--warehouse", str(root / "demo.duckdb"),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


def test_report_is_one_file_with_no_reference_to_the_network(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", text, re.I) is None
    assert "Plotly.newPlot" in text and "plotly.js" in text  # the library itself is inline


def test_report_renders_every_section_offline_without_console_messages(report: Path) -> None:
    chromium = chromium_or_skip()
    page = visit(chromium, report, OUTPUT / "browser", screenshot=OUTPUT / "report.png")
    assert 'data-report="done"' in page.dom, "the drawing script finished"
    drawn = dict(re.findall(r'id="content-([a-z_]+)"[^>]*data-drawn="(\d+)"', page.dom))
    assert set(drawn) == set(SECTIONS)
    assert all(int(n) > 0 for n in drawn.values()), drawn
    assert re.search(r'id="report-errors"\s+hidden', page.dom), "no script error was shown"
    assert page.console == [], dump_json(page)
    assert page.page_urls == [], dump_json(page)


def test_the_offline_harness_does_see_console_messages_and_requests(tmp_path: Path) -> None:
    """Control: a page that logs and fetches is caught, so the empty lists above mean something."""
    chromium = chromium_or_skip()
    noisy = tmp_path / "noisy.html"
    noisy.write_text('<html><body><script>console.error("boom");fetch("http://example.org/x").catch(()=>0);'
                     '</script><img src="https://example.org/a.png"></body></html>', encoding="utf-8")
    page = visit(chromium, noisy, tmp_path / "browser", budget_ms=3000)
    assert any('"boom"' in line for line in page.console)
    assert "http://example.org/x" in page.page_urls and "https://example.org/a.png" in page.page_urls


def test_without_chromium_the_browser_test_skips_locally_and_fails_under_ci(monkeypatch) -> None:
    import shutil

    from tests import browser

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        browser.chromium_or_skip()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        browser.chromium_or_skip()


def test_parity_without_xml_twins_shows_its_own_empty_text(tmp_path: Path) -> None:
    """A warehouse where no letter has a KOOP XML twin: the parity section says so in words."""
    from datetime import datetime

    from etl.report.build import render
    from etl.report.figures import SECTIONS as REPORT_SECTIONS

    chromium = chromium_or_skip()
    parity = next(s for s in REPORT_SECTIONS if s.key == "parity")
    sections = [{"key": parity.key, "title": parity.title, "kind": parity.kind, "explain": parity.explain,
                 "rows": 0, "content": parity.build([]), "empty": parity.empty}]
    out = tmp_path / "leeg.html"
    out.write_text(render(sections, snapshot_name="leeg.duckdb", generated_at=datetime(2026, 12, 3),
                          reference_date=None), encoding="utf-8")
    page = visit(chromium, out, tmp_path / "browser")
    assert 'data-report="done"' in page.dom
    content = re.search(r'<div class="content" id="content-parity"[^>]*>(.*?)</div>', page.dom, re.S)
    assert content and "Nog geen brief met een XML-versie" in content.group(1), page.dom[-2000:]
    assert 'data-drawn="0"' in content.group(0) and page.console == []
