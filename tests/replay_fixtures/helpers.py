"""Shared helpers for the source, store and replay tests (fixture copies, fast settings)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

from etl.config import Settings

SMALL = Path(__file__).resolve().parent / "small"
IDS: dict[str, str] = json.loads((SMALL / "ids.json").read_text())


def fast_settings(base_url: str, **overrides: Any) -> Settings:
    """Small timeouts and backoff so fault tests take fractions of a second."""
    values: dict[str, Any] = dict(
        api_url=base_url, connect_timeout=2.0, read_timeout=0.5, max_retries=4,
        backoff_base=0.01, backoff_max=0.05, concurrency=4,
    )
    values.update(overrides)
    return Settings(**values)


def copy_fixture(dest: Path, source: Path = SMALL) -> Path:
    shutil.copytree(source, dest)
    return dest


def edit_rows(fixture: Path, entity: str, fn: Callable[[list[dict[str, Any]]], list[dict[str, Any]] | None]) -> None:
    """Rewrite ``<entity>.json`` of a fixture copy through ``fn`` (which may edit in place)."""
    path = fixture / f"{entity}.json"
    data = json.loads(path.read_text())
    rows = data["value"] if isinstance(data, dict) else data
    new = fn(rows)
    rows = rows if new is None else new
    path.write_text(json.dumps({"value": rows} if isinstance(data, dict) else rows, indent=1))


def row(fixture: Path, entity: str, key: str) -> dict[str, Any]:
    data = json.loads((fixture / f"{entity}.json").read_text())["value"]
    return next(r for r in data if r["Id"] == IDS[key])
