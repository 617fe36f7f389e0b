"""Enrich letter text: themes, dates, events, commitments, references (pure functions).

The pipeline reads :class:`~etl.models.TextUnit` rows back from the warehouse and calls
:func:`enrich_units`; :func:`etl.load.enrichment.load_enrichment` writes the result.
Nothing here does I/O except reading the packaged theme file when no themes are given.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from datetime import date
from typing import Iterable, Mapping

from etl.enrich.commitments import commitment_in_sentence, find_trigger
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
from etl.enrich.themes import (
    LetterContext,
    Theme,
    context_hits,
    link_units,
    load_themes,
    match_theme,
    themes_fingerprint,
)
from etl.models import TextUnit
from etl.versions import version_of


#: Recorded per enriched document (``_enriched_documents.enricher_version``): a new version
#: re-enriches every document once. A test keeps it in step with the sources (etl/versions.py).
ENRICHER_VERSION = version_of("enricher")


def footnote_markers(units: Iterable[TextUnit]) -> dict[str, set[str]]:
    """Known footnote numbers per document (from its footnote units), so "juli 20251" reads right."""
    out: dict[str, set[str]] = defaultdict(set)
    for u in units:
        if u.kind == "footnote":
            n = u.numbers[0] if u.numbers else u.unit_id.rsplit(":", 1)[-1]
            out[u.document_id].add(str(n))
    return out


def _theme_hits(unit: TextUnit, themes: list[Theme], unit_themes: list[str]) -> list[tuple[int, int, Theme]]:
    """(start, end, theme) of every hit of the themes the unit is linked to (their scope admitted
    the unit; supported and context rules count too). Computed once per unit, then split by
    sentence."""
    out = []
    for t in themes:
        if t.id not in unit_themes:
            continue
        hits = match_theme(unit.text, t) + context_hits(unit.text, t)
        if t.supported is not None:
            hits += match_theme(unit.text, t.supported)
        out.extend((h.start, h.end, t) for h in hits)
    return out


def _sentence_theme(span: tuple[int, int], hits: list[tuple[int, int, Theme]]) -> Theme | None:
    """The theme whose hit comes first inside the sentence span; None when it names no theme."""
    s, e = span
    inside = [(hs, t) for hs, he, t in hits if s <= hs and he <= e]
    return min(inside, key=lambda x: x[0])[1] if inside else None  # ties: theme file order


def _sentence_context(unit: TextUnit, themes: list[Theme], unit_themes: list[str]):
    """(sentence span, theme, subject) per sentence of a unit.

    A sentence without a theme of its own ("Het OM verwacht dat dit herstel eind 2026 is
    voltooid.") takes the previous sentence's theme, then the unit's only theme; a subject falls
    back to the previous sentence's subject the same way.
    """
    out = []
    hits = _theme_hits(unit, themes, unit_themes)
    prev_theme: Theme | None = None
    prev_subject: str | None = None
    for s, e in sentences(unit.text):
        sentence = unit.text[s:e]
        theme = _sentence_theme((s, e), hits)
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


def _events_and_commitments(unit: TextUnit, themes: list[Theme], unit_themes: list[str],
                            markers: Iterable[str], unit_refs: list[Reference],
                            ref_day: date) -> tuple[list[Event], list[Commitment]]:
    """Events (questions and answers) and commitments (answers only) of one unit, per sentence."""
    dates = dates_for_unit(unit, markers, unit_refs)
    is_answer = unit.kind == "answer"
    if not dates and not (is_answer and find_trigger(unit.text)):
        return [], []  # cheap exit: most blocks promise nothing and name no date
    events: list[Event] = []
    commitments: list[Commitment] = []
    for sent, theme, subject in _sentence_context(unit, themes, unit_themes):
        s, e = sent
        sentence = unit.text[s:e]
        theme_id = theme.id if theme else None
        used: set[int] = set()
        if is_answer:
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
        if any(s <= d.start < e for d in dates):
            events.extend(events_in_sentence(unit.unit_id, unit.document_id, unit.text, sent, dates,
                                              theme=theme_id, subject=subject,
                                              letter_date=unit.letter_date, skip=used))
    return events, commitments


def enrich_units(units: list[TextUnit], *, themes: list[Theme] | None = None,
                 reference_date: date | None = None,
                 letters: Mapping[str, LetterContext] | None = None) -> Enrichment:
    """Everything the warehouse's enrichment tables hold, for ``units``.

    ``reference_date`` (default: today) is the day commitment statuses are judged on;
    ``letters`` (document_id -> title, addressees, answerers) feeds the themes' scope checks.
    """
    themes = list(themes) if themes is not None else load_themes()
    ref_day = reference_date or date.today()
    units, warnings = _usable(units)
    markers = footnote_markers(units)
    links: tuple[ThemeLink, ...] = link_units(units, themes, letters)
    unit_themes: dict[str, list[str]] = defaultdict(list)
    for link in links:
        unit_themes[link.unit_id].append(link.theme)

    refs: list[Reference] = []
    events: list[Event] = []
    commitments: list[Commitment] = []
    for unit in units:
        try:  # one odd block never stops the others
            unit_refs = find_references(unit.text, unit.unit_id, unit.document_id)
            found_events: list[Event] = []
            found_commitments: list[Commitment] = []
            if unit.kind in ("question", "answer"):
                found_events, found_commitments = _events_and_commitments(
                    unit, themes, unit_themes.get(unit.unit_id, []), markers.get(unit.document_id, ()),
                    unit_refs, ref_day)
        except Exception as exc:  # noqa: BLE001 - reported per unit, the run goes on
            warnings.append(f"unit {unit.unit_id}: enrichment failed: {type(exc).__name__}: {exc}")
            continue
        refs.extend(unit_refs)
        events.extend(found_events)
        commitments.extend(found_commitments)

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
        warnings=tuple(warnings),
    )


_UNIT_ID = re.compile(r"^.+:(?:q:[0-9]+|a:[0-9]+|fn:[^:]+|closing)$")


def _usable(units: Iterable[TextUnit]) -> tuple[list[TextUnit], list[str]]:
    """Units that can be enriched, and a warning naming each one that cannot."""
    ok: list[TextUnit] = []
    warnings: list[str] = []
    for u in units:
        if not isinstance(u.text, str):
            warnings.append(f"unit {u.unit_id!r}: text is {type(u.text).__name__}, not a string; skipped")
        elif not isinstance(u.unit_id, str) or not _UNIT_ID.match(u.unit_id):
            warnings.append(f"unit {u.unit_id!r}: id is not <document_id>:q|a:<i>, :fn:<n> or :closing; skipped")
        elif u.kind not in ("question", "answer", "footnote", "closing"):
            warnings.append(f"unit {u.unit_id!r}: unknown kind {u.kind!r}; skipped")
        else:
            ok.append(u)
    return ok, warnings


__all__ = [
    "ENRICHER_VERSION",
    "Commitment",
    "DateSpan",
    "Enrichment",
    "Event",
    "LetterContext",
    "QuestionSetLink",
    "Reference",
    "Theme",
    "ThemeLink",
    "enrich_units",
    "footnote_markers",
    "load_themes",
    "themes_fingerprint",
]
