"""`kamerspoor sql` for people: the snapshot by default, one-line errors, typed parameters,
table/CSV/JSON output, escaped terminal text, and a quiet end when the pipe closes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.cli import main
from etl.load import warehouse as wh
from tests.test_warehouse_fixtures import fresh_warehouse

KAMERSPOOR = [sys.executable, "-P", "-m", "etl.cli"]  # -P: the cwd's warehouse/ never shadows ours
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def live(tmp_path: Path, tmp_path_factory) -> Path:
    """The fixture warehouse with its snapshot published, as a finished run leaves it."""
    fresh_warehouse(tmp_path, tmp_path_factory).close()
    path = tmp_path / "w.duckdb"
    wh.publish_snapshot(path, tmp_path / "w.snapshot.duckdb")
    return path


def run_sql(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["sql", *args])
    out, err = capsys.readouterr()
    return code, out, err


def env_without_warehouse() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "KAMERSPOOR_WAREHOUSE"}


def test_sql_works_right_after_the_quick_start(demo_root: Path):
    """The Quick start wrote warehouse/demo.duckdb; `sql` with no options reads its snapshot."""
    result = subprocess.run(
        [*KAMERSPOOR, "sql", "SELECT count(*) FROM qa_pairs", "--format", "csv"],
        cwd=demo_root, env=env_without_warehouse(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["count_star()", "37"]
    assert "warehouse/demo.snapshot.duckdb" in result.stderr


def test_sql_reads_the_snapshot_while_a_job_holds_the_write_lock(live: Path, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time\n"
         f"con = duckdb.connect({str(live)!r})\n"
         "con.execute('BEGIN'); con.execute(\"DELETE FROM question_sets WHERE number = '2025Z10001'\")\n"
         "print('locked', flush=True); time.sleep(120)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        code, out, err = run_sql(capsys, "--warehouse", str(live), "--format", "csv", "SELECT count(*) AS n FROM qa_pairs")
        assert (code, out, err) == (0, "n\n7\n", "")
        code, out, err = run_sql(capsys, "--warehouse", str(live), "--live", "SELECT 1")
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "locked by a running job" in err, err
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_a_missing_warehouse_names_the_demo_snapshot(demo_root: Path, tmp_path: Path):
    result = subprocess.run(
        [*KAMERSPOOR, "sql", "--warehouse", str(tmp_path / "nope.duckdb"), "SELECT 1"],
        cwd=demo_root, env=env_without_warehouse(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "nope.snapshot.duckdb: no such warehouse" in result.stderr
    assert "the demo's snapshot is warehouse/demo.snapshot.duckdb" in result.stderr


def test_a_live_file_without_a_snapshot_points_to_live(tmp_path: Path, tmp_path_factory, capsys):
    fresh_warehouse(tmp_path, tmp_path_factory).close()
    code, out, err = run_sql(capsys, "--warehouse", str(tmp_path / "w.duckdb"), "SELECT 1")
    assert code == 1 and "no published snapshot" in err and "--live" in err
    code, out, err = run_sql(capsys, "--warehouse", str(tmp_path / "w.duckdb"), "--live", "SELECT 42 AS x")
    assert code == 0 and "42" in out


def test_a_file_that_is_not_a_warehouse_is_one_line(tmp_path: Path, capsys):
    bogus = tmp_path / "bogus.snapshot.duckdb"
    bogus.write_bytes(b"PK\x03\x04 certainly not duckdb" * 100)
    code, out, err = run_sql(capsys, "--warehouse", str(bogus), "SELECT 1")
    assert (code, out) == (1, "")
    assert err == f"kamerspoor sql: {bogus}: not a DuckDB warehouse file\n"


def test_a_bad_query_is_one_line_and_exit_1(live: Path, capsys):
    code, out, err = run_sql(capsys, "--warehouse", str(live), "SELEC number FROM question_sets")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "syntax error" in err
    code, out, err = run_sql(capsys, "--warehouse", str(live), "SELECT * FROM no_such_table")
    assert code == 1 and err.count("\n") == 1 and "no_such_table" in err


def test_typed_parameters_bind_ints_dates_bools_and_null(live: Path, capsys):
    code, out, err = run_sql(
        capsys, "--warehouse", str(live), "--format", "json",
        "--param", "n:int=3", "--param", "d:date=2025-03-01", "--param", "b:bool=yes",
        "--param", "nothing=NULL", "--param", "word=NULL-ish",
        "SELECT $n + 1 AS n1, $d + INTERVAL 1 DAY AS next_day, NOT $b AS nb, $nothing IS NULL AS is_null, $word AS word",
    )
    assert code == 0, err
    assert json.loads(out) == [{"n1": 4, "next_day": "2025-03-02T00:00:00", "nb": False, "is_null": True, "word": "NULL-ish"}]


def test_null_parameter_selects_every_theme_in_a_saved_query(demo_root: Path, capsys):
    snapshot = demo_root / "warehouse" / "demo.snapshot.duckdb"
    query = ROOT / "warehouse" / "queries" / "theme_open_commitments.sql"
    code, out, err = run_sql(capsys, "--warehouse", str(snapshot), "--file", str(query), "--param", "theme=NULL",
                             "--format", "json")
    assert code == 0, err
    themes = {row["theme_id"] for row in json.loads(out)}
    assert len(themes) >= 2, themes


def test_a_query_with_parameters_and_no_values_names_them(live: Path, capsys):
    code, out, err = run_sql(capsys, "--warehouse", str(live), "SELECT * FROM question_sets WHERE number = $number AND submitted_on >= $since")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "$number" in err and "$since" in err, err


def test_a_malformed_param_is_one_line(live: Path, capsys):
    for bad, why in (("n:int=three", "is not a int"), ("n:money=3", "unknown type"), ("=3", "not a parameter name"),
                     ("n", "expected NAME=VALUE")):
        code, out, err = run_sql(capsys, "--warehouse", str(live), "--param", bad, "SELECT 1")
        assert code == 1 and err.count("\n") == 1 and why in err, (bad, err)


def test_formats_table_csv_and_json_show_the_same_rows(live: Path, capsys):
    query = "SELECT number, submitted_on FROM question_sets ORDER BY number LIMIT 2"
    _, table, _ = run_sql(capsys, "--warehouse", str(live), query)
    _, csv_out, _ = run_sql(capsys, "--warehouse", str(live), "--format", "csv", query)
    _, json_out, _ = run_sql(capsys, "--warehouse", str(live), "--format", "json", query)
    rows = json.loads(json_out)
    assert csv_out.splitlines()[0] == "number,submitted_on"
    assert csv_out.splitlines()[1:] == [f"{r['number']},{r['submitted_on']}" for r in rows]
    for r in rows:
        assert r["number"] in table and r["submitted_on"] in table
    assert table.rstrip().endswith("2 rows")


def test_terminal_output_escapes_control_and_bidi_override_characters(live: Path, capsys):
    code, out, err = run_sql(capsys, "--warehouse", str(live),
                             "SELECT 'invoice' || chr(8238) || 'fdp.exe' || chr(27) || '[2J' AS name")
    assert code == 0, err
    assert "\u202e" not in out and "\x1b" not in out
    assert "invoice\\u202efdp.exe\\x1b[2J" in out
    code, out, err = run_sql(capsys, "--warehouse", str(live), "--format", "json", "SELECT chr(8238) || 'x' || chr(155) AS s")
    assert "\u202e" not in out and "\x9b" not in out and json.loads(out) == [{"s": "\u202ex\x9b"}]


def test_a_closed_pipe_ends_sql_and_parse_quietly(live: Path):
    from tests.test_cli import MINISTRY_LETTER

    commands = [
        [*KAMERSPOOR, "sql", "--warehouse", str(live), "--format", "csv",
         "SELECT range AS n, repeat('x', 200) AS pad FROM range(200000)"],
        [*KAMERSPOOR, "parse", str(MINISTRY_LETTER)],
    ]
    for cmd in commands:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        assert proc.stdout.read(1)  # like `| head -c 1`: read a little, then hang up
        proc.stdout.close()
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        err = proc.stderr.read().decode()
        assert proc.returncode is not None, cmd
        assert err == "", err
        assert proc.returncode in (0, 141), (cmd, proc.returncode)


def test_every_argument_has_help_and_version_exists(capsys):
    import argparse

    from etl.cli import build_parser

    missing: list[str] = []

    def walk(name: str, parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):  # commands: walk each one
                for sub_name, sub in action.choices.items():
                    walk(f"{name} {sub_name}", sub)
            elif action.dest != "help" and not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")

    walk("kamerspoor", build_parser())
    assert missing == []
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("kamerspoor 0.")


def test_an_error_while_rows_stream_out_is_one_line(live: Path, capsys):
    code, out, err = run_sql(capsys, "--warehouse", str(live), "--format", "csv",
                             "SELECT CAST(CASE WHEN range < 5 THEN '1' ELSE 'x' END AS INTEGER) AS n FROM range(100000)")
    assert code == 1 and err.count("\n") == 1 and "Conversion Error" in err, err


def test_export_of_a_locked_live_file_is_one_line(live: Path, tmp_path: Path, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time\ncon = duckdb.connect({str(live)!r})\nprint('locked', flush=True)\ntime.sleep(120)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        code = main(["export", str(tmp_path / "out"), "--warehouse", str(live), "--live"])
        out, err = capsys.readouterr()
        assert code == 1 and err.count("\n") == 1 and "locked by a running job" in err, err
        code = main(["export", str(tmp_path / "out"), "--warehouse", str(live)])  # the snapshot
        out, err = capsys.readouterr()
        assert code == 0 and "manifest:" in out, err
    finally:
        holder.kill()
        holder.wait(timeout=30)
