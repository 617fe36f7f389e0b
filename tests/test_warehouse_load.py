"""Loads are idempotent and transactional; tombstones and reparses replace rows; the schema
is documented in DuckDB itself."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from etl.load import warehouse as wh
from etl.load.export import analyst_relations, relation_columns
from etl.models import Block, ParsedLetter, QuestionSetRecord
from tests.test_warehouse_fixtures import (
    REFERENCE_DATE,
    fresh_warehouse,
    document_records,
    load_all,
    stored_file,
)


@pytest.fixture()
def con(tmp_path: Path, tmp_path_factory):
    con = fresh_warehouse(tmp_path, tmp_path_factory)
    yield con
    con.close()


def content_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """sha256 of every analyst relation's rows, independent of row order."""
    out = {}
    for name, _, _ in analyst_relations(con):
        rows = sorted(repr(r) for r in con.table(name).fetchall())
        out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def doc(doc_id: str):
    return next(d for d in document_records() if d.id == doc_id)


def test_second_load_of_the_same_data_changes_no_analyst_relation(con) -> None:
    before = content_hashes(con)
    assert {"question_sets", "documents", "qa_pairs", "response_times", "footnotes"} <= set(before)
    wh.apply_schema(con)
    load_all(con)
    assert content_hashes(con) == before


def test_reparse_with_a_new_parser_version_replaces_the_letters_rows(con) -> None:
    new = ParsedLetter(
        questions=(Block("question", "Vraag 1", ("1",), "Nieuwe tekst van vraag 1"),),
        answers=(Block("answer", "Antwoord 1", ("1",), "Nieuwe tekst van antwoord 1"),),
        parser_version="test-2",
    )
    wh.load_letter(con, doc("doc-a-ans"), stored_file("doc-a-ans"), new)
    wh.refresh(con, reference_date=REFERENCE_DATE)
    answers = con.execute("SELECT text, parser_version FROM answers WHERE document_id = 'doc-a-ans'").fetchall()
    assert answers == [("Nieuwe tekst van antwoord 1", "test-2")]
    assert con.execute("SELECT count(*) FROM footnotes WHERE document_id = 'doc-a-ans'").fetchone()[0] == 0
    pairs = con.execute(
        "SELECT question_number, answer_text, parser_version FROM qa_pairs WHERE question_set_number = '2025Z10001'"
    ).fetchall()
    assert pairs == [("1", "Nieuwe tekst van antwoord 1", "test-2")]
    assert con.execute("SELECT parser_version FROM documents WHERE document_id = 'doc-a-ans'").fetchone() == ("test-2",)


def test_tombstoned_document_leaves_no_row_behind(con) -> None:
    for table, column in [
        ("documents", "document_id"), ("questions", "document_id"), ("answers", "document_id"),
        ("document_question_sets", "document_id"), ("qa_pairs", "answer_document_id"),
    ]:
        rel = con.table(table).filter(duckdb.ColumnExpression(column) == duckdb.ConstantExpression("doc-gone"))
        assert rel.count("*").fetchone()[0] == 0, table
    texts = [r[0] for r in con.execute("SELECT text FROM search_qa('verwijderd')").fetchall()]
    assert texts == []


def test_tombstoned_question_set_removes_the_set_its_actors_and_links(con) -> None:
    wh.load_metadata(con, [], [], [], deleted_question_set_ids={"qs-d"})
    wh.refresh(con, reference_date=REFERENCE_DATE)
    assert con.execute("SELECT count(*) FROM question_sets WHERE question_set_id = 'qs-d'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM actors WHERE question_set_id = 'qs-d'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM response_times WHERE question_set_id = 'qs-d'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM document_question_sets WHERE question_set_id = 'qs-d'").fetchone()[0] == 0


def test_record_flagged_deleted_is_a_tombstone_too(con) -> None:
    gone = QuestionSetRecord("qs-f", "2025Z10006", None, None, None, None, deleted=True)
    wh.load_metadata(con, [gone], [], [])
    assert con.execute("SELECT count(*) FROM question_sets WHERE number = '2025Z10006'").fetchone()[0] == 0


def test_parse_failure_becomes_an_error_issue_and_failed_status(con) -> None:
    status = con.execute("SELECT parse_status FROM documents WHERE document_id = 'doc-e-withdraw'").fetchone()
    assert status == ("failed",)
    issues = con.execute("SELECT document_id, severity, code FROM parse_issues ORDER BY document_id").fetchall()
    assert issues == [("doc-b-ans", "warning", "numbering_gap"), ("doc-e-withdraw", "error", "unreadable")]
    assert con.execute("SELECT parse_status FROM documents WHERE document_id = 'doc-b-ans'").fetchone() == (
        "parsed_with_warnings",
    )
    assert con.execute("SELECT parse_status FROM documents WHERE document_id = 'doc-b-delay'").fetchone() == (
        "not_parsed",
    )


def test_failed_load_rolls_back_and_keeps_the_stored_rows(con, monkeypatch) -> None:
    before = content_hashes(con)
    original = wh.read_sql

    def broken(name: str) -> str:
        sql = original(name)
        return sql + "\nSELECT error('disk full halfway');" if name == "load_letters.sql" else sql

    monkeypatch.setattr(wh, "read_sql", broken)
    empty = ParsedLetter(parser_version="test-9")
    with pytest.raises(duckdb.Error, match="disk full halfway"):
        wh.load_letter(con, doc("doc-a-ans"), stored_file("doc-a-ans"), empty)
    assert content_hashes(con) == before


def test_metadata_reload_keeps_file_and_parse_columns(con) -> None:
    changed = replace(doc("doc-a-ans"), subject="Gewijzigd onderwerp")
    wh.load_metadata(con, [], [changed], [])
    row = con.execute(
        "SELECT subject, parse_status, parser_version, file_sha256 FROM documents WHERE document_id = 'doc-a-ans'"
    ).fetchone()
    assert row == ("Gewijzigd onderwerp", "parsed", "test-1", stored_file("doc-a-ans").sha256)


CORE_RELATIONS = (
    "question_sets", "documents", "document_question_sets", "questions", "answers", "qa_pairs",
    "footnotes", "actors", "parse_issues", "response_times", "response_times_by_ministry",
    "response_times_by_party",
)


def test_every_analyst_table_view_and_column_has_a_comment(con) -> None:
    relations = analyst_relations(con)
    names = {n for n, _, _ in relations}
    assert set(CORE_RELATIONS) <= names
    missing = [n for n, _, comment in relations if not comment]
    missing += [f"{n}.{c['name']}" for n, _, _ in relations for c in relation_columns(con, n) if not c["comment"]]
    assert missing == []


def test_text_units_follow_the_unit_id_scheme_with_the_answer_letters_date(con) -> None:
    units = {u.unit_id: u for u in wh.read_text_units(con)}
    grouped = units["doc-a-ans:a:1"]
    assert (grouped.kind, grouped.numbers, str(grouped.letter_date)) == ("answer", ("2", "3"), "2025-03-20")
    assert units["doc-a-ans:q:0"].kind == "question"
    assert units["doc-a-ans:fn:1"].text == "https://www.om.nl/actueel/storing"
    assert units["doc-a-ans:closing"].text == "De minister van Justitie en Veiligheid"
    assert not any(u.document_id == "doc-gone" for u in units.values())


def test_apply_schema_twice_on_a_loaded_warehouse_is_harmless(con) -> None:
    before = content_hashes(con)
    wh.apply_schema(con)
    wh.apply_schema(con)
    assert content_hashes(con) == before
    assert con.execute("SELECT count(*) FROM search_qa('storing')").fetchone()[0] == 3


def test_readme_describes_every_analyst_relation_and_column(con) -> None:
    readme = (Path(__file__).resolve().parents[1] / "warehouse" / "README.md").read_text(encoding="utf-8")
    sections = {part.split("`", 1)[0]: part for part in readme.split("\n### `")[1:]}
    missing = []
    # The relations of 10_core.sql and 30_views.sql; add the enrichment layer's once its
    # sections are written.
    for name in CORE_RELATIONS:
        section = sections.get(name)
        if section is None:
            missing.append(name)
            continue
        missing += [f"{name}.{c['name']}" for c in relation_columns(con, name) if f"| `{c['name']}` |" not in section]
    assert missing == []


def test_letter_of_a_deleted_document_removes_it_instead_of_loading(con) -> None:
    gone = replace(doc("doc-c-ans"), deleted=True)
    wh.load_letter(con, gone, stored_file("doc-c-ans"), ParsedLetter(parser_version="x"))
    assert con.execute("SELECT count(*) FROM documents WHERE document_id = 'doc-c-ans'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM answers WHERE document_id = 'doc-c-ans'").fetchone()[0] == 0


def test_api_times_with_dutch_offsets_are_stored_as_utc(con) -> None:
    from datetime import datetime, timedelta, timezone

    cet = timezone(timedelta(hours=1))
    changed = replace(doc("doc-a-ans"), source_changed_at=datetime(2025, 3, 20, 9, 30, tzinfo=cet))
    wh.load_metadata(con, [], [changed], [])
    stored = con.execute("SELECT source_changed_at FROM documents WHERE document_id = 'doc-a-ans'").fetchone()[0]
    assert stored == datetime(2025, 3, 20, 8, 30)


def test_changed_actor_shows_in_the_set_after_refresh(con) -> None:
    from etl.models import ActorRecord

    moved = ActorRecord("ac-a2", "qs-a", "Jansen", "D66", "Tweede Kamerlid", "Medeindiener")
    wh.load_metadata(con, [], [], [moved])
    wh.refresh(con, reference_date=REFERENCE_DATE)
    row = con.execute("SELECT askers, asker_parties FROM question_sets WHERE number = '2025Z10001'").fetchone()
    assert row == (["Van der Berg", "Jansen"], ["NSC", "D66"])


def test_apply_schema_skips_a_warehouse_built_with_the_same_ddl_and_rebuilds_one_that_is_not(con) -> None:
    wh.apply_schema(con)
    con.execute("DROP VIEW response_times_by_party")  # gone, but the digest says the DDL is current
    wh.apply_schema(con)
    assert not con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = 'response_times_by_party'").fetchone()[0]
    con.execute("UPDATE _load_marks SET digest = 'an older release' WHERE mark = 'schema'")
    wh.apply_schema(con)
    assert con.execute("SELECT count(*) FROM response_times_by_party").fetchone() is not None
    assert con.execute("SELECT digest FROM _load_marks WHERE mark = 'schema'").fetchone()[0] == wh.schema_digest()
