"""Letter structure: pieces with roles → intro, question/answer blocks, footnotes, closing.

The structure stage is format-independent: PDF, DOCX and text readers all hand it the
extracted text and a tiling of :class:`~etl.parse.lines.Piece` objects. Every piece gets
exactly one owner (:class:`Span`), so "no character silently dropped" is a checkable
property: the spans tile the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from etl.models import Block, Footnote
from etl.parse.clean import SUPERSCRIPT_DIGITS, SUPERSCRIPTS, join_lines, vocabulary
from etl.parse.labels import Label, is_closing, match_label, match_numbered, number_key
from etl.parse.lines import Piece, footnote_number
from etl.parse.refs import cross_references

Owner = Literal["intro", "question", "answer", "footnote", "closing", "furniture"]


@dataclass(frozen=True)
class Span:
    """Characters ``[start, end)`` of the extracted text and who owns them.

    ``index`` is the block's position in document order (questions and answers counted
    separately) or the footnote's position; -1 for intro, closing and furniture.
    """

    start: int
    end: int
    owner: Owner
    index: int = -1


@dataclass
class _Draft:
    kind: Literal["question", "answer"]
    label: Label
    start: int = 0  # where the label's line starts
    pieces: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, page)
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Structure:
    intro: str
    intro_lines: tuple[str, ...]
    questions: tuple[Block, ...]
    answers: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    closing: str | None
    spans: tuple[Span, ...]
    warnings: tuple[str, ...]
    furniture_lines: tuple[str, ...]


def _label_at(line: str, numbered: bool, state: str, last_q: int = -1) -> Label | None:
    """A 'Vraag'/'Antwoord' label, or in a numbered letter a numbered question line: any
    higher number after an answer, or exactly the next number right after a question."""
    label = match_label(line)
    if label is None and numbered and state in ("intro", "answer", "question"):
        label = match_numbered(line)
        if label is not None and state == "question" and number_key(label.numbers[0])[0] != last_q + 1:
            label = None
    return label


# "Antwoord van Minister X (ontvangen …)" after the numbered questions of an older
# Handelingen letter: the numbered answers follow it.
_ANSWER_HEADING = re.compile(r"^\s*(?:Nader\s+)?[Aa]ntwoord\s+van\b")


def _numbered_letter(text: str, pieces: list[Piece]) -> bool:
    """A letter numbers its questions "1." only when it has no 'Vraag' label but does have
    'Antwoord' labels, and a line "1" / "1." occurs (so a masthead '2' is never question 2)."""
    has_answer = has_one = False
    for p in pieces:
        if p.role != "body":
            continue
        line = text[p.start : p.end]
        lb = match_label(line)
        if lb and lb.kind == "question":
            return False
        has_answer = has_answer or bool(lb and lb.kind == "answer") or bool(_ANSWER_HEADING.match(line))
        nb = match_numbered(line)
        has_one = has_one or bool(nb and nb.numbers == ("1",))
    return has_answer and has_one


def assemble(text: str, pieces: list[Piece]) -> Structure:
    """Assign every piece an owner and build blocks, footnotes, intro and closing."""
    warnings: list[str] = []
    spans: list[Span] = []
    drafts: list[_Draft] = []
    intro: list[tuple[int, int]] = []
    closing: list[tuple[int, int]] = []
    fn_drafts: list[tuple[str, list[str], int]] = []
    furniture: list[str] = []
    numbered = _numbered_letter(text, pieces)
    lead_ins = _sub_item_lead_ins(text, pieces)
    typographic = {} if numbered else _typographic_labels(text, pieces)
    pending: list[tuple[int, int, int]] = []  # a sub-item heading waiting for its label
    # Where the closing may start: a 'Toelichting' after the last label.
    last_label = -1
    has_answer_label = False  # a questions document (no answers) may end in a 'Toelichting' too
    for i, p in enumerate(pieces):
        lb = _label_at(text[p.start : p.end], numbered, "answer") if p.role == "body" else None
        if lb:
            last_label = i
            has_answer_label = has_answer_label or lb.kind == "answer"
    state = "intro"  # intro | question | answer | answer_section | closing
    last_q_number = 0
    last_a_number = 0
    for i, p in enumerate(pieces):
        line = text[p.start : p.end]
        if p.role == "furniture":
            spans.append(Span(p.start, p.end, "furniture"))
            furniture.append(line.strip())
            continue
        if p.role == "footnote":
            n = footnote_number(line)
            body = line.strip()
            if n is not None and body and _fn_starts(body, n, fn_drafts, p.page):
                fn_drafts.append((n, [_strip_number(body, n)], p.page))
            elif fn_drafts:
                fn_drafts[-1][1].append(body)
            else:
                fn_drafts.append(("", [body], p.page))
            spans.append(Span(p.start, p.end, "footnote", len(fn_drafts) - 1))
            continue
        if numbered and drafts and state != "closing" and _ANSWER_HEADING.match(line):
            state = "answer_section"  # older layout: all questions, then all answers
            last_a_number = 0
            intro.append((p.start, p.end))
            spans.append(Span(p.start, p.end, "intro"))
            continue
        if state == "answer_section" or (state == "answer" and last_a_number):
            nb = match_numbered(line)
            if nb and number_key(nb.numbers[0])[0] > last_a_number and not match_label(line):
                label = Label("answer", nb.text, nb.numbers, nb.length)
                last_a_number = number_key(nb.numbers[0])[0]
            else:
                label = match_label(line)
        elif i in typographic:
            label = typographic[i]
        else:
            label = _label_at(line, numbered, state, last_q_number) if state != "closing" else None
        if label and numbered and label.kind == "question" and not match_label(line):
            key = number_key(label.numbers[0])[0]
            if key <= last_q_number or (last_q_number == 0 and key != 1):
                label = None
            else:
                last_q_number = key
        if label is not None:
            lead = len(line) - len(line.lstrip())
            draft = _Draft(label.kind, label, pending[0][0] if pending else p.start)
            rest_start = p.start + lead + label.length
            draft.pieces.extend(pending)
            pending = []
            draft.pieces.append((rest_start, p.end, p.page))
            drafts.append(draft)
            state = label.kind
            spans.append(Span(p.start, p.end, label.kind, len(drafts) - 1))
            continue
        if state in ("question", "answer") and i > last_label and is_closing(line) and (
            any(d.kind == "answer" for d in drafts) or not has_answer_label
        ):
            state = "closing"
        if state == "intro" or (state == "answer_section" and not any(d.kind == "answer" for d in drafts)):
            intro.append((p.start, p.end))
            spans.append(Span(p.start, p.end, "intro"))
        elif state == "closing":
            closing.append((p.start, p.end))
            spans.append(Span(p.start, p.end, "closing"))
        elif i in lead_ins or pending:
            # "m. een aandeel van …" right before "Vraag 2m": the heading of the next block.
            pending.append((p.start, p.end, p.page))
            spans.append(Span(p.start, p.end, "question", len(drafts)))
        else:
            drafts[-1].pieces.append((p.start, p.end, p.page))
            spans.append(Span(p.start, p.end, drafts[-1].kind, len(drafts) - 1))

    if pending:  # the label the heading announced never came: the lines stay where they were
        n = len(drafts)
        spans = [
            Span(sp.start, sp.end, drafts[-1].kind if drafts else "intro", n - 1 if drafts else -1)
            if sp.owner == "question" and sp.index == n else sp
            for sp in spans
        ]
        if drafts:
            drafts[-1].pieces.extend(pending)
        else:
            intro.extend((a, b) for a, b, _ in pending)

    vocab = vocabulary(text)
    # Numbers of answer blocks; a bare 'Antwoord' answers the question block just before it.
    prev: _Draft | None = None
    for d in drafts:
        if d.kind == "question":
            d.numbers = d.label.numbers
        elif d.label.numbers:
            d.numbers = d.label.numbers
        elif prev is not None and prev.kind == "question":
            d.numbers = prev.numbers
        else:
            warnings.append(f"answer label '{d.label.text}' follows no question block; numbers unknown")
        prev = d

    questions: list[Block] = []
    answers: list[Block] = []
    block_index: dict[int, tuple[str, int]] = {}
    for k, d in enumerate(drafts):
        body = join_lines([text[s:e] for s, e, _ in d.pieces], vocab)
        block = Block(
            kind=d.kind,
            label=d.label.text,
            numbers=d.numbers,
            text=body,
            page_start=d.pieces[0][2],
            page_end=d.pieces[-1][2],
            char_start=d.start,
            char_end=d.pieces[-1][1],
        )
        target = questions if d.kind == "question" else answers
        block_index[k] = (d.kind, len(target))
        target.append(block)

    # Span indexes so far count drafts; make them count blocks of their own kind.
    resolved = [
        Span(s.start, s.end, s.owner, block_index[s.index][1]) if s.owner in ("question", "answer") else s
        for s in spans
    ]

    # Text input (pypdf) prints a marker on its own line or after the last word: "…halen? 1".
    # It belongs to the footnote, so it leaves the block text (it stays in the block's span).
    fn_numbers = {n for n, _, _ in fn_drafts if n}
    questions = [Block(**{**_fields(b), "text": detach_markers(b.text, fn_numbers)}) for b in questions]
    answers = [Block(**{**_fields(b), "text": detach_markers(b.text, fn_numbers)}) for b in answers]
    question_numbers = {n for b in questions for n in b.numbers}  # a set: looked up per answer
    answers = [
        Block(**{**_fields(b), "refers_to": cross_references(b.text, question_numbers, b.numbers)})
        for b in answers
    ]
    footnotes = tuple(
        Footnote(n or "?", join_lines(lines, vocab), page) for n, lines, page in fn_drafts
    )
    if any(not n for n, _, _ in fn_drafts):
        warnings.append("footnote text without a footnote number")
    warnings.extend(structure_warnings(questions, answers, text, pieces))
    intro_lines = tuple(text[s:e] for s, e in intro)
    return Structure(
        intro=join_lines(list(intro_lines), vocab),
        intro_lines=intro_lines,
        questions=tuple(questions),
        answers=tuple(answers),
        footnotes=footnotes,
        closing=join_lines([text[s:e] for s, e in closing], vocab) or None,
        spans=tuple(resolved),
        warnings=tuple(warnings),
        furniture_lines=tuple(furniture),
    )


def _typographic_labels(text: str, pieces: list[Piece]) -> dict[int, Label]:
    """Labels a letter shows by typography alone (class g): a run of bold lines holding a question
    mark opens question N (numbered in order) at its first line, the first plain line after it
    opens answer N. A run is the consecutive non-blank body lines of one weight, so a question
    wrapped over lines (PDF) is one run, and so is a one-line paragraph (DOCX). Only for letters
    without any printed 'Vraag'/'Antwoord' label and without numbered questions ('1.' … '2.'),
    and only where the reader knows bold (DOCX runs, PDF font names)."""
    body = [(i, text[p.start : p.end]) for i, p in enumerate(pieces) if p.role == "body"]
    if not any(pieces[i].bold for i, _ in body) or any(match_label(line) for _, line in body):
        return {}
    if _numbered_questions(line for _, line in body):
        return {}
    runs: list[list[tuple[int, str]]] = []
    for i, line in body:
        if not line.strip():
            runs.append([])  # a blank line ends a run
        elif runs and runs[-1] and pieces[runs[-1][-1][0]].bold == pieces[i].bold:
            runs[-1].append((i, line))
        else:
            runs.append([(i, line)])
    out: dict[int, Label] = {}
    n = 0
    state = "intro"
    for run in runs:
        if not run:
            continue
        first = run[0][0]
        if pieces[first].bold and state != "question" and any("?" in line for _, line in run):
            n += 1
            out[first] = Label("question", "", (str(n),), 0)
            state = "question"
        elif state == "question" and not pieces[first].bold:
            out[first] = Label("answer", "", (str(n),), 0)
            state = "answer"
    return out


def _numbered_questions(lines: Iterable[str]) -> bool:
    """Does the letter number its questions: a line opening with '1' and a later one with '2'?"""
    seen_one = False
    for line in lines:
        nb = match_numbered(line)
        if nb is None:
            continue
        if nb.numbers == ("1",):
            seen_one = True
        elif seen_one and nb.numbers == ("2",):
            return True
    return False


_SUB_ITEM = re.compile(r"^\s*([a-z])[.)]\s+\S")


def _sub_item_lead_ins(text: str, pieces: list[Piece]) -> set[int]:
    """Pieces of a sub-item heading ("m. een aandeel van …") printed just before the label of
    its own question ("Vraag 2m"): they belong to that block, not to the block before. A list
    ("l. …" then "m. …") is no heading: the item before it carries the previous letter."""
    out: set[int] = set()
    body = [i for i, p in enumerate(pieces) if p.role == "body"]
    before = ""  # the last non-blank body line before the current one
    for k, i in enumerate(body):
        line = text[pieces[i].start : pieces[i].end]
        prev_line, before = before, (line if line.strip() else before)
        m = _SUB_ITEM.match(line)
        if not m:
            continue
        letter = m.group(1)
        prev_item = _SUB_ITEM.match(prev_line)
        if prev_item and ord(prev_item.group(1)) == ord(letter) - 1:
            continue
        run: list[int] = []
        for j in body[k:k + 6]:
            line = text[pieces[j].start : pieces[j].end]
            label = match_label(line)
            if label is not None:
                if label.kind == "question" and label.numbers and all(
                    n[:-1].isdigit() and n[-1] == letter for n in label.numbers
                ):
                    out.update(run)
                break
            run.append(j)
    return out


_TRAILING_MARKERS = re.compile(r"(?<=[?.!»”\"')])\s+(\d{1,3}(?:[\s,]+\d{1,3})*)\s*$")


_INNER_MARKERS = re.compile(r"(?<=[?.!»”\"')])\s+(\d{1,3}(?:\s+\d{1,3})*)(?=\s+[A-Z«“])")


def detach_markers(text: str, footnote_numbers: set[str]) -> str:
    """'…te halen? 1' → '…te halen?' when every trailing number after the closing punctuation
    is a footnote of this letter ('artikel 3' or 'zie vraag 2.' keeps its number). Inside the
    text such a detached marker is glued back as a superscript: '…opgelopen? 4 Kunt' →
    '…opgelopen?⁴ Kunt', so it is never read as a number of the sentence after it."""

    def inner(m: re.Match[str]) -> str:
        numbers = m.group(1).split()
        if not all(n in footnote_numbers for n in numbers):
            return m.group(0)
        return ", ".join(n.translate(SUPERSCRIPT_DIGITS) for n in numbers)

    text = _INNER_MARKERS.sub(inner, text)
    m = _TRAILING_MARKERS.search(text)
    if not m:
        return text
    numbers = re.split(r"[\s,]+", m.group(1).strip())
    if not all(n in footnote_numbers for n in numbers):
        return text
    return text[: m.start()]


def _fields(b: Block) -> dict[str, object]:
    return {f: getattr(b, f) for f in b.__dataclass_fields__}


def _fn_starts(body: str, n: str, drafts: list[tuple[str, list[str], int]], page: int) -> bool:
    """Does this footnote line open a new footnote? A superscript number always does; a plain
    number only when it is the next one, or the first note on its page (numbering may skip
    notes printed elsewhere) — so a continuation line '3 december 2023, …' stays in its note."""
    if body[0] in SUPERSCRIPTS or not drafts:
        return True
    prev_n, _, prev_page = drafts[-1]
    if not prev_n.isdigit():
        return True
    return int(n) == int(prev_n) + 1 or (page != prev_page and int(n) > int(prev_n))


def _strip_number(body: str, n: str) -> str:
    m = re.match(r"\s*(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,3})\s*", body)
    return body[m.end() :] if m else body


def structure_warnings(
    questions: list[Block], answers: list[Block], text: str, pieces: list[Piece]
) -> list[str]:
    out: list[str] = []
    if not questions and not answers:
        kind = "a 'Mededeling' (notice)" if re.search(r"\bMededeling\b", text) else "no question labels"
        out.append(f"no question or answer blocks found: {kind}")
        return out
    if not answers and re.search(r"\bAntwoord", text):
        # A questions document (kv-tk) holds no answers by nature; only a letter that says it
        # answers ("Antwoord van ...", "Antwoord op vraag ...") and has none is suspicious.
        note = " (a 'Mededeling' notice)" if re.search(r"\bMededeling\b", text) else ""
        out.append(f"letter holds questions but no answers{note}")
    q_numbers: list[str] = []
    seen: set[str] = set()
    for b in questions:
        for n in b.numbers:
            if n in seen:
                out.append(f"question number {n} occurs more than once")
            seen.add(n)
            q_numbers.append(n)
    ints = [number_key(n)[0] for n in q_numbers]
    base = sorted(set(ints))
    if base and base[0] > 1:
        out.append(f"question numbering starts at {base[0]}")
    for a, b in zip(base, base[1:]):
        if b > a + 1:
            out.append(f"gap in question numbering: {a} to {b}")
    if any(b < a for a, b in zip(ints, ints[1:])):
        out.append("question numbers out of order")
    answered: set[str] = set()
    a_seen: set[str] = set()
    for b in answers:
        for n in b.numbers:
            if n not in seen:
                out.append(f"answer for unknown question number {n}")
            if n in a_seen:
                out.append(f"question {n} answered more than once")
            a_seen.add(n)
            answered.add(n)
    if answers:
        for n in q_numbers:
            if n not in answered:
                out.append(f"question {n} has no answer")
    return out
