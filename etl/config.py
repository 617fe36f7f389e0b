"""All configuration in one typed place.

Values come from arguments first, then ``KAMERSPOOR_*`` environment variables, then the
defaults below. Nothing else in the library reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

LIVE_API_URL = "https://gegevensmagazijn.tweedekamer.nl/OData/v5"
PDF_ENGINES = ("pdfplumber", "pypdfium2")
USER_AGENT = "kamerspoor/0.1 (+https://github.com/kamerspoor; Kamervragen warehouse)"


@dataclass(frozen=True)
class Settings:
    """Where things live and how politely we talk to the API."""

    api_url: str = LIVE_API_URL
    data_dir: Path = Path("data")  # raw store: metadata snapshots, files by sha256, parses
    warehouse_path: Path = Path("warehouse/kamerspoor.duckdb")
    # HTTP manners (issue #4): bounded concurrency, timeouts, retries, size cap.
    concurrency: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_retries: int = 5
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_file_bytes: int = 50 * 1024 * 1024
    # Incremental sync re-reads this much before the stored cursor (clock skew, late rows).
    overlap_minutes: int = 60
    user_agent: str = USER_AGENT
    # Who reads PDF characters: "pdfplumber" (the reference) or "pypdfium2" (same output on every
    # accuracy test, about 3.5x faster; see BENCHMARKS.md).
    pdf_engine: str = "pdfplumber"
    # Parser processes for large batches (backfills); small batches parse inline.
    parse_workers: int = min(4, os.cpu_count() or 1)
    # Live-service limits (issue 10): the service refuses a $filter over 100 nodes; we stay under.
    filter_node_budget: int = 90
    # Reconcile (list the ids of every stored window, retire what the service no longer has)
    # at most this many days apart; 0 = only on demand.
    reconcile_days: int = 7
    # A window longer than this many days that returns no question set at all is an error
    # (a renamed Soort value looks exactly like that); 0 = never.
    empty_window_days: int = 7
    # Metadata limits (issue 14): bytes of one JSON page; pages of one listing when the service
    # gives no @odata.count (with a count: count + 2); a download must average this many bytes
    # per second once download_grace seconds have passed, and finish within download_deadline.
    max_page_bytes: int = 64 * 1024 * 1024
    max_listing_pages: int = 5000
    min_download_rate: int = 2048
    download_grace: float = 30.0
    download_deadline: float = 600.0
    # Whether the Dagster schedules start RUNNING when the code location loads
    # (KAMERSPOOR_SCHEDULES=off leaves them STOPPED, e.g. on a laptop or a staging copy).
    schedules: bool = True

    def __post_init__(self) -> None:
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"pdf_engine (KAMERSPOOR_PDF_ENGINE) must be one of {PDF_ENGINES}, not {self.pdf_engine!r}")

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def snapshot_path(self) -> Path:
        """The read-only copy analysts open while a job writes (``kamerspoor.snapshot.duckdb``)."""
        return self.warehouse_path.with_suffix(".snapshot.duckdb")

    def with_overrides(self, **kwargs: object) -> "Settings":
        """A copy with the given non-None values replaced."""
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})


def from_env(environ: dict[str, str] | None = None) -> Settings:
    """Settings from ``KAMERSPOOR_*`` variables (API_URL, DATA_DIR, WAREHOUSE, PDF_ENGINE, PARSE_WORKERS, SCHEDULES)."""
    env = os.environ if environ is None else environ
    base = Settings()
    return base.with_overrides(
        api_url=env.get("KAMERSPOOR_API_URL"),
        data_dir=Path(env["KAMERSPOOR_DATA_DIR"]) if env.get("KAMERSPOOR_DATA_DIR") else None,
        warehouse_path=Path(env["KAMERSPOOR_WAREHOUSE"]) if env.get("KAMERSPOOR_WAREHOUSE") else None,
        pdf_engine=env.get("KAMERSPOOR_PDF_ENGINE"),
        parse_workers=_positive_int(env, "KAMERSPOOR_PARSE_WORKERS"),
        filter_node_budget=_positive_int(env, "KAMERSPOOR_FILTER_NODE_BUDGET"),
        reconcile_days=_whole(env, "KAMERSPOOR_RECONCILE_DAYS"),
        empty_window_days=_whole(env, "KAMERSPOOR_EMPTY_WINDOW_DAYS"),
        max_page_bytes=_positive_int(env, "KAMERSPOOR_MAX_PAGE_BYTES"),
        max_listing_pages=_positive_int(env, "KAMERSPOOR_MAX_LISTING_PAGES"),
        min_download_rate=_whole(env, "KAMERSPOOR_MIN_DOWNLOAD_RATE"),
        download_deadline=_seconds(env, "KAMERSPOOR_DOWNLOAD_DEADLINE"),
        schedules=_switch(env, "KAMERSPOOR_SCHEDULES"),
    )


def _positive_int(env, name: str) -> int | None:
    value = env.get(name)
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _whole(env, name: str) -> int | None:
    value = env.get(name)
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number (0 or more), not {value!r}")
    return int(value)


def _seconds(env, name: str) -> float | None:
    value = env.get(name)
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise ValueError(f"{name} must be a number of seconds above 0, not {value!r}")
    return seconds


def _switch(env, name: str) -> bool | None:
    """on/off (also true/false, 1/0, yes/no); anything else is an error naming the variable."""
    value = env.get(name, "").strip().lower()
    if not value:
        return None
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("off", "false", "0", "no"):
        return False
    raise ValueError(f"{name} must be on or off, not {env[name]!r}")
