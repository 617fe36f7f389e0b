"""File type from the bytes, never from the extension."""

from __future__ import annotations

import io
import zipfile


def sniff(data: bytes) -> str:
    """'pdf' | 'docx' | 'doc' | 'rtf' | 'zip' | 'html' | 'txt' | 'binary'."""
    head = data[:1024].lstrip()
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "doc"
    if head[:5] == b"{\\rtf":
        return "rtf"
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "txt"
