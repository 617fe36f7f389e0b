"""The watch file: what an analyst follows and where alerts go (TOML, next to the theme file).

A bad file is one clear ``WatchFileError`` naming the file and the field; nothing is guessed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SINK_TYPES = ("jsonl", "webhook", "smtp")


class WatchFileError(ValueError):
    """The watch file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Sink:
    """One delivery target. ``name`` identifies it in the delivery bookkeeping."""

    name: str
    type: str  # jsonl | webhook | smtp
    path: Path | None = None  # jsonl
    url: str | None = None  # webhook
    timeout: float = 10.0  # webhook / smtp, seconds
    retries: int = 3  # webhook attempts after the first
    host: str | None = None  # smtp
    port: int = 25
    sender: str | None = None
    to: tuple[str, ...] = ()
    starttls: bool = False
    tls_ca: Path | None = None  # smtp: CA file to trust for STARTTLS (a private CA); default: the system's


@dataclass(frozen=True)
class Watch:
    themes: tuple[str, ...] = ()
    question_sets: tuple[str, ...] = ()
    ministries: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    since: date | None = None  # events dated before this day are history: no alert
    sinks: tuple[Sink, ...] = field(default_factory=tuple)
    source: str = ""

    def params(self) -> dict[str, list[str]]:
        """The watch list as the parameters of warehouse/alerts/derive.sql."""
        return {"themes": list(self.themes), "sets": list(self.question_sets),
                "ministries": list(self.ministries), "parties": list(self.parties), "since": self.since}


def default_watch_text() -> str:
    return resources.files("etl.enrich").joinpath("watch.toml").read_text(encoding="utf-8")


def load_watch(path: Path | None = None) -> Watch:
    """The watch list and sinks from ``path`` (default: the packaged ``etl/enrich/watch.toml``)."""
    if path is None:
        return parse_watch(default_watch_text(), "etl/enrich/watch.toml")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WatchFileError(f"{path}: cannot read the watch file ({exc.strerror or exc})") from None
    return parse_watch(text, str(path))


def parse_watch(text: str, source: str) -> Watch:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WatchFileError(f"{source}: not valid TOML ({exc})") from None
    watch = data.get("watch", {})
    if not isinstance(watch, dict):
        raise WatchFileError(f"{source}: [watch] must be a table")
    lists = {key: _strings(watch, key, source) for key in ("themes", "question_sets", "ministries", "parties")}
    since = watch.get("since")
    if since is not None and (not isinstance(since, date) or isinstance(since, datetime)):
        raise WatchFileError(f"{source}: [watch] since must be a date (since = 2026-01-01), not {since!r}")
    unknown = set(watch) - set(lists) - {"since"}
    if unknown:
        raise WatchFileError(f"{source}: unknown key(s) in [watch]: {', '.join(sorted(unknown))}")
    raw_sinks = data.get("sink", [])
    if not isinstance(raw_sinks, list):
        raise WatchFileError(f"{source}: sinks are [[sink]] tables")
    sinks = tuple(_sink(raw, i, source) for i, raw in enumerate(raw_sinks, 1))
    names = [s.name for s in sinks]
    if len(set(names)) != len(names):
        raise WatchFileError(f"{source}: two sinks have the same name; give each a distinct `name`")
    return Watch(**lists, since=since, sinks=sinks, source=source)


def _strings(table: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WatchFileError(f"{source}: [watch] {key} must be a list of strings")
    return tuple(value)


def _sink(raw: Any, index: int, source: str) -> Sink:
    where = f"{source}: sink {index}"
    if not isinstance(raw, dict):
        raise WatchFileError(f"{where}: must be a table")
    kind = raw.get("type")
    if kind not in SINK_TYPES:
        raise WatchFileError(f"{where}: type must be one of {', '.join(SINK_TYPES)}, not {kind!r}")
    try:
        if kind == "jsonl":
            path = Path(_required(raw, "path", where))
            return Sink(name=raw.get("name", f"jsonl:{path}"), type=kind, path=path)
        if kind == "webhook":
            url = _required(raw, "url", where)
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise WatchFileError(f"{where}: url must be an http(s) URL, not {url!r}")
            return Sink(name=raw.get("name", f"webhook:{url}"), type=kind, url=url,
                        timeout=float(raw.get("timeout", 10.0)), retries=int(raw.get("retries", 3)))
        host = _required(raw, "host", where)
        to = raw.get("to", [])
        to = [to] if isinstance(to, str) else to
        if not to or not all(isinstance(t, str) for t in to):
            raise WatchFileError(f"{where}: `to` must name at least one address")
        return Sink(name=raw.get("name", f"smtp:{host}:{raw.get('port', 25)}:{','.join(to)}"), type=kind,
                    host=host, port=int(raw.get("port", 25)), sender=_required(raw, "from", where),
                    to=tuple(to), starttls=bool(raw.get("starttls", False)),
                    tls_ca=Path(raw["tls_ca"]) if raw.get("tls_ca") else None,
                    timeout=float(raw.get("timeout", 10.0)))
    except (TypeError, ValueError) as exc:
        if isinstance(exc, WatchFileError):
            raise
        raise WatchFileError(f"{where}: {exc}") from None


def _required(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise WatchFileError(f"{where}: `{key}` is required (a string)")
    return value
