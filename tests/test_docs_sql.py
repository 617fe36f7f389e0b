"""Docs that stay true: every SQL block in the docs runs on the demo warehouse, the column
reference of warehouse/README.md is the DDL's own, and the parser doc names the current parser
version and every failure code.

Convention (documented in warehouse/README.md, "SQL blocks in these docs"): ```sql blocks run
in the sandbox on the demo snapshot; ```sql setup blocks run in a fresh DuckDB session in a
copy of the project layout, which must end locked down; ```sql norun blocks are skipped, and
only allowed for SQL an analyst does not run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.load.reference import current_reference, reference_markdown
from etl.load.sandbox import open_readonly
from etl.load.schema import declared_relations
from etl.load.warehouse import install_fts

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "warehouse" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```sql(?P<tag>[^\n]*)\n(?P<body>.*?)^```[ \t]*$(?P<after>\n+```text\n(?P<output>.*?)^```)?",
                   re.M | re.S)
ANALYST_STARTS = ("SELECT", "WITH", "FROM", "SET", "ATTACH", "USE", "LOAD")


def sql_blocks() -> list[tuple[str, str, str, str | None]]:
    """(where, tag, sql, printed output or None) for every ```sql block of the docs."""
    out = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            where = f"{path.relative_to(ROOT)}:{line}"
            out.append((where, m.group("tag").strip(), m.group("body"), m.group("output")))
    return out


BLOCKS = sql_blocks()
QUERIES = [b for b in BLOCKS if b[1] == ""]
SETUPS = [b for b in BLOCKS if b[1] == "setup"]


def test_the_docs_hold_sql_blocks_and_only_known_tags():
    assert len(QUERIES) >= 12 and SETUPS, [b[0] for b in BLOCKS]
    unknown = [(where, tag) for where, tag, _, _ in BLOCKS if tag not in ("", "setup", "norun")]
    assert unknown == []


def test_norun_is_never_used_for_sql_an_analyst_runs():
    misused = [where for where, tag, body, _ in BLOCKS
               if tag == "norun" and _first_keyword(body) in ANALYST_STARTS]
    assert misused == []


def _first_keyword(sql: str) -> str:
    code = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    return (code.split() or [""])[0].upper()


@pytest.fixture(scope="module")
def snapshot_con(demo_root: Path):
    con = open_readonly(demo_root / "warehouse" / "demo.snapshot.duckdb")
    yield con
    con.close()


def _printed_columns(output: str) -> list[str] | None:
    """Column names from the header row of a printed DuckDB box table, if the output is one."""
    lines = output.splitlines()
    if len(lines) < 2 or not lines[0].startswith("┌"):
        return None
    return [cell.strip() for cell in lines[1].strip("│").split("│")]


@pytest.mark.parametrize("block", QUERIES, ids=[b[0] for b in QUERIES])
def test_sql_block_runs_on_the_demo_warehouse(block, snapshot_con):
    where, _, sql, output = block
    try:
        cur = snapshot_con.execute(sql)
    except duckdb.Error as exc:
        pytest.fail(f"{where}: {str(exc).splitlines()[0]}")
    if output is not None and (printed := _printed_columns(output)) is not None:
        assert [d[0] for d in cur.description] == printed, where


@pytest.mark.parametrize("block", SETUPS, ids=[b[0] for b in SETUPS])
def test_client_setup_block_gives_a_locked_down_session(block, demo_root: Path, tmp_path: Path, monkeypatch):
    """The lines an analyst runs in their own client, run in a copy of the project layout."""
    where, _, sql, _ = block
    (tmp_path / "warehouse").mkdir()
    shutil.copyfile(demo_root / "warehouse" / "demo.snapshot.duckdb", tmp_path / "warehouse" / "kamerspoor.snapshot.duckdb")
    install_fts(tmp_path / ".duckdb_ext")
    monkeypatch.chdir(tmp_path)
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    try:
        con.execute(sql)
        assert con.execute("SELECT count(*) FROM search_qa('storing')").fetchone()[0] > 0, where
        for escape in ("SELECT * FROM read_text('/etc/passwd')",
                       "COPY (SELECT 1) TO 'leak.csv'",
                       "SET enable_external_access = true"):
            with pytest.raises(duckdb.Error):
                con.execute(escape)
        assert not (tmp_path / "leak.csv").exists()
    finally:
        con.close()


def test_warehouse_readme_column_reference_is_the_ddls_own():
    readme = (ROOT / "warehouse" / "README.md").read_text(encoding="utf-8")
    assert current_reference(readme) == reference_markdown(), (
        "warehouse/README.md is stale: run `python scripts/warehouse_reference.py`")


def test_warehouse_readme_covers_every_analyst_relation_and_column():
    readme = (ROOT / "warehouse" / "README.md").read_text(encoding="utf-8")
    sections = {part.split("`", 1)[0]: part for part in readme.split("\n### `")[1:]}
    missing = []
    for rel in declared_relations():
        section = sections.get(rel.name)
        if section is None:
            missing.append(rel.name)
            continue
        missing += [f"{rel.name}.{c.name}" for c in rel.columns if f"| `{c.name}` |" not in section]
    assert missing == []
    assert {"theme_links", "commitments_today", "deadline_drift", "theme_links_by_question_set"} <= set(sections)


def test_parser_doc_names_the_current_version_and_every_failure_code():
    from etl.parse import PARSER_VERSION

    doc = (ROOT / "docs" / "parser.md").read_text(encoding="utf-8")
    assert f'`"{PARSER_VERSION}"`' in doc, f"docs/parser.md should name PARSER_VERSION {PARSER_VERSION}"
    codes = set()
    for path in (ROOT / "etl").rglob("*.py"):
        codes |= set(re.findall(r'(?:ParseFailure|failure)\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert {"missing", "unreadable", "parser_error", "quarantined"} <= codes
    named = {code for code in codes if f"`{code}`" in doc}
    assert sorted(codes - named) == [], "failure codes docs/parser.md does not name"


def test_security_doc_names_only_tests_that_exist():
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)", doc)
    assert len(named) >= 15
    gone = [f"{path}::{name}" for path, name in named
            if not (ROOT / path).is_file() or f"def {name}(" not in (ROOT / path).read_text(encoding="utf-8")]
    assert gone == []
    # every defence names its test: no placeholder, no glob standing in for a test's name
    placeholders = re.findall(r"[^\n]*(?:\(test: added by|tests/[\w/]*\*)[^\n]*", doc)
    assert placeholders == []
    cases = set(re.findall(r"`\[(\w+)\]`", doc))
    from tests.test_security_sql_sandbox import ESCAPES

    assert cases - set(ESCAPES) == set()


def sql_command_lines() -> list[tuple[str, list[str]]]:
    """(where, arguments after `kamerspoor`) of every documented `kamerspoor sql` command line."""
    import shlex

    out = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^```(?:sh|bash)\n(.*?)^```", text, re.M | re.S):
            for offset, line in enumerate(m.group(1).splitlines()):
                words = shlex.split(line, comments=True)
                if "kamerspoor" in words and words[words.index("kamerspoor") + 1:][:1] == ["sql"]:
                    where = f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 2 + offset}"
                    out.append((where, words[words.index("kamerspoor") + 1:]))
    return out


SQL_COMMANDS = sql_command_lines()


def test_the_docs_show_sql_commands():
    assert len(SQL_COMMANDS) >= 5


@pytest.mark.parametrize("command", SQL_COMMANDS, ids=[c[0] for c in SQL_COMMANDS])
def test_documented_sql_command_runs_on_the_demo_warehouse(command, demo_root: Path, monkeypatch, capsys):
    """Each `kamerspoor sql ...` line of the docs, run from the project root on the demo snapshot."""
    from etl.cli import main

    where, args = command
    kept, skip = [], False
    for word in args:  # the demo snapshot replaces whatever warehouse the line names
        if skip:
            skip = False
        elif word == "--warehouse":
            skip = True
        else:
            kept.append(word)
    monkeypatch.chdir(ROOT)
    code = main([*kept, "--warehouse", str(demo_root / "warehouse" / "demo.snapshot.duckdb")])
    out, err = capsys.readouterr()
    assert code == 0, f"{where}: {err}"
    assert out.strip(), where
