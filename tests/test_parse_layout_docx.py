"""Layout class g in DOCX: typography-only labels. A bold paragraph holding the question and a
plain paragraph after it, with no 'Vraag N' / 'Antwoord N' printed. Our own letter, zipped at
test time with the standard library."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from etl.parse import parse_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def para(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p><w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx(paragraphs: list[str]) -> bytes:
    body = "".join(paragraphs)
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", document)
    return buf.getvalue()


LETTER = [
    para("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"),
    para("Betreft Antwoorden op vragen over de veerpont", bold=True),
    para("Hierbij beantwoord ik de vragen van het lid Pieterse (Partij A) over de veerpont "
         "(ingezonden 2 oktober 2030)."),
    para("Kent u het bericht dat de veerpont sinds september stilligt?", bold=True),
    para("Ja, dat bericht ken ik."),
    para("Wanneer vaart de pont weer, en wie betaalt de extra kosten voor de reizigers?", bold=True),
    para("De pont vaart naar verwachting vanaf maart weer."),
    para("De extra kosten worden door de vervoerder vergoed."),
    para("Bent u bereid de Kamer te informeren zodra er meer bekend is?", bold=True),
    para("Ja."),
]


def test_g_bold_questions_and_plain_answers_become_numbered_blocks():
    letter = parse_bytes(docx(LETTER), "veerpont.docx")
    assert [b.numbers for b in letter.questions] == [("1",), ("2",), ("3",)]
    assert [b.numbers for b in letter.answers] == [("1",), ("2",), ("3",)]
    assert letter.questions[1].text.startswith("Wanneer vaart de pont weer")
    assert letter.answers[1].text == ("De pont vaart naar verwachting vanaf maart weer.\n\n"
                                      "De extra kosten worden door de vervoerder vergoed.")
    assert "Betreft" in letter.intro and "Hierbij beantwoord ik" in letter.intro
    assert letter.warnings == ()


def test_g_printed_labels_win_over_typography():
    labelled = [para("Vraag 1", bold=True), para("Kent u het bericht?", bold=True), para("Antwoord 1"), para("Ja.")]
    letter = parse_bytes(docx(labelled), "gelabeld.docx")
    assert [b.label for b in letter.questions] == ["Vraag 1"]
    assert [b.text for b in letter.answers] == ["Ja."]


def test_g_without_bold_nothing_is_invented():
    plain = [para(p.replace("<w:rPr><w:b/></w:rPr>", "")) for p in ["Kent u het bericht?", "Ja."]]
    letter = parse_bytes(docx(plain), "plat.docx")
    assert letter.questions == () and letter.answers == ()
