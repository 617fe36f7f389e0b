"""Benchmark: pdfplumber's raw extract_text vs the full letter parse, on the same PDFs.

Prints pages per second (CPU time of this process, best and median of several interleaved
rounds over all PDFs, so other load on a shared machine disturbs the figures little) and peak traced
memory (tracemalloc, measured in a separate round so tracing does not skew the timing), plus
the ratio full/raw. The target is full parse ≤ 1.5× raw extraction.

    .venv/bin/python scripts/bench_parse.py [PDF_DIR] [--rounds N]

PDF_DIR defaults to $KAMERSPOOR_CORPUS/pdf or ../shared/corpus/pdf.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pdfplumber  # noqa: E402

from etl.parse import parse_file  # noqa: E402


def raw_extract(path: Path) -> int:
    """pdfplumber's own text extraction of every page (the baseline)."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfium_extract(path: Path) -> int:
    """pypdfium2 plain text (reference only: no sizes or positions used)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        for page in doc:
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        return len(doc)
    finally:
        doc.close()


def full_parse(path: Path) -> int:
    return parse_file(path).pages


def timed(fn: Callable[[Path], int], files: list[Path], rounds: int) -> tuple[int, list[float]]:
    pages = 0
    times: list[float] = []
    for _ in range(rounds):
        gc.collect()
        t0 = time.process_time()
        pages = sum(fn(p) for p in files)
        times.append(time.process_time() - t0)
    return pages, times


def peak_memory(fn: Callable[[Path], int], files: list[Path]) -> int:
    gc.collect()
    tracemalloc.start()
    for p in files:
        fn(p)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(os.environ.get("KAMERSPOOR_CORPUS", Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus")) / "pdf"
    ap.add_argument("pdf_dir", nargs="?", type=Path, default=default)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    files = sorted(args.pdf_dir.resolve().glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {args.pdf_dir}")
    # Warm up imports and caches once.
    raw_extract(files[0]), full_parse(files[0]), pdfium_extract(files[0])
    print(f"{len(files)} PDFs from {args.pdf_dir.resolve()}, {args.rounds} rounds, Python {sys.version.split()[0]}")
    print(f"{'method':<34}{'pages':>6}{'best cpu s':>11}{'median cpu s':>13}{'pages/s*':>9}{'peak MiB':>10}")
    methods = [
        ("pdfplumber extract_text (raw)", raw_extract),
        ("kamerspoor parse_file (full)", full_parse),
        ("pypdfium2 get_text_range (ref)", pdfium_extract),
    ]
    # Rounds interleave the methods so load from other processes hits them alike.
    times: dict[str, list[float]] = {name: [] for name, _ in methods}
    pages = 0
    for _ in range(args.rounds):
        for name, fn in methods:
            pages, t = timed(fn, files, 1)
            times[name].extend(t)
    results = {}
    for name, fn in methods:
        peak = peak_memory(fn, files)
        best, med = min(times[name]), statistics.median(times[name])
        results[name] = (best, med, peak)
        print(f"{name:<34}{pages:>6}{best:>11.3f}{med:>13.3f}{pages / best:>9.1f}{peak / 2**20:>10.1f}")
    raw = results["pdfplumber extract_text (raw)"]
    full = results["kamerspoor parse_file (full)"]
    print("* pages/s from the best round (least disturbed by other load on the machine)")
    print(f"full/raw time (median): {full[1] / raw[1]:.2f}x  (best: {full[0] / raw[0]:.2f}x)  target <= 1.5x")
    print(f"full/raw peak memory:   {full[2] / raw[2]:.2f}x")


if __name__ == "__main__":
    main()
