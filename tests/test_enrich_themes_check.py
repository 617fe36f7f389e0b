"""`kamerspoor themes check`: a theme file judged on the warehouse before it is loaded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.cli import main
from etl.enrich import enrich_units
from etl.enrich.check import ministries_of, snippet
from etl.enrich.themes import LetterContext, default_theme_path
from etl.load.enrichment import load_enrichment
from etl.load.warehouse import apply_schema, connect, read_letter_contexts, read_text_units

# Two letters of our own: one about the OM, one about the electricity grid (another ministry).
LETTERS = {
    "D-OM": ("ah-tk-20252026-9001", "Vragen over de achterstanden bij het Openbaar Ministerie",
             ["Minister van Justitie en Veiligheid"],
             ["Hoe groot is de werkvoorraad van het OM?", "Wanneer is de storing bij het OM verholpen?"],
             ["De werkvoorraad van het OM telt 210.000 zaken.", "De storing is in oktober verholpen."]),
    "D-NET": ("ah-tk-20252026-9002", "Vragen over de wachtlijst voor het elektriciteitsnet",
              ["Minister voor Klimaat en Energie"],
              ["Hoeveel bedrijven staan op de wachtlijst?"],
              ["Er staan 9.400 aanvragen op de wachtlijst; de storing van maart is verholpen."]),
}


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    con = connect(path)
    try:
        apply_schema(con)
        for doc, (koop, title, to, questions, answers) in LETTERS.items():
            con.execute("INSERT INTO documents (document_id, koop_id, letter_title, letter_addressees, document_date) "
                        "VALUES (?, ?, ?, ?, ?)", [doc, koop, title, to, date(2026, 3, 1)])
            for i, text in enumerate(questions):
                con.execute("INSERT INTO questions (question_id, document_id, block_index, numbers, text) "
                            "VALUES (?, ?, ?, ?, ?)", [f"{doc}:q:{i}", doc, i, [str(i + 1)], text])
            for i, text in enumerate(answers):
                con.execute("INSERT INTO answers (answer_id, document_id, block_index, numbers, text) "
                            "VALUES (?, ?, ?, ?, ?)", [f"{doc}:a:{i}", doc, i, [str(i + 1)], text])
        load_enrichment(con, enrich_units(read_text_units(con), letters=read_letter_contexts(con),
                                          reference_date=date(2026, 5, 1)))
    finally:
        con.close()
    return path


def test_check_of_the_current_file_reports_links_per_rule_and_nothing_gained_or_lost(warehouse, capsys):
    assert main(["themes", "check", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "over 2 letters, 6 text units" in out
    backlogs = out.split("backlogs — ")[1].split("\n\n")[0]
    assert "2 links in 1 letters; ministries: Justitie en Veiligheid (1)" in backlogs
    assert "supported:stem:voorraad" in backlogs and "[werkvoorraad]" in backlogs
    assert "2 links   1 letters  1 ministries" in backlogs
    assert "ah-tk-20252026-9001 q:0" in backlogs
    assert out.count("+0 gained, -0 lost") == 6  # one line per theme of the packaged file
    assert "wachtlijst" not in out  # the grid letter links nothing


def test_a_rule_without_scope_shows_the_links_it_would_gain_before_it_is_loaded(warehouse, tmp_path, capsys):
    text = default_theme_path().read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(text.replace('version = "2026.2"', 'version = "2026.2-local"')
                    + '\n[[theme]]\nid = "wachtlijsten"\nlabel = "Wachtlijsten"\nscope = "general"\n'
                      'stems = ["wachtlijst"]\n', encoding="utf-8")
    assert main(["themes", "check", "--file", str(mine), "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    section = out.split("wachtlijsten — ")[1]
    assert "2 links in 1 letters; ministries: Klimaat en Energie (1)" in section
    assert "+2 gained, -0 lost" in section and "gained: ah-tk-20252026-9002 a:0" in section


def test_a_rule_taken_out_of_the_file_shows_its_links_as_lost(warehouse, tmp_path, capsys):
    text = default_theme_path().read_text(encoding="utf-8")
    smaller = tmp_path / "smaller.toml"
    smaller.write_text(text.replace('"voorraad", ', ""), encoding="utf-8")  # backlogs loses a stem
    assert main(["themes", "check", "--file", str(smaller), "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    section = out.split("backlogs — ")[1].split("\n\n")[0]
    assert "+0 gained, -2 lost" in section and "lost: ah-tk-20252026-9001 q:0" in section


@pytest.mark.parametrize("bad", ["missing-warehouse", "bad-theme-file"])
def test_bad_input_is_one_line_naming_it(warehouse, tmp_path, capsys, bad):
    if bad == "missing-warehouse":
        args = ["themes", "check", "--warehouse", str(tmp_path / "nope.duckdb")]
    else:
        broken = tmp_path / "broken.toml"
        broken.write_text("version = '1'\n[[theme]]\nid = 'x'\nstems = ['a']\n", encoding="utf-8")
        args = ["themes", "check", "--file", str(broken), "--warehouse", str(warehouse)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and ("nope.duckdb" in err or "broken.toml" in err)


def test_ministries_and_snippets_read_as_people_expect():
    ctx = LetterContext("", ("Minister van Justitie en Veiligheid",), ("Minister Jetten (Klimaat en Energie)",))
    assert ministries_of(ctx) == {"Justitie en Veiligheid", "Klimaat en Energie"}
    assert snippet("Het OM had een storing.", 15, 22, width=6) == "…d een [storing] ."


def test_the_pipeline_step_checks_scope_with_each_letters_addressees_from_the_letter_or_its_question_set(tmp_path):
    from etl import pipeline
    from etl.config import Settings

    path = tmp_path / "p.duckdb"
    con = connect(path)
    try:
        apply_schema(con)
        # Same words, three letters: addressed to JenV in the letter, to JenV only through its
        # question set (the letter prints no addressees), and to another ministry.
        for doc, to, via_set in (("D-JV", ["Minister van Justitie en Veiligheid"], None),
                                 ("D-SET", [], "minister van Justitie en Veiligheid"),
                                 ("D-KE", ["Minister voor Klimaat en Energie"], None)):
            con.execute("INSERT INTO documents (document_id, letter_addressees, document_date) VALUES (?, ?, ?)",
                        [doc, to, date(2026, 3, 1)])
            con.execute("INSERT INTO answers (answer_id, document_id, block_index, numbers, text) VALUES (?, ?, 0, ['1'], ?)",
                        [f"{doc}:a:0", doc, "Bij het OM is de wachtlijst gegroeid."])
            if via_set:
                con.execute("INSERT INTO question_sets (question_set_id, addressees) VALUES (?, ?)", [f"Z-{doc}", [via_set]])
                con.execute("INSERT INTO document_question_sets (document_id, question_set_id, position) VALUES (?, ?, 0)",
                            [doc, f"Z-{doc}"])
    finally:
        con.close()
    pipeline.link_themes(Settings(data_dir=tmp_path / "data", warehouse_path=path), reference_date=date(2026, 5, 1))
    con = connect(path, read_only=True)
    try:
        rows = con.execute("SELECT document_id, theme_id, rule, scope_evidence FROM theme_links ORDER BY document_id").fetchall()
    finally:
        con.close()
    assert rows == [("D-JV", "backlogs", "supported:stem:wachtlijst", "block:OM"),
                    ("D-SET", "backlogs", "supported:stem:wachtlijst", "block:OM")]


def test_the_check_reads_through_the_sql_sandbox_and_never_writes(warehouse, tmp_path, capsys):
    """A warehouse file may come from someone else: a view in it that reads a file of this
    machine is refused (the sandbox turns external access off), in one line; the file itself is
    opened read-only (a write-protected copy checks fine and stays byte for byte the same)."""
    import hashlib
    import os

    secret = tmp_path / "secret.txt"
    secret.write_text("HUSH-4242", encoding="utf-8")
    hostile = tmp_path / "hostile.duckdb"
    hostile.write_bytes(warehouse.read_bytes())
    con = connect(hostile)
    try:
        con.execute("ALTER TABLE documents RENAME TO documents_kept")
        con.execute(f"CREATE VIEW documents AS SELECT * FROM documents_kept "
                    f"WHERE (SELECT length(content) FROM read_text('{secret}')) > 0")
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2  # the view reads the file
    finally:
        con.close()
    assert main(["themes", "check", "--warehouse", str(hostile)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and str(hostile) in err and "disabled by configuration" in err, err
    assert "HUSH" not in captured.out + captured.err

    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    os.chmod(warehouse, 0o444)
    try:
        assert main(["themes", "check", "--warehouse", str(warehouse)]) == 0
    finally:
        os.chmod(warehouse, 0o644)
    assert "over 2 letters, 6 text units" in capsys.readouterr().out
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
