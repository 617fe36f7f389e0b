"""Alerts: derive what changed in watched things after each run, and deliver it once per sink.

``derive_alerts`` adds rows to the ``alerts`` table with deterministic keys (INSERT OR IGNORE),
so reruns, incremental runs and a run after a kill -9 never raise an alert twice.
``deliver_pending`` sends each sink what it has not received and records each success at once;
a sink that is down is skipped for the rest of the run and catches up later. Neither ever fails
the data run because of a sink.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from etl.alerts.sinks import SinkError, send
from etl.alerts.watch import Sink, Watch, WatchFileError, load_watch
from etl.config import Settings
from etl.load.sql import read_sql

__all__ = [
    "AlertRunSummary", "SinkError", "Watch", "WatchFileError", "deliver_pending", "derive_alerts",
    "list_alerts", "load_watch", "run_alerts",
]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class AlertRunSummary:
    new: int = 0
    delivered: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def to_metadata(self) -> dict[str, Any]:
        return {"new_alerts": self.new, "delivered": sum(self.delivered.values()),
                "pending": sum(self.pending.values()), "sink_errors": "; ".join(self.errors.values()) or "none"}

    def __str__(self) -> str:
        text = f"alerts: {self.new} new, {sum(self.delivered.values())} deliveries"
        if self.pending:
            text += f", {sum(self.pending.values())} pending ({'; '.join(self.errors.values())})"
        return text


def derive_alerts(con, watch: Watch, now: datetime | None = None) -> int:
    """Add the alerts the warehouse shows now and the table lacks; returns how many are new."""
    params = {**watch.params(), "now": now or _utcnow()}
    con.execute("BEGIN TRANSACTION")
    try:
        new = len(con.execute(read_sql("alerts/derive.sql"), params).fetchall())
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return new


def _rows(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def alert_payload(row: dict[str, Any]) -> dict[str, Any]:
    """The JSON object every sink receives (and `kamerspoor alerts --json` prints)."""
    return {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in row.items()}


def deliver_pending(con, sinks: tuple[Sink, ...], now: datetime | None = None, *, send_one=send) -> AlertRunSummary:
    """Send every sink the alerts it has not received; record each delivery as soon as it is made."""
    summary = AlertRunSummary()
    stamp = now or _utcnow()
    for sink in sinks:
        pending = _rows(con.execute(read_sql("alerts/pending.sql"), {"sink": sink.name}))
        done = 0
        for row in pending:
            try:
                send_one(sink, alert_payload(row))
            except SinkError as exc:
                summary.errors[sink.name] = str(exc)
                summary.pending[sink.name] = len(pending) - done
                break
            con.execute(read_sql("alerts/record_delivery.sql"),
                        {"alert_key": row["alert_key"], "sink": sink.name, "now": _utcnow()})
            done += 1
        summary.delivered[sink.name] = done
    con.execute(read_sql("alerts/mark_delivered.sql"), {"sinks": [s.name for s in sinks], "now": stamp})
    return summary


def run_alerts(settings: Settings, now: datetime | None = None) -> AlertRunSummary:
    """After a run: derive new alerts into the live warehouse, then deliver what is pending."""
    from etl.load import warehouse

    watch = load_watch(settings.watch_path)
    con = warehouse.connect(settings.warehouse_path)
    try:
        warehouse.apply_schema(con)
        new = derive_alerts(con, watch, now)
        summary = deliver_pending(con, watch.sinks, now)
    finally:
        con.close()
    summary.new = new
    return summary


def list_alerts(con, since: date | None = None) -> list[dict[str, Any]]:
    """Alerts first seen on or after ``since`` (all when None), newest first."""
    return [alert_payload(r) for r in _rows(con.execute(read_sql("alerts/list.sql"), {"since": since}))]
