"""Text units from a letter in the corpus gold format (for evaluation and the benchmark).

The gold format (``../shared/corpus/README.md``, also used by the bundled sample letters) holds
``items`` (questions), ``answers``, ``footnotes`` and ``closing``; this builds the same
:class:`TextUnit` ids the warehouse uses, so labels written against unit ids stay valid.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from etl.enrich.themes import LetterContext
from etl.models import TextUnit


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def units_from_gold(doc: dict[str, Any], document_id: str | None = None,
                    letter_date: date | None = None) -> list[TextUnit]:
    """Units of one gold document; the letter date falls back to the answer, then submission date."""
    doc_id = document_id or str(doc.get("id") or "")
    if not doc_id:
        raise ValueError("gold document has no 'id' and no document_id was given")
    when = letter_date or _day(doc.get("date_answered")) or _day(doc.get("date_submitted"))
    units: list[TextUnit] = []
    for i, item in enumerate(doc.get("items", [])):
        units.append(TextUnit(f"{doc_id}:q:{i}", doc_id, "question", tuple(item.get("numbers", ())),
                              item.get("text", ""), when))
    for i, ans in enumerate(doc.get("answers", [])):
        units.append(TextUnit(f"{doc_id}:a:{i}", doc_id, "answer",
                              tuple(ans.get("answers_questions", ())), ans.get("text", ""), when))
    for fn in doc.get("footnotes", []):
        units.append(TextUnit(f"{doc_id}:fn:{fn['n']}", doc_id, "footnote", (str(fn["n"]),),
                              fn.get("text", ""), when))
    if doc.get("closing"):
        units.append(TextUnit(f"{doc_id}:closing", doc_id, "closing", (), doc["closing"], when))
    return units


def letter_from_gold(doc: dict[str, Any]) -> LetterContext:
    """Title, addressees and answerers of one gold document (for the themes' scope checks)."""
    return LetterContext(str(doc.get("title") or ""), tuple(doc.get("addressees") or ()),
                         tuple(doc.get("answered_by") or ()))
