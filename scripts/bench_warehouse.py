"""Benchmark the warehouse on a synthetic record the size of the whole archive since 2008.

Builds a DuckDB warehouse of N question sets (default 55,000; about 9 Q&A pairs each, so
~500,000 pairs) through the real load functions, enriches it at the density of the bundled
sample (the enrichment rows of each sample answer letter, from a `kamerspoor demo` run, are
repeated on the synthetic letters), then prints load throughput (rows/s), the time of a full
and an incremental refresh() and p50/p95 latency of every analyst query: each file in
warehouse/queries/ and each SQL block of README.md and warehouse/README.md, with real
parameters. A query that errors fails the benchmark (exit 1).

    .venv/bin/python scripts/bench_warehouse.py                 # full size
    .venv/bin/python scripts/bench_warehouse.py --sets 5000     # quick look

Texts are random Dutch words (seeded), so full-text search has a realistic vocabulary.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl  # noqa: E402

from etl.load import warehouse as wh  # noqa: E402
from etl.load.schema import relation  # noqa: E402
from etl.load.sql import read_sql  # noqa: E402
from etl.models import (  # noqa: E402
    ActorRecord,
    Block,
    DocumentRecord,
    Footnote,
    ParsedLetter,
    QuestionSetRecord,
    StoredFile,
)

# Function words make up about half of Dutch running text; content words come from the
# domain list plus ~3,400 pseudo-words, so a domain term like 'storing' occurs in a few percent
# of blocks (as in real letters) rather than in every other one.
FUNCTION_WORDS = (
    "de het een en van in op met voor door over bij naar uit om dat die dit deze is zijn wordt worden "
    "heeft hebben kan kunnen zal zullen moet moeten niet ook nog wel al meer minder veel weinig u ik"
).split()
DOMAIN_WORDS = (
    "minister staatssecretaris kamer kamerlid vraag vragen antwoord antwoorden brief beleid maatregel "
    "maatregelen openbaar ministerie rechtspraak rechtbank rechter zaak zaken strafzaak strafzaken "
    "achterstand achterstanden voorraad voorraden doorlooptijd doorlooptijden capaciteit personeel "
    "storing storingen uitval systeem systemen ict informatievoorziening beveiliging datalek incident "
    "incidenten wetboek strafvordering invoering implementatie ketenpartners politie reclassering "
    "gevangeniswezen slachtoffers verdachten zitting zittingen planning budget kosten miljoen euro "
    "onderzoek rapport inspectie evaluatie jaar maanden weken termijn datum april 2029 2025 2026 "
    "gemeente provincie burgers informatie toezicht advies raad state wet wetsvoorstel besluit "
    "uitvoering verbetering knelpunten signalen zorgen risico risicos gevolgen aantal procent "
    "huisvesting woningen energie klimaat onderwijs zorg defensie landbouw stikstof asiel migratie"
).split()
_SYLLABLES = "ka be ro ter ven sto lin mer da pol gen wis tra hor ne".split()
CONTENT_WORDS = DOMAIN_WORDS + [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]
MINISTRIES = [
    "minister van Justitie en Veiligheid", "minister van Financiën", "minister van Volksgezondheid, Welzijn en Sport",
    "minister van Binnenlandse Zaken en Koninkrijksrelaties", "minister van Onderwijs, Cultuur en Wetenschap",
    "minister van Infrastructuur en Waterstaat", "minister van Economische Zaken", "minister van Defensie",
    "staatssecretaris van Justitie en Veiligheid", "minister voor Asiel en Migratie", "minister van Buitenlandse Zaken",
    "staatssecretaris van Financiën", "minister van Sociale Zaken en Werkgelegenheid", "minister van Landbouw, Visserij, Voedselzekerheid en Natuur",
]
PARTIES = ["VVD", "PVV", "GL-PvdA", "NSC", "BBB", "D66", "CDA", "SP", "CU", "SGP", "PvdD", "DENK", "JA21", "Volt", "FvD"]


class Words:
    """Seeded random Dutch-looking text, built from pre-drawn 6-word phrases (fast)."""

    def __init__(self, rng: random.Random, phrases: int = 20_000):
        self.rng = rng
        self.phrases = [
            " ".join(rng.choice(FUNCTION_WORDS) if rng.random() < 0.5 else rng.choice(CONTENT_WORDS) for _ in range(6))
            for _ in range(phrases)
        ]

    def sentence(self, n_min: int, n_max: int) -> str:
        k = max(1, self.rng.randint(n_min, n_max) // 6)
        return " ".join(self.rng.choices(self.phrases, k=k)).capitalize() + "."


def synth_set(rng: random.Random, words: Words, i: int) -> tuple[QuestionSetRecord, list[ActorRecord], list[tuple[DocumentRecord, ParsedLetter | None]]]:
    """One question set with its actors, documents and parsed answer letters."""
    submitted = date(2008, 1, 7) + timedelta(days=rng.randrange(0, 6500))
    year = submitted.year
    qid = f"qs-{i:06d}"
    number = f"{year}Z{i:05d}"
    qs = QuestionSetRecord(qid, number, "Schriftelijke vragen", words.sentence(4, 9), submitted, f"{year}-{year + 1}")
    actors = [ActorRecord(f"ac-{i}-0", qid, f"Lid {rng.randrange(400)}", rng.choice(PARTIES), "Tweede Kamerlid", "Indiener")]
    for k in range(rng.choice((0, 0, 1, 2))):
        actors.append(ActorRecord(f"ac-{i}-c{k}", qid, f"Lid {rng.randrange(400)}", rng.choice(PARTIES), "Tweede Kamerlid", "Medeindiener"))
    for k, m in enumerate(rng.sample(MINISTRIES, rng.choice((1, 1, 1, 2)))):
        actors.append(ActorRecord(f"ac-{i}-m{k}", qid, None, None, m, "Gericht aan"))

    n_questions = rng.choice((4, 6, 8, 9, 10, 11, 12, 14))
    docs: list[tuple[DocumentRecord, ParsedLetter | None]] = []

    def doc(suffix: str, kind: str, day: date) -> DocumentRecord:
        return DocumentRecord(f"doc-{i}-{suffix}", f"{year}D{i:05d}{suffix[0]}", kind, qs.subject, day, qs.session,
                              "application/pdf", 50_000, f"ah-tk-{year}{year + 1}-{i}", None, (qid,))

    docs.append((doc("q", "Schriftelijke vragen", submitted), None))
    fate = rng.random()
    if fate < 0.04:  # still open
        return qs, actors, docs
    delay = rng.random() < 0.25
    if delay:
        docs.append((doc("uitstel", "Mededeling (uitstel antwoord)", submitted + timedelta(days=rng.randint(14, 21))), None))
    answered = submitted + timedelta(days=rng.randint(10, 40) + (rng.randint(10, 60) if delay else 0))
    questions = tuple(
        Block("question", f"Vraag {n}", (str(n),), words.sentence(12, 35), page_start=1 + n // 4, page_end=1 + n // 4)
        for n in range(1, n_questions + 1)
    )
    answers = []
    n = 1
    while n <= n_questions:
        group = (str(n), str(n + 1)) if n < n_questions and rng.random() < 0.08 else (str(n),)
        label = f"Antwoord op vragen {group[0]} en {group[1]}" if len(group) == 2 else f"Antwoord {n}"
        answers.append(Block("answer", label, group, words.sentence(20, 80), page_start=1 + n // 3, page_end=1 + n // 3))
        n += len(group)
    letter = ParsedLetter(
        questions=questions, answers=tuple(answers), pages=2 + n_questions // 3, source_format="pdf",
        footnotes=tuple(Footnote(str(k), words.sentence(3, 8)) for k in range(1, rng.randint(1, 4))),
        closing="De minister", parser_version="bench-1",
    )
    docs.append((doc("antwoord", "Antwoord schriftelijke vragen", answered), letter))
    return qs, actors, docs


ENRICHMENT_TABLES = ("theme_links", "events", "commitments", "doc_references", "question_set_links")
ROOT = Path(__file__).resolve().parents[1]


def sample_enrichment(workdir: Path) -> dict[str, pl.DataFrame]:
    """The bundled sample's enrichment rows, from a `kamerspoor demo` run (our own command)."""
    exe = Path(sys.executable).with_name("kamerspoor")
    db = workdir / "demo.duckdb"
    subprocess.run([str(exe), "demo", "--quiet", "--warehouse", str(db), "--data-dir", str(workdir / "data")],
                   cwd=ROOT, check=True, capture_output=True)
    con = wh.connect(db, read_only=True)
    try:
        out = {name: con.table(name).pl() for name in (*ENRICHMENT_TABLES, "themes")}
    finally:
        con.close()
    return out


def replicate_enrichment(con, templates: dict[str, pl.DataFrame], letters) -> dict[str, int]:
    """Give every synthetic answer letter the enrichment rows of one sample answer letter.

    Sample letters are assigned round-robin; a row's unit keeps its kind and block index modulo
    the synthetic letter's block count, so joins to questions/answers/qa_pairs find their rows.
    """
    sample_docs = sorted(set(templates["theme_links"]["document_id"].to_list()))
    assign = pl.DataFrame({
        "document_id": [sample_docs[i % len(sample_docs)] for i in range(len(letters))],
        "new_doc": [d.id for d, _ in letters],
        "n_q": [len(x.questions) for _, x in letters],
        "n_a": [len(x.answers) for _, x in letters],
        "new_date": [d.date for d, _ in letters],
    }, schema_overrides={"n_q": pl.Int32, "n_a": pl.Int32})
    counts = {}
    con.from_arrow(templates["themes"].to_arrow()).insert_into("themes")
    next_id = 0
    for name in ENRICHMENT_TABLES:
        t = templates[name].join(assign, on="document_id", how="inner")
        kind = t["unit_id"].str.extract(r":(q|a|fn|closing)(?::[^:]+)?$", 1)
        index = t["unit_id"].str.extract(r":(?:q|a):(\d+)$", 1).cast(pl.Int32)
        new_index = pl.when(kind == "q").then(index % t["n_q"]).when(kind == "a").then(index % t["n_a"])
        suffix = t["unit_id"].str.extract(r"(:(?:q|a|fn|closing)(?::[^:]+)?)$", 1)
        t = t.with_columns(
            unit_id=pl.when(index.is_not_null())
            .then(pl.concat_str([pl.col("new_doc"), pl.lit(":"), pl.lit(kind), pl.lit(":"), new_index.cast(pl.Utf8)]))
            .otherwise(pl.col("new_doc") + suffix),
        )
        if "block_index" in t.columns:
            t = t.with_columns(block_index=new_index.cast(pl.Int32))
        if "letter_date" in t.columns:
            t = t.with_columns(letter_date=pl.col("new_date"))
        for key in ("event_id", "commitment_id"):
            if key in t.columns:
                t = t.with_columns(pl.int_range(next_id, next_id + t.height, dtype=pl.Int32).alias(key))
                next_id += t.height
        t = t.with_columns(document_id=pl.col("new_doc"))
        if name == "theme_links":  # its key: a short letter folds two template units onto one
            t = t.unique(subset=["unit_id", "theme_id"], keep="first", maintain_order=True)
        columns = [c.name for c in relation(name).columns]
        con.from_arrow(t.select(columns).to_arrow()).insert_into(name)
        counts[name] = t.height
    return counts


def analyst_queries(con) -> dict[str, tuple[str, dict]]:
    """Every analyst query with real parameters: warehouse/queries/*.sql and README SQL blocks."""
    number = con.execute("SELECT question_set_number FROM qa_pairs USING SAMPLE 1 ROWS").fetchone()[0]
    params = {
        "since": date(2015, 1, 1), "number": number, "query": "storingen strafvordering", "theme": "ict_incidents",
    }
    out = {}
    for path in sorted((ROOT / "warehouse" / "queries").glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        if re.search(r"\$1\b", sql):  # the one positional query: a relation's row count
            out[f"queries/{path.name}"] = (sql, ["qa_pairs"])
            continue
        names = set(re.findall(r"\$([a-z_]+)", sql))
        out[f"queries/{path.name}"] = (sql, {k: params[k] for k in names})
    for doc in ("README.md", "warehouse/README.md"):
        blocks = re.findall(r"^```sql\n(.*?)^```", (ROOT / doc).read_text(encoding="utf-8"), flags=re.S | re.M)
        for i, sql in enumerate(blocks, 1):
            if re.match(r"\s*(SET|ATTACH|USE|LOAD|INSTALL)\b", sql, flags=re.I):
                print(f"  {doc} #{i}: connection setup, not a query (not timed)")
                continue
            names = set(re.findall(r"\$([a-z_]+)", sql))
            out[f"{doc} #{i}"] = (sql, {k: params[k] for k in names})
    return out


def timed_queries(con, runs: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 latency (ms) of every analyst query; an error is fatal."""
    out = {}
    for name, (sql, args) in analyst_queries(con).items():
        con.execute(sql, args).fetchall()  # warm-up; raises on a broken query
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            con.execute(sql, args).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        out[name] = (statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))])
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=int, default=55_000)
    ap.add_argument("--batch", type=int, default=2_000, help="letters per load_letters transaction")
    ap.add_argument("--single", type=int, default=200, help="letters loaded one by one with load_letter")
    ap.add_argument("--runs", type=int, default=20, help="runs per query (median reported)")
    ap.add_argument("--db", type=Path, help="warehouse path (default: a temp dir, deleted)")
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.duckdb"
    rng = random.Random(2008)
    words = Words(rng)
    print(f"duckdb warehouse: {db}  sets: {args.sets:,}  cpus: {os.cpu_count()}")

    t0 = time.perf_counter()
    sets, actors, docs = [], [], []
    for i in range(args.sets):
        s, a, d = synth_set(rng, words, i)
        sets.append(s)
        actors.extend(a)
        docs.extend(d)
    letters = [(d, letter) for d, letter in docs if letter is not None]
    print(f"generated in {time.perf_counter() - t0:.1f} s: {len(docs):,} documents, {len(actors):,} actors, "
          f"{len(letters):,} answer letters")

    con = wh.connect(db)
    wh.apply_schema(con)

    t = time.perf_counter()
    wh.load_metadata(con, sets, [d for d, _ in docs], actors)
    dt = time.perf_counter() - t
    meta_rows = len(sets) + len(docs) + len(actors)
    print(f"load_metadata: {meta_rows:,} rows in {dt:.1f} s = {meta_rows / dt:,.0f} rows/s")

    def file(d: DocumentRecord) -> StoredFile:
        return StoredFile(d.id, f"{abs(hash(d.id)):064d}"[:64], 50_000, "pdf", "application/pdf", "/raw/x")

    single, bulk = letters[: args.single], letters[args.single:]
    t = time.perf_counter()
    rows = 0
    for d, letter in single:
        counts = wh.load_letter(con, d, file(d), letter)
        rows += counts["questions"] + counts["answers"] + counts["footnotes"] + 1
    dt_single = time.perf_counter() - t
    if single:
        print(f"load_letter (one transaction per letter): {len(single)} letters in {dt_single:.1f} s = "
              f"{dt_single / len(single) * 1000:.1f} ms/letter, {rows / dt_single:,.0f} rows/s")

    t = time.perf_counter()
    rows = 0
    for start in range(0, len(bulk), args.batch):
        chunk = bulk[start:start + args.batch]
        counts = wh.load_letters(con, [(d, file(d), letter) for d, letter in chunk])
        rows += counts["questions"] + counts["answers"] + counts["footnotes"] + counts["documents"]
    dt = time.perf_counter() - t
    print(f"load_letters (batches of {args.batch:,}): {len(bulk):,} letters, {rows:,} rows in {dt:.1f} s = "
          f"{rows / dt:,.0f} rows/s")

    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as demo_dir:
        templates = sample_enrichment(Path(demo_dir))
    enriched = replicate_enrichment(con, templates, letters)
    print(f"enrichment at the sample's density in {time.perf_counter() - t:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in enriched.items()))

    t = time.perf_counter()
    mode = wh.refresh(con, reference_date=date(2026, 11, 28))
    print(f"refresh after the backfill ({mode}: qa_pairs, question_sets, response_times, search index): "
          f"{time.perf_counter() - t:.1f} s")

    # A daily run: 50 letters spread over the archive re-loaded, then refresh() recomputes
    # only their question sets (qa_pairs, derived columns, search blocks).
    changed = letters[:: max(1, len(letters) // 50)][:50]
    t = time.perf_counter()
    wh.load_letters(con, [(d, file(d), letter) for d, letter in changed])
    dt_load = time.perf_counter() - t
    t = time.perf_counter()
    mode = wh.refresh(con, reference_date=date(2026, 11, 28))
    dt_refresh = time.perf_counter() - t
    print(f"daily run: {len(changed)} letters reloaded in {dt_load:.2f} s, refresh ({mode}) {dt_refresh:.2f} s")
    t = time.perf_counter()
    mode = wh.refresh(con, reference_date=date(2026, 11, 29))
    print(f"refresh with nothing changed, next day ({mode}): {time.perf_counter() - t:.2f} s")

    counts = {name: con.table(name).count("*").fetchone()[0]
              for name in ("question_sets", "documents", "questions", "answers", "qa_pairs", "response_times")}
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    con.close()
    print(f"file size: {db.stat().st_size / 1e6:.0f} MB")

    # Analysts read a snapshot read-only; measure the queries on that path.
    snap = wh.publish_snapshot(db, db.with_name("snapshot.duckdb"))
    con = wh.connect(snap, read_only=True)
    print(f"analyst queries (p50 / p95 of {args.runs} runs, read-only snapshot):")
    try:
        results = timed_queries(con, args.runs)
    except Exception as exc:  # a broken analyst query is a failed benchmark
        print(f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        sys.exit(1)
    finally:
        con.close()
        tmp.cleanup()
    for name, (p50, p95) in results.items():
        print(f"  {name:<40} {p50:8.1f} {p95:8.1f} ms")
    worst = max(p95 for _, p95 in results.values())
    print(f"slowest p95: {worst:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
