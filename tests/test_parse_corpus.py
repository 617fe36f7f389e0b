"""Accuracy on the real letters of ../shared/corpus: exact blocks, texts ≥ 0.95, footnotes, dates.

The corpus is read at test time and never copied into the repository. A missing corpus is a
failure, not a skip.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from etl.parse import parse_file, parse_text
from tests.parse_helpers import compare_to_gold, corpus_dir, gold_letter, norm

pytestmark = pytest.mark.corpus

# The ids are listed here (not globbed) so a missing corpus fails each test instead of
# breaking collection of the whole suite.
GOLD_IDS = [
    "seed",
    "ah-tk-20142015-698",
    "ah-tk-20232024-1076",
    "ah-tk-20232024-1193",
    "ah-tk-20232024-1292",
    "ah-tk-20232024-1771",
    "ah-tk-20232024-1949",
    "ah-tk-20232024-2168",
    "ah-tk-20232024-878",
    "ah-tk-20232024-909",
]
LABELLED_PDFS = [
    "ah-tk-20142015-698",
    "ah-tk-20232024-1076",
    "ah-tk-20232024-1292",
    "ah-tk-20232024-1771",
    "ah-tk-20232024-1949",
    "ah-tk-20232024-2168",
    "ah-tk-20232024-878",
]
# Unlabelled PDFs, checked by eye against the printed page: (questions, answers, footnotes).
UNLABELLED_PDFS = {
    "ah-tk-20232024-1432": (6, 6, 3),
    "ah-tk-20232024-1893": (7, 7, 1),
    "ah-tk-20232024-2395": (5, 5, 2),
}


# Issue 11 f: one addressee per office. The gold of 1076 keeps the printed plural phrase
# ("Ministers van A en van B") as one; the parser splits it, so the expectation is spelled out.
SPLIT_ADDRESSEES = {
    "ah-tk-20232024-1076": [
        "Minister van Binnenlandse Zaken en Koninkrijksrelaties",
        "Minister van Justitie en Veiligheid",
    ],
}


def gold_addressees(gold: dict) -> list[str]:
    return SPLIT_ADDRESSEES.get(gold["id"], gold["addressees"])


def nfc(names: "tuple[str, ...] | list[str]") -> list[str]:
    """Names compared as canonical Unicode ('ş' composed or as s + combining cedilla)."""
    return [unicodedata.normalize("NFC", n) for n in names]


def test_corpus_is_present_with_ten_letters_and_ten_pdfs() -> None:
    root = corpus_dir()
    assert sorted(p.stem for p in root.glob("*.json")) == sorted(GOLD_IDS)
    assert len(list((root / "pdf").glob("*.pdf"))) == 10


@pytest.mark.parametrize("doc_id", GOLD_IDS)
def test_source_text_parses_exactly_like_gold(doc_id: str) -> None:
    gold = gold_letter(doc_id)
    letter = parse_text(gold["source_text"])
    assert compare_to_gold(letter, gold) == []


ENGINES = ["pdfplumber", "pypdfium2"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("doc_id", LABELLED_PDFS)
def test_real_pdf_parses_exactly_like_gold(doc_id: str, engine: str) -> None:
    gold = gold_letter(doc_id)
    letter = parse_file(corpus_dir() / "pdf" / f"{doc_id}.pdf", pdf_engine=engine)
    assert letter.source_format == "pdf"
    assert compare_to_gold(letter, gold) == []


@pytest.mark.parametrize("doc_id", LABELLED_PDFS)
def test_real_pdf_metadata_matches_gold(doc_id: str) -> None:
    gold = gold_letter(doc_id)
    letter = parse_file(corpus_dir() / "pdf" / f"{doc_id}.pdf")
    assert list(letter.askers) == gold["askers"]
    assert list(letter.addressees) == gold_addressees(gold)
    assert nfc(letter.answered_by) == nfc(gold["answered_by"])
    assert letter.title == gold["title"]
    assert letter.closing == gold["closing"]


@pytest.mark.parametrize("doc_id", GOLD_IDS)
def test_source_text_metadata_matches_gold(doc_id: str) -> None:
    gold = gold_letter(doc_id)
    letter = parse_text(gold["source_text"])
    assert list(letter.askers) == gold["askers"]
    assert list(letter.addressees) == gold_addressees(gold)
    assert nfc(letter.answered_by) == nfc(gold["answered_by"])
    assert norm(letter.closing or "") == norm(gold["closing"] or "")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("doc_id", sorted(UNLABELLED_PDFS))
def test_unlabelled_pdf_has_sane_structure(doc_id: str, engine: str) -> None:
    letter = parse_file(corpus_dir() / "pdf" / f"{doc_id}.pdf", pdf_engine=engine)
    n_q, n_a, n_fn = UNLABELLED_PDFS[doc_id]
    assert [b.numbers for b in letter.questions] == [(str(i),) for i in range(1, n_q + 1)]
    assert [b.numbers for b in letter.answers] == [(str(i),) for i in range(1, n_a + 1)]
    assert [f.n for f in letter.footnotes] == [str(i) for i in range(1, n_fn + 1)]
    assert letter.warnings == ()
    assert letter.date_submitted and letter.date_answered and letter.date_submitted < letter.date_answered
    assert all(b.text for b in letter.questions + letter.answers)
    # Page furniture never leaks into a block.
    for b in letter.questions + letter.answers:
        assert "ISSN" not in b.text and "vergaderjaar" not in b.text and "ah-tk-" not in b.text


@pytest.mark.parametrize("doc_id", LABELLED_PDFS + sorted(UNLABELLED_PDFS))
def test_pdf_footnote_markers_are_superscripts_not_digits(doc_id: str) -> None:
    """'ziekenhuisnota»»?¹, ²' — a marker never glues to a number as a plain digit."""
    letter = parse_file(corpus_dir() / "pdf" / f"{doc_id}.pdf")
    text = " ".join(b.text for b in letter.questions + letter.answers)
    markers = [ch for ch in text if ch in "¹²³⁴⁵⁶⁷⁸⁹⁰"]
    if letter.footnotes:
        assert markers, "footnotes printed but no superscript marker found in the body"
    assert "ISSN" not in text


@pytest.mark.parametrize("doc_id", LABELLED_PDFS[:3])
def test_pdf_blocks_carry_provenance(doc_id: str) -> None:
    letter = parse_file(corpus_dir() / "pdf" / f"{doc_id}.pdf")
    assert letter.parser_version and letter.pages >= 2
    for b in letter.questions + letter.answers:
        assert b.page_start is not None and b.page_end is not None
        assert 1 <= b.page_start <= b.page_end <= letter.pages
        assert b.char_start is not None and b.char_end is not None and b.char_start < b.char_end
    starts = [b.char_start for b in sorted(letter.questions + letter.answers, key=lambda b: b.char_start or 0)]
    assert starts == sorted(set(starts))


@pytest.mark.parametrize("doc_id", LABELLED_PDFS[:2] + sorted(UNLABELLED_PDFS)[:1])
def test_pdf_extracted_text_is_fully_accounted_for(doc_id: str) -> None:
    """Every character the PDF reader extracts is owned by intro, a block, a footnote,
    the closing or removed furniture — and furniture holds the running footer."""
    from etl.parse.pdf import read_pdf
    from etl.parse.structure import assemble

    ex = read_pdf((corpus_dir() / "pdf" / f"{doc_id}.pdf").read_bytes(), doc_id)
    spans = assemble(ex.text, ex.pieces).spans
    pos = 0
    for s in spans:
        assert s.start == pos
        pos = s.end
    assert pos == len(ex.text)
    furniture = "".join(ex.text[s.start : s.end] for s in spans if s.owner == "furniture")
    assert "ISSN" in furniture and "vergaderjaar" in furniture and doc_id in furniture


@pytest.mark.parametrize("doc_id", LABELLED_PDFS + sorted(UNLABELLED_PDFS))
def test_pypdfium2_reads_the_same_pieces_as_pdfplumber(doc_id: str) -> None:
    """The fast reader is only trusted because it extracts the same text with the same roles
    (bullets pdfminer cannot map, '(cid:129)', are read as '•' like pdfium does)."""
    from etl.parse.pdf import read_pdf

    data = (corpus_dir() / "pdf" / f"{doc_id}.pdf").read_bytes()
    a = read_pdf(data, doc_id, "pdfplumber")
    b = read_pdf(data, doc_id, "pypdfium2")
    rows_a = [(p.page, p.role, a.text[p.start : p.end]) for p in a.pieces]
    rows_b = [(p.page, p.role, b.text[p.start : p.end]) for p in b.pieces]
    assert rows_a == rows_b


@pytest.mark.parametrize(
    ("doc_id", "answer", "refers_to"),
    [
        ("ah-tk-20232024-2168", ("10",), ("2", "6", "8")),
        ("ah-tk-20232024-1292", ("8",), ("7",)),
        ("ah-tk-20232024-878", ("5",), ("3",)),
        ("ah-tk-20232024-1193", ("4",), ("2",)),
    ],
)
def test_cross_references_in_real_letters(doc_id: str, answer: tuple, refers_to: tuple) -> None:
    letter = parse_text(gold_letter(doc_id)["source_text"])
    block = next(a for a in letter.answers if a.numbers == answer)
    assert block.refers_to == refers_to


def test_seed_question_set_number_and_closing() -> None:
    letter = parse_text(gold_letter("seed")["source_text"])
    assert letter.question_set_numbers == ("2025Z20557",)
    assert letter.closing is not None and letter.closing.startswith("Toelichting:")
    assert letter.date_answered is None  # the seed's extracted text carries no letter date


_URL = re.compile(r"(?:https?://|www\.)\S*")


@pytest.mark.parametrize("engine", ENGINES)
def test_wrapped_footnote_urls_in_real_pdfs_are_whole(engine: str) -> None:
    """Issue 11 b: every URL in a footnote of the real PDFs runs unbroken to its closing
    bracket or the end of the note, and a hyphen at a wrap inside a URL is kept."""
    urls = []
    for pdf in sorted((corpus_dir() / "pdf").glob("*.pdf")):
        for note in parse_file(pdf, pdf_engine=engine).footnotes:
            for m in _URL.finditer(note.text):
                urls.append(m.group(0))
                rest = note.text[m.end():]
                assert rest == "" or rest[0] == " " and not rest.strip()[:1].islower(), (pdf.name, note.text)
                assert not m.group(0).endswith("://"), (pdf.name, note.text)
    assert len(urls) >= 8
    assert any("woonwijken-ligt" in u for u in urls)  # the example named in the issue
