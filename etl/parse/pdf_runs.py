"""The fast PDF engine: pdfium's text APIs read a page in a few batched calls, layout on runs.

pdfplumber (``etl.parse.pdf``) stays the reference engine; this one must give the same lines
on every PDF we hold (``tests/test_parse_engine_parity.py``). Where the reference makes one
Python object per character and then sorts, groups and renders them, this engine:

- reads the page text with one ``FPDFText_GetText`` call and each character's loose box with
  a ctypes call driven by ``map`` (no Python loop body per character, no ctypes argument
  conversion, no object made per call: the text page and the out-parameters are C arguments
  made once); the matrix once per run (consecutive characters of one vertical extent), the
  font size only where the matrix changes;
- keeps per character only its text, x0 and x1; bottom, size and anything else a line takes
  from its characters are per run (``_Page``), so a per-line attribute is a run column;
- reads a line's weight (``_Line.bold``: bold questions, class g) from the font of the first
  character of each text segment (after a line break or a gap), its name once per distinct
  font; on a page with a bold font runs also start where segments do, so the weight is a run
  column and a line takes its first visible run's;
- builds lines from pieces (stretches of content order in one row with x never going back),
  sorted by their first character, with the reference's character sort only for a page
  whose pieces overlap; where x goes back and where gaps are wide is found page-wide in one
  pass (``_steps``).

Lines come out as ``pdf._Line`` objects with their text already rendered; the character
dicts a superscript merge needs are built only if the merge asks for them. Geometry follows
the reference: top-left origin in mediabox space, size = font size × text matrix scale,
bottom at the font's descent, top = bottom − size; spaces pdfium synthesizes are dropped and
its line-end hyphen (U+0002) is a plain hyphen.
"""
from __future__ import annotations

import ctypes
import re
import threading
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import add, itemgetter, mul, ne, or_, sub

from etl.models import ParseFailure
from etl.parse.clean import fix_diacritics
from etl.parse.limits import DEFAULT_LIMITS, Limits, check_chars, check_pages
from etl.parse.pdf import Extracted, _Line, is_bold_font, layout_lines

_NO_GLYPH = re.compile("[\x00\r\n\ufffe\uffff]")  # NUL, line breaks, non-characters
_HYPHEN = re.compile("\ufffe")
_SPACES = re.compile(" {2,}")
_WS = re.compile(r"\s")
_OTHER_WS = re.compile(r"[^\S ]")
_DIGIT = re.compile("[0-9]")


@lru_cache(maxsize=1)
def _functions():  # type: ignore[no-untyped-def]
    """pdfium entry points retyped without argument types, so a call converts nothing: the
    text page goes in as a ready-made C argument (``_text_page_arg``), a character index as
    a plain int (always < 2**31), an output address as a ``byref`` made once per thread
    (``_Out``). (With argument types ctypes looks up a converter for every argument of every
    call, a third of its cost.) The box and the matrix are read without a result type: their
    results (false only for an index out of range) are not used, and ctypes then makes none."""
    import pypdfium2.raw as raw

    def retyped(fn, restype):  # type: ignore[no-untyped-def]
        proto = ctypes.PYFUNCTYPE(restype)  # keeps the GIL: no release per call
        return proto(ctypes.cast(fn, ctypes.c_void_p).value)

    return (
        retyped(raw.FPDFText_GetLooseCharBox, None),  # (text page, index, FS_RECTF*)
        retyped(raw.FPDFText_IsGenerated, ctypes.c_int),  # (text page, index)
        retyped(raw.FPDFText_GetMatrix, None),  # (text page, index, FS_MATRIX*)
        retyped(raw.FPDFText_GetFontSize, ctypes.c_double),  # (text page, index)
    )


def _text_page_arg(address: int) -> object:
    """A text page as a C pointer argument that ctypes passes on as it is: a ``byref`` to
    the byte at its address. (A ``c_void_p`` is converted into such an argument on every
    call.)"""
    return ctypes.byref(ctypes.c_char.from_address(address))


_CHUNK = 4096  # records per batch of calls into one thread's out-parameters
_BOX = 16  # bytes of an FS_RECTF: left, top, right, bottom (floats)
_MATRIX = 24  # bytes of an FS_MATRIX: a, b, c, d, e, f (floats)


class _Out(threading.local):
    """Out-parameters made once per thread: room for ``_CHUNK`` boxes and ``_CHUNK``
    matrices, and a ``byref`` to each record. Making a ``byref`` costs about half as much as
    the pdfium call it serves, so every page reuses these."""

    def __init__(self) -> None:
        self.boxes = (ctypes.c_char * (_BOX * _CHUNK))()
        self.box_refs = list(map(ctypes.byref, repeat(self.boxes, _CHUNK), range(0, _BOX * _CHUNK, _BOX)))
        self.mats = (ctypes.c_char * (_MATRIX * _CHUNK))()
        self.mat_refs = list(map(ctypes.byref, repeat(self.mats, _CHUNK), range(0, _MATRIX * _CHUNK, _MATRIX)))


_OUT = _Out()
_consume = deque(maxlen=0).extend  # runs an iterator to its end, keeping nothing


def _each(fn, tp: object, idx: list[int], buf, refs: list, size: int) -> bytes:  # type: ignore[no-untyped-def,type-arg]
    """``fn(text page, i, &record)`` for each ``i`` of ``idx``, driven by ``map`` in batches
    of ``_CHUNK`` through the thread's out-parameters ``buf`` (records of ``size`` bytes,
    ``refs`` to each): the records, in order, as bytes."""
    view = memoryview(buf)
    parts = []
    for lo in range(0, len(idx), _CHUNK):
        part = idx[lo : lo + _CHUNK]
        _consume(map(fn, repeat(tp, len(part)), part, refs))
        parts.append(view[: size * len(part)].tobytes())
    return parts[0] if len(parts) == 1 else b"".join(parts)


@lru_cache(maxsize=1)
def _font_functions():  # type: ignore[no-untyped-def]
    """Text object of a character and font of a text object, as integer handles. Unlike
    ``_functions`` these keep argument types (a handle must go in as a pointer, not a C int);
    they are called once per text segment and per text object, never per character."""
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


def _bold_at(h: object, first: list[int]) -> list[bool] | None:
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


def _positions(text: str, ch: str) -> list[int]:
    """Where ``ch`` occurs in ``text`` (from the lengths of the parts between, in C)."""
    parts = list(accumulate(map(len, text.split(ch))))
    return list(map(add, parts[:-1], range(len(parts) - 1)))


def _whitespace(text: str) -> list[int]:
    """Where ``text`` has whitespace (``str.isspace``), in order."""
    out = _positions(text, " ")
    if _OTHER_WS.search(text):
        out = sorted(out + [mt.start() for mt in _OTHER_WS.finditer(text)])
    return out


def _take(seq, idx: list[int]) -> list:  # type: ignore[no-untyped-def,type-arg]
    """``[seq[i] for i in idx]`` in C."""
    if len(idx) == 1:
        return [seq[idx[0]]]
    return list(itemgetter(*idx)(seq)) if idx else []


@dataclass
class _Page:
    """A page's characters: text (one code point each) and left and right edges per character;
    the rest per run (``starts``: where each run begins), a run being consecutive characters
    of one bottom (top-left origin), one size and one weight. Per-run attributes (size, weight,
    and any other a line takes from its characters) live in run columns, never repeated per
    character. ``bold``: the run is set in a bold face (None: nothing on the page is)."""

    text: str
    x0: list[float]
    x1: list[float]
    starts: list[int]
    bottom: list[float]
    size: list[float]
    bold: list[bool] | None = None

    def __post_init__(self) -> None:
        rounded = {s: round(s, 1) for s in set(self.size)}  # few distinct sizes: round each once
        self.rsize = list(map(rounded.__getitem__, self.size))
        self.top = list(map(sub, self.bottom, self.size))
        self.ends = [*self.starts[1:], len(self.text)]
        # Whitespace never counts for a line's box or size: where it is, and how many
        # visible characters each run has.
        self.ws = _whitespace(self.text)
        lengths = list(map(sub, self.ends, self.starts))
        if self.ws:
            at = list(map(bisect_left, repeat(self.ws, len(self.ends) + 1), [0, *self.ends]))
            self.nvis = list(map(sub, lengths, map(sub, at[1:], at)))
        else:
            self.nvis = lengths

    def run_of(self, k: int) -> int:
        return bisect_right(self.starts, k) - 1

    def chars(self) -> "_Chars":
        """Per-character columns (for the rare page read character by character)."""
        lengths = list(map(sub, self.ends, self.starts))
        return _Chars(
            self.text, self.x0, self.x1,
            list(chain.from_iterable(map(repeat, self.bottom, lengths))),
            list(chain.from_iterable(map(repeat, self.size, lengths))),
            list(chain.from_iterable(map(repeat, self.rsize, lengths))),
            list(chain.from_iterable(map(repeat, self.bold, lengths))) if self.bold else None,
        )


@dataclass
class _Chars:
    """A page's characters as per-character columns: text (one code point each), left and
    right edge, bottom (top-left origin), size, size rounded to 0.1 pt and weight (bold: the
    character's text segment opens in a bold face; None: nothing on the page is bold)."""

    text: str
    x0: list[float]
    x1: list[float]
    bottom: list[float]
    size: list[float]
    rsize: list[float]
    bold: list[bool] | None = None

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

    def page(self, single: bool = False) -> _Page:
        """The same characters as runs (each character its own run with ``single``)."""
        m = len(self.text)
        if single:
            starts = list(range(m))
        else:
            idx = range(1, m)
            starts = sorted({0, *compress(idx, map(ne, self.bottom, self.bottom[1:])), *compress(idx, map(ne, self.size, self.size[1:]))}) if m else []
            if self.bold and m:
                starts = sorted({*starts, *compress(idx, map(ne, self.bold, self.bold[1:]))})
        bold = _take(self.bold, starts) if self.bold else None
        return _Page(self.text, self.x0, self.x1, starts, _take(self.bottom, starts), _take(self.size, starts), bold)


class _RunLine(_Line):
    """A line whose character dicts are made on first use (only superscript merges use them).

    ``segs``: index ranges of the page's characters, in reading order."""

    def __init__(self, page: _Page, segs: list[tuple[int, int]], **kw: object) -> None:
        self._src = (page, segs)
        self._chars: list[dict] | None = None
        super().__init__(chars=None, **kw)  # type: ignore[arg-type]

    @classmethod
    def make(cls, page: _Page, segs: list[tuple[int, int]], text: str, bottom: float, x0: float, x1: float,
             top: float, size: float, row: int, bold: bool) -> "_RunLine":
        """The same as the constructor, without the dataclass's keyword handling (one per line)."""
        line = object.__new__(cls)
        line.__dict__.update(_src=(page, segs), _chars=None, bottom=bottom, x0=x0, x1=x1, top=top, size=size,
                             sup=set(), role="body", row=row, bold=bold, _text=text)
        return line

    @property  # type: ignore[override]
    def chars(self) -> list[dict]:
        if self._chars is None:
            p, segs = self._src
            t, x0, x1 = p.text, p.x0, p.x1
            out: list[dict] = []
            for a, b in segs:
                for r in range(p.run_of(a), p.run_of(b - 1) + 1):
                    bottom, top, size = p.bottom[r], p.top[r], p.size[r]
                    out += [{"text": t[k], "x0": x0[k], "x1": x1[k], "top": top, "bottom": bottom, "size": size}
                            for k in range(max(a, p.starts[r]), min(b, p.ends[r]))]
            self._chars = out
        return self._chars

    @chars.setter
    def chars(self, value: list[dict] | None) -> None:
        if value is not None:
            self._chars = value

    def marker_size(self) -> float | None:
        if self._chars is not None:
            return super().marker_size()
        p, segs = self._src
        vis = "".join("".join(p.text[a:b] for a, b in segs).split())
        if not vis or vis.strip("0123456789,*)") or not _DIGIT.search(vis):
            return None
        sizes = [p.size[r] for a, b in segs for r in range(p.run_of(a), p.run_of(b - 1) + 1)
                 if p.text[max(a, p.starts[r]) : min(b, p.ends[r])].strip()]
        return max(sizes)


def _open(data: bytes, name: str):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if re.search(r"password|encrypt|security", msg, re.I):
            raise ParseFailure("encrypted", "PDF is encrypted (password required)", name) from e
        raise ParseFailure("unreadable", f"PDF cannot be opened: {msg}", name) from e


_EMPTY = _Page("", [], [], [], [], [])


def _page_chars(page, left: float, top0: float, fns, name: str = "") -> _Page:  # type: ignore[no-untyped-def]
    """Every visible, upright character of one page, in content-stream order.

    Characters of one text object on one line share their loose box's top and bottom, so font
    size and matrix are asked for only where that vertical extent changes (a new run): per
    character there is one call (its box), made from ``map``. The weight is asked for once per
    text segment (``_segment_starts``); on a page with a bold font the runs are then cut where
    segments start too, so each run has one weight."""
    import pypdfium2.raw as raw

    box, generated, getmatrix, fontsize = fns
    tp = raw.FPDFText_LoadPage(page)
    if not tp:
        raise ParseFailure("unreadable", "PDF page text cannot be read", name)
    try:
        address = ctypes.cast(tp, ctypes.c_void_p).value
        h = ctypes.c_void_p(address)  # for the calls with argument types (``_bold_at``)
        tp_arg = _text_page_arg(address)  # for the calls without (``_functions``)
        n = raw.FPDFText_CountChars(tp)
        if n <= 0:
            return _EMPTY
        buf = (ctypes.c_ushort * (2 * n + 1))()
        if raw.FPDFText_GetText(tp, 0, n, buf) == n + 1:
            text = bytes(memoryview(buf).cast("B")[: 2 * n]).decode("utf-16-le", "surrogatepass")
        else:  # characters outside the BMP took two UTF-16 units: ask one by one
            text = "".join(map(chr, map(raw.FPDFText_GetUnicode, repeat(tp, n), range(n))))
        if "\ufffe" in text:  # GetText writes a line-end hyphen as U+FFFE: ask for the real code
            chars = list(text)
            for mt in _HYPHEN.finditer(text):
                chars[mt.start()] = chr(raw.FPDFText_GetUnicode(tp, mt.start()))
            text = "".join(chars)
        keep_mask = bytearray(b"\x01") * n
        for mt in _NO_GLYPH.finditer(text):
            keep_mask[mt.start()] = 0
        spaces = _positions(text, " ")
        for i in compress(spaces, map(generated, repeat(tp_arg, len(spaces)), spaces)):
            keep_mask[i] = 0  # a space pdfium synthesized between words or lines
        keep = list(compress(range(n), keep_mask))
        m = len(keep)
        if not m:
            return _EMPTY
        # Boxes of the kept characters, packed: the four columns are plain slices.
        out = _OUT
        boxes = _each(box, tp_arg, keep, out.boxes, out.box_refs, _BOX)
        fl = memoryview(boxes).cast("f")  # left, top, right, bottom per character
        lefts, rights, bots = fl[0::4].tolist(), fl[2::4].tolist(), fl[3::4]
        # A run starts where top or bottom changes: the two side by side are one 8-byte word
        # per character, so one comparison per character (of the words' bits: these also
        # tell 0.0 from -0.0 apart, where a run is then cut for nothing).
        extent = memoryview(memoryview(boxes).cast("I")[1::2].tobytes()).cast("Q").tolist()
        starts = [0, *compress(range(1, m), map(ne, extent[1:], extent))]
        # The matrix of each run (its first character), in one batched call; the font size only
        # where the matrix changes: the characters of one text object share its matrix (with
        # the object's position in it) and its font size, and a line's runs mostly come from
        # one object, split where a glyph reaches above or below the font's box.
        first = _take(keep, starts)
        nr = len(first)
        mats = _each(getmatrix, tp_arg, first, out.mats, out.mat_refs, _MATRIX)  # a, b, c, d, e, f per run
        mq = memoryview(mats).cast("Q").tolist()  # a matrix is three 8-byte words
        q0, q1, q2 = mq[0::3], mq[1::3], mq[2::3]
        new = [0, *compress(range(1, nr), map(or_, map(or_, map(ne, q0[1:], q0), map(ne, q1[1:], q1)), map(ne, q2[1:], q2)))]
        asked = list(map(fontsize, repeat(tp_arg, len(new)), _take(first, new)))
        fsizes = list(chain.from_iterable(map(repeat, asked, map(sub, [*new[1:], nr], new))))
        mv = memoryview(mats).cast("f").tolist()
        run_bottom = list(map(float(top0).__sub__, _take(bots, starts)))
        run_size = list(map(mul, fsizes, map(abs, mv[3::6])))  # font size × the matrix's vertical scale
        segs = _segment_starts(keep_mask)
        seg_bold = _bold_at(h, _take(keep, segs))  # None: no bold font on the page
        run_bold = None
        skewed = max(map(abs, mv[1::6])) > 1e-6 or max(map(abs, mv[2::6])) > 1e-6
        if skewed:
            run_upright = [abs(b) <= 1e-6 and abs(c) <= 1e-6 for b, c in zip(mv[1::6], mv[2::6])]
        if seg_bold is not None:
            # Runs also start where segments do (no pdfium call: a cut run keeps its matrix and
            # size), so each run lies in one segment and has that segment's weight.
            cut = sorted({*starts, *segs})
            if len(cut) != len(starts):
                orig = [r - 1 for r in map(bisect_right, repeat(starts, len(cut)), cut)]
                run_bottom, run_size = _take(run_bottom, orig), _take(run_size, orig)
                if skewed:
                    run_upright = _take(run_upright, orig)
                starts = cut
            run_bold = _take(seg_bold, [s - 1 for s in map(bisect_right, repeat(segs, len(starts)), starts)])
        page_ = _Page(
            "".join(compress(text, keep_mask)).replace("\x02", "-"),
            [x - left for x in lefts] if left else lefts,
            [x - left for x in rights] if left else rights,
            starts,
            run_bottom,
            run_size,
            run_bold,
        )
        if not skewed:
            return page_
        lengths = list(map(sub, page_.ends, starts))
        upright = list(chain.from_iterable(map(repeat, run_upright, lengths)))  # rotated text is left out
        return page_.chars().take(list(compress(range(m), upright))).page()
    finally:
        raw.FPDFText_ClosePage(tp)


def read_pdf_runs(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extracted text and role pieces of a PDF letter, read with pdfium.

    Pages and text pages are opened and closed with pdfium's own calls: pypdfium2's page
    objects (a finaliser and a parent link each) cost more than reading a short page."""
    import pypdfium2.raw as raw

    fns = _functions()
    doc = _open(data, name)
    pages: list[_Page] = []
    heights: list[float] = []
    widths: list[float] = []
    count = 0
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(c) for c in box]
    try:
        check_pages(len(doc), name, limits)
        for i in range(len(doc)):
            page = raw.FPDF_LoadPage(doc.raw, i)
            if not page:
                raise ParseFailure("unreadable", f"PDF page {i + 1} cannot be loaded", name)
            try:
                if raw.FPDFPage_GetMediaBox(page, *refs):
                    left, bottom0, right, top0 = (c.value for c in box)
                else:  # no MediaBox: pdfium's (and pypdfium2's) default, US letter
                    left, bottom0, right, top0 = 0.0, 0.0, 612.0, 792.0
                pages.append(_page_chars(page, left, top0, fns, name))
                count += len(pages[-1].text)
                check_chars(count, name, limits, "PDF")
                heights.append(float(top0 - bottom0))
                widths.append(float(right - left))
            finally:
                raw.FPDF_ClosePage(page)
    finally:
        doc.close()
    return layout_columns(pages, heights, widths, name)


def layout_columns(pages: list[_Page] | list[_Chars], heights: list[float], widths: list[float], name: str) -> Extracted:
    """The reference's ``pdf._layout`` on columns: body size, lines, then the shared steps."""
    runs = [p.page() if isinstance(p, _Chars) else p for p in pages]
    sizes: Counter[float] = Counter()
    for p in runs:
        for s, n in zip(p.rsize, p.nvis):
            if n:
                sizes[s] += n
    if not sizes:
        raise ParseFailure("no_text_layer", "PDF has no text layer (scanned image?)", name)
    body = sizes.most_common(1)[0][0]
    lines = [_lines(p, 0.2 * body) for p in runs]
    return layout_lines(lines, body, heights, widths)


def _lines(p: _Page, tol: float) -> list[_Line]:
    """The reference's ``_segments`` on columns: rows by baseline (within ``tol`` of the row's
    first baseline), each row in x order, split at gaps wider than 3 × the font size.

    The work is per piece, not per character: a piece is a stretch of content order that
    stays in one row with x never going back (text as it was set). Pieces are ordered by
    their first character; when no two pieces of a row overlap in x, that is exactly the
    reference's character order (row, x0, bottom, then content order), so the characters
    never move. A page where pieces of a row overlap (overprinted text, text set right to
    left) is sorted character by character instead, and its pieces are then its rows."""
    t, x0 = p.text, p.x0
    m = len(t)
    if not m:
        return []
    rs, rbot = p.starts, p.bottom
    row_of: dict[float, int] = {}
    first = None
    row = -1
    for b in sorted(set(rbot)):
        if first is None or b - first > tol:
            row += 1
            first = b
        row_of[b] = row
    rrow = list(map(row_of.__getitem__, rbot))
    breaks = set(compress(rs[1:], map(ne, rrow, rrow[1:])))  # a new row
    back, wide = _steps(x0, p.x1)
    for k in back:
        if x0[k] < x0[k - 1]:
            breaks.add(k)  # x goes back
        else:  # the same x: the reference puts the higher first (in a run bottoms are equal)
            r = bisect_right(rs, k) - 1
            if rs[r] == k and rbot[r] < rbot[r - 1]:
                breaks.add(k)
    starts = sorted(breaks)
    starts.insert(0, 0)
    runs = list(map(bisect_right, repeat(rs, len(starts)), starts))  # run + 1 of each piece's start
    pieces = sorted(zip(starts, [*starts[1:], m], runs), key=lambda q: (rrow[q[2] - 1], x0[q[0]], rbot[q[2] - 1]))
    for (a, b, r), (c, _, s) in zip(pieces, pieces[1:]):
        if x0[b - 1] >= x0[c] and rrow[r - 1] == rrow[s - 1]:
            ch = p.chars()
            rows = list(chain.from_iterable(map(repeat, rrow, map(sub, p.ends, rs))))
            order = sorted(range(m), key=list(zip(rows, ch.x0, ch.bottom)).__getitem__)
            p = ch.take(order).page(single=True)  # every character its own run
            rrow = _take(rows, order)
            starts = [0, *compress(range(1, m), map(ne, rrow, rrow[1:]))]
            pieces = list(zip(starts, [*starts[1:], m], [k + 1 for k in starts]))
            wide = _steps(p.x0, p.x1)[1]
            break
    return _assemble(p, rrow, pieces, set(starts), wide)


def _steps(x0: list[float], x1: list[float]) -> tuple[list[int], list[int]]:
    """One pass over the characters in content order: where x goes back or stays (``back``:
    a piece may end before k) and where the gap from the character before is wider than
    1 pt (``wide``: a space or a cut may go before k)."""
    back: list[int] = []
    wide: list[int] = []
    for k, a, b, c in zip(range(1, len(x0)), x0, x0[1:], x1):
        if b - c > 1.0:
            wide.append(k)
        if a >= b:
            back.append(k)
    return back, wide


def _assemble(p: _Page, rrow: list[int], pieces: list[tuple[int, int, int]], is_start: set[int],
              wide: list[int]) -> list[_Line]:
    """Lines from pieces in reading order: where a space goes (before character k) and where
    a line is cut (at k) follow from the gap to the character before k in reading order,
    which inside a piece is k - 1 (``wide``: where that gap is over 1 pt) and at a piece's
    start the end of the piece before it."""
    t, x0, x1, rs, rsz = p.text, p.x0, p.x1, p.starts, p.size
    spaces: list[int] = []
    inner: list[int] = []  # cuts inside a piece
    for k in wide:
        if k in is_start or t[k] == " ":
            continue
        g = x0[k] - x1[k - 1]
        sk = rsz[bisect_right(rs, k) - 1]
        if g > 12.0 and g > 3.0 * sk:
            inner.append(k)
        elif t[k - 1] != " " and g > 0.2 * min(sk, rsz[bisect_right(rs, k - 1) - 1]):
            spaces.append(k)
    heads: set[int] = set()  # pieces that open a line
    prev = -1
    prow = -1
    for a, b, r in pieces:
        row = rrow[r - 1]
        if prev < 0 or row != prow:
            heads.add(a)
        else:
            g = x0[a] - x1[prev]
            if g > 1.0 and t[a] != " ":
                sa = rsz[r - 1]
                if g > 12.0 and g > 3.0 * sa:
                    heads.add(a)
                elif t[prev] != " " and g > 0.2 * min(sa, rsz[bisect_right(rs, prev) - 1]):
                    spaces.append(a)
        prev = b - 1
        prow = row
    spaces.sort()
    lines: list[_Line] = []
    segs: list[tuple[int, int]] = []
    for a, b, r in pieces:
        if a in heads and segs:
            _add_line(lines, p, rrow, segs, spaces)
            segs = []
        if inner:
            for k in inner[bisect_left(inner, a + 1) : bisect_left(inner, b)]:
                segs.append((a, k))
                _add_line(lines, p, rrow, segs, spaces)
                segs = []
                a = k
        segs.append((a, b))
    if segs:
        _add_line(lines, p, rrow, segs, spaces)
    return lines


def _add_line(lines: list[_Line], p: _Page, rrow: list[int], segs: list[tuple[int, int]], spaces: list[int]) -> None:
    """One line of ``segs`` (index ranges in reading order), if it has a visible character:
    its box, its most common size and its text, from the visible characters only; its weight
    is its first visible run's."""
    t, x1, rs, ends = p.text, p.x1, p.starts, p.ends
    if len(segs) == 1:  # the common line: whole runs, each with a visible character; inlined
        a, b = segs[0]
        r0 = bisect_right(rs, a) - 1
        r1 = bisect_left(rs, b, r0)
        nvis = p.nvis[r0:r1]
        if rs[r0] == a and ends[r1 - 1] == b and min(nvis) > 0:
            sizes = p.rsize[r0:r1]
            size = sizes[0]
            if sizes.count(size) != len(sizes):
                size = _common(sizes, nvis)
            s = t[a:b]
            va, vb = a, b  # the visible extent
            if s[0].isspace() or s[-1].isspace():
                va, vb = a + len(s) - len(s.lstrip()), a + len(s.rstrip())
            right = max(x1[va:vb])
            ws = p.ws
            lo = bisect_left(ws, va)
            hi = bisect_left(ws, vb, lo)
            if lo < hi and max(map(x1.__getitem__, ws[lo:hi])) >= right:  # a space reaches as far
                right = max(x1[k] for k in range(va, vb) if not t[k].isspace())
            if spaces:
                lo = bisect_left(spaces, a + 1)
                hi = bisect_left(spaces, b, lo)
                if lo < hi:
                    s = _render(t, segs, spaces)
                else:
                    s = _finish(s)
            else:
                s = _finish(s)
            line = object.__new__(_RunLine)
            line.__dict__.update(_src=(p, segs), _chars=None, bottom=max(p.bottom[r0:r1]), x0=p.x0[va], x1=right,
                                 top=min(p.top[r0:r1]), size=size, sup=set(), role="body", row=rrow[r0],
                                 bold=bool(p.bold) and p.bold[r0], _text=s)
            lines.append(line)
            return
    runs: list[int] = []
    counts: list[int] = []  # visible characters of each run in the line
    for a, b in segs:
        r0 = bisect_right(rs, a) - 1
        r1 = bisect_left(rs, b)
        runs += range(r0, r1)
        if rs[r0] == a and ends[r1 - 1] == b:
            counts += p.nvis[r0:r1]
        else:
            for r in range(r0, r1):
                lo, hi = max(a, rs[r]), min(b, ends[r])
                counts.append(hi - lo - len(_WS.findall(t, lo, hi)))
    vis = list(compress(runs, counts))
    if not vis:
        return  # only whitespace
    sizes = _take(p.rsize, vis)
    size = sizes[0]
    if sizes.count(size) != len(sizes):
        size = _common(sizes, list(compress(counts, counts)))
    left, right = _extent(p, segs)
    lines.append(_RunLine.make(p, segs, _render(t, segs, spaces), max(_take(p.bottom, vis)), left, right,
                               min(_take(p.top, vis)), size, rrow[bisect_right(rs, segs[0][0]) - 1],
                               bool(p.bold) and p.bold[vis[0]]))


def _common(sizes: list[float], weights: list[int]) -> float:
    """The most common size, each run counted with its visible characters (ties: first seen)."""
    counts: Counter[float] = Counter()
    for s, n in zip(sizes, weights):
        counts[s] += n
    return counts.most_common(1)[0][0]


def _extent(p: _Page, segs: list[tuple[int, int]]) -> tuple[float, float]:
    """Left and right edge of a line's visible characters: the first one's x0 (x never goes
    back along a line), the largest x1 (leading and trailing whitespace cut off first)."""
    t, x1, ws = p.text, p.x1, p.ws
    if len(segs) == 1:
        a, b = segs[0]
        if t[a].isspace() or t[b - 1].isspace():
            s = t[a:b]
            a, b = a + len(s) - len(s.lstrip()), a + len(s.rstrip())
        trimmed = [(a, b)]
        right = max(x1[a:b])
    else:
        trimmed = list(segs)
        while not t[trimmed[0][0] : trimmed[0][1]].strip():
            trimmed.pop(0)
        a, b = trimmed[0]
        if t[a].isspace():
            trimmed[0] = (a + len(t[a:b]) - len(t[a:b].lstrip()), b)
        while not t[trimmed[-1][0] : trimmed[-1][1]].strip():
            trimmed.pop()
        a, b = trimmed[-1]
        if t[b - 1].isspace():
            trimmed[-1] = (a, a + len(t[a:b].rstrip()))
        right = max([max(x1[a:b]) for a, b in trimmed])
    inside = [w for a, b in trimmed for w in ws[bisect_left(ws, a) : bisect_left(ws, b)]]
    if inside and max(map(x1.__getitem__, inside)) >= right:  # a space reaches as far: leave it out
        right = max(x1[k] for a, b in trimmed for k in range(a, b) if not t[k].isspace())
    return p.x0[trimmed[0][0]], right


def _render(t: str, segs: list[tuple[int, int]], spaces: list[int]) -> str:
    """The reference's ``_Line._render`` for a line without superscript markers: one space
    however many are printed, and a space where a gap wider than 1 pt and 0.2 × the font
    size separates two characters that are not spaces (``spaces``: before which character)."""
    parts: list[str] = []
    lo = 1  # no space before the line's first character
    for a, b in segs:
        start = a
        for k in spaces[bisect_left(spaces, a + lo) : bisect_left(spaces, b)]:
            parts += [t[start:k], " "]
            start = k
        parts.append(t[start:b])
        lo = 0
    return _finish("".join(parts))


def _finish(text: str) -> str:
    """A line's text as the reference leaves it: one space for several, stripped, accents
    put back on their letters."""
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return fix_diacritics(text.strip())
