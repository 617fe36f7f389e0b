"""PDF ↔ KOOP XML parity: do two parses of one letter agree, block by block?

The XML is exact where it exists, so on every letter that has both, the comparison is the
production accuracy monitor of the PDF parser. Pure functions over two ParsedLetters; the
warehouse keeps the rows (`parse_parity`) and takes the XML's blocks when structures disagree.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from etl.models import Block, ParsedLetter

TEXT_THRESHOLD = 0.95  # the normalised-text ratio from which two block texts count as the same
_DASHES = re.compile(r"[\s\-‐‑‒–—―]+")


def normalise(s: str) -> str:
    """NFKC (a superscript marker equals its digit), whitespace/hyphens/dashes dropped, case-folded:
    line wrapping and hyphenation differ between a PDF and its XML, wording does not."""
    return _DASHES.sub("", unicodedata.normalize("NFKC", s)).casefold()


def text_ratio(a: str, b: str) -> float:
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return 1.0
    return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()


@dataclass(frozen=True)
class BlockParity:
    """One block position compared: ``kind``, index in document order, both sides' numbers."""

    kind: Literal["question", "answer"]
    index: int
    pdf_numbers: tuple[str, ...] | None  # None: the PDF has no block at this position
    xml_numbers: tuple[str, ...] | None
    pdf_label: str | None
    xml_label: str | None
    text_ratio: float
    agrees: bool


@dataclass(frozen=True)
class LetterParity:
    """The verdict for one letter. ``reasons`` is empty exactly when ``agrees``."""

    blocks: tuple[BlockParity, ...]
    footnotes_agree: bool
    dates_agree: bool
    structure_agrees: bool  # same block count, numbers and labels on both sides
    agrees: bool
    reasons: tuple[str, ...]
    min_text_ratio: float

    @property
    def preferred_source(self) -> Literal["pdf", "xml"]:
        """Whose blocks the warehouse keeps: the XML's when the structures disagree."""
        return "pdf" if self.structure_agrees else "xml"


def _label_key(label: str | None) -> str:
    return re.sub(r"\s+", " ", label or "").strip().casefold()


def _blocks(kind: Literal["question", "answer"], pdf: tuple[Block, ...], xml: tuple[Block, ...]) -> list[BlockParity]:
    out: list[BlockParity] = []
    for i in range(max(len(pdf), len(xml))):
        p = pdf[i] if i < len(pdf) else None
        x = xml[i] if i < len(xml) else None
        ratio = text_ratio(p.text, x.text) if p and x else 0.0
        same = bool(p and x and p.numbers == x.numbers and _label_key(p.label) == _label_key(x.label))
        out.append(
            BlockParity(
                kind=kind,
                index=i,
                pdf_numbers=p.numbers if p else None,
                xml_numbers=x.numbers if x else None,
                pdf_label=p.label if p else None,
                xml_label=x.label if x else None,
                text_ratio=round(ratio, 4),
                agrees=same and ratio >= TEXT_THRESHOLD,
            )
        )
    return out


def compare_letters(pdf: ParsedLetter, xml: ParsedLetter) -> LetterParity:
    """Compare numbers, labels, normalised texts, footnotes and dates of two parses."""
    blocks = _blocks("question", pdf.questions, xml.questions) + _blocks("answer", pdf.answers, xml.answers)
    reasons: list[str] = []
    structure = all(b.pdf_numbers == b.xml_numbers and _label_key(b.pdf_label) == _label_key(b.xml_label) for b in blocks)
    for b in blocks:
        if b.pdf_numbers is None or b.xml_numbers is None:
            side = "PDF" if b.pdf_numbers is None else "XML"
            present = b.xml_label if b.pdf_numbers is None else b.pdf_label
            reasons.append(f"{b.kind} block {b.index + 1} ({present}) missing in the {side}")
        elif b.pdf_numbers != b.xml_numbers:
            reasons.append(f"{b.kind} block {b.index + 1}: numbers {list(b.pdf_numbers)} (PDF) != {list(b.xml_numbers)} (XML)")
        elif _label_key(b.pdf_label) != _label_key(b.xml_label):
            reasons.append(f"{b.kind} block {b.index + 1}: label {b.pdf_label!r} (PDF) != {b.xml_label!r} (XML)")
        elif b.text_ratio < TEXT_THRESHOLD:
            reasons.append(f"{b.kind} block {b.index + 1} ({b.xml_label}): text ratio {b.text_ratio:.3f}")
    fn_pdf = [(f.n, normalise(f.text)) for f in pdf.footnotes]
    fn_xml = [(f.n, normalise(f.text)) for f in xml.footnotes]
    footnotes = [n for n, _ in fn_pdf] == [n for n, _ in fn_xml] and all(
        text_ratio(a, b) >= TEXT_THRESHOLD for (_, a), (_, b) in zip(fn_pdf, fn_xml)
    )
    if not footnotes:
        reasons.append(f"footnotes differ: {len(fn_pdf)} in the PDF, {len(fn_xml)} in the XML")
    dates = (pdf.date_submitted, pdf.date_answered) == (xml.date_submitted, xml.date_answered)
    if not dates:
        reasons.append(
            f"dates differ: PDF {pdf.date_submitted}/{pdf.date_answered}, XML {xml.date_submitted}/{xml.date_answered}"
        )
    ratios = [b.text_ratio for b in blocks] or [1.0]
    return LetterParity(
        blocks=tuple(blocks),
        footnotes_agree=footnotes,
        dates_agree=dates,
        structure_agrees=structure,
        agrees=not reasons,
        reasons=tuple(reasons),
        min_text_ratio=min(ratios),
    )


def choose_letter(pdf: ParsedLetter, xml: ParsedLetter) -> tuple[ParsedLetter, LetterParity]:
    """The letter the warehouse keeps: the PDF's (page provenance) unless the structures
    disagree, then the XML's, carrying the reason as a ``blocks_from_xml:`` warning."""
    parity = compare_letters(pdf, xml)
    if parity.preferred_source == "pdf":
        return pdf, parity
    why = "; ".join(parity.reasons) or "structures differ"
    return replace(xml, warnings=(*xml.warnings, f"blocks_from_xml: {why}")), parity


def parity_row(
    document_id: str,
    koop_id: str,
    parity: LetterParity,
    *,
    file_sha256: str | None,
    xml_sha256: str | None,
    letter_date: date | None,
    parser_version: str,
) -> dict[str, object]:
    """One `parse_parity` row (warehouse/50_parity.sql) for a compared letter."""
    return {
        "document_id": document_id,
        "koop_id": koop_id,
        "file_sha256": file_sha256,
        "xml_sha256": xml_sha256,
        "letter_month": letter_date.replace(day=1) if letter_date else None,
        "agrees": parity.agrees,
        "structure_agrees": parity.structure_agrees,
        "footnotes_agree": parity.footnotes_agree,
        "dates_agree": parity.dates_agree,
        "blocks": len(parity.blocks),
        "blocks_agreeing": sum(b.agrees for b in parity.blocks),
        "min_text_ratio": parity.min_text_ratio,
        "chosen_source": parity.preferred_source,
        "reasons": list(parity.reasons),
        "parser_version": parser_version,
    }
