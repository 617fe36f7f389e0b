"""Enrich letter text: themes, dates, events, commitments, references (pure functions).

The pipeline reads :class:`~etl.models.TextUnit` rows back from the warehouse and calls
:func:`enrich_units`; :func:`etl.load.enrichment.load_enrichment` writes the result.
Nothing here does I/O except reading the packaged theme file when no themes are given.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from typing import Iterable

from etl.enrich.commitments import commitment_in_sentence
from etl.enrich.dates import find_dates
from etl.enrich.events import events_in_sentence
from etl.enrich.records import (
    Commitment,
    DateSpan,
    Enrichment,
    Event,
    QuestionSetLink,
    Reference,
    ThemeLink,
)
from etl.enrich.references import find_references, question_set_links
from etl.enrich.text import sentences
from etl.enrich.themes import Theme, context_hits, link_units, load_themes, match_theme
from etl.models import TextUnit


def footnote_markers(units: Iterable[TextUnit]) -> dict[str, set[str]]:
    """Known footnote numbers per document (from its footnote units), so "juli 20251" reads right."""
    out: dict[str, set[str]] = defaultdict(set)
    for u in units:
        if u.kind == "footnote":
            n = u.numbers[0] if u.numbers else u.unit_id.rsplit(":", 1)[-1]
            out[u.document_id].add(str(n))
    return out


def _sentence_theme(sentence: str, themes: list[Theme], unit_themes: list[str]) -> Theme | None:
    """The theme whose first hit comes earliest in the sentence (context stems count for the
    themes the unit is already linked to); None when the sentence names no theme."""
    best: tuple[int, Theme] | None = None
    for t in themes:
        hits = match_theme(sentence, t)
        if t.id in unit_themes:
            hits = hits + context_hits(sentence, t)
        if hits:
            first = min(h.start for h in hits)
            if best is None or first < best[0]:
                best = (first, t)
    return best[1] if best else None


def _sentence_context(unit: TextUnit, themes: list[Theme], unit_themes: list[str]):
    """(sentence span, theme, subject) per sentence of a unit.

    A sentence without a theme of its own ("Het OM verwacht dat dit herstel eind 2026 is
    voltooid.") takes the previous sentence's theme, then the unit's only theme; a subject falls
    back to the previous sentence's subject the same way.
    """
    out = []
    prev_theme: Theme | None = None
    prev_subject: str | None = None
    for s, e in sentences(unit.text):
        sentence = unit.text[s:e]
        theme = _sentence_theme(sentence, themes, unit_themes)
        own = theme is not None
        if theme is None:
            theme = prev_theme
        if theme is None and len(unit_themes) == 1:
            theme = next((t for t in themes if t.id == unit_themes[0]), None)
        subject = theme.subject_of(sentence) if theme else None
        if (not own and theme is not None and subject == theme.id and prev_subject
                and prev_subject.startswith(theme.id + ":")):
            subject = prev_subject
        out.append(((s, e), theme, subject))
        prev_theme, prev_subject = theme, subject
    return out


def dates_for_unit(unit: TextUnit, markers: Iterable[str] = (),
                   references: Iterable[Reference] = ()) -> list[DateSpan]:
    """Date phrases of a unit, never inside a citation ("Kamerstukken II, 2024-2025, ...")."""
    return find_dates(unit.text, unit.letter_date, markers=markers,
                      exclude=[(r.start, r.end) for r in references],
                      roll_forward=unit.kind != "question")


def enrich_units(units: list[TextUnit], *, themes: list[Theme] | None = None,
                 reference_date: date | None = None) -> Enrichment:
    """Everything the warehouse's enrichment tables hold, for ``units``.

    ``reference_date`` (default: today) is the day commitment statuses are judged on.
    """
    themes = list(themes) if themes is not None else load_themes()
    ref_day = reference_date or date.today()
    markers = footnote_markers(units)
    links: tuple[ThemeLink, ...] = link_units(units, themes)
    unit_themes: dict[str, list[str]] = defaultdict(list)
    for link in links:
        unit_themes[link.unit_id].append(link.theme)

    refs: list[Reference] = []
    events: list[Event] = []
    commitments: list[Commitment] = []
    for unit in units:
        unit_refs = find_references(unit.text, unit.unit_id, unit.document_id)
        refs.extend(unit_refs)
        if unit.kind not in ("question", "answer"):
            continue
        dates = dates_for_unit(unit, markers.get(unit.document_id, ()), unit_refs)
        if not dates:
            continue
        for sent, theme, subject in _sentence_context(unit, themes, unit_themes.get(unit.unit_id, [])):
            s, e = sent
            if not any(s <= d.start < e for d in dates):
                continue
            sentence = unit.text[s:e]
            theme_id = theme.id if theme else None
            used: set[int] = set()
            if unit.kind == "answer":
                c = commitment_in_sentence(unit.unit_id, unit.document_id, unit.text, sent, dates,
                                           ref_day, unit.letter_date)
                if c is not None:
                    c = dataclasses.replace(c, theme=theme_id, subject=subject)
                    commitments.append(c)
                    if c.text:
                        due = next(d for d in dates if s <= d.start < e and d.text == c.text)
                        used.add(due.start)
                        events.append(Event(unit.unit_id, unit.document_id, c.kind, theme_id,
                                            c.due_start, c.due_end, c.text, sentence, s, e,
                                            subject, unit.letter_date))
            events.extend(events_in_sentence(unit.unit_id, unit.document_id, unit.text, sent, dates,
                                              theme=theme_id, subject=subject,
                                              letter_date=unit.letter_date, skip=used))
        # Commitments in sentences without any date phrase are still promises.
    for unit in units:
        if unit.kind != "answer":
            continue
        dated = {(c.start, c.end) for c in commitments if c.unit_id == unit.unit_id}
        for sent, theme, subject in _sentence_context(unit, themes, unit_themes.get(unit.unit_id, [])):
            if sent in dated:
                continue
            c = commitment_in_sentence(unit.unit_id, unit.document_id, unit.text, sent, (),
                                       ref_day, unit.letter_date)
            if c is not None:
                commitments.append(dataclasses.replace(c, theme=theme.id if theme else None, subject=subject))

    commitments.sort(key=lambda c: (c.unit_id, c.start))
    qs_links: tuple[QuestionSetLink, ...] = question_set_links(units, refs)
    return Enrichment(
        theme_links=links,
        events=tuple(events),
        commitments=tuple(commitments),
        references=tuple(refs),
        question_set_links=qs_links,
        themes=tuple(themes),
        reference_date=ref_day,
    )


__all__ = [
    "Commitment",
    "DateSpan",
    "Enrichment",
    "Event",
    "QuestionSetLink",
    "Reference",
    "Theme",
    "ThemeLink",
    "enrich_units",
    "footnote_markers",
    "load_themes",
]
