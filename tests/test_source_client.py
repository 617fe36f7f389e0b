"""The HTTP client's manners and patience."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from etl.config import USER_AGENT, Settings
from etl.replay import Faults, ReplayServer
from etl.source.client import FileTooLarge, TKClient, TKHTTPError, TKRetriesExhausted, parse_retry_after
from replay_fixtures.helpers import IDS, SMALL, fast_settings


def mock_client(handler, **overrides) -> tuple[TKClient, list[float]]:
    slept: list[float] = []
    values = dict(api_url="http://api.test/OData/v5", backoff_base=0.01, backoff_max=30.0, max_retries=3)
    settings = Settings(**{**values, **overrides})
    return TKClient(settings, transport=httpx.MockTransport(handler), sleep=slept.append), slept


def test_user_agent_names_the_project():
    seen = []

    def handler(request):
        seen.append(request.headers["user-agent"])
        return httpx.Response(200, json={"value": []})

    client, _ = mock_client(handler)
    with client:
        client.get_json("http://api.test/OData/v5/Zaak")
    assert seen == [USER_AGENT] and "kamerspoor" in seen[0]


def test_5xx_is_retried_with_growing_backoff_then_succeeds():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(503 if len(calls) < 3 else 200, json={"value": [1]})

    client, slept = mock_client(handler)
    with client:
        assert client.get_json("http://api.test/x")["value"] == [1]
    assert len(calls) == 3 and len(slept) == 2
    assert client.stats.retries == 2


def test_backoff_is_exponential_with_jitter_and_capped():
    client, _ = mock_client(lambda r: httpx.Response(200, json={}), backoff_max=1.0)
    delays = [[client.backoff(a, None) for _ in range(200)] for a in range(6)]
    assert all(0 <= d <= 0.01 * 2**a for a, ds in enumerate(delays) for d in ds)
    assert max(delays[5]) > max(delays[0])  # grows
    assert len(set(delays[3])) > 100  # jittered
    assert client.backoff(30, None) <= 1.0


def test_429_retry_after_is_honoured():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "3"}, json={})
        return httpx.Response(200, json={"value": []})

    client, slept = mock_client(handler)
    with client:
        client.get_json("http://api.test/x")
    assert slept and slept[0] >= 3


def test_other_4xx_is_not_retried_and_names_the_url():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(400, text="The query specified in the URI is not valid.")

    client, slept = mock_client(handler)
    with client, pytest.raises(TKHTTPError) as exc:
        client.get_json("http://api.test/OData/v5/Zaak?$filter=bad")
    assert len(calls) == 1 and not slept
    assert exc.value.status == 400 and "Zaak?$filter=bad" in str(exc.value)


def test_retries_give_up_with_a_clear_error():
    client, slept = mock_client(lambda r: httpx.Response(500, text="<html>Runtime Error</html>"))
    with client, pytest.raises(TKRetriesExhausted, match="after 4 attempts.*HTTP 500"):
        client.get_json("http://api.test/x")
    assert len(slept) == 3


def test_connect_errors_and_invalid_json_are_retried():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("connection reset by peer")
        if len(calls) == 2:
            return httpx.Response(200, content=b'{"value": [')
        return httpx.Response(200, json={"value": [2]})

    client, _ = mock_client(handler)
    with client:
        assert client.get_json("http://api.test/x")["value"] == [2]
    assert len(calls) == 3


def test_paging_refuses_top():
    client, _ = mock_client(lambda r: httpx.Response(200, json={"value": []}))
    with client, pytest.raises(ValueError, match=r"\$top"):
        list(client.iter_pages("http://api.test/OData/v5/Zaak?$top=10"))


def test_next_link_is_followed_verbatim():
    requested = []
    odd = "http://api.test/OData/v5/Zaak?$filter=Soort%20eq%20'x'&$skiptoken=Id-'a%2Cb'"

    def handler(request):
        requested.append(str(request.url))
        if len(requested) == 1:
            return httpx.Response(200, json={"value": [1], "@odata.nextLink": odd})
        return httpx.Response(200, json={"value": [2]})

    client, _ = mock_client(handler)
    with client:
        rows = [r for p in client.iter_pages("http://api.test/OData/v5/Zaak") for r in p.rows]
    assert rows == [1, 2] and requested[1] == odd


def test_concurrency_is_bounded():
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def handler(request):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return httpx.Response(200, json={"value": []})

    client, _ = mock_client(handler, concurrency=2)
    with client:
        threads = [threading.Thread(target=client.get_json, args=(f"http://api.test/{i}",)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert state["max"] == 2


def test_download_over_the_cap_is_refused_without_reading_it():
    client, _ = mock_client(lambda r: httpx.Response(200, content=b"x" * 100), max_file_bytes=50)
    with client:
        with pytest.raises(FileTooLarge):
            client.download("d")
        with pytest.raises(FileTooLarge, match="ContentLength 60"):
            client.download("d", expected_length=60)


def test_download_checks_byte_count_against_content_length():
    client, slept = mock_client(lambda r: httpx.Response(200, content=b"%PDF-short"))
    with client, pytest.raises(TKRetriesExhausted, match="ContentLength says 99"):
        client.download("d", expected_length=99)
    assert len(slept) == 3


def test_parse_retry_after_accepts_seconds_and_http_dates():
    from datetime import datetime, timezone

    assert parse_retry_after("5") == 5
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:10 GMT", now) == 10
    assert parse_retry_after("soon") is None


def test_read_timeout_over_real_http_is_retried():
    with ReplayServer(SMALL, faults=Faults(slow=1, slow_seconds=3.0)) as srv:
        with TKClient(fast_settings(srv.base_url, read_timeout=0.2)) as client:
            t0 = time.monotonic()
            body = client.get_json(f"{srv.base_url}/Zaak?$top=1")
            elapsed = time.monotonic() - t0
        assert len(body["value"]) == 1 and client.stats.retries >= 1
    assert elapsed < 2.5  # it gave up on the slow answer instead of waiting for it


def test_429_over_real_http_waits_retry_after():
    with ReplayServer(SMALL, faults=Faults(status_429=1, retry_after="1")) as srv:
        with TKClient(fast_settings(srv.base_url, backoff_max=5)) as client:
            t0 = time.monotonic()
            client.get_json(f"{srv.base_url}/Zaak?$top=1")
            assert time.monotonic() - t0 >= 1.0


def test_404_resource_over_real_http_fails_at_once():
    with ReplayServer(SMALL, faults=Faults(missing=frozenset({IDS["Q1"]}))) as srv:
        with TKClient(fast_settings(srv.base_url)) as client, pytest.raises(TKHTTPError) as exc:
            client.download(IDS["Q1"])
        assert exc.value.status == 404 and len([p for p in srv.request_log if "resource" in p]) == 1
