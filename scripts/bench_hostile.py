"""Benchmark issue 14's done-when run: the whole job over the sample plus every hostile file.

Builds the fixture of ``tests/test_pipeline_quarantine.py`` (the bundled sample plus one question
set holding a 1 GiB PDF decompression bomb, a 200 MiB DOCX zip bomb, a dense 400-page PDF and a
letter under a 400-character id), serves it with the replay of the API, runs ``kamerspoor run``
as a user would (a subprocess, default settings) and prints the wall time, the peak memory of the
whole process tree, and what became of each hostile file.

    .venv/bin/python scripts/bench_hostile.py              # one run
    .venv/bin/python scripts/bench_hostile.py --runs 3     # three, each on a fresh data dir

Fails (exit 1) when a run fails, a bound is missed (5 minutes, 2 GB), a bomb is not quarantined
or the long id's letter is not parsed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from tests.test_pipeline_quarantine import (  # noqa: E402
    BOMB_REASONS, PEAK_LIMIT, WALL_LIMIT_S, hostile_sample, run_hostile_job,
)


def one_run(work: Path, fixture: Path, ids: dict[str, str]) -> tuple[dict, list[str]]:
    """Run the job once; its figures and the problems found (empty when all is well)."""
    import duckdb

    result = run_hostile_job(work, fixture)
    problems = []
    if result["rc"] != 0:
        problems.append(f"the run exited {result['rc']}: {(result['out'] + result['err'])[-2000:]}")
        return result, problems
    con = duckdb.connect(str(work / "w.duckdb"), read_only=True)
    try:
        issues = {d: (c, m) for d, c, m in con.execute(
            "SELECT document_id, code, message FROM parse_issues WHERE severity = 'error'").fetchall()}
        status = dict(con.execute("SELECT document_id, parse_status FROM documents").fetchall())
        pairs = con.execute("SELECT count(*) FROM qa_pairs").fetchone()[0]
    finally:
        con.close()
    result["pairs"] = pairs
    for role, (code, word) in BOMB_REASONS.items():
        got = issues.get(ids[role])
        print(f"  {role:10} {got[0] + ': ' + got[1] if got else 'NOT QUARANTINED'}")
        if not got or got[0] != code or word not in got[1]:
            problems.append(f"{role} not quarantined as {code} ({word})")
    print(f"  {'long_id':10} 400-character id: parse_status {status.get(ids['long_id'])}")
    if not str(status.get(ids["long_id"])).startswith("parsed"):
        problems.append("the letter under the 400-character id was not parsed")
    if result["wall"] >= WALL_LIMIT_S:
        problems.append(f"wall {result['wall']:.0f} s >= {WALL_LIMIT_S} s")
    if result["peak"] >= PEAK_LIMIT:
        problems.append(f"peak {result['peak'] / 2**20:,.0f} MiB >= {PEAK_LIMIT / 2**20:,.0f} MiB")
    return result, problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        fixture = Path(tmp) / "fx"
        ids = hostile_sample(fixture)
        sizes = {p.name: p.stat().st_size for p in (fixture / "resources").iterdir()}
        print(f"fixture: the sample plus 4 hostile files, {sum(sizes.values()) / 2**20:.1f} MiB on disk in all; "
              f"load average {os.getloadavg()[0]:.1f}")
        for n in range(args.runs):
            work = Path(tmp) / f"run{n}"
            work.mkdir()
            result, problems = one_run(work, fixture, ids)
            print(f"run {n + 1}: {result['wall']:.1f} s wall (bound {WALL_LIMIT_S} s), peak memory of the "
                  f"process tree {result['peak'] / 2**20:,.0f} MiB (bound {PEAK_LIMIT / 2**20:,.0f} MiB), "
                  f"{result.get('pairs', '?')} Q&A pairs")
            for p in problems:
                print(f"FAILED: {p}", file=sys.stderr)
            failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
