"""Enrich many letters on every core: :func:`enrich_units` over chunks of whole letters.

A letter's enrichment depends only on its own text units (theme scopes and context stems look
within the letter, follow-up links are per letter), so chunks of whole letters can be enriched
in separate processes and their results concatenated; the result equals one call over all
units (the same rows; links may come in another order, commitments are re-sorted).
A backfill enriches a million text units; one core does ~500 a second.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Iterator, Mapping

from etl.enrich import enrich_units
from etl.enrich.records import Enrichment
from etl.enrich.themes import LetterContext, Theme
from etl.models import TextUnit

#: Below this many units one process is quicker than starting workers (~1 s each).
MIN_PARALLEL_UNITS = 4000
#: Units per task: big enough to amortise pickling, small enough to balance the workers.
CHUNK_UNITS = 2000

_themes: list[Theme] = []  # set once per worker process by _init


def _init(themes: list[Theme]) -> None:
    _themes[:] = themes


def _enrich_chunk(task: tuple[list[TextUnit], dict[str, LetterContext], date]) -> Enrichment:
    units, letters, ref_day = task
    return enrich_units(units, themes=_themes, reference_date=ref_day, letters=letters)


def letter_chunks(units: list[TextUnit], size: int = CHUNK_UNITS) -> Iterator[list[TextUnit]]:
    """``units`` in chunks of about ``size``, never splitting a letter, in their order."""
    by_doc: dict[str, list[TextUnit]] = {}
    for u in units:
        by_doc.setdefault(u.document_id, []).append(u)
    chunk: list[TextUnit] = []
    for doc_units in by_doc.values():
        chunk.extend(doc_units)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def merge(parts: list[Enrichment], themes: list[Theme], reference_date: date) -> Enrichment:
    """One Enrichment from the results of disjoint sets of letters."""
    return Enrichment(
        theme_links=tuple(x for p in parts for x in p.theme_links),
        events=tuple(x for p in parts for x in p.events),
        commitments=tuple(sorted((x for p in parts for x in p.commitments), key=lambda c: (c.unit_id, c.start))),
        references=tuple(x for p in parts for x in p.references),
        question_set_links=tuple(x for p in parts for x in p.question_set_links),
        themes=tuple(themes),
        reference_date=reference_date,
        warnings=tuple(x for p in parts for x in p.warnings),
    )


class EnrichPool:
    """Worker processes that enrich batch after batch of letters (started once, on first need).

    Use as a context manager; :meth:`enrich` is :func:`enrich_units` for one batch, in this
    process when the batch is small or ``workers`` is 1.
    """

    def __init__(self, themes: list[Theme], workers: int = 1):
        self.themes = list(themes)
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "EnrichPool":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def enrich(self, units: list[TextUnit], *, reference_date: date,
               letters: Mapping[str, LetterContext] | None = None) -> Enrichment:
        letters = letters or {}
        if self.workers <= 1 or len(units) < MIN_PARALLEL_UNITS:
            return enrich_units(units, themes=self.themes, reference_date=reference_date, letters=letters)
        if self._pool is None:
            # spawned, not forked: the caller (Dagster, the CLI) holds threads and open connections
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init, initargs=(self.themes,))
        tasks = (
            (chunk, {d: letters[d] for d in {u.document_id for u in chunk} if d in letters}, reference_date)
            for chunk in letter_chunks(units, CHUNK_UNITS)
        )
        parts: list[Enrichment] = []
        # a few chunks in flight per worker, not all: each waiting chunk is a pickled copy
        in_flight: deque = deque()
        for task in tasks:
            in_flight.append(self._pool.submit(_enrich_chunk, task))
            if len(in_flight) >= 2 * self.workers:
                parts.append(in_flight.popleft().result())
        parts.extend(f.result() for f in in_flight)
        return merge(parts, self.themes, reference_date)


def enrich_in_workers(
    units: list[TextUnit],
    *,
    themes: list[Theme],
    reference_date: date,
    letters: Mapping[str, LetterContext] | None = None,
    workers: int = 1,
) -> Enrichment:
    """:func:`enrich_units` spread over ``workers`` processes (in this process when small)."""
    with EnrichPool(themes, workers) as pool:
        return pool.enrich(units, reference_date=reference_date, letters=letters)


__all__ = ["EnrichPool", "enrich_in_workers", "letter_chunks", "merge"]
