"""Cross references inside a letter: 'zie het antwoord op vraag 7' → refers_to ('7',)."""

from __future__ import annotations

import re
from collections.abc import Collection

from etl.parse.labels import NUMLIST, split_numbers

_REF = re.compile(
    r"\b(?:[Aa]ntwoord(?:en)?|[Bb]eantwoording)\s+"
    r"(?:(?:op|van|bij)\s+)?(?:de\s+|het\s+)?(?:[Vv]ra(?:ag|gen)\s+)?"
    rf"(?P<nums>{NUMLIST})(?!\d)"
    r"|\b[Vv]ra(?:ag|gen)\s+"
    rf"(?P<nums2>{NUMLIST})(?!\d)(?=[^.]{{0,40}}\b(?:beantwoord|antwoord))"
)


def cross_references(text: str, known: Collection[str], own: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Question numbers of this letter that an answer text points to, in order of mention.

    Only numbers that exist as questions in the letter count, so 'antwoord op vraag 2 van het
    lid X (Aanhangsel …, nr. 123)' about another letter cannot invent a number here.
    """
    known_set = known if isinstance(known, (set, frozenset)) else set(known)
    out: list[str] = []
    for m in _REF.finditer(text):
        nums = m.group("nums") or m.group("nums2") or ""
        for n in split_numbers(nums):
            if n in known_set and n not in own and n not in out:
                out.append(n)
    return tuple(out)
