"""The fast PDF engine: pdfium's text APIs read a page in a few batched calls, layout on runs.

pdfplumber (``etl.parse.pdf``) stays the reference engine; this one must give the same lines
on every PDF we hold (``tests/test_parse_engine_parity.py``). Where the reference makes one
Python object per character and then sorts, groups and renders them, this engine:

- reads the page text with one ``FPDFText_GetText`` call and each character's loose box and
  text object with ctypes calls driven by ``map`` (no Python loop body per character);
- asks for font size and matrix once per text object, not per character, and for the font of
  the first character of each text segment (after a line break or a gap), its name once per
  distinct font (a line's weight, ``_Line.bold``: bold questions, class g);
- groups rows by the distinct baselines of the page, orders each row with one sort, and
  renders a line from its characters' gaps, so the per-character work is a few list
  comprehensions.

Lines come out as ``pdf._Line`` objects with their text already rendered; the character
dicts a superscript merge needs are built only if the merge asks for them. Geometry follows
the reference: top-left origin in mediabox space, size = font size × text matrix scale,
bottom at the font's descent, top = bottom − size; spaces pdfium synthesizes are dropped and
its line-end hyphen (U+0002) is a plain hyphen.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter, ne, not_, sub

from etl.models import ParseFailure
from etl.parse.clean import fix_diacritics
from etl.parse.limits import DEFAULT_LIMITS, Limits, check_chars, check_pages
from etl.parse.pdf import Extracted, _Line, is_bold_font, layout_lines

_NO_GLYPH = re.compile("[\x00\r\n\ufffe\uffff]")  # NUL, line breaks, non-characters
_HYPHEN = re.compile("\ufffe")
_SPACE = re.compile(" ")
_SPACES = re.compile(" {2,}")
_BOX = ctypes.sizeof(ctypes.c_float) * 4


@lru_cache(maxsize=1)
def _functions():  # type: ignore[no-untyped-def]
    """pdfium entry points retyped to take and return plain integers (addresses, handles),
    so ``map`` can drive them without building a ctypes object per character."""
    import pypdfium2.raw as raw

    def retyped(fn, restype, *argtypes):  # type: ignore[no-untyped-def]
        proto = ctypes.PYFUNCTYPE(restype, *argtypes)  # keeps the GIL: no release per call
        return proto(ctypes.cast(fn, ctypes.c_void_p).value)

    vp, ci = ctypes.c_void_p, ctypes.c_int
    return (
        retyped(raw.FPDFText_GetLooseCharBox, ci, vp, ci, vp),
        retyped(raw.FPDFText_IsGenerated, ci, vp, ci),
        retyped(raw.FPDFText_GetMatrix, ci, vp, ci, vp),
        retyped(raw.FPDFText_GetFontSize, ctypes.c_double, vp, ci),
    )


@lru_cache(maxsize=1)
def _font_functions():  # type: ignore[no-untyped-def]
    """Text object of a character and font of a text object, as integer handles (see above)."""
    import pypdfium2.raw as raw

    vp = ctypes.c_void_p
    obj = ctypes.PYFUNCTYPE(vp, vp, ctypes.c_int)(ctypes.cast(raw.FPDFText_GetTextObject, vp).value)
    font = ctypes.PYFUNCTYPE(vp, vp)(ctypes.cast(raw.FPDFTextObj_GetFont, vp).value)
    return obj, font


_DROPPED = re.compile(b"\x00+")


def _segment_starts(keep_mask: bytearray) -> list[int]:
    """Kept positions where a segment of pdfium's text starts: the first character, and each one
    right after a dropped one (a line break or a gap pdfium filled with a space). pdfium marks
    where a line starts this way (on every PDF we hold, ``tests/test_parse_engine_parity.py``), so
    a line's weight is read there; a font that changes mid-line without a gap is not asked for."""
    starts = [0]
    dropped = 0
    for mt in _DROPPED.finditer(keep_mask):
        dropped += mt.end() - mt.start()
        k = mt.end() - dropped  # kept characters before the one after this gap
        if mt.end() < len(keep_mask) and k > starts[-1]:
            starts.append(k)
    return starts


def _bold_at(h: int, first: list[int]) -> list[bool] | None:
    """Is the font of each given character (a segment's first) a bold face (class g)? None when
    no font of the page is. One batched call gives each character's text object; each distinct
    object is asked for its font, and each distinct font (a few per page) for its name, once."""
    import pypdfium2.raw as raw

    obj, font = _font_functions()
    objs = list(map(obj, repeat(h, len(first)), first))
    fonts = {o: font(o) if o else None for o in set(objs)}
    name = ctypes.create_string_buffer(256)
    bold = {f: bool(f) and raw.FPDFFont_GetBaseFontName(ctypes.cast(f, raw.FPDF_FONT), name, 256) > 0
            and is_bold_font(name.value.decode("latin-1")) for f in set(fonts.values())}
    if not any(bold.values()):
        return None
    return list(map({o: bold[f] for o, f in fonts.items()}.__getitem__, objs))


def _take(seq, idx: list[int]) -> list:  # type: ignore[no-untyped-def,type-arg]
    """``[seq[i] for i in idx]`` in C."""
    if len(idx) == 1:
        return [seq[idx[0]]]
    return list(itemgetter(*idx)(seq)) if idx else []


@dataclass
class _Chars:
    """A page's characters as columns: text (one code point each), left and right edge,
    bottom (top-left origin), size and size rounded to 0.1 pt."""

    text: str
    x0: list[float]
    x1: list[float]
    bottom: list[float]
    size: list[float]
    rsize: list[float]
    bold: list[bool] | None = None  # its text segment opens in a bold face (None: nothing bold)

    def take(self, idx: list[int]) -> "_Chars":
        return _Chars(
            "".join(_take(self.text, idx)),
            _take(self.x0, idx),
            _take(self.x1, idx),
            _take(self.bottom, idx),
            _take(self.size, idx),
            _take(self.rsize, idx),
            _take(self.bold, idx) if self.bold else None,
        )


class _RunLine(_Line):
    """A line whose character dicts are made on first use (only superscript merges use them)."""

    def __init__(self, cols: _Chars, a: int, b: int, **kw: object) -> None:
        self._src = (cols, a, b)
        self._chars: list[dict] | None = None
        super().__init__(chars=None, **kw)  # type: ignore[arg-type]

    @property  # type: ignore[override]
    def chars(self) -> list[dict]:
        if self._chars is None:
            c, a, b = self._src
            self._chars = [
                {"text": c.text[k], "x0": c.x0[k], "x1": c.x1[k], "top": c.bottom[k] - c.size[k],
                 "bottom": c.bottom[k], "size": c.size[k]}
                for k in range(a, b)
            ]
        return self._chars

    @chars.setter
    def chars(self, value: list[dict] | None) -> None:
        if value is not None:
            self._chars = value


def _open(data: bytes, name: str):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if re.search(r"password|encrypt|security", msg, re.I):
            raise ParseFailure("encrypted", "PDF is encrypted (password required)", name) from e
        raise ParseFailure("unreadable", f"PDF cannot be opened: {msg}", name) from e


_EMPTY = _Chars("", [], [], [], [], [])


def _page_chars(page, fns) -> _Chars:  # type: ignore[no-untyped-def]
    """Every visible, upright character of one page, in content-stream order.

    Characters of one text object on one line share their loose box's top and bottom, so font
    size and matrix are asked for only where that vertical extent changes (a new run): per
    character there is one call (its box), made from ``map``."""
    import pypdfium2.raw as raw

    box, generated, getmatrix, fontsize = fns
    left, _, _, top0 = page.get_mediabox()
    tp = page.get_textpage()
    try:
        h = ctypes.cast(tp.raw, ctypes.c_void_p).value
        n = raw.FPDFText_CountChars(tp.raw)
        if n <= 0:
            return _EMPTY
        buf = (ctypes.c_ushort * (2 * n + 1))()
        if raw.FPDFText_GetText(tp.raw, 0, n, buf) == n + 1:
            text = bytes(memoryview(buf).cast("B")[: 2 * n]).decode("utf-16-le", "surrogatepass")
        else:  # characters outside the BMP took two UTF-16 units: ask one by one
            text = "".join(map(chr, map(raw.FPDFText_GetUnicode, repeat(tp.raw, n), range(n))))
        if "\ufffe" in text:  # GetText writes a line-end hyphen as U+FFFE: ask for the real code
            chars = list(text)
            for mt in _HYPHEN.finditer(text):
                chars[mt.start()] = chr(raw.FPDFText_GetUnicode(tp.raw, mt.start()))
            text = "".join(chars)
        keep_mask = bytearray(b"\x01") * n
        for mt in _NO_GLYPH.finditer(text):
            keep_mask[mt.start()] = 0
        spaces = [mt.start() for mt in _SPACE.finditer(text)]
        for i in compress(spaces, map(generated, repeat(h, len(spaces)), spaces)):
            keep_mask[i] = 0  # a space pdfium synthesized between words or lines
        keep = list(compress(range(n), keep_mask))
        m = len(keep)
        if not m:
            return _EMPTY
        # Boxes of the kept characters, packed: the four columns are plain slices.
        boxes = (ctypes.c_float * (4 * m))()
        base = ctypes.addressof(boxes)
        list(map(box, repeat(h, m), keep, range(base, base + _BOX * m, _BOX)))
        fl = memoryview(boxes).cast("B").cast("f").tolist()  # left, top, right, bottom per character
        lefts, tops, rights, bots = fl[0::4], fl[1::4], fl[2::4], fl[3::4]
        starts = sorted({0, *compress(range(1, m), map(ne, tops[1:], tops)), *compress(range(1, m), map(ne, bots[1:], bots))})
        # One font size and matrix per run (its first character), in two batched calls.
        first = _take(keep, starts)
        nr = len(first)
        fsizes = list(map(fontsize, repeat(h, nr), first))
        mats = (ctypes.c_float * (6 * nr))()  # a, b, c, d, e, f per run
        mbase = ctypes.addressof(mats)
        list(map(getmatrix, repeat(h, nr), first, range(mbase, mbase + 24 * nr, 24)))
        mv = memoryview(mats).cast("B").cast("f").tolist()
        run_size = [f * abs(d) for f, d in zip(fsizes, mv[3::6])]
        lengths = list(map(sub, [*starts[1:], m], starts))
        sizes = list(chain.from_iterable(map(repeat, run_size, lengths)))
        rsizes = list(chain.from_iterable(map(repeat, [round(s, 1) for s in run_size], lengths)))
        run_upright = [abs(b) <= 1e-6 and abs(c) <= 1e-6 for b, c in zip(mv[1::6], mv[2::6])]
        segs = _segment_starts(keep_mask)  # font (weight) once per segment, not per run
        seg_bold = _bold_at(h, _take(keep, segs))
        chars = _Chars(
            "".join(compress(text, keep_mask)).replace("\x02", "-"),
            [x - left for x in lefts] if left else lefts,
            [x - left for x in rights] if left else rights,
            list(map(float(top0).__sub__, bots)),
            sizes,
            rsizes,
            list(chain.from_iterable(map(repeat, seg_bold, map(sub, [*segs[1:], m], segs)))) if seg_bold else None,
        )
        if all(run_upright):
            return chars
        upright = list(chain.from_iterable(map(repeat, run_upright, lengths)))  # rotated text is left out
        return chars.take(list(compress(range(m), upright)))
    finally:
        tp.close()


def read_pdf_runs(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extracted text and role pieces of a PDF letter, read with pdfium."""
    fns = _functions()
    doc = _open(data, name)
    pages: list[_Chars] = []
    heights: list[float] = []
    widths: list[float] = []
    count = 0
    try:
        check_pages(len(doc), name, limits)
        for page in doc:
            try:
                left, bottom0, right, top0 = page.get_mediabox()
                pages.append(_page_chars(page, fns))
                count += len(pages[-1].text)
                check_chars(count, name, limits, "PDF")
                heights.append(float(top0 - bottom0))
                widths.append(float(right - left))
            finally:
                page.close()
    finally:
        doc.close()
    return layout_columns(pages, heights, widths, name)


def layout_columns(pages: list[_Chars], heights: list[float], widths: list[float], name: str) -> Extracted:
    """The reference's ``pdf._layout`` on columns: body size, lines, then the shared steps."""
    sizes: Counter[float] = Counter()
    for ch in pages:
        sizes.update(compress(ch.rsize, map(not_, map(str.isspace, ch.text))))
    if not sizes:
        raise ParseFailure("no_text_layer", "PDF has no text layer (scanned image?)", name)
    body = sizes.most_common(1)[0][0]
    lines = [_lines(ch, 0.2 * body) for ch in pages]
    return layout_lines(lines, body, heights, widths)


def _lines(ch: _Chars, tol: float) -> list[_Line]:
    """The reference's ``_segments`` on columns: rows by baseline (within ``tol`` of the row's
    first baseline), each row in x order, split at gaps wider than 3 × the font size."""
    m = len(ch.text)
    if not m:
        return []
    row_of: dict[float, int] = {}
    first = None
    row = -1
    for b in sorted(set(ch.bottom)):
        if first is None or b - first > tol:
            row += 1
            first = b
        row_of[b] = row
    rows = list(map(row_of.__getitem__, ch.bottom))
    order = sorted(range(m), key=list(zip(rows, ch.x0, ch.bottom)).__getitem__)
    c = ch.take(order)
    rows = _take(rows, order)
    t, x0, x1, size = c.text, c.x0, c.x1, c.size
    gaps = [0.0, *map(sub, x0[1:], x1)]  # gaps[k]: from character k-1 to k
    cuts = {bisect_left(rows, r) for r in range(1, row + 1)}
    cuts.update(k for k in [k for k, g in enumerate(gaps) if g > 12.0] if gaps[k] > 3.0 * size[k] and t[k] != " ")
    spaces = [
        k
        for k in [k for k, g in enumerate(gaps) if g > 1.0]
        if t[k] != " " and t[k - 1] != " " and gaps[k] > 0.2 * min(size[k], size[k - 1])
    ]
    bounds = sorted(cuts)
    # Columns of the visible (non-whitespace) characters only; a segment's visible characters
    # are the slice between the visible counts before its start and its end.
    isvis = list(map(not_, map(str.isspace, t)))
    before = [0, *accumulate(isvis)]
    fx0, fx1, fb, fs, fr = (list(compress(col, isvis)) for col in (x0, x1, c.bottom, size, c.rsize))
    lines: list[_Line] = []
    for a, b in zip([0, *bounds], [*bounds, m]):
        va, vb_ = before[a], before[b]
        if va == vb_:
            continue  # only whitespace
        vx0, vx1, vb, vs, vr = fx0[va:vb_], fx1[va:vb_], fb[va:vb_], fs[va:vb_], fr[va:vb_]
        line = _RunLine(
            c,
            a,
            b,
            bottom=max(vb),
            x0=min(vx0),
            x1=max(vx1),
            top=min(map(sub, vb, vs)),
            size=vr[0] if vr.count(vr[0]) == len(vr) else Counter(vr).most_common(1)[0][0],
            row=rows[a],
            bold=bool(c.bold) and c.bold[a + len(t[a:b]) - len(t[a:b].lstrip())],
        )
        line._text = _render(t, a, b, spaces)
        lines.append(line)
    return lines


def _render(t: str, a: int, b: int, spaces: list[int]) -> str:
    """The reference's ``_Line._render`` for a line without superscript markers: one space
    however many are printed, and a space where a gap wider than 1 pt and 0.2 × the font
    size separates two characters that are not spaces (``spaces``: where, page-wide)."""
    parts = []
    start = a
    for k in spaces[bisect_left(spaces, a + 1) : bisect_left(spaces, b)]:
        parts += [t[start:k], " "]
        start = k
    parts.append(t[start:b])
    text = "".join(parts)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return fix_diacritics(text.strip())
