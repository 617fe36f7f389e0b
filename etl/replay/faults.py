"""Switchable faults for the replay server, modelled on what the live service has done.

Counted per distinct request (path + query): with ``status_500=2`` every URL fails twice with
HTTP 500 and then succeeds, whatever the order or concurrency of the client, so a test is
deterministic. ``limit`` caps how many times each kind fires over the whole server life.
``match`` restricts faults to requests whose path+query contains that text
(e.g. ``"/resource"`` for downloads only, ``"Zaak?"`` for one listing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Faults:
    #: Delay every response by this many seconds (spreads a run out, e.g. for kill tests).
    latency: float = 0.0
    #: HTTP 500 this many times per URL; the body is the service's JSON error, its IIS HTML
    #: page, or alternating between the two (#137, #74).
    status_500: int = 0
    body_500: Literal["json", "html", "mixed"] = "json"
    #: HTTP 429 with ``Retry-After: retry_after`` this many times per URL.
    status_429: int = 0
    retry_after: str = "1"
    #: Respond only after ``slow_seconds`` (beyond the client's read timeout) this many times.
    slow: int = 0
    slow_seconds: float = 2.0
    #: Cut the body short this many times: "close" sends the full Content-Length and then
    #: hangs up halfway; "short" declares and sends only half (a body that is whole but wrong).
    truncate: int = 0
    truncate_mode: Literal["close", "short"] = "close"
    #: Hang up without any response this many times (a connection reset).
    reset: int = 0
    #: Serve .docx resources as application/pdf (the Word-to-PDF swap race, #174).
    word_as_pdf: bool = False
    #: Document ids whose resource answers 404 (a missing enclosure, #154).
    missing: frozenset[str] = field(default_factory=frozenset)
    match: str = ""
    limit: int | None = None

    def applies_to(self, target: str) -> bool:
        return not self.match or self.match in target


NO_FAULTS = Faults()
