"""Safe output: CSV cells cannot run as spreadsheet formulas or carry control bytes, and
terminal text shows control and bidi-override characters escaped."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from etl.cli import main
from etl.load import warehouse as wh
from etl.load.export import export_warehouse
from etl.load.safe_output import csv_cell, render_table, terminal_text
from tests.test_warehouse_fixtures import fresh_warehouse

HOSTILE = '=HYPERLINK("http://127.0.0.9/x","klik")'


@pytest.mark.parametrize(("raw", "safe"), [
    ("=1+1", "'=1+1"),
    ("+31 70 318 22 11", "'+31 70 318 22 11"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'=1"),            # CR is a control character: stripped, then the = is neutralised
    ("a\x00b\x1bc\x7fd\x85e", "abcde"),
    ("regel 1\nregel 2\tkolom", "regel 1\nregel 2\tkolom"),
    ("Antwoord 1", "Antwoord 1"),
    ("", ""),
])
def test_csv_cell_neutralises_formula_starts_and_strips_control_characters(raw, safe):
    assert csv_cell(raw) == safe


def test_terminal_text_escapes_controls_and_bidi_but_keeps_dutch_text():
    assert terminal_text("geïnformeerd – één ¹") == "geïnformeerd – één ¹"
    assert terminal_text("a\u202eb\u2066c\x1b[31md\x9b") == "a\\u202eb\\u2066c\\x1b[31md\\x9b"
    assert terminal_text("twee\nregels\t!") == "twee\\nregels\\t!"


def test_a_table_cell_is_one_line_and_clipped_to_the_width():
    table = render_table(["text"], [["x" * 500 + "\u202e"]], max_width=40)
    lines = table.splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert "\u202e" not in table and lines[-1] == "1 row"


@pytest.fixture()
def hostile_warehouse(tmp_path: Path, tmp_path_factory) -> Path:
    """The fixture warehouse with a formula and control bytes planted in answer texts."""
    con = fresh_warehouse(tmp_path, tmp_path_factory)
    try:
        con.execute("UPDATE answers SET text = ? WHERE answer_id = 'doc-a-ans:a:0'", [HOSTILE])
        con.execute("UPDATE answers SET label = ? WHERE answer_id = 'doc-a-ans:a:1'", ["-1\x07\x1b[2J"])
    finally:
        con.close()
    return tmp_path / "w.duckdb"


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_csv_cells_are_neutralised_and_parquet_keeps_the_data(hostile_warehouse: Path, tmp_path: Path):
    import polars as pl

    out = tmp_path / "export"
    export_warehouse(hostile_warehouse, out, csv=True)
    rows = {r["answer_id"]: r for r in read_csv(out / "answers.csv")}
    assert rows["doc-a-ans:a:0"]["text"] == "'" + HOSTILE
    assert rows["doc-a-ans:a:1"]["label"] == "'-1[2J"
    raw = (out / "answers.csv").read_text(encoding="utf-8")
    assert "\x1b" not in raw and "\x07" not in raw
    # Numbers stay numbers: a negative number is not a formula, and numeric columns are untouched.
    assert all(not r["block_index"].startswith("'") for r in rows.values())
    parquet = pl.read_parquet(out / "answers.parquet")
    assert HOSTILE in parquet["text"].to_list()


def test_reexport_without_csv_removes_the_csvs_of_the_previous_export(hostile_warehouse: Path, tmp_path: Path):
    out = tmp_path / "export"
    export_warehouse(hostile_warehouse, out, csv=True)
    assert (out / "answers.csv").is_file()
    mine = out / "notes.csv"
    mine.write_text("kept: not written by an export\n", encoding="utf-8")
    manifest = export_warehouse(hostile_warehouse, out, csv=False)
    assert sorted(p.name for p in out.glob("*.csv")) == ["notes.csv"]
    listed = {f for info in manifest["relations"].values() for f in info["files"].values()}
    on_disk = {p.name for p in out.iterdir()} - {"manifest.json", "notes.csv"}
    assert listed == on_disk


def test_a_manifest_cannot_make_export_delete_files_outside_its_directory(hostile_warehouse: Path, tmp_path: Path):
    out = tmp_path / "export"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    planted = {"relations": {"x": {"files": {"csv": "../victim.txt"}}}}
    (out / "manifest.json").write_text(json.dumps(planted), encoding="utf-8")
    export_warehouse(hostile_warehouse, out)
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_export_command_reads_the_snapshot_and_fails_in_one_line_without_one(hostile_warehouse: Path, tmp_path: Path, capsys):
    code = main(["export", str(tmp_path / "out"), "--warehouse", str(hostile_warehouse)])
    out, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "no published snapshot" in err
    wh.publish_snapshot(hostile_warehouse, hostile_warehouse.with_suffix(".snapshot.duckdb"))
    code = main(["export", str(tmp_path / "out"), "--warehouse", str(hostile_warehouse), "--csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"].endswith("w.snapshot.duckdb")


def test_json_output_keeps_every_column_of_a_repeated_name():
    from etl.load.safe_output import json_lines

    text = "".join(json_lines(["a", "a", "b"], [(1, 2, None)]))
    assert json.loads(text) == [{"a": 1, "a_2": 2, "b": None}]
    assert json.loads("".join(json_lines(["x"], []))) == []


def test_csv_rows_show_bidi_overrides_as_visible_escapes():
    from etl.load.safe_output import csv_lines

    text = "".join(csv_lines(["name"], [("rapport\u202efdp.exe",)]))
    assert text == "name\nrapport\\u202efdp.exe\n"
