"""Enrichment in worker processes finds exactly what one process finds (chunks of whole letters)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from etl.enrich import enrich_units
from etl.enrich import parallel
from etl.enrich.themes import load_themes
from etl.load import warehouse

DAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def sample_units(sample_warehouse):
    con = warehouse.connect(sample_warehouse, read_only=True)
    try:
        return warehouse.read_text_units(con), warehouse.read_letter_contexts(con)
    finally:
        con.close()


def _rows(result) -> dict[str, Counter]:
    return {name: Counter(getattr(result, name)) for name in
            ("theme_links", "events", "commitments", "references", "question_set_links", "warnings")}


def test_letter_chunks_never_split_a_letter_and_keep_every_unit(sample_units):
    units, _ = sample_units
    chunks = list(parallel.letter_chunks(units, size=7))
    assert len(chunks) > 2
    assert sorted(u.unit_id for c in chunks for u in c) == sorted(u.unit_id for u in units)
    owner = {}
    for i, chunk in enumerate(chunks):
        for u in chunk:
            assert owner.setdefault(u.document_id, i) == i, f"{u.document_id} split over chunks"


def test_enrichment_in_two_workers_equals_one_process(sample_units, monkeypatch):
    units, letters = sample_units
    themes = load_themes()
    monkeypatch.setattr(parallel, "MIN_PARALLEL_UNITS", 1)
    monkeypatch.setattr(parallel, "CHUNK_UNITS", 25)  # several chunks per worker
    alone = enrich_units(units, themes=themes, reference_date=DAY, letters=letters)
    spread = parallel.enrich_in_workers(units, themes=themes, reference_date=DAY, letters=letters, workers=2)
    assert alone.theme_links and alone.events and alone.commitments
    assert _rows(spread) == _rows(alone)
    assert list(spread.commitments) == list(alone.commitments)  # same order: by unit, then position


def _fresh_copy(sample_warehouse, path):
    """A copy of the sample warehouse that has forgotten its enrichment (the next run is full)."""
    import shutil

    import duckdb

    shutil.copy(sample_warehouse, path)
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM _enriched_documents")
    con.close()


def test_a_full_enrichment_in_batches_equals_one_batch_and_a_stopped_one_resumes(sample_warehouse, tmp_path, monkeypatch):
    from etl import pipeline
    from etl.config import Settings
    from tests.warehouse_hash import analyst_hashes

    def settings(name):
        _fresh_copy(sample_warehouse, tmp_path / name)
        return Settings(warehouse_path=tmp_path / name, data_dir=tmp_path / "data", parse_workers=1)

    whole = settings("whole.duckdb")
    first = pipeline.link_themes(whole, reference_date=DAY)
    assert first.full and first.documents_enriched > 3

    monkeypatch.setattr(pipeline, "ENRICH_BATCH", 3)
    batched = settings("batched.duckdb")
    summary = pipeline.link_themes(batched, reference_date=DAY)
    assert (summary.units, summary.theme_links, summary.events, summary.commitments) == (
        first.units, first.theme_links, first.events, first.commitments)
    assert analyst_hashes(batched.warehouse_path) == analyst_hashes(whole.warehouse_path)

    # stopped after its first batch: the next run enriches the rest, and the result is the same
    stopped = settings("stopped.duckdb")
    from etl.load import enrichment

    real, calls = enrichment.load_enrichment, []

    def load_then_stop(*a, **kw):
        if calls:
            raise KeyboardInterrupt("stopped")
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(enrichment, "load_enrichment", load_then_stop)
    with pytest.raises(KeyboardInterrupt):
        pipeline.link_themes(stopped, reference_date=DAY)
    monkeypatch.setattr(enrichment, "load_enrichment", real)
    resumed = pipeline.link_themes(stopped, reference_date=DAY)
    assert not resumed.full and resumed.documents_enriched == first.documents_enriched - 3
    assert analyst_hashes(stopped.warehouse_path) == analyst_hashes(whole.warehouse_path)
