"""One versioning scheme for the code whose output we store: the parser and the enricher.

Each has a human version (what rows carry and what the parse cache is keyed by) and, recorded
next to it in ``etl/version_history.py``, the sha256 of the sources it covers. A test fails
when the sources no longer match the latest record, so code cannot change without a new
version (which re-parses or re-enriches what the old one made). After a change:

    python -m etl.versions bump parser 0.1.2     # records the version with today's sources
    python -m etl.versions check                 # what changed since the last record

Comments, docstrings and layout do not count (the hash is over each module's syntax tree).
"""

from __future__ import annotations

import ast
import hashlib
import pprint
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from etl.version_history import HISTORY

ETL = Path(__file__).resolve().parent

#: What each versioned component covers: its package, and the modules outside it that shape
#: its output (paths relative to ``etl/``; every ``.py`` below a directory counts).
SOURCES: dict[str, tuple[str, ...]] = {
    "parser": ("parse", "filetype.py"),
    "enricher": ("enrich",),
}


@dataclass(frozen=True)
class Record:
    version: str
    sources_sha256: str


def history(component: str) -> list[Record]:
    return [Record(v, s) for v, s in HISTORY[component]]


def version_of(component: str) -> str:
    """The current version of "parser" or "enricher" (the latest record)."""
    return HISTORY[component][-1][0]


def source_files(component: str, root: Path = ETL) -> list[Path]:
    out: list[Path] = []
    for rel in SOURCES[component]:
        p = root / rel
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return out


def code_of(source: str) -> str:
    """The code of a module without its comments, layout and docstrings (its syntax tree), so
    that only an edit that can change behaviour asks for a new version."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False, include_attributes=False)


def sources_digest(component: str, root: Path = ETL) -> str:
    """sha256 (16 hex) over the component's modules: their names and code, in path order."""
    h = hashlib.sha256()
    for p in source_files(component, root):
        code = code_of(p.read_text(encoding="utf-8"))
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + code.encode() + b"\0")
    return h.hexdigest()[:16]


def stale(component: str, root: Path = ETL) -> str | None:
    """Why the latest record no longer describes the sources, or None when it does."""
    latest, now = history(component)[-1], sources_digest(component, root)
    if latest.sources_sha256 == now:
        return None
    return (f"the {component} sources changed since version {latest.version} was recorded "
            f"(sha256 {latest.sources_sha256} → {now}): run `python -m etl.versions bump {component} NEW_VERSION`")


def bump(component: str, version: str, root: Path = ETL) -> Record:
    """Record ``version`` for today's sources (a version is never reused)."""
    if component not in SOURCES:
        raise ValueError(f"unknown component {component!r}; one of {sorted(SOURCES)}")
    if any(r.version == version for r in history(component)):
        raise ValueError(f"{component} version {version!r} was used before; pick a new one")
    record = Record(version, sources_digest(component, root))
    updated = {name: list(entries) for name, entries in HISTORY.items()}
    updated[component].append((record.version, record.sources_sha256))
    text = (
        '"""Recorded versions of the parser and the enricher, oldest first: (version, sources sha256).\n\n'
        'Written by ``python -m etl.versions bump``; see ``etl/versions.py``."""\n\n'
        f"HISTORY = {pprint.pformat(updated, width=100, sort_dicts=True)}\n"
    )
    (root / "version_history.py").write_text(text, encoding="utf-8")
    return record


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["bump"] and len(args) == 3:
        try:
            record = bump(args[1], args[2])
        except ValueError as exc:
            print(f"etl.versions: {exc}", file=sys.stderr)
            return 2
        print(f"{args[1]} {record.version} recorded (sources sha256 {record.sources_sha256})")
        return 0
    if args[:1] == ["check"] and len(args) == 1:
        problems = [p for p in (stale(c) for c in SOURCES) if p]
        for p in problems:
            print(p, file=sys.stderr)
        if not problems:
            print("; ".join(f"{c} {version_of(c)}" for c in SOURCES) + ": sources match their records")
        return 1 if problems else 0
    print("usage: python -m etl.versions check | bump COMPONENT VERSION", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
