"""Label grammar: which lines open a question or answer block, and which numbers they cover.

Kept apart from the structure code so every label form has one regular expression and one
unit test. All functions are pure and never raise on arbitrary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

# One question number as printed: "7", "12", "1a" (sub-question).
_NUM = r"\d{1,3}[a-z]?"
# A list of numbers: "2 en 3", "1, 2, 3 en 5", "7, 8, 9 10 en 11", "2 & 3", "4 t/m 6", "4-6".
_SEP = r"(?:\s*,\s*(?:en\s+)?|\s+en\s+|\s*&\s*|\s+|\s*(?:t/m|tot\s+en\s+met|[-–])\s*)"
NUMLIST = rf"{_NUM}(?:{_SEP}{_NUM})*"

_QUESTION = re.compile(
    rf"^(?P<label>(?:Vraag|Vragen|VRAAG|VRAGEN)\s+(?P<nums>{NUMLIST}))"
    r"(?:\s*(?P<sep>[:.])\s*(?P<rest>.*?)|\s*)$",
    re.DOTALL,
)
_ANSWER = re.compile(
    rf"^(?P<label>(?:Antwoord|ANTWOORD)"
    rf"(?:\s+(?:op\s+)?(?:de\s+)?(?:[Vv]raag|[Vv]ragen)?\s*(?P<nums>{NUMLIST}))?)"
    r"(?:\s*(?P<sep>[:.])\s*(?P<rest>.*?)|\s*)$",
    re.DOTALL,
)
# Numbered letters: "1." / "1)" / "1" alone, or "1. Kent u ...".
_NUMBERED = re.compile(rf"^(?P<label>(?P<nums>{_NUM})[.)]?)(?:\s+(?P<rest>\S.*?))?\s*$", re.DOTALL)
_CLOSING = re.compile(r"^(?:Toelichting|TOELICHTING)\s*:?(?:\s|$)")
_RANGE = re.compile(rf"^({_NUM})\s*(?:t/m|tot\s+en\s+met|[-–])\s*({_NUM})$")


@dataclass(frozen=True)
class Label:
    """A recognised label at the start of a line.

    ``length`` is how many characters of the (left-stripped) line the label covers; the rest
    of the line, if any, is block text ("Vraag 1: Kent u ...").
    """

    kind: Literal["question", "answer"]
    text: str
    numbers: tuple[str, ...]
    length: int


def split_numbers(nums: str) -> tuple[str, ...]:
    """'1, 2, 3 en 5' -> ('1','2','3','5'); '4 t/m 6' -> ('4','5','6'); keeps '1a'."""
    out: list[str] = []
    nums = re.sub(r"\s+tot\s+en\s+met\s+", " t/m ", nums.strip())
    # Ranges first: "4 t/m 6", "4-6".
    for part in re.split(r"\s*,\s*|\s+en\s+|\s*&\s*", nums):
        m = _RANGE.match(part.strip())
        if m and m.group(1).isdigit() and m.group(2).isdigit():
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo < hi <= lo + 50:
                out.extend(str(i) for i in range(lo, hi + 1))
                continue
        out.extend(p for p in re.findall(_NUM, part))
    return tuple(dict.fromkeys(out))


_SAME_LINE = re.compile(
    rf"^(?P<label>(?:(?:Vraag|Vragen|VRAAG|VRAGEN)|(?:Antwoord|ANTWOORD)(?:\s+(?:op\s+)?(?:[Vv]raag|[Vv]ragen))?)"
    rf"\s+(?P<nums>{NUMLIST}))\s+(?P<rest>[A-Z«“\"'(].*)$",
    re.DOTALL,
)


def _label(kind: Literal["question", "answer"], m: re.Match[str]) -> Label | None:
    rest = m.group("rest")
    if rest and not m.group("sep"):
        return None
    nums = m.group("nums")
    numbers = split_numbers(nums) if nums else ()
    end = m.end("label")
    if m.group("sep") and not rest:
        end = m.end("sep")
    elif rest:
        end = m.start("rest")
    return Label(kind, m.group("label"), numbers, end)


@lru_cache(maxsize=4096)
def match_label(line: str) -> Label | None:
    """The 'Vraag …' / 'Antwoord …' label that opens ``line``, if it is one (remembered: the
    structure stage asks about each line several times; a Label is immutable)."""
    s = line.strip()
    if not s or s[0] not in "VvAa" or len(s) > 400:
        return None
    m = _QUESTION.match(s)
    if m:
        return _label("question", m)
    m = _ANSWER.match(s)
    if m:
        return _label("answer", m)
    # A numbered label with the text on the same line: "Vraag 1 Kent u …" (hanging indent).
    m = _SAME_LINE.match(s)
    if m and not re.match(r"(?:Vraag|Vragen|VRAAG|VRAGEN)\s+van\b", s):
        kind: Literal["question", "answer"] = "question" if s[0] in "Vv" else "answer"
        return Label(kind, m.group("label"), split_numbers(m.group("nums")), m.start("rest"))
    return None


def match_numbered(line: str) -> Label | None:
    """A numbered-question line ("1.", "2) Kent u …") for letters without 'Vraag' labels."""
    s = line.strip()
    if not s or not s[0].isdigit():
        return None
    m = _NUMBERED.match(s)
    if not m:
        return None
    label = m.group("label")
    if m.group("rest") and not label.endswith((".", ")")):
        return None
    end = m.start("rest") if m.group("rest") else m.end("label")
    return Label("question", label, (m.group("nums"),), end)


def is_closing(line: str) -> bool:
    """'Toelichting:' after the last answer opens the closing text."""
    return bool(_CLOSING.match(line.strip()))


def number_key(n: str) -> tuple[int, str]:
    """Sort/compare key: '11' > '5', '1b' > '1a'."""
    m = re.match(r"(\d+)(.*)", n)
    return (int(m.group(1)), m.group(2)) if m else (0, n)
