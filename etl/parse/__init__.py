"""Letter parser: a PDF, DOCX, KOOP XML or text file → :class:`etl.models.ParsedLetter`.

Three readers produce the same thing — the extracted text plus pieces with a role (body,
footnote, furniture) — and one structure stage turns that into blocks, footnotes and metadata.
The file type is decided from the bytes. Unreadable input raises
:class:`etl.models.ParseFailure`; everything else becomes warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from etl.config import PDF_ENGINES, Settings
from etl.models import ParsedLetter, ParseFailure
from etl.parse.detect import sniff
from etl.parse.letter import build_letter
from etl.parse.limits import DEFAULT_LIMITS, Limits, check_bytes, check_chars, check_pdf_streams
from etl.parse.lines import Piece, classify_text
from etl.versions import version_of

PARSER_VERSION = version_of("parser")  # recorded with a hash of the sources: etl/versions.py
PDF_ENGINE = Settings.pdf_engine  # the default is set in etl.config, the one place

__all__ = ["PARSER_VERSION", "PDF_ENGINE", "Extraction", "Limits", "extract_bytes", "parse_bytes", "parse_file", "parse_text"]


def parse_text(text: str, source_format: str = "txt") -> ParsedLetter:
    """Structure of plain text (pages split by form feeds). Never raises on any str."""
    return build_letter(text, classify_text(text), source_format, PARSER_VERSION)


@dataclass(frozen=True)
class Extraction:
    """The parser's extracted text (what ``Block.char_start``/``char_end`` index) and the
    pieces that tile it, each with its role (body, footnote, furniture)."""

    text: str
    pieces: tuple[Piece, ...]
    source_format: str
    pages: int


def extract_bytes(data: bytes, name: str, *, pdf_engine: str = PDF_ENGINE, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """The extracted text of a letter, exactly as ``parse_bytes`` sees it (for provenance:
    ``text[block.char_start:block.char_end]`` is the printed block)."""
    if pdf_engine not in PDF_ENGINES:
        raise ValueError(f"unknown pdf_engine {pdf_engine!r}")
    try:
        return _extract(data, name, pdf_engine, limits)
    except ParseFailure:
        raise
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as e:  # a reader bug must not escape as anything but a ParseFailure
        raise ParseFailure("unreadable", f"could not read file: {type(e).__name__}: {e}", name) from e


def parse_bytes(data: bytes, name: str, *, pdf_engine: str = PDF_ENGINE, limits: Limits = DEFAULT_LIMITS) -> ParsedLetter:
    """Parse a letter given as bytes; ``name`` is used in messages only.

    ``pdf_engine`` picks who reads PDF characters: "pypdfium2" (default, pdfium's text APIs)
    or "pdfplumber" (the reference; a parity test proves the same output on every PDF we hold).
    ``limits`` caps what one file may cost (``etl.parse.limits``).
    KOOP XML (``<officiele-publicatie>``) is read by its own reader (``etl.parse.koop``).
    """
    from etl.parse.koop import looks_like_koop, read_koop

    if looks_like_koop(data):
        check_bytes(data, name, limits)
        try:
            return read_koop(data, name, PARSER_VERSION)
        except ParseFailure:
            raise
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception as e:  # a reader bug must not escape as anything but a ParseFailure
            raise ParseFailure("unreadable", f"could not read KOOP XML: {type(e).__name__}: {e}", name) from e
    ex = extract_bytes(data, name, pdf_engine=pdf_engine, limits=limits)
    try:
        return build_letter(ex.text, list(ex.pieces), ex.source_format, PARSER_VERSION, pages=ex.pages)
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as e:  # the structure stage is total on text; this is a last guard
        raise ParseFailure("unreadable", f"could not structure letter: {type(e).__name__}: {e}", name) from e


def _extract(data: bytes, name: str, pdf_engine: str, limits: Limits) -> Extraction:
    if not data or not data.strip():
        raise ParseFailure("empty", "file is empty", name)
    check_bytes(data, name, limits)
    kind = sniff(data)
    if kind == "pdf":
        from etl.parse.pdf import read_pdf

        check_pdf_streams(data, name, limits)
        pdf = read_pdf(data, name, pdf_engine, limits)
        return _checked(pdf.text, pdf.pieces, "pdf", pdf.pages, name)
    if kind == "docx":
        from etl.parse.docx import read_docx

        text, pieces, pages = read_docx(data, name, limits)
        return _checked(text, pieces, "docx", pages, name)
    if kind in ("doc", "rtf", "zip", "html", "binary"):
        what = {
            "doc": "legacy Word .doc (OLE2) bytes",
            "rtf": "RTF bytes",
            "zip": "a zip archive that is not a DOCX",
            "html": "HTML",
            "binary": "binary data that is not PDF or DOCX",
        }[kind]
        raise ParseFailure("unsupported_type", f"unsupported file type: {what}; convert to PDF, DOCX or text", name)
    from etl.parse.text import decode_text

    text = decode_text(data, name)
    check_chars(len(text), name, limits)
    if not text.strip():
        raise ParseFailure("empty", "text file holds only whitespace", name)
    return Extraction(text, tuple(classify_text(text)), "txt", text.count("\f") + 1)


def _checked(text: str, pieces: list[Piece], fmt: str, pages: int, name: str) -> Extraction:
    if not text.strip():
        code = "no_text_layer" if fmt == "pdf" else "empty"
        msg = "PDF has no text layer (scanned image?)" if fmt == "pdf" else "document holds no text"
        raise ParseFailure(code, msg, name)
    return Extraction(text, tuple(pieces), fmt, pages)


def parse_file(path: str | Path, *, pdf_engine: str = PDF_ENGINE, limits: Limits = DEFAULT_LIMITS) -> ParsedLetter:
    """Parse the letter at ``path`` (type sniffed from its bytes)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as e:
        raise ParseFailure("missing", "file does not exist", str(p)) from e
    except IsADirectoryError as e:
        raise ParseFailure("unreadable", "path is a directory", str(p)) from e
    except OSError as e:
        raise ParseFailure("unreadable", f"cannot read file: {e.strerror or e}", str(p)) from e
    return parse_bytes(data, str(p), pdf_engine=pdf_engine, limits=limits)
