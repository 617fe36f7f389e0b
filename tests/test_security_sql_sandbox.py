"""The SQL sandbox (etl.load.sandbox) refuses every escape from a read-only warehouse.

Each escape found when the sandbox did not exist is tried through `kamerspoor sql` on the
published snapshot: it must fail with one line on stderr and exit 1, and the live warehouse
next to the snapshot must hold exactly what it held before. Search keeps working.
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.load import warehouse as wh
from etl.load.sandbox import WarehouseUnavailable, open_readonly
from tests.test_warehouse_fixtures import fresh_warehouse
from tests.warehouse_hash import analyst_hashes


@pytest.fixture()
def published(tmp_path: Path, tmp_path_factory) -> tuple[Path, Path]:
    """(live, snapshot) of the fixture warehouse, as a finished run leaves them."""
    fresh_warehouse(tmp_path, tmp_path_factory).close()
    live = tmp_path / "w.duckdb"
    snapshot = wh.publish_snapshot(live, tmp_path / "w.snapshot.duckdb")
    return live, snapshot


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        type(self).hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def listener():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    handler = type("Recorder", (_Recorder,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.hits
    server.shutdown()
    server.server_close()


def sql(capsys, live: Path, statement: str) -> tuple[int, str, str]:
    code = main(["sql", "--warehouse", str(live), statement])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, out: str, err: str) -> None:
    assert code == 1, (out, err)
    assert err.count("\n") == 1 and err.startswith("kamerspoor sql: "), err
    assert "Traceback" not in err and out == ""


ESCAPES = {
    "attach_live_read_write": "ATTACH '{live}' AS live (READ_WRITE); DELETE FROM live.documents",
    "copy_to_file": "COPY (SELECT * FROM documents) TO '{tmp}/leak.csv'",
    "export_database": "EXPORT DATABASE '{tmp}/dump'",
    "read_text_passwd": "SELECT * FROM read_text('/etc/passwd')",
    "glob_root": "SELECT * FROM glob('/root/*')",
    "read_csv_passwd": "SELECT * FROM read_csv('/etc/passwd')",
    "set_extension_directory": "SET extension_directory = '{tmp}'",
    "load_extension_from_path": "LOAD '{tmp}/evil.duckdb_extension'",
    "enable_external_access_again": "SET enable_external_access = true",
    "unlock_configuration": "RESET lock_configuration",
}


@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_sql_escape_is_refused_in_one_line_and_the_live_warehouse_is_unchanged(escape, published, tmp_path, capsys):
    live, _ = published
    before = analyst_hashes(live)
    statement = ESCAPES[escape].format(live=live, tmp=tmp_path)
    assert_refused(*sql(capsys, live, statement))
    assert analyst_hashes(live) == before
    assert not (tmp_path / "leak.csv").exists() and not (tmp_path / "dump").exists()


def test_install_from_a_url_is_refused_and_makes_no_request(published, listener, capsys):
    live, _ = published
    url, hits = listener
    before = analyst_hashes(live)
    assert_refused(*sql(capsys, live, f"INSTALL fts FROM '{url}/'"))
    assert_refused(*sql(capsys, live, f"SELECT * FROM read_text('{url}/secret')"))
    assert hits == []
    assert analyst_hashes(live) == before


def test_search_and_temp_tables_still_work_in_the_sandbox(published):
    _, snapshot = published
    con = open_readonly(snapshot)
    try:
        assert con.execute("SELECT count(*) FROM search_qa('storing')").fetchone()[0] == 3
        con.execute("CREATE TEMP TABLE mine AS SELECT number FROM question_sets")
        assert con.execute("SELECT count(*) FROM mine").fetchone()[0] == 6
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE main.planted AS SELECT 1")
    finally:
        con.close()


def test_sandbox_names_a_missing_or_foreign_file(tmp_path):
    with pytest.raises(WarehouseUnavailable, match="no such warehouse file"):
        open_readonly(tmp_path / "absent.duckdb")
    foreign = tmp_path / "notes.duckdb"
    foreign.write_text("these are not the tables you are looking for\n" * 200, encoding="utf-8")
    with pytest.raises(WarehouseUnavailable, match="not a DuckDB warehouse file"):
        open_readonly(foreign)


def test_a_second_sandbox_on_the_same_file_in_one_process_is_locked_too(published):
    _, snapshot = published
    first = open_readonly(snapshot)
    second = open_readonly(snapshot)  # DuckDB shares the instance: already locked, still works
    try:
        assert second.execute("SELECT count(*) FROM question_sets").fetchone()[0] == 6
        with pytest.raises(duckdb.Error):
            second.execute("SELECT * FROM read_text('/etc/passwd')")
    finally:
        second.close()
        first.close()
