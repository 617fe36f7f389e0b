"""The parse cache: one parse outcome per (file sha256, parser version), as JSON.

Layout: ``parses/<parser version>/<sha256>.json``. A new parser version starts an empty
directory, so every file is parsed again with it and old results stay for comparison.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from etl.store.atomic import atomic_write_json


class ParseCache:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str, parser_version: str) -> Path:
        return self.root / quote(parser_version, safe="") / f"{sha256}.json"

    def get(self, sha256: str, parser_version: str) -> dict | None:
        try:
            return json.loads(self._path(sha256, parser_version).read_bytes())
        except FileNotFoundError:
            return None

    def put(self, sha256: str, parser_version: str, data: dict) -> None:
        atomic_write_json(self._path(sha256, parser_version), data)
