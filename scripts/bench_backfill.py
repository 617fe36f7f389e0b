"""Benchmark the backfill a new user runs first: N question sets through the whole job.

Generates N question sets with unique multi-page letters (the bundled sample's sets and letters,
each copy renumbered and given its own sentences, so every file has its own bytes and no cache
can skip it; all layouts of the sample: ministry letter, Aanhangsel, DOCX, delay notice,
questions document; each with its KOOP XML twin, as the live record has), serves them with the replay of the API, and runs `kamerspoor run` on them
as a user would (a subprocess, default settings). Prints pages/s wall and CPU, each step's share
of the run, the peak memory of the whole process tree, and the time of an incremental run that
finds nothing new (the no-op).

    .venv/bin/python scripts/bench_backfill.py --sets 2000      # the recorded run
    .venv/bin/python scripts/bench_backfill.py --sets 100       # a quick look

Generated fixtures are kept in --fixtures (default /tmp/kamerspoor-bench-<N>) and reused.
A step that fails, or a run that loads fewer letters than generated, fails the benchmark.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_sample as ms  # noqa: E402
from tests.process_helpers import run_measured  # noqa: E402

WORDS = (
    "uitvoering capaciteit knelpunten planning voortgang rapportage signalen maatregelen toezicht ketenpartners "
    "informatievoorziening beveiliging onderzoek evaluatie beleid begroting personeel opleiding werving huisvesting "
    "gemeenten provincies waterschappen zorgverzekeraars scholen energie netbeheer stikstof landbouw defensie "
    "verkeer spoor wegen luchtvaart havens klimaat woningbouw huurders verhuurders toeslagen belastingdienst"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def clone(i: int, template: dict, letters: dict[str, dict], rng: random.Random) -> tuple[dict, dict[str, dict]]:
    """Copy ``i`` of a sample set and its letters: new numbers, ids and sentences of its own."""
    z = copy.deepcopy(template)
    number = f"2025Z{60000 + i:05d}"
    z.update(key=f"b{i}", nummer=number, tombstones=[])
    z["onderwerp"] = f"{template['onderwerp']} ({i})"
    out: dict[str, dict] = {}
    renamed: dict[str, str] = {}
    for k, lid in enumerate(template["letters"]):
        letter = copy.deepcopy(letters[lid])
        tk = letter["tk"]
        tk["zaken"] = [number]
        tk["document_nummer"] = f"2026D{i:05d}{k}"
        if tk.get("aanhangselnummer"):
            tk["aanhangselnummer"] = tk["aanhangselnummer"][:4] + f"{20000 + i * 4 + k:05d}"
        new_id = f"{lid.rsplit('-', 1)[0]}-b{i}x{k}"
        letter["id"] = new_id
        masthead = ms.expected_masthead(letter)
        if masthead is not None:
            rest = letter["intro"].split("\n\n", 1)[1:]
            letter["intro"] = "\n\n".join([masthead, *rest])
        for answer in letter.get("answers", []):
            answer["text"] = " ".join([answer["text"], *(_sentence(rng, rng.randint(20, 40)) for _ in range(7))])
        renamed[lid] = new_id
        out[new_id] = letter
    z["letters"] = [renamed[lid] for lid in template["letters"]]
    z["questions_document"] = {**z["questions_document"], "nummer": f"2025D{i:05d}9",
                               "from_letter": renamed.get(z["questions_document"]["from_letter"], "")}
    return z, out


def _templates() -> tuple[list[dict], dict[str, dict]]:
    """Sample sets whose letters belong to them alone (shared letters are copied per set)."""
    sets = ms.load_json(ms.SETS_FILE)["sets"]
    letters = ms.load_letters()
    usable = [z for z in sets if z["letters"] and z["questions_document"]["from_letter"] in z["letters"]]
    return usable, letters


def _render_chunk(args: tuple[int, int, int]) -> tuple[dict, dict[str, bytes]]:
    start, stop, seed = args
    templates, letters = _templates()
    rng = random.Random(seed + start)
    sets, mine = [], {}
    for i in range(start, stop):
        z, ls = clone(i, templates[i % len(templates)], letters, rng)
        sets.append(z)
        mine.update(ls)
    for lid, letter in mine.items():
        ms.validate_letter(lid, letter)
    entities, files = ms.build_fixture(sets, mine)
    return entities, files, ms.koop_twins(sets, mine)


def generate(n: int, out: Path, seed: int = 2008) -> None:
    """Write a replay fixture of ``n`` sets to ``out`` (in worker processes, chunks merged)."""
    chunks = [(s, min(n, s + 100), seed) for s in range(0, n, 100)]
    entities: dict[str, list] = {}
    files: dict[str, bytes] = {}
    twins: dict[str, bytes] = {}
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for ents, fs, koop in pool.map(_render_chunk, chunks):
            for name, value in ents.items():
                rows = value["value"] if isinstance(value, dict) else value
                entities.setdefault(name, []).extend(rows)
            files.update(fs)
            twins.update(koop)
    ms.write_fixture(out, {k: ({"value": v} if k != "ZaakDocument.json" else v) for k, v in entities.items()}, files,
                     twins)
    (out / "bench.json").write_text(json.dumps({"sets": n, "files": len(files)}), encoding="utf-8")


def run_job(args: list[str], env: dict[str, str]) -> dict:
    """Run `kamerspoor ...` as a user would; wall, CPU of the tree, peak tree RSS, output
    (``tests/process_helpers.run_measured``, which the hostile-files benchmark uses too)."""
    exe = Path(sys.executable).with_name("kamerspoor")
    before = os.times()
    result = run_measured([str(exe), *args], env=env, timeout=24 * 3600, interval=0.2)
    after = os.times()
    result["cpu"] = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return result


_STEP_TIME = re.compile(r"\[(\d+(?:\.\d+)?) s\]$")


def step_times(output: str) -> list[tuple[str, float]]:
    """(summary, seconds) for each step summary the run printed: the lines that end with the
    seconds their work took ("… [12.3 s]"); progress lines and the closing table are left out."""
    rows = []
    for line in output.replace("\r", "\n").splitlines():
        m = _STEP_TIME.search(line.strip())
        if m:
            rows.append((line.strip(), float(m.group(1))))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=int, default=2000)
    ap.add_argument("--fixtures", type=Path, help="generated replay fixture (kept and reused)")
    args = ap.parse_args(argv)
    from etl.parse import parse_file  # noqa: F401  (fail early when the project is not installed)
    from etl.replay import ReplayServer

    fixtures = args.fixtures or Path(tempfile.gettempdir()) / f"kamerspoor-bench-{args.sets}"
    marker = fixtures / "bench.json"
    if not marker.exists() or json.loads(marker.read_text())["sets"] != args.sets:
        t = time.perf_counter()
        generate(args.sets, fixtures)
        print(f"generated {args.sets:,} sets in {time.perf_counter() - t:.0f} s -> {fixtures}")
    files = sorted((fixtures / "resources").iterdir())
    pdfs = [f for f in files if f.suffix == ".pdf"]
    import pypdfium2

    pages = sum(len(pypdfium2.PdfDocument(str(f))) for f in pdfs)
    docx = len(files) - len(pdfs)
    print(f"fixture: {args.sets:,} sets, {len(files):,} files ({len(pdfs):,} PDF with {pages:,} pages, {docx} DOCX), "
          f"{pages / max(1, len(pdfs)):.1f} pages per PDF")

    with tempfile.TemporaryDirectory() as work, ReplayServer(fixtures) as replay:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KAMERSPOOR_")}
        env["DAGSTER_HOME"] = str(Path(work) / "dagster")
        Path(env["DAGSTER_HOME"]).mkdir()
        common = ["--api-url", replay.base_url, "--warehouse", str(Path(work) / "w.duckdb"),
                  "--data-dir", str(Path(work) / "data")]
        full = run_job(["run", *common, "--since", "2000-01-01"], env)
        if full["rc"] != 0:
            print(f"FAILED: the full run exited {full['rc']}\n{full['out']}\n{full['err'][-3000:]}", file=sys.stderr)
            return 1
        noop = run_job(["run", *common, "--incremental"], env)
        if noop["rc"] != 0:
            print(f"FAILED: the incremental run exited {noop['rc']}\n{noop['out']}\n{noop['err'][-3000:]}", file=sys.stderr)
            return 1
        import duckdb

        con = duckdb.connect(str(Path(work) / "w.duckdb"), read_only=True)
        loaded = con.execute("SELECT count(*) FROM documents WHERE parse_status LIKE 'parsed%'").fetchone()[0]
        pairs = con.execute("SELECT count(*) FROM qa_pairs").fetchone()[0]
        con.close()

    print(f"whole job (kamerspoor run, default settings): {full['wall']:.1f} s wall, {full['cpu']:.1f} s CPU, "
          f"peak memory of the process tree {full['peak'] / 2**20:,.0f} MiB")
    print(f"  {pages / full['wall']:.1f} pages/s wall, {pages / full['cpu']:.1f} pages/s per CPU second; "
          f"{len(files) / full['wall']:.1f} letters/s")
    print(f"  loaded {loaded:,} parsed letters of {len(files):,} files, {pairs:,} Q&A pairs")
    print("  steps:")
    for line, seconds in step_times(full["out"] + full["err"]):
        print(f"    {100 * seconds / full['wall']:5.1f}%  {line[:150]}")
    print("  incremental no-op steps:")
    for line, seconds in step_times(noop["out"] + noop["err"]):
        print(f"    {seconds:5.1f} s  {line[:110]}")
    print(f"incremental no-op: {noop['wall']:.1f} s wall ({100 * noop['wall'] / full['wall']:.1f}% of the full run), "
          f"peak {noop['peak'] / 2**20:,.0f} MiB")
    estimate_h = 420_000 / (pages / full["wall"]) / 3600
    print(f"the whole record (~420,000 pages) at this rate: {estimate_h:.1f} h")
    if loaded < len(files):
        print(f"FAILED: {len(files) - loaded} files were not loaded as parsed letters", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
