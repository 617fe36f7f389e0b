"""The parser and the enricher cannot change without a new version (etl/versions.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl import versions
from etl.enrich import ENRICHER_VERSION
from etl.parse import PARSER_VERSION


@pytest.mark.parametrize("component", sorted(versions.SOURCES))
def test_the_sources_match_the_latest_recorded_version(component):
    assert versions.stale(component) is None, versions.stale(component)


def test_rows_carry_the_recorded_versions():
    assert PARSER_VERSION == versions.version_of("parser")
    assert ENRICHER_VERSION == versions.version_of("enricher")


@pytest.mark.parametrize("component", sorted(versions.SOURCES))
def test_no_version_or_source_hash_is_recorded_twice(component):
    records = versions.history(component)
    assert len({r.version for r in records}) == len({r.sources_sha256 for r in records}) == len(records)


def copy_sources(tmp_path: Path) -> Path:
    root = tmp_path / "etl"
    for component in versions.SOURCES:
        for p in versions.source_files(component):
            dest = root / p.relative_to(versions.ETL)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dest)
    return root


def test_an_edit_to_one_parser_module_makes_the_record_stale_until_a_bump(tmp_path):
    root = copy_sources(tmp_path)
    assert versions.stale("parser", root) is None
    structure = root / "parse" / "structure.py"
    structure.write_text(structure.read_text(encoding="utf-8") + "\nNEW_RULE = 1\n", encoding="utf-8")
    message = versions.stale("parser", root)
    assert message and f"version {PARSER_VERSION} was recorded" in message and "bump parser" in message
    assert versions.stale("enricher", root) is None  # the enricher did not change
    record = versions.bump("parser", "9.9.9-test", root)
    assert record.sources_sha256 == versions.sources_digest("parser", root)
    written = (root / "version_history.py").read_text(encoding="utf-8")
    assert "('9.9.9-test', '" + record.sources_sha256 + "')" in written


def test_a_new_module_in_the_package_counts_as_a_change(tmp_path):
    root = copy_sources(tmp_path)
    (root / "enrich" / "new_rules.py").write_text("RULES = ()\n", encoding="utf-8")
    assert versions.stale("enricher", root) is not None


def test_a_version_is_never_reused(tmp_path):
    with pytest.raises(ValueError, match="used before"):
        versions.bump("parser", PARSER_VERSION, copy_sources(tmp_path))


def test_check_command_reports_in_one_line(capsys):
    assert versions.main(["check"]) == 0
    assert f"parser {PARSER_VERSION}" in capsys.readouterr().out


def test_comments_docstrings_and_layout_do_not_ask_for_a_new_version(tmp_path):
    root = copy_sources(tmp_path)
    before = versions.sources_digest("parser", root)
    structure = root / "parse" / "structure.py"
    text = structure.read_text(encoding="utf-8")
    reworded = "# a comment\n" + text.replace('"""', '"""Reworded. ', 1) + "\n\n# trailing note\n"
    structure.write_text(reworded, encoding="utf-8")
    assert versions.sources_digest("parser", root) == before
