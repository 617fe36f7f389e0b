"""Incremental enrichment: a run re-enriches only the letters whose inputs changed, and the
warehouse it leaves is exactly the one a full enrichment would build.

The bundled sample goes through the real pipeline functions (fetch from the replay server on
127.0.0.1, parse, load, link_themes); edits to a copy of its fixture play the API changing.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from etl.config import Settings
from etl.enrich import enrich_units
from etl.enrich.themes import default_theme_path, load_themes
from etl.load import warehouse
from etl.load.enrichment import enrichment_plan, load_enrichment
from etl.load.sql import read_sql
from etl.replay import ReplayServer
from replay_fixtures import edits
from etl.sample import SAMPLE_API_DIR
from tests.warehouse_hash import analyst_hashes

DAY_1 = date(2026, 3, 1)
DAY_2 = date(2026, 11, 1)  # later: some commitments moved from open/due to overdue
ENRICHMENT_TABLES = ("theme_links", "events", "commitments", "doc_references", "question_set_links")
SAMPLE_DOCUMENTS = 17
CHANGED = "5e713cff-721f-58e8-90e8-948fcd07e845"  # answer letter that gets another letter's file
DONOR = "b3357069-b80c-515c-8d50-da6aa07f36b1"  # answer letter whose bytes it gets
DOOMED = "7d7ee2a5-0215-556d-bbbf-e4cca00cfe82"  # answer letter that is tombstoned


@dataclass(frozen=True)
class Build:
    root: Path
    settings: Settings

    @property
    def db(self) -> Path:
        return self.settings.warehouse_path


def sync(build: Build, fixture: Path, *, incremental: bool) -> None:
    """Fetch, parse and load from ``fixture`` (served on 127.0.0.1) into the build's warehouse."""
    with ReplayServer(fixture) as replay:
        s = build.settings.with_overrides(api_url=replay.base_url)
        pipeline.fetch_metadata(s, incremental=incremental)
        pipeline.fetch_letter_files(s)
    pipeline.parse_letters(build.settings)
    pipeline.load_warehouse(build.settings, reference_date=DAY_2)


def new_build(root: Path, fixture: Path, reference_date: date = DAY_2) -> tuple[Build, pipeline.EnrichSummary]:
    build = Build(root, Settings(data_dir=root / "data", warehouse_path=root / "kamerspoor.duckdb"))
    sync(build, fixture, incremental=False)
    return build, pipeline.link_themes(build.settings, reference_date=reference_date)


def copy_build(build: Build, root: Path) -> Build:
    shutil.copytree(build.root, root)
    return Build(root, build.settings.with_overrides(data_dir=root / "data", warehouse_path=root / "kamerspoor.duckdb"))


def fixture_copy(tmp_path: Path) -> Path:
    fx = tmp_path / "fixture"
    shutil.copytree(SAMPLE_API_DIR, fx)
    return fx


def rows_of(db: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def rows_per_table(db: Path, document_id: str) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        # Fixed table names from ENRICHMENT_TABLES, never input.
        return {t: con.execute(f"SELECT count(*) FROM {t} WHERE document_id = ?", [document_id]).fetchone()[0]  # noqa: S608
                for t in (*ENRICHMENT_TABLES, "_enriched_documents")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple[Build, pipeline.EnrichSummary]:
    """The sample built and enriched once, on DAY_1 (never modified: tests copy it)."""
    return new_build(tmp_path_factory.mktemp("first"), SAMPLE_API_DIR, DAY_1)


@pytest.fixture(scope="module")
def full_day_2(tmp_path_factory) -> Build:
    """A fresh full build of the unchanged sample, enriched on DAY_2: the reference result."""
    return new_build(tmp_path_factory.mktemp("full"), SAMPLE_API_DIR, DAY_2)[0]


# --------------------------------------------------------------------------- the enrich layer


def test_each_letter_enriches_the_same_alone_as_among_all_letters(first):
    """Why per-document enrichment is sound: no row of a letter depends on another letter."""
    build, _ = first
    con = warehouse.connect(build.db, read_only=True)
    try:
        units = warehouse.read_text_units(con)
        some = warehouse.read_text_units(con, [CHANGED, DONOR])
    finally:
        con.close()
    assert {u.document_id for u in some} == {CHANGED, DONOR}
    assert some == [u for u in units if u.document_id in (CHANGED, DONOR)]
    themes = load_themes()
    together = enrich_units(units, themes=themes, reference_date=DAY_2)
    docs = sorted({u.document_id for u in units})
    assert len(docs) >= 10
    for field in ("theme_links", "events", "commitments", "references", "question_set_links"):
        assert getattr(together, field), f"the sample has no {field}: the check below proves nothing"
    for doc in docs:
        alone = enrich_units([u for u in units if u.document_id == doc], themes=themes, reference_date=DAY_2)
        for field in ("theme_links", "events", "commitments", "references", "question_set_links"):
            mine = [r for r in getattr(together, field) if r.document_id == doc]
            assert sorted(map(repr, getattr(alone, field))) == sorted(map(repr, mine)), (doc, field)
            if field in ("events", "commitments"):  # ids follow this order: it must match too
                assert list(getattr(alone, field)) == mine, (doc, field)


def test_loading_letter_by_letter_in_any_order_equals_one_full_load(first):
    build, _ = first
    con = warehouse.connect(build.db, read_only=True)
    try:
        units = warehouse.read_text_units(con)
    finally:
        con.close()
    themes = load_themes()
    full, parts = duckdb.connect(), duckdb.connect()
    for c in (full, parts):
        c.execute(read_sql("20_enrichment.sql"))
    load_enrichment(full, enrich_units(units, themes=themes, reference_date=DAY_2))
    load_enrichment(parts, enrich_units([], themes=themes, reference_date=DAY_1))  # themes only
    docs = sorted({u.document_id for u in units})
    random.Random(7).shuffle(docs)
    for doc in docs:  # each letter alone, in shuffled order, on an earlier day
        mine = [u for u in units if u.document_id == doc]
        load_enrichment(parts, enrich_units(mine, themes=themes, reference_date=DAY_1), document_ids=[doc])
    one = [u for u in units if u.document_id == docs[0]]
    load_enrichment(parts, enrich_units(one, themes=themes, reference_date=DAY_2),
                    document_ids=[docs[0]])  # a reload on the later day judges every commitment
    for table in ("themes", *ENRICHMENT_TABLES):
        query = f"SELECT * FROM {table} ORDER BY ALL"  # noqa: S608 (fixed names)
        assert parts.execute(query).fetchall() == full.execute(query).fetchall(), table
    assert full.execute("SELECT count(*) FROM events").fetchone()[0] > 10


def test_an_incremental_load_refuses_rows_of_documents_it_was_not_given(first):
    build, _ = first
    con = warehouse.connect(build.db, read_only=True)
    try:
        units = warehouse.read_text_units(con, [CHANGED, DONOR])
    finally:
        con.close()
    c = duckdb.connect()
    c.execute(read_sql("20_enrichment.sql"))
    with pytest.raises(ValueError, match=DONOR):
        load_enrichment(c, enrich_units(units, reference_date=DAY_2), document_ids=[CHANGED])
    assert c.execute("SELECT count(*) FROM theme_links").fetchone()[0] == 0


# --------------------------------------------------------------------------- link_themes


def test_the_first_run_enriches_every_letter_and_records_it(first):
    build, summary = first
    assert summary.full and summary.documents_enriched == SAMPLE_DOCUMENTS and summary.documents_skipped == 0
    assert summary.events > 0 and summary.commitments > 0 and summary.theme_links > 0
    recorded = rows_of(build.db, "SELECT e.document_id FROM _enriched_documents e JOIN documents d "
                                 "USING (document_id, file_sha256, parser_version)")
    assert len(recorded) == SAMPLE_DOCUMENTS
    assert "incremental" not in str(summary) and "17 documents enriched" in str(summary)
    assert summary.to_metadata()["documents_enriched"] == SAMPLE_DOCUMENTS


def test_a_second_run_enriches_no_letter_and_changes_nothing(first, tmp_path):
    build = copy_build(first[0], tmp_path / "again")
    before = analyst_hashes(build.db)
    summary = pipeline.link_themes(build.settings, reference_date=DAY_1)
    assert (summary.full, summary.documents_enriched, summary.documents_skipped) == (False, 0, SAMPLE_DOCUMENTS)
    assert summary.units == 0 and summary.events == 0
    assert analyst_hashes(build.db) == before


def test_an_incremental_run_on_a_later_day_equals_a_full_enrichment_on_that_day(first, full_day_2, tmp_path):
    build = copy_build(first[0], tmp_path / "incr")
    # Half the letters look changed (their record names another file), interleaved in id order
    # with kept ones, so their events must be renumbered into place.
    con = warehouse.connect(build.db)
    try:
        ids = [r[0] for r in con.execute("SELECT document_id FROM documents ORDER BY document_id").fetchall()]
        con.execute("UPDATE _enriched_documents SET file_sha256 = 'older' WHERE list_contains(?, document_id)",
                    [ids[::2]])
        stale = enrichment_plan(con, load_themes()).stale
    finally:
        con.close()
    assert list(stale) == ids[::2]
    summary = pipeline.link_themes(build.settings, reference_date=DAY_2)
    assert (summary.full, summary.documents_enriched) == (False, len(stale))
    statuses = rows_of(build.db, "SELECT DISTINCT reference_date FROM commitments")
    assert statuses == [(DAY_2,)], "kept letters' commitments must be judged on the new day too"
    assert rows_of(full_day_2.db, "SELECT count(*) FROM commitments WHERE status = 'overdue'")[0][0] > \
        rows_of(first[0].db, "SELECT count(*) FROM commitments WHERE status = 'overdue'")[0][0]
    assert analyst_hashes(build.db) == analyst_hashes(full_day_2.db)


def test_a_new_file_for_one_letter_re_enriches_only_that_letter(first, tmp_path):
    fx = fixture_copy(tmp_path)
    donor = (SAMPLE_API_DIR / "resources" / f"{DONOR}.pdf").read_bytes()
    edits.replace_resource(fx, CHANGED, donor, ".pdf", "2026-11-01T10:00:00Z")
    build = copy_build(first[0], tmp_path / "incr")
    before = rows_of(build.db, "SELECT evidence FROM events WHERE document_id = ? ORDER BY ALL", CHANGED)
    sync(build, fx, incremental=True)
    summary = pipeline.link_themes(build.settings, reference_date=DAY_2)
    assert (summary.full, summary.documents_enriched, summary.documents_skipped) == (False, 1, SAMPLE_DOCUMENTS - 1)
    after = rows_of(build.db, "SELECT evidence FROM events WHERE document_id = ? ORDER BY ALL", CHANGED)
    assert after != before and after == rows_of(
        build.db, "SELECT evidence FROM events WHERE document_id = ? ORDER BY ALL", DONOR)
    fresh, _ = new_build(tmp_path / "fresh", fx, DAY_2)
    assert analyst_hashes(build.db) == analyst_hashes(fresh.db)


def test_a_tombstoned_letter_loses_its_enrichment_rows(first, tmp_path):
    fx = fixture_copy(tmp_path)
    edits.tombstone(fx, "Document", DOOMED, "2026-11-01T10:00:00Z")
    build = copy_build(first[0], tmp_path / "incr")
    before = rows_per_table(build.db, DOOMED)
    assert before["theme_links"] > 0 and before["events"] > 0 and before["_enriched_documents"] == 1
    sync(build, fx, incremental=True)
    summary = pipeline.link_themes(build.settings, reference_date=DAY_2)
    assert (summary.full, summary.documents_enriched, summary.documents_removed) == (False, 0, 1)
    assert summary.documents_skipped == SAMPLE_DOCUMENTS - 1
    assert set(rows_per_table(build.db, DOOMED).values()) == {0}
    fresh, _ = new_build(tmp_path / "fresh", fx, DAY_2)
    assert analyst_hashes(build.db) == analyst_hashes(fresh.db)


def test_a_new_letter_date_re_enriches_the_letter(first, tmp_path):
    """Dates without a year take the letter's year: the letter date is an input too."""
    fx = fixture_copy(tmp_path)
    edits.update_row(fx, "Document", CHANGED, "2026-11-01T10:00:00Z", Datum="2026-12-09T00:00:00+01:00")
    build = copy_build(first[0], tmp_path / "incr")
    sync(build, fx, incremental=True)
    summary = pipeline.link_themes(build.settings, reference_date=DAY_2)
    assert (summary.full, summary.documents_enriched) == (False, 1)
    dates = rows_of(build.db, "SELECT DISTINCT letter_date FROM theme_links WHERE document_id = ?", CHANGED)
    assert dates == [(date(2026, 12, 9),)]


def test_a_new_theme_file_version_re_enriches_every_letter_and_replaces_the_themes(first, tmp_path):
    build = copy_build(first[0], tmp_path / "incr")
    text = default_theme_path().read_text(encoding="utf-8")
    version = load_themes()[0].version
    bumped = tmp_path / "themes.toml"
    bumped.write_text(text.replace(f'version = "{version}"', 'version = "2099.1-test"', 1), encoding="utf-8")
    assert load_themes(bumped)[0].version == "2099.1-test"
    summary = pipeline.link_themes(build.settings, reference_date=DAY_1, theme_file=bumped)
    assert (summary.full, summary.documents_enriched, summary.documents_skipped) == (True, SAMPLE_DOCUMENTS, 0)
    for sql in ("SELECT DISTINCT theme_file_version FROM themes",
                "SELECT DISTINCT theme_file_version FROM theme_links",
                "SELECT DISTINCT theme_file_version FROM _enriched_documents"):
        assert rows_of(build.db, sql) == [("2099.1-test",)], sql
    again = pipeline.link_themes(build.settings, reference_date=DAY_1, theme_file=bumped)
    assert again.documents_enriched == 0


def test_an_edited_theme_file_with_the_same_version_still_re_enriches_everything(first, tmp_path):
    build = copy_build(first[0], tmp_path / "incr")
    edited = tmp_path / "themes.toml"
    edited.write_text(default_theme_path().read_text(encoding="utf-8")
                      + '\n[[theme]]\nid = "tolken"\nlabel = "Tolken"\nscope = "general"\nstems = ["tolk"]\n', encoding="utf-8")
    summary = pipeline.link_themes(build.settings, reference_date=DAY_1, theme_file=edited)
    assert (summary.full, summary.documents_enriched) == (True, SAMPLE_DOCUMENTS)
    assert ("tolken",) in rows_of(build.db, "SELECT theme_id FROM themes")


def test_the_bookkeeping_table_is_not_an_analyst_relation(first):
    build, _ = first
    names = {r[0] for r in rows_of(build.db, read_sql("analyst_relations.sql"))}
    assert "theme_links" in names and "_enriched_documents" not in names


def test_when_every_letter_changed_the_run_is_a_full_one_with_the_same_result(first, tmp_path):
    build = copy_build(first[0], tmp_path / "incr")
    before = analyst_hashes(build.db)
    con = warehouse.connect(build.db)
    try:
        con.execute("UPDATE _enriched_documents SET parser_version = 'older'")
    finally:
        con.close()
    summary = pipeline.link_themes(build.settings, reference_date=DAY_1)
    assert (summary.full, summary.documents_enriched) == (True, SAMPLE_DOCUMENTS)
    assert analyst_hashes(build.db) == before
    assert rows_of(build.db, "SELECT DISTINCT parser_version = 'older' FROM _enriched_documents") == [(False,)]
