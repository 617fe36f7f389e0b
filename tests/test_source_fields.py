"""The v4/v5 field mapping: one place, defensive, loud about missing fields."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from etl.source import fields as F
from etl.source.timeutil import dutch_date, dutch_midnight, parse_datetime

URL = "http://127.0.0.1:1/OData/v5/Document?$filter=x"

DOC_V5 = {
    "Id": "e4d2c0b8-7a6f-4e1d-9c3b-5a8f2e6d1c07", "Soort": "Antwoord schriftelijke vragen",
    "Nummer": "2025D48811", "Onderwerp": "Antwoord op vragen", "Datum": "2025-11-20T00:00:00+01:00",
    "Vergaderjaar": "2025-2026", "Aanhangselnummer": "252600512", "ContentType": "application/pdf",
    "ContentLength": 184312, "GewijzigdOp": "2025-11-21T09:12:44.1230000+01:00",
    "ApiGewijzigdOp": "2025-11-21T08:15:02.4470000Z", "Verwijderd": False,
    "HuidigeDocumentVersie": {"Id": "f3a9", "ExterneIdentifier": "ah-tk-20252026-512", "Versienummer": 2},
}


def test_v5_document_row_maps_to_record_with_koop_id_and_dutch_date():
    doc = F.document_from_api(DOC_V5, URL, ("z1",))
    assert doc.number == "2025D48811"
    assert doc.koop_id == "ah-tk-20252026-512"
    assert doc.date == date(2025, 11, 20)
    assert doc.content_length == 184312
    assert doc.changed_at == datetime(2025, 11, 21, 8, 15, 2, 447000, tzinfo=timezone.utc)
    assert doc.question_set_ids == ("z1",)


def test_v4_field_names_map_to_the_same_record():
    v4 = {k: v for k, v in DOC_V5.items() if k != "Nummer"} | {"DocumentNummer": "2025D48811"}
    assert F.document_from_api(v4, URL) == F.document_from_api(DOC_V5, URL)


def test_missing_expected_field_names_the_field_and_the_url():
    row = {k: v for k, v in DOC_V5.items() if k != "Datum"}
    with pytest.raises(F.MissingFieldError) as exc:
        F.document_from_api(row, URL)
    assert "'Datum'" in str(exc.value)
    assert URL in str(exc.value)
    assert DOC_V5["Id"] in str(exc.value)


def test_missing_number_mentions_the_v4_alternative_tried():
    row = {k: v for k, v in DOC_V5.items() if k != "Nummer"}
    with pytest.raises(F.MissingFieldError, match="DocumentNummer"):
        F.document_from_api(row, URL)


def test_malformed_date_is_a_schema_error_naming_the_value():
    with pytest.raises(F.SchemaError, match="'Datum'.*gisteren"):
        F.document_from_api({**DOC_V5, "Datum": "gisteren"}, URL)


def test_unknown_soort_is_kept_verbatim():
    doc = F.document_from_api({**DOC_V5, "Soort": "Iets heel nieuws (v5)"}, URL)
    assert doc.kind == "Iets heel nieuws (v5)"


def test_tombstone_needs_only_id_and_flag():
    doc = F.document_from_api({"Id": "t1", "Verwijderd": True, "Soort": None}, URL)
    assert doc.deleted and doc.kind is None


def test_koop_id_falls_back_to_highest_version_of_expanded_versions():
    row = {k: v for k, v in DOC_V5.items() if k != "HuidigeDocumentVersie"}
    row["DocumentVersie"] = [
        {"Id": "v1", "Versienummer": 1, "ExterneIdentifier": "old", "Verwijderd": False},
        {"Id": "v2", "Versienummer": 2, "ExterneIdentifier": "ah-tk-new", "Verwijderd": False},
    ]
    assert F.document_from_api(row, URL).koop_id == "ah-tk-new"


def test_empty_koop_id_is_none():
    row = {**DOC_V5, "HuidigeDocumentVersie": {"Id": "v", "ExterneIdentifier": ""}}
    assert F.document_from_api(row, URL).koop_id is None


def test_zaak_submitted_on_is_the_dutch_calendar_day():
    row = {"Id": "z", "Nummer": "2025Z1", "Soort": "Schriftelijke vragen", "Onderwerp": "o",
           "GestartOp": "2025-09-30T22:30:00Z", "Vergaderjaar": "2025-2026",
           "ApiGewijzigdOp": "2025-10-01T08:00:00Z", "Verwijderd": False}
    assert F.question_set_from_api(row, URL).submitted_on == date(2025, 10, 1)


def test_actor_without_party_maps_and_keeps_relation():
    row = {"Id": "a", "Zaak_Id": "z", "ActorNaam": "E.F. Bakker", "ActorFractie": None,
           "Functie": "minister", "Relatie": "Gericht aan", "Verwijderd": False}
    actor = F.actor_from_api(row, URL)
    assert (actor.question_set_id, actor.party, actor.relation) == ("z", None, "Gericht aan")


def test_expanded_navigation_missing_is_reported():
    with pytest.raises(F.MissingFieldError, match="'Document'"):
        F.expanded({"Id": "z"}, "Document", "Zaak", URL)


@pytest.mark.parametrize(
    "day, offset",
    [(date(2025, 1, 15), 1), (date(2025, 3, 30), 1), (date(2025, 3, 31), 2),
     (date(2025, 10, 26), 2), (date(2025, 10, 27), 1), (date(2026, 7, 1), 2)],
)
def test_dutch_midnight_has_the_offset_in_force(day, offset):
    m = dutch_midnight(day)
    assert m.utcoffset().total_seconds() == offset * 3600
    assert (m.date(), m.hour) == (day, 0)


def test_parse_datetime_reads_seven_fraction_digits_and_naive_as_dutch():
    assert parse_datetime("2025-11-21T08:15:02.4470000Z").microsecond == 447000
    naive = parse_datetime("2025-07-01T00:00:00")
    assert naive.utcoffset().total_seconds() == 7200
    assert dutch_date(parse_datetime("2025-12-31T23:30:00Z")) == date(2026, 1, 1)


def test_fields_unconfirmed_on_v5_are_optional_and_ondernummer_minus_one_is_accepted():
    row = {k: v for k, v in DOC_V5.items() if k not in ("ContentLength", "Aanhangselnummer", "Vergaderjaar")}
    row["HuidigeDocumentVersie"] = {"Id": "v", "Versienummer": 1}  # no ExterneIdentifier
    row["Ondernummer"] = -1
    doc = F.document_from_api(row, URL)
    assert doc.content_length is None and doc.koop_id is None and doc.appendix_number is None
    assert doc.number == DOC_V5.get("Nummer")


def test_seven_digit_fractions_parse_to_the_same_instant():
    a = F.document_from_api({**DOC_V5, "GewijzigdOp": "2025-11-21T09:12:44.1234567+01:00"}, URL)
    assert a.source_changed_at.microsecond == 123456 and a.source_changed_at.utcoffset().total_seconds() == 3600
