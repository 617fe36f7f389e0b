"""PDF input with pdfplumber: characters → lines → body, footnote and furniture pieces.

Zones are told apart by measured geometry, not by page templates (see stack-notes §7):
the body font size is the most common character size of the document; text left of the
body column (publication id, ISSN, place and year) or right of it in small type (a ministry
cover page's sidebar) is margin furniture; repeated or pattern-matched lines in the top and
bottom bands are running heads and footers; small-type lines below the last body line of a
page are footnotes; small raised digits are footnote markers and become Unicode superscripts
("juli 2025¹"), so a marker can never merge with a number. Each line carries its weight (bold
when its first character's font is a bold face by name), for letters that mark questions by
typography alone.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from etl.models import ParseFailure
from etl.parse.clean import fix_diacritics, superscript
from etl.parse.labels import match_label
from etl.parse.limits import DEFAULT_LIMITS, Limits, check_chars, check_pages
from etl.parse.lines import Piece, _furniture_prefix


@dataclass
class _Line:
    """One printed line segment (chars on one baseline, not split by a wide gap)."""

    chars: list[dict]
    bottom: float
    x0: float
    x1: float
    top: float
    size: float  # dominant size of the non-superscript chars
    sup: set[int] = field(default_factory=set)  # ids of chars that are superscript markers
    role: str = "body"
    row: int = 0  # baseline cluster index: orders lines without float ties between engines
    bold: bool = False  # the font of its first visible character is a bold face (class g)
    _text: str | None = None

    def marker_size(self) -> float | None:
        """The largest size of the visible characters if they could be a footnote marker
        (digits, maybe with ',', '*' or ')'), else None."""
        vis = [c for c in self.chars if c["text"].strip()]
        if vis and all(c["text"] in "0123456789,*)" for c in vis) and any(c["text"].isdigit() for c in vis):
            return max(c["size"] for c in vis)
        return None

    def text(self) -> str:
        if self._text is None:
            self._text = self._render()
        return self._text

    def _render(self) -> str:
        out: list[str] = []
        prev = None
        sup = self.sup
        chars = self.chars if not sup else sorted(self.chars, key=lambda c: c["x0"])
        for c in chars:
            t = c["text"]
            if t.startswith("(cid:"):
                # A glyph pdfminer cannot map to Unicode. At a line start it is a list
                # bullet (pdfium decodes it as '•'); elsewhere mark it as unknown.
                t = "•" if not out else "\ufffd"
            if t == " " and (not out or out[-1] == " "):
                continue  # one space, however many the PDF holds
            if prev is not None and t != " " and out[-1] != " ":
                gap = c["x0"] - prev["x1"]
                if gap > 1.0 and gap > 0.2 * min(c["size"], prev["size"]) and not (
                    sup and id(c) in sup and id(prev) not in sup
                ):
                    out.append(" ")
            if sup and id(c) in sup and t.isdigit():
                t = superscript(t)
            out.append(t)
            prev = c
        return fix_diacritics("".join(out).strip())


def _segments(chars: list[dict], tol: float) -> list[_Line]:
    """Group chars into lines by baseline; split a line where a wide gap separates columns."""
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["bottom"], c["x0"])):
        if rows and c["bottom"] - rows[-1][0]["bottom"] <= tol:
            rows[-1].append(c)
        else:
            rows.append([c])
    lines: list[_Line] = []
    for k, row in enumerate(rows):
        row.sort(key=lambda c: c["x0"])
        seg: list[dict] = []
        for c in row:
            if seg and c["x0"] - seg[-1]["x1"] > 3.0 * max(c["size"], 4.0) and c["text"] != " ":
                lines.append(_make(seg, k))
                seg = []
            seg.append(c)
        if seg:
            lines.append(_make(seg, k))
    return [ln for ln in lines if any(c["text"].strip() for c in ln.chars)]


# Font names of bold faces: 'Univers-Black', 'BitstreamVeraSans-Bold', 'Arial,Bold',
# 'Calibri-SemiBold', 'RijksoverheidSansText-Heavy', 'Helvetica-Demi'. Both engines read the
# weight from the font's name, so they agree (pdfium's weight field is 500 for plain Univers).
_BOLD_FONT = re.compile(r"bold|black|heavy|demi(?!light)", re.I)


def is_bold_font(name: str) -> bool:
    """Is a font with this (PostScript) name a bold face? A subset prefix 'ABCDEF+' is fine."""
    return _BOLD_FONT.search(name) is not None


def _make(chars: list[dict], row: int = 0) -> _Line:
    vis = [c for c in chars if c["text"].strip()] or chars
    sizes = Counter(round(c["size"], 1) for c in vis)
    return _Line(
        chars=list(chars),
        bottom=max(c["bottom"] for c in vis),
        x0=min(c["x0"] for c in vis),
        x1=max(c["x1"] for c in vis),
        top=min(c["top"] for c in vis),
        size=sizes.most_common(1)[0][0],
        row=row,
        bold=is_bold_font(vis[0].get("fontname") or ""),
    )


def _merge_superscripts(lines: list[_Line], body: float) -> list[_Line]:
    """Attach small raised digit runs to the line they sit on, as superscript markers."""
    keep: list[_Line] = []
    for ln in lines:
        if ln.size >= 0.8 * body + 0.06:  # its (rounded) dominant size is too big for a marker
            keep.append(ln)
            continue
        smax = ln.marker_size()
        target = None
        if smax is not None and smax < 0.8 * body:
            for other in lines:
                if other is ln or other.size < smax * 1.15:
                    continue
                drop = other.bottom - ln.bottom
                if 0.3 < drop <= 0.75 * other.size and ln.x0 <= other.x1 + 3 and ln.x1 >= other.x0 - 10:
                    target = other
                    break
        if target is None:
            keep.append(ln)
        else:
            target.chars.extend(ln.chars)
            target.sup.update(id(c) for c in ln.chars)
            target._text = None
            target.x0 = min(target.x0, ln.x0)
            target.x1 = max(target.x1, ln.x1)
    return keep


def _norm(s: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", s)).strip()


@dataclass(frozen=True)
class Extracted:
    text: str
    pieces: list[Piece]
    pages: int
    warnings: tuple[str, ...] = ()


def _open(data: bytes, name: str):  # type: ignore[no-untyped-def]
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many types; classify by what they say
        msg = f"{type(e).__name__}: {e!r} {e.args!r} {e.__cause__!r}"
        if re.search(r"password|encrypt", msg, re.I):
            raise ParseFailure("encrypted", "PDF is encrypted (password required)", name) from e
        raise ParseFailure("unreadable", f"PDF cannot be opened: {type(e).__name__}: {e}", name) from e


def read_pdf(data: bytes, name: str, engine: str = "pdfplumber", limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extracted text and role pieces of a PDF letter.

    ``engine="pypdfium2"`` reads with pdfium's text APIs (``etl.parse.pdf_runs``): the same
    lines, several times faster.
    """
    if engine == "pypdfium2":
        from etl.parse.pdf_runs import read_pdf_runs

        return read_pdf_runs(data, name, limits)
    pdf = _open(data, name)
    pages_lines: list[list[_Line]] = []
    heights: list[float] = []
    widths: list[float] = []
    count = 0
    try:
        check_pages(len(pdf.pages), name, limits)
        for page in pdf.pages:
            try:
                chars = [c for c in page.chars if c.get("upright", True)]
            except Exception as e:
                msg = f"{type(e).__name__}: {e!r} {e.args!r}"
                code = "encrypted" if re.search(r"password|encrypt", msg, re.I) else "unreadable"
                raise ParseFailure(code, f"PDF page {page.page_number} cannot be read: {msg}", name) from e
            count += len(chars)
            check_chars(count, name, limits, "PDF")
            pages_lines.append(chars)  # type: ignore[arg-type]
            heights.append(float(page.height))
            widths.append(float(page.width))
            page.close()
    finally:
        pdf.close()
    return _layout(pages_lines, heights, widths, name)  # type: ignore[arg-type]


def _layout(pages_chars: list[list[dict]], heights: list[float], widths: list[float], name: str) -> Extracted:
    """Characters of every page → lines with roles → extracted text and pieces."""
    sizes: Counter[float] = Counter()
    for chars in pages_chars:
        for c in chars:
            if c["text"].strip():
                sizes[round(c["size"], 1)] += 1
    if not sizes:
        raise ParseFailure("no_text_layer", "PDF has no text layer (scanned image?)", name)
    body = sizes.most_common(1)[0][0]
    pages_lines = pages_chars
    lines_by_page = [_segments(chars, 0.2 * body) for chars in pages_lines]  # type: ignore[arg-type]
    return layout_lines(lines_by_page, body, heights, widths)


def layout_lines(lines_by_page: list[list[_Line]], body: float, heights: list[float], widths: list[float]) -> Extracted:
    """Lines of every page (any engine) → superscripts merged, roles, extracted text and pieces."""
    lines_by_page = [_merge_superscripts(lines, body) for lines in lines_by_page]
    _classify(lines_by_page, body, heights, widths)
    for lines, w in zip(lines_by_page, widths):
        _order_columns(lines, w, body)
    return _emit(lines_by_page, body)


def _order_columns(lines: list[_Line], width: float, size: float) -> None:
    """A page set in two columns is read column by column: lines above the columns (a heading
    across the page) first, then the left column, then the right one, then what spans below.
    Only when both columns hold at least three body-size lines of running text (a table's short
    cells, often in smaller type, keep their row order) and the right one starts at one x."""
    mid = width / 2
    body = [ln for ln in lines if ln.role == "body" and _is_body(ln, size)]
    left = [ln for ln in body if ln.x1 < mid]
    right = [ln for ln in body if ln.x0 > mid - 5]
    if len(left) < 3 or len(right) < 3:
        return
    if min(sum(len(ln.text()) for ln in col) / len(col) for col in (left, right)) < 15:
        return
    starts = Counter(round(ln.x0) for ln in right)
    if starts.most_common(1)[0][1] < 0.6 * len(right):
        return
    top = min(ln.row for ln in right)
    bottom = max(ln.row for ln in right)
    if sum(1 for ln in left if top <= ln.row <= bottom) < 3:
        return
    in_cols = {id(ln) for ln in left + right if top <= ln.row <= bottom}
    span = [ln for ln in body if id(ln) not in in_cols and top <= ln.row <= bottom]
    if span:
        return  # text across both columns between them: not a two-column body
    head = [ln for ln in lines if ln.row < top]
    cols = [ln for ln in left if id(ln) in in_cols] + [ln for ln in right if id(ln) in in_cols]
    rest = [ln for ln in lines if ln.row >= top and id(ln) not in in_cols]
    lines[:] = head + cols + rest


def _is_body(ln: _Line, body: float) -> bool:
    return abs(ln.size - body) <= 0.06 * body + 0.05


def _classify(pages: list[list[_Line]], body: float, heights: list[float], widths: list[float]) -> None:
    """Give each line its role: body, footnote or furniture."""
    x0s = Counter(round(ln.x0) for lines in pages for ln in lines if _is_body(ln, body))
    left = x0s.most_common(1)[0][0] if x0s else 0
    # Lines that repeat in the top or bottom band of several pages are running heads/footers.
    bands: Counter[str] = Counter()
    for lines, h in zip(pages, heights):
        seen = {_norm(ln.text()) for ln in lines if ln.top < 0.1 * h or ln.top > 0.88 * h}
        bands.update(seen)
    repeated = {k for k, v in bands.items() if v >= 2 and len(pages) >= 2 and not match_label(k.replace("#", "1"))}
    markers = _body_markers(pages, body)
    for pno, (lines, h, w) in enumerate(zip(pages, heights, widths)):
        lines.sort(key=lambda ln: (ln.row, ln.x0))
        body_lines = [ln for ln in lines if _is_body(ln, body)]
        last_body = max((ln.bottom for ln in body_lines), default=0.0)
        first_body = min((ln.top for ln in body_lines), default=h)
        body_x1 = max((ln.x1 for ln in body_lines), default=w)
        for ln in lines:
            t = ln.text()
            band = ln.top < 0.1 * h or ln.top > 0.88 * h
            masthead = pno == 0 and ln.bottom <= first_body
            edge = ln is lines[0] or ln is lines[-1]
            if left > 0.15 * w and ln.x1 < left - 5 and not masthead and ln.top > 0.5 * h:
                ln.role = "furniture"  # left margin: publication id, ISSN, place and year
            elif band and not masthead and _norm(t) in repeated:
                ln.role = "furniture"
            elif _furniture_prefix(t) >= len(t):
                ln.role = "furniture"
            elif band and edge and t.isdigit() and len(t) <= 3 and not masthead:
                ln.role = "furniture"  # page number
            elif ln.size < 0.9 * body and ln.x0 > max(body_x1, 0.55 * w) - 5:
                ln.role = "furniture"  # sidebar beside the body (address, kenmerk, datum)
            elif ln.top > last_body and not _is_body(ln, body) and ln.size < body and pno >= 0:
                ln.role = "footnote" if ln.top > first_body else "body"
            elif ln.top > 0.88 * h and not _is_body(ln, body) and not body_lines:
                ln.role = "furniture"
        _table_rows_stay_body(lines, last_body, body, markers)


_SUP_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_LEADING_NUMBER = re.compile(r"^(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(\d{1,3})(?=\s|$))")


def _body_markers(pages: list[list[_Line]], body: float) -> set[str]:
    """Footnote numbers printed as raised markers in body-size lines ('…2025¹' → '1')."""
    texts = "\n".join(ln.text() for lines in pages for ln in lines if _is_body(ln, body))
    return {m.translate(_PLAIN) for m in _SUP_RUN.findall(texts)}


_PLAIN = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _opens_note(ln: _Line, markers: set[str]) -> bool:
    m = _LEADING_NUMBER.match(ln.text())
    if not m:
        return False
    return bool(m.group(1)) or m.group(2) in markers


def _table_rows_stay_body(lines: list[_Line], last_body: float, body: float, markers: set[str]) -> None:
    """Small type right under the text that does not open with a footnote number is a table
    (or list) in smaller type inside the answer, not a footnote: a footnote opens with its
    number and sits lower, at the page bottom (issue 11 a)."""
    zone = [ln for ln in lines if ln.role == "footnote"]
    lead: list[_Line] = []
    for ln in zone:
        if _opens_note(ln, markers):
            break
        lead.append(ln)
    if lead and lead[0].top - last_body < 1.5 * body:
        for ln in lead:
            ln.role = "body"


def _emit(pages: list[list[_Line]], body: float) -> Extracted:
    parts: list[str] = []
    pieces: list[Piece] = []
    pos = 0
    for pno, lines in enumerate(pages, start=1):
        order = [ln for ln in lines if ln.role != "footnote"] + [ln for ln in lines if ln.role == "footnote"]
        prev: _Line | None = None
        for ln in order:
            t = ln.text()
            if not t:
                continue
            if (
                prev is not None
                and ln.role == "body"
                and prev.role == "body"
                and ln.top - prev.bottom > 0.9 * body
            ):
                parts.append("\n")
                pieces.append(Piece(pos, pos + 1, pno, "body"))
                pos += 1
            s = t + "\n"
            parts.append(s)
            pieces.append(Piece(pos, pos + len(s), pno, ln.role, ln.bold))  # type: ignore[arg-type]
            pos += len(s)
            if ln.role == "body":
                prev = ln
        if pno < len(pages):
            parts.append("\f")
            pieces.append(Piece(pos, pos + 1, pno, "furniture"))
            pos += 1
    return Extracted("".join(parts), pieces, len(pages))
