"""Turning printed lines back into running text: whitespace, line-end hyphens, superscripts."""

from __future__ import annotations

import re

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

_WS = re.compile(r"\s+")
# Words after a line-end hyphen that mean the hyphen is a real one ("aanloop- en uitloop").
_CONJUNCTIONS = {"en", "of", "tot", "noch", "als"}
_WORD = re.compile(r"\w+", re.UNICODE)


def superscript(digits: str) -> str:
    return digits.translate(SUPERSCRIPT_DIGITS)


# A URL still being printed at the end of a line: "(https://www.x.nl/a/in-ruim-400-woonwijken-".
_URL_TAIL = re.compile(r"(?:https?://|www\.)\S*$")
_URL_BREAKS = ("/", "-", "_", "=", "&", "?", "#", "~", ":", ".")


def _url_continues(prev: str, nxt: str) -> bool:
    """Does a URL wrapped at this line end go on in the next line? Then the lines join with
    nothing between them and a line-end hyphen stays (it belongs to the URL)."""
    # The URL, if any, is in the last word (a URL has no whitespace): search only there.
    m = _URL_TAIL.search(prev.rsplit(None, 1)[-1]) if prev and not prev[-1].isspace() else None
    if not m or m.group(0)[-1] in ").,;»”'\"" and not m.group(0).endswith("://"):
        return False
    first = nxt.split(" ", 1)[0]
    if not first or first[0] in "(«“\"'":
        return False
    if m.group(0).endswith(_URL_BREAKS):
        return True
    return any(c in first for c in "/-_#~=?&") and not first[0].isupper()


_TAIL = 1000  # how much of the text so far decides a join: the last word, never more


def _glue(prev: str, nxt: str, vocab: frozenset[str]) -> tuple[int, str]:
    """(characters to drop from the end of ``prev``, separator) for gluing ``nxt`` to it;
    ``prev`` need only be the end of the text so far (its last word decides)."""
    if _url_continues(prev, nxt):
        return 0, ""  # "…/overijssel/|sinterklaasintocht-…", "https://|www.…"
    if prev.endswith("-") and len(prev) >= 2 and prev[-2].isalpha() and nxt[:1].isalpha():
        head = _WORD.findall(prev[:-1].rsplit(None, 1)[-1])  # its last word ends the text so far
        tail = _WORD.search(nxt)
        first = tail.group(0) if tail else ""
        if first.lower() in _CONJUNCTIONS:
            return 0, " "  # "aanloop- en"
        if prev[-2].isupper() or prev[-2].isdigit() or not nxt[0].islower():
            return 0, ""  # "ICT-problematiek", "Noord-Holland"
        whole = (head[-1] if head else "") + first
        hyphened = (head[-1] if head else "") + "-" + first
        if hyphened.lower() in vocab and whole.lower() not in vocab:
            return 0, ""
        return 1, ""  # "vertrouwelijk-|heid"
    if nxt[:1] in ".,;:!?)]»”’" or nxt[:1] in SUPERSCRIPTS:
        return 0, ""
    return 0, " "


def join_lines(lines: list[str], vocab: frozenset[str] = frozenset()) -> str:
    """Printed lines → text: one space between lines, '\\n\\n' for a blank line, hyphens rejoined."""
    paragraphs: list[str] = []
    parts: list[str] = []  # the current paragraph, joined once at its end (linear in size)
    tail = ""  # the end of the current paragraph, enough to decide the next join
    for raw in lines:
        line = _WS.sub(" ", raw).strip()
        if not line:
            if parts:
                paragraphs.append("".join(parts))
                parts, tail = [], ""
            continue
        if parts:
            drop, sep = _glue(tail, line, vocab)
            if drop:
                parts[-1] = parts[-1][:-drop]
            parts += [sep, line]
            tail = (tail[: len(tail) - drop] + sep + line)[-_TAIL:]
        else:
            parts, tail = [line], line[-_TAIL:]
    if parts:
        paragraphs.append("".join(parts))
    return "\n\n".join(paragraphs)


def vocabulary(text: str) -> frozenset[str]:
    """Lower-cased words and hyphenated compounds seen inside lines (never across a line end)."""
    # A word never takes in a line end: the hyphen it may end with is never followed by a word
    # character, so one search over the whole text finds the words of every line.
    return frozenset(map(str.lower, _VOCAB_WORD.findall(text)))


_VOCAB_WORD = re.compile(r"\w+(?:-\w+)*")


_SPACING_ACCENTS = {
    "¸": ("\u0327", "cCsStTgG"),
    "˛": ("\u0328", "aAeEiIuU"),
    "¨": ("\u0308", "aAeEiIoOuUyY"),
    "´": ("\u0301", "aAeEiIoOuUyYnNcCsSzZ"),
    "˜": ("\u0303", "aAoOnN"),
    "ˆ": ("\u0302", "aAeEiIoOuU"),
    "ˇ": ("\u030c", "cCsSzZrReEnN"),
}
_DETACHED = re.compile("([A-Za-z])([" + "".join(_SPACING_ACCENTS) + "])")
_ACCENT = re.compile("[" + "".join(_SPACING_ACCENTS) + "]")


def fix_diacritics(s: str) -> str:
    """'Yes¸ilgöz' → 'Yeşilgöz': a spacing accent that PDF text puts after its letter."""
    import unicodedata

    def sub(m: re.Match[str]) -> str:
        combining, bases = _SPACING_ACCENTS[m.group(2)]
        if m.group(1) not in bases:
            return m.group(0)
        joined = unicodedata.normalize("NFC", m.group(1) + combining)
        return joined if len(joined) == 1 else m.group(0)

    return _DETACHED.sub(sub, s) if _ACCENT.search(s) else s
