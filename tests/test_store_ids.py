"""Document ids are data, not paths: any id gets a file name, and one bad document fails alone."""

from __future__ import annotations

import errno
import json

import pytest

from etl.replay import ReplayServer
from etl.source.client import TKClient
from etl.source.sync import fetch_files, sync_metadata
from etl.store import RawStore
from etl.store.files import index_name
from replay_fixtures.helpers import IDS, SMALL, fast_settings

LONG_ASCII = "x" * 400
LONG_CJK = "議" * 28  # 84 UTF-8 bytes, 252 once percent-quoted
ODD = ["", ".", "..", ".hidden", "a/../../b", "h-looks-hashed", "x)/../../evil?q=1#", LONG_ASCII, LONG_CJK]
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.mark.parametrize("doc_id", ODD)
def test_any_id_gets_a_short_plain_file_name(doc_id):
    name = index_name(doc_id)
    assert 0 < len(f".{name}.json.tmp-4194304-deadbeef".encode()) <= 255
    assert "/" not in name and not name.startswith(".") and name not in ("", "..")


def test_hashed_names_differ_per_id():
    assert len({index_name(i) for i in ODD}) == len(ODD)
    assert index_name("a" * 300) != index_name("a" * 301)


@pytest.mark.parametrize("doc_id", [LONG_ASCII, LONG_CJK, "..", "h-looks-hashed"])
def test_a_file_of_an_odd_id_is_stored_and_read_back(tmp_path, doc_id):
    store = RawStore(tmp_path)
    stored, status = store.put_file(doc_id, PDF, declared_type="application/pdf", markers={"n": 1})
    assert status == "new" and stored.document_id == doc_id and stored.detected_type == "pdf"
    again = RawStore(tmp_path)  # a later run reads it back by the same id
    assert again.current_file(doc_id).sha256 == stored.sha256
    assert again.file_markers(doc_id) == {"n": 1}
    _, status = again.put_file(doc_id, PDF + b"1")
    assert status == "changed" and len(again.file_versions(doc_id)) == 2


def test_the_index_maps_hashed_names_back_to_their_ids(tmp_path):
    store = RawStore(tmp_path)
    for doc_id in (LONG_ASCII, LONG_CJK, "plain-id"):
        store.put_file(doc_id, PDF)
    names = json.loads((tmp_path / "files" / "names.json").read_text(encoding="utf-8"))
    assert sorted(names.values()) == sorted([LONG_ASCII, LONG_CJK])
    assert set(store.files.all_versions()) == {LONG_ASCII, LONG_CJK, "plain-id"}


def test_an_os_error_on_one_document_fails_that_document_only(tmp_path, monkeypatch):
    store = RawStore(tmp_path / "store")
    real_markers, real_put = store.file_markers, store.put_file

    def markers(doc_id):
        if doc_id == IDS["A1"]:
            raise OSError(errno.ENAMETOOLONG, "File name too long")
        return real_markers(doc_id)

    def put(doc_id, data, **kw):
        if doc_id == IDS["Q2"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_put(doc_id, data, **kw)

    monkeypatch.setattr(store, "file_markers", markers)
    monkeypatch.setattr(store, "put_file", put)
    with ReplayServer(SMALL) as srv, TKClient(fast_settings(srv.base_url)) as client:
        sync_metadata(client, store)
        summary = fetch_files(client, store)
    failed = dict(summary.failed)
    assert set(failed) == {IDS["A1"], IDS["Q2"]}
    assert "File name too long" in failed[IDS["A1"]] and "No space left" in failed[IDS["Q2"]]
    assert len(summary.new) == 7  # the other documents of the fixture were stored
