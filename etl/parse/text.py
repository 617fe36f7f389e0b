"""Plain text input: UTF-8, pages split by form feeds."""

from __future__ import annotations

from etl.models import ParseFailure


def decode_text(data: bytes, name: str) -> str:
    """Bytes → str; a BOM is dropped, UTF-16 with BOM accepted, invalid UTF-8 is an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ParseFailure("unreadable", f"invalid UTF-16 text: {e}", name) from e
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ParseFailure("unreadable", f"not UTF-8 text (byte {e.start}): {e.reason}", name) from e
