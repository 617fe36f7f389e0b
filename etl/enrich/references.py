"""Citations of other parliamentary documents, and follow-up chains between question sets.

Letters cite Kamerstukken ("Kamerstukken II, 2025-2026, 29279, nr. 912"), the Aanhangsel van
de Handelingen (earlier answers), Handelingen (debates) and question set numbers ("2025Z20552").
Each becomes a :class:`Reference` with a normalised ``target`` that matches the KOOP publication
id where one exists (``kst-29279-912``, ``ah-tk-20232024-1234``), so references can be joined to
documents later. A question set number cited as "eerdere vragen" makes a follow-up link.
"""

from __future__ import annotations

import re
from typing import Iterable

from etl.enrich.records import QuestionSetLink, Reference
from etl.models import TextUnit

_SESSION = r"(?P<y1>(?:19|20)[0-9]{2})\s*[-–/]\s*(?P<y2>(?:19|20)?[0-9]{2})"
_CHAMBER = r"(?P<chamber>II|I|1|2)"

_KAMERSTUK = re.compile(
    r"Kamerstuk(?:ken)?\s+" + _CHAMBER + r"\s*,?\s*" + _SESSION + r"\s*,?\s*"
    r"(?P<dossier>[0-9]{2}\s[0-9]{3}|[0-9]{4,6})(?:\s*[-‐]?\s*\(?(?P<sub>[A-Z]{1,3}|[IVXL]+)\)?)?\s*,?\s*"
    r"nr\.?\s*(?P<number>[0-9]+)",
)
# "Aanhangsel Handelingen II 2023/24, nr. 1234" / "Aanhangsel van de Handelingen II, 2023-2024, nr. 1234"
_AANHANGSEL = re.compile(
    r"Aanhangsel\s+(?:van\s+de\s+)?Handelingen\s+" + _CHAMBER + r"\s*,?\s*" + _SESSION
    + r"\s*,?\s*nr\.?\s*(?P<number>[0-9]+)",
)
# "Handelingen II 2023/24, nr. 45, item 12" (not preceded by "Aanhangsel")
_HANDELINGEN = re.compile(
    r"(?<!Aanhangsel\s)(?<!de\s)Handelingen\s+" + _CHAMBER + r"\s*,?\s*" + _SESSION
    + r"\s*,?\s*nr\.?\s*(?P<number>[0-9]+)(?:\s*,\s*item\s+(?P<item>[0-9]+))?",
)
_QUESTION_SET = re.compile(r"(?<![0-9A-Za-z])(?P<number>(?:19|20)[0-9]{2}Z[0-9]{5})(?![0-9])")
_DOCUMENT = re.compile(r"(?<![0-9A-Za-z])(?P<number>(?:19|20)[0-9]{2}D[0-9]{5})(?![0-9])")
# Words before a cited set number that make it a follow-up ("ter aanvulling op eerdere vragen").
_FOLLOW_UP = re.compile(
    r"aanvulling\s+op|eerdere\s+vragen|vervolg\s+op|in\s+aansluiting\s+op|naar\s+aanleiding\s+van"
    r"|nadere\s+vragen|vervolgvragen",
    re.IGNORECASE,
)


def _session(m: re.Match[str]) -> str:
    y1, y2 = m.group("y1"), m.group("y2")
    if len(y2) == 2:
        y2 = y1[:2] + y2
    return f"{y1}-{y2}"


def _chamber(m: re.Match[str]) -> str:
    return {"1": "I", "2": "II"}.get(m.group("chamber"), m.group("chamber"))


def find_references(text: str, unit_id: str = "", document_id: str = "") -> list[Reference]:
    """All references in ``text``, in text order."""
    out: list[Reference] = []
    for m in _KAMERSTUK.finditer(text):
        dossier = m.group("dossier").replace(" ", "") + (f"-{m.group('sub')}" if m.group("sub") else "")
        out.append(Reference(unit_id, document_id, "kamerstuk", f"kst-{dossier}-{m.group('number')}",
                             _session(m), dossier, m.group("number"), m.group(0), m.start(), m.end(),
                             _chamber(m)))
    for m in _AANHANGSEL.finditer(text):
        session = _session(m)
        ch = _chamber(m)
        house = "tk" if ch == "II" else "ek"
        out.append(Reference(unit_id, document_id, "aanhangsel",
                             f"ah-{house}-{session.replace('-', '')}-{m.group('number')}", session, None,
                             m.group("number"), m.group(0), m.start(), m.end(), ch))
    for m in _HANDELINGEN.finditer(text):
        session = _session(m)
        ch = _chamber(m)
        house = "tk" if ch == "II" else "ek"
        target = f"h-{house}-{session.replace('-', '')}-{m.group('number')}"
        if m.group("item"):
            target += f"-{m.group('item')}"
        out.append(Reference(unit_id, document_id, "handelingen", target, session, None,
                             m.group("number"), m.group(0), m.start(), m.end(), ch))
    for kind, rx in (("question_set", _QUESTION_SET), ("document", _DOCUMENT)):
        for m in rx.finditer(text):
            n = m.group("number")
            out.append(Reference(unit_id, document_id, kind, n, None, None, n, n, m.start(), m.end()))  # type: ignore[arg-type]
    return sorted(out, key=lambda r: r.start)


def references_for_units(units: Iterable[TextUnit]) -> tuple[Reference, ...]:
    out: list[Reference] = []
    for u in units:
        out.extend(find_references(u.text, u.unit_id, u.document_id))
    return tuple(out)


def question_set_links(units: Iterable[TextUnit], references: Iterable[Reference]) -> tuple[QuestionSetLink, ...]:
    """Follow-up chain links: every cited question set number, marked follow_up when the
    sentence before it says so ("ter aanvulling op eerdere vragen ... (vraagnummer 2025Z20552)")."""
    text_of = {u.unit_id: u.text for u in units}
    seen: set[tuple[str, str]] = set()
    out: list[QuestionSetLink] = []
    for r in references:
        if r.kind != "question_set" or (r.document_id, r.target) in seen:
            continue
        seen.add((r.document_id, r.target))
        text = text_of.get(r.unit_id, "")
        sent_start = max(text.rfind(". ", 0, r.start) + 2, 0) if text.rfind(". ", 0, r.start) >= 0 else 0
        before = text[sent_start:r.start]
        relation = "follow_up" if _FOLLOW_UP.search(before) else "cites"
        out.append(QuestionSetLink(r.unit_id, r.document_id, r.target, relation,
                                   text[sent_start:r.end], sent_start, r.end))
    return tuple(out)


__all__ = ["find_references", "question_set_links", "references_for_units"]
