"""Readers: file type from the bytes, DOCX, layout PDF, and clear failures for bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.models import ParseFailure
from etl.parse import PARSER_VERSION, parse_bytes, parse_file
from tests.parse_helpers import make_docx, make_image_only_pdf, make_ministry_pdf

LETTER_TEXT = (
    "Vragen van het lid Smits (CDA) aan de Minister van Verkeer en Fietsen over stallingen\n"
    "(ingezonden 3 februari 2026).\n"
    "Antwoord van Minister De Vries (Verkeer en Fietsen) (ontvangen 12 maart 2026).\n"
    "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa.\f"
    "Vraag 2\nEn verder?\nAntwoord 2\nNee.\n"
)


def failure(path_or_bytes: Path | bytes, name: str = "letter.bin") -> ParseFailure:
    with pytest.raises(ParseFailure) as info:
        if isinstance(path_or_bytes, Path):
            parse_file(path_or_bytes)
        else:
            parse_bytes(path_or_bytes, name)
    return info.value


# --------------------------------------------------------------------------- text


def test_text_file_pages_split_by_form_feed(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(LETTER_TEXT, encoding="utf-8")
    letter = parse_file(path)
    assert letter.source_format == "txt" and letter.pages == 2
    assert [b.page_start for b in letter.answers] == [1, 2]
    assert letter.date_answered == date(2026, 3, 12)
    assert letter.parser_version == PARSER_VERSION


def test_type_comes_from_bytes_not_extension(tmp_path: Path) -> None:
    text_named_pdf = tmp_path / "brief.pdf"
    text_named_pdf.write_text(LETTER_TEXT, encoding="utf-8")
    assert parse_file(text_named_pdf).source_format == "txt"
    pdf_named_txt = tmp_path / "brief.txt"
    pdf_named_txt.write_bytes(make_ministry_pdf())
    assert parse_file(pdf_named_txt).source_format == "pdf"


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_footnotes() -> None:
    data = make_docx(
        [
            "Vragen van het lid Smits (CDA) aan de Minister van Verkeer en Fietsen over stallingen (ingezonden 3 februari 2026).",
            "Antwoord van Minister De Vries (Verkeer en Fietsen) (ontvangen 12 maart 2026).",
            "Vraag 1",
            "Kent u het bericht van juli 2025[[fn:5]] over de stalling?",
            "Antwoord 1",
            "Ja, en ook het rapport[[fn:9]].",
            "\f",
            "Vraag 2",
            "Komt er meer plek?",
            "Antwoord 2",
            "Ja.",
        ],
        {"5": "De Stedenkrant, 2 juli 2025.", "9": "Rapport Fietsberaad 2025."},
    )
    letter = parse_bytes(data, "brief.docx")
    assert letter.source_format == "docx"
    assert [b.numbers for b in letter.questions] == [("1",), ("2",)]
    assert letter.questions[0].text == "Kent u het bericht van juli 2025¹ over de stalling?"
    assert letter.answers[0].text == "Ja, en ook het rapport²."
    assert [(f.n, f.text) for f in letter.footnotes] == [
        ("1", "De Stedenkrant, 2 juli 2025."),
        ("2", "Rapport Fietsberaad 2025."),
    ]
    assert letter.answers[1].page_start == 2
    assert letter.date_submitted == date(2026, 2, 3) and letter.date_answered == date(2026, 3, 12)


def test_zip_that_is_not_a_docx_is_unsupported() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hallo")
    assert failure(buf.getvalue(), "archief.docx").code == "unsupported_type"


def test_docx_with_broken_xml_is_unreadable() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document><unclosed>")
    err = failure(buf.getvalue(), "kapot.docx")
    assert err.code == "unreadable" and "word/document.xml" in err.message


# --------------------------------------------------------------------------- PDF layout


@pytest.mark.parametrize("engine", ["pdfplumber", "pypdfium2"])
def test_ministry_pdf_zones_sidebar_footnotes_and_superscripts(engine: str) -> None:
    letter = parse_bytes(make_ministry_pdf(), "brief.pdf", pdf_engine=engine)
    assert letter.source_format == "pdf" and letter.pages == 2
    assert [b.numbers for b in letter.questions] == [("1",), ("2",)]
    assert [b.numbers for b in letter.answers] == [("1",), ("2",)]
    # Superscript markers stay where printed and never merge with the year.
    assert letter.questions[0].text == "Kent u het bericht over volle stallingen in juli 2025¹?"
    assert letter.answers[0].text == (
        "Ja. In juli 2025² is de telling gedaan; zie het rapport over fietsparkeren en de ICT-problematiek."
    )
    assert [(f.n, f.text) for f in letter.footnotes] == [
        ("1", "De Stedenkrant, 1 februari 2026."),
        ("2", "Telling Fietsberaad, juli 2025."),
    ]
    # The sidebar (address, kenmerk, datum) and the footer are furniture, not text...
    everything = " ".join([letter.intro, *(b.text for b in letter.questions + letter.answers), letter.closing or ""])
    assert "Kenmerk" not in everything and "Retouradres" not in everything and "Pagina" not in everything
    # ... but the sidebar date is the letter's date.
    assert letter.date_answered == date(2026, 3, 12)
    assert letter.date_submitted == date(2026, 2, 3)
    assert letter.answered_by == ("A. de Vries, Minister van Verkeer en Fietsen",)
    assert letter.question_set_numbers == ("2026Z01234",)
    assert letter.closing == "Toelichting: Deze vragen volgen op eerdere vragen van het lid Smits."
    assert letter.warnings == ()


# --------------------------------------------------------------------------- failures


def test_missing_file(tmp_path: Path) -> None:
    err = failure(tmp_path / "weg.pdf")
    assert err.code == "missing" and err.path and err.path.endswith("weg.pdf")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leeg.pdf"
    path.write_bytes(b"")
    assert failure(path).code == "empty"
    assert failure(b"  \n\f ", "wit.txt").code == "empty"


ENGINES = ["pdfplumber", "pypdfium2"]


def engine_failure(data: bytes, name: str, engine: str) -> ParseFailure:
    with pytest.raises(ParseFailure) as info:
        parse_bytes(data, name, pdf_engine=engine)
    return info.value


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_pdf(engine: str) -> None:
    err = engine_failure(make_ministry_pdf(encrypt="geheim"), "versleuteld.pdf", engine)
    assert err.code == "encrypted" and "versleuteld.pdf" in str(err)


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_without_text_layer(engine: str) -> None:
    assert engine_failure(make_image_only_pdf(), "scan.pdf", engine).code == "no_text_layer"


@pytest.mark.parametrize("engine", ENGINES)
def test_truncated_pdf_is_unreadable(engine: str) -> None:
    err = engine_failure(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n", "kapot.pdf", engine)
    assert err.code in ("unreadable", "no_text_layer")
    assert err.path == "kapot.pdf"


def test_unknown_pdf_engine_is_a_caller_error() -> None:
    with pytest.raises(ValueError):
        parse_bytes(make_ministry_pdf(), "brief.pdf", pdf_engine="ocr")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
        (b"{\\rtf1\\ansi Vraag 1}", "RTF"),
        (b"\x00\x01\x02\x03binary" * 20, "binary"),
    ],
)
def test_legacy_and_binary_formats_are_unsupported(data: bytes, what: str) -> None:
    err = failure(data, "oud.docx")
    assert err.code == "unsupported_type"
    assert what in err.message


def test_text_that_is_not_utf8_is_unreadable() -> None:
    err = failure("Vraag 1\nCaf\u00e9?\n".encode("latin-1"), "latin1.txt")
    assert err.code == "unreadable" and "UTF-8" in err.message


def test_block_offsets_point_into_the_extracted_text() -> None:
    from etl.parse import extract_bytes

    data = make_ministry_pdf()
    letter = parse_bytes(data, "brief.pdf")
    ex = extract_bytes(data, "brief.pdf")
    assert ex.source_format == "pdf" and ex.pages == letter.pages == 2
    for block in letter.questions + letter.answers:
        printed = ex.text[block.char_start : block.char_end]
        assert printed.lstrip().startswith(block.label)
        assert block.text.split()[0] in printed
    # Page furniture is in the extracted text, owned by a furniture piece.
    assert any(p.role == "furniture" and "Pagina 1 van 2" in ex.text[p.start : p.end] for p in ex.pieces)
