"""The one file-type detector: what a file is, read from its bytes.

Never from a declared Content-Type or an extension (#174: Word served as PDF). The store
records it with every file version; the parser dispatches on it.
"""

from __future__ import annotations

import io
import zipfile

#: Every answer :func:`detect_type` gives.
FILE_TYPES = ("pdf", "docx", "zip", "doc", "rtf", "html", "txt", "binary")

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def detect_type(data: bytes) -> str:
    """One of :data:`FILE_TYPES`.

    "html" is typically a server's error page; "zip" an archive that is not a DOCX (or a
    broken one); "binary" bytes with NULs that are none of the others; everything else is
    "txt" (its encoding is the text reader's business).
    """
    head = data[:1024]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head:  # readers accept junk before the header within the first KiB
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    lowered = stripped[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        lowered.startswith(b"<") and b"<html" in lowered
    ):
        return "html"
    if b"\x00" in data[:4096] and not data.startswith(_UTF16_BOMS):
        return "binary"
    return "txt"
