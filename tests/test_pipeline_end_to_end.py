"""The whole Dagster job against the replay of our sample, over real HTTP on 127.0.0.1.

A small page size makes the client follow `@odata.nextLink`; the assertions are the sample's
known facts (docs/sample.md): 8 question sets, 17 live documents, one tombstone, one set
still open, the three lead themes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assets.runner import run_job
from etl.config import Settings
from etl.load.sql import read_sql
from etl.load.warehouse import connect
from etl.replay import ReplayServer
from etl.sample import SAMPLE_API_DIR
from tests.warehouse_hash import analyst_hashes

TOMBSTONE = "5d105169-9da0-5c56-b016-2a7b8fd41a1b"
UNANSWERED = "2026Z19034"
LEAD_THEMES = {"ict_incidents", "backlogs", "strafvordering"}


def settings_for(replay: ReplayServer, root: Path) -> Settings:
    return Settings(api_url=replay.base_url, data_dir=root / "data", warehouse_path=root / "kamerspoor.duckdb")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    with ReplayServer(SAMPLE_API_DIR, page_size=3) as replay:
        ok, _ = run_job(settings_for(replay, root), progress_bar=False)
        log = list(replay.request_log)
    assert ok, "the job failed"
    return root, log


@pytest.fixture()
def con(built):
    root, _ = built
    # The project's connect places the offline fts extension that search_qa autoloads.
    con = connect(root / "kamerspoor.duckdb", read_only=True)
    yield con
    con.close()


def scalar(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()[0]


def test_client_followed_next_links_across_pages(built):
    _, log = built
    assert sum("skiptoken" in path for path in log) >= 2, log


def test_every_sample_question_set_is_loaded(con):
    numbers = [r[0] for r in con.execute("SELECT number FROM question_sets ORDER BY number").fetchall()]
    assert numbers == [
        "2025Z16204", "2025Z18830", "2025Z19412", "2026Z01577",
        "2026Z02910", "2026Z07160", "2026Z10244", "2026Z19034",
    ]


def test_live_documents_are_loaded_and_the_tombstone_is_absent(con):
    assert scalar(con, "SELECT count(*) FROM documents") == 17
    assert scalar(con, "SELECT count(*) FROM documents WHERE document_id = ?", TOMBSTONE) == 0


def test_answer_letters_give_every_answer_block(con):
    assert scalar(con, "SELECT count(*) FROM answers") == 36
    # The grouped "Antwoord op vragen 2 en 3" answers two questions: one pair each.
    assert scalar(con, "SELECT count(*) FROM qa_pairs WHERE grouped") >= 2


def test_answered_sets_have_pairs_and_the_open_set_has_none(con):
    rows = con.execute(
        """SELECT q.number, q.status, count(p.question_number)
           FROM question_sets q LEFT JOIN qa_pairs p USING (question_set_id)
           GROUP BY ALL ORDER BY q.number"""
    ).fetchall()
    by_number = {number: (status, pairs) for number, status, pairs in rows}
    assert by_number[UNANSWERED] == ("open", 0)
    assert all(pairs > 0 for number, (_, pairs) in by_number.items() if number != UNANSWERED)


def test_pairs_join_theme_links_for_each_lead_theme(con):
    themes = {
        r[0]
        for r in con.execute(
            """SELECT DISTINCT t.theme_id
               FROM qa_pairs p JOIN theme_links t ON t.unit_id = p.answer_id"""
        ).fetchall()
    }
    assert LEAD_THEMES <= themes


def test_a_rerun_without_changes_leaves_every_analyst_relation_identical(built):
    root, _ = built
    before = analyst_hashes(root / "kamerspoor.duckdb")
    with ReplayServer(SAMPLE_API_DIR, page_size=3) as replay:
        ok, summaries = run_job(settings_for(replay, root), incremental=True, progress_bar=False)
        downloads = [p for p in replay.request_log if p.endswith("/resource")]
    assert ok
    assert downloads == [], "an unchanged source must not be downloaded again"
    assert any("17 documents (0 loaded" in line for line in summaries), summaries
    assert analyst_hashes(root / "kamerspoor.duckdb") == before


def readme_sql_blocks() -> list[str]:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks, inside, current = [], False, []
    for line in readme.splitlines():
        if line.strip() == "```sql":
            inside, current = True, []
        elif inside and line.strip() == "```":
            inside = False
            blocks.append("\n".join(current))
        elif inside:
            current.append(line)
    return blocks


def test_every_sql_example_in_the_readme_returns_rows_on_the_sample(con):
    blocks = readme_sql_blocks()
    assert len(blocks) >= 4
    for sql in blocks:
        rows = con.execute(sql).fetchall()
        assert rows, f"README example returned nothing:\n{sql}"


def test_analysts_get_a_snapshot_equal_to_the_warehouse(built):
    root, _ = built
    snapshot = root / "kamerspoor.snapshot.duckdb"
    assert snapshot.is_file()
    assert analyst_hashes(snapshot) == analyst_hashes(root / "kamerspoor.duckdb")


# ----------------------------------------------------------------- example queries on the sample


def query(con, name: str, **params):
    cur = con.execute(read_sql(f"queries/{name}.sql"), params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def test_late_answers_per_ministry_on_the_sample(con):
    rows = {r["ministry"]: r for r in query(con, "late_answers_per_ministry", since=date(2025, 1, 1))}
    justice = rows["Justitie en Veiligheid"]
    assert (justice["answered"], justice["late_with_notice"], justice["late_without_notice"]) == (7, 2, 2)
    assert justice["median_days"] == 28
    assert rows["Binnenlandse Zaken en Koninkrijksrelaties"]["late_without_notice"] == 1


def test_question_set_qa_shows_the_grouped_answer_for_both_questions(con):
    rows = query(con, "question_set_qa", number="2025Z18830")
    grouped = [r for r in rows if r["grouped"]]
    assert [r["question_number"] for r in grouped] == ["2", "3"]
    assert {r["answer_label"] for r in grouped} == {"Antwoord op vragen 2 en 3"}
    assert [r["question_number"] for r in rows if r["answer_order"] == "first"] == ["1", "2", "3", "4", "5", "6"]


def test_full_text_search_finds_inflected_dutch_words(con):
    rows = query(con, "search", query="storingen")
    assert rows, "no hits"
    assert all("storing" in r["text"].lower() for r in rows[:3])
    assert "2026Z19034" in {r["question_set_number"] for r in rows}


def test_theme_answers_lists_backlog_answers_in_date_order(con):
    rows = query(con, "theme_answers", theme="backlogs")
    dates = [r["document_date"] for r in rows]
    assert len(rows) >= 5 and dates == sorted(dates)
    assert any("werkvoorraad" in r["answer_text"] for r in rows)


def test_theme_history_of_the_new_code_holds_the_2029_deadline(con):
    rows = query(con, "theme_history", theme="strafvordering")
    assert any(r["date_start"] == date(2029, 4, 1) for r in rows)


def test_theme_deadline_drift_follows_the_ict_recovery_date(con):
    rows = query(con, "theme_deadline_drift", theme="ict_incidents")
    assert [(r["previous_date_text"], r["date_text"]) for r in rows] == [
        ("in het eerste kwartaal van 2026", "medio 2026"),
        ("medio 2026", "eind 2026"),
    ]


def test_theme_follow_up_chains_link_the_later_set_to_the_earlier_one(con):
    rows = query(con, "theme_follow_up_chains")
    pairs = {(r["question_set_number"], r["cited_question_set_number"]) for r in rows}
    assert ("2026Z01577", "2025Z16204") in pairs


def test_theme_open_commitments_are_due_or_overdue(con):
    rows = query(con, "theme_open_commitments", theme=None)
    assert rows and {r["status_today"] for r in rows} <= {"due", "overdue"}


def test_export_command_writes_parquet_csv_and_a_manifest(built, tmp_path):
    import json
    import subprocess
    import sys

    import polars as pl

    root, _ = built
    out = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, "-m", "etl.cli", "export", str(out), "--warehouse", str(root / "kamerspoor.duckdb"), "--csv"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["relations"]["question_sets"]["rows"] == 8
    assert pl.read_parquet(out / "qa_pairs.parquet").height == manifest["relations"]["qa_pairs"]["rows"] > 0
    assert (out / "theme_links.csv").is_file()
