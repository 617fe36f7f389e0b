"""Layout class a on a PDF we draw ourselves (reportlab, at test time): a table in smaller type
at the end of an answer is answer text; the footnote opens with its number at the page bottom."""

from __future__ import annotations

import io

import pytest

from etl.parse import parse_bytes

ENGINES = ["pdfplumber", "pypdfium2"]


def table_letter(table_at_end: bool) -> bytes:
    """One page: heading, a question with a raised marker, an answer with a 4-row table in 8 pt
    (body 10 pt), optionally a closing sentence, and footnote 1 under a rule at the bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = A4[1] - 80

    def line(text: str, size: float = 10) -> None:
        nonlocal y
        c.setFont("Helvetica", size)
        c.drawString(72, y, text)
        y -= size * 1.4

    line("Vragen van het lid Pieterse (Partij A) aan de Minister van Infrastructuur en Waterstaat over")
    line("de veerpont (ingezonden 2 oktober 2030).")
    line("")
    line("Antwoord van Minister Bakker (Infrastructuur en Waterstaat) (ontvangen 30 oktober 2030).")
    line("")
    line("Vraag 1")
    question = "Hoe vaak viel de veerpont dit jaar uit, per maand?"
    line(question)
    c.setFont("Helvetica", 6)
    c.drawString(73 + c.stringWidth(question, "Helvetica", 10), y + 18, "1")
    line("")
    line("Antwoord 1")
    line("De veerdienst meldt de uitval per maand. Ik geef de cijfers hieronder weer en licht ze")
    line("toe waar dat nodig is. Het gaat om afvaarten die niet zijn uitgevoerd.")
    for month, count in [("Maand", "Uitgevallen afvaarten"), ("januari", "12"), ("februari", "7"), ("maart", "19")]:
        c.setFont("Helvetica", 8)
        c.drawString(90, y, month)
        c.drawString(300, y, count)
        y -= 11
    if not table_at_end:
        y -= 4
        line("In maart lag de pont twee weken stil voor onderhoud.")
    c.line(72, 120, 200, 120)
    c.setFont("Helvetica", 5.5)
    c.drawString(72, 109, "1")
    c.setFont("Helvetica", 8)
    c.drawString(76, 106, "Dagblad West, 1 oktober 2030, «Pont vaart weer niet».")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("table_at_end", [True, False])
def test_a_table_in_smaller_type_is_answer_text_not_a_footnote(engine: str, table_at_end: bool):
    letter = parse_bytes(table_letter(table_at_end), "veerpont.pdf", pdf_engine=engine)
    (answer,) = letter.answers
    assert "Maand Uitgevallen afvaarten januari 12 februari 7 maart 19" in answer.text
    assert [(f.n, f.text) for f in letter.footnotes] == [("1", "Dagblad West, 1 oktober 2030, «Pont vaart weer niet».")]
    assert letter.questions[0].text.endswith("per maand?¹")
    assert letter.warnings == ()


def two_column_letter() -> bytes:
    """A heading across the page, then questions and answers in two columns."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    y = A4[1] - 80
    for text in ["Vragen van het lid Pieterse (Partij A) aan de Minister van Infrastructuur en Waterstaat",
                 "over de veerpont (ingezonden 2 oktober 2030).",
                 "Antwoord van Minister Bakker (Infrastructuur en Waterstaat) (ontvangen 30 oktober 2030)."]:
        c.drawString(72, y, text)
        y -= 14
    y -= 14
    left = ["Vraag 1", "Kent u het bericht over de veerpont", "die al sinds september stilligt?", "",
            "Antwoord 1", "Ja, dat bericht ken ik goed."]
    right = ["Vraag 2", "Wanneer vaart de pont weer tussen", "de beide oevers van de rivier?", "",
             "Antwoord 2", "Vanaf maart, verwacht ik nu."]
    for k, (a, b) in enumerate(zip(left, right)):
        c.drawString(72, y - 14 * k, a)
        c.drawString(320, y - 14 * k, b)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("engine", ENGINES)
def test_g_two_column_body_is_read_column_by_column(engine: str):
    letter = parse_bytes(two_column_letter(), "kolommen.pdf", pdf_engine=engine)
    assert [(b.label, b.text) for b in letter.questions] == [
        ("Vraag 1", "Kent u het bericht over de veerpont die al sinds september stilligt?"),
        ("Vraag 2", "Wanneer vaart de pont weer tussen de beide oevers van de rivier?"),
    ]
    assert [b.text for b in letter.answers] == ["Ja, dat bericht ken ik goed.", "Vanaf maart, verwacht ik nu."]
    assert letter.date_answered is not None and letter.warnings == ()
