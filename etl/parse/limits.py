"""Caps on what one file may cost to parse, checked before the expensive work starts.

A hostile or broken file must fail fast with one line (``ParseFailure("too_large", …)``)
instead of taking minutes or gigabytes: too many bytes, pages or characters, a PDF whose
compressed streams inflate to far more than the file, a DOCX whose zip entries are huge or
compressed suspiciously well. Limits that cannot be checked up front (a parser that loops or
allocates without end) are the worker's job: ``etl.parse.workers`` runs each file under a
memory limit and a wall-clock limit.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

from etl.models import ParseFailure

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-file parse caps (``Settings.parse_max_*``); the defaults are far above any real
    answer letter (the longest in the corpus has a few pages and ~20,000 characters)."""

    max_bytes: int = 50 * MB  # the file as stored
    max_pages: int = 500
    max_chars: int = 2_000_000  # characters read from a PDF, or text/DOCX characters
    max_stream_bytes: int = 200 * MB  # all of a PDF's streams, inflated
    max_zip_entry_bytes: int = 64 * MB  # one DOCX part, uncompressed
    max_zip_ratio: int = 200  # uncompressed / compressed size of one DOCX part


DEFAULT_LIMITS = Limits()


def limits_of(settings) -> Limits:  # type: ignore[no-untyped-def]
    """The caps a ``Settings`` asks for (``parse_max_bytes``, ``_pages``, ``_chars``)."""
    return Limits(max_bytes=settings.parse_max_bytes, max_pages=settings.parse_max_pages, max_chars=settings.parse_max_chars)


def _too_large(name: str, what: str) -> ParseFailure:
    return ParseFailure("too_large", what, name)


def check_bytes(data: bytes, name: str, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise _too_large(name, f"file of {len(data) / MB:.1f} MiB exceeds the parse cap of {limits.max_bytes / MB:.0f} MiB")


def check_chars(count: int, name: str, limits: Limits, what: str = "text") -> None:
    if count > limits.max_chars:
        raise _too_large(name, f"{what} holds more than {limits.max_chars:,} characters (the parse cap)")


def check_pages(count: int, name: str, limits: Limits) -> None:
    if count > limits.max_pages:
        raise _too_large(name, f"PDF has {count:,} pages, more than the parse cap of {limits.max_pages:,}")


_STREAM = re.compile(rb"stream\r?\n")
_PROBE = 16 * 1024  # compressed bytes looked at per stream
_SUSPICIOUS = 50  # inflation ratio above which a stream is inflated in full (text ~ 5:1)


def _zlib_at(data: bytes, i: int) -> bool:
    return i + 1 < len(data) and data[i] & 0x0F == 8 and (data[i] * 256 + data[i + 1]) % 31 == 0


def check_pdf_streams(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a PDF whose zlib streams inflate to more than ``max_stream_bytes`` (a
    decompression bomb) before pdfium tries to hold them in memory.

    Each stream's first 16 KB are inflated; only a stream that inflates more than 50:1 is
    inflated to its end, in 1 MB pieces that are counted and dropped, so an ordinary letter
    costs well under a millisecond and a bomb is found without the memory it asks for."""
    total = 0
    cap = limits.max_stream_bytes
    for m in _STREAM.finditer(data):
        start = m.end()
        if not _zlib_at(data, start):
            continue
        d = zlib.decompressobj()
        try:
            out = len(d.decompress(data[start : start + _PROBE], _PROBE * _SUSPICIOUS))
            total += out
            if out < _PROBE * _SUSPICIOUS and not d.unconsumed_tail:
                continue  # an ordinary stream (or its end): counted, no need to go on
            pos = start + _PROBE
            while total <= cap and not d.eof:
                tail = d.unconsumed_tail
                chunk = tail if tail else data[pos : pos + _PROBE]
                if not tail:
                    if pos >= len(data):
                        break
                    pos += _PROBE
                total += len(d.decompress(chunk, MB))
        except zlib.error:
            continue  # damaged or not zlib after all: pdfium decides
        if total > cap:
            raise _too_large(name, f"PDF streams inflate to more than {cap / MB:.0f} MiB (a decompression bomb?)")


def check_zip(z: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse a DOCX whose parts are huge or compressed suspiciously well, before reading."""
    total = 0
    for info in z.infolist():
        total += info.file_size
        if info.file_size > limits.max_zip_entry_bytes:
            raise _too_large(
                name,
                f"DOCX part {info.filename} is {info.file_size / MB:.0f} MiB uncompressed, "
                f"more than the cap of {limits.max_zip_entry_bytes / MB:.0f} MiB",
            )
        if info.file_size > MB and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise _too_large(
                name,
                f"DOCX part {info.filename} compresses {info.file_size // max(info.compress_size, 1):,}:1 "
                f"(more than {limits.max_zip_ratio}:1; a zip bomb?)",
            )
    if total > limits.max_zip_entry_bytes * 4:
        raise _too_large(name, f"DOCX parts add up to {total / MB:.0f} MiB uncompressed")
