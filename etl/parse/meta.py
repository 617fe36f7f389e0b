"""Letter metadata read from the intro: askers, addressees, who answered, dates, numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from etl.parse.clean import fix_diacritics

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
# Spaces may be missing where a line join glued words: "27 augustus2024", "13augustus 2024".
_DATE = r"(?<!\d)(\d{1,2})\s*(" + "|".join(MONTHS) + r")\s*(\d{4})(?!\d)"
_DATE_RX = re.compile(_DATE, re.IGNORECASE)


@dataclass(frozen=True)
class Meta:
    title: str | None = None
    askers: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    answered_by: tuple[str, ...] = ()
    date_submitted: date | None = None
    date_answered: date | None = None
    question_set_numbers: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # a printed date that cannot be read (never silently null)


def parse_date(s: str) -> date | None:
    """'6 mei 2024' → date(2024, 5, 6); None when absent or impossible."""
    m = _DATE_RX.search(s)
    if not m:
        return None
    try:
        return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None


def _flat(s: str) -> str:
    return fix_diacritics(re.sub(r"\s+", " ", s).strip())


_TITLE = re.compile(r"\b(Vragen\s+van\s+(?:het\s+lid|de\s+leden)\b.*?)(?=\s*\(ingezonden\b|\s*Antwoord\s+van\b|$)", re.S)
_ASKERS = re.compile(r"Vragen\s+van\s+(?:het\s+lid|de\s+leden)\s+(.*?)\s+aan\s+(?:de|het|mevrouw|de heer)\s", re.S)
_ADDRESSEES = re.compile(r"\baan\s+(?:de|het)\s+(.*?)\s+over\s", re.S)
_ANSWERED = re.compile(
    r"\b(?:[Aa]ntwoord|Mededeling)\s+van\s+(?:de\s+)?(.*?)\s*\((?:ontvangen|ingezonden)(?![a-z])", re.S
)
_NOTICE_ASKERS = re.compile(r"\b[Vv]ragen\s+van\s+(?:het\s+lid|de\s+leden)\s+(.*?)\s+over\s", re.S)
_ROLE = re.compile(r"^(Minister|Staatssecretaris|Minister-President)\b.*?\(([^)]+)\)")
# "(ontvangen13 augustus 2024)" and a doubled "(ontvangen (ontvangen 27 augustus2024)" occur.
_SUBMITTED = re.compile(r"\(\s*ingezonden\s*(?:\(\s*ingezonden\s*)?" + _DATE, re.I)
_RECEIVED = re.compile(r"\(\s*ontvangen\s*(?:\(\s*ontvangen\s*)?" + _DATE, re.I)
_SUBMITTED_ANY = re.compile(r"\(\s*ingezonden\b[^)]{0,40}", re.I)
_RECEIVED_ANY = re.compile(r"\(\s*ontvangen\b[^)]{0,40}", re.I)
_LETTER_DATE = re.compile(r"(?:^|\n|\s)(?:Datum|Den Haag,|’s-Gravenhage,|'s-Gravenhage,)\s*" + _DATE, re.I)
_SET_NUMBER = re.compile(r"\b(\d{4}Z\d{5})\b")
_VRAAGNUMMER = re.compile(r"\b[Vv]raagnummer[:\s]+(\d{4}Z\d{5}|\d+)")
_SEE_ALSO = re.compile(r"Zie\s+ook\s+(Aanhangsel\s+(?:van\s+de\s+)?Handelingen.*?nr\.\s*\d+)", re.S)
_SIGNATURE = re.compile(
    r"\n\s*(De\s+(?:Minister|Staatssecretaris|minister|staatssecretaris)\b[^\n,]*),?\s*\n(?:\s*\n)*\s*([^\n]{3,80})"
)


def _people(s: str) -> list[str]:
    """'Smits en De Wit (beiden D66)' → ['Smits (D66)', 'De Wit (D66)']."""
    s = _flat(s)
    out: list[str] = []
    # Split on ' en ' / ', ' outside parentheses.
    parts: list[str] = []
    depth = 0
    cur = ""
    i = 0
    while i < len(s):
        ch = s[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and s.startswith(" en ", i):
            parts.append(cur)
            cur = ""
            i += 4
            continue
        if depth == 0 and ch == ",":
            parts.append(cur)
            cur = ""
            i += 1
            continue
        cur += ch
        i += 1
    parts.append(cur)
    parts = [p.strip() for p in parts if p.strip()]
    # "(beiden X)" / "(allen X)" gives party X to its own name and the names before it that
    # have none: "A, B (beiden CDA) en C (NSC)" → A (CDA), B (CDA), C (NSC).
    pending: list[int] = []
    for p in parts:
        m = re.search(r"\((?:beiden|allen|alle\s+\w+)\s+([^)]*)\)\s*$", p)
        if m:
            shared = m.group(1).strip()
            p = p[: m.start()].strip()
            for k in pending:
                out[k] = f"{out[k]} ({shared})"
            pending = []
            p = f"{p} ({shared})"
        p = re.sub(r"\s*\(\s*", " (", p).strip()
        if "(" not in p:
            pending.append(len(out))
        out.append(p)
    return out


_PLURAL = re.compile(r"^(?P<role>[Mm]inisters|[Ss]taatssecretarissen)\s+(?P<rest>(?:van|voor)\s.*)$")
_SINGULAR = {"ministers": "Minister", "staatssecretarissen": "Staatssecretaris"}


def _addressees(s: str) -> list[str]:
    """'minister van X en de staatssecretaris Y' → two; 'de Ministers van X en van Y' → two
    ('Minister van X', 'Minister van Y'): one addressee per office."""
    s = _flat(s)
    parts = re.split(r"\s+en\s+(?:de|het)\s+(?=[Mm]inister|[Ss]taatssecretaris|[Mm]inister-[Pp]resident)", s)
    out: list[str] = []
    for p in (p.strip() for p in parts if p.strip()):
        m = _PLURAL.match(p)
        if not m:
            out.append(p)
            continue
        role = _SINGULAR[m.group("role").lower()]
        role = role if m.group("role")[0].isupper() else role.lower()
        offices = re.split(r"\s*,\s*(?=(?:van|voor)\s)|\s+en\s+(?=(?:van|voor)\s)", m.group("rest"))
        out.extend(f"{role} {o.strip()}" for o in offices if o.strip())
    return out


def extract_meta(intro: str, extra: str = "") -> Meta:
    """Metadata from the intro text (and page furniture such as a sidebar 'Datum …')."""
    flat = _flat(intro)
    title = None
    askers: list[str] = []
    addressees: list[str] = []
    m = _TITLE.search(flat)
    if m:
        title = m.group(1).strip()
        sub = re.match(r"\s*\(ingezonden[^)]*\)\.?", flat[m.end() :])
        if sub and re.search(r"\(ingezonden\s+" + _DATE + r"\s*\)", sub.group(0), re.I):
            title = (title + " " + sub.group(0).strip()).strip()
        am = _ASKERS.search(m.group(1) + " ")
        if am:
            askers = _people(am.group(1))
        dm = _ADDRESSEES.search(m.group(1) + " ")
        if dm:
            addressees = _addressees(dm.group(1))
    if not askers and re.search(r"\bMededeling\b", flat):
        # A delay notice names the question sets instead of a heading: "De vragen van de
        # leden A (X) en B (Y) over … en de vragen van het lid C (Z) over …".
        for q in _NOTICE_ASKERS.finditer(flat):
            askers.extend(p for p in _people(q.group(1)) if p not in askers)
    answered: list[str] = []
    am2 = _ANSWERED.search(flat)
    if am2:
        answered = [_flat(am2.group(1)).rstrip(",")]
    else:
        sm = _SIGNATURE.search("\n" + intro)
        if sm:
            answered = [f"{_flat(sm.group(2))}, {_flat(sm.group(1))[3:].strip()}"]
    if not addressees and answered and re.search(r"\bMededeling\b", flat):
        rm0 = _ROLE.match(answered[0])
        if rm0:  # a notice is sent by the addressee: "Minister X (Dept)" -> "Minister van Dept"
            addressees = [f"{rm0.group(1)} van {rm0.group(2)}"]
    submitted = None
    sm2 = _SUBMITTED.search(flat)
    if sm2:
        submitted = parse_date(sm2.group(0))
    answered_on = None
    rm = _RECEIVED.search(flat)
    if rm:
        answered_on = parse_date(rm.group(0))
    else:
        lm = _LETTER_DATE.search(intro + "\n" + extra)
        if lm:
            answered_on = parse_date(lm.group(0))
    warnings: list[str] = []
    for found, printed, what in ((submitted, _SUBMITTED_ANY, "submission"), (answered_on, _RECEIVED_ANY, "answer")):
        pm = printed.search(flat)
        if found is None and pm:
            warnings.append(f"{what} date cannot be read: '{pm.group(0).strip()}'")
    numbers = list(dict.fromkeys(_SET_NUMBER.findall(flat) + [v for v in _VRAAGNUMMER.findall(flat)]))
    see_also = [_flat(x) for x in _SEE_ALSO.findall(flat)]
    return Meta(
        title=title,
        askers=tuple(askers),
        addressees=tuple(addressees),
        answered_by=tuple(answered),
        date_submitted=submitted,
        date_answered=answered_on,
        question_set_numbers=tuple(numbers),
        see_also=tuple(see_also),
        warnings=tuple(warnings),
    )
