"""Record types the enrich layer produces (one per warehouse table).

Frozen and behaviour-free like :mod:`etl.models`, so the loader and the tests can treat them as
plain rows. Every record keeps its evidence: the exact text and its character offsets inside
the unit it came from (``TextUnit.text[start:end] == evidence``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

EventKind = Literal["incident", "deadline", "expectation", "commitment", "figure"]
# "superseded" is set in the warehouse only (a later letter promised a later date; see
# warehouse/20_enrichment.sql, macro commitment_status).
CommitmentStatus = Literal["open", "due", "overdue", "superseded"]


@dataclass(frozen=True)
class ThemeLink:
    """A unit (question, answer, footnote, closing) is about a theme; one link per unit and theme."""

    unit_id: str
    document_id: str
    theme: str
    rule: str  # e.g. "stem:verstoring", "phrase:nieuwe wetboek", "pattern:1"
    evidence: str
    start: int
    end: int
    letter_date: date | None = None
    # which scope evidence admitted the link: "general", "block:OM", "neighbours:OM (a:3)",
    # "title:Openbaar Ministerie", "letter:officier van justitie (q:2)", "context"
    scope_evidence: str = ""


@dataclass(frozen=True)
class DateSpan:
    """A date or period phrase normalised to an inclusive day range.

    Vague spans ("de komende jaren") keep their text with ``date_start``/``date_end`` None.
    ``form`` names the grammar rule that matched (day, month, quarter, season, recess, ...).
    """

    text: str
    start: int
    end: int
    date_start: date | None
    date_end: date | None
    form: str
    year_inferred: bool = False  # the year came from the letter's date, not the phrase
    before: bool = False  # "voor de zomer": a deadline, the range runs up to date_end


@dataclass(frozen=True)
class Event:
    """A dated (or vaguely dated) happening on the timeline of a theme."""

    unit_id: str
    document_id: str
    kind: EventKind
    theme: str | None
    date_start: date | None
    date_end: date | None
    text: str  # the date phrase as printed
    evidence: str  # the sentence it sits in
    start: int  # offsets of the sentence in the unit text
    end: int
    subject: str | None = None  # theme + key term, what deadline drift groups on
    letter_date: date | None = None


@dataclass(frozen=True)
class Commitment:
    """A promise ("ik informeer uw Kamer voor de zomer") or expectation stated in a letter."""

    unit_id: str
    document_id: str
    text: str  # the date phrase as printed ("" when the promise names no date)
    due_start: date | None
    due_end: date | None
    status: CommitmentStatus
    evidence: str  # the sentence
    start: int
    end: int
    kind: Literal["commitment", "expectation"] = "commitment"
    theme: str | None = None
    subject: str | None = None
    letter_date: date | None = None
    trigger: str = ""  # the phrase that made it a commitment ("verwacht dat", "ik informeer")


@dataclass(frozen=True)
class Reference:
    """A citation of another parliamentary document or question set."""

    unit_id: str
    document_id: str
    kind: Literal["kamerstuk", "aanhangsel", "handelingen", "question_set", "document"]
    target: str  # normalised id: "kst-29279-912", "ah-tk-20232024-1234", "2025Z20552"
    session: str | None  # "2024-2025"
    dossier: str | None  # "29279" (Kamerstuk only)
    number: str | None  # "1377", or the question set number
    evidence: str
    start: int
    end: int
    chamber: str | None = None  # "I" or "II"

    @property
    def year(self) -> str | None:
        """Alias used in the issue text ("year" of a Kamerstuk is its parliamentary session)."""
        return self.session


@dataclass(frozen=True)
class QuestionSetLink:
    """A letter cites an earlier question set: one link of a follow-up chain."""

    unit_id: str
    document_id: str
    target_number: str  # "2025Z20552"
    relation: Literal["follow_up", "cites"]
    evidence: str
    start: int
    end: int


@dataclass(frozen=True)
class Enrichment:
    """Everything :func:`etl.enrich.enrich_units` found, ready for the loader."""

    theme_links: tuple[ThemeLink, ...] = ()
    events: tuple[Event, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    references: tuple[Reference, ...] = ()
    question_set_links: tuple[QuestionSetLink, ...] = ()
    themes: tuple = field(default=())  # tuple[Theme, ...]; typed loosely to avoid an import cycle
    reference_date: date | None = None
    warnings: tuple[str, ...] = ()  # units that were skipped, each naming the unit and the problem
