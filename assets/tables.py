"""Asset specs for the warehouse relations, built from the DDL (``etl.load.schema``).

Each analyst table or view is one asset carrying its DuckDB name, its column schema with the
COMMENTs analysts read, and kind duckdb; lineage says which relations (or raw assets) it is
made from, as the SQL does.
"""


import dagster as dg

from etl.load.schema import declared_relations, relation

# What each relation is made from (the loaders' and views' SQL, read as lineage).
LINEAGE: dict[str, tuple[str, ...]] = {
    # loaded from the raw store and the parses
    "question_sets": ("question_set_metadata",),
    "documents": ("question_set_metadata", "letter_files", "parsed_letters"),
    "document_question_sets": ("question_set_metadata",),
    "actors": ("question_set_metadata",),
    "questions": ("parsed_letters", "documents"),
    "answers": ("parsed_letters", "documents"),
    "footnotes": ("parsed_letters", "documents"),
    "parse_issues": ("parsed_letters", "documents"),
    "qa_pairs": ("questions", "answers", "documents", "question_sets"),
    "response_times": ("question_sets", "documents", "actors"),
    # enrichment reads the text units (questions, answers, footnotes, closing text), after the
    # PDF/XML parity step has put the XML's blocks in where the structures disagreed
    "themes": (),
    "theme_links": ("questions", "answers", "footnotes", "documents", "themes", "parse_parity"),
    "events": ("questions", "answers", "footnotes", "documents", "themes", "parse_parity"),
    "commitments": ("questions", "answers", "footnotes", "documents", "themes", "parse_parity"),
    "doc_references": ("questions", "answers", "footnotes", "documents", "parse_parity"),
    "question_set_links": ("questions", "answers", "footnotes", "documents", "parse_parity"),
    # views
    "commitments_today": ("commitments",),
    "deadline_drift": ("events",),
    "theme_timeline": ("events", "themes"),
    "response_times_by_ministry": ("response_times",),
    "response_times_by_party": ("response_times",),
    "theme_links_by_question_set": ("theme_links", "document_question_sets", "question_sets", "documents"),
    # written by other steps: alerts (assets/report.py), PDF/XML parity (assets/parity.py)
    "alerts": ("analyst_snapshot",),
    "parse_parity": ("documents", "parsed_letters", "koop_xml"),
    "parity_by_month": ("parse_parity",),
}


def column_schema(name: str) -> dg.TableSchema:
    """The relation's columns, DuckDB types and COMMENTs, as the DDL declares them."""
    return dg.TableSchema(
        columns=[dg.TableColumn(c.name, c.type, description=c.comment) for c in relation(name).columns]
    )


def table_metadata(name: str) -> dict:
    """What the UI shows about a relation: its DuckDB name and column schema."""
    return {
        "dagster/table_name": f"main.{name}",
        "dagster/column_schema": column_schema(name),
        "relation_kind": relation(name).kind,
    }


def relation_spec(name: str, group: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        name,
        deps=LINEAGE.get(name, ()),  # a relation missing here fails a test, not the code location
        group_name=group,
        kinds={"duckdb"},
        description=relation(name).comment,
        metadata=table_metadata(name),
    )


def view_names() -> tuple[str, ...]:
    return tuple(r.name for r in declared_relations() if r.kind == "view")
