"""Support for the tests/test_enrich_*.py files (no tests here): where the real corpus and the bundled
sample letters are, and how to read them (text is read at test time, never copied here)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import find_corpus

ROOT = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    """The real corpus (``tests.conftest.find_corpus``); fails loudly when missing."""
    return find_corpus()


def sample_letters_dir() -> Path:
    """The bundled sample letters (``etl/sample/letters``, or ``KAMERSPOOR_SAMPLE_LETTERS``)."""
    env = os.environ.get("KAMERSPOOR_SAMPLE_LETTERS")
    candidates = ([Path(env)] if env else []) + [ROOT / "etl" / "sample" / "letters"]
    for c in candidates:
        if c.is_dir() and any(c.glob("*.json")):
            return c
    raise AssertionError(
        f"bundled sample letters not found (tried {', '.join(str(c) for c in candidates)}); "
        "set KAMERSPOOR_SAMPLE_LETTERS to the directory of the sample's gold JSON letters"
    )


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
