"""Sentence spans (commitments, events and their evidence are judged one sentence at a time),
and what it takes to rule a regex out by a word test on lower-cased text."""

from __future__ import annotations

import re

# A sentence ends at . ? ! (plus any superscript footnote marker) followed by space and a
# capital/quote/bracket, or at a blank line. "nr. 1377" and "o.a. de" do not end a sentence.
_BOUNDARY = re.compile(r"([.?!][⁰¹²³⁴⁵⁶⁷⁸⁹]*)\s+(?=[A-Z“\"'(‘À-Ý])|()\n\s*\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text`` (whitespace trimmed, offsets into ``text``)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end(1) if m.group(1) is not None else m.start()
        spans.append((pos, end))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


#: Characters that an ASCII letter of a regex matches under re.IGNORECASE but that lower() does
#: not turn into that letter ("ſ" is an "s" to the regex). A text holding one cannot be ruled
#: out by a test for a lower-case word: the regex must run.
UNLOWERED = ("İ", "ı", "ſ")


def word_tests_hold(text: str) -> bool:
    """Whether a lower-case word missing from ``text.lower()`` proves an IGNORECASE regex that
    needs the word finds nothing in ``text``."""
    return not any(c in text for c in UNLOWERED)


def required_word(pattern: str) -> str | None:
    """The longest run of ASCII letters (lower case, three or more) that every match of
    ``pattern`` contains, or None when none can be told from the pattern's text.

    Conservative: only letters outside groups and character classes count, a letter made
    optional by a quantifier is dropped, and a pattern with an alternation at its top level
    has none.
    """
    try:
        if re.compile(pattern).flags & re.VERBOSE:  # (?x): spaces and comments are not text
            return None
    except re.error:
        return None
    runs: list[str] = []
    run = ""
    depth = 0
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            runs.append(run)
            run = ""
            nxt = pattern[i + 1] if i + 1 < n else ""
            if nxt == "N" and i + 2 < n and pattern[i + 2] == "{":  # \N{NAME}
                end = pattern.find("}", i)
                i = n if end < 0 else end + 1
            else:
                i += 2 + {"x": 2, "u": 4, "U": 8}.get(nxt, 0)  # \xhh, \uhhhh, \Uhhhhhhhh
            continue
        if c == "[":  # a class: skip to its closing bracket
            runs.append(run)
            run = ""
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return None
        if depth == 0 and c.isascii() and c.isalpha():
            run += c
        else:
            if c in "?*{" and run:
                run = run[:-1]  # the quantifier makes the last letter optional
            runs.append(run)
            run = ""
        i += 1
    runs.append(run)
    best = max(runs, key=len).lower()
    return best if len(best) >= 3 else None
