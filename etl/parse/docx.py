"""DOCX input with the standard library: paragraphs → lines, footnotes → footnote lines.

No python-docx: a .docx is a zip holding ``word/document.xml`` (WordprocessingML). Headers
and footers live in other parts and are simply not read, so DOCX has no page furniture.
"""

from __future__ import annotations

import io
import zipfile
import xml.etree.ElementTree as ET

from etl.models import ParseFailure
from etl.parse.clean import superscript
from etl.parse.limits import DEFAULT_LIMITS, Limits, check_zip
from etl.parse.lines import Piece

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(z: zipfile.ZipFile, name: str, path: str) -> ET.Element | None:
    try:
        raw = z.read(name)
    except KeyError:
        return None
    try:
        return ET.fromstring(raw)
    except ET.ParseError as e:
        raise ParseFailure("unreadable", f"broken XML in {name}: {e}", path) from e


def _is_bold(p: ET.Element) -> bool:
    """Every run with visible text is bold (w:b in its run properties, not switched off)."""
    runs = [r for r in p.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{W}rPr/{W}b")
        if b is None or b.get(W + "val", "true") in ("0", "false", "off"):
            return False
    return True


def _paragraph(p: ET.Element, marks: dict[str, str], order: list[str]) -> tuple[list[str], int]:
    """Text lines of one paragraph and how many page breaks follow it."""
    lines = [""]
    breaks = 0
    for el in p.iter():
        tag = el.tag
        if tag == W + "t" and el.text:
            lines[-1] += el.text
        elif tag == W + "tab":
            lines[-1] += "\t"
        elif tag in (W + "noBreakHyphen",):
            lines[-1] += "-"
        elif tag == W + "br":
            if el.get(W + "type") == "page":
                breaks += 1
            else:
                lines.append("")
        elif tag == W + "footnoteReference":
            fid = el.get(W + "id", "")
            if fid not in marks:
                order.append(fid)
                marks[fid] = str(len(order))
            lines[-1] += superscript(marks[fid])
    return lines, breaks


def read_docx(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str, list[Piece], int]:
    """Extracted text, its pieces with roles, and the page count."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ParseFailure("unreadable", f"not a readable DOCX (zip): {e}", path) from e
    with z:
        check_zip(z, path, limits)
        doc = _xml(z, "word/document.xml", path)
        if doc is None:
            raise ParseFailure("unsupported_type", "zip without word/document.xml is not a DOCX", path)
        notes_root = _xml(z, "word/footnotes.xml", path)
    body = doc.find(W + "body")
    marks: dict[str, str] = {}
    order: list[str] = []
    parts: list[str] = []
    pieces: list[Piece] = []
    page = 1
    pos = 0
    fn_pages: dict[str, int] = {}

    def emit(s: str, role: str, pg: int, end: str = "\n", bold: bool = False) -> None:
        nonlocal pos
        s = s.replace("\n", " ").replace("\f", " ")
        parts.append(s + end)
        pieces.append(Piece(pos, pos + len(s) + len(end), pg, role, bold))  # type: ignore[arg-type]
        pos += len(s) + len(end)

    paragraphs = [p for p in (body.iter(W + "p") if body is not None else [])]
    for p in paragraphs:
        before = len(order)
        lines, breaks = _paragraph(p, marks, order)
        for fid in order[before:]:
            fn_pages[fid] = page
        bold = _is_bold(p)
        for ln in lines:
            emit(ln, "body", page, bold=bold and bool(ln.strip()))
        if any(ln.strip() for ln in lines):
            emit("", "body", page)  # blank line: keeps the paragraph break
        for _ in range(breaks):
            emit("", "body", page, "\f")
            page += 1
    notes: dict[str, str] = {}
    if notes_root is not None:
        for fn in notes_root.iter(W + "footnote"):
            if fn.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            texts = []
            for p in fn.iter(W + "p"):
                t = "".join(
                    (el.text or "") if el.tag == W + "t" else ("\t" if el.tag == W + "tab" else "")
                    for el in p.iter()
                )
                texts.append(t.strip())
            notes[fn.get(W + "id", "")] = " ".join(t for t in texts if t)
    for fid in order:
        if fid in notes:
            emit(f"{superscript(marks[fid])} {notes[fid]}", "footnote", fn_pages.get(fid, page))
    return "".join(parts), pieces, page
