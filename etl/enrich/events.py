"""The timeline: dated statements classified as incident, deadline, expectation, commitment or figure.

Each date phrase in a question or answer is judged by its sentence: a commitment or expectation
found there wins; then deadline words ("inwerkingtreding", "uiterlijk", "voor het zomerreces"),
then incident words ("ICT-inbreuk", "storing", "offline"), then figures (numbers, "cijfers").
A date that is none of these (the date of a cited letter, say) is not an event.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Sequence

from etl.enrich.commitments import is_citation_date
from etl.enrich.records import DateSpan, Event, EventKind

DEADLINE = re.compile(
    r"inwerkingtreding|in\s+werking\s+(?:treden|treedt)|deadline|uiterlijk|uiterste\s+datum"
    r"|termijn|planning|gepland|streef|beoogd|toezegging|toegezegd|moet\s+(?:zijn|worden)\s+(?:afgerond|gerealiseerd)"
    r"|gereed|afgerond\s+(?:zijn|worden)|opgeleverd",
    re.IGNORECASE,
)
INCIDENT = re.compile(
    r"inbreuk|storing|verstoring|hack|aanval|incident|uitval|offline|datalek|ransomware|lek\b|plat\s+(?:lag|gelegen)",
    re.IGNORECASE,
)
FIGURE = re.compile(
    r"\bcijfers\b|percentage|procent|%|\baantal(?:len)?\b|gemiddeld|\bstijging\b|\bdaling\b"
    r"|(?<![0-9])[0-9][0-9.,]*\s+(?:zaken|medewerkers|fte|euro|miljoen|miljard|dossiers|meldingen"
    r"|slachtoffers|verdachten|dagen|weken|maanden)\b",
    re.IGNORECASE,
)


def classify(sentence: str, span_in_sentence: tuple[int, int], before: bool) -> EventKind | None:
    """Event kind of a date phrase from the words of its sentence (None: not an event)."""
    if before or DEADLINE.search(sentence):
        return "deadline"
    if INCIDENT.search(sentence):
        return "incident"
    s, e = span_in_sentence
    rest = sentence[:s] + " " * (e - s) + sentence[e:]
    if FIGURE.search(rest):
        return "figure"
    return None


def events_in_sentence(unit_id: str, document_id: str, text: str, sent: tuple[int, int],
                       dates: Sequence[DateSpan], *, theme: str | None, subject: str | None,
                       letter_date: date | None, skip: set[int]) -> list[Event]:
    """Events for the dated phrases of one sentence; ``skip`` holds starts already used by a commitment."""
    s, e = sent
    sentence = text[s:e]
    out: list[Event] = []
    for d in dates:
        if not (s <= d.start and d.end <= e) or d.date_end is None or d.start in skip:
            continue
        if d.form == "session" or is_citation_date(text, d):
            continue
        kind = classify(sentence, (d.start - s, d.end - s), d.before)
        if kind is None:
            continue
        out.append(Event(unit_id, document_id, kind, theme, d.date_start, d.date_end, d.text,
                         sentence, s, e, subject, letter_date))
    return out


__all__ = ["classify", "events_in_sentence"]
