"""Benchmark incremental enrichment: link_themes on a first run, an unchanged rerun and a rerun
after one letter changed, on a warehouse of N copies of the bundled sample's letters.

The sample is fetched from the replay server (127.0.0.1) and parsed once; its parsed letters
are then loaded ``--copies`` times under new document ids through the real load functions, so
the text is real letter text (each copy marked, so no text repeats exactly). Prints wall and CPU seconds of each link_themes run.

    .venv/bin/python scripts/bench_enrich_incremental.py              # 100 copies: 1,700 letters
    .venv/bin/python scripts/bench_enrich_incremental.py --copies 20  # quick look
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl import pipeline  # noqa: E402
from etl.config import Settings  # noqa: E402
from etl.load import warehouse as wh  # noqa: E402
from etl.parse import PARSER_VERSION  # noqa: E402
from etl.replay import ReplayServer  # noqa: E402
from etl.sample import SAMPLE_API_DIR  # noqa: E402
from etl.store import RawStore  # noqa: E402

REFERENCE = date(2026, 11, 1)


def timed(label: str, fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    w1, c1 = time.perf_counter(), time.process_time()
    print(f"{label:<34} {w1 - w0:7.2f} s wall {c1 - c0:7.2f} s CPU   {out}")
    return out


def distinct(result, n: int):
    """The letter with " (n)" appended to every text, so no copy repeats another's text (the
    theme matcher caches per text: exact repeats would make enrichment look faster than it is)."""
    if not hasattr(result, "answers"):
        return result  # a parse failure
    mark = f" ({n})"
    return dataclasses.replace(
        result,
        questions=tuple(dataclasses.replace(b, text=b.text + mark) for b in result.questions),
        answers=tuple(dataclasses.replace(b, text=b.text + mark) for b in result.answers),
        footnotes=tuple(dataclasses.replace(f, text=f.text + mark) for f in result.footnotes),
        closing=result.closing + mark if result.closing else result.closing,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=100, help="copies of the sample's letters (default 100)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_enrich_incr_") as tmp:
        root = Path(tmp)
        settings = Settings(data_dir=root / "data", warehouse_path=root / "kamerspoor.duckdb", pdf_engine="pypdfium2")
        with ReplayServer(SAMPLE_API_DIR) as replay:
            s = settings.with_overrides(api_url=replay.base_url)
            pipeline.fetch_metadata(s)
            pipeline.fetch_letter_files(s)
        pipeline.parse_letters(settings)
        store = RawStore(settings.store_dir)
        letters = []
        for doc in store.documents():
            stored = store.current_file(doc.id)
            payload = store.get_parse(stored.sha256, PARSER_VERSION) if stored else None
            if payload is not None:
                letters.append((doc, stored, pipeline.parse_result(payload, stored.path)))
        items = []
        for n in range(args.copies):
            for doc, stored, result in letters:
                new_id = f"{doc.id}-{n:05d}"
                items.append((dataclasses.replace(doc, id=new_id), dataclasses.replace(stored, document_id=new_id),
                              distinct(result, n)))
        con = wh.connect(settings.warehouse_path)
        try:
            wh.apply_schema(con)
            wh.load_metadata(con, store.question_sets(), [d for d, _, _ in items], store.actors())
            for start in range(0, len(items), 1000):
                wh.load_letters(con, items[start:start + 1000], parser_version=PARSER_VERSION)
            units = len(wh.read_text_units(con))
        finally:
            con.close()
        print(f"{len(items):,} letters, {units:,} text units ({args.copies} copies of {len(letters)} sample letters)")
        timed("link_themes, first run (full)", lambda: pipeline.link_themes(settings, reference_date=REFERENCE))
        timed("link_themes, rerun, nothing changed", lambda: pipeline.link_themes(settings, reference_date=REFERENCE))
        # One letter gets another letter's file (new sha256, other text).
        (doc, stored, _), (_, donor_file, donor) = items[0], items[-1]
        con = wh.connect(settings.warehouse_path)
        try:
            wh.load_letters(con, [(doc, dataclasses.replace(donor_file, document_id=doc.id, sha256="0" * 64), donor)],
                            parser_version=PARSER_VERSION)
        finally:
            con.close()
        timed("link_themes, rerun, one letter new", lambda: pipeline.link_themes(settings, reference_date=REFERENCE))


if __name__ == "__main__":
    main()
