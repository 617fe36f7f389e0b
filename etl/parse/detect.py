"""File type from the bytes, never from the extension: the parser's name for the one detector."""

from __future__ import annotations

from etl.filetype import detect_type as sniff

__all__ = ["sniff"]
