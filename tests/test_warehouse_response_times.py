"""Response times: the three-week norm, delay notices, working days and Dutch holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl.load import warehouse as wh
from tests.test_warehouse_fixtures import EXPECTED_NORM, fresh_warehouse


@pytest.fixture()
def con(tmp_path: Path, tmp_path_factory):
    con = fresh_warehouse(tmp_path, tmp_path_factory)
    yield con
    con.close()


@pytest.fixture()
def calendar():
    """A bare in-memory database with the schema's calendar macros."""
    con = duckdb.connect()
    con.execute(wh.read_sql("10_core.sql"))
    yield con
    con.close()


def holidays(con: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    rows = con.execute(
        "SELECT d::DATE FROM generate_series(make_date($y, 1, 1)::TIMESTAMP, make_date($y, 12, 31)::TIMESTAMP,"
        " INTERVAL 1 DAY) g(d) WHERE nl_is_public_holiday(d) ORDER BY 1",
        {"y": year},
    ).fetchall()
    return [r[0].isoformat() for r in rows]


def test_dutch_public_holidays_of_2025_are_computed_with_easter(calendar) -> None:
    assert holidays(calendar, 2025) == [
        "2025-01-01", "2025-04-18", "2025-04-20", "2025-04-21", "2025-04-26", "2025-05-05",
        "2025-05-29", "2025-06-08", "2025-06-09", "2025-12-25", "2025-12-26",
    ]


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2008, "2008-03-23"), (2011, "2011-04-24"), (2019, "2019-04-21"), (2024, "2024-03-31"), (2038, "2038-04-25")],
)
def test_easter_sunday_matches_the_calendar(calendar, year: int, easter: str) -> None:
    assert calendar.execute("SELECT nl_easter($y)", {"y": year}).fetchone()[0].isoformat() == easter


def test_queens_day_before_2014_and_kings_day_after(calendar) -> None:
    assert "2013-04-30" in holidays(calendar, 2013)
    assert "2006-04-29" in holidays(calendar, 2006)  # 30 April 2006 was a Sunday
    assert "2014-04-26" in holidays(calendar, 2014)  # 27 April 2014 was a Sunday
    assert "2016-04-27" in holidays(calendar, 2016)


def test_every_set_gets_its_norm_status(con) -> None:
    got = dict(con.execute("SELECT number, norm_status FROM response_times").fetchall())
    assert got == EXPECTED_NORM


def test_days_and_working_days_to_first_answer(con) -> None:
    rows = con.execute(
        "SELECT number, days_to_first_answer, working_days_to_first_answer, due_on FROM response_times"
        " WHERE first_answer_on IS NOT NULL ORDER BY number"
    ).fetchall()
    # 2025Z10002: 1 April -> 20 May crosses Goede Vrijdag, Tweede Paasdag and 5 mei.
    assert rows == [
        ("2025Z10001", 17, 13, date(2025, 3, 24)),
        ("2025Z10002", 49, 32, date(2025, 4, 22)),
        ("2025Z10003", 60, 39, date(2025, 5, 22)),
    ]


def test_delay_notices_are_counted_with_their_dates(con) -> None:
    row = con.execute(
        "SELECT delay_notice_count, delay_notice_dates, notice_within_term FROM response_times WHERE number = '2025Z10002'"
    ).fetchone()
    assert row == (1, [date(2025, 4, 18)], True)


def test_open_sets_are_measured_against_the_reference_date(con) -> None:
    wh.refresh(con, reference_date=date(2025, 9, 10))
    row = con.execute("SELECT norm_status, days_open FROM response_times WHERE number = '2025Z10004'").fetchone()
    assert row == ("open_within_term", 9)


def test_per_ministry_view_counts_a_set_for_each_addressed_ministry(con) -> None:
    rows = con.execute(
        "SELECT ministry, question_sets, answered, on_time, late_with_notice, late_without_notice, open_overdue,"
        " open_within_term FROM response_times_by_ministry ORDER BY ministry"
    ).fetchall()
    assert rows == [
        ("Financiën", 2, 1, 0, 1, 0, 0, 1),
        ("Justitie en Veiligheid", 5, 3, 1, 1, 1, 1, 0),
    ]


def test_per_party_view_counts_a_set_for_each_askers_party(con) -> None:
    rows = con.execute(
        "SELECT party, question_sets, answered, median_days FROM response_times_by_party ORDER BY party"
    ).fetchall()
    assert rows == [("GL-PvdA", 2, 2, 38.5), ("NSC", 2, 1, 17.0), ("SP", 1, 0, None), ("VVD", 2, 1, 49.0)]
