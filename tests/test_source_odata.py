"""Query building: the exact filters the client sends."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlsplit

from etl.source.odata import Expand, Guid, and_, any_, build_url, eq, literal, or_
from etl.source.sync import changed_documents_url, question_sets_by_id_url, window_url
from etl.window import Window


def test_string_literal_doubles_quotes():
    assert literal("'s-Hertogenbosch") == "'''s-Hertogenbosch'"


def test_guid_is_bare_and_booleans_lowercase():
    assert eq("Id", Guid("7a9b77f1-0000-4000-8000-000000000001")) == "Id eq 7a9b77f1-0000-4000-8000-000000000001"
    assert eq("Verwijderd", False) == "Verwijderd eq false"
    assert literal(None) == "null"


def test_or_inside_and_is_parenthesised():
    assert and_(eq("a", 1), or_(eq("b", 2), eq("c", 3))) == "a eq 1 and (b eq 2 or c eq 3)"


def test_nested_expand_renders_options_with_semicolons():
    e = Expand("Document", filter="Verwijderd eq false", select=("Id", "Soort"), expand=(Expand("HuidigeDocumentVersie"),))
    assert e.render() == "Document($filter=Verwijderd eq false;$select=Id,Soort;$expand=HuidigeDocumentVersie)"


def test_window_uses_dutch_offsets_never_z_and_encodes_plus():
    url = window_url("http://h/OData/v5", Window(date(2025, 10, 1), date(2026, 1, 1)))
    assert "%2B02:00" in url and "%2B01:00" in url
    flt = dict(parse_qsl(urlsplit(url).query))["$filter"]
    assert "GestartOp ge 2025-10-01T00:00:00+02:00" in flt
    assert "GestartOp lt 2026-01-01T00:00:00+01:00" in flt  # the end day is excluded
    assert "Z" not in flt.replace("Zaak", "")
    assert "Verwijderd eq false" in flt
    assert "$top" not in url


def test_incremental_document_query_reads_every_change_with_question_set_links():
    from datetime import datetime, timezone

    url = changed_documents_url("http://h/OData/v5", datetime(2026, 1, 1, 12, tzinfo=timezone.utc))
    q = dict(parse_qsl(urlsplit(url).query))
    assert q["$filter"] == "ApiGewijzigdOp gt 2026-01-01T12:00:00Z"  # tombstones and unlinked documents too
    assert q["$expand"] == "Zaak($filter=Verwijderd eq false and Soort eq 'Schriftelijke vragen';$select=Id)"


def test_lookup_by_ids_uses_bare_guids():
    ids = ["6f1c0d3e-0000-4000-8000-000000000001", "not-a-guid"]
    flt = dict(parse_qsl(urlsplit(question_sets_by_id_url("http://h/OData/v5", ids)).query))["$filter"]
    assert flt.startswith("Id in (6f1c0d3e-0000-4000-8000-000000000001, 'not-a-guid') and ")
    url = question_sets_by_id_url("http://h/OData/v5", ids, use_in=False)  # for a service without `in`
    flt = dict(parse_qsl(urlsplit(url).query))["$filter"]
    assert "Id eq 6f1c0d3e-0000-4000-8000-000000000001" in flt
    assert "Id eq 'not-a-guid'" in flt


def test_build_url_any_lambda_round_trips_through_query_string():
    url = build_url("http://h/OData/v5/", "Document", filter=any_("Zaak", "z", "z/Nummer eq '2025Z1'"), top=5)
    q = dict(parse_qsl(urlsplit(url).query))
    assert q == {"$filter": "Zaak/any(z: z/Nummer eq '2025Z1')", "$top": "5"}
    assert url.startswith("http://h/OData/v5/Document?")


def test_lookup_of_a_full_chunk_stays_under_the_iis_query_limit():
    import uuid

    from etl.source.sync import ids_per_request

    for use_in in (True, False):
        ids = [str(uuid.uuid4()) for _ in range(ids_per_request(90, use_in))]
        url = question_sets_by_id_url("https://gegevensmagazijn.tweedekamer.nl/OData/v5", ids, use_in)
        assert len(urlsplit(url).query) < 2048  # IIS's default maxQueryString
