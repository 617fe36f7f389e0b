"""The project's own sample letters (etl/sample, written by us) parse exactly like their gold.

Gold files are ``etl/sample/letters/<ExterneIdentifier>.json`` in the corpus format; the
letter files are the replay fixture's ``api/resources/<Document Id>.<ext>``. The sample
directory is ``etl/sample`` in the project, or ``$KAMERSPOOR_SAMPLE_DIR`` (a worktree that
does not hold the sample yet). Missing sample = failure, not a skip.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from etl.parse import parse_file
from tests.parse_helpers import compare_to_gold


def sample_dir() -> Path:
    env = os.environ.get("KAMERSPOOR_SAMPLE_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[1] / "etl" / "sample"
    assert (path / "letters").is_dir() and (path / "api" / "DocumentVersie.json").is_file(), (
        f"sample letters not found under {path}: set KAMERSPOOR_SAMPLE_DIR"
    )
    return path


def sample_cases() -> list[tuple[dict, Path]]:
    root = sample_dir()
    versions = json.loads((root / "api" / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    by_ext_id = {v["ExterneIdentifier"]: v for v in versions}
    cases = []
    for gold_path in sorted((root / "letters").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        v = by_ext_id[gold["id"]]
        cases.append((gold, root / "api" / "resources" / f"{v['Document_Id']}{v['Extensie']}"))
    return cases


@pytest.mark.parametrize("engine", ["pdfplumber", "pypdfium2"])
def test_every_sample_letter_parses_like_its_gold(engine: str) -> None:
    cases = sample_cases()
    assert len(cases) >= 5
    failures = {}
    for gold, path in cases:
        letter = parse_file(path, pdf_engine=engine)
        problems = compare_to_gold(letter, gold)
        for key in ("askers", "addressees", "answered_by"):
            if list(getattr(letter, key)) != gold[key]:
                problems.append(f"{key} {getattr(letter, key)} != gold {gold[key]}")
        if (letter.closing or None) != gold["closing"]:
            problems.append(f"closing {letter.closing!r} != gold {gold['closing']!r}")
        if problems:
            failures[gold["id"]] = problems
    assert failures == {}


def test_sample_layouts_are_all_covered() -> None:
    """The sample exercises every reader: Aanhangsel PDF, ministry letter PDF, DOCX, notice."""
    layouts = {gold["layout"]: path.suffix for gold, path in sample_cases()}
    assert {"aanhangsel", "ministry_letter", "docx", "delay_notice"} <= set(layouts)
    notice = next(parse_file(p) for g, p in sample_cases() if g["layout"] == "delay_notice")
    assert notice.answers == () and any("Mededeling" in w for w in notice.warnings)
