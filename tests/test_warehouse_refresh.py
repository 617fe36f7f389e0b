"""refresh() recomputes only what loads touched, and gives what a rebuild from nothing gives.

Each scenario applies the same loads to two copies of the fixture warehouse; one refreshes
incrementally (the default), the other rebuilds in full. Every derived relation and every
search result must be equal.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from etl.load import warehouse as wh
from etl.models import Block, ParsedLetter
from tests.test_warehouse_fixtures import (
    REFERENCE_DATE,
    document_records,
    fresh_warehouse,
    question_set_records,
    stored_file,
)

DERIVED = {
    "qa_pairs": "SELECT * FROM qa_pairs ORDER BY ALL",
    "question_sets": "SELECT * FROM question_sets ORDER BY ALL",
    "documents": "SELECT * FROM documents ORDER BY ALL",
    "response_times": "SELECT * FROM response_times ORDER BY ALL",
    "questions": "SELECT * FROM questions ORDER BY ALL",
    "answers": "SELECT * FROM answers ORDER BY ALL",
}
QUERIES = ("storing", "voorraad", "achterstand rechtbanken", "kwartiermaker", "invoering wetboek", "zedenzaken")


def _docs() -> dict:
    return {d.id: d for d in document_records()}


def _new_answer(con) -> None:
    d = _docs()["doc-c-ans"]
    extra = ParsedLetter(
        questions=(Block("question", "Vraag 1", ("1",), "Is de kwartiermaker al benoemd?"),),
        answers=(Block("answer", "Antwoord 1", ("1",), "De kwartiermaker begint in de werkvoorraad."),),
        parser_version="t",
    )
    wh.load_letter(con, d, stored_file(d.id), extra)


def _verstoring(con) -> None:
    d = _docs()["doc-c-ans"]
    letter = ParsedLetter(
        answers=(Block("answer", "Antwoord 1", ("1",), "Geen."),
                 Block("answer", "Antwoord 2", ("2",), "Er was een ICT-verstoring bij het OM.")),
        parser_version="t",
    )
    wh.load_letter(con, d, stored_file(d.id), letter)
    wh.refresh(con, reference_date=REFERENCE_DATE, full=False)


def _tombstone(con) -> None:
    wh.load_metadata(con, [], [], [], deleted_document_ids={"doc-b-nader"})


def _moved_link(con) -> None:
    """The answer letter of set c now belongs to set d: pairs must leave c and join d."""
    d = dataclasses.replace(_docs()["doc-c-ans"], question_set_ids=("qs-d",))
    wh.load_metadata(con, [], [d], [])


def _renumbered_set(con) -> None:
    s = dataclasses.replace(next(x for x in question_set_records() if x.id == "qs-a"), number="2025Z19999")
    wh.load_metadata(con, [s], [], [])


def _snapshot(con) -> dict:
    out = {name: con.execute(sql).fetchall() for name, sql in DERIVED.items()}
    for q in QUERIES:
        rows = con.execute(
            "SELECT round(score, 9), kind, unit_id, question_set_number, document_kind, printed_in "
            "FROM search_qa(?, max_results := NULL) ORDER BY ALL", [q]
        ).fetchall()
        out[f"search {q}"] = rows
    return out


@pytest.mark.parametrize("change", [_new_answer, _tombstone, _moved_link, _renumbered_set],
                         ids=["new answer", "tombstone", "moved link", "renumbered set"])
def test_incremental_refresh_equals_a_full_rebuild(change, tmp_path: Path, tmp_path_factory) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    inc = fresh_warehouse(tmp_path / "a", tmp_path_factory)
    full = fresh_warehouse(tmp_path / "b", tmp_path_factory)
    for con in (inc, full):
        change(con)
    assert wh.refresh(inc, reference_date=REFERENCE_DATE, full=False) == "incremental"
    assert wh.refresh(full, reference_date=REFERENCE_DATE, full=True) == "full"
    a, b = _snapshot(inc), _snapshot(full)
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], key
    assert inc.execute("SELECT count(*) FROM _search_units WHERE rowid <> docid").fetchone()[0] == 0


def test_metadata_loaded_again_unchanged_queues_nothing_and_rewrites_no_row(con) -> None:
    """Every run hands over the whole raw store's metadata: what is unchanged costs nothing."""
    before = _snapshot(con)
    rowids = con.execute("SELECT max(rowid) FROM documents").fetchone()[0]
    docs = [d for d in _docs().values() if d.id != "doc-gone"]
    wh.load_metadata(con, [], docs, [])
    assert con.execute("SELECT count(*) FROM _refresh_queue").fetchone()[0] == 0
    assert con.execute("SELECT max(rowid) FROM documents").fetchone()[0] == rowids  # nothing deleted and re-inserted
    changed = dataclasses.replace(docs[0], subject="Een andere titel")
    wh.load_metadata(con, [], [changed], [])
    queued = {r[0] for r in con.execute("SELECT document_id FROM _refresh_queue WHERE document_id IS NOT NULL").fetchall()}
    assert queued == {changed.id}
    wh.refresh(con, reference_date=REFERENCE_DATE, full=False)
    assert con.execute("SELECT subject FROM documents WHERE document_id = ?", [changed.id]).fetchone()[0] == "Een andere titel"
    assert _snapshot(con) != before


def test_a_refresh_with_nothing_queued_a_week_later_equals_a_full_rebuild(tmp_path: Path, tmp_path_factory) -> None:
    """Nothing queued skips the derived rows and the index, but open sets still age."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    inc = fresh_warehouse(tmp_path / "a", tmp_path_factory)
    full = fresh_warehouse(tmp_path / "b", tmp_path_factory)
    later = REFERENCE_DATE + timedelta(days=7)
    opened = "SELECT question_set_id, days_open FROM response_times WHERE days_open IS NOT NULL ORDER BY ALL"
    before = inc.execute(opened).fetchall()
    assert wh.refresh(inc, reference_date=later, full=False) == "incremental"
    assert wh.refresh(full, reference_date=later, full=True) == "full"
    assert _snapshot(inc) == _snapshot(full)
    after = inc.execute(opened).fetchall()
    assert before and [(s, d + 7) for s, d in before] == after


def test_refresh_after_no_load_changes_nothing_and_touches_no_set(con) -> None:
    before = _snapshot(con)
    assert wh.refresh(con, reference_date=REFERENCE_DATE, full=False) == "incremental"
    assert _snapshot(con) == before
    assert con.execute("SELECT count(*) FROM _search_retired").fetchone()[0] == 0


def test_a_reloaded_letter_retires_only_its_own_search_blocks(con) -> None:
    _new_answer(con)
    wh.refresh(con, reference_date=REFERENCE_DATE, full=False)
    retired = con.execute(
        "SELECT DISTINCT u.question_set_id FROM _search_retired r JOIN _search_units u USING (docid)"
    ).fetchall()
    assert retired == [("qs-c",)]
    assert con.execute("SELECT unit_id FROM search_qa('kwartiermaker') ORDER BY unit_id").fetchall() == [
        ("doc-c-ans:a:0",), ("doc-c-ans:q:0",)]


def test_a_load_killed_before_refresh_is_refreshed_by_the_next_run(con) -> None:
    """The queue is written with the load, so a refresh in a later process still sees it."""
    _new_answer(con)
    assert con.execute("SELECT count(*) FROM _refresh_queue").fetchone()[0] > 0
    wh.refresh(con, reference_date=REFERENCE_DATE)
    assert con.execute("SELECT count(*) FROM _refresh_queue").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM search_qa('kwartiermaker')").fetchone()[0] == 2


def test_many_retired_blocks_trigger_a_compacting_rebuild(con) -> None:
    for round_ in range(2):  # every document changes (a new subject) twice
        for d in _docs().values():
            if d.id != "doc-gone":
                wh.load_metadata(con, [], [dataclasses.replace(d, subject=f"{d.subject} ({round_})")], [])
        wh.refresh(con, reference_date=REFERENCE_DATE, full=False)
    assert wh.refresh(con, reference_date=REFERENCE_DATE) == "full"
    units, retired = con.execute("SELECT (SELECT count(*) FROM _search_units), (SELECT count(*) FROM _search_retired)").fetchone()
    assert retired * 10 <= units


@pytest.fixture()
def con(tmp_path: Path, tmp_path_factory):
    con = fresh_warehouse(tmp_path, tmp_path_factory)
    yield con
    con.close()


def test_search_finds_a_compound_by_its_head(con) -> None:
    _new_answer(con)
    wh.refresh(con, reference_date=REFERENCE_DATE)
    hits = con.execute("SELECT unit_id, score FROM search_qa('voorraad')").fetchall()
    assert [u for u, _ in hits] == ["doc-c-ans:a:0", "doc-b-ans:q:1", "doc-b-nader:a:0"]  # "werkvoorraad" first: rarer
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    # "ICT-verstoring" is found by "storing" as well as by its own name
    _verstoring(con)
    assert ("doc-c-ans:a:1",) in con.execute("SELECT unit_id FROM search_qa('storing')").fetchall()
    assert con.execute("SELECT unit_id FROM search_qa('verstoring')").fetchall() == [("doc-c-ans:a:1",)]


def test_search_compound_match_needs_a_real_modifier_and_a_long_part(con) -> None:
    assert con.execute("SELECT count(*) FROM search_qa('oring')").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM search_qa('raad')").fetchone()[0] == 0


def test_search_shows_a_question_printed_twice_once(con) -> None:
    rows = con.execute(
        "SELECT unit_id, kind, question_set_number, document_kind, printed_in FROM search_qa('weggewerkt') WHERE kind = 'question'"
    ).fetchall()
    assert rows == [("doc-b-ans:q:1", "question", "2025Z10002", "Antwoord schriftelijke vragen",
                     ["Antwoord schriftelijke vragen", "Antwoord schriftelijke vragen (nader)"])]


def test_a_warehouse_indexed_by_the_previous_release_is_upgraded_and_reindexed(con) -> None:
    """The old index had no vocabulary, no document kinds and no length sum (nor a DDL digest)."""
    for ddl in (
        "DROP TABLE _load_marks",
        "DROP TABLE _search_vocab",
        "DROP TABLE _search_retired",
        "ALTER TABLE _search_units DROP COLUMN document_kind",
        "ALTER TABLE _search_units DROP COLUMN printed_in",
        "ALTER TABLE _search_stats DROP COLUMN sum_len",
    ):
        con.execute(ddl)
    wh.apply_schema(con)
    assert wh.refresh(con, reference_date=REFERENCE_DATE) == "full"
    assert con.execute("SELECT count(*) FROM search_qa('storing')").fetchone()[0] > 0
