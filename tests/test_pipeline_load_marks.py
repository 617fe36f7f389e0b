"""A load whose metadata has not changed since the last one skips the metadata upsert; any
change to the merged metadata (or to the code and DDL that map it) loads it again."""

from __future__ import annotations

import dataclasses

import pytest

from etl import pipeline
from etl.config import Settings
from etl.load import warehouse
from etl.replay import ReplayServer
from etl.sample import SAMPLE_API_DIR
from etl.store import MetadataBatch, RawStore


@pytest.fixture()
def parsed(tmp_path) -> Settings:
    with ReplayServer(SAMPLE_API_DIR) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=tmp_path / "data",
                            warehouse_path=tmp_path / "w.duckdb", parse_workers=1)
        pipeline.fetch_metadata(settings)
        pipeline.fetch_letter_files(settings)
    pipeline.parse_letters(settings)
    return settings


def _spy(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = warehouse.load_metadata

    def spy(con, question_sets, *a, **k):
        calls.append(len(question_sets))
        return real(con, question_sets, *a, **k)

    monkeypatch.setattr(warehouse, "load_metadata", spy)
    return calls


def test_unchanged_metadata_is_not_loaded_again_and_a_merged_change_is(parsed, monkeypatch):
    calls = _spy(monkeypatch)
    pipeline.load_warehouse(parsed)
    pipeline.load_warehouse(parsed)
    assert calls == [8], "the second load of the same metadata must skip the upsert"

    store = RawStore(parsed.store_dir)
    renamed = dataclasses.replace(store.question_sets()[0], subject="Een nieuwe titel")
    docs = [d for d in store.documents() if renamed.id in d.question_set_ids]
    store.merge(MetadataBatch(snapshots=[(renamed, docs, [])]))
    pipeline.load_warehouse(parsed)
    assert calls == [8, 8]
    con = warehouse.connect(parsed.warehouse_path, read_only=True)
    try:
        subject = con.execute("SELECT subject FROM question_sets WHERE question_set_id = ?", [renamed.id]).fetchone()[0]
    finally:
        con.close()
    assert subject == "Een nieuwe titel"


def test_a_warehouse_without_the_mark_loads_the_metadata(parsed, monkeypatch):
    pipeline.load_warehouse(parsed)
    con = warehouse.connect(parsed.warehouse_path)
    con.execute("DELETE FROM _load_marks WHERE mark = 'metadata'")
    con.execute("DELETE FROM actors")  # what an older release, or a hand edit, left behind
    con.close()
    calls = _spy(monkeypatch)
    pipeline.load_warehouse(parsed)
    assert calls == [8]
    con = warehouse.connect(parsed.warehouse_path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM actors").fetchone()[0] > 0
    finally:
        con.close()


def test_the_metadata_digest_moves_with_a_merge_that_changes_something_only(tmp_path):
    store = RawStore(tmp_path)
    empty = store.metadata_digest()
    with ReplayServer(SAMPLE_API_DIR) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=tmp_path / "d", warehouse_path=tmp_path / "w.duckdb")
        pipeline.fetch_metadata(settings)
    synced = RawStore(settings.store_dir)
    first = synced.metadata_digest()
    assert first != empty
    same = synced.question_sets()[0]
    docs = [d for d in synced.documents() if same.id in d.question_set_ids]
    actors = [a for a in synced.actors() if a.question_set_id == same.id]
    synced.merge(MetadataBatch(snapshots=[(same, docs, actors)]))  # nothing new: nothing written
    assert synced.metadata_digest() == first
