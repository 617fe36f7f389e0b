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


def self_signed_cert(directory) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, written as PEM files (for the STARTTLS test)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = f"{directory}/cert.pem", f"{directory}/key.pem"
    with open(cert_path, "wb") as fh:
        fh.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    return cert_path, key_path


class StartTlsSmtpReceiver(SmtpReceiver):
    """An SMTP server on 127.0.0.1 that refuses mail until the client has said STARTTLS."""

    def __init__(self, cert_path: str, key_path: str) -> None:
        import ssl

        self.messages = []
        self.port = free_port()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_path, key_path)
        self.controller = Controller(_Collect(self.messages), hostname="127.0.0.1", port=self.port,
                                     tls_context=context, require_starttls=True)
