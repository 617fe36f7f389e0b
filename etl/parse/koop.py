"""KOOP XML (officielebekendmakingen.nl) → :class:`etl.models.ParsedLetter`.

The XML marks up what the PDF parser has to infer: `vraag`/`antwoord` with their label in
`nr` and paragraphs in `al`, footnotes as inline `noot`, and the heading
(`kamervraagomschrijving`) with `datum isodatum`. So this reader builds blocks straight from the
elements; the heading text goes through the same metadata step as a PDF intro, so askers and
addressees are read by one set of rules. Provenance is the element path (`Block.xml_path`)
instead of a page; ``char_start``/``char_end`` index the text this reader lays out.

Hardened: a document with a DTD or entity declaration is refused before parsing (no entity
expansion, no external fetches); the standard library parser never resolves external entities.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

from etl.models import Block, Footnote, ParsedLetter, ParseFailure
from etl.parse.clean import SUPERSCRIPTS
from etl.parse.labels import match_label, split_numbers
from etl.parse.meta import extract_meta, parse_date
from etl.parse.refs import cross_references
from etl.parse.structure import structure_warnings

_FORBIDDEN = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_WS = re.compile(r"\s+")
# Elements whose text is laid out as a paragraph of its own.
_PARAGRAPHS = {"al", "tussenkop", "kop", "li", "row"}


def looks_like_koop(data: bytes) -> bool:
    """An XML document whose root is a KOOP publication (checked on the first bytes only)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") and b"<officiele-publicatie" in data[:4096] or head.startswith(
        b"<officiele-publicatie"
    )


def read_koop(data: bytes, name: str, version: str) -> ParsedLetter:
    """Parse KOOP XML bytes; ``name`` appears in messages only."""
    if _FORBIDDEN.search(data):
        raise ParseFailure("unreadable", "XML with a DTD or entity declaration is refused", name)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise ParseFailure("unreadable", f"broken XML: {e}", name) from e
    for el in root.iter():  # a namespaced publication reads like a plain one
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    kv = _container(root)
    if kv is None:
        raise ParseFailure("unreadable", "KOOP XML without a <kamervragen> element", name)
    return _letter(kv, version)


def _container(root: ET.Element) -> ET.Element | None:
    """`kamervragen` (older publications: `vragen`), or the element holding `vraag` directly."""
    for tag in ("kamervragen", "vragen"):
        found = root if root.tag == tag else root.find(f".//{tag}")
        if found is not None:
            return found
    return next((el for el in root.iter() if el.find("vraag") is not None or el.find("antwoord") is not None), None)


@dataclass
class _Layout:
    """The text this reader lays out, and the footnotes met on the way (document order)."""

    text: str = ""
    notes: list[Footnote] = field(default_factory=list)

    def add(self, s: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += s
        return start, len(self.text)


def _sup(n: str) -> str:
    return "".join(SUPERSCRIPTS[int(c)] if c.isdigit() else c for c in n)


def _inline(el: ET.Element, notes: list[Footnote]) -> str:
    """Text of one paragraph: markup dropped, a `noot` becomes its superscript marker."""
    out = [el.text or ""]
    for child in el:
        if child.tag == "noot":
            n = _flat(child.findtext("noot.nr") or str(len(notes) + 1))
            body = " ".join(_inline(a, notes) for a in child if a.tag != "noot.nr")
            notes.append(Footnote(n, _flat(body)))
            out.append(_sup(n))
        else:
            out.append(_inline(child, notes))
        out.append(child.tail or "")
    return "".join(out)


def _flat(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _paragraphs(el: ET.Element, notes: list[Footnote]) -> list[str]:
    """The paragraphs of a block element (`al`, list items, table rows), `nr` left out."""
    out: list[str] = []
    for child in el:
        if child.tag == "nr":
            continue
        if child.tag in _PARAGRAPHS:
            nested = [c for c in child if c.tag in _PARAGRAPHS or c.tag in ("lijst", "tabel", "table")]
            if child.tag in ("li", "row") or nested:
                lead = _flat(child.findtext("li.nr") or "") if child.tag == "li" else ""
                parts = _paragraphs(child, notes)
                if lead and parts:
                    parts[0] = f"{lead} {parts[0]}"
                out.extend(parts)
            else:
                text = _flat(_inline(child, notes))
                if text:
                    out.append(text)
        elif child.tag not in ("li.nr", "noot"):
            out.extend(_paragraphs(child, notes))
    return out


def _numbers(kind: str, label: str) -> tuple[str, ...]:
    lb = match_label(label)
    if lb is not None and lb.kind == kind:
        return lb.numbers
    return split_numbers(" ".join(re.findall(r"\d{1,3}[a-z]?\b", label)))


def _iso(el: ET.Element | None) -> tuple[date | None, str | None]:
    """The `datum` of a heading: its isodatum, else its printed text; a warning when neither reads."""
    if el is None:
        return None, None
    d = el.find(".//datum")
    if d is None:
        return parse_date(_flat("".join(el.itertext()))), None
    iso = d.get("isodatum") or ""
    try:
        return date.fromisoformat(iso), None
    except ValueError:
        printed = _flat("".join(d.itertext()))
        got = parse_date(printed)
        return got, None if got else f"date '{printed or iso}' cannot be read"


_HEADINGS = ("kamervraagomschrijving", "omschr", "kamervraagopmerking")


def _heading_kind(el: ET.Element) -> str:
    """'vraag' or 'antwoord' (a 'mededeling' counts as the answer side); by the printed words
    when the element has no type."""
    kind = (el.get("type") or "").lower()
    if kind in ("vraag", "antwoord"):
        return kind
    if kind == "mededeling":
        return "antwoord"
    text = _flat("".join(el.itertext()))
    if re.match(r"(?:Nader\s+)?(?:Antwoord|Mededeling)\b", text):
        return "antwoord"
    return "vraag" if text.startswith("Vragen") else ""


def _letter(kv: ET.Element, version: str) -> ParsedLetter:
    lay = _Layout()
    warnings: list[str] = []
    head = [_flat("".join(t.itertext())) for t in kv.iter("tekstregel")]
    number = _flat(kv.findtext("kamervraagnummer") or "")
    headings = [e for e in kv if e.tag in _HEADINGS]
    asked = next((e for e in headings if _heading_kind(e) == "vraag"), None)
    answered = next((e for e in headings if _heading_kind(e) == "antwoord"), None)
    heading = [_flat(_inline(e, lay.notes)) for e in headings]
    intro = "\n".join([h for h in head if h] + ([number] if number else []) + [""] + heading)
    lay.add(intro + "\n\n")
    meta = extract_meta("\n".join(heading))
    submitted, w1 = _iso(asked)
    answered_on, w2 = _iso(answered)
    warnings += [f"submission {w}" for w in (w1,) if w] + [f"answer {w}" for w in (w2,) if w]

    questions: list[Block] = []
    answers: list[Block] = []
    counts: dict[str, int] = {}
    prev_q: tuple[str, ...] = ()
    closing: list[str] = []  # paragraphs after the last block ("Toelichting: …")
    for el in kv:
        if el.tag in ("al", "toelicht") and (questions or answers):
            closing.extend(_paragraphs(el, lay.notes) if el.tag == "toelicht" else [_flat(_inline(el, lay.notes))])
            continue
        if el.tag not in ("vraag", "antwoord"):
            continue
        counts[el.tag] = counts.get(el.tag, 0) + 1
        kind = "question" if el.tag == "vraag" else "answer"
        paragraphs = _paragraphs(el, lay.notes)
        label = _flat("".join(el.find("nr").itertext())) if el.find("nr") is not None else ""
        if not label and paragraphs:  # the label printed as the first paragraph: <al>Vraag 1</al>
            lb = match_label(paragraphs[0])
            if lb is not None and lb.kind == kind:
                label = lb.text
                rest = paragraphs[0][lb.length :].lstrip(" :.")
                paragraphs = ([rest] if rest else []) + paragraphs[1:]
        numbers = _numbers(kind, label) if label else ()
        if kind == "answer" and not numbers:
            numbers = prev_q
        body = "\n\n".join(paragraphs)
        start, _ = lay.add(f"{label}\n" if label else "")
        _, end = lay.add(body)
        lay.add("\n\n")
        block = Block(
            kind=kind,
            label=label or ("Vraag" if kind == "question" else "Antwoord"),
            numbers=numbers,
            text=body,
            char_start=start,
            char_end=end,
            xml_path=f"/{kv.tag}/{el.tag}[{counts[el.tag]}]",
        )
        if kind == "question":
            questions.append(block)
            prev_q = numbers
        else:
            answers.append(block)
    known = [n for b in questions for n in b.numbers]
    answers = [
        Block(**{**b.__dict__, "refers_to": cross_references(b.text, known, b.numbers)}) for b in answers
    ]
    for fn in lay.notes:
        lay.add(f"{fn.n} {fn.text}\n")
    warnings += structure_warnings(questions, answers, lay.text, [])
    return ParsedLetter(
        title=meta.title,
        askers=meta.askers,
        addressees=meta.addressees,
        answered_by=meta.answered_by,
        date_submitted=submitted or meta.date_submitted,
        date_answered=answered_on or meta.date_answered,
        question_set_numbers=meta.question_set_numbers,
        see_also=meta.see_also,
        intro=intro,
        closing="\n\n".join(c for c in closing if c) or None,
        questions=tuple(questions),
        answers=tuple(answers),
        footnotes=tuple(lay.notes),
        warnings=tuple(warnings),
        pages=0,
        source_format="xml",
        parser_version=version,
    )
