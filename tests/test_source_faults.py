"""Every fault the live service is known for is survived: same final store, no duplicates.

Each run goes over real HTTP on 127.0.0.1: a window sync, the files, then an incremental sync
and the files again, paged at two rows. The store's content hash must equal the one from a
fault-free run, and the server must confirm it really injected the fault.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.replay import Faults, Realism, ReplayServer
from etl.source.client import TKClient
from etl.source.sync import fetch_files, sync_metadata
from etl.store import RawStore
from replay_fixtures.helpers import IDS, SMALL, fast_settings


MODES = {"default": None, "strict live": Realism.strict_live(slow_500_seconds=0.05)}


def cycle(store_dir: Path, faults: Faults | None = None, realism: Realism | None = None, **settings):
    with ReplayServer(SMALL, page_size=2, faults=faults, realism=realism) as srv:
        store = RawStore(store_dir)
        with TKClient(fast_settings(srv.base_url, **settings)) as client:
            s1 = sync_metadata(client, store)
            f1 = fetch_files(client, store)
            s2 = sync_metadata(client, store, incremental=True)
            f2 = fetch_files(client, store)
            retries = client.stats.retries
        return store, (s1, f1, s2, f2), srv.faults_served(), retries


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    store, (s1, f1, s2, f2), served, retries = cycle(tmp_path_factory.mktemp("ref"))
    assert not f1.failed and retries == 0 and served == {}
    return store.state_digest()


FAULTS = {
    "500 bursts with JSON bodies": (Faults(status_500=2, body_500="json"), {}),
    "500 bursts with HTML bodies": (Faults(status_500=2, body_500="html"), {}),
    "429 with Retry-After": (Faults(status_429=1, retry_after="1", limit=2), {"backoff_max": 2.0}),
    "slow responses beyond the read timeout": (Faults(slow=1, slow_seconds=0.8, limit=4), {"read_timeout": 0.2}),
    "bodies cut off mid-transfer": (Faults(truncate=1, truncate_mode="close"), {}),
    "bodies truncated with a matching Content-Length": (Faults(truncate=1, truncate_mode="short"), {}),
    "connection resets": (Faults(reset=1), {}),
    "everything at once": (Faults(status_500=1, body_500="mixed", reset=1, truncate=1), {"max_retries": 5}),
}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_survived_with_the_same_final_store(name, mode, tmp_path, reference):
    faults, settings = FAULTS[name]
    store, (s1, f1, s2, f2), served, retries = cycle(tmp_path / "store", faults, MODES[mode], **settings)
    assert served and retries >= sum(served.values()) - faults.word_as_pdf, served
    assert not f1.failed and not f2.failed and not s1.failed and not s2.failed
    assert store.state_digest() == reference
    docs = [d.id for d in store.documents()]
    assert len(docs) == len(set(docs)) == 9
    assert all(len(store.file_versions(d)) == 1 for d in docs)  # no duplicate versions


def test_word_file_served_as_pdf_is_stored_as_docx(tmp_path, reference):
    store, (s1, f1, s2, f2), served, retries = cycle(tmp_path / "store", Faults(word_as_pdf=True))
    assert store.current_file(IDS["A23"]).detected_type == "docx"
    assert store.state_digest() == reference


def test_missing_resource_is_reported_then_fetched_once_it_is_back(tmp_path, reference):
    store, (s1, f1, s2, f2), served, _ = cycle(tmp_path / "store", Faults(missing=frozenset({IDS["A1"]})))
    assert [d for d, _ in f1.failed] == [IDS["A1"]] and [d for d, _ in f2.failed] == [IDS["A1"]]
    assert store.state_digest() != reference
    cycle(tmp_path / "store")
    assert store.state_digest() == reference
