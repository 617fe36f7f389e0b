"""A small hand-made warehouse that the warehouse tests assert against.

Six question sets cover every case the schema must handle: on time with a grouped answer,
late with a delay notice and a nader answer, late without notice and partly answered, open
and overdue (questions parsed, no answer), withdrawn (with an unreadable file), and open
within the term. A tombstoned document is loaded and then deleted.

To re-point the example-query tests at the bundled sample, replace ``build_warehouse`` with a
function that loads the sample (e.g. by running the demo job) and update EXPECTED_* below.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb

from etl.load import warehouse as wh
from etl.models import (
    ActorRecord,
    Block,
    DocumentRecord,
    Footnote,
    ParsedLetter,
    ParseFailure,
    QuestionSetRecord,
    StoredFile,
)

REFERENCE_DATE = date(2025, 11, 28)
PARSER_VERSION = "test-1"
CHANGED = datetime(2025, 11, 1, 8, 0, tzinfo=timezone.utc)
JENV = "minister van Justitie en Veiligheid"
FIN = "staatssecretaris van Financiën"

# id, number, subject, submitted
SETS = [
    ("qs-a", "2025Z10001", "Storingen in ICT-systemen van het OM", date(2025, 3, 3)),
    ("qs-b", "2025Z10002", "Achterstanden bij de rechtspraak", date(2025, 4, 1)),
    ("qs-c", "2025Z10003", "Invoering van het nieuwe Wetboek van Strafvordering", date(2025, 5, 1)),
    ("qs-d", "2025Z10004", "Doorlooptijden van zedenzaken", date(2025, 9, 1)),
    ("qs-e", "2025Z10005", "Sluiting van een rechtbanklocatie", date(2025, 6, 2)),
    ("qs-f", "2025Z10006", "Voorraden bij het CJIB", date(2025, 11, 20)),
]

# id, set id, name, party, function, relation
ACTORS = [
    ("ac-a1", "qs-a", "Van der Berg", "NSC", "Tweede Kamerlid", "Indiener"),
    ("ac-a2", "qs-a", "Jansen", "GL-PvdA", "Tweede Kamerlid", "Medeindiener"),
    ("ac-a3", "qs-a", "Minister JenV", None, JENV, "Gericht aan"),
    ("ac-b1", "qs-b", "De Vries", "VVD", "Tweede Kamerlid", "Indiener"),
    ("ac-b2", "qs-b", "Minister JenV", None, JENV, "Gericht aan"),
    ("ac-b3", "qs-b", "Staatssecretaris Fin", None, FIN, "Gericht aan"),
    ("ac-c1", "qs-c", "Jansen", "GL-PvdA", "Tweede Kamerlid", "Indiener"),
    ("ac-c2", "qs-c", "Minister JenV", None, JENV, "Gericht aan"),
    ("ac-d1", "qs-d", "Bakker", "NSC", "Tweede Kamerlid", "Indiener"),
    ("ac-d2", "qs-d", "Minister JenV", None, JENV, "Gericht aan"),
    ("ac-e1", "qs-e", "Visser", "SP", "Tweede Kamerlid", "Indiener"),
    ("ac-e2", "qs-e", "Minister JenV", None, JENV, "Gericht aan"),
    ("ac-f1", "qs-f", "Smit", "VVD", "Tweede Kamerlid", "Indiener"),
    ("ac-f2", "qs-f", "Staatssecretaris Fin", None, FIN, "Gericht aan"),
]

# id, number, kind, subject, date, set id, koop id
DOCUMENTS = [
    ("doc-a-ans", "2025D20001", "Antwoord schriftelijke vragen", "Antwoord op vragen over ICT-storingen", date(2025, 3, 20), "qs-a", "ah-tk-20242025-1001"),
    ("doc-b-delay", "2025D20002", "Mededeling (uitstel antwoord)", "Uitstel beantwoording", date(2025, 4, 18), "qs-b", "ah-tk-20242025-1002"),
    ("doc-b-ans", "2025D20003", "Antwoord schriftelijke vragen", "Antwoord op vragen over achterstanden", date(2025, 5, 20), "qs-b", "ah-tk-20242025-1003"),
    ("doc-b-nader", "2025D20004", "Antwoord schriftelijke vragen (nader)", "Nader antwoord", date(2025, 6, 10), "qs-b", "ah-tk-20242025-1004"),
    ("doc-c-ans", "2025D20005", "Antwoord schriftelijke vragen", "Antwoord op vragen over het Wetboek", date(2025, 6, 30), "qs-c", "ah-tk-20242025-1005"),
    ("doc-d-q", "2025D20006", "Schriftelijke vragen", "Vragen over doorlooptijden", date(2025, 9, 1), "qs-d", "kv-tk-2025Z10004"),
    ("doc-e-withdraw", "2025D20007", "Mededeling", "Vragen ingetrokken", date(2025, 6, 10), "qs-e", None),
    ("doc-gone", "2025D20099", "Antwoord schriftelijke vragen", "Verwijderd document", date(2025, 7, 1), "qs-e", "ah-tk-20242025-1099"),
]


def q(i: int, numbers: tuple[str, ...], text: str, label: str | None = None) -> Block:
    return Block("question", label or f"Vraag {i}", numbers, text, page_start=1, page_end=1)


def a(numbers: tuple[str, ...], text: str, label: str, refers_to: tuple[str, ...] = ()) -> Block:
    return Block("answer", label, numbers, text, refers_to=refers_to, page_start=2, page_end=2)


def letter(questions: list[Block], answers: list[Block], version: str = PARSER_VERSION, **kw: object) -> ParsedLetter:
    return ParsedLetter(questions=tuple(questions), answers=tuple(answers), parser_version=version,
                        pages=3, source_format="pdf", **kw)  # type: ignore[arg-type]


LETTERS: dict[str, ParsedLetter | ParseFailure] = {
    "doc-a-ans": letter(
        [
            q(1, ("1",), "Bent u bekend met de storing in de ICT-systemen van het OM in juli 2025¹?"),
            q(2, ("2",), "Hoeveel zaken zijn door de storingen vertraagd?"),
            q(3, ("3",), "Welke maatregelen neemt u tegen nieuwe uitval?"),
        ],
        [
            a(("1",), "Ja. Het OM heeft mij over de storing geïnformeerd.", "Antwoord 1"),
            a(("2", "3"), "Door de uitval zijn circa 300 zittingen verplaatst; het OM vervangt de servers.", "Antwoord op vragen 2 en 3"),
        ],
        footnotes=(Footnote("1", "https://www.om.nl/actueel/storing", page=1),),
        closing="De minister van Justitie en Veiligheid",
        date_answered=date(2025, 3, 20),
    ),
    "doc-b-ans": letter(
        [q(1, ("1",), "Hoe groot is de achterstand bij de rechtbanken?"), q(2, ("2",), "Wanneer is de voorraad weggewerkt?")],
        [a(("1",), "De achterstand bedraagt 12.000 zaken. Vraag 2 beantwoord ik later.", "Antwoord 1")],
        warnings=("numbering_gap: answer 2 missing",),
    ),
    "doc-b-nader": letter(
        [q(2, ("2",), "Wanneer is de voorraad weggewerkt?")],
        [a(("2",), "De voorraad is naar verwachting eind 2026 weggewerkt.", "Antwoord 2", refers_to=("1",))],
    ),
    "doc-c-ans": letter(
        [
            q(1, ("1",), "Ligt de invoering van het Wetboek van Strafvordering op 1 april 2029 nog op schema?"),
            q(2, ("2",), "Wat kost de invoering?"),
            q(3, ("3",), "Hoe worden de ketenpartners voorbereid?"),
        ],
        [
            a(("1",), "Ja, de inwerkingtreding is voorzien op 1 april 2029.", "Antwoord 1"),
            a(("2",), "De kosten worden geraamd op 450 miljoen euro.", "Antwoord 2"),
        ],
    ),
    "doc-d-q": letter(
        [q(1, ("1",), "Hoe lang duren zedenzaken gemiddeld?"), q(2, ("2",), "Neemt de doorlooptijd toe?")],
        [],
    ),
    "doc-e-withdraw": ParseFailure("unreadable", "not a PDF: bytes start with <html>"),
    "doc-gone": letter([q(1, ("1",), "Verwijderde vraag over storingen")], [a(("1",), "Verwijderd antwoord over storingen", "Antwoord 1")]),
}

# Expectations the tests share (re-point these together with build_warehouse).
EXPECTED_STATUS = {
    "2025Z10001": "answered",
    "2025Z10002": "answered",
    "2025Z10003": "partly answered",
    "2025Z10004": "open",
    "2025Z10005": "withdrawn",
    "2025Z10006": "open",
}
EXPECTED_NORM = {
    "2025Z10001": "on_time",
    "2025Z10002": "late_with_notice",
    "2025Z10003": "late_without_notice",
    "2025Z10004": "open_overdue",
    "2025Z10005": "withdrawn",
    "2025Z10006": "open_within_term",
}


def question_set_records() -> list[QuestionSetRecord]:
    return [QuestionSetRecord(i, n, "Schriftelijke vragen", s, d, "2024-2025", CHANGED) for i, n, s, d in SETS]


def actor_records() -> list[ActorRecord]:
    return [ActorRecord(*row, changed_at=CHANGED) for row in ACTORS]


def document_records() -> list[DocumentRecord]:
    return [
        DocumentRecord(i, n, k, s, d, "2024-2025", "application/pdf", 1000, koop, None, (qs,), CHANGED, CHANGED)
        for i, n, k, s, d, qs, koop in DOCUMENTS
    ]


def stored_file(doc_id: str) -> StoredFile:
    sha = (doc_id.encode().hex() * 8)[:64]
    return StoredFile(doc_id, sha, 1000, "pdf", "application/pdf", f"/raw/{sha}")


def load_all(con: duckdb.DuckDBPyConnection, letters: dict[str, ParsedLetter | ParseFailure] | None = None) -> None:
    """Metadata, every letter, the tombstone, and a refresh — what one pipeline run does."""
    docs = {d.id: d for d in document_records()}
    wh.load_metadata(con, question_set_records(), list(docs.values()), actor_records())
    for doc_id, result in (letters or LETTERS).items():
        wh.load_letter(con, docs[doc_id], stored_file(doc_id), result, parser_version=PARSER_VERSION)
    wh.load_metadata(con, [], [], [], deleted_document_ids={"doc-gone"})
    wh.refresh(con, reference_date=REFERENCE_DATE)


def build_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh warehouse at ``path`` holding the data above; the caller closes it."""
    con = wh.connect(path)
    wh.apply_schema(con)
    load_all(con)
    return con


_TEMPLATE: dict[str, Path] = {}


def fresh_warehouse(tmp_path: Path, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """A private copy of the fixture warehouse, built once per test session (it takes ~1 s)."""
    if "path" not in _TEMPLATE:
        path = tmp_path_factory.mktemp("template") / "w.duckdb"
        build_warehouse(path).close()
        _TEMPLATE["path"] = path
    target = tmp_path / "w.duckdb"
    shutil.copyfile(_TEMPLATE["path"], target)
    return wh.connect(target)


def test_fixture_warehouse_holds_every_set_with_its_expected_status(tmp_path: Path) -> None:
    con = build_warehouse(tmp_path / "w.duckdb")
    try:
        got = dict(con.execute("SELECT number, status FROM question_sets").fetchall())
    finally:
        con.close()
    assert got == EXPECTED_STATUS
