"""Layout classes a and g on PDFs we draw ourselves (reportlab, at test time): a table in smaller
type at the end of an answer is answer text; the footnote opens with its number at the page
bottom. Two-column bodies are read column by column; typography-only labels (a bold question
without 'Vraag N', a regular answer after it) pair by order, on both engines."""

from __future__ import annotations

import io

import pytest

from etl.parse import parse_bytes
from etl.parse.pdf import read_pdf
from tests.parse_helpers import compare_to_gold, typographic_ministry_pdf

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


# ------------------------------------------------------------ g: typography-only labels in a PDF


@pytest.fixture(scope="module")
def typographic() -> tuple[bytes, dict]:
    return typographic_ministry_pdf()


@pytest.mark.parametrize("engine", ENGINES)
def test_g_bold_questions_without_labels_pair_with_the_plain_answers_after_them(engine: str, typographic):
    """Sample ministry letter ah-tk-20252026-38 (ours) with its annex set without any label:
    six bold questions, some wrapped over two or three lines, each followed by its answer in
    regular weight (one over two paragraphs), a bold heading above them, bold sidebar captions,
    and a 'Toelichting:' after the last answer."""
    data, gold = typographic
    letter = parse_bytes(data, "typografie.pdf", pdf_engine=engine)
    assert compare_to_gold(letter, gold) == []
    assert [b.numbers for b in letter.questions] == [(str(n),) for n in range(1, 7)]
    assert [b.numbers for b in letter.answers] == [(str(n),) for n in range(1, 7)]
    assert {b.label for b in letter.questions + letter.answers} == {""}  # nothing was printed
    assert letter.questions[2].text.startswith("Is er sprake geweest van een ICT-inbreuk")
    assert letter.answers[0].text == "Ja."
    assert letter.intro.rstrip().endswith("(ingezonden 11 september 2025, 2025Z16204)")  # bold, no '?'
    assert letter.closing == gold["closing"]
    assert (list(letter.askers), letter.warnings) == (gold["askers"], ())


@pytest.mark.parametrize("engine", ENGINES)
def test_g_pdf_lines_carry_their_weight(engine: str, typographic):
    """The reader marks a line bold by the font of its first character: every line of a
    question is bold, no line of an answer is."""
    data, gold = typographic
    ex = read_pdf(data, "typografie.pdf", engine)
    lines = [(p.bold, ex.text[p.start : p.end].strip()) for p in ex.pieces if p.role == "body"]
    bold = " ".join(t for b, t in lines if b)
    plain = " ".join(t for b, t in lines if not b)
    assert "Bent u bekend met het bericht" in bold and "Ja." not in bold.split()
    assert "Op 25 augustus 2025 is bij het OM" in plain and "Hoe lang zijn de systemen" not in plain


def bold_letter(numbered: bool = False, labelled: bool = False, answered_by: bool = True) -> bytes:
    """One page, lines set tight (no paragraph gap between a question and its answer): a bold
    'Betreft' heading without a question mark, then bold questions, the first wrapped over two
    lines, each followed by a regular answer; optionally numbered '1.'/'2.' or under printed
    'Vraag N' labels."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = A4[1] - 80
    rows = [
        ("Helvetica", "Vragen van het lid Pieterse (Partij A) aan de Minister van Infrastructuur en Waterstaat over"),
        ("Helvetica", "de veerpont (ingezonden 2 oktober 2030)."),
        ("Helvetica", "Antwoord van Minister Bakker (Infrastructuur en Waterstaat) (ontvangen 30 oktober 2030)."
         if answered_by else "Ontvangen 30 oktober 2030."),
        ("", ""),
        ("Helvetica-Bold", "Betreft: de veerpont over de Waal bij Zaltbommel"),
        ("", ""),
    ]
    q = [["Kent u het bericht dat de veerpont tussen de beide oevers sinds september stilligt en", "dat reizigers nu twintig kilometer moeten omrijden?"],
         ["Wanneer vaart de pont weer?"]]
    a = [["Ja, dat bericht ken ik. De vervoerder heeft mij op 1 oktober 2030 ingelicht."], ["Vanaf maart, verwacht ik nu."]]
    for n, (question, answer) in enumerate(zip(q, a), start=1):
        if labelled:
            rows.append(("Helvetica-Bold", f"Vraag {n}"))
        lead = f"{n}. " if numbered else ""
        rows += [("Helvetica-Bold", lead + question[0])] + [("Helvetica-Bold", t) for t in question[1:]]
        if labelled:
            rows.append(("Helvetica", f"Antwoord {n}"))
        rows += [("Helvetica", t) for t in answer]
    for font, text in rows:
        if text:
            c.setFont(font, 10)
            c.drawString(72, y, text)
        y -= 13
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("engine", ENGINES)
def test_g_tight_bold_questions_open_blocks_where_the_weight_changes(engine: str):
    letter = parse_bytes(bold_letter(), "veerpont-vet.pdf", pdf_engine=engine)
    assert [(b.numbers, b.text) for b in letter.questions] == [
        (("1",), "Kent u het bericht dat de veerpont tussen de beide oevers sinds september stilligt en "
                 "dat reizigers nu twintig kilometer moeten omrijden?"),
        (("2",), "Wanneer vaart de pont weer?"),
    ]
    assert [(b.numbers, b.text) for b in letter.answers] == [
        (("1",), "Ja, dat bericht ken ik. De vervoerder heeft mij op 1 oktober 2030 ingelicht."),
        (("2",), "Vanaf maart, verwacht ik nu."),
    ]
    assert "Betreft: de veerpont" in letter.intro and letter.warnings == ()


@pytest.mark.parametrize("engine", ENGINES)
def test_g_typography_is_not_read_where_labels_or_numbers_are_printed(engine: str):
    labelled = parse_bytes(bold_letter(labelled=True), "gelabeld.pdf", pdf_engine=engine)
    assert [b.label for b in labelled.questions] == ["Vraag 1", "Vraag 2"]
    assert [b.label for b in labelled.answers] == ["Antwoord 1", "Antwoord 2"]
    numbered = parse_bytes(bold_letter(numbered=True), "genummerd.pdf", pdf_engine=engine)
    # a numbered letter keeps the numbered rules: '1.' and '2.' open questions, weight opens nothing
    assert [b.label for b in numbered.questions] == ["1.", "2."] and numbered.answers == ()
    # without 'Antwoord van …' no rule numbers them, and typography still stays out of it
    bare = parse_bytes(bold_letter(numbered=True, answered_by=False), "genummerd-kaal.pdf", pdf_engine=engine)
    assert bare.questions == () and bare.answers == ()
