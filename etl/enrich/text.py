"""Sentence spans: commitments, events and their evidence are judged one sentence at a time."""

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
