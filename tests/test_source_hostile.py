"""A hostile service (issue 14 items 2, 4, 5): same origin only, bounded pages and downloads,
ids quoted in URLs. Everything listens on 127.0.0.x; the "elsewhere" listener on 127.0.0.2
must never receive a connection."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest

from etl.source.client import TKClient, TKRefused
from etl.source.http import Refused, check_same_origin
from etl.source.odata import resource_url
from replay_fixtures.helpers import fast_settings


class Elsewhere:
    """A bare TCP listener on another loopback address that counts connections."""

    def __init__(self, host: str = "127.0.0.2"):
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture()
def elsewhere():
    e = Elsewhere()
    yield e
    e.close()


def serve(handler: Callable[[BaseHTTPRequestHandler], None]):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):  # quiet
            pass

        def do_GET(self):  # noqa: N802
            self.server.paths.append(self.path)
            handler(self)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    httpd.daemon_threads = True
    httpd.paths = []
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/OData/v5"


def send_json(h: BaseHTTPRequestHandler, obj) -> None:
    body = json.dumps(obj).encode()
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def test_a_next_link_to_another_host_is_refused_and_never_requested(elsewhere):
    httpd, base = serve(lambda h: send_json(h, {"value": [{"Id": "a"}], "@odata.nextLink": f"{elsewhere.url}/OData/v5/Zaak?p=2"}))
    try:
        with TKClient(fast_settings(base)) as client, pytest.raises(TKRefused, match=f"refusing to follow .*{elsewhere.url}"):
            list(client.iter_pages(f"{base}/Zaak?$orderby=Id"))
    finally:
        httpd.shutdown()
    time.sleep(0.2)
    assert elsewhere.connections == 0


def test_a_download_redirected_to_another_host_fails_that_document_only(elsewhere):
    def handler(h):
        h.send_response(302)
        h.send_header("Location", f"{elsewhere.url}/latest/meta-data/")
        h.send_header("Content-Length", "0")
        h.end_headers()

    httpd, base = serve(handler)
    try:
        with TKClient(fast_settings(base)) as client, pytest.raises(TKRefused, match="leaves http://127.0.0.1"):
            client.download("d1")
    finally:
        httpd.shutdown()
    time.sleep(0.2)
    assert elsewhere.connections == 0


def test_a_redirect_on_the_same_origin_is_followed():
    def handler(h):
        if "moved" in h.path:
            return send_json(h, {"value": [{"Id": "b"}]})
        h.send_response(301)
        h.send_header("Location", "/OData/v5/moved?x=1")
        h.send_header("Content-Length", "0")
        h.end_headers()

    httpd, base = serve(handler)
    try:
        with TKClient(fast_settings(base)) as client:
            assert client.get_json(f"{base}/Zaak")["value"] == [{"Id": "b"}]
    finally:
        httpd.shutdown()


def test_https_to_http_and_other_ports_are_refused():
    with pytest.raises(Refused):
        check_same_origin("https://api.example/OData/v5", "http://api.example/OData/v5/Zaak", "a nextLink")
    with pytest.raises(Refused):
        check_same_origin("https://api.example/OData/v5", "https://api.example:8443/OData/v5/Zaak", "a nextLink")
    assert check_same_origin("https://API.example/OData/v5", "https://api.example:443/x", "a nextLink")


def test_a_json_page_over_the_byte_cap_fails_in_one_line():
    httpd, base = serve(lambda h: send_json(h, {"value": [{"Id": "x" * 5000}]}))
    try:
        with TKClient(fast_settings(base, max_page_bytes=1000)) as client, pytest.raises(TKRefused) as exc:
            client.get_json(f"{base}/Zaak")
    finally:
        httpd.shutdown()
    assert "exceeds the cap of 1000 bytes" in str(exc.value) and "\n" not in str(exc.value)


def test_a_next_link_that_changes_every_page_stops_at_the_page_cap():
    counter = iter(range(10_000))

    def handler(h):
        send_json(h, {"@odata.count": 3, "value": [], "@odata.nextLink": f"{base}/Zaak?$skiptoken={next(counter)}"})

    httpd, base = serve(handler)
    try:
        with TKClient(fast_settings(base)) as client, pytest.raises(TKRefused, match="passed 5 pages"):
            list(client.iter_pages(f"{base}/Zaak?$orderby=Id"))
    finally:
        httpd.shutdown()
    assert len(httpd.paths) == 5


def test_a_dripping_download_fails_below_the_minimum_rate():
    def handler(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", "100")
        h.end_headers()
        try:
            for _ in range(100):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    httpd, base = serve(handler)
    try:
        settings = fast_settings(base, read_timeout=2.0, min_download_rate=1000, download_grace=0.3)
        with TKClient(settings) as client, pytest.raises(TKRefused, match="below the minimum of 1000 bytes/s"):
            client.download("d1")
    finally:
        httpd.shutdown()


def test_ids_are_percent_quoted_in_resource_urls():
    httpd, base = serve(lambda h: send_json(h, {}))
    url = resource_url(base, "x)/../../evil?q=1#")
    assert url.endswith("/Document(x%29%2F..%2F..%2Fevil%3Fq%3D1%23)/resource")
    try:
        with TKClient(fast_settings(base)) as client:
            client.download("x)/../../evil?q=1#")
    finally:
        httpd.shutdown()
    assert httpd.paths == ["/OData/v5/Document(x%29%2F..%2F..%2Fevil%3Fq%3D1%23)/resource"]
