"""Record types that cross layer boundaries.

Every layer speaks in these frozen data classes, so a layer can be rewritten without its
neighbours noticing. They carry no behaviour beyond (de)serialisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

# --------------------------------------------------------------------------- source records
# Normalised from the API (v4 or v5 field names are mapped in etl.source.fields), so
# nothing downstream ever sees an OData field name.


@dataclass(frozen=True)
class ActorRecord:
    """A ZaakActor: who asked (Indiener/Medeindiener) or who was asked (Gericht aan)."""

    id: str
    question_set_id: str
    name: str | None
    party: str | None
    function: str | None
    relation: str | None
    changed_at: datetime | None = None
    deleted: bool = False


@dataclass(frozen=True)
class QuestionSetRecord:
    """A Zaak of Soort 'Schriftelijke vragen': one set of written questions."""

    id: str
    number: str | None  # "2025Z20557"
    kind: str | None  # Zaak.Soort
    subject: str | None
    submitted_on: date | None  # Zaak.GestartOp as a Dutch calendar date
    session: str | None  # Vergaderjaar "2025-2026"
    changed_at: datetime | None = None  # ApiGewijzigdOp (UTC)
    deleted: bool = False


@dataclass(frozen=True)
class DocumentRecord:
    """A Document linked to one or more question sets (questions, answer, delay notice, ...)."""

    id: str
    number: str | None  # "2025D48811"
    kind: str | None  # Document.Soort, kept verbatim (unknown values never crash)
    subject: str | None
    date: date | None  # Document.Datum as a Dutch calendar date
    session: str | None
    content_type: str | None  # as declared by the API (may be wrong; the store sniffs bytes)
    content_length: int | None
    koop_id: str | None  # DocumentVersie.ExterneIdentifier, e.g. "ah-tk-20252026-512"
    appendix_number: str | None  # Aanhangselnummer
    question_set_ids: tuple[str, ...] = ()
    changed_at: datetime | None = None
    source_changed_at: datetime | None = None  # GewijzigdOp (Dutch offset)
    deleted: bool = False


# --------------------------------------------------------------------------- raw store


@dataclass(frozen=True)
class StoredFile:
    """One immutable file version in the raw store, addressed by its sha256."""

    document_id: str
    sha256: str
    size: int
    detected_type: str  # one of etl.filetype.FILE_TYPES, read from the bytes
    declared_type: str | None
    path: str  # absolute path of the stored bytes
    fetched_at: datetime | None = None


# --------------------------------------------------------------------------- parse


@dataclass(frozen=True)
class Footnote:
    n: str
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Block:
    """A question or answer block as printed, with provenance back into the letter.

    ``numbers`` are the question numbers the label covers; for an answer block they are the
    questions it answers. ``char_start``/``char_end`` index the parser's extracted text.
    """

    kind: Literal["question", "answer"]
    label: str
    numbers: tuple[str, ...]
    text: str
    refers_to: tuple[str, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    xml_path: str | None = None  # provenance in a KOOP XML source ("/kamervragen/vraag[2]"); pages are None then


@dataclass(frozen=True)
class ParsedLetter:
    """The structure of one letter; ``to_contract`` gives the JSON of `kamerspoor parse`."""

    title: str | None = None
    askers: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    answered_by: tuple[str, ...] = ()
    date_submitted: date | None = None
    date_answered: date | None = None
    question_set_numbers: tuple[str, ...] = ()  # "2025Z20557" as printed in the letter
    see_also: tuple[str, ...] = ()  # "Zie ook Aanhangsel Handelingen ..., nr. N"
    intro: str = ""
    closing: str | None = None
    questions: tuple[Block, ...] = ()
    answers: tuple[Block, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    warnings: tuple[str, ...] = ()
    pages: int = 0
    source_format: str = "txt"  # "pdf" | "docx" | "txt" | "xml" (KOOP)
    parser_version: str = ""

    def to_contract(self) -> dict[str, Any]:
        """The `kamerspoor parse` JSON object (see DESIGN.md, 'Contracts')."""

        def block(b: Block) -> dict[str, Any]:
            out: dict[str, Any] = {"label": b.label, "numbers": list(b.numbers), "text": b.text}
            if b.kind == "answer":
                out["refers_to"] = list(b.refers_to)
            out["page_start"], out["page_end"] = b.page_start, b.page_end
            out["char_start"], out["char_end"] = b.char_start, b.char_end
            if b.xml_path is not None:
                out["xml_path"] = b.xml_path
            return out

        return {
            "title": self.title,
            "askers": list(self.askers),
            "addressees": list(self.addressees),
            "answered_by": list(self.answered_by),
            "date_submitted": self.date_submitted.isoformat() if self.date_submitted else None,
            "date_answered": self.date_answered.isoformat() if self.date_answered else None,
            "question_set_numbers": list(self.question_set_numbers),
            "see_also": list(self.see_also),
            "intro": self.intro,
            "questions": [block(b) for b in self.questions],
            "answers": [block(b) for b in self.answers],
            "footnotes": [{"n": f.n, "text": f.text} for f in self.footnotes],
            "closing": self.closing,
            "warnings": list(self.warnings),
            "pages": self.pages,
            "source_format": self.source_format,
            "parser_version": self.parser_version,
        }

    @classmethod
    def from_contract(cls, data: dict[str, Any]) -> "ParsedLetter":
        """Inverse of ``to_contract`` (used to cache parses in the raw store)."""

        def block(kind: Literal["question", "answer"], b: dict[str, Any]) -> Block:
            return Block(
                kind=kind,
                label=b["label"],
                numbers=tuple(b["numbers"]),
                text=b["text"],
                refers_to=tuple(b.get("refers_to", ())),
                page_start=b.get("page_start"),
                page_end=b.get("page_end"),
                char_start=b.get("char_start"),
                char_end=b.get("char_end"),
                xml_path=b.get("xml_path"),
            )

        def day(v: str | None) -> date | None:
            return date.fromisoformat(v) if v else None

        return cls(
            title=data.get("title"),
            askers=tuple(data.get("askers", ())),
            addressees=tuple(data.get("addressees", ())),
            answered_by=tuple(data.get("answered_by", ())),
            date_submitted=day(data.get("date_submitted")),
            date_answered=day(data.get("date_answered")),
            question_set_numbers=tuple(data.get("question_set_numbers", ())),
            see_also=tuple(data.get("see_also", ())),
            intro=data.get("intro", ""),
            closing=data.get("closing"),
            questions=tuple(block("question", b) for b in data.get("questions", ())),
            answers=tuple(block("answer", b) for b in data.get("answers", ())),
            footnotes=tuple(Footnote(f["n"], f["text"]) for f in data.get("footnotes", ())),
            warnings=tuple(data.get("warnings", ())),
            pages=data.get("pages", 0),
            source_format=data.get("source_format", "txt"),
            parser_version=data.get("parser_version", ""),
        )


class ParseFailure(Exception):
    """A file that cannot be read at all. ``code`` is stable and lands in `parse_issues`.

    Codes: missing, unreadable, encrypted, empty, no_text_layer, unsupported_type.
    """

    def __init__(self, code: str, message: str, path: str | None = None):
        super().__init__(f"{path}: {message}" if path else message)
        self.code = code
        self.message = message
        self.path = path


# --------------------------------------------------------------------------- enrich


@dataclass(frozen=True)
class TextUnit:
    """One piece of letter text as the enrich layer sees it (read back from the warehouse).

    ``unit_id`` is stable across reloads: ``<document_id>:q:<i>`` / ``:a:<i>`` for the i-th
    question/answer block (0-based, document order), ``:fn:<n>`` for footnote n, ``:closing``.
    """

    unit_id: str
    document_id: str
    kind: Literal["question", "answer", "footnote", "closing"]
    numbers: tuple[str, ...]
    text: str
    letter_date: date | None = None


__all__ = [
    "ActorRecord",
    "Block",
    "DocumentRecord",
    "Footnote",
    "ParseFailure",
    "ParsedLetter",
    "QuestionSetRecord",
    "StoredFile",
    "TextUnit",
]
