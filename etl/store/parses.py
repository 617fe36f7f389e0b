"""The parse cache: one parse outcome per (file sha256, parser version), as JSON.

Layout: ``parses/<parser version>/<sha256>.json``. A new parser version starts an empty
directory, so every file is parsed again with it and old results stay for comparison.

Beside the payloads, ``parses/<parser version>/outcomes.jsonl`` holds one line per stored
payload: its failure (if any) and its number of warnings. A run that finds every file parsed
reads that one file instead of every payload (~0.2 ms each). The log is only a shortcut: a
line lost or torn by a crash is skipped, and the payload is read instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from etl.store.atomic import atomic_write_json, file_stamp

OUTCOMES = "outcomes.jsonl"


@dataclass(frozen=True)
class ParseOutcome:
    """What a cached parse came to, without its content: a failure (code, message) or the
    number of warnings of a parsed letter."""

    failure: tuple[str, str] | None = None
    warnings: int = 0


def outcome_of(payload: dict[str, Any]) -> ParseOutcome:
    """The outcome of a cached payload (``{"failure": {...}}`` or a parsed letter's contract)."""
    if "failure" in payload:
        return ParseOutcome(failure=(payload["failure"]["code"], payload["failure"]["message"]))
    return ParseOutcome(warnings=len(payload.get("warnings", ())))


@dataclass
class _Read:
    """How far an outcomes log has been read: the file's stamp then, the offset after its last
    whole line, and the outcomes by sha256."""

    stamp: tuple
    offset: int
    noted: dict[str, ParseOutcome]


class ParseCache:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._outcomes: dict[str, _Read] = {}  # by parser version

    def _dir(self, parser_version: str) -> Path:
        return self.root / quote(parser_version, safe="")

    def _path(self, sha256: str, parser_version: str) -> Path:
        return self._dir(parser_version) / f"{sha256}.json"

    def get(self, sha256: str, parser_version: str) -> dict | None:
        try:
            return json.loads(self._path(sha256, parser_version).read_bytes())
        except FileNotFoundError:
            return None

    def put(self, sha256: str, parser_version: str, data: dict) -> ParseOutcome:
        """Store a payload, then note its outcome (after the payload is durable, so a noted
        outcome always has its payload); returns that outcome."""
        atomic_write_json(self._path(sha256, parser_version), data)
        outcome = outcome_of(data)
        line = json.dumps(
            {"sha256": sha256, "failure": outcome.failure, "warnings": outcome.warnings}, ensure_ascii=False
        ).encode("utf-8") + b"\n"
        # One write of one line in append mode: writers in other processes never interleave
        # inside it, and a line torn by a kill is skipped when read.
        fd = os.open(self._dir(parser_version) / OUTCOMES, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return outcome

    def outcome(self, sha256: str, parser_version: str) -> ParseOutcome | None:
        """The outcome of the cached parse of ``sha256`` (None: not parsed with this version)."""
        cached = self._outcomes.get(parser_version)
        known = cached.noted.get(sha256) if cached is not None else None
        if known is None:  # not in the log as last read: read it again if it has grown
            known = self._noted(parser_version).get(sha256)
        if known is not None:
            return known
        payload = self.get(sha256, parser_version)  # parsed before the log existed, or its line was lost
        return None if payload is None else outcome_of(payload)

    def _noted(self, parser_version: str) -> dict[str, ParseOutcome]:
        """The outcomes log of a parser version, as read so far plus what was appended since.

        A backfill looks up each new file right after the previous one's line was appended, so
        the log is read on from where the last read ended (same inode, grown), not from the
        start: reading it whole each time made the parse step quadratic in the files.
        """
        path = self._dir(parser_version) / OUTCOMES
        stamp = file_stamp(path)
        if stamp is None:
            return {}
        cached = self._outcomes.get(parser_version)
        if cached is not None and cached.stamp == stamp:
            return cached.noted
        resume = cached is not None and cached.stamp[0] == stamp[0] and cached.offset <= stamp[1]
        noted = cached.noted if resume else {}
        offset = cached.offset if resume else 0
        with open(path, "rb") as fh:
            fh.seek(offset)
            data = fh.read()
        end = data.rfind(b"\n") + 1  # a line still being written is read next time, whole
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
                failure = entry["failure"]
                noted[entry["sha256"]] = ParseOutcome(
                    failure=None if failure is None else (str(failure[0]), str(failure[1])),
                    warnings=int(entry["warnings"]),
                )
            except (ValueError, KeyError, TypeError, IndexError):
                continue  # a torn or foreign line: that payload is read instead
        self._outcomes[parser_version] = _Read(stamp, offset + end, noted)
        return noted
