"""Rules for fetching from a service we do not control: stay on its origin, bound every body.

Shared by every client of an outside service (the TK OData client, the KOOP client): a
nextLink or redirect may only lead to the configured base URL's scheme, host and port (never
https to http, never another host — a hostile or compromised service could otherwise point us
at a cloud metadata address or plant another host's "letter"); a JSON page has a byte cap; a
download has a total deadline and a minimum average rate (a server that drips one byte every
few seconds never trips a read timeout). Each breach is a :class:`Refused` with one line that
names the URL; it is not retried, because asking again gets the same answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


class Refused(Exception):
    """A request or body we will not follow or accept; the message names the URL.

    ``kind`` is ``"origin"``, ``"size"``, ``"time"`` or ``"rate"``.
    """

    def __init__(self, message: str, kind: str = "origin"):
        super().__init__(message)
        self.kind = kind


def origin(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` with the default port filled in; host lower-case."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme, 0)


def check_same_origin(base_url: str, url: str, what: str) -> str:
    """``url`` if it has ``base_url``'s scheme, host and port; else :class:`Refused`."""
    if origin(url) != origin(base_url):
        raise Refused(f"refusing to follow {what} to {url}: it leaves {_show(base_url)}")
    return url


def redirect_target(base_url: str, current: str, location: str | None) -> str:
    """The absolute target of a redirect from ``current``, checked against the origin."""
    if not location:
        raise Refused(f"redirect from {current} without a Location header")
    return check_same_origin(base_url, urljoin(current, location), f"a redirect from {current}")


def _show(url: str) -> str:
    scheme, host, port = origin(url)
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class BodyLimits:
    """Bounds on one response body; ``None`` means no bound of that kind."""

    max_bytes: int | None = None
    deadline: float | None = None  # seconds for the whole body
    min_rate: int | None = None  # bytes per second on average, checked after ``grace``
    grace: float = 30.0
    what: str = "body"  # "JSON page", "file" … for the message


def read_limited(
    chunks: Iterable[bytes], url: str, limits: BodyLimits, *, clock: Callable[[], float] = time.monotonic
) -> bytes:
    """Join ``chunks``, stopping with :class:`Refused` as soon as a limit is broken."""
    return b"".join(_limited(chunks, url, limits, clock))


def _limited(chunks: Iterable[bytes], url: str, limits: BodyLimits, clock: Callable[[], float]) -> Iterator[bytes]:
    start, size = clock(), 0
    for chunk in chunks:
        size += len(chunk)
        if limits.max_bytes is not None and size > limits.max_bytes:
            raise Refused(f"{url}: {limits.what} exceeds the cap of {limits.max_bytes} bytes", "size")
        elapsed = clock() - start
        if limits.deadline is not None and elapsed > limits.deadline:
            raise Refused(f"{url}: {limits.what} not complete after {limits.deadline:g} s ({size} bytes so far)", "time")
        if limits.min_rate and elapsed > limits.grace and size / elapsed < limits.min_rate:
            raise Refused(
                f"{url}: {limits.what} arrives at {size / elapsed:.0f} bytes/s, "
                f"below the minimum of {limits.min_rate} bytes/s",
                "rate",
            )
        yield chunk
