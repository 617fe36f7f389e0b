"""KOOP (officielebekendmakingen.nl): the structured XML twin of an answer letter.

Every Aanhangsel is also published as XML at ``<koop_url>/<publication id>.xml``; the TK API
names the id in ``DocumentVersie.ExterneIdentifier`` (``DocumentRecord.koop_id``). The client
has the TK client's manners (it is one: same User-Agent, timeouts, bounded concurrency,
retries with backoff on 5xx/429/timeouts/resets, redirects only on KOOP's origin, size cap,
deadline and minimum rate while streaming); the fetch step
stores each XML in the raw store under its sha256 and never lets one failure stop the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

import httpx

from etl.config import Settings
from etl.models import DocumentRecord
from etl.source.client import Download, FileTooLarge, TKClient, TKError, TKRefused
from etl.source.http import BodyLimits, Refused

# Publication ids of questions (kv-tk-…) and answers/notices (ah-tk-…). Anything else is
# refused, so an id never needs quoting and can never leave the KOOP origin.
_KOOP_ID = re.compile(r"^(?:ah|kv)-tk-[0-9A-Za-z][0-9A-Za-z-]{0,60}$")


def is_koop_id(value: str | None) -> bool:
    return bool(value and _KOOP_ID.match(value))


def koop_store_key(koop_id: str) -> str:
    """The raw-store key of a KOOP XML file (kept apart from TK document ids)."""
    return f"koop:{koop_id}"


class KoopClient(TKClient):
    """The TK client's transport and patience, pointed at KOOP's origin."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None, **kw):
        super().__init__(settings, transport, **kw)
        self.base_url = settings.koop_origin
        self._http.headers["Accept"] = "application/xml, text/xml;q=0.9"

    def xml_url(self, koop_id: str) -> str:
        if not is_koop_id(koop_id):
            raise ValueError(f"not a KOOP publication id: {koop_id!r}")
        return f"{self.base_url}/{koop_id}.xml"

    def fetch_xml(self, koop_id: str, *, max_bytes: int | None = None) -> Download:
        """The XML of one publication: redirects only on KOOP's origin, the body within the size
        cap, deadline and minimum rate of a file download; transient failures retried."""
        url = self.xml_url(koop_id)
        limits = BodyLimits(
            max_bytes=self.settings.max_file_bytes if max_bytes is None else max_bytes,
            deadline=self.settings.download_deadline, min_rate=self.settings.min_download_rate,
            grace=self.settings.download_grace, what="KOOP XML",
        )

        def attempt() -> Download:
            try:
                response, data, _ = self._fetch(url, limits)
            except Refused as exc:
                raise (FileTooLarge if exc.kind == "size" else TKRefused)(str(exc)) from None
            self._count(bytes=len(data))
            return Download(url, data, response.headers.get("Content-Type"))

        return self._with_retries(url, attempt)


@dataclass
class KoopFetchResult:
    """What one fetch pass did; ``failed`` holds one line per publication that could not be had."""

    # koop id -> sha256 of what this pass stored; None for a publication already in the store
    # (its index is not read: a daily run would read every one for nothing)
    stored: dict[str, str | None] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # new or changed since the last pass
    failed: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"KOOP XML: {len(self.stored)} stored ({len(self.changed)} new or changed), {len(self.failed)} failed"


def koop_ids(documents: Iterable[DocumentRecord]) -> list[str]:
    """The distinct KOOP ids of live documents, in a stable order."""
    return sorted({d.koop_id for d in documents if not d.deleted and is_koop_id(d.koop_id)})  # type: ignore[misc]


def fetch_koop_files(
    settings: Settings,
    store,
    documents: Iterable[DocumentRecord],
    *,
    transport: httpx.BaseTransport | None = None,
    client: KoopClient | None = None,
) -> KoopFetchResult:
    """Fetch and store the XML of every KOOP id among ``documents`` (``store``: a RawStore).

    A publication is fetched once: one already in the store is not asked for again (an official
    publication does not change under its id), so a daily run only fetches the new ones.
    Downloads run ``settings.concurrency`` at a time, each thread storing what it fetched.
    A publication that is missing (404), too large, malformed or unreachable after the retries
    becomes one line in ``failed``; the others are still fetched, and nothing stored is lost.
    """
    from concurrent.futures import ThreadPoolExecutor

    result = KoopFetchResult()
    wanted = []
    for koop_id in koop_ids(documents):
        if store.has_file(koop_store_key(koop_id)):
            result.stored[koop_id] = None
        else:
            wanted.append(koop_id)
    if not wanted:  # a run with nothing new opens no client (its TLS context alone takes ~40 ms)
        return result
    own = client is None
    koop = client or KoopClient(settings, transport)

    def fetch_and_store(koop_id: str):
        """Download and store one publication (in a pool thread, as the letter files are)."""
        try:
            got = koop.fetch_xml(koop_id)
            if b"<officiele-publicatie" not in got.data[:4096]:
                raise TKError(f"{got.url}: not a KOOP publication (no <officiele-publicatie>)")
            stored, status = store.put_file(
                koop_store_key(koop_id), got.data, declared_type=got.content_type or "application/xml"
            )
        except (TKError, OSError) as exc:
            return koop_id, exc, ""
        return koop_id, stored, status

    try:
        with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
            for koop_id, stored, status in pool.map(fetch_and_store, wanted):
                if isinstance(stored, Exception):
                    result.failed.append(f"{koop_id}: {stored}")
                    continue
                result.stored[koop_id] = stored.sha256
                if status != "unchanged":
                    result.changed.append(koop_id)
    finally:
        if own:
            koop.close()
    return result
