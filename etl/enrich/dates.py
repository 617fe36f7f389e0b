"""Dutch date and period phrases → inclusive day ranges.

Letters promise things "voor de zomer", "in het eerste kwartaal van 2026" or "eind 2025", so a
single date is not enough: every phrase becomes a ``[date_start, date_end]`` range (both
inclusive). A phrase without a year takes the letter's year; a deadline phrase ("voor de zomer")
whose inferred range already lies behind the letter moves to the next year. Footnote markers
glued to a year ("juli 2025¹", or "juli 20251" when 1 is a known marker) are never read as
digits. Vague spans ("de komende jaren") are returned with their text and no dates.

Conventions (documented in docs/enrich.md): seasons are meteorological (voorjaar = March–May);
begin/medio/eind of a year are Q1 / June–July / Q4, of a month days 1–10 / 11–20 / 21–end;
"voor de zomer" and "voor het zomerreces" end the day before the summer recess, which starts on
the first Friday of July.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable

from etl.enrich.records import DateSpan

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_FULL_MONTH = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
)
_ABBREVIATED_MONTHS = ("jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec")
_MONTH = rf"(?:{_FULL_MONTH}|(?:{'|'.join(_ABBREVIATED_MONTHS)})\.)"
_YEAR = r"(?:19|20)[0-9]{2}(?![0-9])"
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_BLANK_SUPERSCRIPTS = str.maketrans({ch: " " for ch in _SUPERSCRIPTS})
_ORD = {
    "eerste": 1, "1e": 1, "1ste": 1, "tweede": 2, "2e": 2, "2de": 2, "derde": 3, "3e": 3,
    "3de": 3, "vierde": 4, "4e": 4, "4de": 4, "laatste": 4,
}
_SEASONS = {"voorjaar": (3, 5), "lente": (3, 5), "zomer": (6, 8), "najaar": (9, 11),
            "herfst": (9, 11), "winter": (12, 14)}

VAGUE = (
    r"de\s+komende\s+(?:jaren|maanden|weken|periode|tijd)",
    r"de\s+afgelopen\s+(?:jaren|maanden|weken|periode)",
    r"(?:op|voor\s+de)\s+(?:korte|middellange|lange)(?:re)?\s+termijn",
    r"op\s+termijn",
    r"binnenkort",
    r"zo\s+(?:spoedig|snel)\s+mogelijk",
    r"te\s+zijner\s+tijd",
    r"in\s+de\s+(?:nabije\s+)?toekomst",
    r"(?:de\s+)?komende\s+tijd",
)


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def summer_recess_start(year: int) -> date:
    """First Friday of July: when the Tweede Kamer's summer recess begins (approximation)."""
    d = date(year, 7, 1)
    return d + timedelta(days=(4 - d.weekday()) % 7)


def _recess(kind: str, year: int) -> tuple[date, date]:
    """Approximate recess ranges; only the summer recess is used for deadlines in practice."""
    if kind == "zomer":
        s = summer_recess_start(year)
        return s, s + timedelta(days=59)
    if kind == "kerst":
        d = date(year, 12, 25)
        s = d - timedelta(days=(d.weekday() - 4) % 7 or 7)
        return s, s + timedelta(days=17)
    if kind in ("voorjaars", "krokus"):
        return date(year, 2, 14), date(year, 2, 24)
    if kind == "mei":
        return date(year, 4, 25), date(year, 5, 11)
    if kind == "herfst":
        return date(year, 10, 10), date(year, 10, 20)
    raise ValueError(kind)


@dataclass(frozen=True)
class _Ctx:
    letter: date | None


# --------------------------------------------------------------------------- helpers


def mask_footnote_markers(text: str, markers: Iterable[str] = ()) -> str:
    """Same-length copy of ``text`` with footnote markers blanked, so offsets stay valid.

    Superscript digits are always markers. A plain marker glued to a year ("juli 20251") is
    blanked only when it is one of the document's known ``markers``.
    """
    out = text.translate(_BLANK_SUPERSCRIPTS)
    known = sorted({m for m in markers if m and m.isdigit()}, key=len, reverse=True)
    if known:
        alt = "|".join(re.escape(m) for m in known)
        rx = re.compile(rf"(?<![0-9])((?:19|20)[0-9]{{2}})({alt})(?![0-9])")
        out = rx.sub(lambda m: m.group(1) + " " * len(m.group(2)), out)
    return out


def _year(value: str | None, ctx: _Ctx) -> tuple[int | None, bool]:
    if value:
        return int(value), False
    return (ctx.letter.year, True) if ctx.letter else (None, True)


def _month_no(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _part_of_month(part: str | None, y: int, m: int) -> tuple[date, date]:
    part = (part or "").lower()
    if part == "begin":
        return date(y, m, 1), date(y, m, 10)
    if part in ("medio", "half"):
        return date(y, m, 11), date(y, m, 20)
    if part in ("eind", "einde", "ultimo"):
        return date(y, m, 21), _last_day(y, m)
    return date(y, m, 1), _last_day(y, m)


def _part_of_year(part: str, y: int) -> tuple[date, date]:
    part = part.lower()
    if part == "begin":
        return date(y, 1, 1), date(y, 3, 31)
    if part in ("medio", "half", "midden"):
        return date(y, 6, 1), date(y, 7, 31)
    return date(y, 10, 1), date(y, 12, 31)


def _season(name: str, y: int) -> tuple[date, date]:
    a, b = _SEASONS[name.lower()]
    if b > 12:
        return date(y, 12, 1), _last_day(y + 1, b - 12)
    return date(y, a, 1), _last_day(y, b)


# --------------------------------------------------------------------------- grammar
# Each rule: (form, regex, builder). Builders return (start, end, year_inferred) or None.

_POINT = (
    r"(?:(?P<@part>begin|medio|half|eind|einde)\s+)?(?:(?P<@day>[0-9]{1,2})\s+)?"
    r"(?P<@month>" + _MONTH + r")(?:\s+(?P<@year>" + _YEAR + r"))?"
)


def _point(m: re.Match[str], p: str, year: int | None) -> tuple[date, date] | None:
    if year is None:
        return None
    mo = _month_no(m.group(p + "month"))
    day = m.group(p + "day")
    if day:
        try:
            d = date(year, mo, int(day))
        except ValueError:
            return None
        return d, d
    return _part_of_month(m.group(p + "part"), year, mo)


def _b_range(m: re.Match[str], ctx: _Ctx):
    gd = m.groupdict()
    y2, inf2 = _year(gd.get("byear"), ctx)
    y1 = int(gd["ayear"]) if gd.get("ayear") else y2
    a = _point_or_day(m, y1)
    b = _point(m, "b", y2)
    if a is None or b is None:
        return None
    if a[0] > b[1] and not gd.get("ayear") and y1 is not None:  # "van november tot februari 2026"
        a = _point_or_day(m, y1 - 1)
        if a is None:
            return None
    return a[0], b[1], inf2 and not gd.get("ayear")


def _point_or_day(m: re.Match[str], year: int | None):
    if year is None:
        return None
    if m.groupdict().get("amonth"):
        return _point(m, "a", year)
    try:  # "van 17 tot 31 juli": the month comes from the end point
        d = date(year, _month_no(m.group("bmonth")), int(m.group("aday")))
    except ValueError:
        return None
    return d, d


def _b_quarter(m: re.Match[str], ctx: _Ctx):
    q = _ORD.get((m.group("ord") or "").lower()) or int(m.group("qn"))
    y, inf = _year(m.group("year"), ctx)
    if y is None:
        return None
    return date(y, 3 * q - 2, 1), _last_day(y, 3 * q), inf


def _b_half(m: re.Match[str], ctx: _Ctx):
    h = _ORD[m.group("ord").lower()]
    y, inf = _year(m.group("year"), ctx)
    if y is None or h > 2:
        return None
    return (date(y, 1, 1), date(y, 6, 30), inf) if h == 1 else (date(y, 7, 1), date(y, 12, 31), inf)


def _b_recess(m: re.Match[str], ctx: _Ctx):
    y, inf = _year(m.group("year"), ctx)
    if y is None:
        return None
    s, e = _recess(m.group("kind").lower(), y)
    return s, e, inf


def _b_season(m: re.Match[str], ctx: _Ctx):
    rel = (m.group("rel") or "").lower()
    y, inf = _year(m.group("year"), ctx)
    if y is None:
        return None
    s, e = _season(m.group("season"), y)
    if rel in ("afgelopen", "vorige") and ctx.letter and s > ctx.letter:
        s, e = _season(m.group("season"), y - 1)
    if rel in ("komende", "aankomende", "volgende", "komend", "aankomend", "volgend") and ctx.letter and e < ctx.letter:
        s, e = _season(m.group("season"), y + 1)
    return s, e, inf


def _b_part_year(m: re.Match[str], ctx: _Ctx):
    s, e = _part_of_year(m.group("part"), int(m.group("year")))
    return s, e, False


def _b_day(m: re.Match[str], ctx: _Ctx):
    y, inf = _year(m.group("year"), ctx)
    if y is None:
        return None
    try:
        d = date(y, _month_no(m.group("month")), int(m.group("day")))
    except ValueError:
        return None
    return d, d, inf


def _b_month(m: re.Match[str], ctx: _Ctx):
    y, inf = _year(m.group("year"), ctx)
    if y is None:
        return None
    s, e = _part_of_month(m.group("part"), y, _month_no(m.group("month")))
    return s, e, inf


def _b_relyear(m: re.Match[str], ctx: _Ctx):
    if ctx.letter is None:
        return None
    shift = {"dit": 0, "dit kalender": 0, "volgend": 1, "komend": 1, "aankomend": 1, "vorig": -1,
             "afgelopen": -1}[re.sub(r"\s+", " ", m.group("rel").lower())]
    y = ctx.letter.year + shift
    return date(y, 1, 1), date(y, 12, 31), True


def _b_session(m: re.Match[str], ctx: _Ctx):
    a, b = int(m.group("a")), int(m.group("b"))
    if b < 100:
        b += a // 100 * 100
    if b != a + 1:
        return None
    return date(a, 9, 1), date(b, 8, 31), False


def _b_year(m: re.Match[str], ctx: _Ctx):
    y = int(m.group("year"))
    return date(y, 1, 1), date(y, 12, 31), False


_BEFORE = r"(?P<before>(?:vóór|voor|uiterlijk|niet\s+later\s+dan|ten\s+laatste)\s+)?"
_AFTER = r"(?P<after>na\s+)?"

_RULES: list[tuple[str, str, Callable]] = [
    (
        "range",
        r"(?:van(?:af)?|tussen)\s+" + _POINT.replace("@", "a")
        + r"\s+(?:tot\s+en\s+met|tot|t/m|en)\s+" + _POINT.replace("@", "b"),
        _b_range,
    ),
    (
        "range",
        r"(?:van(?:af)?|tussen)\s+(?P<aday>[0-9]{1,2})"
        r"\s*(?:tot\s+en\s+met|tot|t/m|en|-|–)\s*" + _POINT.replace("@", "b"),
        _b_range,
    ),
    (
        "recess",
        _BEFORE + _AFTER + r"(?:het\s+)?(?P<kind>zomer|kerst|voorjaars|krokus|mei|herfst)reces"
        r"(?:\s+(?:van\s+)?(?P<year>" + _YEAR + r"))?",
        _b_recess,
    ),
    (
        "quarter",
        _BEFORE + r"(?:(?:in\s+)?(?:het|de)\s+)?(?:(?P<ord>eerste|tweede|derde|vierde|laatste|[1-4]e|1ste|2de|3de|4de)"
        r"\s+kwartaal|(?:Q|K)(?P<qn>[1-4]))(?:\s+(?:van\s+)?(?P<year>" + _YEAR + r"))?",
        _b_quarter,
    ),
    (
        "half_year",
        r"(?:(?:in\s+)?de\s+)?(?P<ord>eerste|tweede)\s+(?:helft|jaarhelft)"
        r"(?:\s+(?:van\s+)?(?P<year>" + _YEAR + r"))?",
        _b_half,
    ),
    (
        "season",
        _BEFORE + _AFTER + r"(?:(?:in\s+)?(?:het|de|deze|dit)\s+)?(?:(?P<rel>afgelopen|vorige|komende|aankomende|volgende|komend|aankomend|volgend)\s+)?"
        r"(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)(?!\w)"
        r"(?:\s+(?:van\s+)?(?P<year>" + _YEAR + r"))?",
        _b_season,
    ),
    (
        "part_of_year",
        _BEFORE + r"(?P<part>begin|medio|half|midden|eind|einde|ultimo)\s+(?:van\s+(?:het\s+jaar\s+)?)?(?P<year>" + _YEAR + r")",
        _b_part_year,
    ),
    (
        "day",
        _BEFORE + r"(?P<day>[0-9]{1,2})\s+(?P<month>" + _MONTH + r")(?:\s+(?P<year>" + _YEAR + r"))?",
        _b_day,
    ),
    (
        "month",
        _BEFORE + r"(?:(?P<part>begin|medio|half|eind|einde|ultimo)\s+)?(?P<month>" + _FULL_MONTH + r")"
        r"(?:\s+(?P<year>" + _YEAR + r"))?",
        _b_month,
    ),
    (
        "relative_year",
        r"(?P<rel>dit(?:\s+kalender)?|volgend|komend|aankomend|vorig|afgelopen)\s+jaar(?!\w)",
        _b_relyear,
    ),
    ("session", r"(?P<a>(?:19|20)[0-9]{2})\s*[-–/]\s*(?P<b>(?:19|20)?[0-9]{2})(?![0-9])", _b_session),
    ("year", _BEFORE + r"(?P<year>" + _YEAR + r")", _b_year),
]

_COMPILED = [
    (form, re.compile(r"(?<![^\W_])" + rx + r"(?![^\W_])", re.IGNORECASE), fn) for form, rx, fn in _RULES
]
_VAGUE = [re.compile(r"(?<![^\W_])" + rx + r"(?![^\W_])", re.IGNORECASE) for rx in VAGUE]

# What a phrase of each form cannot do without, tested on the lower-cased text before its regex
# runs: most text units hold no month, season or recess, and a scan for a word is far cheaper
# than a scan with these regexes (each starts with a lookbehind, so it is tried at every place).
# every spelling _MONTH matches, lower-cased: a substring test per spelling is quicker than a search
_MONTH_WORDS = (*_FULL_MONTH.split("|"), *(f"{a}." for a in _ABBREVIATED_MONTHS))
_QUARTER_WORD = re.compile(r"kwartaal|[qk][1-4]")
_DIGIT = re.compile(r"[0-9]")


def _forms_possible(low: str) -> dict[str, bool]:
    """Per form, whether the lower-cased text holds what every phrase of that form needs."""
    month = any(w in low for w in _MONTH_WORDS)
    digit = _DIGIT.search(low) is not None
    return {
        "range": month, "day": month, "month": month,
        "recess": "reces" in low,
        "quarter": _QUARTER_WORD.search(low) is not None,
        "half_year": "helft" in low,
        "season": any(w in low for w in _SEASONS),
        "part_of_year": digit, "session": digit, "year": digit,
        "relative_year": "jaar" in low,
    }


_VAGUE_NEEDS = ("komende", "afgelopen", "termijn", "termijn", "binnenkort", "mogelijk", "zijner", "toekomst", "komende")


def _before_kind(form: str, m: re.Match[str]) -> str | None:
    """How a "voor/uiterlijk" prefix bounds the phrase: 'strict' (ends the day before it),
    'inclusive' (ends with it), or None when "voor" means "for" ("de begroting voor 2026")."""
    word = re.sub(r"\s+", " ", m.group("before").strip().lower())
    if word == "vóór":
        return "strict"
    if word != "voor":
        return "inclusive"
    if form in ("day", "recess", "season"):
        return "strict"
    if form == "part_of_year" and m.group("part").lower() in ("eind", "einde", "ultimo"):
        return "inclusive"
    return None


def _apply_before(start: date, end: date, form: str, m: re.Match[str], ctx: _Ctx,
                  inferred: bool, how: str) -> tuple[date, date]:
    """A deadline phrase: the range runs from the letter up to the moment named."""
    if how == "strict":
        if form == "season" and m.group("season").lower() == "zomer":
            # "voor de zomer" in Dutch politics: before the summer recess.
            end = summer_recess_start(start.year) - timedelta(days=1)
        else:
            end = start - timedelta(days=1)
    begin = ctx.letter if ctx.letter and ctx.letter <= end else date(end.year, 1, 1)
    return begin, end


def _next_year(d: date) -> date:
    return date(d.year + 1, d.month, min(d.day, 28) if d.month == 2 else d.day)


def find_dates(text: str, letter_date: date | None = None, *, markers: Iterable[str] = (),
               exclude: Iterable[tuple[int, int]] = (), roll_forward: bool = True) -> list[DateSpan]:
    """All date and period phrases in ``text``, in text order, non-overlapping.

    ``markers`` are the document's footnote numbers (so "juli 20251" reads as July 2025);
    ``exclude`` are spans never read as dates (e.g. Kamerstuk citations "2024-2025, 26643").
    ``roll_forward``: a yearless deadline already past on ``letter_date`` means next year's. Turn
    it off for text written before the letter date (questions: "vóór 6 februari" was future then).
    """
    ctx = _Ctx(letter_date)
    masked = mask_footnote_markers(text, markers)
    taken: list[tuple[int, int]] = [tuple(x) for x in exclude]  # type: ignore[misc]
    out: list[DateSpan] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    low = masked.lower()
    possible = _forms_possible(low)
    for form, rx, build in _COMPILED:
        if not possible[form]:
            continue
        for m in rx.finditer(masked):
            s, e = m.span()
            phrase = masked[s:e].rstrip()
            e = s + len(phrase)
            if not free(s, e):
                continue
            res = build(m, ctx)
            if res is None:
                continue
            start, end, inferred = res
            gd = m.groupdict()
            how = _before_kind(form, m) if gd.get("before") else None
            before = how is not None
            if how is not None:
                first = (start, end)
                start, end = _apply_before(start, end, form, m, ctx, inferred, how)
                if roll_forward and inferred and ctx.letter and end < ctx.letter:
                    # a deadline without a year that already passed means next year's
                    nxt = build(m, _Ctx(_next_year(ctx.letter)))
                    if nxt is not None:
                        start, end = _apply_before(nxt[0], nxt[1], form, m, ctx, inferred, how)
                    else:
                        start, end = first
            elif gd.get("before"):  # "voor" as "for": the phrase is the period itself
                s = m.start("before") + len(m.group("before"))
            elif gd.get("after"):
                start, end = end + timedelta(days=1), date(end.year, 12, 31)
                if start > end:
                    end = date(start.year, 12, 31)
            taken.append((s, e))
            out.append(DateSpan(text[s:e], s, e, start, end, form, inferred, before))
    for rx, word in zip(_VAGUE, _VAGUE_NEEDS, strict=True):
        if word not in low:
            continue
        for m in rx.finditer(masked):
            s, e = m.span()
            if free(s, e):
                taken.append((s, e))
                out.append(DateSpan(text[s:e], s, e, None, None, "vague"))
    return sorted(out, key=lambda d: d.start)


__all__ = ["find_dates", "mask_footnote_markers", "summer_recess_start"]
