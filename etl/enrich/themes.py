"""Themes as data: load the theme file and link text units to themes.

Dutch glues words together ("ICT-verstoringen", "voorraadbak", "werkvoorraad"), so the main
rule kind is a *stem* that may sit anywhere inside a word. Whole words, phrases and regular
expressions cover what stems cannot say. Each link keeps the rule that fired and its evidence.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from etl.enrich.records import ThemeLink
from etl.models import TextUnit

# A word: letters/digits, hyphenated parts belong to the same word ("ICT-verstoringen").
_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")


class ThemeFileError(ValueError):
    """The theme file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Rule:
    """One compiled matching rule; ``name`` is what lands in ``theme_links.rule``."""

    name: str
    kind: str  # stem | word | phrase | pattern
    term: str
    regex: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Theme:
    """A theme from the theme file (``version`` is the file's version)."""

    id: str
    label: str
    description: str
    version: str
    rules: tuple[Rule, ...]
    exclude: tuple[str, ...] = ()
    source: str = ""
    # name -> stems; a dated statement whose sentence holds one of the stems is about that
    # subject of the theme ("strafvordering:inwerkingtreding"); deadline drift groups on it.
    subjects: tuple[tuple[str, tuple[str, ...]], ...] = ()
    context_stems: tuple[str, ...] = ()
    compiled: "_Compiled | None" = field(default=None, compare=False, repr=False)

    def subject_of(self, sentence: str) -> str:
        """``theme:subject`` for the first subject whose stem occurs in ``sentence``, else ``theme``."""
        low = sentence.lower()
        for name, stems in self.subjects:
            if any(st in low for st in stems):
                return f"{self.id}:{name}"
        return self.id


@dataclass(frozen=True)
class ThemeHit:
    theme: str
    rule: str
    evidence: str
    start: int
    end: int


def default_theme_path() -> Path:
    return Path(str(resources.files("etl.enrich").joinpath("themes.toml")))


@dataclass(frozen=True)
class _Compiled:
    """One regex for all stems and one for all whole words of a theme, so a text is scanned
    once per theme instead of once per rule."""

    stems: re.Pattern[str] | None
    words: re.Pattern[str] | None
    exclude: tuple[re.Pattern[str], ...]


def _compile(rules: tuple[Rule, ...], exclude: tuple[str, ...]) -> _Compiled:
    stems = [r.term for r in rules if r.kind == "stem"]
    words = [r.term for r in rules if r.kind == "word"]
    return _Compiled(
        re.compile("|".join(re.escape(t) for t in stems)) if stems else None,
        re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(t) for t in words) + r")(?![^\W_])") if words else None,
        tuple(_phrase_regex(t) for t in exclude),
    )


def _compiled(theme: "Theme") -> _Compiled:
    return theme.compiled or _compile(theme.rules, theme.exclude)


@lru_cache(maxsize=1024)
def _phrase_regex(phrase: str) -> re.Pattern[str]:
    """Words in a row, any whitespace or hyphen between them; the last word may inflect."""
    words = [re.escape(w) for w in phrase.lower().split()]
    return re.compile(r"(?<![^\W_])" + r"[\s\-‐‑]+".join(words) + r"[^\W_]*", re.IGNORECASE)


def _strings(data: dict, key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ThemeFileError(f"{where}: '{key}' must be a list of non-empty strings")
    return [v.strip() for v in value]


def parse_themes(text: str, source: str = "<string>") -> list[Theme]:
    """Themes from TOML text; errors name the source, the theme and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeFileError(f"{source}: not valid TOML: {exc}") from exc
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ThemeFileError(f"{source}: top-level 'version' (a string) is required")
    tables = data.get("theme")
    if not isinstance(tables, list) or not tables:
        raise ThemeFileError(f"{source}: no [[theme]] tables")
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, t in enumerate(tables):
        tid = t.get("id")
        where = f"{source}: theme #{i + 1}" + (f" ({tid})" if tid else "")
        if not isinstance(tid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", tid):
            raise ThemeFileError(f"{where}: 'id' must be lower_snake_case")
        if tid in seen:
            raise ThemeFileError(f"{where}: duplicate id")
        seen.add(tid)
        rules: list[Rule] = []
        for stem in _strings(t, "stems", where):
            rules.append(Rule(f"stem:{stem.lower()}", "stem", stem.lower()))
        for word in _strings(t, "words", where):
            rules.append(Rule(f"word:{word.lower()}", "word", word.lower()))
        for phrase in dict.fromkeys(p.lower() for p in _strings(t, "phrases", where)):
            rules.append(Rule(f"phrase:{phrase}", "phrase", phrase, _phrase_regex(phrase)))
        for j, pat in enumerate(_strings(t, "patterns", where)):
            try:
                rx = re.compile(pat, re.IGNORECASE)
            except re.error as exc:
                raise ThemeFileError(f"{where}: pattern {j + 1} {pat!r} is not a valid regex: {exc}") from exc
            rules.append(Rule(f"pattern:{j + 1}", "pattern", pat, rx))
        subj = t.get("subjects", {})
        if not isinstance(subj, dict):
            raise ThemeFileError(f"{where}: 'subjects' must be a table of name = [stems]")
        subjects = tuple(
            (str(name), tuple(st.lower() for st in _strings(subj, name, f"{where} subjects")))
            for name in subj
        )
        if not rules:
            raise ThemeFileError(f"{where}: no rules (stems, words, phrases or patterns)")
        themes.append(
            Theme(
                id=tid,
                label=str(t.get("label", tid)),
                description=str(t.get("description", "")),
                version=version,
                rules=tuple(rules),
                exclude=tuple(e.lower() for e in _strings(t, "exclude", where)),
                compiled=_compile(tuple(rules), tuple(e.lower() for e in _strings(t, "exclude", where))),
                source=source,
                subjects=subjects,
                context_stems=tuple(c.lower() for c in _strings(t, "context_stems", where)),
            )
        )
    return themes


def load_themes(path: Path | None = None) -> list[Theme]:
    """Themes from ``path`` (default: the packaged ``etl/enrich/themes.toml``)."""
    p = Path(path) if path is not None else default_theme_path()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ThemeFileError(f"{p}: cannot read theme file: {exc.strerror or exc}") from exc
    return parse_themes(text, "package:etl/enrich/themes.toml" if path is None else str(p))


def themes_fingerprint(themes: Iterable[Theme]) -> str:
    """sha256 of everything in ``themes`` that links text (ids, rules, excludes, subjects, ...).

    Recorded with each enriched document next to the file's ``version``, so an edited theme file
    whose version was not bumped still re-enriches every document.
    """
    h = hashlib.sha256()
    for t in themes:
        h.update(repr((t.id, t.label, t.description, t.version,
                       [(r.name, r.kind, r.term) for r in t.rules],
                       t.exclude, t.subjects, t.context_stems)).encode())
    return h.hexdigest()


@lru_cache(maxsize=256)
def _word_spans(low: str) -> tuple[list[int], list[int]]:
    """Word start/end offsets, cached: every theme scans the same unit text."""
    starts, ends = [], []
    for m in _WORD.finditer(low):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _word_at(spans: tuple[list[int], list[int]], pos: int) -> tuple[int, int] | None:
    starts, ends = spans
    i = bisect_right(starts, pos) - 1
    if i >= 0 and pos < ends[i]:
        return starts[i], ends[i]
    return None


def match_theme(text: str, theme: Theme) -> list[ThemeHit]:
    """Every hit of every rule of ``theme`` in ``text`` (cached per text and theme; see _match_theme)."""
    return list(_match_theme_cached(text, theme))


@lru_cache(maxsize=4096)
def _match_theme_cached(text: str, theme: Theme) -> tuple[ThemeHit, ...]:
    return tuple(_match_theme(text, theme))


def _match_theme(text: str, theme: Theme) -> list[ThemeHit]:
    """Every hit of every rule of ``theme`` in ``text``, in text order (ties: rule order).

    Stem and word rules report the whole word they sit in (a hyphenated compound is one word).
    """
    low = text.lower()
    comp = _compiled(theme)
    spans: tuple[list[int], list[int]] | None = None
    hits: list[ThemeHit] = []
    stem_rules = [r for r in theme.rules if r.kind == "stem"]
    word_rules = [r for r in theme.rules if r.kind == "word"]
    if comp.stems is not None:
        spans = _word_spans(low)
        seen: set[int] = set()
        for m in comp.stems.finditer(low):
            w = _word_at(spans, m.start())
            if w is None or w[0] in seen:
                continue
            seen.add(w[0])
            word = low[w[0]:w[1]]
            for rule in stem_rules:  # every stem of the theme inside this word, in rule order
                if rule.term in word:
                    hits.append(ThemeHit(theme.id, rule.name, text[w[0]:w[1]], w[0], w[1]))
    if comp.words is not None:
        spans = spans or _word_spans(low)
        for m in comp.words.finditer(low):
            w = _word_at(spans, m.start())
            if w is None:
                continue
            rule = next(r for r in word_rules if r.term == m.group(0))
            hits.append(ThemeHit(theme.id, rule.name, text[w[0]:w[1]], w[0], w[1]))
    for rule in theme.rules:
        if rule.regex is not None:
            for m in rule.regex.finditer(text):
                if m.end() > m.start():
                    hits.append(ThemeHit(theme.id, rule.name, m.group(0), m.start(), m.end()))
    if theme.exclude and hits:
        spans = spans or _word_spans(low)
        bad = [m.span() for rx in comp.exclude for m in rx.finditer(low)]
        bad += [(s, e) for s, e in zip(*spans) if any(x in low[s:e] for x in theme.exclude)]
        hits = [h for h in hits if not any(h.start < e and s < h.end for s, e in bad)]
    order = {r.name: i for i, r in enumerate(theme.rules)}
    return sorted(hits, key=lambda h: (h.start, order[h.rule]))


def match_text(text: str, themes: Iterable[Theme]) -> list[ThemeHit]:
    """The first hit of each theme that matches ``text`` (the evidence a link keeps)."""
    out = []
    for theme in themes:
        hits = match_theme(text, theme)
        if hits:
            out.append(hits[0])
    return out


def context_hits(text: str, theme: Theme) -> list[ThemeHit]:
    """Hits of the theme's context stems (valid only in a letter already about the theme)."""
    hits = []
    for m in _WORD.finditer(text.lower()):
        for stem in theme.context_stems:
            if stem in m.group(0):
                hits.append(ThemeHit(theme.id, f"context:{stem}", text[m.start():m.end()], m.start(), m.end()))
                break
    return hits


def link_units(units: Iterable[TextUnit], themes: Iterable[Theme]) -> tuple[ThemeLink, ...]:
    """One :class:`ThemeLink` per unit and matching theme, evidence = the earliest hit.

    Context stems link a unit only when another unit of the same document links to the theme
    directly.
    """
    units = list(units)
    themes = list(themes)
    links: list[ThemeLink] = []
    direct: set[tuple[str, str]] = set()  # (document_id, theme)
    linked: set[tuple[str, str]] = set()  # (unit_id, theme)
    for unit in units:
        for hit in match_text(unit.text, themes):
            links.append(ThemeLink(unit.unit_id, unit.document_id, hit.theme, hit.rule, hit.evidence,
                                   hit.start, hit.end, unit.letter_date))
            direct.add((unit.document_id, hit.theme))
            linked.add((unit.unit_id, hit.theme))
    for unit in units:
        for theme in themes:
            if not theme.context_stems or (unit.unit_id, theme.id) in linked:
                continue
            if (unit.document_id, theme.id) not in direct:
                continue
            hits = context_hits(unit.text, theme)
            if hits:
                h = hits[0]
                links.append(ThemeLink(unit.unit_id, unit.document_id, h.theme, h.rule, h.evidence,
                                       h.start, h.end, unit.letter_date))
    return tuple(links)


__all__ = [
    "Rule",
    "Theme",
    "ThemeFileError",
    "ThemeHit",
    "context_hits",
    "default_theme_path",
    "link_units",
    "load_themes",
    "match_text",
    "match_theme",
    "parse_themes",
    "themes_fingerprint",
]
