"""The KOOP client and fetch step, through the local replay (which serves KOOP's /<id>.xml)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from etl.models import DocumentRecord
from etl.parse import parse_bytes
from etl.replay import Faults, ReplayServer
from etl.sample import SAMPLE_API_DIR
from etl.source.koop import KoopClient, fetch_koop_files, is_koop_id, koop_store_key
from etl.store import RawStore
from replay_fixtures.helpers import fast_settings


def doc(koop_id: str | None, *, deleted: bool = False) -> DocumentRecord:
    return DocumentRecord(
        id=f"doc-{koop_id}", number=None, kind="Antwoord schriftelijke vragen", subject=None, date=None,
        session=None, content_type=None, content_length=None, koop_id=koop_id, appendix_number=None,
        deleted=deleted,
    )


@pytest.fixture()
def server():
    with ReplayServer(SAMPLE_API_DIR) as s:
        yield s


def settings_for(server: ReplayServer, **kw):
    return fast_settings(server.base_url, koop_url=server.origin, **kw)


def test_koop_ids_are_recognised_and_anything_else_refused():
    assert is_koop_id("ah-tk-20252026-38") and is_koop_id("kv-tk-2026Z19034")
    assert not is_koop_id("../etc/passwd") and not is_koop_id("ah-tk-1/../x") and not is_koop_id(None)
    with pytest.raises(ValueError):
        KoopClient(fast_settings("http://127.0.0.1:1/OData/v5")).xml_url("stb-2020-118?x=1")


def test_fetch_stores_each_xml_by_sha256_and_a_missing_one_is_one_line(server, tmp_path: Path):
    store = RawStore(tmp_path / "raw")
    docs = [doc("ah-tk-20252026-38"), doc("ah-tk-20252026-611"), doc("ah-tk-20252026-99999"),
            doc("ah-tk-20252026-905", deleted=True), doc(None), doc("2025D12345")]
    result = fetch_koop_files(settings_for(server), store, docs)
    assert sorted(result.stored) == ["ah-tk-20252026-38", "ah-tk-20252026-611"]
    assert len(result.failed) == 1 and result.failed[0].startswith("ah-tk-20252026-99999: HTTP 404")
    stored = store.current_file(koop_store_key("ah-tk-20252026-611"))
    assert stored is not None and stored.sha256 == result.stored["ah-tk-20252026-611"]
    letter = parse_bytes(store.read_file(stored), "611.xml")
    assert letter.source_format == "xml" and len(letter.answers) == 5
    again = fetch_koop_files(settings_for(server), store, docs)
    assert again.changed == [] and sorted(again.stored) == sorted(result.stored)


def test_fetch_retries_server_errors(server, tmp_path: Path):
    server.faults = Faults(status_500=2, match=".xml")
    result = fetch_koop_files(settings_for(server), RawStore(tmp_path / "raw"), [doc("ah-tk-20252026-38")])
    assert list(result.stored) == ["ah-tk-20252026-38"] and result.failed == []
    assert server.faults_served().get("status_500", 0) >= 2


def test_fetch_refuses_a_body_over_the_size_cap_and_goes_on(server, tmp_path: Path):
    result = fetch_koop_files(settings_for(server, max_file_bytes=2000), RawStore(tmp_path / "raw"),
                              [doc("ah-tk-20252026-38"), doc("ah-tk-20252026-402")])
    assert any(f.startswith("ah-tk-20252026-38:") and "cap" in f for f in result.failed)
    assert "ah-tk-20252026-402" in result.stored  # the small notice still came through


def test_fetch_refuses_what_is_not_a_koop_publication(tmp_path: Path):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>onderhoud</html>")

    settings = fast_settings("http://api.test/OData/v5", koop_url="http://koop.test")
    result = fetch_koop_files(settings, RawStore(tmp_path / "raw"), [doc("ah-tk-20252026-38")],
                              transport=httpx.MockTransport(handler))
    assert result.stored == {} and "not a KOOP publication" in result.failed[0]


def test_koop_url_is_a_setting_read_from_the_environment():
    from etl.config import LIVE_KOOP_URL, from_env

    assert from_env({}).koop_origin == LIVE_KOOP_URL == "https://zoek.officielebekendmakingen.nl"
    assert from_env({"KAMERSPOOR_KOOP_URL": "http://127.0.0.1:9"}).koop_origin == "http://127.0.0.1:9"
    # a replay (or any other API server) serves the twins itself unless told otherwise
    assert from_env({"KAMERSPOOR_API_URL": "http://127.0.0.1:8/OData/v5"}).koop_origin == "http://127.0.0.1:8"


def test_a_redirect_off_the_koop_origin_is_refused_not_followed(tmp_path: Path):
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data"})

    settings = fast_settings("http://api.test/OData/v5", koop_url="http://koop.test")
    result = fetch_koop_files(settings, RawStore(tmp_path / "raw"), [doc("ah-tk-20252026-38")],
                              transport=httpx.MockTransport(handler))
    assert seen == ["http://koop.test/ah-tk-20252026-38.xml"]
    assert result.stored == {} and "refusing to follow" in result.failed[0]
