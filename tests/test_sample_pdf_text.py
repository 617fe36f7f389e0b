"""What a text extractor reads from the sample files matches what we wrote."""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from etl.sample import SAMPLE_API_DIR, load_letters

# Eight words in a row: long enough that set phrases ("aan de Minister van Justitie en
# Veiligheid") do not count, short enough to catch any copied sentence.
SHINGLE = 8
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def _norm(text: str) -> str:
    """NFKC (a superscript marker equals its digit), then no whitespace: line wrapping is free."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _opening(text: str, words: int = 6) -> str:
    plain = re.sub("[⁰¹²³⁴⁵⁶⁷⁸⁹]", "", text)
    return _norm(" ".join(plain.split()[:words]))


def _files() -> dict[str, Path]:
    versions = json.loads((SAMPLE_API_DIR / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    return {v["ExterneIdentifier"]: SAMPLE_API_DIR / "resources" / f"{v['Document_Id']}{v['Extensie']}"
            for v in versions}


@pytest.fixture(scope="module")
def pdf_pages() -> dict[str, list[Any]]:
    """Per publication id: (text, chars) of each page, read once."""
    out: dict[str, list[Any]] = {}
    for pub_id, path in _files().items():
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                out[pub_id] = [(p.extract_text() or "", list(p.chars)) for p in pdf.pages]
    return out


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_every_authored_question_and_answer_opens_in_the_served_file(pdf_pages: dict[str, list[Any]]) -> None:
    files = _files()
    checked = 0
    for lid, letter in load_letters().items():
        if files[lid].suffix == ".pdf":
            text = _norm(" ".join(t for t, _ in pdf_pages[lid]))
        else:
            text = _norm(_docx_text(files[lid]))
        for block in letter["items"] + letter["answers"]:
            assert _norm(block["label"]) in text, (lid, block["label"])
            assert _opening(block["text"]) in text, (lid, block["label"], _opening(block["text"]))
            checked += 1
        for para in (letter["intro"] or "").split("\n\n"):
            assert _opening(para, 8) in text, (lid, para[:60])
        if letter["closing"]:
            assert _norm(letter["closing"]) in text, (lid, "closing")
    assert checked >= 70


def test_aanhangsel_text_starts_with_the_masthead_the_intro_records(pdf_pages: dict[str, list[Any]]) -> None:
    for lid, letter in load_letters().items():
        if letter["layout"] not in ("aanhangsel", "delay_notice", "questions"):
            continue
        first_page = _norm(pdf_pages[lid][0][0])
        masthead = _norm(letter["intro"].split("\n\n")[0])
        assert first_page.startswith(masthead), (lid, first_page[:80])


def test_footnotes_are_printed_in_small_type_at_the_bottom_of_the_page_of_their_marker(
        pdf_pages: dict[str, list[Any]]) -> None:
    checked = 0
    for lid, letter in load_letters().items():
        if lid not in pdf_pages:
            continue
        for fn in letter["footnotes"]:
            start = fn["text"][:30]
            hits = []
            for text, chars in pdf_pages[lid]:
                stream = "".join(c["text"] for c in chars)
                at = stream.find(start)
                if at >= 0:
                    hits.append((chars, chars[at:at + len(start)]))
            assert len(hits) == 1, f"{lid}: footnote {fn['n']} printed {len(hits)} times"
            chars, note = hits[0]
            assert {round(c["size"], 1) for c in note} == {6.5}, (lid, fn["n"])
            body = [c for c in chars if round(c["size"], 1) == 9.0]
            assert min(c["top"] for c in note) > max(c["top"] for c in body), f"{lid}: footnote {fn['n']} not at bottom"
            markers = [c for c in chars if c["text"] == fn["n"] and 5 < c["size"] < 9 and c["top"] < note[0]["top"] - 20]
            assert markers, f"{lid}: superscript marker {fn['n']} not on the page of its footnote"
            checked += 1
    assert checked >= 15


def test_ministry_letter_has_a_cover_page_with_sidebar_before_the_annex(pdf_pages: dict[str, list[Any]]) -> None:
    letter = load_letters()["ah-tk-20252026-38"]
    cover, _ = pdf_pages["ah-tk-20252026-38"][0]
    for furniture in ("Ministerie", "Ons kenmerk", "Uw kenmerk", "Datum 2 oktober 2025", "Betreft", "Pagina 1 van"):
        assert furniture in cover
    assert "Vraag 1" not in cover
    annex = " ".join(t for t, _ in pdf_pages["ah-tk-20252026-38"][1:])
    assert "Vraag 1" in annex and "Antwoord op vraag 6" in annex
    _, chars = pdf_pages["ah-tk-20252026-38"][0]
    sidebar = [c for c in chars if c["x0"] > 450 and c["top"] < 400]
    body = [c for c in chars if c["x1"] < 430 and c["top"] > 280]
    assert sidebar and body and min(c["x0"] for c in sidebar) > max(c["x1"] for c in body)
    assert letter["tk"]["ons_kenmerk"] in cover


def test_running_footer_numbers_every_page(pdf_pages: dict[str, list[Any]]) -> None:
    for lid, pages in pdf_pages.items():
        for number, (text, _) in enumerate(pages, start=1):
            last = text.strip().splitlines()[-1]
            assert last.endswith(str(number)) or f"Pagina {number} van {len(pages)}" in text, (lid, number, last)


@pytest.mark.corpus
def test_sample_text_copies_no_sentence_from_the_real_corpus() -> None:
    import os

    corpus = Path(os.environ.get("KAMERSPOOR_CORPUS", CORPUS))
    files = sorted(corpus.glob("*.json"))
    assert files, f"corpus not found at {corpus}: set KAMERSPOOR_CORPUS or check out ../shared"
    # Question and answer texts and footnotes: the sentences we wrote (headings are formulaic).
    ours = " ".join(b["text"] for l in load_letters().values()
                    for b in l["items"] + l["answers"] + l["footnotes"])
    ours_words = " ".join(re.sub(r"[^\w]+", " ", ours.lower()).split())
    for path in files:
        words = re.sub(r"[^\w]+", " ", json.loads(path.read_text(encoding="utf-8"))["source_text"].lower()).split()
        for i in range(len(words) - SHINGLE + 1):
            shingle = " ".join(words[i:i + SHINGLE])
            assert shingle not in ours_words, f"{path.name}: copied phrase {shingle!r}"


def test_an_answer_runs_over_a_page_break_with_footnotes_in_between(pdf_pages: dict[str, list[Any]]) -> None:
    answer = _norm(load_letters()["ah-tk-20252026-1322"]["answers"][1]["text"])
    page1, page2 = (t.splitlines() for t, _ in pdf_pages["ah-tk-20252026-1322"][:2])
    footnote_at = next(i for i, line in enumerate(page1) if line.startswith("1 Aanhangsel Handelingen"))
    assert _norm(page1[footnote_at - 1]) in answer  # the answer's text just above the footnotes
    assert _norm(page2[0]) in answer  # ... and it goes on at the top of the next page
