"""Themes as data: load the theme file and link text units to themes.

Dutch glues words together ("ICT-verstoringen", "voorraadbak", "werkvoorraad"), so the main
rule kind is a *stem* that may sit anywhere inside a word. Whole words, phrases and regular
expressions cover what stems cannot say. Each link keeps the rule that fired and its evidence.

A theme is also *scoped*: "storing" is an OM incident only in a letter about the OM. A scope
(``[scopes.<id>]`` in the theme file) names an organisation or policy domain by its names and
ministries; a scoped theme links a block only when the scope's names occur in the block, its
neighbours, the letter's title or another block of the letter, and (when the letter's addressees
or answerers are known) one of them belongs to the scope's ministries. Rules under
``[theme.supported]`` (short tokens, words common in every domain) need the scope close by: in
the block, its neighbours or the title. Each link records the scope evidence that admitted it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from etl.enrich.records import ThemeLink
from etl.enrich.text import required_word, word_tests_hold
from etl.models import TextUnit

# A word: letters/digits, hyphenated parts belong to the same word ("ICT-verstoringen").
_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")


class ThemeFileError(ValueError):
    """The theme file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Rule:
    """One compiled matching rule; ``name`` is what lands in ``theme_links.rule``."""

    name: str
    kind: str  # stem | word | acronym | phrase | pattern
    term: str
    regex: re.Pattern[str] | None = None

    @cached_property
    def needs(self) -> tuple[str, str | None, bool] | None:
        """(a word every match contains, the word every match starts with, whether both are
        sought in the lower-cased text), for acronym, phrase and pattern rules: a rule whose words
        are absent is not run (most texts hold no acronym, phrase or pattern of a theme), and
        where they are present the regex is tried only where its first word starts (a scan for a
        literal is far cheaper than a regex scan that starts with a lookbehind). A pattern
        names no first word (None): where its word is present, it scans the whole text."""
        if self.kind == "acronym":
            return self.term, self.term, False
        if self.kind == "phrase":
            words = self.term.split()
            return max(words, key=len), words[0], True
        if self.kind == "pattern" and (word := required_word(self.term)) is not None:
            return word, None, True  # a pattern may start anywhere: its word only rules texts out
        return None


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
    # None = a general theme (the file says scope = "general"); else what it must be about
    scope: "Scope | None" = None
    # rules that count only with the scope close by (block, neighbours, title); as a Theme
    supported: "Theme | None" = None

    def __hash__(self) -> int:
        # Themes key the match caches: hashing every rule of a theme per lookup cost more than
        # the lookup. Equal themes have equal ids, labels, versions and sources, so this agrees
        # with the generated equality.
        return hash((self.id, self.label, self.version, self.source))

    def subject_of(self, sentence: str) -> str:
        """``theme:subject`` for the first subject whose stem occurs in ``sentence``, else ``theme``."""
        low = sentence.lower()
        for name, stems in self.subjects:
            if any(st in low for st in stems):
                return f"{self.id}:{name}"
        return self.id


@dataclass(frozen=True)
class Scope:
    """What a scoped theme must be about: an organisation or policy domain.

    ``names`` is matched like a theme (stems, words, acronyms, phrases, patterns);
    ``ministries`` are portfolio words ("justitie") of which one must occur in the letter's
    addressees or answerers, when those are known.
    """

    id: str
    label: str
    names: "Theme"
    ministries: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterContext:
    """What the letter says about itself beyond its blocks (for scope checks)."""

    title: str = ""
    addressees: tuple[str, ...] = ()
    answered_by: tuple[str, ...] = ()


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


# Stems, words and acronyms this short ("IV", "Sv", "om") mean something else in most letters; in
# a scoped theme they must sit under [theme.supported], where the scope has to be close by.
_SHORT = 3


def _rules(t: dict, where: str) -> list[Rule]:
    """The matching rules of one table (a theme, its ``supported`` part, or a scope's names)."""
    rules: list[Rule] = []
    for stem in _strings(t, "stems", where):
        rules.append(Rule(f"stem:{stem.lower()}", "stem", stem.lower()))
    for word in _strings(t, "words", where):
        rules.append(Rule(f"word:{word.lower()}", "word", word.lower()))
    for acr in _strings(t, "acronyms", where):
        rules.append(Rule(f"acronym:{acr}", "acronym", acr,
                          re.compile(r"(?<![^\W_])" + re.escape(acr) + r"(?![^\W_])")))
    for phrase in dict.fromkeys(p.lower() for p in _strings(t, "phrases", where)):
        rules.append(Rule(f"phrase:{phrase}", "phrase", phrase, _phrase_regex(phrase)))
    for j, pat in enumerate(_strings(t, "patterns", where)):
        try:
            rx = re.compile(pat, re.IGNORECASE)
        except re.error as exc:
            raise ThemeFileError(f"{where}: pattern {j + 1} {pat!r} is not a valid regex: {exc}") from exc
        rules.append(Rule(f"pattern:{j + 1}", "pattern", pat, rx))
    return rules


def _bare(tid: str, version: str, rules: list[Rule], exclude: tuple[str, ...], source: str) -> Theme:
    """A rule set without scope or subjects (a theme's supported part, a scope's names)."""
    return Theme(id=tid, label=tid, description="", version=version, rules=tuple(rules),
                 exclude=exclude, compiled=_compile(tuple(rules), exclude), source=source)


def _scopes(data: dict, version: str, source: str) -> dict[str, Scope]:
    tables = data.get("scopes", {})
    if not isinstance(tables, dict):
        raise ThemeFileError(f"{source}: 'scopes' must be tables [scopes.<id>]")
    out: dict[str, Scope] = {}
    for sid, t in tables.items():
        where = f"{source}: scope {sid}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", sid) or sid == "general":
            raise ThemeFileError(f"{where}: id must be lower_snake_case and not 'general'")
        if not isinstance(t, dict):
            raise ThemeFileError(f"{where}: must be a table")
        names = _rules(t, where)
        if not names:
            raise ThemeFileError(f"{where}: no names (stems, words, acronyms, phrases or patterns)")
        out[sid] = Scope(sid, str(t.get("label", sid)), _bare(f"scope:{sid}", version, names, (), source),
                         tuple(m.lower() for m in _strings(t, "ministries", where)))
    return out


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
    scopes = _scopes(data, version, source)
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
        rules = _rules(t, where)
        scope_id = t.get("scope")
        if scope_id != "general" and scope_id not in scopes:
            raise ThemeFileError(
                f"{where}: 'scope' must be \"general\" or one of the [scopes.<id>] tables "
                f"({', '.join(sorted(scopes)) or 'none defined'}), got {scope_id!r}")
        short = [r.term for r in rules if r.kind in ("stem", "word", "acronym") and len(r.term) <= _SHORT]
        if short and scope_id != "general":
            raise ThemeFileError(
                f"{where}: short token(s) {', '.join(map(repr, short))} only count with support: "
                f"put them under [theme.supported]")
        sup = t.get("supported", {})
        if not isinstance(sup, dict):
            raise ThemeFileError(f"{where}: 'supported' must be a table [theme.supported]")
        sup_rules = [dataclasses.replace(r, name="supported:" + r.name) for r in _rules(sup, f"{where} supported")]
        if sup_rules and scope_id == "general":
            raise ThemeFileError(f"{where}: 'supported' rules need a scope (this theme is general)")
        subj = t.get("subjects", {})
        if not isinstance(subj, dict):
            raise ThemeFileError(f"{where}: 'subjects' must be a table of name = [stems]")
        subjects = tuple(
            (str(name), tuple(st.lower() for st in _strings(subj, name, f"{where} subjects")))
            for name in subj
        )
        if not rules and not sup_rules:
            raise ThemeFileError(f"{where}: no rules (stems, words, acronyms, phrases or patterns)")
        excl = tuple(e.lower() for e in _strings(t, "exclude", where))
        themes.append(
            Theme(
                id=tid,
                label=str(t.get("label", tid)),
                description=str(t.get("description", "")),
                version=version,
                rules=tuple(rules),
                exclude=excl,
                compiled=_compile(tuple(rules), excl),
                source=source,
                subjects=subjects,
                context_stems=tuple(c.lower() for c in _strings(t, "context_stems", where)),
                scope=scopes.get(scope_id),
                supported=_bare(tid, version, sup_rules, excl, source) if sup_rules else None,
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
                       t.exclude, t.subjects, t.context_stems,
                       _scope_key(t.scope),
                       [(r.name, r.kind, r.term) for r in t.supported.rules] if t.supported else [])).encode())
    return h.hexdigest()


def _scope_key(scope: Scope | None) -> tuple | None:
    if scope is None:
        return None
    return (scope.id, scope.label, [(r.name, r.kind, r.term) for r in scope.names.rules], scope.ministries)


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


# Big enough for every (unit, theme) pair of an enrichment chunk (etl.enrich.parallel): the
# events pass asks again for the hits the linking pass found, a whole chunk later.
@lru_cache(maxsize=65536)
def _match_theme_cached(text: str, theme: Theme) -> tuple[ThemeHit, ...]:
    return tuple(_match_theme(text, theme))


def _rule_matches(rule: Rule, text: str, low: str, low_is_exact: bool) -> Iterator[re.Match[str]]:
    """``rule.regex.finditer(text)``, run only where the rule's words occur (``Rule.needs``).

    A match can only start where its first word starts, so trying the regex there alone finds
    the same non-overlapping matches as a scan of every position (lookbehinds still see the
    text before). Where ``low`` is not an exact lower-case copy of ``text`` (lower-casing
    changed its length, or the text holds letters the regex reads as others; see
    ``etl.enrich.text.word_tests_hold``), neither the word test nor the positions hold: then
    the plain scan.
    """
    needs = rule.needs
    if needs is None:
        yield from rule.regex.finditer(text)
        return
    rare, first, lowered = needs
    if lowered and not low_is_exact:
        yield from rule.regex.finditer(text)
        return
    hay = low if lowered else text
    if rare not in hay:
        return
    if first is None:  # a pattern: its word is present, it may start anywhere
        yield from rule.regex.finditer(text)
        return
    pos, free_from = hay.find(first), 0
    while pos >= 0:
        if pos >= free_from:
            m = rule.regex.match(text, pos)
            if m is not None and m.end() > m.start():
                yield m
                free_from = m.end()
        pos = hay.find(first, pos + 1)


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
    low_is_exact = len(low) == len(text) and word_tests_hold(text)  # once per text, not per rule
    for rule in theme.rules:
        if rule.regex is not None:
            for m in _rule_matches(rule, text, low, low_is_exact):
                if m.end() > m.start():
                    hits.append(ThemeHit(theme.id, rule.name, m.group(0), m.start(), m.end()))
    if theme.exclude and hits:
        spans = spans or _word_spans(low)
        bad = [m.span() for rx in comp.exclude for m in rx.finditer(low)]
        present = [x for x in theme.exclude if x in low]  # none present: no word can hold one
        if present:
            bad += [(s, e) for s, e in zip(*spans) if any(x in low[s:e] for x in present)]
        hits = [h for h in hits if not any(h.start < e and s < h.end for s, e in bad)]
    order = {r.name: i for i, r in enumerate(theme.rules)}
    return sorted(hits, key=lambda h: (h.start, order[h.rule]))


def _first(hit: ThemeHit) -> tuple[int, bool]:
    """Earliest hit first; at the same place a main rule before a supported one."""
    return hit.start, hit.rule.startswith("supported:")


def match_text(text: str, themes: Iterable[Theme]) -> list[ThemeHit]:
    """The first hit of each theme's words (main or supported rules) in ``text``.

    Words only: no scope is checked here (that needs the letter; see :func:`link_units`).
    """
    out = []
    for theme in themes:
        hits = match_theme(text, theme) + (match_theme(text, theme.supported) if theme.supported else [])
        if hits:
            out.append(min(hits, key=_first))
    return out


def context_hits(text: str, theme: Theme) -> list[ThemeHit]:
    """Hits of the theme's context stems (valid only in a letter already about the theme)."""
    low = text.lower()
    present = [stem for stem in theme.context_stems if stem in low]  # most texts hold none
    if not present:
        return []
    hits = []
    for m in _WORD.finditer(low):
        for stem in present:
            if stem in m.group(0):
                hits.append(ThemeHit(theme.id, f"context:{stem}", text[m.start():m.end()], m.start(), m.end()))
                break
    return hits


def _neighbours(unit: TextUnit, doc_units: list[TextUnit]) -> list[TextUnit]:
    """The blocks next to a question or answer: the previous and next block of the same kind and
    the blocks of the other kind that share a question number (its answer, or its question)."""
    if unit.kind not in ("question", "answer"):
        return []
    kind, idx = unit.unit_id.rsplit(":", 2)[1:]
    near = {f"{kind}:{int(idx) - 1}", f"{kind}:{int(idx) + 1}"}
    out = []
    for u in doc_units:
        if u.unit_id == unit.unit_id or u.kind not in ("question", "answer"):
            continue
        if ":".join(u.unit_id.rsplit(":", 2)[1:]) in near or (
                u.kind != unit.kind and set(u.numbers) & set(unit.numbers)):
            out.append(u)
    return out


def _ministry_ok(scope: Scope, letter: LetterContext | None) -> bool:
    """False only when the letter names its addressees/answerers and none is of the scope's
    ministries; a scope without ministries, or a letter without that metadata, passes."""
    if not scope.ministries or letter is None:
        return True
    people = " ".join(letter.addressees + letter.answered_by).lower()
    return not people.strip() or any(m in people for m in scope.ministries)


class _ScopeFinder:
    """Where a scope's names occur in one letter, cached per unit: block, neighbours, title,
    letter. Evidence is ``level:text`` (``neighbours:Openbaar Ministerie (a:3)``)."""

    def __init__(self, doc_units: list[TextUnit], letter: LetterContext | None):
        self.units = doc_units
        self.letter = letter
        self._own: dict[tuple[str, str], str | None] = {}

    def _in(self, scope: Scope, unit: TextUnit) -> str | None:
        key = (scope.id, unit.unit_id)
        if key not in self._own:
            hits = match_theme(unit.text, scope.names)
            self._own[key] = hits[0].evidence if hits else None
        return self._own[key]

    def near(self, scope: Scope, unit: TextUnit) -> str | None:
        """Evidence in the block itself, its neighbours or the letter's title."""
        own = self._in(scope, unit)
        if own:
            return f"block:{own}"
        for n in _neighbours(unit, self.units):
            ev = self._in(scope, n)
            if ev:
                return f"neighbours:{ev} ({':'.join(n.unit_id.rsplit(':', 2)[1:])})"
        if self.letter and self.letter.title:
            hits = match_theme(self.letter.title, scope.names)
            if hits:
                return f"title:{hits[0].evidence}"
        return None

    def anywhere(self, scope: Scope, unit: TextUnit) -> str | None:
        """Evidence close by, else in any other text of the letter."""
        ev = self.near(scope, unit)
        if ev:
            return ev
        for u in self.units:
            own = self._in(scope, u)
            if own:
                return f"letter:{own} ({u.unit_id.split(':', 1)[1]})"
        return None


def _admitted(unit: TextUnit, theme: Theme, finder: _ScopeFinder) -> tuple[ThemeHit, str] | None:
    """The earliest hit of ``theme`` in ``unit`` that its scope admits, with the scope evidence.

    A general theme admits every hit. A scoped theme needs its ministries (when the letter names
    them) and its names: anywhere in the letter for the main rules, close by for supported rules.
    """
    hits = match_theme(unit.text, theme)
    supported = match_theme(unit.text, theme.supported) if theme.supported else []
    if theme.scope is None:
        found = hits + supported
        return (min(found, key=_first), "general") if found else None
    if not (hits or supported) or not _ministry_ok(theme.scope, finder.letter):
        return None
    near = finder.near(theme.scope, unit) if supported else None
    pool = list(supported) if near else []
    evidence = near
    if hits:
        far = near or finder.anywhere(theme.scope, unit)
        if far:
            pool += hits
            evidence = far
    if not pool:
        return None
    return min(pool, key=_first), evidence or ""


def link_units(units: Iterable[TextUnit], themes: Iterable[Theme],
               letters: Mapping[str, LetterContext] | None = None) -> tuple[ThemeLink, ...]:
    """One :class:`ThemeLink` per unit and matching theme, evidence = the earliest admitted hit.

    ``letters`` (document_id -> :class:`LetterContext`) gives titles, addressees and answerers
    for scope checks; without it only the blocks are searched. Context stems link a unit only
    when another unit of the same document links to the theme directly.
    """
    units = list(units)
    themes = list(themes)
    letters = letters or {}
    by_doc: dict[str, list[TextUnit]] = {}
    for u in units:
        by_doc.setdefault(u.document_id, []).append(u)
    finders = {d: _ScopeFinder(us, letters.get(d)) for d, us in by_doc.items()}
    links: list[ThemeLink] = []
    direct: set[tuple[str, str]] = set()  # (document_id, theme)
    linked: set[tuple[str, str]] = set()  # (unit_id, theme)
    for unit in units:
        for theme in themes:
            found = _admitted(unit, theme, finders[unit.document_id])
            if found is None:
                continue
            hit, scope_ev = found
            links.append(ThemeLink(unit.unit_id, unit.document_id, hit.theme, hit.rule, hit.evidence,
                                   hit.start, hit.end, unit.letter_date, scope_ev))
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
                                       h.start, h.end, unit.letter_date, "context"))
    return tuple(links)


__all__ = [
    "LetterContext",
    "Rule",
    "Scope",
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
