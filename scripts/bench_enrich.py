"""Benchmark of the enrich layer: units per second for enrich_units and load_enrichment.

Builds text units from letters in the corpus gold format (the real corpus in ../shared/corpus
and, when given, the bundled sample letters), copies them under new document ids until
--units is reached, then times enrichment and the DuckDB load (in memory, or --db PATH).

    .venv/bin/python scripts/bench_enrich.py --units 20000
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import time
from pathlib import Path

import duckdb

from etl.enrich import enrich_units
from etl.load.enrichment import load_enrichment
from etl.load.sql import read_sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers' gold reader
from tests.gold import units_from_gold  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def base_units(dirs: list[Path]):
    units = []
    for d in dirs:
        for path in sorted(d.glob("*.json")):
            units += units_from_gold(json.loads(path.read_text(encoding="utf-8")))
    if not units:
        raise SystemExit(f"no gold letters found in {', '.join(map(str, dirs))}")
    return units


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=20000)
    ap.add_argument("--corpus", type=Path, default=ROOT / ".." / "shared" / "corpus")
    ap.add_argument("--sample", type=Path, default=ROOT / "etl" / "sample" / "letters")
    ap.add_argument("--db", default=":memory:")
    args = ap.parse_args()
    dirs = [d for d in (args.corpus, args.sample) if d.is_dir()]
    base = base_units(dirs)
    units = []
    copy = 0
    while len(units) < args.units:
        for u in base:
            doc = f"{u.document_id}~{copy}"
            # a distinct text per copy, so no cache can make a copy cheaper than the original
            units.append(dataclasses.replace(u, document_id=doc, unit_id=doc + u.unit_id[len(u.document_id):],
                                             text=f"{u.text} (kopie {copy})"))
        copy += 1
    units = units[: args.units]
    chars = sum(len(u.text) for u in units)

    c0, t0 = time.process_time(), time.perf_counter()
    e = enrich_units(units)
    c1, t1 = time.process_time(), time.perf_counter()
    con = duckdb.connect(args.db)
    con.execute(read_sql("20_enrichment.sql"))
    t2 = time.perf_counter()
    rows = load_enrichment(con, e)
    t3 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"letters in base set  {len({u.document_id for u in base})} ({len(base)} units) from {', '.join(map(str, dirs))}")
    print(f"units                {len(units)} ({chars / 1e6:.1f} M characters)")
    print(f"enrich_units         {t1 - t0:.2f} s wall, {c1 - c0:.2f} s CPU  "
          f"({len(units) / (t1 - t0):,.0f} units/s wall, {len(units) / (c1 - c0):,.0f} units/s CPU)")
    print(f"load_enrichment      {t3 - t2:.2f} s  ({sum(rows.values()):,} rows: {rows})")
    print(f"load average         {' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine)")
    print(f"peak RSS             {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
