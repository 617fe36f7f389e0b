"""Dutch local time without a tz database.

The API writes dates as Dutch local time with an offset (+01:00 / +02:00) and `ApiGewijzigdOp`
in UTC. A day window must be sent as Dutch midnight, because the UTC instant of a Dutch
midnight drops rows at day boundaries (TK issue #185). The EU summer-time rule (last Sunday of
March 01:00 UTC to last Sunday of October 01:00 UTC) has held since 1996, which covers all
Parlis data (2008 onwards), so we compute the offset instead of depending on tzdata.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def dutch_tz_at(instant: datetime) -> timezone:
    """The Dutch offset in force at an aware instant."""
    utc = instant.astimezone(timezone.utc)
    start = datetime.combine(_last_sunday(utc.year, 3), datetime.min.time(), timezone.utc) + timedelta(hours=1)
    end = datetime.combine(_last_sunday(utc.year, 10), datetime.min.time(), timezone.utc) + timedelta(hours=1)
    return CEST if start <= utc < end else CET


def dutch_midnight(day: date) -> datetime:
    """Dutch local midnight of ``day`` as an aware datetime (+01:00 or +02:00).

    Midnight is never inside a transition (they happen at 02:00/03:00 local), so the offset is
    the one in force at 00:00 local, i.e. at 22:00/23:00 UTC the evening before.
    """
    probe = datetime.combine(day, datetime.min.time(), timezone.utc) - timedelta(hours=1)
    return datetime.combine(day, datetime.min.time(), dutch_tz_at(probe))


_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def parse_datetime(value: str) -> datetime:
    """Parse an OData DateTimeOffset (up to 7 fraction digits, ``Z`` or offset).

    A value without an offset is read as Dutch local time, as the service does.
    Raises ValueError on anything else.
    """
    text = _FRACTION.sub(lambda m: m.group(1), value.strip())
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        guess = dt.replace(tzinfo=CET)
        dt = dt.replace(tzinfo=dutch_tz_at(guess))
    return dt


def dutch_date(value: datetime) -> date:
    """The Dutch calendar date of an aware instant."""
    return value.astimezone(dutch_tz_at(value)).date()


def format_odata_datetime(value: datetime) -> str:
    """An OData literal: ``2025-09-01T00:00:00+02:00`` or ``...Z`` for UTC."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: OData literals need an offset")
    text = value.isoformat(timespec="seconds" if not value.microsecond else "microseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text
