"""Alert sinks against real receivers on 127.0.0.1: webhook retries, timeouts and redirects,
SMTP with the alert key as Message-ID, JSONL appends, and delivery bookkeeping per sink."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from etl.alerts import deliver_pending
from etl.alerts.sinks import SinkError, send
from etl.alerts.watch import Sink
from etl.load import warehouse
from tests.alert_receivers import SmtpReceiver, WebhookReceiver, free_port

ALERT = {
    "alert_key": "k1", "kind": "new_delay_notice", "theme_id": "backlogs",
    "question_set_numbers": ["2025Z18830", "2025Z19412"], "document_id": "d1",
    "detail": "Uitstelbericht 2025Z18830, 2025Z19412", "evidence": None, "url": "https://example.org/d1",
    "first_seen": "2026-12-02T10:00:00",
}


def no_sleep(_seconds: float) -> None:
    return None


def hook_sink(url: str, retries: int = 2) -> Sink:
    return Sink(name="hook", type="webhook", url=url, timeout=2.0, retries=retries)


def test_webhook_posts_the_alert_as_json_with_its_key_as_idempotency_key() -> None:
    with WebhookReceiver() as hook:
        send(hook_sink(hook.url), ALERT, sleep=no_sleep)
    assert hook.received == [ALERT]
    assert hook.headers[0]["Idempotency-Key"] == "k1"


def test_webhook_retries_a_server_error_and_then_delivers() -> None:
    with WebhookReceiver() as hook:
        hook.fail_first = 2
        send(hook_sink(hook.url, retries=2), ALERT, sleep=no_sleep)
    assert len(hook.received) == 1


def test_webhook_gives_up_after_its_retries_with_one_line_naming_the_sink() -> None:
    with WebhookReceiver() as hook:
        hook.fail_first = 5
        with pytest.raises(SinkError, match=r"^hook: not delivered \(HTTP 503\)$"):
            send(hook_sink(hook.url, retries=1), ALERT, sleep=no_sleep)
    assert hook.received == []


def test_webhook_that_is_down_is_a_sink_error() -> None:
    with pytest.raises(SinkError, match="ConnectError"):
        send(hook_sink(f"http://127.0.0.1:{free_port()}/hook", retries=0), ALERT, sleep=no_sleep)


def test_webhook_refuses_a_redirect_to_another_host() -> None:
    with WebhookReceiver() as hook, WebhookReceiver(host="127.0.0.2") as other:
        hook.redirect = other.url
        with pytest.raises(SinkError, match="refused a redirect to another host"):
            send(hook_sink(hook.url, retries=0), ALERT, sleep=no_sleep)
    assert hook.received == [] and other.received == []


def test_webhook_follows_a_same_host_307_redirect() -> None:
    with WebhookReceiver() as hook:
        hook.redirect = hook.url.replace("/hook", "/final")
        send(hook_sink(hook.url, retries=0), ALERT, sleep=no_sleep)
    assert hook.received == [ALERT]


def test_smtp_mail_carries_the_detail_and_the_alert_key_as_message_id() -> None:
    with SmtpReceiver() as smtp:
        sink = Sink(name="mail", type="smtp", host="127.0.0.1", port=smtp.port, sender="k@localhost",
                    to=("a@localhost",), timeout=5.0)
        send(sink, ALERT)
    [message] = smtp.messages
    assert message["Message-ID"] == "<k1@kamerspoor>"
    assert "2025Z18830" in message["Subject"] and "2025Z19412" in message.get_payload()


def test_smtp_server_that_is_down_is_a_sink_error() -> None:
    sink = Sink(name="mail", type="smtp", host="127.0.0.1", port=free_port(), sender="k@localhost",
                to=("a@localhost",), timeout=2.0)
    with pytest.raises(SinkError, match="^mail: not delivered"):
        send(sink, ALERT)


def test_jsonl_sink_appends_one_line_per_alert(tmp_path: Path) -> None:
    sink = Sink(name="file", type="jsonl", path=tmp_path / "sub" / "alerts.jsonl")
    send(sink, ALERT)
    send(sink, {**ALERT, "alert_key": "k2"})
    lines = sink.path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["alert_key"] for line in lines] == ["k1", "k2"]


@pytest.fixture()
def con(tmp_path: Path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.apply_schema(con)
    con.execute(
        "INSERT INTO alerts (alert_key, kind, detail, first_seen) VALUES "
        "('a', 'new_answer', 'one', TIMESTAMP '2026-12-01 10:00'), ('b', 'new_answer', 'two', TIMESTAMP '2026-12-01 10:00')"
    )
    yield con
    con.close()


def test_delivery_stops_at_a_failing_sink_and_resumes_where_it_stopped(con, tmp_path: Path) -> None:
    sent: list[tuple[str, str]] = []
    good = Sink(name="file", type="jsonl", path=tmp_path / "a.jsonl")
    flaky = Sink(name="flaky", type="jsonl", path=tmp_path / "b.jsonl")

    def first_only(sink: Sink, alert: dict) -> None:
        if sink.name == "flaky" and any(s == "flaky" for s, _ in sent):
            raise SinkError("flaky: down")
        sent.append((sink.name, alert["alert_key"]))

    summary = deliver_pending(con, (good, flaky), datetime(2026, 12, 2), send_one=first_only)
    assert summary.delivered == {"file": 2, "flaky": 1} and summary.pending == {"flaky": 1}
    assert con.execute("SELECT count(*) FROM alerts WHERE delivered IS NULL").fetchone()[0] == 1

    summary = deliver_pending(con, (good, flaky), datetime(2026, 12, 3), send_one=lambda s, a: sent.append((s.name, a["alert_key"])))
    assert summary.delivered == {"file": 0, "flaky": 1}
    assert sorted(sent) == [("file", "a"), ("file", "b"), ("flaky", "a"), ("flaky", "b")]
    assert con.execute("SELECT count(*) FROM alerts WHERE delivered IS NULL").fetchone()[0] == 0


def test_smtp_starttls_upgrades_the_connection_to_a_server_that_requires_it(tmp_path: Path) -> None:
    from tests.alert_receivers import StartTlsSmtpReceiver, self_signed_cert

    cert, key = self_signed_cert(tmp_path)
    with StartTlsSmtpReceiver(cert, key) as smtp:
        plain = Sink(name="mail", type="smtp", host="127.0.0.1", port=smtp.port, sender="k@localhost",
                     to=("a@localhost",), timeout=5.0)
        with pytest.raises(SinkError, match="^mail: not delivered"):
            send(plain, ALERT)  # the server wants STARTTLS first
        tls = Sink(name="mail", type="smtp", host="127.0.0.1", port=smtp.port, sender="k@localhost",
                   to=("a@localhost",), timeout=5.0, starttls=True, tls_ca=Path(cert))
        send(tls, ALERT)
    assert [m["Message-ID"] for m in smtp.messages] == ["<k1@kamerspoor>"]


def test_smtp_starttls_refuses_a_certificate_it_does_not_trust(tmp_path: Path) -> None:
    from tests.alert_receivers import StartTlsSmtpReceiver, self_signed_cert

    cert, key = self_signed_cert(tmp_path)
    with StartTlsSmtpReceiver(cert, key) as smtp:
        sink = Sink(name="mail", type="smtp", host="127.0.0.1", port=smtp.port, sender="k@localhost",
                    to=("a@localhost",), timeout=5.0, starttls=True)  # system CAs only
        with pytest.raises(SinkError, match="SSLCertVerificationError"):
            send(sink, ALERT)
    assert smtp.messages == []
