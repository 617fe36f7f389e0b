"""The example queries in warehouse/queries/ and full-text search (offline, Dutch stemming).

Each example query runs on the fixture warehouse (tests/test_warehouse_fixtures.py); to run
them on the bundled sample, point ``con`` at a warehouse built from it and update the expected
rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from etl.load.sql import read_sql
from tests.test_warehouse_fixtures import fresh_warehouse

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def con(tmp_path: Path, tmp_path_factory):
    con = fresh_warehouse(tmp_path, tmp_path_factory)
    yield con
    con.close()


def run_query(con, name: str, **params):
    return con.execute(read_sql(f"queries/{name}"), params).fetchall()


def test_late_answers_per_ministry_ranks_the_latest_ministry_first(con) -> None:
    rows = run_query(con, "late_answers_per_ministry.sql", since=date(2025, 1, 1))
    assert rows == [
        ("Financiën", 1, 1, 0, 1.0, 49.0),
        ("Justitie en Veiligheid", 3, 1, 1, 0.667, 49.0),
    ]


def test_late_answers_per_ministry_respects_the_since_date(con) -> None:
    assert run_query(con, "late_answers_per_ministry.sql", since=date(2025, 6, 1)) == [
        ("Justitie en Veiligheid", 1, 0, 1, 1.0, 60.0),
    ]


def test_question_set_qa_lists_each_question_with_its_grouped_answer(con) -> None:
    rows = run_query(con, "question_set_qa.sql", number="2025Z10001")
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        ("1", "Antwoord 1", False, "first"),
        ("2", "Antwoord op vragen 2 en 3", True, "first"),
        ("3", "Antwoord op vragen 2 en 3", True, "first"),
    ]
    assert rows[1][6] == rows[2][6]


def test_question_set_qa_puts_the_nader_answer_after_the_first(con) -> None:
    rows = run_query(con, "question_set_qa.sql", number="2025Z10002")
    assert [(r[0], r[4], r[5]) for r in rows] == [("1", "first", date(2025, 5, 20)), ("2", "nader", date(2025, 6, 10))]


def test_unanswered_set_has_no_pairs(con) -> None:
    assert run_query(con, "question_set_qa.sql", number="2025Z10004") == []
    assert con.execute("SELECT count(*) FROM questions WHERE question_set_id = 'qs-d'").fetchone()[0] == 2


def test_search_finds_plural_and_singular_through_dutch_stemming(con) -> None:
    rows = run_query(con, "search.sql", query="storingen")
    # BM25: one occurrence each, so the shortest block (after stop words) ranks first.
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("answer", "2025Z10001", "Antwoord 1"),
        ("question", "2025Z10001", "Vraag 2"),
        ("question", "2025Z10001", "Vraag 1"),
    ]
    assert rows[0][0] > rows[1][0] > rows[2][0]
    singular = con.execute("SELECT unit_id FROM search_qa('storing') ORDER BY unit_id").fetchall()
    plural = con.execute("SELECT unit_id FROM search_qa('storingen') ORDER BY unit_id").fetchall()
    assert singular == plural


def test_search_ignores_accents_and_case(con) -> None:
    assert con.execute("SELECT unit_id FROM search_qa('GEINFORMEERD')").fetchall() == [("doc-a-ans:a:0",)]


def test_search_ignores_dutch_stop_words(con) -> None:
    assert con.execute("SELECT count(*) FROM search_qa('de het een')").fetchone()[0] == 0
    with_stop_words = con.execute("SELECT unit_id FROM search_qa('de storing van het OM')").fetchall()
    without = con.execute("SELECT unit_id FROM search_qa('storing OM')").fetchall()
    assert with_stop_words == without


def test_search_index_rows_are_fetched_by_rowid_equal_to_docid(con) -> None:
    assert con.execute("SELECT count(*) FROM _search_units WHERE rowid <> docid").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM _search_units").fetchone()[0] == 16  # 17 blocks, one question printed twice


def test_search_sees_rows_loaded_before_the_last_refresh_only(con) -> None:
    from etl.load import warehouse as wh
    from etl.models import Block, ParsedLetter
    from tests.test_warehouse_fixtures import REFERENCE_DATE, document_records, stored_file

    d = next(x for x in document_records() if x.id == "doc-c-ans")
    extra = ParsedLetter(answers=(Block("answer", "Antwoord 1", ("1",), "Een zeldzaam woord: kwartiermaker."),), parser_version="t")
    wh.load_letter(con, d, stored_file(d.id), extra)
    assert con.execute("SELECT count(*) FROM search_qa('kwartiermaker')").fetchone()[0] == 0
    wh.refresh(con, reference_date=REFERENCE_DATE)
    assert con.execute("SELECT unit_id FROM search_qa('kwartiermaker')").fetchall() == [("doc-c-ans:a:0",)]


def test_fts_extension_loads_from_the_wheel_with_no_network(tmp_path: Path) -> None:
    """A fresh extension directory, proxies pointing at a closed local port, downloads off."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from etl.load.warehouse import connect
        ext = Path(sys.argv[1])
        con = connect(Path(sys.argv[2]), extension_directory=ext)
        stem = con.execute("SELECT stem('storingen', 'dutch')").fetchone()[0]
        path = con.execute("SELECT install_path FROM duckdb_extensions() WHERE extension_name = 'fts' AND loaded").fetchone()[0]
        print(stem, path.startswith(str(ext)))
        """
    )
    env = {**os.environ, "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
           "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "ext"), str(tmp_path / "w.duckdb")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["storing", "True"]
    assert not (tmp_path / "home" / ".duckdb").exists()


def test_python_search_returns_a_frame_limited_to_max_results(con) -> None:
    from etl.load.search import search

    frame = search(con, "storingen", max_results=2)
    assert frame.height == 2
    assert frame["question_set_number"].to_list() == ["2025Z10001", "2025Z10001"]
    assert search(con, "storingen", max_results=None).height == 3
    assert search(con, "?!").height == 0
