"""The one window on the sample: the sync fetches ``[start, end)`` by Dutch submission day."""

from __future__ import annotations

from datetime import date

import pytest

from etl.config import Settings
from etl.source.client import TKClient
from etl.source.sync import sync_metadata
from etl.store import RawStore
from etl.window import Window


def numbers(replay, tmp_path, window: Window) -> set[str]:
    store = RawStore(tmp_path / "raw")
    # the sample has quiet months: switch off the empty-window alarm meant for the live service
    with TKClient(Settings(api_url=replay.base_url, max_retries=1, empty_window_days=0)) as client:
        sync_metadata(client, store, window=window)
    return {q.number for q in store.question_sets()}


def test_a_set_submitted_on_the_end_day_is_not_fetched(sample_replay, tmp_path):
    # 2025Z18830 was submitted on 14 October 2025 (Dutch midnight, +02:00)
    assert numbers(sample_replay, tmp_path, Window(date(2025, 9, 1), date(2025, 10, 14))) == {"2025Z16204"}


def test_a_set_submitted_on_the_start_day_is_fetched(sample_replay, tmp_path):
    assert numbers(sample_replay, tmp_path, Window(date(2025, 10, 14), date(2025, 10, 15))) == {"2025Z18830"}


def test_monthly_windows_partition_the_sample(sample_replay, tmp_path):
    seen: list[str] = []
    day = date(2025, 9, 1)
    while day < date(2026, 11, 1):
        month = Window.month(day)
        seen += sorted(numbers(sample_replay, tmp_path / str(day), month))
        day = month.end
    assert len(seen) == len(set(seen)) == 8


def test_the_window_type_refuses_an_end_not_after_its_start():
    with pytest.raises(ValueError, match="excluded"):
        Window(date(2025, 10, 14), date(2025, 10, 14))
