"""The raw store: merged state with tombstones, immutable files with versions, atomic writes."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from etl.models import ActorRecord, DocumentRecord, QuestionSetRecord
from etl.store import MetadataBatch, RawStore, atomic_write_bytes, detect_type


def qs(i: str, deleted: bool = False, subject: str = "s") -> QuestionSetRecord:
    return QuestionSetRecord(id=i, number=None if deleted else f"N{i}", kind=None if deleted else "Schriftelijke vragen",
                             subject=None if deleted else subject, submitted_on=None if deleted else date(2025, 1, 2),
                             session=None, deleted=deleted)


def doc(i: str, deleted: bool = False, length: int = 10) -> DocumentRecord:
    return DocumentRecord(id=i, number=f"D{i}", kind="Antwoord schriftelijke vragen", subject="x",
                          date=date(2025, 2, 3), session="2024-2025", content_type="application/pdf",
                          content_length=length, koop_id=None, appendix_number=None, deleted=deleted)


def actor(i: str, q: str) -> ActorRecord:
    return ActorRecord(id=i, question_set_id=q, name="N", party="P", function="f", relation="Indiener")


def test_document_linked_to_two_question_sets_is_one_record_with_both_ids(tmp_path):
    store = RawStore(tmp_path)
    shared = doc("d")
    store.merge(MetadataBatch(snapshots=[(qs("q1"), [shared, doc("a")], [actor("a1", "q1")]), (qs("q2"), [shared], [])]))
    docs = {d.id: d for d in store.documents()}
    assert docs["d"].question_set_ids == ("q1", "q2")
    assert len(store.documents()) == 2


def test_snapshot_replaces_links_and_actors_of_its_question_set(tmp_path):
    store = RawStore(tmp_path)
    store.merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a"), doc("b")], [actor("x", "q1"), actor("y", "q1")])]))
    result = store.merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a")], [actor("x", "q1")])]))
    assert [d.id for d in store.documents()] == ["a"]
    assert store.deleted_document_ids() == {"b"}
    assert [a.id for a in store.actors()] == ["x"]
    assert result.deleted["actors"] == {"y"}
    assert result.deleted["documents"] == {"b"}  # unlinked from its only set


def test_tombstones_remove_documents_and_question_sets(tmp_path):
    store = RawStore(tmp_path)
    store.merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a")], [actor("x", "q1")]), (qs("q2"), [doc("b")], [])]))
    r = store.merge(MetadataBatch(question_set_tombstones=[qs("q1", deleted=True)], document_tombstones=[doc("b", deleted=True)]))
    assert store.question_sets() == [qs("q2")]
    assert store.documents() == []
    assert store.actors() == []
    assert store.deleted_document_ids() == {"a", "b"}
    assert store.deleted_question_set_ids() == {"q1"}
    assert r.deleted["question_sets"] == {"q1"} and r.deleted["documents"] == {"a", "b"}


def test_tombstone_of_unknown_rows_adds_nothing(tmp_path):
    store = RawStore(tmp_path)
    store.merge(MetadataBatch(question_set_tombstones=[qs("zz", deleted=True)], document_tombstones=[doc("dd", deleted=True)]))
    assert store.deleted_document_ids() == set() and store.deleted_question_set_ids() == set()


def test_merging_the_same_batch_twice_changes_nothing(tmp_path):
    store = RawStore(tmp_path)
    batch = MetadataBatch(snapshots=[(qs("q1"), [doc("a")], [actor("x", "q1")])])
    first = store.merge(batch)
    digest = store.state_digest()
    journal = (tmp_path / "state" / "journal.jsonl").read_bytes()
    second = store.merge(batch)
    assert first.new["question_sets"] == {"q1"}
    assert not second.touched and second.unchanged["documents"] == {"a"}
    assert store.state_digest() == digest
    assert (tmp_path / "state" / "journal.jsonl").read_bytes() == journal  # nothing written


def test_changed_record_is_reported_changed(tmp_path):
    store = RawStore(tmp_path)
    store.merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a", length=1)], [])]))
    r = store.merge(MetadataBatch(snapshots=[(qs("q1", subject="new"), [doc("a", length=2)], [])]))
    assert r.changed["question_sets"] == {"q1"} and r.changed["documents"] == {"a"}
    assert store.documents()[0].content_length == 2


def test_state_survives_a_new_store_object(tmp_path):
    RawStore(tmp_path).merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a")], [actor("x", "q1")])]))
    again = RawStore(tmp_path)
    assert [q.id for q in again.question_sets()] == ["q1"]
    assert again.documents()[0].date == date(2025, 2, 3)


def test_file_versions_are_kept_and_addressed_by_sha256(tmp_path):
    store = RawStore(tmp_path)
    v1, v2 = b"%PDF-1.4 first", b"%PDF-1.4 second"
    f1, s1 = store.put_file("d", v1, declared_type="application/pdf")
    f_same, s_same = store.put_file("d", v1, declared_type="application/pdf")
    f2, s2 = store.put_file("d", v2, declared_type="application/pdf")
    assert (s1, s_same, s2) == ("new", "unchanged", "changed")
    assert f1.sha256 == hashlib.sha256(v1).hexdigest() and Path(f1.path).read_bytes() == v1
    assert [v.sha256 for v in store.file_versions("d")] == [f1.sha256, f2.sha256]
    assert store.current_file("d").sha256 == f2.sha256
    assert Path(f1.path).read_bytes() == v1  # the old version is still there
    assert store.current_file("missing") is None


def test_stored_file_objects_are_never_rewritten(tmp_path):
    store = RawStore(tmp_path)
    f, _ = store.put_file("d", b"%PDF-1.4 x")
    ino = os.stat(f.path).st_ino
    store.put_file("e", b"%PDF-1.4 x")  # same bytes, other document: shares the object
    assert os.stat(f.path).st_ino == ino
    assert store.current_file("e").path == f.path


def test_state_and_parse_cache_round_trip(tmp_path):
    store = RawStore(tmp_path)
    assert store.get_state("sync_cursor") is None
    store.set_state("sync_cursor", "2026-01-01T00:00:00Z")
    store.set_state("other", 3)
    assert RawStore(tmp_path).get_state("sync_cursor") == "2026-01-01T00:00:00Z"
    assert store.get_parse("abc", "1.0") is None
    store.put_parse("abc", "1.0", {"questions": [1]})
    assert store.get_parse("abc", "1.0") == {"questions": [1]}
    assert store.get_parse("abc", "2.0") is None


def test_raw_payloads_are_kept_per_run(tmp_path):
    store = RawStore(tmp_path)
    run = store.new_run_id()
    p1 = store.save_payload(run, "Zaak", "http://x/Zaak", {"value": [1]})
    p2 = store.save_payload(run, "Zaak", "http://x/Zaak?$skiptoken=1", {"value": [2]})
    assert p1 != p2 and p1.exists() and p2.exists()
    assert store.runs() == [run]


def test_atomic_write_leaves_old_content_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    atomic_write_bytes(target, b"old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]  # no temporary left behind


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (_docx(), "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, "doc"),
        (b"{\\rtf1\\ansi hallo}", "rtf"),
        (b"\r\n<!DOCTYPE html><html><body>Runtime Error</body></html>", "html"),
        (b"Vraag 1\nAntwoord 1\n", "txt"),
        (b"PK\x03\x04not a zip", "zip"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Vraag 1".encode("utf-16"), "txt"),
    ],
)
def test_detect_type_reads_the_bytes(data, kind):
    assert detect_type(data) == kind


def _three_batches(store: RawStore) -> None:
    store.merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a")], [actor("x", "q1")])]))
    store.merge(MetadataBatch(snapshots=[(qs("q2"), [doc("b"), doc("a")], [])]))
    store.merge(MetadataBatch(document_tombstones=[doc("b", deleted=True)]))


def test_a_journal_line_torn_by_a_crash_is_ignored_and_cut_before_the_next_write(tmp_path):
    store = RawStore(tmp_path)
    _three_batches(store)
    journal = tmp_path / "state" / "journal.jsonl"
    whole = journal.read_bytes()
    lines = whole.splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[:2]) + lines[2][: len(lines[2]) // 2])  # killed mid-write
    reopened = RawStore(tmp_path)
    assert "b" not in reopened.deleted_document_ids()  # the torn third batch never happened
    reopened.merge(MetadataBatch(document_tombstones=[doc("b", deleted=True)]))
    assert journal.read_bytes() == whole  # the torn half-line is gone, the batch is there once
    assert RawStore(tmp_path).state_digest() == store.state_digest()


def test_compaction_folds_the_journal_into_a_snapshot(tmp_path, monkeypatch):
    reference = RawStore(tmp_path / "ref")
    _three_batches(reference)
    monkeypatch.setattr("etl.store.metadata.JOURNAL_COMPACT_BYTES", 10)
    store = RawStore(tmp_path / "s")
    _three_batches(store)
    assert len((tmp_path / "s" / "state" / "journal.jsonl").read_bytes().splitlines()) < 3
    assert (tmp_path / "s" / "state" / "metadata.json").exists()
    assert RawStore(tmp_path / "s").state_digest() == reference.state_digest()


def test_journal_lines_already_in_the_snapshot_are_skipped(tmp_path):
    store = RawStore(tmp_path)
    _three_batches(store)
    journal = tmp_path / "state" / "journal.jsonl"
    old = journal.read_bytes()
    store.compact()
    journal.write_bytes(old)  # killed between writing the snapshot and emptying the journal
    assert RawStore(tmp_path).state_digest() == store.state_digest()
    assert len(RawStore(tmp_path).documents()) == 1


WRITER = """
import sys
from datetime import date
from pathlib import Path
from etl.models import QuestionSetRecord, DocumentRecord
from etl.store import MetadataBatch, RawStore
root, tag = Path(sys.argv[1]), sys.argv[2]
store = RawStore(root)
for i in range(40):
    q = QuestionSetRecord(f"{tag}{i}", None, "Schriftelijke vragen", "s", date(2025, 1, 1), None)
    d = DocumentRecord(f"d{tag}{i}", None, "x", "s", None, None, None, 1, None, None)
    store.merge(MetadataBatch(snapshots=[(q, [d], [])]))
    store.set_state(tag, i)
"""


def test_two_writing_processes_take_turns_and_lose_nothing(tmp_path):
    import subprocess
    import sys

    RawStore(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), tag]) for tag in ("a", "b")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    store = RawStore(tmp_path)
    assert len(store.question_sets()) == 80 and len(store.documents()) == 80
    assert (store.get_state("a"), store.get_state("b")) == (39, 39)
    lines = (tmp_path / "state" / "journal.jsonl").read_bytes().splitlines(keepends=True)
    assert len(lines) == 80


def test_a_parse_outcome_is_known_without_reading_the_payload(tmp_path, monkeypatch):
    from etl.store.parses import ParseCache, ParseOutcome

    store = RawStore(tmp_path)
    store.put_parse("ok", "1.0", {"questions": [], "warnings": ["a", "b"]})
    store.put_parse("bad", "1.0", {"failure": {"code": "unreadable", "message": "not a PDF"}})
    fresh = RawStore(tmp_path)  # another run: only the outcomes log is read
    assert fresh.parse_outcome("ok", "2.0") is None

    def no_payloads(*_a, **_k):
        raise AssertionError("a payload was read")

    monkeypatch.setattr(ParseCache, "get", no_payloads)
    assert fresh.parse_outcome("ok", "1.0") == ParseOutcome(warnings=2)
    assert fresh.parse_outcome("bad", "1.0") == ParseOutcome(failure=("unreadable", "not a PDF"))


def test_a_torn_outcome_line_or_a_cache_without_the_log_falls_back_to_the_payload(tmp_path):
    from etl.store.parses import OUTCOMES, ParseOutcome

    store = RawStore(tmp_path)
    store.put_parse("a", "1.0", {"warnings": ["w"]})
    store.put_parse("b", "1.0", {"failure": {"code": "too_large", "message": "over the cap"}})
    log = tmp_path / "parses" / "1.0" / OUTCOMES
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(lines[0] + lines[1][: len(lines[1]) // 2])  # a kill in the middle of the second line
    fresh = RawStore(tmp_path)
    assert fresh.parse_outcome("b", "1.0") == ParseOutcome(failure=("too_large", "over the cap"))
    log.unlink()  # a cache written before the log existed
    assert RawStore(tmp_path).parse_outcome("a", "1.0") == ParseOutcome(warnings=1)
    assert RawStore(tmp_path).parse_outcome("c", "1.0") is None


def test_a_backfill_reads_the_outcomes_log_on_from_where_it_stopped_not_from_the_start(tmp_path, monkeypatch):
    """A backfill looks up each new file after the last one's line was appended: the log is
    read on from its last line (one line parsed per lookup), or the parse step turns quadratic."""
    import etl.store.parses as parses

    store, other = RawStore(tmp_path), RawStore(tmp_path)
    parsed_lines = []
    real_loads = parses.json.loads

    def counting_loads(text, *a, **k):
        parsed_lines.append(text)
        return real_loads(text, *a, **k)

    monkeypatch.setattr(parses.json, "loads", counting_loads)
    for i in range(200):
        assert store.parse_outcome(f"sha{i}", "1.0") is None  # not parsed yet
        (store if i % 2 else other).put_parse(f"sha{i}", "1.0", {"warnings": ["w"] * (i % 3)})
        assert store.parse_outcome(f"sha{i}", "1.0") == parses.ParseOutcome(warnings=i % 3)
    assert len(parsed_lines) <= 2 * 200  # whole re-reads would parse ~20,000 lines
    log = tmp_path / "parses" / "1.0" / parses.OUTCOMES
    log.write_bytes(log.read_bytes()[:-5])  # replaced by a shorter file (same inode, shrunk)
    assert store.parse_outcome("sha3", "1.0") == parses.ParseOutcome(warnings=0)


def test_a_kept_index_is_read_again_when_another_store_changed_the_file(tmp_path):
    """A store keeps the indexes it read (the fetch and the parse of one step share it); a
    write by another process (here: another RawStore on the same root) is seen by the next read."""
    ours, theirs = RawStore(tmp_path), RawStore(tmp_path)
    ours.put_file("d", b"first version")
    assert ours.current_file("d").sha256 == hashlib.sha256(b"first version").hexdigest()
    theirs.put_file("d", b"second version, longer")
    assert ours.current_file("d").sha256 == hashlib.sha256(b"second version, longer").hexdigest()
    assert [v.size for v in ours.file_versions("d")] == [13, 22]


def test_the_next_store_starts_from_the_kept_indexes_and_reads_only_the_changed_ones(tmp_path, monkeypatch):
    """A run's steps each list every document's file: what one step read is kept in
    files/index-cache.json, so the next reads one file, not one per document; an index that
    changed since (another writer, a new version) is still read from its own file."""
    import builtins

    import etl.store.files as files_module

    first = RawStore(tmp_path)
    for i in range(20):
        first.put_file(f"d{i}", f"version one of {i}".encode())
    assert all(first.current_file(f"d{i}") for i in range(20))
    first.keep_file_indexes()
    RawStore(tmp_path).put_file("d3", b"version two of 3")  # after the cache was kept

    opened: list[str] = []

    def watching_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(files_module, "open", watching_open, raising=False)
    second = RawStore(tmp_path)
    shas = {i: second.current_file(f"d{i}").sha256 for i in range(20)}
    assert shas[3] == hashlib.sha256(b"version two of 3").hexdigest()
    assert shas[7] == hashlib.sha256(b"version one of 7").hexdigest()
    index_reads = [p for p in opened if "/index/" in p]
    assert index_reads == [str(tmp_path / "files" / "index" / "d3.json")]  # only the changed one


def test_threads_storing_versions_of_one_document_at_once_lose_none(tmp_path):
    """Each new index is written before the lock is taken and renamed under it only if nobody
    replaced the index meanwhile: threads racing on one document still keep every version."""
    from concurrent.futures import ThreadPoolExecutor

    store = RawStore(tmp_path)

    def put(k: int) -> str:
        return store.put_file("same", f"version {k}".encode())[1]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(put, range(120)))
    assert statuses.count("new") == 1 and statuses.count("changed") == 119
    stored = [v.sha256 for v in RawStore(tmp_path).file_versions("same")]
    assert sorted(stored) == sorted(hashlib.sha256(f"version {k}".encode()).hexdigest() for k in range(120))
    assert not [p for p in (tmp_path / "files" / "index").iterdir() if ".tmp-" in p.name]


def test_an_unreadable_index_cache_is_ignored(tmp_path):
    store = RawStore(tmp_path)
    store.put_file("d", b"bytes")
    store.current_file("d")
    store.keep_file_indexes()
    (tmp_path / "files" / "index-cache.json").write_bytes(b'{"indexes": {"d": [1, 2]')  # torn
    assert RawStore(tmp_path).current_file("d").sha256 == hashlib.sha256(b"bytes").hexdigest()
    (tmp_path / "files" / "index-cache.json").write_bytes(b'{"indexes": {"d": [1, 2, 3, "x"]}}')  # foreign
    assert RawStore(tmp_path).current_file("d").size == 5


def test_listed_documents_follow_a_merge_by_another_store(tmp_path):
    ours, theirs = RawStore(tmp_path), RawStore(tmp_path)
    theirs.merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a")], [])]))
    assert [d.id for d in ours.documents()] == ["a"]
    theirs.merge(MetadataBatch(snapshots=[(qs("q1"), [doc("a"), doc("b")], [])]))
    assert [d.id for d in ours.documents()] == ["a", "b"]
    listed = ours.documents()
    listed.clear()  # a caller's list is its own
    assert [d.id for d in ours.documents()] == ["a", "b"]


def test_a_run_start_removes_only_old_temporary_files_of_killed_writers(tmp_path):
    store = RawStore(tmp_path)
    store.put_file("d", b"kept bytes")
    index = tmp_path / "files" / "index"
    old = index / ".d.json.tmp-123-deadbeef"
    fresh = index / ".e.json.tmp-456-cafebabe"
    lookalike = index / "not-hidden.tmp-1"
    for p in (old, fresh, lookalike):
        p.write_bytes(b"{")
    os.utime(old, (0, 0))  # written long ago by a writer that was killed
    os.utime(lookalike, (0, 0))
    assert store.clean_stale_tmp() == 1
    assert not old.exists() and fresh.exists() and lookalike.exists()
    assert store.current_file("d").size == len(b"kept bytes")
