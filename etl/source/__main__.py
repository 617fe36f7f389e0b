"""``python -m etl.source``: sync metadata and files into the raw store, print the summaries.

The operator's tool for the source layer alone (``kamerspoor run`` runs the whole pipeline)::

    python -m etl.source --since 2025-09-01 --until 2025-09-30     # live API, a window
    python -m etl.source --incremental                               # live API, since the cursor
    python -m etl.source --api-url http://127.0.0.1:8765/OData/v5 --data-dir /tmp/ks

Exit status 0 when everything was fetched, 1 when some files, listings, chunks of re-reads or
sweeps failed (each listed in one line, also with ``--quiet``; the cursor did not move, so they
are retried next run), 2 when the metadata sync itself failed (nothing past the last stored page
is lost; the cursor did not move).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from etl.config import from_env
from etl.source.client import TKClient, TKError
from etl.source.fields import SchemaError
from etl.source.sync import fetch_files, sync_metadata
from etl.store import RawStore
from etl.window import Window


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m etl.source", description="Fetch Kamervragen metadata and files.")
    p.add_argument("--api-url", help="OData base URL (default: the live v5 service or KAMERSPOOR_API_URL)")
    p.add_argument("--data-dir", type=Path, help="data directory; the raw store is DATA_DIR/raw")
    p.add_argument("--since", type=date.fromisoformat, help="first Dutch day (Zaak.GestartOp), inclusive")
    p.add_argument("--until", type=date.fromisoformat, help="end Dutch day, excluded")
    p.add_argument("--incremental", action="store_true", help="changes since the stored cursor")
    p.add_argument("--no-files", action="store_true", help="metadata only")
    p.add_argument("--reconcile", action="store_true", help="also list every stored window's ids and retire what is gone")
    p.add_argument("--quiet", action="store_true", help="print only failures (one line each)")
    p.add_argument("--concurrency", type=int)
    p.add_argument("--read-timeout", type=float)
    p.add_argument("--max-retries", type=int)
    p.add_argument("--backoff-base", type=float)
    args = p.parse_args(argv)
    settings = from_env().with_overrides(
        api_url=args.api_url, data_dir=args.data_dir, concurrency=args.concurrency,
        read_timeout=args.read_timeout, max_retries=args.max_retries, backoff_base=args.backoff_base,
    )
    store = RawStore(settings.store_dir)
    with TKClient(settings) as client:
        try:
            meta = sync_metadata(client, store, window=Window(args.since, args.until), incremental=args.incremental,
                                 reconcile=args.reconcile)
        except (TKError, SchemaError) as exc:
            print(f"metadata sync failed: {exc}", file=sys.stderr)
            return 2
        _report(meta, args.quiet)
        failed = bool(meta.failed)
        if not args.no_files:
            files = fetch_files(client, store)
            _report(files, args.quiet)
            failed = failed or bool(files.failed)
    if not args.quiet:
        print(f"raw store: {store.root.resolve()}")
    return 1 if failed else 0


def _report(summary, quiet: bool) -> None:
    """The summary, or with ``quiet`` only its FAILED lines (on stderr, so never lost)."""
    if not quiet:
        print(summary, flush=True)
        return
    for line in str(summary).splitlines():
        if line.strip().startswith("FAILED"):
            print(line.strip(), file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
