"""A theme file judged on the letters in the warehouse before it is loaded (`kamerspoor themes check`).

For the analyst who extends the theme file: per theme and per rule, how many links it makes, in how
many letters and ministries, a few evidence snippets, and which links would be gained or lost
against the links the warehouse holds now, so a new rule's false links show before they land.
Pure: the caller reads the units, letter contexts and current links (etl.cli does, read-only).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from etl.enrich.records import ThemeLink
from etl.enrich.themes import LetterContext, Theme, link_units
from etl.models import TextUnit

_FUNCTION = re.compile(r"(?:minister|staatssecretaris)\w*\s+(?:van|voor)\s+([^,()]+)", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]+)\)")


def ministries_of(letter: LetterContext | None) -> set[str]:
    """Portfolios named in the addressees/answerers ("Minister van Justitie en Veiligheid" ->
    "Justitie en Veiligheid"); the raw text when no portfolio can be read."""
    if letter is None:
        return set()
    out = set()
    for who in letter.addressees + letter.answered_by:
        m = _PAREN.search(who) or _FUNCTION.search(who)
        out.add(m.group(1).strip() if m else who.strip())
    return {o for o in out if o}


def snippet(text: str, start: int, end: int, width: int = 50) -> str:
    """The evidence with some text either side, on one line."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    flat = lambda s: " ".join(s.split())  # noqa: E731
    return (("…" if start > width else "") + flat(left) + " [" + flat(text[start:end]) + "] "
            + flat(right) + ("…" if end + width < len(text) else "")).strip()


@dataclass
class RuleReport:
    rule: str
    links: int = 0
    letters: set[str] = field(default_factory=set)
    ministries: set[str] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)


@dataclass
class ThemeReport:
    theme: Theme
    links: int = 0
    letters: set[str] = field(default_factory=set)
    ministries: Counter = field(default_factory=Counter)
    scope_levels: Counter = field(default_factory=Counter)
    rules: dict[str, RuleReport] = field(default_factory=dict)
    gained: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def check_themes(units: list[TextUnit], themes: list[Theme], letters: Mapping[str, LetterContext],
                 current: Iterable[tuple[str, str]], names: Mapping[str, str] | None = None,
                 examples: int = 3) -> list[ThemeReport]:
    """One report per theme of ``themes`` linked over ``units``; ``current`` holds the
    (unit_id, theme_id) pairs the warehouse links now; ``names`` labels letters in the output."""
    names = names or {}
    texts = {u.unit_id: u.text for u in units}
    doc_of = {u.unit_id: u.document_id for u in units}

    def label(unit_id: str) -> str:  # "ah-tk-20252026-38 a:3"
        doc = doc_of[unit_id]
        return f"{names.get(doc, doc)} {unit_id[len(doc) + 1:]}"

    links: list[ThemeLink] = list(link_units(units, themes, letters))
    reports = {t.id: ThemeReport(t) for t in themes}
    for ln in links:
        r = reports[ln.theme]
        r.links += 1
        r.letters.add(ln.document_id)
        r.scope_levels[ln.scope_evidence.split(":", 1)[0]] += 1
        rule = r.rules.setdefault(ln.rule, RuleReport(ln.rule))
        rule.links += 1
        rule.letters.add(ln.document_id)
        if len(rule.examples) < examples:
            rule.examples.append(f"{label(ln.unit_id)}: {snippet(texts[ln.unit_id], ln.start, ln.end)}")
    for r in reports.values():
        for doc in r.letters:
            for m in ministries_of(letters.get(doc)) or {"(unknown)"}:
                r.ministries[m] += 1
        for rule in r.rules.values():
            rule.ministries = set().union(*(ministries_of(letters.get(d)) or {"(unknown)"} for d in rule.letters))
    new = {(ln.unit_id, ln.theme) for ln in links}
    old = {(u, t) for u, t in current if u in texts}
    by_unit = {(ln.unit_id, ln.theme): ln for ln in links}
    for unit_id, theme in sorted(new - old):
        ln = by_unit[(unit_id, theme)]
        reports[theme].gained.append(f"{label(unit_id)}: {snippet(texts[unit_id], ln.start, ln.end)}")
    for unit_id, theme in sorted(old - new):
        if theme in reports:
            reports[theme].lost.append(f"{label(unit_id)}: {' '.join(texts[unit_id].split())[:100]}…")
    return list(reports.values())


def format_report(reports: list[ThemeReport], *, source: str, units: int, letters: int,
                  examples: int = 3, dropped: Iterable[str] = ()) -> str:
    """The report as text (what `kamerspoor themes check` prints)."""
    version = reports[0].theme.version if reports else "?"
    out = [f"theme file {source} (version {version}) over {letters} letters, {units} text units"]
    for r in reports:
        t = r.theme
        scope = f"{t.scope.id}: {t.scope.label}" if t.scope else "general"
        out.append("")
        out.append(f"{t.id} — {t.label}  [scope {scope}]")
        mins = ", ".join(f"{m} ({n})" for m, n in r.ministries.most_common(4))
        out.append(f"  {r.links} links in {len(r.letters)} letters; ministries: {mins or '-'}")
        out.append(f"  scope evidence: " + (", ".join(f"{k} {v}" for k, v in r.scope_levels.most_common()) or "-"))
        out.append(f"  against the current links: +{len(r.gained)} gained, -{len(r.lost)} lost")
        for rule in sorted(r.rules.values(), key=lambda x: (-x.links, x.rule)):
            out.append(f"    {rule.rule:<38} {rule.links:>4} links {len(rule.letters):>3} letters "
                       f"{len(rule.ministries):>2} ministries")
            for ex in rule.examples:
                out.append(f"        {ex}")
        for kind, items in (("gained", r.gained), ("lost", r.lost)):
            for item in items[:examples]:
                out.append(f"    {kind}: {item}")
            if len(items) > examples:
                out.append(f"    {kind}: … {len(items) - examples} more")
    for theme_id in dropped:
        out.append("")
        out.append(f"{theme_id} — not in this file: all its current links would be lost")
    return "\n".join(out)


__all__ = ["RuleReport", "ThemeReport", "check_themes", "format_report", "ministries_of", "snippet"]
