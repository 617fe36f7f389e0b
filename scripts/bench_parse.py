"""Benchmark: pdfplumber's raw extract_text vs the full letter parse, on the same PDFs.

Prints pages per second (CPU time of this process, best and median of several interleaved
rounds over all PDFs, so other load on a shared machine disturbs the figures little), peak memory two
ways: the Python heap (tracemalloc, in a separate round so tracing does not skew the timing)
and the peak RSS of a fresh process running one method (counts pdfium's C heap too), plus
the ratio full/raw. The target is full parse ≤ 1.5× raw extraction.

    .venv/bin/python scripts/bench_parse.py [PDF_DIR] [--rounds N]

PDF_DIR defaults to $KAMERSPOOR_CORPUS/pdf or ../shared/corpus/pdf.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
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


def full_parse_pdfium(path: Path) -> int:
    return parse_file(path, pdf_engine="pypdfium2").pages


METHODS: list[tuple[str, Callable[[Path], int]]] = []


def timed(fn: Callable[[Path], int], files: list[Path], rounds: int) -> tuple[int, list[float]]:
    pages = 0
    times: list[float] = []
    for _ in range(rounds):
        gc.collect()
        t0 = time.process_time()
        pages = sum(fn(p) for p in files)
        times.append(time.process_time() - t0)
    return pages, times


METHODS.extend(
    [
        ("pdfplumber extract_text (raw)", raw_extract),
        ("kamerspoor parse_file (full)", full_parse),
        ("parse_file pdf_engine=pypdfium2", full_parse_pdfium),
        ("pypdfium2 get_text_range (ref)", pdfium_extract),
    ]
)


def peak_memory(fn: Callable[[Path], int], files: list[Path]) -> int:
    gc.collect()
    tracemalloc.start()
    for p in files:
        fn(p)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def peak_rss(method: str, pdf_dir: Path) -> float:
    """Peak resident memory (MiB) of a fresh process running one method over all PDFs; counts
    C allocations (pdfium) that tracemalloc cannot see."""
    out = subprocess.run(
        [sys.executable, __file__, str(pdf_dir), "--child", method],
        check=True, capture_output=True, text=True,
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(os.environ.get("KAMERSPOOR_CORPUS", Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus")) / "pdf"
    ap.add_argument("pdf_dir", nargs="?", type=Path, default=default)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    files = sorted(args.pdf_dir.resolve().glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {args.pdf_dir}")
    if args.child:
        fn = dict(METHODS)[args.child]
        for p in files:
            fn(p)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return
    # Warm up imports and caches once.
    raw_extract(files[0]), full_parse(files[0]), full_parse_pdfium(files[0]), pdfium_extract(files[0])
    print(f"{len(files)} PDFs from {args.pdf_dir.resolve()}, {args.rounds} rounds, Python {sys.version.split()[0]}")
    print(f"{'method':<34}{'pages':>6}{'best cpu s':>11}{'median cpu s':>13}{'pages/s*':>9}{'py MiB':>8}{'RSS MiB':>9}")
    methods = METHODS
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
        rss = peak_rss(name, args.pdf_dir.resolve())
        best, med = min(times[name]), statistics.median(times[name])
        results[name] = (best, med, peak, rss)
        print(f"{name:<34}{pages:>6}{best:>11.3f}{med:>13.3f}{pages / best:>9.1f}{peak / 2**20:>8.1f}{rss:>9.1f}")
    raw = results["pdfplumber extract_text (raw)"]
    full = results["kamerspoor parse_file (full)"]
    print("* pages/s from the best round (least disturbed by other load on the machine)")
    print(f"full/raw time (median): {full[1] / raw[1]:.2f}x  (best: {full[0] / raw[0]:.2f}x)  target <= 1.5x")
    print(f"full/raw peak memory:   {full[2] / raw[2]:.2f}x (Python heap)  {full[3] / raw[3]:.2f}x (process RSS)")
    fast = results["parse_file pdf_engine=pypdfium2"]
    print(f"pypdfium2 full/raw time (median): {fast[1] / raw[1]:.2f}x")


if __name__ == "__main__":
    main()
