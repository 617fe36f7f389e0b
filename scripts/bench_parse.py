"""Benchmark: the PDF reading paths side by side on the same PDFs, in one run.

- ``pypdfium2 get_text_range (raw)``: pdfium's plain text, no positions — the floor;
- ``fast engine read+layout``: ``etl.parse.pdf.read_pdf(engine="pypdfium2")`` — characters,
  lines, zones (``etl/parse/pdf_runs.py``), what the issue's "within 4x of raw" is about;
- ``parse_file (default engine)``: the whole letter parse (structure, metadata) as the
  pipeline runs it;
- ``pdfplumber extract_text (raw)`` and ``parse_file pdf_engine=pdfplumber``: the reference.

Times are CPU seconds of this process per pass over all PDFs (best and median of interleaved
rounds, so other load on a shared machine disturbs them little); a round times as many passes
as make ~0.25 s of CPU (raw extraction of the corpus takes ~30 ms a pass), set from a warm-up
pass per method; pages/s is per core, from the best round. Peak RSS
is measured in a fresh process per method that imports only what that method needs.

    .venv/bin/python scripts/bench_parse.py [PDF_DIR] [--rounds N]
    valgrind --tool=callgrind .venv/bin/python scripts/bench_parse.py --only fast --passes 3

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
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def raw_extract(path: Path) -> int:
    """pdfplumber's own text extraction of every page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfium_extract(path: Path) -> int:
    """pypdfium2 plain text of every page (no sizes or positions)."""
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


def fast_read_layout(path: Path) -> int:
    from etl.parse.pdf import read_pdf

    return read_pdf(path.read_bytes(), path.name, "pypdfium2").pages


def full_parse(path: Path) -> int:
    from etl.parse import parse_file

    return parse_file(path).pages


def full_parse_plumber(path: Path) -> int:
    from etl.parse import parse_file

    return parse_file(path, pdf_engine="pdfplumber").pages


METHODS: list[tuple[str, Callable[[Path], int]]] = []
MIN_TIMING_S = 0.25  # CPU seconds a timing should span at least


def timed(fn: Callable[[Path], int], files: list[Path], rounds: int, passes: int = 1) -> tuple[int, list[float]]:
    """CPU seconds of one pass over ``files``, per round: the mean of ``passes`` passes (a
    pass of raw extraction takes ~30 ms, too short to time alone on a shared machine)."""
    pages = 0
    times: list[float] = []
    for _ in range(rounds):
        gc.collect()
        t0 = time.process_time()
        for _ in range(passes):
            pages = sum(fn(p) for p in files)
        times.append((time.process_time() - t0) / passes)
    return pages, times


METHODS.extend(
    [
        ("pypdfium2 get_text_range (raw)", pdfium_extract),
        ("fast engine read+layout", fast_read_layout),
        ("parse_file (default engine)", full_parse),
        ("pdfplumber extract_text (raw)", raw_extract),
        ("parse_file pdf_engine=pdfplumber", full_parse_plumber),
    ]
)


KEYS = {  # short names for --only
    "raw": "pypdfium2 get_text_range (raw)",
    "fast": "fast engine read+layout",
    "full": "parse_file (default engine)",
    "plumber-raw": "pdfplumber extract_text (raw)",
    "plumber": "parse_file pdf_engine=pdfplumber",
}


def _peak_rss_mib() -> float:
    """This process's peak RSS: VmHWM (ru_maxrss would keep the parent's peak across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    ap.add_argument("--only", choices=sorted(KEYS), help="run one method only: a warm-up pass, then --passes "
                    "passes, nothing timed (for an instruction count: valgrind --tool=callgrind, passes 0 and 3)")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    files = sorted(args.pdf_dir.resolve().glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {args.pdf_dir}")
    if args.only:
        fn = dict(METHODS)[KEYS[args.only]]
        for _ in range(1 + args.passes):
            for p in files:
                fn(p)
        return
    if args.child:
        fn = dict(METHODS)[args.child]
        for p in files:
            fn(p)
        print(_peak_rss_mib())
        return
    # Warm up imports and caches with one pass per method; that pass's time sets how many
    # passes a round times, so every timing spans at least ~0.25 s of CPU.
    passes: dict[str, int] = {}
    for name, fn in METHODS:
        _, (t,) = timed(fn, files, 1)
        passes[name] = max(1, round(MIN_TIMING_S / max(t, 1e-6)))
    print(f"{len(files)} PDFs from {args.pdf_dir.resolve()}, {args.rounds} rounds, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f}")
    print(f"{'method':<34}{'pages':>6}{'passes':>7}{'best cpu s':>11}{'median cpu s':>13}{'pages/s*':>9}{'RSS MiB':>9}")
    methods = METHODS
    # Rounds interleave the methods so load from other processes hits them alike.
    times: dict[str, list[float]] = {name: [] for name, _ in methods}
    pages = 0
    for _ in range(args.rounds):
        for name, fn in methods:
            pages, t = timed(fn, files, 1, passes[name])
            times[name].extend(t)
    results = {}
    for name, fn in methods:
        rss = peak_rss(name, args.pdf_dir.resolve())
        best, med = min(times[name]), statistics.median(times[name])
        results[name] = (best, med, rss)
        print(f"{name:<34}{pages:>6}{passes[name]:>7}{best:>11.3f}{med:>13.3f}{pages / best:>9.1f}{rss:>9.1f}")
    print("* pages/s per core from the best round (least disturbed by other load on the machine);")
    print("  cpu s are per pass over all PDFs, the mean of the round's passes")
    raw = results["pypdfium2 get_text_range (raw)"]
    for name in ("fast engine read+layout", "parse_file (default engine)"):
        r = results[name]
        print(f"{name} / raw pypdfium2 time: best {r[0] / raw[0]:.2f}x, median {r[1] / raw[1]:.2f}x (target <= 4x)")
    ref = results["parse_file pdf_engine=pdfplumber"]
    full = results["parse_file (default engine)"]
    print(f"default engine vs pdfplumber reference, whole parse: {ref[1] / full[1]:.1f}x faster (median)")


if __name__ == "__main__":
    main()
