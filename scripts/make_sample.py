"""Regenerate the bundled sample fixture ``etl/sample/api/`` from the authored letters.

Why a script: the sample letters are ours (``etl/sample/letters/*.json`` and
``etl/sample/sets.json``), and the files the replay serves must follow from them, byte for byte,
on every machine. So PDFs are written by reportlab with embedded Vera fonts, ``invariant=1``
and no compression (zlib builds differ between machines), and the DOCX is a stored (not
deflated) zip with fixed timestamps. GUIDs are uuid5 of stable keys.

Usage::

    .venv/bin/python scripts/make_sample.py              # rewrites etl/sample/api/
    .venv/bin/python scripts/make_sample.py --out /tmp/x # writes elsewhere (tests do this)

Each document also gets its KOOP XML twin, ``api/koop/<publication id>.xml``, which the replay
serves at KOOP's paths; parsing it must give what parsing the PDF/DOCX gives (parity).

reportlab is a dev dependency; nothing at run time imports this script.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import sys
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "etl" / "sample"
LETTERS_DIR = SAMPLE_DIR / "letters"
SETS_FILE = SAMPLE_DIR / "sets.json"
DEFAULT_OUT = SAMPLE_DIR / "api"

# The committed PDFs were written with this reportlab; another release may lay out the same
# content in different bytes (the reproducibility test then compares text instead).
REPORTLAB_VERSION = "5.1.0"
NAMESPACE = uuid.UUID("6b1f3c2e-8a1d-5d7e-9c41-2f0b7a3e5d10")  # fixed: ids never change
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LAYOUTS = ("ministry_letter", "aanhangsel", "docx", "delay_notice", "questions")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPER_RE = re.compile(f"[{SUPERSCRIPTS}]+")
AH_SUBTITLE = "Vragen van Kamerleden met de antwoorden van de regering"


class SampleError(ValueError):
    """An authored file is inconsistent; the message names the file and the field."""


def markers(text: str) -> list[str]:
    """The footnote numbers printed in a text as superscript digits ('¹²' -> '12')."""
    return [m.translate(str.maketrans(SUPERSCRIPTS, "0123456789")) for m in SUPER_RE.findall(text)]


# --------------------------------------------------------------------------- ids and dates


def guid(kind: str, key: str) -> str:
    """A stable GUID for an entity, so regenerating never changes ids."""
    return str(uuid.uuid5(NAMESPACE, f"kamerspoor-sample/{kind}/{key}"))


def _last_sunday(year: int, month: int) -> date:
    d = date(year, month, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def dutch_offset(local: datetime) -> str:
    """'+02:00' in Dutch summer time, else '+01:00' (EU rule; no tz database needed)."""
    start = datetime.combine(_last_sunday(local.year, 3), datetime.min.time()) + timedelta(hours=2)
    end = datetime.combine(_last_sunday(local.year, 10), datetime.min.time()) + timedelta(hours=3)
    return "+02:00" if start <= local < end else "+01:00"


def nl_iso(local: datetime) -> str:
    """A Dutch local time with its offset, as the API prints DateTimeOffset values."""
    return local.strftime("%Y-%m-%dT%H:%M:%S") + dutch_offset(local)


def utc_iso(local: datetime) -> str:
    """The same instant in UTC with 'Z', as the API prints ApiGewijzigdOp."""
    hours = int(dutch_offset(local)[1:3])
    return (local - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def vergaderjaar(d: date) -> str:
    """Session year: it starts on Prinsjesdag, the third Tuesday of September."""
    first = date(d.year, 9, 1)
    prinsjesdag = first + timedelta(days=(1 - first.weekday()) % 7 + 14)
    start = d.year if d >= prinsjesdag else d.year - 1
    return f"{start}-{start + 1}"


def dutch_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _spread(key: str, lo: int, hi: int) -> int:
    """A deterministic number in [lo, hi) from a key, for plausible clock times."""
    return lo + uuid.uuid5(NAMESPACE, key).int % (hi - lo)


# --------------------------------------------------------------------------- authored input


def load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SampleError(f"{path}: cannot read JSON: {exc}") from exc


def load_letters() -> dict[str, dict[str, Any]]:
    letters = {p.stem: load_json(p) for p in sorted(LETTERS_DIR.glob("*.json"))}
    for lid, letter in letters.items():
        validate_letter(lid, letter)
    return letters


def validate_letter(lid: str, letter: dict[str, Any]) -> None:
    """Fail early, naming the letter and field, when authored content is inconsistent."""
    where = f"letters/{lid}.json"
    if letter.get("id") != lid:
        raise SampleError(f"{where}: 'id' must be {lid!r}")
    if letter.get("layout") not in LAYOUTS:
        raise SampleError(f"{where}: 'layout' must be one of {LAYOUTS}")
    items, answers = letter.get("items", []), letter.get("answers", [])
    if letter["layout"] in ("ministry_letter", "aanhangsel", "docx"):
        if len(items) != len(answers):
            raise SampleError(f"{where}: {len(items)} items but {len(answers)} answers")
        for item, answer in zip(items, answers):
            if item["numbers"] != answer["answers_questions"]:
                raise SampleError(f"{where}: answer {answer['label']!r} does not follow {item['label']!r}")
    elif answers:
        raise SampleError(f"{where}: layout {letter['layout']} has no answers")
    for item in items:
        parts = item.get("parts")
        if parts is not None and " ".join(parts) != item["text"]:
            raise SampleError(f"{where}: {item['label']!r}: 'text' must be the 'parts' joined by spaces")
    notes = {fn["n"] for fn in letter.get("footnotes", [])}
    used: set[str] = set()
    for text in [letter.get("intro") or "", letter.get("closing") or ""] + [b["text"] for b in items + answers]:
        used.update(markers(text))
    if used != notes:
        raise SampleError(f"{where}: footnote markers {sorted(used)} but footnotes {sorted(notes)}")


def expected_masthead(letter: dict[str, Any]) -> str | None:
    """The masthead text the layout prints, which the intro's first paragraph must repeat."""
    tk, layout = letter["tk"], letter["layout"]
    if layout in ("aanhangsel", "delay_notice"):
        vj = vergaderjaar(date.fromisoformat(tk["datum"])).replace("-", "–")
        number = int(tk["aanhangselnummer"][4:])
        return (f"Tweede Kamer der Staten-Generaal 2 Vergaderjaar {vj} Aanhangsel van de Handelingen "
                f"{AH_SUBTITLE} {number}")
    if layout == "questions":
        vj = vergaderjaar(date.fromisoformat(letter["date_submitted"])).replace("-", "–")
        return f"Tweede Kamer der Staten-Generaal Vergaderjaar {vj} Schriftelijke vragen {tk['zaken'][0]}"
    return None


def intro_paragraphs(letter: dict[str, Any]) -> list[str]:
    """The intro without the masthead (which the page furniture draws)."""
    paras = (letter.get("intro") or "").split("\n\n")
    masthead = expected_masthead(letter)
    if masthead is not None:
        if paras[0] != masthead:
            raise SampleError(f"letters/{letter['id']}.json: intro must start with {masthead!r}")
        paras = paras[1:]
    return paras


def questions_letter(zaak: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """The 'Schriftelijke vragen' document of a set, derived from the letter that repeats it.

    Grouped blocks ('Vragen 2 en 3') are split again into their questions, as submitted.
    """
    if source["layout"] == "questions":
        return source
    heading = source["title"]
    if "(ingezonden" not in heading:
        heading = f"{heading} (ingezonden {dutch_date(date.fromisoformat(zaak['gestart_op']))})."
    items: list[dict[str, Any]] = []
    for item in source["items"]:
        texts = item.get("parts") or [item["text"]]
        for number, text in zip(item["numbers"], texts, strict=True):
            items.append({"number": number, "numbers": [number], "label": f"Vraag {number}", "text": text})
    used = {n for text in [it["text"] for it in items] + [source.get("closing") or ""] for n in markers(text)}
    letter = {
        "id": f"kv-tk-{zaak['nummer']}",
        "layout": "questions",
        "tk": {"zaken": [zaak["nummer"]]},
        "title": heading,
        "date_submitted": zaak["gestart_op"],
        "footnotes": [fn for fn in source["footnotes"] if fn["n"] in used],
        "closing": source.get("closing"),  # a 'Toelichting' belongs to the questions
        "items": items,
        "answers": [],
    }
    letter["intro"] = f"{expected_masthead(letter)}\n\n{heading}"
    return letter


# --------------------------------------------------------------------------- PDF


def _fonts() -> None:
    """Register reportlab's bundled Vera family (embedded, so text extraction is exact)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf"),
                       ("Vera-Italic", "VeraIt.ttf"), ("Vera-BoldItalic", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, file))
    addMapping("Vera", 0, 0, "Vera")
    addMapping("Vera", 1, 0, "Vera-Bold")
    addMapping("Vera", 0, 1, "Vera-Italic")
    addMapping("Vera", 1, 1, "Vera-BoldItalic")


def markup(text: str) -> str:
    """Authored text → reportlab markup; superscript markers become footnote references.

    Each marker also carries an ``onDraw`` callback, so the page knows which footnotes
    it must print at its bottom (that works even when a paragraph splits over pages).
    """
    out: list[str] = []
    pos = 0
    for m in SUPER_RE.finditer(text):
        out.append(escape(text[pos:m.start()]))
        n = markers(m.group())[0]
        out.append(f'<super rise="2.5" size="5.8">{n}</super><onDraw name="fn" label="{n}"/>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


@dataclass
class Geometry:
    """Page size, the text column and the furniture painters of one layout."""

    width: float
    height: float
    col_x: float
    col_w: float
    first_top: float
    top: float
    bottom: float  # frame bottom; the footnote block lives below it
    fn_floor: float  # lowest baseline area of the footnote block
    first_page: Callable[[Any, int], None]
    later_page: Callable[[Any, int], None]


@dataclass
class _Run:
    """Footnote bookkeeping of one layout pass: markers seen on this page, notes printed."""

    footnotes: dict[str, str]
    pending: list[str] = field(default_factory=list)
    printed: set[str] = field(default_factory=set)


def build_pdf(flowables_fn: Callable[[], list[Any]], geo: Geometry, footnotes: dict[str, str],
              title: str) -> tuple[bytes, int]:
    """Lay out the flowables; return the PDF bytes and the page count.

    Footnotes are drawn in ``onPageEnd`` (``onPage`` runs before the flowables, so only at the
    end of a page is it known which markers landed on it).
    """
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    _fonts()
    fn_style = ParagraphStyle("fn", fontName="Vera", fontSize=6.5, leading=8, leftIndent=9, firstLineIndent=-9)
    run = _Run(footnotes=footnotes)
    buf = io.BytesIO()

    def begin(canv: Any, doc: Any) -> None:
        run.pending = []
        canv.setNamedCB("fn", lambda c, kind, label: _mark(run, label))
        (geo.first_page if doc.page == 1 else geo.later_page)(canv, doc.page)

    def end(canv: Any, doc: Any) -> None:
        if not run.pending:
            return
        paras = [Paragraph(f"<super>{n}</super> {escape(run.footnotes[n])}", fn_style) for n in run.pending]
        heights = [p.wrap(geo.col_w, geo.height)[1] for p in paras]
        top = geo.fn_floor + sum(heights) + 2 * (len(paras) - 1) + 8
        if top > geo.bottom - 4:
            raise SampleError(f"{title}: footnotes on page {doc.page} do not fit below the text")
        canv.setLineWidth(0.4)
        canv.line(geo.col_x, top, geo.col_x + 56, top)
        y = top - 6
        for p, h in zip(paras, heights):
            p.drawOn(canv, geo.col_x, y - h)
            y -= h + 2

    doc = BaseDocTemplate(buf, pagesize=(geo.width, geo.height), invariant=1, pageCompression=0,
                          title=title, author="kamerspoor sample (fictional)", creator="kamerspoor",
                          subject="", keywords="", leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0)
    pad = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    first = Frame(geo.col_x, geo.bottom, geo.col_w, geo.first_top - geo.bottom, id="first", **pad)
    later = Frame(geo.col_x, geo.bottom, geo.col_w, geo.top - geo.bottom, id="later", **pad)
    doc.addPageTemplates([
        PageTemplate(id="first", frames=[first], onPage=begin, onPageEnd=end, autoNextPageTemplate="later"),
        PageTemplate(id="later", frames=[later], onPage=begin, onPageEnd=end),
    ])
    doc.build(flowables_fn())
    missing = set(footnotes) - run.printed
    if missing:
        raise SampleError(f"{title}: footnotes {sorted(missing)} were never referenced on a page")
    return buf.getvalue(), doc.page


def _mark(run: _Run, label: str) -> None:
    if label not in run.printed:
        run.printed.add(label)
        run.pending.append(label)


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    _fonts()
    body = ParagraphStyle("body", fontName="Vera", fontSize=9, leading=11.6)
    return {
        "body": body,
        "label": ParagraphStyle("label", parent=body, spaceBefore=8),
        "label_bold": ParagraphStyle("label_bold", parent=body, fontName="Vera-Bold", spaceBefore=9),
        "intro": ParagraphStyle("intro", parent=body, spaceAfter=6),
        "heading": ParagraphStyle("heading", parent=body, fontName="Vera-Bold", spaceAfter=4),
        "question_bold": ParagraphStyle("question_bold", parent=body, fontName="Vera-Bold", spaceBefore=9),
        "answer_first": ParagraphStyle("answer_first", parent=body, spaceBefore=3),
        "cover": ParagraphStyle("cover", parent=body, fontSize=9.5, leading=13, spaceAfter=10),
    }


def _qa_flowables(letter: dict[str, Any], label_style: str, typographic: bool = False) -> list[Any]:
    """Questions and answers under their printed labels; ``typographic``: no labels at all, a
    question set in bold and its answer in regular weight after it (layout class g)."""
    from reportlab.platypus import CondPageBreak, Paragraph

    st = _styles()
    out: list[Any] = []
    answers = letter.get("answers", [])
    # A label never ends a page (at least two text lines follow it), but a text may run on
    # to the next page, as in real letters: answers that straddle a page break with the
    # footnotes of the first page printed in between.
    keep = CondPageBreak(4 * st["body"].leading)
    for i, item in enumerate(letter.get("items", [])):
        if typographic:
            parts = item.get("parts") or [item["text"]]
            out += [keep] + [Paragraph(markup(p), st["question_bold"]) for p in parts]
            if i < len(answers):
                paras = answers[i]["text"].split("\n\n")
                out += [Paragraph(markup(p), st["answer_first" if k == 0 else "body"]) for k, p in enumerate(paras)]
            continue
        out += [keep, Paragraph(escape(item["label"]), st[label_style])]
        for part in item.get("parts") or [item["text"]]:
            out.append(Paragraph(markup(part), st["body"]))
        if i < len(answers):
            out += [keep, Paragraph(escape(answers[i]["label"]), st[label_style])]
            for para in answers[i]["text"].split("\n\n"):
                out.append(Paragraph(markup(para), st["body"]))
    if letter.get("closing"):
        out.append(Paragraph(markup(letter["closing"]), st["label"]))
    return out


def render_handelingen(letter: dict[str, Any]) -> bytes:
    """Aanhangsel van de Handelingen layout (also used for delay notices and question documents).

    Masthead on page 1, the text in a right-hand column, publication id / ISSN / place in the
    left margin of page 1, a running footer with the page number, footnotes at page bottom.
    """
    from reportlab.platypus import Paragraph

    tk, layout = letter["tk"], letter["layout"]
    is_questions = layout == "questions"
    day = date.fromisoformat(letter["date_submitted"] if is_questions else tk["datum"])
    vj = vergaderjaar(day).replace("-", "–")
    pub_id = letter["id"]
    number = tk["zaken"][0] if is_questions else str(int(tk["aanhangselnummer"][4:]))
    kind = "Schriftelijke vragen" if is_questions else "Aanhangsel"
    W, H = 558.4, 771.0
    col_x, col_w, right = 198.0, 324.0, 522.0

    def footer(canv: Any, page: int) -> None:
        canv.setFont("Vera", 8)
        canv.drawString(col_x, 40, f"Tweede Kamer, vergaderjaar {vj}, {kind}")
        canv.drawRightString(right, 40, str(page))

    def first(canv: Any, page: int) -> None:
        canv.setFont("Vera-Bold", 17)
        canv.drawString(36, H - 62, "Tweede Kamer der Staten-Generaal")
        if not is_questions:
            # Baseline low enough that text extraction reads the title first, then the "2".
            canv.setFont("Vera-Bold", 30)
            canv.drawRightString(right, H - 85, "2")
        canv.setLineWidth(0.5)
        canv.line(36, H - 96, right, H - 96)
        canv.setFont("Vera", 8)
        canv.drawString(36, H - 110, f"Vergaderjaar {vj}")
        canv.setFont("Vera-Bold", 9.5)
        canv.drawString(col_x, H - 110, "Schriftelijke vragen" if is_questions else "Aanhangsel van de Handelingen")
        canv.line(36, H - 142, right, H - 142)
        if not is_questions:
            canv.setFont("Vera-Bold", 8.5)
            canv.drawString(col_x, H - 160, AH_SUBTITLE)
        canv.setFont("Vera-Bold", 14)
        canv.drawString(col_x, H - 236, number)
        canv.setFont("Vera", 5)
        canv.drawString(36, 53, pub_id)
        if not is_questions:
            canv.drawString(36, 47, "ISSN 0921 - 7398")
        canv.drawString(36, 41, f"’s-Gravenhage {day.year}")
        footer(canv, page)

    geo = Geometry(W, H, col_x, col_w, first_top=H - 256, top=H - 50, bottom=150, fn_floor=60,
                   first_page=first, later_page=footer)
    st = _styles()

    def flowables() -> list[Any]:
        out: list[Any] = [Paragraph(markup(p), st["intro"]) for p in intro_paragraphs(letter)]
        out += _qa_flowables(letter, "label")
        return out

    notes = {fn["n"]: fn["text"] for fn in letter.get("footnotes", [])}
    return build_pdf(flowables, geo, notes, pub_id)[0]


def render_ministry_letter(letter: dict[str, Any], zaak_numbers: list[str], typographic: bool = False) -> bytes:
    """A ministry letter: cover page with masthead, address block and right-hand sidebar
    (sender, kenmerken), then the annex with the questions and answers (``typographic``: the
    annex without labels, questions in bold; the tests draw it, the sample does not hold it)."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph
    from reportlab.lib.styles import ParagraphStyle

    tk = letter["tk"]
    day = date.fromisoformat(tk["datum"])
    W, H = 595.27, 841.89
    col_x, col_w, side_x, side_w = 78.0, 340.0, 460.0, 112.0
    side_style = ParagraphStyle("side", fontName="Vera", fontSize=6.5, leading=8.4)
    side_bold = ParagraphStyle("sideb", parent=side_style, fontName="Vera-Bold")
    holder = {"total": 0}  # page total for "Pagina N van M", filled after a first pass

    def sidebar(canv: Any, rows: list[tuple[str, bool]], top: float) -> None:
        y = top
        for text, bold in rows:
            if not text:
                y -= 8.4
                continue
            p = Paragraph(escape(text), side_bold if bold else side_style)
            _, h = p.wrap(side_w, H)
            p.drawOn(canv, side_x, y - h)
            y -= h

    def logo(canv: Any) -> None:
        canv.setFillColor(HexColor("#154273"))
        canv.rect(W / 2 - 12, H - 92, 24, 92, stroke=0, fill=1)
        canv.setFillColor(HexColor("#000000"))
        canv.setFont("Vera", 10)
        name = tk["ministerie"].split(" van ", 1)
        canv.drawString(W / 2 + 18, H - 70, name[0])
        canv.drawString(W / 2 + 18, H - 82, f"van {name[1]}" if len(name) > 1 else "")

    def page_no(canv: Any, page: int) -> None:
        canv.setFont("Vera", 6.5)
        total = holder["total"]
        canv.drawString(side_x, 40, f"Pagina {page} van {total}" if total else f"Pagina {page}")

    def first(canv: Any, page: int) -> None:
        logo(canv)
        canv.setFont("Vera", 6)
        canv.drawString(col_x, H - 150, "> Retouradres Postbus 20301 2500 EH  Den Haag")
        canv.setFont("Vera", 9.5)
        for i, line in enumerate(("Aan de Voorzitter van de Tweede Kamer", "der Staten-Generaal",
                                  "Postbus 20018", "2500 EA  DEN HAAG")):
            canv.drawString(col_x, H - 172 - 12.5 * i, line)
        canv.setFont("Vera", 7)
        canv.drawString(col_x, H - 262, "Datum")
        canv.drawString(col_x, H - 276, "Betreft")
        canv.setFont("Vera", 9.5)
        canv.drawString(col_x + 50, H - 262, dutch_date(day))
        bp = Paragraph(escape(tk["betreft"]), ParagraphStyle("betreft", fontName="Vera", fontSize=9.5, leading=12))
        _, h = bp.wrap(col_w - 50, H)
        bp.drawOn(canv, col_x + 50, H - 276 - h + 9.5)
        rows: list[tuple[str, bool]] = [(tk["afzender"][0], True)]
        rows += [(r, False) for r in tk["afzender"][1:]]
        rows += [("", False), ("Turfmarkt 147", False), ("2511 DP  Den Haag", False),
                 ("Postbus 20301", False), ("2500 EH  Den Haag", False),
                 ("www.rijksoverheid.nl/jenv", False), ("", False),
                 ("Ons kenmerk", True), (tk["ons_kenmerk"], False), ("", False),
                 ("Uw kenmerk", True), (", ".join(zaak_numbers), False), ("", False),
                 ("Bijlagen", True), ("1", False)]
        sidebar(canv, rows, H - 140)
        page_no(canv, page)

    def later(canv: Any, page: int) -> None:
        logo(canv)
        rows = [(tk["afzender"][0], True), ("", False), ("Datum", True), (dutch_date(day), False),
                ("", False), ("Ons kenmerk", True), (tk["ons_kenmerk"], False)]
        sidebar(canv, rows, H - 140)
        page_no(canv, page)

    geo = Geometry(W, H, col_x, col_w, first_top=H - 320, top=H - 140, bottom=150, fn_floor=60,
                   first_page=first, later_page=later)
    st = _styles()
    paras = letter["intro"].split("\n\n")
    cover, heading = paras[:-1], paras[-1]

    def flowables() -> list[Any]:
        out: list[Any] = [Paragraph(markup(p), st["cover"]) for p in cover]
        out += [NextPageTemplate("later"), PageBreak(), Paragraph(markup(heading), st["heading"])]
        out += _qa_flowables(letter, "label_bold", typographic)
        return out

    notes = {fn["n"]: fn["text"] for fn in letter.get("footnotes", [])}

    # "Pagina N van M": the total is known only after a first layout pass.
    _, holder["total"] = build_pdf(flowables, geo, notes, letter["id"])
    data, pages = build_pdf(flowables, geo, notes, letter["id"])
    if pages != holder["total"]:
        raise SampleError(f"{letter['id']}: page count changed between layout passes")
    return data


# --------------------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _runs(text: str, bold: bool = False) -> str:
    """Runs of a paragraph; a superscript marker becomes a real footnote reference."""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    out: list[str] = []
    pos = 0
    for m in SUPER_RE.finditer(text):
        if m.start() > pos:
            out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text[pos:m.start()])}</w:t></w:r>')
        n = markers(m.group())[0]
        out.append(f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{n}"/></w:r>')
        pos = m.end()
    if pos < len(text):
        out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text[pos:])}</w:t></w:r>')
    return "".join(out)


def _para(text: str, bold: bool = False, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{_runs(text, bold)}</w:p>"


def render_docx(letter: dict[str, Any]) -> bytes:
    """The answer as a Word file, OOXML written by hand (stdlib only), with word/footnotes.xml."""
    body: list[str] = [_para(p) for p in (letter.get("intro") or "").split("\n\n")]
    for item, answer in zip(letter["items"], letter["answers"]):
        body.append(_para(item["label"], bold=True, style="Label"))
        body += [_para(p) for p in item.get("parts") or [item["text"]]]
        body.append(_para(answer["label"], bold=True, style="Label"))
        body += [_para(p) for p in answer["text"].split("\n\n")]
    if letter.get("closing"):
        body.append(_para(letter["closing"]))
    document = (XML_HEAD + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>' + "".join(body)
                + '<w:sectPr><w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr>'
                '<w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" '
                'w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>')
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for fn in letter["footnotes"]:
        notes.append(
            f'<w:footnote w:id="{fn["n"]}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(fn["text"])}</w:t></w:r></w:p></w:footnote>')
    footnotes = XML_HEAD + f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + "".join(notes) + "</w:footnotes>"
    styles = (XML_HEAD + f'<w:styles xmlns:w="{W_NS}">'
              '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Verdana" w:hAnsi="Verdana"/>'
              '<w:sz w:val="18"/><w:lang w:val="nl-NL"/></w:rPr></w:rPrDefault></w:docDefaults>'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
              '<w:pPr><w:spacing w:after="120"/></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Label"><w:name w:val="Label"/><w:basedOn w:val="Normal"/>'
              '<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
              '<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="14"/></w:rPr></w:style>'
              '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
              '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>')
    settings = (XML_HEAD + f'<w:settings xmlns:w="{W_NS}"><w:footnotePr><w:footnote w:id="-1"/>'
                '<w:footnote w:id="0"/></w:footnotePr></w:settings>')
    content_types = (
        XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>")
    rels = (XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            "</Relationships>")
    doc_rels = (XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
                '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                "</Relationships>")
    stamp = f"{letter['tk']['datum']}T00:00:00Z"
    core = (XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(letter['tk']['onderwerp'])}</dc:title><dc:creator>kamerspoor sample (fictional)</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", rels), ("docProps/core.xml", core),
             ("word/document.xml", document), ("word/_rels/document.xml.rels", doc_rels),
             ("word/styles.xml", styles), ("word/settings.xml", settings), ("word/footnotes.xml", footnotes)]
    d = date.fromisoformat(letter["tk"]["datum"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(d.year, d.month, d.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED  # deflate output differs between zlib builds
            info.create_system = 0
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


# --------------------------------------------------------------------------- fixture


def render(letter: dict[str, Any], zaak_numbers: list[str]) -> tuple[bytes, str, str]:
    """(bytes, extension, content type) of one letter in its layout."""
    layout = letter["layout"]
    if layout == "docx":
        return render_docx(letter), ".docx", DOCX_TYPE
    if layout == "ministry_letter":
        return render_ministry_letter(letter, zaak_numbers), ".pdf", PDF_TYPE
    return render_handelingen(letter), ".pdf", PDF_TYPE


# --------------------------------------------------------------------------- KOOP XML twin


def _koop_inline(text: str, notes: dict[str, str]) -> str:
    """Escaped text with each printed superscript marker as a KOOP `noot` holding its footnote."""
    out, pos = [], 0
    for m in SUPER_RE.finditer(text):
        out.append(escape(text[pos:m.start()]))
        n = m.group(0).translate(str.maketrans(SUPERSCRIPTS, "0123456789"))
        body = escape(notes.get(n, ""))
        out.append(f'<noot id="n{n}" type="voet"><noot.nr>{n}</noot.nr><noot.al>{body}</noot.al></noot>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _koop_dated(text: str, word: str, iso: str | None) -> str:
    """'… (ingezonden 2 oktober 2030).' with the date marked up as `datum isodatum`."""
    if not iso:
        return escape(text)
    printed = dutch_date(date.fromisoformat(iso))
    head, sep, tail = text.partition(f"({word} {printed}")
    if not sep:
        return escape(text)
    return f'{escape(head)}({word} <datum isodatum="{iso}">{escape(printed)}</datum>{escape(tail)}'


def render_koop_xml(letter: dict[str, Any]) -> bytes:
    """The letter as KOOP publishes it on officielebekendmakingen.nl: `vraag`/`antwoord` with `nr`
    and `al`, inline `noot` footnotes, the heading with `datum isodatum` (element names only)."""
    notes = {fn["n"]: fn["text"] for fn in letter["footnotes"]}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<officiele-publicatie>", "  <kamervragen>"]
    title = letter.get("title")
    if title:
        if "(ingezonden" not in title and letter.get("date_submitted"):
            title = f"{title} (ingezonden {dutch_date(date.fromisoformat(letter['date_submitted']))})."
        lines.append(f'    <kamervraagomschrijving type="vraag">{_koop_dated(title, "ingezonden", letter.get("date_submitted"))}'
                     "</kamervraagomschrijving>")
    if letter.get("answered_by") and letter.get("date_answered"):
        word = "Mededeling" if letter["layout"] == "delay_notice" else "Antwoord"
        printed = dutch_date(date.fromisoformat(letter["date_answered"]))
        heading = f"{word} van {'; '.join(letter['answered_by'])} (ontvangen {printed})."
        lines.append(f'    <kamervraagomschrijving type="antwoord">'
                     f'{_koop_dated(heading, "ontvangen", letter["date_answered"])}</kamervraagomschrijving>')

    def block(tag: str, label: str, text: str) -> None:
        lines.append(f"    <{tag}>")
        lines.append(f'      <nr status="officieel">{escape(label)}</nr>')
        for para in text.split("\n\n"):
            lines.append(f"      <al>{_koop_inline(para, notes)}</al>")
        lines.append(f"    </{tag}>")

    answers = list(letter["answers"])
    for item in letter["items"]:
        block("vraag", item["label"], item["text"])
        while answers and set(answers[0]["answers_questions"]) <= set(item["numbers"]):
            a = answers.pop(0)
            block("antwoord", a["label"], a["text"])
    for a in answers:
        block("antwoord", a["label"], a["text"])
    if letter.get("closing"):
        lines.append(f"    <al>{_koop_inline(letter['closing'], notes)}</al>")
    lines += ["  </kamervragen>", "</officiele-publicatie>", ""]
    return "\n".join(lines).encode("utf-8")


def koop_twins(sets: list[dict[str, Any]], letters: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """`<publication id>.xml` → the XML twin of every document the fixture holds."""
    out: dict[str, bytes] = {}
    for z in sets:
        q = questions_letter(z, letters[z["questions_document"]["from_letter"]])
        out[f"{q['id']}.xml"] = render_koop_xml(q)
        for lid in z["letters"]:
            out[f"{lid}.xml"] = render_koop_xml(letters[lid])
    return dict(sorted(out.items()))


def _stamp(day: date, key: str) -> datetime:
    """A plausible registration moment on a day (office hours), stable per key."""
    return datetime(day.year, day.month, day.day, _spread(key + "/h", 9, 17), _spread(key + "/m", 0, 60),
                    _spread(key + "/s", 0, 60))


def build_fixture(sets: list[dict[str, Any]], letters: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """All entity sets (v5 field names) and the resource files, keyed by file name."""
    zaken: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    links: list[dict[str, str]] = []
    files: dict[str, bytes] = {}
    zaak_ids = {z["nummer"]: guid("Zaak", z["nummer"]) for z in sets}
    doc_changed: dict[str, datetime] = {}

    def add_document(letter: dict[str, Any], soort: str, nummer: str, datum: date, onderwerp: str,
                     zaak_numbers: list[str], aanhangselnummer: str | None, kenmerk: str | None) -> None:
        data, ext, ctype = render(letter, zaak_numbers)
        doc_id = guid("Document", nummer)
        ver_id = guid("DocumentVersie", nummer)
        changed = _stamp(datum, nummer)
        doc_changed[doc_id] = changed
        files[f"{doc_id}{ext}"] = data
        documents.append({
            "Id": doc_id, "Nummer": nummer, "Soort": soort, "Titel": None, "Onderwerp": onderwerp,
            "Datum": nl_iso(datetime.combine(datum, datetime.min.time())),
            "Vergaderjaar": vergaderjaar(datum), "Kamer": 2, "Ondernummer": None,
            "Aanhangselnummer": aanhangselnummer, "KenmerkAfzender": kenmerk, "Organisatie": "Tweede Kamer",
            "ContentType": ctype, "ContentLength": len(data), "HuidigeDocumentVersie_Id": ver_id,
            "GewijzigdOp": nl_iso(changed), "ApiGewijzigdOp": utc_iso(changed + timedelta(minutes=4)),
            "Verwijderd": False,
        })
        versions.append({
            "Id": ver_id, "Document_Id": doc_id, "Status": "Definitief", "Versienummer": 1,
            "Bestandsgrootte": len(data), "Extensie": ext, "Datum": nl_iso(datetime.combine(datum, datetime.min.time())),
            "ExterneIdentifier": letter["id"], "GewijzigdOp": nl_iso(changed),
            "ApiGewijzigdOp": utc_iso(changed + timedelta(minutes=4)), "Verwijderd": False,
        })
        for zn in zaak_numbers:
            if zn not in zaak_ids:
                raise SampleError(f"letters/{letter['id']}.json: tk.zaken names unknown set {zn!r}")
            links.append({"Zaak_Id": zaak_ids[zn], "Document_Id": doc_id})

    done: set[str] = set()
    for z in sets:
        zid, started = zaak_ids[z["nummer"]], date.fromisoformat(z["gestart_op"])
        qd = z["questions_document"]
        source = letters.get(qd["from_letter"])
        if source is None:
            raise SampleError(f"sets.json: {z['nummer']}: questions_document.from_letter {qd['from_letter']!r} not found")
        qletter = questions_letter(z, source)
        add_document(qletter, "Schriftelijke vragen", qd["nummer"], date.fromisoformat(qd["datum"]), z["onderwerp"],
                     [z["nummer"]], None, None)
        done.add(qletter["id"])
        for lid in z["letters"]:
            letter = letters.get(lid)
            if letter is None:
                raise SampleError(f"sets.json: {z['nummer']}: letter {lid!r} not found in letters/")
            if z["nummer"] not in letter["tk"]["zaken"]:
                raise SampleError(f"letters/{lid}.json: tk.zaken does not name {z['nummer']}")
            if lid in done:
                continue
            done.add(lid)
            tk = letter["tk"]
            add_document(letter, tk["soort"], tk["document_nummer"], date.fromisoformat(tk["datum"]),
                         tk["onderwerp"], tk["zaken"], tk["aanhangselnummer"], tk.get("ons_kenmerk"))
        for t in z["tombstones"]:
            doc_id = guid("Document", t["key"])
            deleted_local = datetime.fromisoformat(t["datum_verwijderd"]).replace(tzinfo=None)
            documents.append({
                "Id": doc_id, "Nummer": None, "Soort": None, "Titel": None, "Onderwerp": None, "Datum": None,
                "Vergaderjaar": None, "Kamer": None, "Ondernummer": None, "Aanhangselnummer": None,
                "KenmerkAfzender": None, "Organisatie": None, "ContentType": None, "ContentLength": None,
                "HuidigeDocumentVersie_Id": None, "GewijzigdOp": None,
                "ApiGewijzigdOp": utc_iso(deleted_local), "Verwijderd": True,
            })
            links.append({"Zaak_Id": zid, "Document_Id": doc_id})
        mine = [doc_changed[l["Document_Id"]] for l in links if l["Zaak_Id"] == zid and l["Document_Id"] in doc_changed]
        changed = max(mine)
        zaken.append({
            "Id": zid, "Nummer": z["nummer"], "Soort": "Schriftelijke vragen", "Titel": None,
            "Onderwerp": z["onderwerp"], "GestartOp": nl_iso(datetime.combine(started, datetime.min.time())),
            "Vergaderjaar": vergaderjaar(started), "Organisatie": "Tweede Kamer",
            "Afgedaan": any(letters[l]["tk"]["soort"].startswith("Antwoord") for l in z["letters"]),
            "GewijzigdOp": nl_iso(changed), "ApiGewijzigdOp": utc_iso(changed + timedelta(minutes=5)),
            "Verwijderd": False,
        })
        for i, a in enumerate(z["actors"]):
            moment = _stamp(started, f"{z['nummer']}/actor")
            actors.append({
                "Id": guid("ZaakActor", f"{z['nummer']}/{i}"), "Zaak_Id": zid, "ActorNaam": a["naam"],
                "ActorFractie": a["fractie"], "ActorAfkorting": None, "Functie": a["functie"],
                "Relatie": a["relatie"], "GewijzigdOp": nl_iso(moment),
                "ApiGewijzigdOp": utc_iso(moment + timedelta(minutes=4)), "Verwijderd": False,
            })
    unused = set(letters) - done
    if unused:
        raise SampleError(f"letters/ holds letters no set uses: {sorted(unused)}")
    documents.sort(key=lambda d: (d["Datum"] or "9999", d["Nummer"] or "", d["Id"]))
    versions.sort(key=lambda v: (v["Datum"], v["Id"]))
    entities = {
        "Zaak.json": {"value": zaken},
        "Document.json": {"value": documents},
        "ZaakActor.json": {"value": actors},
        "DocumentVersie.json": {"value": versions},
        "ZaakDocument.json": links,
    }
    return entities, files


def write_fixture(out: Path, entities: dict[str, Any], files: dict[str, bytes],
                  koop: dict[str, bytes] | None = None) -> None:
    """Replace the fixture in ``out``: the entity files, resources/ and koop/ (XML twins), nothing else."""
    out.mkdir(parents=True, exist_ok=True)
    res = out / "resources"
    if res.exists():
        shutil.rmtree(res)
    res.mkdir()
    if koop is not None:
        twins = out / "koop"
        if twins.exists():
            shutil.rmtree(twins)
        twins.mkdir()
        for name, data in koop.items():
            (twins / name).write_bytes(data)
    for name, value in entities.items():
        (out / name).write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name, data in sorted(files.items()):
        (res / name).write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fixture directory to (re)write")
    args = parser.parse_args(argv)
    try:
        sets = load_json(SETS_FILE)["sets"]
        letters = load_letters()
        entities, files = build_fixture(sets, letters)
        koop = koop_twins(sets, letters)
    except SampleError as exc:
        print(f"make_sample: {exc}", file=sys.stderr)
        return 1
    write_fixture(args.out, entities, files, koop)
    import reportlab

    if reportlab.Version != REPORTLAB_VERSION:
        print(f"make_sample: note: reportlab {reportlab.Version}, the committed fixture was made with "
              f"{REPORTLAB_VERSION}; update REPORTLAB_VERSION when you commit these files", file=sys.stderr)
    print(f"wrote {len(entities['Zaak.json']['value'])} question sets, "
          f"{len(entities['Document.json']['value'])} documents, {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
