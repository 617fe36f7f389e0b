"""The HTTP client for the Tweede Kamer OData API: polite, patient and strict.

Manners: a User-Agent naming the project, at most ``settings.concurrency`` requests in flight,
connect/read timeouts. Patience: retries with exponential backoff and jitter on 5xx, 429
(``Retry-After`` honoured), timeouts, resets and truncated bodies; never on other 4xx, which
are our mistakes and would only repeat. Strictness: paging follows ``@odata.nextLink``
verbatim and refuses ``$top`` (the service then silently drops the nextLink, #70).
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, urlsplit

import httpx

from etl.config import Settings
from etl.source.odata import resource_url

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class TKError(Exception):
    """Anything that went wrong talking to the API; the message names the URL."""


class TKHTTPError(TKError):
    def __init__(self, status: int, url: str, detail: str = ""):
        super().__init__(f"HTTP {status} from {url}" + (f": {detail}" if detail else ""))
        self.status = status
        self.url = url


class TKRetriesExhausted(TKError):
    def __init__(self, url: str, attempts: int, last: str):
        super().__init__(f"gave up on {url} after {attempts} attempts; last error: {last}")
        self.url = url
        self.attempts = attempts
        self.last = last


class FileTooLarge(TKError):
    """A body over ``settings.max_file_bytes``; refused, not retried."""


class _Retryable(Exception):
    """Internal: this attempt failed in a way worth repeating."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Page:
    """One page of an entity-set response."""

    url: str
    payload: dict[str, Any]

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.payload.get("value", [])

    @property
    def next_link(self) -> str | None:
        return self.payload.get("@odata.nextLink")


@dataclass(frozen=True)
class Download:
    url: str
    data: bytes
    content_type: str | None  # the response header (may be wrong; sniff the bytes)


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    bytes: int = 0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def has_top(url: str) -> bool:
    return any(k == "$top" for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True))


class TKClient:
    """Context manager around an ``httpx.Client``; safe to share between threads."""

    def __init__(
        self,
        settings: Settings,
        transport: httpx.BaseTransport | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ):
        self.settings = settings
        self.base_url = settings.api_url.rstrip("/")
        self.stats = ClientStats()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._gate = threading.BoundedSemaphore(max(1, settings.concurrency))
        self._lock = threading.Lock()
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=None,
        )
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": settings.user_agent, "Accept": "application/json"},
            limits=httpx.Limits(max_connections=max(1, settings.concurrency)),
            follow_redirects=True,
        )

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> "TKClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ core
    def _count(self, **kw: int) -> None:
        with self._lock:
            for k, v in kw.items():
                setattr(self.stats, k, getattr(self.stats, k) + v)

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with full jitter; a server's Retry-After is a floor."""
        cap = self.settings.backoff_max
        delay = self._rng.uniform(0, min(cap, self.settings.backoff_base * (2**attempt)))
        if retry_after is not None:
            delay = max(delay, min(retry_after, cap))
        return delay

    def _with_retries(self, url: str, attempt_fn: Callable[[], Any]) -> Any:
        attempts = self.settings.max_retries + 1
        last = ""
        for attempt in range(attempts):
            try:
                with self._gate:
                    self._count(requests=1)
                    return attempt_fn()
            except _Retryable as exc:
                last = str(exc)
                if attempt + 1 < attempts:
                    self._count(retries=1)
                    self._sleep(self.backoff(attempt, exc.retry_after))
        raise TKRetriesExhausted(url, attempts, last)

    @staticmethod
    def _check_status(response: httpx.Response, url: str, body: bytes | None = None) -> None:
        status = response.status_code
        if status < 400:
            return
        snippet = (body or b"")[:200].decode("utf-8", "replace").strip().replace("\n", " ")
        if status in RETRY_STATUS or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None
            raise _Retryable(f"HTTP {status}: {snippet[:120]}", retry_after)
        raise TKHTTPError(status, url, snippet)

    def get_json(self, url: str) -> dict[str, Any]:
        """GET ``url`` and decode JSON, retrying transient failures."""

        def attempt() -> dict[str, Any]:
            try:
                response = self._http.get(url)
                body = response.content
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timeout ({type(exc).__name__})") from None
            except httpx.TransportError as exc:  # resets, truncated bodies, refused connections
                raise _Retryable(f"{type(exc).__name__}: {exc}") from None
            self._check_status(response, url, body)
            self._count(bytes=len(body))
            try:
                data = json.loads(body)
            except ValueError as exc:  # a truncated body with a consistent Content-Length
                raise _Retryable(f"invalid JSON ({exc}) in {len(body)} bytes") from None
            if not isinstance(data, dict):
                raise TKError(f"expected a JSON object from {url}, got {type(data).__name__}")
            return data

        return self._with_retries(url, attempt)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def iter_pages(self, url: str) -> Iterator[Page]:
        """Every page of an entity-set query, following ``@odata.nextLink`` verbatim."""
        if has_top(url):
            raise ValueError(f"refusing to page a URL with $top (it suppresses nextLink): {url}")
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen:
                raise TKError(f"paging loop: nextLink {next_url} was already followed")
            seen.add(next_url)
            payload = self.get_json(next_url)
            if not isinstance(payload.get("value"), list):
                raise TKError(f"response from {next_url} has no 'value' list")
            page = Page(next_url, payload)
            yield page
            next_url = page.next_link

    def download(
        self, document_id: str, *, expected_length: int | None = None, max_bytes: int | None = None
    ) -> Download:
        """The current file of a document, checked against ``expected_length`` (ContentLength).

        Streams the body and stops at ``max_bytes`` (default ``settings.max_file_bytes``).
        A short or long body counts as a transient failure (truncated transfer) and is retried.
        """
        url = resource_url(self.base_url, document_id)
        cap = self.settings.max_file_bytes if max_bytes is None else max_bytes
        if expected_length is not None and expected_length > cap:
            raise FileTooLarge(f"{url}: ContentLength {expected_length} exceeds the cap of {cap} bytes")

        def attempt() -> Download:
            try:
                with self._http.stream("GET", url) as response:
                    if response.status_code >= 400:
                        body = response.read()
                        self._check_status(response, url, body)
                    declared = response.headers.get("Content-Length")
                    if declared and declared.isdigit() and int(declared) > cap:
                        raise FileTooLarge(f"{url}: Content-Length {declared} exceeds the cap of {cap} bytes")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > cap:
                            raise FileTooLarge(f"{url}: body exceeds the cap of {cap} bytes")
                        chunks.append(chunk)
                    content_type = response.headers.get("Content-Type")
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timeout ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                raise _Retryable(f"{type(exc).__name__}: {exc}") from None
            data = b"".join(chunks)
            self._count(bytes=len(data))
            if expected_length is not None and len(data) != expected_length:
                raise _Retryable(f"got {len(data)} bytes, ContentLength says {expected_length}")
            return Download(url, data, content_type)

        return self._with_retries(url, attempt)
