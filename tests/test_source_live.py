"""The sync against a replay that behaves like the live v5 service (issue 10), over real HTTP.

Strict live mode: the 100-node filter limit, ``in``, 400 on unknown fields, tombstones without
``ApiGewijzigdOp``, pages capped at 100 rows without a nextLink, 7-digit fractions,
``Ondernummer -1`` and occasional slow 500s.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from etl.replay import Realism, ReplayServer
from etl.source.client import TKClient
from etl.source.odata import Guid, any_of, eq, in_, node_cost
from etl.source.sync import RECONCILE_LAST_KEY, fetch_files, ids_per_request, sync_metadata
from etl.store import RawStore
from etl.window import Window
from replay_fixtures import edits
from replay_fixtures.helpers import IDS, SMALL, copy_fixture, edit_rows, fast_settings

G = "7a9b77f1-1234-4321-abcd-0123456789ab"
STRICT = Realism.strict_live(slow_500_seconds=0.05)


def test_node_cost_model_matches_the_reported_figures():
    assert node_cost(eq("Id", Guid(G))) == 5
    assert node_cost(eq("Soort", "Schriftelijke vragen")) == 4
    assert node_cost(any_of("Id", [Guid(G)] * 20)) == 119  # the old re-read: over the limit
    assert node_cost(in_("Id", [Guid(G)] * 25)) < 90
    assert ids_per_request(90) > ids_per_request(90, use_in=False) >= 10


def add_sets(fixture: Path, n: int, month: str = "2025-10") -> list[str]:
    """``n`` more question sets with one actor each, started in ``month``."""
    ids = []
    for i in range(n):
        zid, aid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"z{i}")), str(uuid.uuid5(uuid.NAMESPACE_URL, f"a{i}"))
        day = f"{month}-{1 + i % 28:02d}T00:00:00+02:00"
        edits.add_row(fixture, "Zaak", {
            "Id": zid, "Nummer": f"2025Z2{i:04d}", "Soort": "Schriftelijke vragen", "Onderwerp": f"Vragen {i}",
            "GestartOp": day, "Vergaderjaar": "2025-2026", "GewijzigdOp": day,
            "ApiGewijzigdOp": "2025-11-01T08:00:00Z", "Verwijderd": False,
        })
        edits.add_row(fixture, "ZaakActor", {
            "Id": aid, "Zaak_Id": zid, "ActorNaam": f"Lid {i}", "ActorFractie": "X", "Functie": "Tweede Kamerlid",
            "Relatie": "Indiener", "GewijzigdOp": day, "ApiGewijzigdOp": "2025-11-01T08:00:00Z", "Verwijderd": False,
        })
        ids.append(aid)
    return ids


def test_capped_listing_without_next_link_loads_every_row_and_60_rereads_fit_the_budget(tmp_path):
    fx = copy_fixture(tmp_path / "api")
    actors = add_sets(fx, 130)
    with ReplayServer(fx, realism=STRICT) as srv, TKClient(fast_settings(srv.base_url)) as client:
        store = RawStore(tmp_path / "store")
        first = sync_metadata(client, store)
        assert not first.failed
        assert len(store.question_sets()) == 135  # pages of 100 without nextLink: $skip continued
        assert any("$skip=100" in p for p in srv.request_log)
        for n, aid in enumerate(actors[:60]):
            edits.update_row(fx, "ZaakActor", aid, f"2025-12-03T08:00:{n:02d}Z", ActorNaam=f"Renamed {n}")
        srv.request_log.clear()
        second = sync_metadata(client, store, incremental=True)
        assert not second.failed, second.failed
        renamed = {a.name for a in store.actors() if a.name.startswith("Renamed")}
        assert len(renamed) == 60
        rereads = [p for p in srv.request_log if "%20in%20(" in p or " in (" in p]
        assert 3 <= len(rereads) <= 4  # 60 ids in chunks of ~26, each within the node limit


def test_node_limit_answer_halves_the_chunk_and_keeps_the_smaller_size(tmp_path):
    fx = copy_fixture(tmp_path / "api")
    actors = add_sets(fx, 40)
    # a budget too generous for the service: 40 ids in one request cost ~130 nodes
    with ReplayServer(fx, realism=STRICT) as srv, TKClient(fast_settings(srv.base_url, filter_node_budget=400)) as client:
        store = RawStore(tmp_path / "store")
        sync_metadata(client, store)
        for n, aid in enumerate(actors):
            edits.update_row(fx, "ZaakActor", aid, f"2025-12-03T08:00:{n:02d}Z", ActorNaam=f"Renamed {n}")
        srv.request_log.clear()
        summary = sync_metadata(client, store, incremental=True)
        rereads = [p for p in srv.request_log if "%20in%20(" in p]
    assert not summary.failed, summary.failed
    assert len(rereads) == 3  # 40 refused with the node limit, then 20 + 20
    assert sum(a.name.startswith("Renamed") for a in store.actors()) == 40


def test_tombstones_without_api_changed_are_found_by_the_sweep(tmp_path):
    fx = copy_fixture(tmp_path / "api")
    with ReplayServer(fx, realism=STRICT) as srv, TKClient(fast_settings(srv.base_url)) as client:
        store = RawStore(tmp_path / "store")
        sync_metadata(client, store)
        assert IDS["A1"] in {d.id for d in store.documents()}
        edits.tombstone(fx, "Document", IDS["A1"], "2025-12-03T08:00:00Z")
        served = client.get_json(f"{srv.base_url}/Document({IDS['A1']})")
        assert served["ApiGewijzigdOp"] is None and served["GewijzigdOp"]  # as observed live
        summary = sync_metadata(client, store, incremental=True)
    assert not summary.failed
    assert IDS["A1"] not in {d.id for d in store.documents()}
    assert IDS["A1"] in store.deleted_document_ids()


def test_reconcile_retires_a_set_the_service_no_longer_has(tmp_path):
    fx = copy_fixture(tmp_path / "api")
    with ReplayServer(fx, realism=STRICT) as srv, TKClient(fast_settings(srv.base_url)) as client:
        store = RawStore(tmp_path / "store")
        sync_metadata(client, store)
        # gone without any trace the incremental listings or the sweep could see
        edit_rows(fx, "Zaak", lambda rows: [r for r in rows if r["Id"] != IDS["Z5"]])
        quiet = sync_metadata(client, store, incremental=True)
        assert IDS["Z5"] in {q.id for q in store.question_sets()} and not quiet.reconciled
        assert store.get_state(RECONCILE_LAST_KEY)  # the clock started
        summary = sync_metadata(client, store, incremental=True, reconcile=True)
    assert summary.reconciled and not summary.failed
    assert IDS["Z5"] not in {q.id for q in store.question_sets()}
    assert len(store.question_sets()) == 4


def test_a_long_empty_window_is_an_error_naming_the_filter(tmp_path):
    from datetime import date

    from etl.source.client import TKError

    fx = copy_fixture(tmp_path / "api")
    edit_rows(fx, "Zaak", lambda rows: [r.update(Soort="Schriftelijke vraag") for r in rows] and None)
    with ReplayServer(fx, realism=STRICT) as srv, TKClient(fast_settings(srv.base_url)) as client:
        with pytest.raises(TKError, match="Soort eq 'Schriftelijke vragen'"):
            sync_metadata(client, RawStore(tmp_path / "s"), window=Window(date(2025, 10, 1), date(2025, 11, 1)))


def test_strict_live_run_stores_the_same_state_as_a_default_run(tmp_path):
    digests = []
    for n, realism in enumerate((None, STRICT)):
        with ReplayServer(SMALL, page_size=2, realism=realism) as srv, TKClient(fast_settings(srv.base_url)) as client:
            store = RawStore(tmp_path / f"s{n}")
            assert not sync_metadata(client, store).failed
            assert not fetch_files(client, store).failed
            assert not sync_metadata(client, store, incremental=True, reconcile=True).failed
            digests.append(store.state_digest())
    assert digests[0] == digests[1]
