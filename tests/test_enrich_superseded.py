"""Superseded promises: a later letter promising a later date on the same subject replaces the
earlier promise, which is then `superseded`, not `overdue` (one status rule: the SQL macro)."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from etl.enrich import enrich_units
from etl.enrich.commitments import status_of
from tests.gold import letter_from_gold, units_from_gold
from etl.load.enrichment import load_enrichment, refresh_commitment_status
from etl.load.sql import read_sql
from tests.test_enrich_load import EARLY, LATE
from tests.test_enrich_support import read_json, sample_letters_dir


@pytest.fixture()
def con():
    c = duckdb.connect()
    c.execute(read_sql("20_enrichment.sql"))
    yield c
    c.close()


def test_the_sql_status_rule_equals_the_per_letter_python_status_when_nothing_supersedes(con):
    start, end = date(2026, 4, 1), date(2026, 6, 30)
    for due_start, due_end in ((start, end), (None, end), (start, None), (None, None)):
        for day in (start - timedelta(1), start, date(2026, 5, 1), end, end + timedelta(1)):
            sql = con.execute("SELECT commitment_status(?, ?, NULL, ?)", [due_start, due_end, day]).fetchone()[0]
            assert sql == status_of(due_start, due_end, day), (due_start, due_end, day)
    assert con.execute("SELECT commitment_status(?, ?, 'L2', ?)", [start, end, end + timedelta(1)]).fetchone()[0] \
        == "superseded"


def test_a_promise_moved_to_a_later_date_by_a_later_letter_is_superseded_not_overdue(con):
    load_enrichment(con, enrich_units(EARLY + LATE, reference_date=date(2026, 11, 1)))
    rows = con.execute("SELECT document_id, date_text, status, superseded_by FROM commitments "
                       "ORDER BY letter_date").fetchall()
    assert rows == [("L1", "in het tweede kwartaal van 2026", "superseded", "L2"),
                    ("L2", "in het derde kwartaal van 2026", "overdue", None)]
    today = con.execute("SELECT document_id, status_today FROM commitments_today ORDER BY letter_date").fetchall()
    assert today == [("L1", "superseded"), ("L2", "overdue")]


def test_an_earlier_letter_alone_is_overdue_and_becomes_superseded_when_the_later_one_arrives(con):
    load_enrichment(con, enrich_units(EARLY, reference_date=date(2026, 11, 1)))
    assert con.execute("SELECT status, superseded_by FROM commitments").fetchall() == [("overdue", None)]
    load_enrichment(con, enrich_units(LATE, reference_date=date(2026, 11, 1)), document_ids=["L2"])
    assert con.execute("SELECT status FROM commitments WHERE document_id = 'L1'").fetchone()[0] == "superseded"
    refresh_commitment_status(con, date(2026, 11, 2))  # a run that enriched nothing keeps it
    assert con.execute("SELECT status FROM commitments WHERE document_id = 'L1'").fetchone()[0] == "superseded"


def test_on_the_sample_the_first_quarter_2026_recovery_promise_is_superseded(con):
    units, letters = [], {}
    for path in sorted(sample_letters_dir().glob("*.json")):
        doc = read_json(path)
        units += units_from_gold(doc)
        letters[doc["id"]] = letter_from_gold(doc)
    load_enrichment(con, enrich_units(units, reference_date=date(2026, 11, 1), letters=letters))
    rows = con.execute("SELECT subject, status, superseded_by FROM commitments "
                       "WHERE date_text = 'in het eerste kwartaal van 2026'").fetchall()
    assert rows == [("ict_incidents:herstel", "superseded", "ah-tk-20252026-1322")]
    later = con.execute("SELECT date_text, status FROM commitments_today WHERE subject = 'ict_incidents:herstel' "
                        "ORDER BY letter_date").fetchall()
    assert [d for d, _ in later] == ["in het eerste kwartaal van 2026", "medio 2026", "eind 2026"]
    assert [s for _, s in later][:2] == ["superseded", "superseded"] and later[2][1] != "superseded"
