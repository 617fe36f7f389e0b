"""The one time window of kamerspoor: a start day included, an end day excluded.

The CLI (``--since``/``--until``), the monthly partitions and the sync all speak in this type, so
"is the end day in?" has one answer everywhere: no. Days are Dutch calendar days (the API's
``GestartOp`` carries an Amsterdam offset); turning a day into an instant is the source's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Window:
    """``[start, end)`` in days; ``None`` on either side means unbounded."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"window end {self.end} must be after its start {self.start} (the end day is excluded)")

    @classmethod
    def month(cls, first_day: date) -> "Window":
        """The calendar month that starts on ``first_day`` (a monthly partition)."""
        nxt = (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return cls(first_day.replace(day=1), nxt)

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> "Window":
        """From ISO dates as typed on a command line; a bad date names itself."""
        def day(label: str, value: str | None) -> date | None:
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{label} must be a date as YYYY-MM-DD, not {value!r}") from None

        return cls(day("since", since), day("until", until))

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day < self.end)

    @property
    def unbounded(self) -> bool:
        return self.start is None and self.end is None

    def __str__(self) -> str:
        return f"[{self.start or '…'}, {self.end or '…'})"
