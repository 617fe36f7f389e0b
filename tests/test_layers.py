"""The library keeps its layers: read from the import graph in the source (``ast``), not by
importing anything, so a module that is never imported still counts, and nothing runs.

Data flows one way (source → store → parse → enrich → load); ``pipeline`` sequences the layers
and ``cli`` is the shell around them. The leaves (config, models, window, filetype, versions, sample) are
shared by all and import no other layer.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEAVES = {"config", "models", "window", "filetype", "versions", "version_history", "sample"}
#: layer -> the other layers it may import (leaves always allowed).
ALLOWED = {
    "store": set(),
    "source": {"store"},
    "replay": {"source"},
    "parse": set(),
    "enrich": set(),
    "load": {"enrich"},
    "pipeline": {"source", "store", "parse", "enrich", "load"},
    "cli": {"source", "store", "parse", "enrich", "load", "pipeline", "replay", "report", "alerts"},
}
#: A layer added later (reports, alerts, ...) may read the finished work, not drive the run.
NEW_LAYER_MAY_NOT_IMPORT = {"cli", "pipeline", "replay"}
FORBIDDEN_PACKAGES = {"dagster", "pandas", "tests"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing etl module
    target: str  # what it imports, absolute
    top_level: bool  # at module level (runs on import) rather than inside a function
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, source: str | None = None) -> list[Import]:
    """Every import in one file (or ``source`` as if it were that file), relative ones
    resolved, each marked top-level or deferred."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source, filename=str(path))
    deferred = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                for n in ast.walk(f)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base]
        else:
            continue
        out += [Import(name, t, id(node) not in deferred, node.lineno) for t in targets]
    return out


def etl_imports() -> list[Import]:
    return [i for p in sorted((ROOT / "etl").rglob("*.py")) for i in imports_of(p)]


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "etl" and len(parts) > 1 else None


def test_the_graph_is_read_from_every_etl_module():
    modules = {i.module for i in etl_imports()}
    assert {"etl.cli", "etl.pipeline", "etl.store.files", "etl.source.sync", "etl.parse"} <= modules
    sync = [i.target for i in etl_imports() if i.module == "etl.source.sync"]
    assert "etl.store" in sync and "etl.window" in sync


def test_the_library_never_imports_dagster_pandas_or_the_tests():
    bad = [i for i in etl_imports() if i.target.split(".")[0] in FORBIDDEN_PACKAGES]
    assert bad == [], "\n".join(f"{i.module}:{i.line} imports {i.target}" for i in bad)


def test_only_the_cli_reaches_the_dagster_wiring_and_only_when_a_command_runs():
    to_assets = [i for i in etl_imports() if i.target.split(".")[0] == "assets"]
    assert to_assets, "the cli runs the job through assets.runner"
    bad = [i for i in to_assets if i.module != "etl.cli" or i.top_level]
    assert bad == [], "\n".join(f"{i.module}:{i.line} imports {i.target}" for i in bad)


def test_each_layer_imports_only_the_layers_before_it():
    bad = []
    for i in etl_imports():
        src, dst = layer(i.module), layer(i.target)
        if src is None or dst is None or src == dst or dst in LEAVES:
            continue
        if src in LEAVES:
            bad.append(i)
        elif src in ALLOWED:
            if dst not in ALLOWED[src]:
                bad.append(i)
        elif dst in NEW_LAYER_MAY_NOT_IMPORT:
            bad.append(i)
    assert bad == [], "\n".join(f"{i.module}:{i.line} imports {i.target}" for i in bad)


def test_a_layer_breach_is_seen():
    """The check itself: a parse module that imports the warehouse loader is caught."""
    probe = ROOT / "etl" / "parse" / "probe.py"  # never written: its text is given
    found = imports_of(probe, "def f():\n    from etl.load.warehouse import connect\n")
    assert [(layer(i.module), layer(i.target), i.top_level) for i in found] == [("parse", "load", False)]
    assert "load" not in ALLOWED["parse"]
