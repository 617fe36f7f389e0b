"""What the sync fetches, how incremental runs converge, and how files are fetched."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from etl.replay import Faults, ReplayServer
from replay_fixtures import edits
from etl.source.client import TKClient
from etl.source.fields import MissingFieldError
from etl.source.sync import CURSOR_KEY, fetch_files, sync_metadata
from etl.store import RawStore
from etl.window import Window
from replay_fixtures.helpers import IDS, SMALL, copy_fixture, edit_rows, fast_settings

ALL_SETS = {"Z1", "Z2", "Z3", "Z4", "Z5"}
ALL_DOCS = {"Q1", "D1", "A1", "Q2", "Q3", "A23", "Q4", "Q5", "X5"}
NAMES = {v: k for k, v in IDS.items()}


def names(records) -> set[str]:
    return {NAMES.get(r.id, r.id) for r in records}


def run(fixture: Path, store_dir: Path, *, page_size: int = 2, faults: Faults | None = None, files: bool = True, **kw):
    with ReplayServer(fixture, page_size=page_size, faults=faults) as srv:
        store = RawStore(store_dir)
        with TKClient(fast_settings(srv.base_url)) as client:
            summary = sync_metadata(client, store, **kw)
            fetched = fetch_files(client, store) if files else None
        return store, summary, fetched, list(srv.request_log)


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    return run(SMALL, tmp_path_factory.mktemp("full"))


def test_window_sync_fetches_written_question_sets_only(full):
    store, summary, _, log = full
    assert names(store.question_sets()) == ALL_SETS  # no Mondelinge vragen, no tombstoned Zaak
    assert names(store.documents()) == ALL_DOCS  # the tombstoned T4 and Q6 are absent
    assert summary.counts["question_sets"].new == 5 and summary.counts["documents"].new == 9
    assert any("$skiptoken=" in p for p in log)  # paged at 2 rows
    assert not any("$top" in p for p in log)


def test_combined_answer_is_one_document_linked_to_both_sets(full):
    store = full[0]
    a23 = next(d for d in store.documents() if d.id == IDS["A23"])
    assert set(a23.question_set_ids) == {IDS["Z2"], IDS["Z3"]}
    assert [d.id for d in store.documents()].count(IDS["A23"]) == 1


def test_koop_ids_kinds_and_actors_are_kept(full):
    store = full[0]
    docs = {NAMES[d.id]: d for d in store.documents()}
    assert docs["A1"].koop_id == "ah-tk-20252026-512" and docs["A1"].appendix_number == "252600512"
    assert docs["Q3"].koop_id is None
    assert docs["X5"].kind == "Brief regering (nieuwe soort)"  # unknown kinds never crash
    z1 = sorted((a.relation, a.name, a.party) for a in store.actors() if a.question_set_id == IDS["Z1"])
    assert z1 == [("Gericht aan", "E.F. Bakker", None), ("Indiener", "A.B. Jansen", "GL-PvdA"),
                  ("Medeindiener", "C.D. de Vries", "CDA")]


def test_files_are_stored_with_types_read_from_bytes(full):
    store, _, fetched, _ = full
    assert len(fetched.new) == 9 and not fetched.failed
    assert fetched.types == {"pdf": 8, "docx": 1}
    a23 = store.current_file(IDS["A23"])
    assert a23.detected_type == "docx" and Path(a23.path).read_bytes().startswith(b"PK")


def test_window_includes_a_set_started_at_dutch_midnight_on_the_first_day(tmp_path):
    store, *_ = run(SMALL, tmp_path / "s", window=Window(date(2025, 10, 1), date(2025, 11, 1)), files=False)
    assert names(store.question_sets()) == {"Z1", "Z5"}
    store2, *_ = run(SMALL, tmp_path / "s2", window=Window(None, date(2025, 10, 1)), files=False)
    assert store2.question_sets() == []


def test_window_leaves_out_a_set_submitted_on_its_end_day(tmp_path):
    # Z3 starts at Dutch midnight of 4 November, Z2 a day earlier
    store, *_ = run(SMALL, tmp_path / "s", window=Window(date(2025, 11, 3), date(2025, 11, 4)), files=False)
    assert names(store.question_sets()) == {"Z2"}


def test_consecutive_windows_fetch_each_set_exactly_once(tmp_path):
    seen: list[str] = []
    for start, end in [(date(2025, 10, 1), date(2025, 11, 3)), (date(2025, 11, 3), date(2025, 11, 4)),
                       (date(2025, 11, 4), date(2026, 1, 1))]:
        store, *_ = run(SMALL, tmp_path / str(start), window=Window(start, end), files=False)
        seen += sorted(names(store.question_sets()))
    assert sorted(seen) == sorted(ALL_SETS)


def test_window_of_one_day_links_a_combined_answer_to_that_set_only(tmp_path):
    store, *_ = run(SMALL, tmp_path / "s", window=Window(date(2025, 11, 4), date(2025, 11, 5)), files=False)
    assert names(store.question_sets()) == {"Z3"}
    a23 = next(d for d in store.documents() if d.id == IDS["A23"])
    assert a23.question_set_ids == (IDS["Z3"],)


def test_incremental_run_without_changes_fetches_no_files_and_changes_nothing(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    store, _, _, _ = run(fx, tmp_path / "store")
    digest, cursor = store.state_digest(), store.get_state(CURSOR_KEY)
    store, summary, fetched, log = run(fx, tmp_path / "store", incremental=True)
    assert summary.mode == "incremental"
    assert all(c.new == c.changed == c.deleted == 0 for c in summary.counts.values())
    assert fetched.downloaded == 0 and fetched.up_to_date == 9
    assert not any("/resource" in p for p in log)
    assert store.state_digest() == digest and store.get_state(CURSOR_KEY) == cursor


def test_incremental_picks_up_a_new_file_and_a_new_answer_to_an_old_set(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    store, *_ = run(fx, tmp_path / "store")
    old_a1 = store.current_file(IDS["A1"])
    # A1 gets a new file (a PDF replacing the earlier one) ...
    new_bytes = b"%PDF-1.7\n% herziene versie van het antwoord\n%%EOF\n"
    edits.replace_resource(fx, IDS["A1"], new_bytes, ".pdf", "2026-01-05T10:00:00Z", "2026-01-05T11:00:00+01:00")
    # ... and the unanswered Z4 gets its answer, a new document linked to the old set.
    new_id = "6f1c0d3e-aaaa-4000-8000-00000000a404"
    answer = b"%PDF-1.7\n% antwoord op Z4\n%%EOF\n"
    (fx / "resources" / f"{new_id}.pdf").write_bytes(answer)
    edits.add_row(fx, "Document", {
        "Id": new_id, "Nummer": "2026D00001", "Soort": "Antwoord schriftelijke vragen", "Onderwerp": "Antwoord Z4",
        "Datum": "2026-01-06T00:00:00+01:00", "Vergaderjaar": "2025-2026", "Ondernummer": -1,
        "Aanhangselnummer": "252601001", "ContentType": "application/pdf", "ContentLength": len(answer),
        "HuidigeDocumentVersie_Id": None, "GewijzigdOp": "2026-01-06T09:00:00+01:00",
        "ApiGewijzigdOp": "2026-01-06T08:00:00Z", "Verwijderd": False})
    edits.link(fx, IDS["Z4"], new_id)

    store, summary, fetched, _ = run(fx, tmp_path / "store", incremental=True)
    docs = {d.id: d for d in store.documents()}
    assert docs[new_id].question_set_ids == (IDS["Z4"],)
    assert summary.counts["documents"].new == 1 and summary.counts["documents"].changed == 1
    assert fetched.new == [new_id] and fetched.changed == [IDS["A1"]] and fetched.up_to_date == 8
    versions = store.file_versions(IDS["A1"])
    assert [v.sha256 for v in versions][0] == old_a1.sha256 and len(versions) == 2
    assert Path(versions[0].path).exists() and Path(versions[1].path).read_bytes() == new_bytes
    assert store.get_state(CURSOR_KEY) == "2026-01-06T08:00:00Z"


def test_incremental_applies_tombstones_and_removed_links(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    store, *_ = run(fx, tmp_path / "store")
    stamp = "2026-02-01T12:00:00Z"
    edits.tombstone(fx, "Document", IDS["D1"], stamp)
    edits.tombstone(fx, "Zaak", IDS["Z3"], stamp)
    edits.tombstone(fx, "ZaakActor", IDS["Z1-m"], stamp)
    # X5 is unlinked from Z5 (the document itself changes, its link goes)
    edits.unlink(fx, IDS["Z5"], IDS["X5"])
    edits.update_row(fx, "Document", IDS["X5"], stamp)
    # KOOP publishes Q4: only its DocumentVersie changes
    q4 = edits_row_id(fx, "DocumentVersie", "Document_Id", IDS["Q4"])
    edits.update_row(fx, "DocumentVersie", q4, stamp, ExterneIdentifier="kv-tk-2025Z10004")

    store, summary, fetched, _ = run(fx, tmp_path / "store", incremental=True)
    assert names(store.question_sets()) == ALL_SETS - {"Z3"}
    assert names(store.documents()) == ALL_DOCS - {"D1", "Q3", "X5"}
    assert {IDS[k] for k in ("D1", "Q3", "X5")} <= store.deleted_document_ids()
    assert store.deleted_question_set_ids() == {IDS["Z3"]}
    a23 = next(d for d in store.documents() if d.id == IDS["A23"])
    assert a23.question_set_ids == (IDS["Z2"],)
    assert "C.D. de Vries" not in {a.name for a in store.actors()}
    assert next(d for d in store.documents() if d.id == IDS["Q4"]).koop_id == "kv-tk-2025Z10004"
    assert summary.counts["question_sets"].deleted == 1
    assert summary.counts["documents"].deleted == 3  # D1 tombstoned, Q3 with its set, X5 unlinked
    assert summary.counts["documents"].changed == 1  # Q4's KOOP id
    assert fetched.downloaded == 0

    # the same state as a fresh window sync of the edited API (which never sees tombstones)
    fresh, *_ = run(fx, tmp_path / "fresh", files=False)
    assert fresh.question_sets() == store.question_sets()
    assert fresh.documents() == store.documents()
    assert fresh.actors() == store.actors()


def edits_row_id(fx: Path, entity: str, field: str, value: str) -> str:
    rows = json.loads((fx / f"{entity}.json").read_text())["value"]
    return next(r["Id"] for r in rows if r[field] == value)


def test_missing_field_fails_naming_field_and_url_and_keeps_cursor(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    edit_rows(fx, "Zaak", lambda rows: [r.pop("Onderwerp") for r in rows if r["Id"] == IDS["Z4"]] and None)
    with ReplayServer(fx) as srv, TKClient(fast_settings(srv.base_url)) as client:
        store = RawStore(tmp_path / "store")
        with pytest.raises(MissingFieldError) as exc:
            sync_metadata(client, store)
        assert "'Onderwerp'" in str(exc.value) and srv.base_url + "/Zaak?" in str(exc.value)
    assert store.get_state(CURSOR_KEY) is None


def test_one_missing_file_does_not_stop_the_others_and_is_fetched_next_time(tmp_path, full):
    store, _, fetched, _ = run(SMALL, tmp_path / "store", faults=Faults(missing=frozenset({IDS["Q2"]})))
    assert fetched.failed and fetched.failed[0][0] == IDS["Q2"] and "404" in fetched.failed[0][1]
    assert len(fetched.new) == 8 and store.current_file(IDS["Q2"]) is None
    store, _, fetched, _ = run(SMALL, tmp_path / "store", incremental=True)
    assert fetched.new == [IDS["Q2"]] and fetched.up_to_date == 8
    assert store.state_digest() == full[0].state_digest()


def test_html_error_page_is_not_stored_as_a_letter(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    page = b"<!DOCTYPE html><html><body><h1>Server Error in '/' Application.</h1></body></html>"
    (fx / "resources" / f"{IDS['Q3']}.pdf").write_bytes(page)
    edit_rows(fx, "Document", lambda rows: [r.update(ContentLength=len(page)) for r in rows if r["Id"] == IDS["Q3"]] and None)
    store, _, fetched, _ = run(fx, tmp_path / "store", files=True)
    assert [d for d, _ in fetched.failed] == [IDS["Q3"]] and "HTML" in fetched.failed[0][1]
    assert store.current_file(IDS["Q3"]) is None and len(fetched.new) == 8


def test_file_over_the_cap_is_refused(tmp_path):
    with ReplayServer(SMALL) as srv:
        store = RawStore(tmp_path / "store")
        with TKClient(fast_settings(srv.base_url, max_file_bytes=300)) as client:
            sync_metadata(client, store)
            fetched = fetch_files(client, store)
    assert [d for d, _ in fetched.failed] == [IDS["A23"]] and "cap" in fetched.failed[0][1]
    assert not any(IDS["A23"] in p for p in srv.request_log if "/resource" in p)  # refused before asking


def test_summaries_render_for_cli_and_dagster(full):
    _, summary, fetched, _ = full
    meta = summary.to_metadata()
    assert meta["question_sets_new"] == 5 and meta["documents_new"] == 9 and meta["mode"] == "window"
    assert "question sets" in str(summary) and "new 5" in str(summary)
    assert fetched.to_metadata()["new"] == 9 and fetched.to_metadata()["types"] == {"docx": 1, "pdf": 8}
    assert "files: new 9" in str(fetched)


def test_progress_is_reported(tmp_path):
    calls = []
    with ReplayServer(SMALL, page_size=2) as srv, TKClient(fast_settings(srv.base_url)) as client:
        store = RawStore(tmp_path / "s")
        sync_metadata(client, store, progress=lambda stage, done, total: calls.append((stage, done, total)))
        fetch_files(client, store, progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls[0][0].startswith("metadata") and calls[-1] == ("files", 9, 9)


def test_window_sync_does_not_move_an_existing_cursor_past_unseen_changes(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    store, *_ = run(fx, tmp_path / "store", files=False)
    cursor = store.get_state(CURSOR_KEY)
    # an old set outside the next window is tombstoned, then a set inside it changes later
    edits.tombstone(fx, "Zaak", IDS["Z5"], "2026-04-01T08:00:00Z")
    edits.update_row(fx, "Zaak", IDS["Z4"], "2026-04-01T10:00:00Z", Onderwerp="gewijzigd")
    store, summary, *_ = run(fx, tmp_path / "store", window=Window(date(2025, 12, 1), date(2026, 1, 1)), files=False)
    assert summary.counts["question_sets"].changed == 1
    assert store.get_state(CURSOR_KEY) == cursor  # else the tombstone at 08:00 would never be read
    store, summary, *_ = run(fx, tmp_path / "store", incremental=True, files=False)
    assert IDS["Z5"] in store.deleted_question_set_ids()
    assert store.get_state(CURSOR_KEY) == "2026-04-01T10:00:00Z"
