"""The bundled fixture is internally consistent and holds the variety the pipeline must meet."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from xml.etree import ElementTree
from datetime import date, datetime
from typing import Any

import pytest

from etl.sample import SAMPLE_API_DIR, load_letters

DUTCH = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$")
UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ANSWER_SOORTEN = ("Antwoord schriftelijke vragen", "Antwoord schriftelijke vragen (nader)")
CONTENT_FIELDS = ("Nummer", "Soort", "Onderwerp", "Datum", "ContentType", "ContentLength", "HuidigeDocumentVersie_Id")


def _rows(name: str) -> list[dict[str, Any]]:
    data = json.loads((SAMPLE_API_DIR / name).read_text(encoding="utf-8"))
    return data if isinstance(data, list) else data["value"]


@pytest.fixture(scope="module")
def api() -> dict[str, list[dict[str, Any]]]:
    return {n: _rows(f"{n}.json") for n in ("Zaak", "Document", "ZaakActor", "DocumentVersie", "ZaakDocument")}


def _docs_of(api: dict[str, list[dict[str, Any]]], zaak_nummer: str) -> list[dict[str, Any]]:
    zid = next(z["Id"] for z in api["Zaak"] if z["Nummer"] == zaak_nummer)
    ids = {l["Document_Id"] for l in api["ZaakDocument"] if l["Zaak_Id"] == zid}
    return [d for d in api["Document"] if d["Id"] in ids]


def test_every_id_is_a_unique_guid(api: dict[str, list[dict[str, Any]]]) -> None:
    for name in ("Zaak", "Document", "ZaakActor", "DocumentVersie"):
        ids = [row["Id"] for row in api[name]]
        assert len(ids) == len(set(ids)), name
        for i in ids:
            assert str(uuid.UUID(i)) == i, f"{name}: {i}"


def test_every_link_resolves(api: dict[str, list[dict[str, Any]]]) -> None:
    zaken = {z["Id"] for z in api["Zaak"]}
    docs = {d["Id"] for d in api["Document"]}
    versions = {v["Id"]: v for v in api["DocumentVersie"]}
    for link in api["ZaakDocument"]:
        assert link["Zaak_Id"] in zaken and link["Document_Id"] in docs, link
    for actor in api["ZaakActor"]:
        assert actor["Zaak_Id"] in zaken, actor
    for doc in api["Document"]:
        assert any(l["Document_Id"] == doc["Id"] for l in api["ZaakDocument"]), f"{doc['Id']} belongs to no set"
        if doc["Verwijderd"]:
            continue
        version = versions[doc["HuidigeDocumentVersie_Id"]]
        assert version["Document_Id"] == doc["Id"]
    for zaak in api["Zaak"]:
        assert _docs_of(api, zaak["Nummer"]), f"{zaak['Nummer']} has no documents"


def test_content_length_is_the_exact_size_of_each_resource_and_no_file_is_orphaned(
        api: dict[str, list[dict[str, Any]]]) -> None:
    versions = {v["Id"]: v for v in api["DocumentVersie"]}
    expected = set()
    for doc in api["Document"]:
        if doc["Verwijderd"]:
            continue
        version = versions[doc["HuidigeDocumentVersie_Id"]]
        path = SAMPLE_API_DIR / "resources" / f"{doc['Id']}{version['Extensie']}"
        assert path.stat().st_size == doc["ContentLength"] == version["Bestandsgrootte"], path.name
        expected.add(path.name)
        magic = path.read_bytes()[:4]
        if doc["ContentType"] == "application/pdf":
            assert magic == b"%PDF"
        else:
            assert magic == b"PK\x03\x04" and version["Extensie"] == ".docx"
    assert {p.name for p in (SAMPLE_API_DIR / "resources").iterdir()} == expected


def test_dates_carry_dutch_offsets_and_api_times_are_utc(api: dict[str, list[dict[str, Any]]]) -> None:
    for name, dutch_fields in (("Zaak", ("GestartOp", "GewijzigdOp")), ("Document", ("Datum", "GewijzigdOp")),
                               ("ZaakActor", ("GewijzigdOp",)), ("DocumentVersie", ("Datum", "GewijzigdOp"))):
        for row in api[name]:
            assert UTC.match(row["ApiGewijzigdOp"]), (name, row["ApiGewijzigdOp"])
            for f in dutch_fields:
                if row.get("Verwijderd"):
                    continue
                assert DUTCH.match(row[f]), (name, f, row[f])
    offsets = {z["GestartOp"][-6:] for z in api["Zaak"]}
    assert offsets == {"+01:00", "+02:00"}, "the sample must cover winter and summer time"
    # Summer time ends on the last Sunday of October: 23 October is +02:00, 27 January +01:00.
    by_nr = {z["Nummer"]: z for z in api["Zaak"]}
    assert by_nr["2025Z19412"]["GestartOp"] == "2025-10-23T00:00:00+02:00"
    assert by_nr["2026Z01577"]["GestartOp"] == "2026-01-27T00:00:00+01:00"


def test_question_sets_are_schriftelijke_vragen_with_askers_and_addressees(api: dict[str, list[dict[str, Any]]]) -> None:
    assert len(api["Zaak"]) == 8
    for zaak in api["Zaak"]:
        assert zaak["Soort"] == "Schriftelijke vragen" and re.fullmatch(r"20\d\dZ\d{5}", zaak["Nummer"])
        relations = [a["Relatie"] for a in api["ZaakActor"] if a["Zaak_Id"] == zaak["Id"]]
        assert relations.count("Indiener") == 1 and "Gericht aan" in relations, zaak["Nummer"]
        kinds = [d["Soort"] for d in _docs_of(api, zaak["Nummer"])]
        assert kinds.count("Schriftelijke vragen") == 1, zaak["Nummer"]
    assert any(a["Relatie"] == "Medeindiener" for a in api["ZaakActor"])


def test_tombstone_is_present_with_its_content_fields_null(api: dict[str, list[dict[str, Any]]]) -> None:
    tombs = [d for d in api["Document"] if d["Verwijderd"]]
    assert len(tombs) == 1
    assert all(tombs[0][f] is None for f in CONTENT_FIELDS)
    assert UTC.match(tombs[0]["ApiGewijzigdOp"])
    assert tombs[0] in _docs_of(api, "2026Z07160")


def test_one_question_set_is_still_unanswered(api: dict[str, list[dict[str, Any]]]) -> None:
    open_sets = [z["Nummer"] for z in api["Zaak"]
                 if not any(d["Soort"] in ANSWER_SOORTEN for d in _docs_of(api, z["Nummer"]))]
    assert open_sets == ["2026Z19034"]
    assert [d["Soort"] for d in _docs_of(api, "2026Z19034")] == ["Schriftelijke vragen"]


def test_delay_notice_nader_answer_and_docx_are_present(api: dict[str, list[dict[str, Any]]]) -> None:
    kinds = [d["Soort"] for d in api["Document"] if not d["Verwijderd"]]
    assert kinds.count("Mededeling (uitstel antwoord)") == 1
    assert kinds.count("Antwoord schriftelijke vragen (nader)") == 1
    docx = [d for d in api["Document"] if d["ContentType"] and "wordprocessingml" in d["ContentType"]]
    assert len(docx) == 1 and docx[0]["Soort"] == "Antwoord schriftelijke vragen"


def test_the_delay_notice_is_linked_to_two_question_sets(api: dict[str, list[dict[str, Any]]]) -> None:
    notice = next(d for d in api["Document"] if d["Soort"] == "Mededeling (uitstel antwoord)")
    zaak_ids = {l["Zaak_Id"] for l in api["ZaakDocument"] if l["Document_Id"] == notice["Id"]}
    numbers = sorted(z["Nummer"] for z in api["Zaak"] if z["Id"] in zaak_ids)
    assert numbers == ["2025Z18830", "2025Z19412"]


def test_docx_answer_has_a_real_footnote_part(api: dict[str, list[dict[str, Any]]]) -> None:
    doc = next(d for d in api["Document"] if d["ContentType"] and "wordprocessingml" in d["ContentType"])
    with zipfile.ZipFile(SAMPLE_API_DIR / "resources" / f"{doc['Id']}.docx") as zf:
        names = zf.namelist()
        for name in names:  # every part is well-formed XML
            ElementTree.fromstring(zf.read(name))
        footnotes = zf.read("word/footnotes.xml").decode("utf-8")
        document = zf.read("word/document.xml").decode("utf-8")
        assert all(info.date_time[:3] == (2026, 2, 27) for info in zf.infolist())
    assert "[Content_Types].xml" in names and "word/_rels/document.xml.rels" in names
    assert '<w:footnote w:id="2">' in footnotes and "33552, nr. 131" in footnotes
    assert '<w:footnoteReference w:id="2"/>' in document


def test_response_times_vary_on_time_late_with_notice_and_late_without(api: dict[str, list[dict[str, Any]]]) -> None:
    def day(s: str) -> date:
        return datetime.fromisoformat(s).date()

    outcome: dict[str, str] = {}
    for zaak in api["Zaak"]:
        docs = _docs_of(api, zaak["Nummer"])
        answers = sorted(day(d["Datum"]) for d in docs if d["Soort"] == "Antwoord schriftelijke vragen")
        if not answers:
            continue
        days = (answers[0] - day(zaak["GestartOp"])).days
        notice = any(d["Soort"] == "Mededeling (uitstel antwoord)" for d in docs)
        outcome[zaak["Nummer"]] = "on time" if days <= 21 else ("late, notice" if notice else "late, no notice")
    assert set(outcome.values()) == {"on time", "late, notice", "late, no notice"}, outcome


def test_each_document_is_served_under_its_publication_id(api: dict[str, list[dict[str, Any]]]) -> None:
    letters = load_letters()
    ids = {v["ExterneIdentifier"] for v in api["DocumentVersie"]}
    assert set(letters) <= ids
    for v in api["DocumentVersie"]:
        assert re.fullmatch(r"(ah-tk-\d{8}-\d+|kv-tk-20\d\dZ\d{5})", v["ExterneIdentifier"])
    for d in api["Document"]:
        if d["Aanhangselnummer"]:
            version = next(v for v in api["DocumentVersie"] if v["Id"] == d["HuidigeDocumentVersie_Id"])
            vj = d["Vergaderjaar"].replace("-", "")
            assert version["ExterneIdentifier"] == f"ah-tk-{vj}-{int(d['Aanhangselnummer'][4:])}"
            assert d["Aanhangselnummer"][:4] == vj[2:4] + vj[6:8]


def test_authored_letters_cover_grouped_answers_follow_ups_and_deadline_drift() -> None:
    letters = load_letters()
    layouts = {l["layout"] for l in letters.values()}
    assert layouts == {"ministry_letter", "aanhangsel", "docx", "delay_notice", "questions"}
    labels = [a["label"] for l in letters.values() for a in l["answers"]]
    assert "Antwoord op vragen 2 en 3" in labels
    follow_up = letters["ah-tk-20252026-1322"]
    assert "2025Z16204" in follow_up["items"][0]["text"]
    assert "eerste kwartaal van 2026" in letters["ah-tk-20252026-38"]["answers"][4]["text"]
    assert "medio 2026" in follow_up["answers"][2]["text"]
    all_text = " ".join(a["text"] for l in letters.values() for a in l["answers"])
    for theme_word in ("ICT-verstoring", "werkvoorraad", "doorlooptijd", "Wetboek van Strafvordering",
                       "1 april 2029", "werkdruk", "slachtoffers", "taakstelling"):
        assert theme_word in all_text or any(theme_word in i["text"] for l in letters.values() for i in l["items"]), theme_word
    assert re.search(r"Kamerstukken II, 20\d\d-20\d\d, \d+, nr\. \d+\.", json.dumps(letters, ensure_ascii=False))
