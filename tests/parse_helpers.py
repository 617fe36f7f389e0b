"""Shared helpers for the parser tests: where the corpus is, and the README's comparison rule."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from etl.models import ParsedLetter
from tests.conftest import find_corpus

_DASHES = re.compile(r"[\s\-‐‑‒–—―]+")


def corpus_dir() -> Path:
    """The real corpus (see ``tests.conftest.find_corpus``); fails loudly when missing."""
    return find_corpus()


def gold_letter(doc_id: str) -> dict[str, Any]:
    return json.loads((corpus_dir() / f"{doc_id}.json").read_text(encoding="utf-8"))


def norm(s: str) -> str:
    """Corpus README rule: NFKC, drop whitespace, hyphens and dashes, case-fold."""
    return _DASHES.sub("", unicodedata.normalize("NFKC", s)).casefold()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()


def compare_to_gold(letter: ParsedLetter, gold: dict[str, Any], threshold: float = 0.95) -> list[str]:
    """Every way ``letter`` differs from the gold labels (empty list = exact match)."""
    problems: list[str] = []
    want_q = [tuple(i["numbers"]) for i in gold["items"]]
    want_a = [tuple(a["answers_questions"]) for a in gold["answers"]]
    got_q = [b.numbers for b in letter.questions]
    got_a = [b.numbers for b in letter.answers]
    if got_q != want_q:
        problems.append(f"question blocks {got_q} != gold {want_q}")
    if got_a != want_a:
        problems.append(f"answer blocks {got_a} != gold {want_a}")
    for g, b in zip(gold["items"], letter.questions):
        r = similarity(g["text"], b.text)
        if r < threshold:
            problems.append(f"question {g['numbers']} text similarity {r:.3f}: {b.text[:200]!r}")
    for g, b in zip(gold["answers"], letter.answers):
        r = similarity(g["text"], b.text)
        if r < threshold:
            problems.append(f"answer {g['answers_questions']} text similarity {r:.3f}: {b.text[:200]!r}")
    want_fn = [f["n"] for f in gold["footnotes"]]
    got_fn = [f.n for f in letter.footnotes]
    if got_fn != want_fn:
        problems.append(f"footnote numbers {got_fn} != gold {want_fn}")
    for g, f in zip(gold["footnotes"], letter.footnotes):
        r = similarity(g["text"], f.text)
        if r < threshold:
            problems.append(f"footnote {g['n']} similarity {r:.3f}: {f.text[:200]!r}")
    for key in ("date_submitted", "date_answered"):
        value = getattr(letter, key)
        got = value.isoformat() if value else None
        if got != gold[key]:
            problems.append(f"{key} {got} != gold {gold[key]}")
    return problems


# --------------------------------------------------------------------------- test documents
# Letters written for the tests, rendered in the layouts the parser must read.

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(paragraphs: list[str], footnotes: dict[str, str]) -> bytes:
    """A minimal DOCX: ``[[fn:ID]]`` in a paragraph becomes a footnote reference; ``\\f`` a page break."""
    import io
    import re as _re
    import zipfile
    from xml.sax.saxutils import escape

    body = []
    for para in paragraphs:
        runs = []
        for part in _re.split(r"(\[\[fn:\w+\]\]|\f)", para):
            if not part:
                continue
            m = _re.match(r"\[\[fn:(\w+)\]\]", part)
            if m:
                runs.append(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{m.group(1)}"/></w:r>')
            elif part == "\f":
                runs.append('<w:r><w:br w:type="page"/></w:r>')
            else:
                runs.append(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
        body.append(f"<w:p>{''.join(runs)}</w:p>")
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{"".join(body)}</w:body></w:document>'
    notes = "".join(
        f'<w:footnote w:id="{fid}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(t)}</w:t></w:r></w:p></w:footnote>'
        for fid, t in footnotes.items()
    )
    footnotes_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f"{notes}</w:footnotes>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document)
        z.writestr("word/footnotes.xml", footnotes_xml)
    return buf.getvalue()


def make_ministry_pdf(encrypt: str | None = None) -> bytes:
    """A two-page ministry answer letter: letterhead, right-hand sidebar with the date, cover
    text, annex with 'Vraag N' / 'Antwoord op vraag N', superscript markers, page-bottom
    footnotes below a rule and a 'Pagina x van y' footer."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    width, height = A4
    body, small = 9.5, 6.5

    def footer(n: int) -> None:
        c.setFont("Helvetica", 7)
        c.drawString(75, 40, f"Pagina {n} van 2")

    def lines(y: float, rows: list[object]) -> float:
        for row in rows:
            if row == "":
                y -= 13
                continue
            x = 75.0
            for chunk in row if isinstance(row, list) else [row]:
                text, sup = (chunk, False) if isinstance(chunk, str) else (chunk[0], True)
                c.setFont("Helvetica", 6 if sup else body)
                c.drawString(x, y + (3.5 if sup else 0), text)
                x += c.stringWidth(text, "Helvetica", 6 if sup else body)
            y -= 13
        return y

    # Page 1: letterhead, sidebar, cover letter, start of the annex.
    c.setFont("Helvetica-Bold", 10)
    c.drawString(75, height - 60, "Ministerie van Verkeer en Fietsen")
    c.setFont("Helvetica", small)
    for i, s in enumerate(["Retouradres Postbus 1 2500 AA Den Haag", "Datum 12 maart 2026", "Kenmerk 2026-0000123", "Uw brief 3 februari 2026"]):
        c.drawString(440, height - 160 - i * 10, s)
    lines(height - 160, [
        "Aan de Voorzitter van de Tweede Kamer",
        "",
        "Hierbij zend ik u mijn antwoorden op de vragen van het lid Smits over",
        "stallingen. U vindt ze in de bijlage; de vragen staan er steeds boven.",
        "Met vriendelijke groet.",
        "",
        "De Minister van Verkeer en Fietsen,",
        "",
        "A. de Vries",
        "",
        "Vragen van het lid Smits (CDA) aan de Minister van Verkeer en Fietsen over",
        "stallingen (ingezonden 3 februari 2026, 2026Z01234)",
        "",
        "Vraag 1",
        ["Kent u het bericht over volle stallingen in juli 2025", ("1",), "?"],
        "",
        "Antwoord op vraag 1",
        ["Ja. In juli 2025", ("2",), " is de telling gedaan; zie het rapport over fiets-"],
        "parkeren en de ICT-",
        "problematiek.",
    ])
    c.setLineWidth(0.4)
    c.line(75, 120, 200, 120)
    c.setFont("Helvetica", 5)
    c.drawString(75, 110, "1")
    c.drawString(75, 100, "2")
    c.setFont("Helvetica", 7)
    c.drawString(80, 108, "De Stedenkrant, 1 februari 2026.")
    c.drawString(80, 98, "Telling Fietsberaad, juli 2025.")
    footer(1)
    c.showPage()
    # Page 2: rest of the annex and the closing.
    c.setFont("Helvetica", small)
    c.drawString(440, height - 80, "Datum 12 maart 2026")
    lines(height - 80, [
        "Vraag 2",
        "Komen er meer plekken?",
        "",
        "Antwoord op vraag 2",
        "Ja, in 2027 komen er 2000 plekken bij.",
        "",
        "Toelichting:",
        "Deze vragen volgen op eerdere vragen van het lid Smits.",
    ])
    footer(2)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_image_only_pdf() -> bytes:
    """A PDF whose page holds only drawn shapes (like a scan): no text layer."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def typographic_ministry_pdf(letter_id: str = "ah-tk-20252026-38") -> tuple[bytes, dict[str, Any]]:
    """A sample ministry letter (ours, ``etl/sample/letters``) drawn by the sample generator with
    typography-only labels (class g): questions in bold without 'Vraag N', each answer in
    regular weight right after it, no 'Antwoord' printed. Returns the PDF and the letter's gold."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "scripts" / "make_sample.py"
    gen = sys.modules.get("make_sample")
    if gen is None:
        spec = importlib.util.spec_from_file_location("make_sample", path)
        assert spec and spec.loader
        gen = importlib.util.module_from_spec(spec)
        sys.modules["make_sample"] = gen  # dataclasses look their module up by name
        spec.loader.exec_module(gen)
    letter = gen.load_letters()[letter_id]
    assert letter["layout"] == "ministry_letter"
    zaken = letter["tk"]["zaken"]
    return gen.render_ministry_letter(letter, zaken, typographic=True), letter
