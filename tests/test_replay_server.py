"""The replay server answers like the live OData v5 service, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import quote

import httpx
import pytest

from etl.replay import Faults, ReplayServer
from etl.replay.filters import FilterError, parse_filter
from replay_fixtures.helpers import IDS, SMALL, copy_fixture, edit_rows

# One client for the module: building a client (TLS context) per request costs ~0.1 s.
HTTP = httpx.Client(timeout=5)


@pytest.fixture(scope="module")
def server():
    with ReplayServer(SMALL, page_size=3) as srv:
        yield srv


def get(server, path: str, **params) -> httpx.Response:
    q = "&".join(f"{k}={quote(v, safe=chr(39) + '(),/:;=$')}" for k, v in params.items())
    return HTTP.get(f"{server.base_url}/{path}" + (f"?{q}" if q else ""), timeout=5)


def ids(resp: httpx.Response) -> set[str]:
    return {r["Id"] for r in resp.json()["value"]}


def test_base_url_is_v5_on_localhost(server):
    assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/OData/v5")


def test_paging_gives_absolute_next_link_with_skiptoken_until_done(server):
    url, seen, pages = f"{server.base_url}/Zaak", [], 0
    while url:
        body = HTTP.get(url, timeout=5).json()
        seen += [r["Id"] for r in body["value"]]
        url = body.get("@odata.nextLink")
        pages += 1
        if url:
            assert url.startswith(server.base_url + "/Zaak?") and "$skiptoken=" in url
    assert pages == 3 and len(seen) == len(set(seen)) == 7


def test_top_suppresses_next_link(server):
    body = get(server, "Zaak", **{"$top": "2"}).json()
    assert len(body["value"]) == 2 and "@odata.nextLink" not in body


def test_tombstones_are_returned_unless_filtered(server):
    assert IDS["Z7"] in ids(get(server, "Zaak", **{"$top": "100"}))
    assert IDS["Z7"] not in ids(get(server, "Zaak", **{"$filter": "Verwijderd eq false", "$top": "100"}))


def test_filter_with_dutch_offset_keeps_the_row_a_utc_midnight_drops(server):
    local = ids(get(server, "Zaak", **{"$filter": "GestartOp ge 2025-10-01T00:00:00+02:00 and GestartOp lt 2025-10-02", "$top": "9"}))
    utc = ids(get(server, "Zaak", **{"$filter": "GestartOp ge 2025-10-01T00:00:00Z and GestartOp lt 2025-10-02", "$top": "9"}))
    assert IDS["Z5"] in local and IDS["Z5"] not in utc


def test_filter_any_lambda_guid_and_string_escape(server):
    flt = f"Zaak/any(z: z/Id eq {IDS['Z2'].upper()}) and Soort ne 'it''s' and not (Verwijderd eq true)"
    assert ids(get(server, "Document", **{"$filter": flt})) == {IDS["Q2"], IDS["A23"]}


def test_filter_navigation_path_and_functions(server):
    rows = get(server, "ZaakActor", **{"$filter": "Zaak/Nummer eq '2025Z10003' and startswith(tolower(ActorNaam), 'i.j.')"}).json()["value"]
    assert [(r["Zaak_Id"], r["ActorNaam"]) for r in rows] == [(IDS["Z3"], "I.J. Visser")]


def test_nested_expand_with_filter_select_and_current_version(server):
    flt = f"Id eq {IDS['Z4']}"
    exp = "Document($filter=Verwijderd eq false;$select=Id,Soort;$expand=HuidigeDocumentVersie($select=ExterneIdentifier)),ZaakActor"
    row = get(server, "Zaak", **{"$filter": flt, "$expand": exp}).json()["value"][0]
    assert [d["Id"] for d in row["Document"]] == [IDS["Q4"]]  # the tombstoned T4 is filtered out
    assert set(row["Document"][0]) == {"Id", "Soort", "HuidigeDocumentVersie"}
    assert row["Document"][0]["HuidigeDocumentVersie"] == {"ExterneIdentifier": None}
    unfiltered = get(server, "Zaak", **{"$filter": flt, "$expand": "Document"}).json()["value"][0]
    assert {d["Id"] for d in unfiltered["Document"]} == {IDS["Q4"], IDS["T4"]}


def test_orderby_compares_instants_across_offsets(server):
    body = get(server, "Zaak", **{"$filter": "Verwijderd eq false", "$orderby": "GestartOp desc,Id", "$select": "Nummer,GestartOp", "$top": "10"}).json()
    numbers = [r["Nummer"] for r in body["value"]]
    assert numbers[:2] == ["2025Z10004", "2025Z10003"] and numbers[-1] == "2025Z10005"
    assert set(body["value"][0]) == {"Nummer", "GestartOp"}


def test_single_entity_by_key_and_navigation(server):
    single = get(server, f"Zaak({IDS['Z1']})").json()
    assert single["Nummer"] == "2025Z10001" and single["@odata.context"].endswith("$entity")
    nav = get(server, f"Zaak({IDS['Z1']})/Document").json()
    assert ids_of(nav) == {IDS["Q1"], IDS["D1"], IDS["A1"]}


def ids_of(body):
    return {r["Id"] for r in body["value"]}


def test_unknown_path_is_http_500_html_like_the_live_service(server):
    resp = get(server, "Persoon")
    assert resp.status_code == 500 and resp.headers["content-type"].startswith("text/html")
    assert "<html" in resp.text


def test_bad_filter_is_http_400(server):
    assert get(server, "Zaak", **{"$filter": "Soort eq"}).status_code == 400


def test_resource_serves_bytes_with_declared_content_type(server):
    resp = get(server, f"Document({IDS['A23']})/resource")
    assert resp.status_code == 200 and resp.content.startswith(b"PK")
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert int(resp.headers["content-length"]) == len(resp.content)
    assert get(server, f"Document/{IDS['Q1']}/resource").content.startswith(b"%PDF")


def test_resource_of_tombstone_is_json_404(server):
    resp = get(server, f"Document({IDS['T4']})/resource")
    assert resp.status_code == 404 and resp.json()["error"]


def test_content_type_follows_the_document_row(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    edit_rows(fx, "Document", lambda rows: [r.update(ContentType="application/pdf") for r in rows if r["Id"] == IDS["A23"]] and None)
    with ReplayServer(fx) as srv:
        resp = HTTP.get(f"{srv.base_url}/Document({IDS['A23']})/resource")
    assert resp.headers["content-type"] == "application/pdf" and resp.content.startswith(b"PK")


def test_fixture_edits_are_served_without_restart(tmp_path):
    fx = copy_fixture(tmp_path / "fx")
    with ReplayServer(fx) as srv:
        before = HTTP.get(f"{srv.base_url}/Zaak({IDS['Z1']})").json()["Onderwerp"]
        edit_rows(fx, "Zaak", lambda rows: [r.update(Onderwerp="nieuw") for r in rows if r["Id"] == IDS["Z1"]] and None)
        after = HTTP.get(f"{srv.base_url}/Zaak({IDS['Z1']})").json()["Onderwerp"]
    assert before != "nieuw" and after == "nieuw"


def test_faults_count_per_url_then_succeed(tmp_path):
    with ReplayServer(SMALL, faults=Faults(status_500=2, body_500="mixed")) as srv:
        url = f"{srv.base_url}/Zaak?$top=1"
        first, second, third = (HTTP.get(url) for _ in range(3))
        other = HTTP.get(f"{srv.base_url}/Zaak?$top=2")
    assert (first.status_code, second.status_code, third.status_code) == (500, 500, 200)
    assert {first.headers["content-type"][:9], second.headers["content-type"][:9]} == {"text/html", "applicati"}
    assert other.status_code == 500  # another URL has its own count


def test_429_carries_retry_after_and_limit_caps_faults():
    with ReplayServer(SMALL, faults=Faults(status_429=5, retry_after="7", limit=1)) as srv:
        a = HTTP.get(f"{srv.base_url}/Zaak?$top=1")
        b = HTTP.get(f"{srv.base_url}/Zaak?$top=2")
        assert srv.faults_served() == {"status_429": 1}
    assert (a.status_code, a.headers["retry-after"], b.status_code) == (429, "7", 200)


def test_truncated_short_body_is_half_the_payload():
    with ReplayServer(SMALL, faults=Faults(truncate=1, truncate_mode="short", match="/resource")) as srv:
        url = f"{srv.base_url}/Document({IDS['Q1']})/resource"
        cut, whole = HTTP.get(url), HTTP.get(url)
    assert len(cut.content) == len(whole.content) // 2


def test_truncated_close_body_breaks_the_transfer():
    with ReplayServer(SMALL, faults=Faults(truncate=1, match="/resource")) as srv:
        with pytest.raises(httpx.RemoteProtocolError):
            HTTP.get(f"{srv.base_url}/Document({IDS['Q1']})/resource")


def test_missing_resource_fault_gives_404():
    with ReplayServer(SMALL, faults=Faults(missing=frozenset({IDS["Q1"]}))) as srv:
        assert HTTP.get(f"{srv.base_url}/Document({IDS['Q1']})/resource").status_code == 404
        assert HTTP.get(f"{srv.base_url}/Document({IDS['Q2']})/resource").status_code == 200


def test_word_as_pdf_fault_relabels_docx():
    with ReplayServer(SMALL, faults=Faults(word_as_pdf=True)) as srv:
        resp = HTTP.get(f"{srv.base_url}/Document({IDS['A23']})/resource")
    assert resp.headers["content-type"] == "application/pdf" and resp.content.startswith(b"PK")


def test_filter_parser_rejects_garbage():
    with pytest.raises(FilterError):
        parse_filter("Soort eq 'open")
    with pytest.raises(FilterError):
        parse_filter("Soort eq 'a' extra")


def test_serve_prints_base_url_first(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "etl.replay", str(SMALL), "--page-size", "2"],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:") and line.endswith("/OData/v5")
        body = HTTP.get(line + "/Zaak", timeout=5).json()
        assert len(body["value"]) == 2 and "@odata.nextLink" in body
    finally:
        proc.kill()
        proc.wait()


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from etl.source.odata import build_url, eq  # noqa: E402


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_literal_survives_client_encoding_and_server_parsing(value):
    from urllib.parse import parse_qsl, urlsplit

    url = build_url("http://h/OData/v5", "Zaak", filter=eq("Onderwerp", value))
    flt = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))["$filter"]
    assert parse_filter(flt) == ("cmp", "eq", ("path", ["Onderwerp"]), ("lit", value))
