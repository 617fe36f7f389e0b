"""The fast pdfium engine reads every PDF we hold exactly like the pdfplumber reference.

"Exactly" means the same extracted text and the same pieces (page, role, span), so every
accuracy test passes on either engine. The PDFs are every ``*.pdf`` under the shared corpus
and in the project's sample, plus PDFs generated here with features the corpus lacks
(rotated text, letter and word spacing, several fonts and sizes on one line).

Known difference, not in any held PDF: pdfium keeps one of several consecutive printed
spaces, so a run of spaces wider than 3 × the font size splits a line in the pdfium engine
only (the reference sees the spaces bridge the gap).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from etl.parse.pdf import read_pdf
from tests.parse_helpers import corpus_dir
from tests.test_parse_sample import sample_dir


def held_pdfs() -> list[Path]:
    return sorted(corpus_dir().rglob("*.pdf")) + sorted((sample_dir() / "api" / "resources").glob("*.pdf"))


def _rows(data: bytes, engine: str) -> list[tuple[int, str, bool, str]]:
    """(page, role, bold, text) of every piece: the weight of a line counts too (class g)."""
    ex = read_pdf(data, "parity.pdf", engine)
    return [(p.page, p.role, p.bold, ex.text[p.start : p.end]) for p in ex.pieces]


def test_every_held_pdf_is_checked() -> None:
    pdfs = held_pdfs()
    assert len([p for p in pdfs if corpus_dir() in p.parents]) >= 10
    assert len(pdfs) >= 20


@pytest.mark.parametrize("path", held_pdfs(), ids=lambda p: p.name)
def test_fast_engine_reads_held_pdf_like_pdfplumber(path: Path) -> None:
    data = path.read_bytes()
    assert _rows(data, "pypdfium2") == _rows(data, "pdfplumber")


def _tricky_pdf() -> bytes:
    """Two pages our sample generator never makes: mixed fonts and sizes on one line, letter
    and word spacing, a rotated stamp, a footnote marker and a footnote, odd characters."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(2):
        y = 780.0
        c.setFont("Helvetica-Bold", 11)
        c.drawString(72, y, f"Vraag {page + 1}")
        y -= 16
        t = c.beginText(72, y)
        t.setFont("Helvetica", 11)
        t.textOut("Kent u het bericht ")
        t.setFont("Times-Italic", 11)
        t.textOut("over de dijken")
        t.setFont("Helvetica", 11)
        t.textOut(" van 3 juli?")
        t.setRise(4)
        t.setFont("Helvetica", 7)
        t.textOut("1")
        t.setRise(0)
        c.drawText(t)
        y -= 16
        t = c.beginText(72, y)
        t.setFont("Helvetica", 11)
        t.setCharSpace(1.5)
        t.textOut("Gespatieerd woord")
        t.setCharSpace(0)
        t.setWordSpace(6)
        t.textOut(" en ruime woordafstand (€ 12,50 — ½ %)")
        c.drawText(t)
        y -= 16
        c.setFont("Helvetica-Bold", 11)
        c.drawString(72, y, f"Antwoord {page + 1}")
        y -= 16
        c.setFont("Helvetica", 11)
        c.drawString(72, y, "Ja. Met een  dubbele spatie.")
        c.drawString(400, y, "Kolom rechts")
        c.saveState()
        c.translate(540, 400)
        c.rotate(90)
        c.drawString(0, 0, "GEDRAAIDE STEMPEL")
        c.restoreState()
        c.setFont("Helvetica", 8)
        c.drawString(72, 90, "1 Zie de bijlage bij deze brief.")
        c.drawString(280, 40, f"{page + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_fast_engine_reads_fonts_spacing_and_rotation_like_pdfplumber() -> None:
    data = _tricky_pdf()
    fast = _rows(data, "pypdfium2")
    assert fast == _rows(data, "pdfplumber")
    text = "".join(r[3] for r in fast)
    assert "GEDRAAIDE" not in text  # rotated text is left out by both engines
    assert "Kolom rechts" in text


def test_fast_engine_reads_the_weight_of_lines_like_pdfplumber() -> None:
    """The typography-only letter (class g): bold questions, regular answers, bold sidebar
    captions and heading; both engines mark the same lines bold."""
    from tests.parse_helpers import typographic_ministry_pdf

    data, _ = typographic_ministry_pdf()
    fast = _rows(data, "pypdfium2")
    assert fast == _rows(data, "pdfplumber")
    bold_body = [t for _, role, bold, t in fast if bold and role == "body"]
    assert len(bold_body) >= 10 and any(t.startswith("Bent u bekend met het bericht") for t in bold_body)
    assert any(not bold and t.startswith("Ja.") for _, _, bold, t in fast)

def test_fast_engine_reads_the_same_in_batches_of_any_size(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Boxes and matrices are read in batches of ``_CHUNK`` records through out-parameters
    made once per thread; no held page has more characters than one batch holds, so a batch
    of 7 makes every page cross batch boundaries, and it must read exactly the same."""
    from etl.parse import pdf_runs

    datas = [p.read_bytes() for p in held_pdfs()]
    whole = [_rows(d, "pypdfium2") for d in datas]
    monkeypatch.setattr(pdf_runs, "_CHUNK", 7)
    batched = [_rows(d, "pypdfium2") for d in datas]
    assert batched == whole
    assert sum(len(r) for r in batched) > 500  # the PDFs were read, not refused



# ------------------------------------------------ the layout on columns is the reference layout

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_glyph = st.tuples(
    st.sampled_from(list("Vraag1Antwoord2,.-éü") + [" "] * 4),
    st.sampled_from([0.0, 0.0, 0.0, 0.3, 1.05, 1.3, 1.6, 2.5, 13.0, 31.0, 45.0]),  # gap before it
    st.floats(1, 8, allow_nan=False, width=32),  # width
)
_run = st.tuples(
    st.floats(0, 450, allow_nan=False, width=32),  # x where the run starts
    st.sampled_from([100.0, 101.2, 102.5, 114.0, 128.0, 700.0, 790.0]),  # baseline
    st.sampled_from([0.0, 0.0, -0.4, 0.9, -3.0]),  # shift (raised/lowered text)
    st.sampled_from([6.0, 7.0, 7.04, 9.96, 10.0, 10.0, 10.5, 12.0]),  # size
    st.lists(_glyph, min_size=1, max_size=25),
    st.booleans(),  # set in a bold face
)


def _chars(runs):  # type: ignore[no-untyped-def]
    out = []
    for x, base, shift, size, glyphs, bold in runs:
        for t, gap, w in glyphs:
            x0 = x + gap
            out.append((t, x0, x0 + w, base + shift, size, bold))
            x = x0 + w
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_run, max_size=12), min_size=1, max_size=3))
def test_layout_on_columns_equals_the_reference_layout_on_char_dicts(pages) -> None:  # type: ignore[no-untyped-def]
    """Whatever characters pdfium reports, the fast engine's grouping, ordering, spacing and
    zones are those of ``pdf._layout``: same text, same pieces, or the same failure."""
    from etl.models import ParseFailure
    from etl.parse import pdf as ref
    from etl.parse.pdf_runs import _Chars, layout_columns

    dict_pages, col_pages = [], []
    for runs in pages:
        rows = _chars(runs)
        dict_pages.append([{"text": t, "x0": a, "x1": b, "top": bt - s, "bottom": bt, "size": s,
                            "fontname": "ABCDEF+Sans-Bold" if bold else "ABCDEF+Sans"} for t, a, b, bt, s, bold in rows])
        col_pages.append(_Chars("".join(r[0] for r in rows), [r[1] for r in rows], [r[2] for r in rows],
                                [r[3] for r in rows], [r[4] for r in rows], [round(r[4], 1) for r in rows],
                                [r[5] for r in rows]))
    heights, widths = [842.0] * len(pages), [595.0] * len(pages)
    try:
        expected = ref._layout(dict_pages, heights, widths, "x.pdf")
    except ParseFailure as e:
        with pytest.raises(ParseFailure) as got:
            layout_columns(col_pages, heights, widths, "x.pdf")
        assert got.value.code == e.code
        return
    fast = layout_columns(col_pages, heights, widths, "x.pdf")
    assert (fast.text, fast.pieces) == (expected.text, expected.pieces)
