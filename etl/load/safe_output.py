"""Query results made safe for the people who look at them: terminals and spreadsheets.

Warehouse text comes from letters and an API we do not control. On a terminal, control bytes
(ESC sequences) can rewrite the screen and a right-to-left override (U+202E) can make a cell read
backwards; in a spreadsheet, a cell starting with ``=``, ``+``, ``-`` or ``@`` runs as a formula.
So terminal text shows such characters escaped (``\\u202e``), and CSV cells lose control
characters and get a leading apostrophe before a formula character (the OWASP rule).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# Characters that reorder text on screen: embeddings, overrides, isolates, marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_SEPARATORS = frozenset("\u2028\u2029")
# OWASP CSV injection: cells starting with these are read as formulas by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CSV_STRIP = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters but tab and newline


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe_on_screen(ch: str) -> bool:
    return ch in BIDI_CONTROLS or ch in _LINE_SEPARATORS or unicodedata.category(ch) == "Cc"


def terminal_text(text: str) -> str:
    """``text`` with control, bidi-override and line-separator characters shown as escapes.

    Tab and newline are escaped too (``\\t``, ``\\n``): a table cell is one line.
    """
    if text.isprintable() and not any(ch in BIDI_CONTROLS for ch in text):
        return text
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _unsafe_on_screen(ch):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def escape_bidi(text: str) -> str:
    """Only the bidi controls escaped: for CSV and JSON on a terminal, where newlines are data."""
    if not any(ch in BIDI_CONTROLS for ch in text):
        return text
    return "".join(_escape(ch) if ch in BIDI_CONTROLS else ch for ch in text)


def csv_cell(text: str) -> str:
    """A text cell safe to open in a spreadsheet.

    Control characters other than tab and newline are removed; then a cell that starts with
    ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, which
    spreadsheets show as text instead of evaluating.
    """
    text = _CSV_STRIP.sub("", text)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def display(value: Any) -> str:
    """One value as a person reads it in a table cell (NULL, lists in brackets, ISO dates)."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return terminal_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(display(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{display(k)}: {display(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return terminal_text(str(value))


def _right_aligned(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int = 140,
                 more_rows: int = 0, at_least: bool = False) -> str:
    """A box-drawn table of ``rows``; columns shrink (cells clipped with …) to fit ``max_width``.

    ``more_rows`` is how many further rows the query returned that are not shown (``at_least``:
    it stopped counting there).
    """
    heads = [terminal_text(c) for c in columns]
    cells = [[display(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(heads)]
    budget = max_width - (3 * len(widths) + 1)
    while sum(widths) > budget and max(widths, default=0) > 8:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    aligned = [any(_right_aligned(r[i]) for r in rows) for i in range(len(heads))]

    def line(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    def row_text(texts: list[str], align: list[bool], center: bool = False) -> str:
        parts = []
        for text, width, right in zip(texts, widths, align):
            text = _clip(text, width)
            parts.append(text.center(width) if center else text.rjust(width) if right else text.ljust(width))
        return "│ " + " │ ".join(parts) + " │"

    out = [line("┌", "┬", "┐"), row_text(heads, aligned, center=True), line("├", "┼", "┤")]
    out += [row_text(r, aligned) for r in cells]
    out.append(line("└", "┴", "┘"))
    shown = len(rows)
    if more_rows:
        total = f"at least {shown + more_rows}" if at_least else str(shown + more_rows)
        out.append(f"{total} rows ({shown} shown; --max-rows shows more)")
    else:
        out.append(f"{shown} row" + ("" if shown == 1 else "s"))
    return "\n".join(out)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_cell(escape_bidi(value))
    if isinstance(value, (list, tuple, dict)):
        return csv_cell(escape_bidi(display_plain(value)))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def display_plain(value: Any) -> str:
    """Like :func:`display` but without terminal escapes (for CSV cells of nested values)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(display_plain(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{display_plain(k)}: {display_plain(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "NULL"
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def csv_lines(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterable[str]:
    """CSV text (header first), each cell neutralised by :func:`csv_cell`, one chunk per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(escape_bidi(c)) for c in columns])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_csv_value(v) for v in row])
        yield buffer.getvalue()


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _unique(columns: Sequence[str]) -> list[str]:
    """Column names as JSON keys: a repeated name gets ``_2``, ``_3`` so no value is dropped."""
    seen: dict[str, int] = {}
    out = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        key = name if seen[name] == 1 else f"{name}_{seen[name]}"
        while key in seen and key != name:
            key += "_"
        out.append(key)
    return out


def _json_safe(text: str) -> str:
    """Bidi controls, DEL and C1 controls as JSON ``\\u`` escapes (valid only inside strings,
    which is the only place they can occur in ``json.dumps`` output)."""
    return "".join(f"\\u{ord(ch):04x}" if ch in BIDI_CONTROLS or 0x7F <= ord(ch) <= 0x9F else ch for ch in text)


def json_lines(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterable[str]:
    """A JSON array of objects (one per row, one per line); bidi controls as ``\\u`` escapes.

    JSON already escapes control characters; the bidi controls would otherwise be printed raw.
    """
    keys = _unique(columns)
    first = True
    for row in rows:
        obj = json.dumps(dict(zip(keys, row)), ensure_ascii=False, default=_json_default)
        yield ("[\n" if first else ",\n") + _json_safe(obj)
        first = False
    yield "[]\n" if first else "\n]\n"


__all__ = [
    "BIDI_CONTROLS",
    "FORMULA_STARTS",
    "csv_cell",
    "csv_lines",
    "display",
    "escape_bidi",
    "json_lines",
    "render_table",
    "terminal_text",
]
