"""Ids are data, not paths, through the replay too: a document whose id no file name can hold
(400 characters, or ``x)/../../evil?q=1#``) is served from ``resources.json``, requested with
its id percent-quoted, and downloaded, stored and parsed by the whole pipeline."""

from __future__ import annotations

import json
import shutil
from urllib.parse import quote

import duckdb
import pytest

from etl import pipeline
from etl.config import Settings
from etl.replay import ReplayServer
from etl.sample import SAMPLE_API_DIR
from etl.source.client import TKClient
from etl.source.koop import KoopClient
from etl.source.odata import resource_url
from replay_fixtures import edits
from replay_fixtures.helpers import IDS, SMALL, fast_settings

LONG = ("lang-id-" + "0123456789" * 40)[:400]
EVIL = "x)/../../evil?q=1#"
ODD = [LONG, EVIL, "议" * 28, "a b'c", "..", "%2F"]
CHANGED = "2026-11-01T10:00:00Z"


def small_with(tmp_path, doc_ids: list[str]) -> tuple:
    """A copy of the small fixture with one letter (its own bytes) per id in ``doc_ids``."""
    fx = tmp_path / "fx"
    shutil.copytree(SMALL, fx)
    zaak = json.loads((fx / "ZaakDocument.json").read_text(encoding="utf-8"))[0]["Zaak_Id"]
    template = json.loads((fx / "ZaakDocument.json").read_text(encoding="utf-8"))[0]["Document_Id"]
    bodies = {}
    for n, doc_id in enumerate(doc_ids):
        bodies[doc_id] = b"%PDF-1.7\n% letter " + str(n).encode() + b"\n" + b"0" * 64
        edits.add_letter(fx, template, doc_id, zaak, bodies[doc_id], ".pdf", CHANGED, nummer=f"2026D9800{n}")
    return fx, bodies


def test_long_and_odd_ids_are_served_from_the_resource_index_with_their_ids_quoted(tmp_path):
    fx, bodies = small_with(tmp_path, ODD)
    index = json.loads((fx / "resources.json").read_text(encoding="utf-8"))
    assert set(index) == set(ODD) and all(len(name.encode()) < 100 for name in index.values())
    with ReplayServer(fx) as srv, TKClient(fast_settings(srv.base_url)) as client:
        for doc_id in ODD:
            assert client.download(doc_id).data == bodies[doc_id], doc_id
        plain = client.download(IDS["A1"])  # an id that is its own file name still works
        log = list(srv.request_log)
    assert plain.data
    for doc_id in ODD:
        assert f"/OData/v5/Document({quote(doc_id, safe='')})/resource" in log
    assert not any("evil" in p and "%2F" not in p for p in log), log  # never an unquoted /evil?q=1


def test_a_resource_index_naming_a_missing_file_fails_with_the_file_name(tmp_path):
    fx, _ = small_with(tmp_path, [LONG])
    (fx / "resources.json").write_text(json.dumps({LONG: "h-missing.pdf"}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"resources\.json: no file resources/h-missing\.pdf"):
        ReplayServer(fx)


@pytest.mark.parametrize("doc_id", ODD)
def test_every_id_is_one_quoted_path_segment_in_the_resource_url(doc_id):
    url = resource_url("http://127.0.0.1:1/OData/v5", doc_id)
    key = url[len("http://127.0.0.1:1/OData/v5/Document("):-len(")/resource")]
    assert url.startswith("http://127.0.0.1:1/OData/v5/Document(") and url.endswith(")/resource")
    assert not set(key) & set("/?#)(' "), key
    assert key == quote(doc_id, safe="")


def test_the_koop_client_refuses_an_id_that_is_not_a_publication_id():
    with KoopClient(Settings(api_url="http://127.0.0.1:1/OData/v5", koop_url="http://127.0.0.1:1")) as koop:
        assert koop.xml_url("ah-tk-20252026-38") == "http://127.0.0.1:1/ah-tk-20252026-38.xml"
        for bad in (EVIL, "ah-tk-2025/../../x", LONG):
            with pytest.raises(ValueError, match="not a KOOP publication id"):
                koop.xml_url(bad)


def test_the_pipeline_downloads_stores_and_parses_letters_under_a_long_and_an_odd_id(tmp_path):
    fx = tmp_path / "fx"
    shutil.copytree(SAMPLE_API_DIR, fx)
    versions = json.loads((fx / "DocumentVersie.json").read_text(encoding="utf-8"))["value"]
    template = next(v for v in versions if v["ExterneIdentifier"] == "ah-tk-20252026-611")
    links = json.loads((fx / "ZaakDocument.json").read_text(encoding="utf-8"))
    zaak = next(r["Zaak_Id"] for r in links if r["Document_Id"] == template["Document_Id"])
    letter = (fx / "resources" / f"{template['Document_Id']}.pdf").read_bytes()
    for n, doc_id in enumerate((LONG, EVIL)):
        edits.add_letter(fx, template["Document_Id"], doc_id, zaak, letter + b"\n%% copy %d\n" % n, ".pdf",
                         CHANGED, nummer=f"2026D9810{n}")
    with ReplayServer(fx) as replay:
        settings = Settings(api_url=replay.base_url, data_dir=tmp_path / "data",
                            warehouse_path=tmp_path / "w.duckdb", parse_workers=1)
        pipeline.fetch_metadata(settings)
        files = pipeline.fetch_letter_files(settings)
    assert not files.failed and {LONG, EVIL} <= set(files.new), files
    names = json.loads((settings.store_dir / "files" / "names.json").read_text(encoding="utf-8"))
    assert LONG in names.values()  # hashed, the id kept in the index
    assert (settings.store_dir / "files" / "index" / f"{quote(EVIL, safe='')}.json").is_file()  # quoted, short
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith("evil")]  # nothing escaped a directory
    summary = pipeline.parse_letters(settings)
    assert summary.failures == ()
    pipeline.load_warehouse(settings)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        rows = dict(con.execute("SELECT document_id, parse_status FROM documents WHERE document_id IN (?, ?)",
                                [LONG, EVIL]).fetchall())
        answers = con.execute("SELECT count(*) FROM answers WHERE document_id = ?", [LONG]).fetchone()[0]
    finally:
        con.close()
    assert set(rows) == {LONG, EVIL} and all(s.startswith("parsed") for s in rows.values()), rows
    assert answers == 5  # the template letter's five answer blocks
