"""The HTTP client for the Tweede Kamer OData API: polite, patient and strict.

Manners: a User-Agent naming the project, at most ``settings.concurrency`` requests in flight,
connect/read timeouts. Patience: retries with exponential backoff and jitter on 5xx, 429
(``Retry-After`` honoured), timeouts, resets and truncated bodies; never on other 4xx, which
are our mistakes and would only repeat. Strictness: paging follows ``@odata.nextLink``
verbatim and refuses ``$top`` (the service then silently drops the nextLink, #70); the first
page asks ``$count=true`` and a listing that ends short of that count continues with
``$skip``/``$top`` pages of at most 100 (v5 refuses more) or fails naming both numbers. Safety
(``etl.source.http``): nextLinks and redirects stay on the base URL's origin, JSON pages and
files are bounded in bytes, time and rate.
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
from etl.source.http import MAX_REDIRECTS, REDIRECT_STATUS, BodyLimits, Refused, check_same_origin, read_limited, redirect_target
from etl.source.odata import NODE_LIMIT_MESSAGE, resource_url

#: v5 answers HTTP 400 to a ``$top`` above this (reported), so continuation pages ask no more.
MAX_TOP = 100

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class TKError(Exception):
    """Anything that went wrong talking to the API; the message names the URL."""


class TKHTTPError(TKError):
    def __init__(self, status: int, url: str, detail: str = ""):
        super().__init__(f"HTTP {status} from {url}" + (f": {detail}" if detail else ""))
        self.status = status
        self.url = url
        self.detail = detail

    @property
    def node_limit(self) -> bool:
        """The service refused the ``$filter`` for having too many nodes."""
        return self.status == 400 and NODE_LIMIT_MESSAGE in self.detail.lower()


class TKRefused(TKError):
    """A nextLink/redirect off the API's origin or a body over a limit; never retried."""


class TKRetriesExhausted(TKError):
    def __init__(self, url: str, attempts: int, last: str):
        super().__init__(f"gave up on {url} after {attempts} attempts; last error: {last}")
        self.url = url
        self.attempts = attempts
        self.last = last


class FileTooLarge(TKRefused):
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


def has_param(url: str, name: str) -> bool:
    return any(k == name for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True))


def has_top(url: str) -> bool:
    return has_param(url, "$top")


def with_params(url: str, **params: str | int) -> str:
    """``url`` with OData options appended (``count="true"`` -> ``$count=true``)."""
    extra = "&".join(f"${k}={v}" for k, v in params.items())
    return url + ("&" if urlsplit(url).query else "?") + extra


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
            follow_redirects=False,  # followed by hand, only on the same origin
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
            except Refused as exc:
                raise TKRefused(str(exc)) from None
        raise TKRetriesExhausted(url, attempts, last)

    def _fetch(self, url: str, limits: BodyLimits) -> tuple[httpx.Response, bytes, str]:
        """GET with redirects followed by hand (same origin only); the body read within limits.

        Returns the final response (closed), its body and its URL. Errors other than the
        limits are raised as ``_Retryable`` or ``TKHTTPError`` like the rest of the client.
        """
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self._http.send(self._http.build_request("GET", current), stream=True)
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timeout ({type(exc).__name__})") from None
            except httpx.TransportError as exc:  # resets, refused connections
                raise _Retryable(f"{type(exc).__name__}: {exc}") from None
            try:
                if response.status_code in REDIRECT_STATUS:
                    current = redirect_target(self.base_url, current, response.headers.get("Location"))
                    continue
                if response.status_code >= 400:
                    body = read_limited(response.iter_bytes(), current, BodyLimits(max_bytes=1 << 20, what="error page"))
                    self._check_status(response, current, body)
                declared = response.headers.get("Content-Length")
                if limits.max_bytes is not None and declared and declared.isdigit() and int(declared) > limits.max_bytes:
                    raise Refused(f"{current}: Content-Length {declared} exceeds the cap of {limits.max_bytes} bytes", "size")
                body = read_limited(response.iter_bytes(), current, limits)
                return response, body, current
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timeout ({type(exc).__name__})") from None
            except httpx.TransportError as exc:  # truncated bodies
                raise _Retryable(f"{type(exc).__name__}: {exc}") from None
            finally:
                response.close()
        raise Refused(f"{url}: more than {MAX_REDIRECTS} redirects")

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

        limits = BodyLimits(max_bytes=self.settings.max_page_bytes, what="JSON page")

        def attempt() -> dict[str, Any]:
            _, body, _ = self._fetch(url, limits)
            self._count(bytes=len(body))
            try:
                data = json.loads(body)
            except ValueError as exc:  # a truncated body with a consistent Content-Length
                raise _Retryable(f"invalid JSON ({exc}) in {len(body)} bytes") from None
            if not isinstance(data, dict):
                raise TKError(f"expected a JSON object from {url}, got {type(data).__name__}")
            return data

        return self._with_retries(url, attempt)

    def get_bytes(self, url: str) -> bytes:
        """GET ``url`` (e.g. ``$metadata``) within the page limits, retrying transient failures."""
        limits = BodyLimits(max_bytes=self.settings.max_page_bytes, what="document")

        def attempt() -> bytes:
            _, body, _ = self._fetch(url, limits)
            self._count(bytes=len(body))
            return body

        return self._with_retries(url, attempt)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def iter_pages(self, url: str) -> Iterator[Page]:
        """Every page of an entity-set query; nothing lost silently.

        The first page asks ``$count=true``. ``@odata.nextLink`` is followed verbatim when it
        stays on the API's origin. A listing that ends (no nextLink) short of ``@odata.count``
        continues with ``$skip``/``$top`` pages of at most 100 rows (``url`` must have a
        ``$orderby``) until the count is reached; if those run dry first, it fails naming the
        URL and both numbers. Pages are capped at count + 2 (or ``settings.max_listing_pages``
        without a count), so a nextLink that changes every page cannot run for ever.
        """
        if has_top(url):
            raise ValueError(f"refusing to page a URL with $top (it suppresses nextLink): {url}")
        first = url if has_param(url, "$count") else with_params(url, count="true")
        seen: set[str] = set()
        next_url: str | None = first
        rows, pages, count, skipping = 0, 0, None, False
        while next_url:
            if next_url in seen:
                raise TKError(f"paging loop: nextLink {next_url} was already followed")
            seen.add(next_url)
            cap = count + 2 if count is not None else self.settings.max_listing_pages
            if pages >= cap:
                raise TKRefused(f"listing {url} passed {cap} pages ({rows} rows; @odata.count {count}); stopped")
            payload = self.get_json(next_url)
            if not isinstance(payload.get("value"), list):
                raise TKError(f"response from {next_url} has no 'value' list")
            if count is None and isinstance(payload.get("@odata.count"), int):
                count = payload["@odata.count"]
            page = Page(next_url, payload)
            pages += 1
            rows += len(page.rows)
            yield page
            if page.next_link and not skipping:
                try:
                    next_url = check_same_origin(self.base_url, page.next_link, f"the nextLink of {next_url}")
                except Refused as exc:
                    raise TKRefused(str(exc)) from None
            elif count is not None and rows < count:
                if skipping and not page.rows:
                    raise TKError(f"listing {url} ended after {rows} rows, but its @odata.count is {count}")
                skipping = True
                next_url = with_params(first, skip=rows, top=min(MAX_TOP, count - rows))
            else:
                next_url = None

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
        limits = BodyLimits(
            max_bytes=cap, deadline=self.settings.download_deadline, min_rate=self.settings.min_download_rate,
            grace=self.settings.download_grace, what="file",
        )

        def attempt() -> Download:
            try:
                response, data, _ = self._fetch(url, limits)
            except Refused as exc:
                raise (FileTooLarge if exc.kind == "size" else TKRefused)(str(exc)) from None
            content_type = response.headers.get("Content-Type")
            self._count(bytes=len(data))
            if expected_length is not None and len(data) != expected_length:
                raise _Retryable(f"got {len(data)} bytes, ContentLength says {expected_length}")
            return Download(url, data, content_type)

        return self._with_retries(url, attempt)
