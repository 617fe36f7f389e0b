"""Benchmark of the parse step's worker processes with 1 and N workers (prints figures).

    .venv/bin/python scripts/bench_parse_workers.py [--copies 4] [--workers 2] [--engine pdfplumber]

Takes the real PDFs in ../shared/corpus/pdf (or $KAMERSPOOR_CORPUS/pdf), makes --copies
byte-distinct copies of each (a trailing PDF comment changes the hash, not the content), and
times ``etl.parse.workers.parse_stored`` on all of them (what the pipeline's parse step calls,
memory and time limits included), as a backfill would. Wall time includes starting workers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.config import Settings  # noqa: E402
from etl.models import StoredFile  # noqa: E402
from etl.parse.workers import parse_stored  # noqa: E402


def corpus_pdfs() -> list[Path]:
    root = Path(os.environ.get("KAMERSPOOR_CORPUS", Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"))
    pdfs = sorted((root / "pdf").glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs under {root / 'pdf'}: set KAMERSPOOR_CORPUS")
    return pdfs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", choices=("pdfplumber", "pypdfium2"), default="pypdfium2")
    args = parser.parse_args()
    import pdfplumber

    with tempfile.TemporaryDirectory() as tmp:
        files, pages = [], 0
        for pdf in corpus_pdfs():
            with pdfplumber.open(pdf) as doc:
                n_pages = len(doc.pages)
            for copy in range(args.copies):
                target = Path(tmp) / f"{pdf.stem}-{copy}.pdf"
                target.write_bytes(pdf.read_bytes() + f"\n% copy {copy}\n".encode())
                files.append(StoredFile(target.stem, target.stem, target.stat().st_size, "pdf", None, str(target)))
                pages += n_pages
        print(f"{len(files)} PDFs, {pages} pages, {os.cpu_count()} cpus, engine {args.engine}")
        for workers in (1, args.workers):
            settings = Settings(parse_workers=workers, pdf_engine=args.engine)
            started = time.perf_counter()
            results = list(parse_stored(files, settings))
            elapsed = time.perf_counter() - started
            failed = sum(1 for _, p in results if p is None or "failure" in p)
            print(f"workers={workers}: {elapsed:6.1f} s wall, {pages / elapsed:5.1f} pages/s, {failed} failed")


if __name__ == "__main__":
    main()
