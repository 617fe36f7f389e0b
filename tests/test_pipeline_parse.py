"""The parse step: once per (file hash, parser version), in worker processes for big batches,
and a broken file becomes a recorded failure that never stops the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl import pipeline
from etl.config import Settings
from etl.replay import ReplayServer
from replay_fixtures import edits
from etl.sample import SAMPLE_API_DIR


def fetched(tmp_path: Path, fixture: Path) -> Settings:
    with ReplayServer(fixture) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=tmp_path / "data",
                            warehouse_path=tmp_path / "w.duckdb", parse_workers=1)
        pipeline.fetch_metadata(settings)
        pipeline.fetch_letter_files(settings)
    return settings


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    return fetched(tmp_path_factory.mktemp("store"), SAMPLE_API_DIR)


def payload_set(settings: Settings) -> dict[str, dict]:
    from etl.parse import PARSER_VERSION
    from etl.store import RawStore

    store = RawStore(settings.store_dir)
    return {d.id: store.get_parse(store.current_file(d.id).sha256, PARSER_VERSION) for d in store.documents()}


def test_worker_processes_give_the_same_parses_as_inline(sample_store, tmp_path):
    inline = sample_store
    summary = pipeline.parse_letters(inline)
    assert (summary.parsed, summary.failures) == (17, ())

    pooled = inline.with_overrides(data_dir=tmp_path / "pooled", parse_workers=2)
    shutil.copytree(inline.data_dir / "raw" / "files", pooled.data_dir / "raw" / "files")
    shutil.copytree(inline.data_dir / "raw" / "state", pooled.data_dir / "raw" / "state")
    pooled_summary = pipeline.parse_letters(pooled)
    assert pooled_summary.parsed == 17
    assert payload_set(pooled) == payload_set(inline)


def test_a_second_pass_parses_nothing_and_reads_no_payload_for_the_same_summary(sample_store, monkeypatch):
    from etl.store.parses import ParseCache

    first = pipeline.parse_letters(sample_store)

    def no_payloads(*_a, **_k):
        raise AssertionError("a cached payload was read")

    monkeypatch.setattr(ParseCache, "get", no_payloads)
    again = pipeline.parse_letters(sample_store)
    assert (again.parsed, again.cached) == (0, 17)
    assert (again.warnings, again.failures) == (first.warnings, first.failures)


def test_a_broken_file_is_a_recorded_failure_and_the_others_still_parse(tmp_path):
    fixture = tmp_path / "fx"
    shutil.copytree(SAMPLE_API_DIR, fixture)
    versions = __import__("json").loads((fixture / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    victim = next(v["Document_Id"] for v in versions if v["ExterneIdentifier"] == "ah-tk-20252026-611")
    edits.replace_resource(fixture, victim, b"%PDF-1.7\n" + bytes(range(256)) * 4, ".pdf", "2026-11-01T10:00:00Z")
    settings = fetched(tmp_path, fixture)
    summary = pipeline.parse_letters(settings)
    assert summary.parsed == 17
    assert [doc for doc, _, _ in summary.failures] == [victim]
    assert summary.failures[0][1] in {"unreadable", "parser_error"}


def test_fetch_and_parse_together_equals_the_two_steps_in_turn_and_overlaps_them(sample_store, tmp_path, monkeypatch):
    """Each file is parsed as soon as it is stored: the first parse is stored before the last
    file arrives (the downloads are slowed down), and the outcome is that of fetch, then parse."""
    import time as clock

    from etl.replay.faults import Faults
    from etl.store import RawStore

    in_turn = pipeline.parse_letters(sample_store)
    stamps: dict[str, list[float]] = {"file": [], "parse": []}
    put_file, put_parse = RawStore.put_file, RawStore.put_parse

    def spy_file(self, *a, **kw):
        out = put_file(self, *a, **kw)
        stamps["file"].append(clock.monotonic())
        return out

    def spy_parse(self, *a, **kw):
        stamps["parse"].append(clock.monotonic())
        return put_parse(self, *a, **kw)

    monkeypatch.setattr(RawStore, "put_file", spy_file)
    monkeypatch.setattr(RawStore, "put_parse", spy_parse)
    with ReplayServer(SAMPLE_API_DIR, faults=Faults(latency=0.4)) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=tmp_path / "data", warehouse_path=tmp_path / "w.duckdb",
                            parse_workers=2, concurrency=1)
        pipeline.fetch_metadata(settings)
        files, together = pipeline.fetch_and_parse_letters(settings)
    assert len(files.new) == 17 and not files.failed
    assert (together.parsed, together.cached, together.without_file, together.warnings) == (
        in_turn.parsed + in_turn.cached, 0, in_turn.without_file, in_turn.warnings)
    assert together.failures == in_turn.failures
    assert payload_set(settings) == payload_set(sample_store)
    assert len(stamps["file"]) == 17 and stamps["parse"]
    assert min(stamps["parse"]) < max(stamps["file"]), "the parse waited for the last download"
