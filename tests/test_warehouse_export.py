"""Export to Parquet/CSV with a manifest, and the read-only snapshot analysts query."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.load import warehouse as wh
from etl.load.export import export_warehouse
from tests.test_warehouse_fixtures import fresh_warehouse


@pytest.fixture()
def db_path(tmp_path: Path, tmp_path_factory) -> Path:
    fresh_warehouse(tmp_path, tmp_path_factory).close()
    return tmp_path / "w.duckdb"


def test_export_writes_every_relation_as_parquet_and_csv_with_a_manifest(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    manifest = export_warehouse(db_path, out, csv=True)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    relations = manifest["relations"]
    assert {"question_sets", "documents", "qa_pairs", "response_times", "response_times_by_ministry"} <= set(relations)
    for name, info in relations.items():
        frame = pl.read_parquet(out / f"{name}.parquet")
        assert frame.height == info["rows"], name
        assert frame.columns == [c["name"] for c in info["columns"]], name
        assert (out / f"{name}.csv").is_file(), name
    assert relations["qa_pairs"]["rows"] == 7
    assert relations["question_sets"]["rows"] == 6
    qa_cols = {c["name"]: c for c in relations["qa_pairs"]["columns"]}
    assert qa_cols["grouped"]["type"] == "BOOLEAN"
    assert "several questions" in qa_cols["grouped"]["comment"]
    csv_rows = pl.read_csv(out / "qa_pairs.csv").height
    assert csv_rows == 7
    assert not list(out.glob("*.tmp"))


def test_export_without_csv_writes_parquet_only(db_path: Path, tmp_path: Path) -> None:
    manifest = export_warehouse(db_path, tmp_path / "e")
    assert manifest["formats"] == ["parquet"]
    assert not list((tmp_path / "e").glob("*.csv"))


def test_export_of_a_missing_warehouse_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope.duckdb"):
        export_warehouse(tmp_path / "nope.duckdb", tmp_path / "e")


def test_snapshot_is_queryable_read_only_while_the_writer_holds_the_live_file(db_path: Path, tmp_path: Path) -> None:
    snapshot = wh.publish_snapshot(db_path, tmp_path / "public" / "kamerspoor.duckdb")
    writer = wh.connect(db_path)  # the job keeps writing to the live file
    try:
        writer.execute("DELETE FROM qa_pairs")
        reader = wh.connect(snapshot, read_only=True)
        try:
            assert reader.execute("SELECT count(*) FROM qa_pairs").fetchone()[0] == 7
            assert reader.execute("SELECT count(*) FROM search_qa('storing')").fetchone()[0] == 3
            with pytest.raises(duckdb.Error):
                reader.execute("DELETE FROM qa_pairs")
        finally:
            reader.close()
    finally:
        writer.close()


def test_snapshot_replaces_the_previous_one_atomically(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "public" / "kamerspoor.duckdb"
    wh.publish_snapshot(db_path, target)
    con = wh.connect(db_path)
    con.execute("DELETE FROM qa_pairs WHERE question_set_number = '2025Z10001'")
    con.close()
    wh.publish_snapshot(db_path, target)
    reader = wh.connect(target, read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM qa_pairs").fetchone()[0] == 4
    finally:
        reader.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["kamerspoor.duckdb"]


def test_snapshot_onto_the_live_file_is_refused(db_path: Path) -> None:
    with pytest.raises(ValueError, match="must not be the live warehouse"):
        wh.publish_snapshot(db_path, db_path)
