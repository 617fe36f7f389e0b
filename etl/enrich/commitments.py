"""Promises and expectations stated inside answers, with a due range and a status.

"ik informeer uw Kamer voor de zomer" is a commitment; "het OM verwacht dat de achterstand
eind 2026 is ingelopen" an expectation. The due range is the date phrase
nearest after the trigger in the same sentence (else the nearest before it); a promise without a
date is kept with no due range and status ``open``, a vague one ("de komende jaren") keeps its
phrase as ``text``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Sequence

from etl.enrich.records import Commitment, CommitmentStatus, DateSpan
from etl.enrich.text import word_tests_hold

_VERBS = r"zal|zullen|ga|gaan|informeer|informeren|stuur|sturen|zend|zenden|bericht|kom|komen|houd|houden|breng|brengen"
# Each trigger with the words (lower case) it cannot match without, and whether it needs a
# pronoun ("ik", "wij", "we") as a word: a substring test on the lower-cased sentence is far
# cheaper than a search with the regex, and most sentences hold none of the words.
_PRONOUN = re.compile(r"\b(?:ik|wij|we)\b", re.IGNORECASE)
_COMMITMENT_TRIGGERS = (
    (re.compile(rf"\b(?:ik|wij|we)\s+(?:{_VERBS})\b", re.IGNORECASE), (), True),
    (re.compile(rf"\b(?:{_VERBS})\s+(?:ik|wij|we)\b", re.IGNORECASE), (), True),
    # "ik laat ... toetsen" (but not "ik laat mij niet uit")
    (re.compile(r"\b(?:ik|wij|we)\s+(?:laat|laten)\b(?!\s+(?:mij|me|ons|zich)\b)", re.IGNORECASE), ("la",), True),
    (re.compile(r"\buw\s+kamer\b[^.?!]{0,80}?\b(?:informeren|geïnformeerd|op\s+de\s+hoogte|toesturen|toegezonden|ontvangt)",
                re.IGNORECASE), ("kamer",), False),
    # "toezegging" (the noun) mostly recalls an old promise ("u wijst op een eerdere toezegging"), so
    # only the verb counts.
    (re.compile(r"\bzeg\s+(?:ik\s+|wij\s+)?toe\b|\btoegezegd\b", re.IGNORECASE), ("zeg",), False),
)
_EXPECTATION_TRIGGERS = (
    (re.compile(r"\bverwacht(?:t|en|te)?\b", re.IGNORECASE), ("verwacht",), False),
    (re.compile(r"\bnaar\s+verwachting\b|\bde\s+verwachting\s+is\b", re.IGNORECASE), ("verwacht",), False),
    (re.compile(r"\bga(?:at|an)\s+er\s+(?:\w+\s+){0,2}van\s+uit\s+dat\b|\bga(?:at|an)\s+ervan\s+uit\s+dat\b",
                re.IGNORECASE), ("uit",), False),
    (re.compile(r"\bstreef\w*|\bstreven\b|\bbeoogd\w*|\bgepland\b|\bplanning\s+is\b", re.IGNORECASE),
     ("stre", "beoogd", "gepland", "planning"), False),
)
COMMITMENT_TRIGGERS = tuple(rx for rx, _, _ in _COMMITMENT_TRIGGERS)
EXPECTATION_TRIGGERS = tuple(rx for rx, _, _ in _EXPECTATION_TRIGGERS)
# A date right after these words dates a cited document or event, not a promise.
_CITATION_DATE = re.compile(
    r"(?:brief|bericht|toespraak|vragenuur|debat|overleg|artikel|rapport|publicatie|uitzending)\w*"
    r"\s+(?:van\s+|d\.d\.\s+|op\s+)?(?:de\s+)?$",
    re.IGNORECASE,
)


def is_citation_date(text: str, span: DateSpan) -> bool:
    return bool(_CITATION_DATE.search(text[max(0, span.start - 40):span.start]))


def status_of(due_start: date | None, due_end: date | None, reference: date) -> CommitmentStatus:
    """open before the due range, due inside it, overdue after it; undated promises stay open.

    The provisional status of one letter's records; the warehouse judges with the SQL macro
    ``commitment_status`` (warehouse/20_enrichment.sql), which also knows when a later letter
    superseded the promise. tests/test_enrich_superseded.py keeps the two equal.
    """
    if due_end is not None and reference > due_end:
        return "overdue"
    if due_start is not None and reference >= due_start:
        return "due"
    if due_start is None and due_end is not None and reference == due_end:
        return "due"
    return "open"


# "Ik heb uw Kamer ... geïnformeerd" reports a promise kept, it makes no new one.
_REPORTED = ("geïnformeerd", "toegezonden", "gestuurd", "bericht")
_PAST = re.compile(r"\b(?:heb|hebt|heeft|hebben|had|hadden|werd|werden|is|zijn)\b[^.?!]*\b(?:"
                   + "|".join(_REPORTED) + r")\b", re.IGNORECASE)
_STILL_AHEAD = re.compile(r"\b(?:zal|zullen|wordt|worden)\b", re.IGNORECASE)


def find_trigger(sentence: str) -> tuple[str, re.Match[str]] | None:
    """The first commitment or expectation trigger in the sentence (commitment wins a tie)."""
    low = sentence.lower()
    every = not word_tests_hold(sentence)  # the word tests could miss a match: run every regex

    def may(needs: tuple[str, ...]) -> bool:
        return every or not needs or any(w in low for w in needs)

    if may(_REPORTED) and _PAST.search(sentence) and not _STILL_AHEAD.search(sentence):
        return None
    pronoun: bool | None = None  # searched once, the first time a trigger needs it
    best: tuple[str, re.Match[str]] | None = None
    for kind, triggers in (("commitment", _COMMITMENT_TRIGGERS), ("expectation", _EXPECTATION_TRIGGERS)):
        for rx, needs, needs_pronoun in triggers:
            if not may(needs):
                continue
            if needs_pronoun:
                if pronoun is None:
                    pronoun = every or _PRONOUN.search(sentence) is not None
                if not pronoun:
                    continue
            m = rx.search(sentence)
            if m and (best is None or m.start() < best[1].start()):
                best = (kind, m)
    return best


def pick_due(dates: Sequence[DateSpan], trigger_at: int) -> DateSpan | None:
    """Dated phrases after the trigger first, then before it; a vague phrase only as last resort."""
    dated = [d for d in dates if d.date_end is not None]
    after = [d for d in dated if d.start >= trigger_at]
    if after:
        return after[0]
    before = [d for d in dated if d.start < trigger_at]
    if before:
        return before[-1]
    vague = [d for d in dates if d.date_end is None]
    return vague[0] if vague else None


def commitment_in_sentence(unit_id: str, document_id: str, text: str, sent: tuple[int, int],
                           dates: Sequence[DateSpan], reference: date,
                           letter_date: date | None = None) -> Commitment | None:
    """A Commitment when the sentence ``text[sent[0]:sent[1]]`` holds a trigger, else None."""
    s, e = sent
    sentence = text[s:e]
    found = find_trigger(sentence)
    if found is None:
        return None
    kind, m = found
    inside = [d for d in dates if s <= d.start and d.end <= e and not is_citation_date(text, d)]
    due = pick_due(inside, s + m.start())
    due_start = due.date_start if due else None
    due_end = due.date_end if due else None
    return Commitment(
        unit_id=unit_id,
        document_id=document_id,
        text=due.text if due else "",
        due_start=due_start,
        due_end=due_end,
        status=status_of(due_start, due_end, reference),
        evidence=sentence,
        start=s,
        end=e,
        kind=kind,  # type: ignore[arg-type]
        letter_date=letter_date,
        trigger=m.group(0),
    )


__all__ = ["commitment_in_sentence", "find_trigger", "is_citation_date", "pick_due", "status_of"]
