"""The DDL is the one schema: relations, frame schemas and types are read from it, not retyped."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from etl.enrich.records import Enrichment
from etl.load.enrichment import TABLES, frames
from etl.load.schema import declared_relations, frame_schema, polars_type, relation


def test_every_analyst_table_and_view_is_declared_with_comments():
    names = {r.name for r in declared_relations()}
    assert {"question_sets", "documents", "questions", "answers", "qa_pairs", "theme_links",
            "commitments", "doc_references"} <= names
    assert not any(n.startswith("_") for n in names)
    questions = relation("questions")
    assert questions.kind == "table" and questions.comment
    assert all(c.comment for c in questions.columns), [c.name for c in questions.columns if not c.comment]


def test_an_unknown_relation_is_an_error_naming_it():
    with pytest.raises(KeyError, match="no_such_table"):
        relation("no_such_table")


@pytest.mark.parametrize(("duckdb_type", "expected"), [
    ("VARCHAR", pl.Utf8), ("INTEGER", pl.Int32), ("BIGINT", pl.Int64), ("DATE", pl.Date),
    ("TIMESTAMP", pl.Datetime("us")), ("VARCHAR[]", pl.List(pl.Utf8)), ("DATE[]", pl.List(pl.Date)),
])
def test_duckdb_types_map_to_polars_types(duckdb_type, expected):
    assert polars_type(duckdb_type) == expected


def test_a_type_without_a_mapping_is_named():
    with pytest.raises(ValueError, match="INTERVAL"):
        polars_type("INTERVAL")


@pytest.mark.parametrize("table", ["questions", "answers", "footnotes", "parse_issues", "document_question_sets"])
def test_frame_schema_is_the_table_columns_in_ddl_order(table):
    assert list(frame_schema(table)) == [c.name for c in relation(table).columns]


def test_enrichment_frames_have_exactly_their_tables_columns_and_types():
    out = frames(Enrichment(reference_date=date(2026, 1, 1)))
    for name, table in TABLES.items():
        columns = relation(table).columns
        assert out[name].columns == [c.name for c in columns], table
        assert out[name].dtypes == [polars_type(c.type) for c in columns], table


def test_the_built_warehouse_has_exactly_the_declared_columns(sample_warehouse):
    """After the whole job on the sample, no relation has drifted from its DDL."""
    import duckdb

    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        for rel in declared_relations():
            assert con.table(rel.name).columns == [c.name for c in rel.columns], rel.name
        assert con.execute("SELECT count(*) FROM qa_pairs").fetchone()[0] > 0
    finally:
        con.close()


def test_staging_frames_of_source_records_follow_the_record_classes():
    from etl.load.schema import record_schema
    from etl.models import DocumentRecord

    schema = record_schema(DocumentRecord, exclude=("question_set_ids", "deleted"))
    assert schema["date"] == pl.Date and schema["content_length"] == pl.Int64
    assert schema["changed_at"] == pl.Datetime("us") and "deleted" not in schema
    assert record_schema(DocumentRecord)["question_set_ids"] == pl.List(pl.Utf8)
