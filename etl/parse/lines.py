"""Extracted text as pieces with a role, and the heuristics that give plain text its roles.

Every reader (PDF, DOCX, text) ends in the same shape: the parser's extracted text plus a list
of :class:`Piece` objects that tile it exactly (no gaps, no overlaps). A piece is a line, or
part of a line when page furniture is glued to a label ("… Aanhangsel 2Antwoord 7"). Its role
is ``body``, ``footnote`` or ``furniture``. The PDF and DOCX readers know the roles from
layout; for plain text :func:`classify_text` infers them. Tiling is what makes the character
accounting of the structure stage checkable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from etl.parse.clean import PLAIN_DIGITS, SUPERSCRIPTS
from etl.parse.labels import match_label

Role = Literal["body", "footnote", "furniture"]


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    page: int
    role: Role = "body"
    bold: bool = False  # set where the reader knows the typography (DOCX runs): unlabelled questions


_LINE = re.compile(r"[^\n\f]*(?:\n|\f|$)")


def split_lines(text: str) -> list[Piece]:
    """Lines of ``text`` (each with its terminator); a form feed ends a page."""
    pieces: list[Piece] = []
    page = 1
    pos = 0
    n = len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        end = m.end() if m and m.end() > pos else n
        pieces.append(Piece(pos, end, page))
        if text[end - 1] == "\f":
            page += 1
        pos = end
    return pieces


# --------------------------------------------------------------------------- furniture

# Running heads/footers and margin text of the Handelingen and ministry layouts. Each part is
# matched at the start of a line, repeatedly, so glued runs ("ISSN …’s-Gravenhage 2024Tweede
# Kamer, …") are consumed part by part.
_FURNITURE_PARTS = re.compile(
    r"\s*(?:"
    r"ISSN\s*\d{4}\s*[-–]\s*\d{3}[\dX]"
    r"|[’'‘`]s-Gravenhage\s+\d{4}"
    r"|(?:Tweede|Eerste)\s+Kamer,\s*vergaderjaar\s*\d{4}\s*[–-]\s*\d{4},\s*"
    r"(?:Aanhangsel|Schriftelijke\s+vragen|Kamerstuk(?:ken)?|Handelingen)\s*\d{0,4}"
    r"|(?:Tweede|Eerste)\s+Kamer,\s*vergaderjaar\s*\d{4}\s*[–-]\s*\d{4},\s*\d[\d ]*,\s*nr\.\s*\d+"
    r"|Pagina\s+\d+\s+van\s+\d+"
    r")"
)
_FURNITURE_LINE = re.compile(
    r"\s*(?:(?:ah|kst|h|blg|stcrt|stb|trb)-(?:tk|ek)-\d{8}-[\w.-]+|-\s*\d{1,3}\s*-|Pagina\s+\d+)\s*$"
)


def _furniture_prefix(line: str) -> int:
    """Length of the furniture run that opens ``line`` (0 if none)."""
    if _FURNITURE_LINE.match(line):
        return len(line)
    pos = 0
    while True:
        m = _FURNITURE_PARTS.match(line, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    if pos and line[pos:].strip() == "":
        return len(line)
    return pos


def _repeated_edges(text: str, pieces: list[Piece]) -> set[str]:
    """Digit-normalised lines printed at the top or bottom of at least two pages.

    Only the page number may change between the copies: two footnotes '1Kamerstuk 28 345'
    and '3Kamerstuk 30 420' share a shape but are not a running footer.
    """
    by_page: dict[int, list[str]] = {}
    for p in pieces:
        s = text[p.start : p.end].strip()
        if s:
            by_page.setdefault(p.page, []).append(s)
    if len(by_page) < 2:
        return set()
    seen: dict[str, list[tuple[str, ...]]] = {}
    for lines in by_page.values():
        for s in set(lines[:2] + lines[-3:]):
            if len(s) < 12 or len(s) > 160 or not re.search(r"[A-Za-z]", s) or match_label(s):
                continue
            seen.setdefault(re.sub(r"\d+", "#", s), []).append(tuple(re.findall(r"\d+", s)))
    need = max(2, (len(by_page) + 1) // 2)
    out: set[str] = set()
    for key, digits in seen.items():
        if len(digits) < need:
            continue
        varying = sum(1 for col in zip(*digits) if len(set(col)) > 1)
        if varying <= 1:
            out.add(key)
    return out


def mark_furniture(text: str, pieces: list[Piece]) -> list[Piece]:
    """Split off and mark page furniture in body pieces."""
    repeated = _repeated_edges(text, pieces)
    out: list[Piece] = []
    for p in pieces:
        if p.role != "body":
            out.append(p)
            continue
        line = text[p.start : p.end]
        k = _furniture_prefix(line)
        if not k and repeated and re.sub(r"\d+", "#", line.strip()) in repeated:
            k = len(line)
        if not k:
            out.append(p)
        elif k >= len(line.rstrip("\n\f")):
            out.append(replace(p, role="furniture"))
        else:
            out.append(replace(p, end=p.start + k, role="furniture"))
            out.append(replace(p, start=p.start + k))
    return out


# --------------------------------------------------------------------------- footnotes

_FN_ALONE = re.compile(r"\s*(\d{1,3})\s*$")
_FN_SPACED = re.compile(r"\s*(\d{1,3})\s+\S")
_FN_GLUED = re.compile(r"\s*(\d{1,3})(?=[^\d\s.,;:)\]/%-])\S")
_FN_SUPER = re.compile(rf"\s*([{SUPERSCRIPTS}]+)\s*\S")


def footnote_number(line: str) -> str | None:
    """The footnote number a footnote line starts with ('1', '¹', '1AD.nl' → '1')."""
    for rx in (_FN_SUPER, _FN_ALONE, _FN_SPACED, _FN_GLUED):
        m = rx.match(line)
        if m:
            return m.group(1).translate(PLAIN_DIGITS)
    return None


def _pages(text: str, pieces: list[Piece]) -> list[list[int]]:
    """Piece indexes grouped by page. Without form feeds, a line opening with a space (text
    copied from a PDF viewer) or the first text after page furniture starts a new page."""
    groups: list[list[int]] = []
    has_ff = "\f" in text
    after_furniture = False
    for i, p in enumerate(pieces):
        line = text[p.start : p.end]
        text_line = p.role != "furniture" and line.strip() != ""
        prev = pieces[groups[-1][-1]] if groups else None
        new = prev is None or (
            prev.page != p.page
            if has_ff
            else text_line and (line[:1] in " \t" or after_furniture)
        )
        if p.role == "furniture":
            after_furniture = True
        elif text_line:
            after_furniture = False
        if new:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


_MAX_FOOTNOTE_LINES = 60


def mark_footnotes(text: str, pieces: list[Piece]) -> list[Piece]:
    """Mark page-bottom footnote blocks in plain text.

    A block is the tail of a page (before trailing furniture) that opens with the next
    expected footnote number, numbers its footnotes consecutively and holds no label. Footnote
    numbers run through the whole letter, so a numbered list in the body ("3 In dit verdrag")
    is not mistaken for the footnotes printed below it.
    """
    out = list(pieces)
    expected = 1
    for group in _pages(text, pieces):
        body = [i for i in group if out[i].role == "body" and text[out[i].start : out[i].end].strip()]
        if not body:
            continue
        tail_end = body[-1]
        # Footnotes sit at the page bottom: only its last lines can open the block (this
        # also keeps the search linear on a huge text without page breaks).
        for cand in body[-_MAX_FOOTNOTE_LINES:]:
            line = text[out[cand].start : out[cand].end]
            n = footnote_number(line)
            if n is None or int(n) != expected:
                continue
            if _FN_ALONE.match(line) and cand == tail_end:
                continue
            run = [i for i in body if cand <= i <= tail_end]
            if any(match_label(text[out[i].start : out[i].end]) for i in run[1:]):
                continue
            if any(out[i].role == "furniture" for i in range(cand, tail_end + 1)):
                continue
            if not _starts_like_note(line):
                continue
            if _FN_ALONE.match(line) and not _marker_before(text, out[cand].start, expected):
                continue  # a bare "1" line is a footnote only when its marker was printed
            nxt = expected
            ok = True
            for i in run:
                m = footnote_number(text[out[i].start : out[i].end])
                if m is not None and int(m) == nxt:
                    nxt += 1
                elif m is not None and int(m) < nxt and not _FN_SPACED.match(text[out[i].start : out[i].end]):
                    ok = False  # a second '1Kamerstuk' below: this run is not the footnote block
                    break
            if not ok:
                continue
            if _FN_ALONE.match(line) and len(run) < 2:
                continue
            for i in range(cand, tail_end + 1):
                if out[i].role == "body":
                    out[i] = replace(out[i], role="footnote")
            expected = nxt
            break
    return out


def _marker_before(text: str, end: int, n: int) -> bool:
    """Is footnote marker ``n`` printed somewhere before ``end``? As plain text a marker is
    glued to the word before it ('gesteld?1', 'juli 20251' = year + marker), written ' 1)',
    or as a superscript digit."""
    k = re.escape(str(n))
    sup = str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    rx = rf"(?:(?<=[^\s\d])|(?<=\b(?:19|20)\d\d)){k}(?!\d)|\s{k}\)|{sup}"
    return re.search(rx, text[:end]) is not None


def _starts_like_note(line: str) -> bool:
    """A footnote block never opens mid-sentence: its text does not start in lower case
    (a web address excepted)."""
    m = re.match(r"\s*\d{1,3}\s*(\S+)", line)
    return not (m and m.group(1)[0].islower() and not m.group(1).startswith(("http", "www.")))


def classify_text(text: str) -> list[Piece]:
    """Pieces of plain text with inferred roles (furniture, footnotes, body)."""
    pieces = mark_furniture(text, split_lines(text))
    return mark_footnotes(text, pieces)
