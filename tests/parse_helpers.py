"""Shared helpers for the parser tests: where the corpus is, and the README's comparison rule."""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from etl.models import ParsedLetter

_DASHES = re.compile(r"[\s\-‐‑‒–—―]+")


def corpus_dir() -> Path:
    """``$KAMERSPOOR_CORPUS`` or ``../shared/corpus`` next to the project root; must exist."""
    env = os.environ.get("KAMERSPOOR_CORPUS")
    path = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
    path = path.resolve()
    assert path.is_dir() and any(path.glob("*.json")), (
        f"gold corpus not found at {path}: set KAMERSPOOR_CORPUS or provide ../shared/corpus"
    )
    return path


def gold_letter(doc_id: str) -> dict[str, Any]:
    return json.loads((corpus_dir() / f"{doc_id}.json").read_text(encoding="utf-8"))


def norm(s: str) -> str:
    """Corpus README rule: NFKC, drop whitespace, hyphens and dashes, case-fold."""
    return _DASHES.sub("", unicodedata.normalize("NFKC", s)).casefold()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()


def compare_to_gold(letter: ParsedLetter, gold: dict[str, Any], threshold: float = 0.95) -> list[str]:
    """Every way ``letter`` differs from the gold labels (empty list = exact match)."""
    problems: list[str] = []
    want_q = [tuple(i["numbers"]) for i in gold["items"]]
    want_a = [tuple(a["answers_questions"]) for a in gold["answers"]]
    got_q = [b.numbers for b in letter.questions]
    got_a = [b.numbers for b in letter.answers]
    if got_q != want_q:
        problems.append(f"question blocks {got_q} != gold {want_q}")
    if got_a != want_a:
        problems.append(f"answer blocks {got_a} != gold {want_a}")
    for g, b in zip(gold["items"], letter.questions):
        r = similarity(g["text"], b.text)
        if r < threshold:
            problems.append(f"question {g['numbers']} text similarity {r:.3f}: {b.text[:200]!r}")
    for g, b in zip(gold["answers"], letter.answers):
        r = similarity(g["text"], b.text)
        if r < threshold:
            problems.append(f"answer {g['answers_questions']} text similarity {r:.3f}: {b.text[:200]!r}")
    want_fn = [f["n"] for f in gold["footnotes"]]
    got_fn = [f.n for f in letter.footnotes]
    if got_fn != want_fn:
        problems.append(f"footnote numbers {got_fn} != gold {want_fn}")
    for g, f in zip(gold["footnotes"], letter.footnotes):
        r = similarity(g["text"], f.text)
        if r < threshold:
            problems.append(f"footnote {g['n']} similarity {r:.3f}: {f.text[:200]!r}")
    for key in ("date_submitted", "date_answered"):
        value = getattr(letter, key)
        got = value.isoformat() if value else None
        if got != gold[key]:
            problems.append(f"{key} {got} != gold {gold[key]}")
    return problems
