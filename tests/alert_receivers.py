"""Real receivers on 127.0.0.1 for the alert sinks: an HTTP webhook endpoint and an SMTP server."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


class WebhookReceiver:
    """Records every POST body (parsed JSON) and its headers; ``status`` / ``redirect`` script replies."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.status = 200
        self.redirect: str | None = None  # reply 307 with this Location to the next POSTs
        self.fail_first = 0  # answer 503 to this many POSTs first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.redirect and self.path != "/final":
                    self.send_response(307)
                    self.send_header("Location", receiver.redirect)
                    self.end_headers()
                    return
                if receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                if 200 <= receiver.status < 300:
                    receiver.received.append(json.loads(body))
                    receiver.headers.append(dict(self.headers))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                return None

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Collect:
    def __init__(self, messages: list) -> None:
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class SmtpReceiver:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list = []
        self.port = free_port()
        self.controller = Controller(_Collect(self.messages), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpReceiver":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def watch_toml(*, webhook: str, smtp_port: int, jsonl: str, themes=("ict_incidents", "backlogs", "strafvordering"),
               retries: int = 1) -> str:
    """A watch file delivering to the given local receivers."""
    return f"""
[watch]
themes = {json.dumps(list(themes))}

[[sink]]
name = "hook"
type = "webhook"
url = "{webhook}"
timeout = 5
retries = {retries}

[[sink]]
name = "mail"
type = "smtp"
host = "127.0.0.1"
port = {smtp_port}
from = "kamerspoor@localhost"
to = ["analist@localhost"]

[[sink]]
name = "file"
type = "jsonl"
path = "{jsonl}"
"""
