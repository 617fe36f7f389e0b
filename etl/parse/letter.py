"""Glue: pieces → structure → metadata → :class:`etl.models.ParsedLetter`."""

from __future__ import annotations

import re

from etl.models import ParsedLetter
from etl.parse.lines import Piece
from etl.parse.meta import extract_meta
from etl.parse.structure import assemble

# Metadata (title, askers, dates) is printed at the start of a letter; reading further only
# costs time on huge inputs, and some of the metadata patterns are slow on long text.
META_CHARS = 20_000
WARNINGS_PER_KIND = 10  # then one line counts the rest of that kind


_DIGITS = re.compile(r"\d+")


def aggregate_warnings(warnings: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Each warning once, with a count when it occurs more than twice; of many warnings of
    one kind (numbers aside) the first ten and one line for the rest, so a huge input gives a
    short list ("question number 1 occurs more than once (8,665 times)")."""
    counts: dict[str, int] = {}
    for w in warnings:
        counts[w] = counts.get(w, 0) + 1
    out: list[str] = []
    kinds: dict[str, int] = {}
    for w, n in counts.items():
        kind = _DIGITS.sub("N", w)
        kinds[kind] = kinds.get(kind, 0) + 1
        if kinds[kind] <= WARNINGS_PER_KIND:
            out.append(w if n <= 2 else f"{w} ({n:,} times)")
    out += [f"… and {n - WARNINGS_PER_KIND:,} more: {k}" for k, n in kinds.items() if n > WARNINGS_PER_KIND]
    return tuple(out)


def build_letter(
    text: str, pieces: list[Piece], source_format: str, version: str, pages: int | None = None
) -> ParsedLetter:
    s = assemble(text, pieces)
    meta = extract_meta("".join(s.intro_lines)[:META_CHARS], "\n".join(s.furniture_lines)[:META_CHARS])
    return ParsedLetter(
        title=meta.title,
        askers=meta.askers,
        addressees=meta.addressees,
        answered_by=meta.answered_by,
        date_submitted=meta.date_submitted,
        date_answered=meta.date_answered,
        question_set_numbers=meta.question_set_numbers,
        see_also=meta.see_also,
        intro=s.intro,
        closing=s.closing,
        questions=s.questions,
        answers=s.answers,
        footnotes=s.footnotes,
        warnings=aggregate_warnings(s.warnings + meta.warnings),
        pages=pages if pages is not None else (text.count("\f") + 1 if text else 0),
        source_format=source_format,
        parser_version=version,
    )
