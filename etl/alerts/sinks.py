"""Deliver one alert to one sink: a JSONL file, a webhook (HTTP POST) or e-mail over SMTP.

Each send either succeeds or raises ``SinkError`` with one line saying why; the caller records
a success at once and stops using a failed sink for the rest of the run (it gets the alert on
a later run). Every message carries the alert key (``Idempotency-Key`` header, e-mail
``Message-ID``) so a receiver can recognise the one repeat a crash between send and record
could cause.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import time
from email.message import EmailMessage
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from etl.alerts.watch import Sink
from etl.config import USER_AGENT

MAX_SAME_HOST_REDIRECTS = 3


class SinkError(RuntimeError):
    """A sink did not accept an alert (down, refused, timed out, redirected elsewhere)."""


def send(sink: Sink, alert: dict[str, Any], *, sleep=time.sleep) -> None:
    if sink.type == "jsonl":
        _send_jsonl(sink, alert)
    elif sink.type == "webhook":
        _send_webhook(sink, alert, sleep)
    elif sink.type == "smtp":
        _send_smtp(sink, alert)
    else:  # the watch file parser allows only the three types
        raise SinkError(f"{sink.name}: unknown sink type {sink.type!r}")


def _send_jsonl(sink: Sink, alert: dict[str, Any]) -> None:
    line = json.dumps(alert, ensure_ascii=False, default=str) + "\n"
    try:
        sink.path.parent.mkdir(parents=True, exist_ok=True)
        with open(sink.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise SinkError(f"{sink.name}: cannot append to {sink.path} ({exc.strerror or exc})") from None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _send_webhook(sink: Sink, alert: dict[str, Any], sleep) -> None:
    body = json.dumps(alert, ensure_ascii=False, default=str).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Idempotency-Key": alert["alert_key"]}
    last = "no attempt"
    with httpx.Client(timeout=sink.timeout, follow_redirects=False) as client:
        for attempt in range(sink.retries + 1):
            if attempt:
                sleep(min(0.5 * 2 ** (attempt - 1), 5.0))
            try:
                status = _post_same_origin(client, sink, body, headers)
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            if 200 <= status < 300:
                return
            last = f"HTTP {status}"
            if 400 <= status < 500 and status not in (408, 429):
                break  # the receiver refuses this request; retrying will not change that
    raise SinkError(f"{sink.name}: not delivered ({last})")


def _post_same_origin(client: httpx.Client, sink: Sink, body: bytes, headers: dict[str, str]) -> int:
    """POST, following at most a few 307/308 redirects on the same scheme, host and port."""
    url = sink.url
    for _ in range(MAX_SAME_HOST_REDIRECTS + 1):
        response = client.post(url, content=body, headers=headers)
        if response.status_code not in (301, 302, 303, 307, 308):
            return response.status_code
        target = urljoin(url, response.headers.get("location", ""))
        if _origin(target) != _origin(sink.url):
            raise SinkError(f"{sink.name}: refused a redirect to another host ({_origin(target)[1] or target})")
        if response.status_code not in (307, 308):
            raise SinkError(f"{sink.name}: HTTP {response.status_code} redirect would drop the POST body")
        url = target
    raise SinkError(f"{sink.name}: too many redirects")


def _send_smtp(sink: Sink, alert: dict[str, Any]) -> None:
    message = EmailMessage()
    message["Subject"] = f"[kamerspoor] {alert['kind']}: {alert['detail']}"[:200]
    message["From"] = sink.sender
    message["To"] = ", ".join(sink.to)
    message["Message-ID"] = f"<{alert['alert_key']}@kamerspoor>"
    message.set_content(_mail_text(alert))
    try:
        with smtplib.SMTP(sink.host, sink.port, timeout=sink.timeout) as smtp:
            if sink.starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=sink.tls_ca))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SinkError(f"{sink.name}: not delivered ({type(exc).__name__}: {exc})") from None


def _mail_text(alert: dict[str, Any]) -> str:
    lines = [alert["detail"], ""]
    if alert.get("question_set_numbers"):
        lines.append("Vragenset(s): " + ", ".join(alert["question_set_numbers"]))
    if alert.get("theme_id"):
        lines.append(f"Thema: {alert['theme_id']}")
    if alert.get("evidence"):
        lines += ["", f"\u201c{alert['evidence']}\u201d"]
    if alert.get("url"):
        lines += ["", alert["url"]]
    lines += ["", f"alert {alert['alert_key']} ({alert['kind']}), first seen {alert['first_seen']}"]
    return "\n".join(lines) + "\n"
