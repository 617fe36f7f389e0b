"""All configuration in one typed place.

Values come from arguments first, then ``KAMERSPOOR_*`` environment variables, then the
defaults below. Nothing else in the library reads the environment.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

LIVE_API_URL = "https://gegevensmagazijn.tweedekamer.nl/OData/v5"
LIVE_KOOP_URL = "https://zoek.officielebekendmakingen.nl"
PDF_ENGINES = ("pdfplumber", "pypdfium2")
USER_AGENT = "kamerspoor/0.1 (+https://github.com/kamerspoor; Kamervragen warehouse)"


@dataclass(frozen=True)
class Settings:
    """Where things live and how politely we talk to the API."""

    api_url: str = LIVE_API_URL
    # KOOP (officielebekendmakingen.nl): the XML twin of a letter is <koop_url>/<publication id>.xml
    koop_url: str | None = None  # None: the live KOOP site for the live API, else the API's own server
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
    # Who reads PDF characters: "pypdfium2" (pdfium's text APIs, etl/parse/pdf_runs.py; the same
    # output as the reference on every PDF we hold, several times faster; see BENCHMARKS.md) or
    # "pdfplumber" (the reference engine).
    pdf_engine: str = "pypdfium2"
    # Parser processes (etl/parse/workers.py); every run parses in workers, however few files.
    parse_workers: int = min(4, os.cpu_count() or 1)
    # Bounded parsing (issue 14): each worker's address-space limit (RLIMIT_AS), and each file's
    # wall-clock limit (scaled up per 5 MB of input); a file over either is quarantined.
    parse_memory_mb: int = 1536
    parse_timeout_s: float = 60.0
    # Inputs over these caps are refused with one line (failure code too_large).
    parse_max_bytes: int = 50 * 1024 * 1024
    parse_max_pages: int = 500
    parse_max_chars: int = 2_000_000
    # Where `kamerspoor demo` keeps its own raw store and warehouse (apart from a real run's).
    demo_data_dir: Path = Path("data/demo")
    demo_warehouse_path: Path = Path("warehouse/demo.duckdb")
    # Alerts: the watch list and its sinks (TOML); None = the packaged etl/enrich/watch.toml.
    watch_path: Path | None = None
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
    def koop_origin(self) -> str:
        """Where KOOP twins come from: ``koop_url``, or by default the live KOOP site when the API
        is the live service, and the API's own server otherwise (the replay serves both, so a
        test or demo never reaches past it)."""
        if self.koop_url:
            return self.koop_url.rstrip("/")
        if self.api_url.rstrip("/") == LIVE_API_URL:
            return LIVE_KOOP_URL
        parts = urlsplit(self.api_url)
        return f"{parts.scheme}://{parts.netloc}"

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

    def for_demo(self) -> "Settings":
        """The same settings with the demo's own data directory and warehouse."""
        return replace(self, data_dir=self.demo_data_dir, warehouse_path=self.demo_warehouse_path)


def to_json(settings: Settings) -> str:
    """The whole settings as JSON text (to hand them to another process or a Dagster resource)."""
    return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in vars(settings).items()}, sort_keys=True)


def from_json(text: str) -> Settings:
    """Settings from :func:`to_json` text; fields it lacks keep their defaults."""
    values = json.loads(text)
    paths = {f.name for f in fields(Settings) if "Path" in str(f.type)}
    return Settings(**{k: Path(v) if k in paths and v is not None else v for k, v in values.items()})


#: Variables whose names predate the rule ``KAMERSPOOR_<FIELD NAME IN CAPITALS>``.
ENV_NAMES = {"warehouse_path": "KAMERSPOOR_WAREHOUSE", "watch_path": "KAMERSPOOR_WATCH", "parse_timeout_s": "KAMERSPOOR_PARSE_TIMEOUT"}


def env_name(field_name: str) -> str:
    """The environment variable that sets one ``Settings`` field."""
    return ENV_NAMES.get(field_name, f"KAMERSPOOR_{field_name.upper()}")


def _from_text(name: str, default: object, value: str) -> object:
    """One variable's text as the type of the field's default; a bad value names the variable."""
    if isinstance(default, bool):
        if value.lower() in ("1", "true", "yes", "on"):
            return True
        if value.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{name} must be true or false, not {value!r}")
    if isinstance(default, Path):
        return Path(value)
    if isinstance(default, (int, float)):
        try:
            number = type(default)(value)
        except ValueError:
            raise ValueError(f"{name} must be a {type(default).__name__} number, not {value!r}") from None
        if number < 0:
            raise ValueError(f"{name} must not be negative, not {value!r}")
        return number
    return value


def _every_field(env, skip=()) -> dict[str, object]:
    """Every field whose ``KAMERSPOOR_*`` variable is set, converted to the field's type."""
    base = Settings()
    out = {}
    for f in fields(Settings):
        name = env_name(f.name)
        if env.get(name) and f.name not in skip:
            out[f.name] = _from_text(name, getattr(base, f.name), env[name])
    return out


def from_env(environ: dict[str, str] | None = None) -> Settings:
    """Settings from ``KAMERSPOOR_*`` variables: one per field (``env_name``), e.g. API_URL,
    KOOP_URL, DATA_DIR, WAREHOUSE, PDF_ENGINE, PARSE_WORKERS, CONCURRENCY, READ_TIMEOUT, WATCH, SCHEDULES.

    The one reader of the environment: the CLI calls it once and passes the result on; a
    Dagster run reads it through its resource, unless handed whole Settings.
    """
    env = os.environ if environ is None else environ
    checked = _checked(
        api_url=env.get("KAMERSPOOR_API_URL"),
        koop_url=env.get("KAMERSPOOR_KOOP_URL"),
        data_dir=Path(env["KAMERSPOOR_DATA_DIR"]) if env.get("KAMERSPOOR_DATA_DIR") else None,
        warehouse_path=Path(env["KAMERSPOOR_WAREHOUSE"]) if env.get("KAMERSPOOR_WAREHOUSE") else None,
        pdf_engine=env.get("KAMERSPOOR_PDF_ENGINE"),
        parse_workers=_positive_int(env, "KAMERSPOOR_PARSE_WORKERS"),
        parse_memory_mb=_positive_int(env, "KAMERSPOOR_PARSE_MEMORY_MB"),
        parse_timeout_s=_seconds(env, "KAMERSPOOR_PARSE_TIMEOUT"),
        parse_max_bytes=_positive_int(env, "KAMERSPOOR_PARSE_MAX_BYTES"),
        parse_max_pages=_positive_int(env, "KAMERSPOOR_PARSE_MAX_PAGES"),
        parse_max_chars=_positive_int(env, "KAMERSPOOR_PARSE_MAX_CHARS"),
        watch_path=Path(env["KAMERSPOOR_WATCH"]) if env.get("KAMERSPOOR_WATCH") else None,
        filter_node_budget=_positive_int(env, "KAMERSPOOR_FILTER_NODE_BUDGET"),
        reconcile_days=_whole(env, "KAMERSPOOR_RECONCILE_DAYS"),
        empty_window_days=_whole(env, "KAMERSPOOR_EMPTY_WINDOW_DAYS"),
        max_page_bytes=_positive_int(env, "KAMERSPOOR_MAX_PAGE_BYTES"),
        max_listing_pages=_positive_int(env, "KAMERSPOOR_MAX_LISTING_PAGES"),
        min_download_rate=_whole(env, "KAMERSPOOR_MIN_DOWNLOAD_RATE"),
        download_deadline=_seconds(env, "KAMERSPOOR_DOWNLOAD_DEADLINE"),
    )
    # Fields with a check of their own above; every other field by the type of its default.
    return Settings(**{**_every_field(env, skip=checked), **checked})


def _checked(**values: object) -> dict[str, object]:
    return {k: v for k, v in values.items() if v is not None}


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
