"""Loading enrichment into DuckDB: schema, idempotent replace, rollback, views and queries."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from etl.enrich import enrich_units
from etl.enrich.records import Enrichment, ThemeLink
from etl.load.enrichment import load_enrichment, unit_kind
from etl.load.sql import read_sql
from etl.models import TextUnit

TABLES = ("themes", "theme_links", "events", "commitments", "doc_references", "question_set_links")
VIEWS = ("commitments_today", "deadline_drift", "theme_timeline")

# Two letters of our own (not from the corpus): the promised date for clearing the stock moves.
EARLY = [
    TextUnit("L1:q:0", "L1", "question", ("1",), "Wanneer is de extra werkvoorraad weggewerkt?", date(2025, 10, 1)),
    TextUnit("L1:a:0", "L1", "answer", ("1",),
             "Het OM verwacht dat de extra voorraad in het tweede kwartaal van 2026 is weggewerkt.¹",
             date(2025, 10, 1)),
    TextUnit("L1:fn:1", "L1", "footnote", ("1",), "Kamerstukken II, 2024-2025, 29279, nr. 901.", date(2025, 10, 1)),
]
LATE = [
    TextUnit("L2:a:0", "L2", "answer", ("1",),
             "Het OM verwacht nu dat de extra voorraad in het derde kwartaal van 2026 is weggewerkt.",
             date(2026, 3, 1)),
    TextUnit("L2:closing", "L2", "closing", (), "Deze vragen zijn een vervolg op eerdere vragen (2025Z16204).",
             date(2026, 3, 1)),
]


@pytest.fixture()
def con():
    c = duckdb.connect()
    c.execute(read_sql("20_enrichment.sql"))
    yield c
    c.close()


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608 (fixed names)


def test_schema_file_is_rerunnable_and_creates_every_table_and_view(con):
    con.execute(read_sql("20_enrichment.sql"))
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(TABLES) | set(VIEWS) <= names


def test_every_enrichment_table_view_and_column_has_a_comment(con):
    for name in TABLES:
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
    for name in VIEWS:
        assert con.execute("SELECT comment FROM duckdb_views() WHERE view_name = ?", [name]).fetchone()[0]
    missing = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN "
        "('themes','theme_links','events','commitments','doc_references','question_set_links',"
        "'deadline_drift','theme_timeline') AND comment IS NULL").fetchall()
    assert missing == []


def test_load_writes_every_relation_and_a_second_load_replaces_instead_of_adding(con):
    e = enrich_units(EARLY + LATE, reference_date=date(2026, 5, 1))
    first = load_enrichment(con, e)
    assert counts(con) == {"themes": 6, "theme_links": first["theme_links"], "events": 2, "commitments": 2,
                           "doc_references": 2, "question_set_links": 1}
    load_enrichment(con, e)
    assert counts(con)["events"] == 2 and counts(con)["theme_links"] == first["theme_links"]
    load_enrichment(con, enrich_units(EARLY, reference_date=date(2026, 5, 1)))
    assert counts(con)["events"] == 1 and counts(con)["question_set_links"] == 0


def test_rows_keep_evidence_offsets_status_and_theme_file_version(con):
    load_enrichment(con, enrich_units(EARLY + LATE, reference_date=date(2026, 5, 1)))
    row = con.execute(
        "SELECT kind, theme_id, subject, date_text, due_start, due_end, status, reference_date "
        "FROM commitments WHERE unit_id = 'L1:a:0'").fetchone()
    assert row == ("expectation", "backlogs", "backlogs:wegwerken", "in het tweede kwartaal van 2026",
                   date(2026, 4, 1), date(2026, 6, 30), "superseded", date(2026, 5, 1))  # L2 moved it later
    link = con.execute("SELECT unit_kind, block_index, rule, evidence, char_start, char_end, theme_file_version "
                       "FROM theme_links WHERE unit_id = 'L1:q:0' AND theme_id = 'backlogs'").fetchone()
    assert link[:2] == ("question", 0) and link[3] == EARLY[0].text[link[4]:link[5]] and link[6] == "2026.2"
    ref = con.execute("SELECT unit_kind, kind, target, session, dossier, number FROM doc_references "
                      "WHERE unit_id = 'L1:fn:1'").fetchone()
    assert ref == ("footnote", "kamerstuk", "kst-29279-901", "2024-2025", "29279", "901")


def test_deadline_drift_shows_the_promised_date_moving_between_letters(con):
    load_enrichment(con, enrich_units(EARLY + LATE, reference_date=date(2026, 5, 1)))
    rows = con.execute(
        "SELECT subject, previous_document_id, previous_date_end, document_id, date_end, shift_days, direction "
        "FROM deadline_drift").fetchall()
    assert rows == [("backlogs:wegwerken", "L1", date(2026, 6, 30), "L2", date(2026, 9, 30), 92, "later")]


def test_a_failed_load_leaves_the_previous_rows_in_place(con):
    load_enrichment(con, enrich_units(EARLY, reference_date=date(2026, 5, 1)))
    before = counts(con)
    dup = ThemeLink("X:a:0", "X", "backlogs", "stem:voorraad", "voorraad", 0, 8)
    with pytest.raises(duckdb.ConstraintException):
        load_enrichment(con, Enrichment(theme_links=(dup, dup)))
    assert counts(con) == before


def test_unit_kind_reads_the_unit_id_scheme_and_rejects_others():
    assert unit_kind("doc-1:a:3") == ("answer", 3)
    assert unit_kind("doc-1:q:0") == ("question", 0)
    assert unit_kind("doc-1:fn:2") == ("footnote", None)
    assert unit_kind("doc-1:closing") == ("closing", None)
    with pytest.raises(ValueError, match="'doc-1:x'"):
        unit_kind("doc-1:x")


def test_theme_queries_run_on_the_enrichment_tables(con):
    load_enrichment(con, enrich_units(EARLY + LATE, reference_date=date(2026, 5, 1)))
    history = con.execute(read_sql("queries/theme_history.sql"), {"theme": "backlogs"}).fetchall()
    assert [r[1] for r in history] == sorted(r[1] for r in history)  # L1 before L2: date order
    assert {r[3] for r in history} >= {"link", "event:expectation", "expectation:superseded"}
    drift = con.execute(read_sql("queries/theme_deadline_drift.sql"), {"theme": "backlogs"}).fetchall()
    assert [(r[0], r[7]) for r in drift] == [("backlogs:wegwerken", 92)]
    assert con.execute(read_sql("queries/theme_deadline_drift.sql"), {"theme": "werkdruk"}).fetchall() == []
    open_now = con.execute(read_sql("queries/theme_open_commitments.sql"), {"theme": None}).fetchall()
    assert {r[9] for r in open_now} <= {u.text for u in EARLY + LATE}


def test_theme_queries_that_join_core_tables_resolve_answers_and_chains(con):
    # Minimal stand-ins with the column names of warehouse/10_core.sql (owned by the core loader).
    con.execute("CREATE TABLE answers (answer_id VARCHAR, document_id VARCHAR, block_index INTEGER, "
                "numbers VARCHAR[], text VARCHAR)")
    con.execute("CREATE TABLE documents (document_id VARCHAR, number VARCHAR, koop_id VARCHAR, document_date DATE)")
    con.execute("CREATE TABLE question_sets (question_set_id VARCHAR, number VARCHAR, subject VARCHAR, submitted_on DATE)")
    con.execute("CREATE TABLE document_question_sets (document_id VARCHAR, question_set_id VARCHAR, position INTEGER)")
    for u in EARLY + LATE:
        if u.kind == "answer":
            con.execute("INSERT INTO answers VALUES (?, ?, 0, ['1'], ?)", [u.unit_id, u.document_id, u.text])
    con.execute("INSERT INTO documents VALUES ('L1', '2025D1', NULL, DATE '2025-10-01'), ('L2', '2026D2', NULL, DATE '2026-03-01')")
    con.execute("INSERT INTO question_sets VALUES ('QS2', '2026Z00002', 'later', DATE '2026-02-01'), "
                "('QS1', '2025Z16204', 'earlier', DATE '2025-09-01')")
    con.execute("INSERT INTO document_question_sets VALUES ('L2', 'QS2', 0)")
    load_enrichment(con, enrich_units(EARLY + LATE, reference_date=date(2026, 5, 1)))
    answers = con.execute(read_sql("queries/theme_answers.sql"), {"theme": "backlogs"}).fetchall()
    assert [r[3] for r in answers] == ["L1:a:0", "L2:a:0"]
    chains = con.execute(read_sql("queries/theme_follow_up_chains.sql")).fetchall()
    assert [(r[0], r[2], r[3], r[4]) for r in chains] == [("2026Z00002", "follow_up", "2025Z16204", "earlier")]
