"""The `kamerspoor` command as users call it: real subprocesses, real files, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from etl.sample import SAMPLE_API_DIR
from tests.conftest import sample_file

KAMERSPOOR = [sys.executable, "-m", "etl.cli"]


# The ministry letter with a cover page and a right-hand sidebar before the annex.
MINISTRY_LETTER = sample_file("ah-tk-20252026-38")


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*KAMERSPOOR, *args], capture_output=True, text=True, timeout=timeout)


def test_parse_prints_the_contract_json_for_a_sample_pdf():
    result = run("parse", str(MINISTRY_LETTER))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("questions", "answers", "footnotes", "intro", "closing", "title", "askers",
                "addressees", "answered_by", "date_submitted", "date_answered", "warnings"):
        assert key in data, key
    assert [b["numbers"] for b in data["questions"]] == [[str(n)] for n in range(1, len(data["questions"]) + 1)]
    assert len(data["answers"]) == len(data["questions"]) > 0
    assert all(set(b) >= {"label", "numbers", "text"} for b in data["questions"] + data["answers"])


def test_parse_of_a_missing_file_fails_with_one_line(tmp_path: Path):
    missing = tmp_path / "nope.pdf"
    result = run("parse", str(missing))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0]


def test_parse_of_an_unreadable_file_fails_with_one_line(tmp_path: Path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    result = run("parse", str(broken))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.pdf" in lines[0], result.stderr


def test_replay_prints_its_base_url_first_and_serves_the_sample():
    proc = subprocess.Popen(
        [*KAMERSPOOR, "replay", str(SAMPLE_API_DIR), "--port", "0", "--page-size", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/OData/v5")
        page = httpx.get(f"{base_url}/Zaak", timeout=10).json()
        assert len(page["value"]) == 5 and "@odata.nextLink" in page
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_replay_of_a_missing_directory_fails_with_one_line(tmp_path: Path):
    result = run("replay", str(tmp_path / "none"))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1


def test_run_rejects_a_malformed_date_naming_it():
    result = run("run", "--since", "28-11-2026")
    assert result.returncode == 2
    assert "28-11-2026" in result.stderr


def test_run_against_an_unreachable_api_fails_in_a_few_clear_lines(tmp_path: Path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run("run", "--api-url", f"http://127.0.0.1:{port}/OData/v5", "--since", "2026-11-01",
                 "--data-dir", str(tmp_path / "data"), "--warehouse", str(tmp_path / "w.duckdb"), timeout=300)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and len(lines) <= 4, result.stderr
    assert any(line.startswith("FAILED ingest:") and f"127.0.0.1:{port}" in line for line in lines)
