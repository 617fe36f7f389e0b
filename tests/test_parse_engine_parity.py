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


def _rows(data: bytes, engine: str) -> list[tuple[int, str, str]]:
    ex = read_pdf(data, "parity.pdf", engine)
    return [(p.page, p.role, ex.text[p.start : p.end]) for p in ex.pieces]


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
    text = "".join(r[2] for r in fast)
    assert "GEDRAAIDE" not in text  # rotated text is left out by both engines
    assert "Kolom rechts" in text
