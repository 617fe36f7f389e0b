"""Glue: pieces → structure → metadata → :class:`etl.models.ParsedLetter`."""

from __future__ import annotations

from etl.models import ParsedLetter
from etl.parse.lines import Piece
from etl.parse.meta import extract_meta
from etl.parse.structure import assemble


def build_letter(
    text: str, pieces: list[Piece], source_format: str, version: str, pages: int | None = None
) -> ParsedLetter:
    s = assemble(text, pieces)
    meta = extract_meta("".join(s.intro_lines), "\n".join(s.furniture_lines))
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
        warnings=s.warnings + meta.warnings,
        pages=pages if pages is not None else (text.count("\f") + 1 if text else 0),
        source_format=source_format,
        parser_version=version,
    )
