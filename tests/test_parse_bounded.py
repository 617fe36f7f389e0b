"""Bounded parsing: caps refuse huge or hostile inputs fast with one line, workers quarantine
what the caps cannot see (memory, time, crashes), and parsing time is linear in input size.

Every hostile file is generated here and is small on disk.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from etl.models import ParseFailure
from etl.parse import Limits, parse_bytes
from etl.parse.workers import Job, WorkerConfig, parse_in_workers
from tests.parse_helpers import make_docx, make_ministry_pdf

MB = 1024 * 1024


def _pdf_with_stream(stream: bytes, extra: bytes = b"") -> bytes:
    """A syntactically plausible one-page PDF whose content stream is ``stream`` (zlib)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue() + extra


def pdf_bomb(inflated: int) -> bytes:
    c = zlib.compressobj(1)
    chunk = b" " * (4 * MB)
    parts = [c.compress(chunk) for _ in range(inflated // len(chunk))]
    parts.append(c.flush())
    return _pdf_with_stream(b"".join(parts))


def docx_bomb(inflated: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>')
            block = b"<w:p/>" * (MB // 6)
            for _ in range(inflated // len(block)):
                f.write(block)
            f.write(b"</w:body></w:document>")
    return buf.getvalue()


def dense_pdf(pages: int, lines: int = 60) -> bytes:
    """Many pages of small, dense text (one content stream per page, written directly)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    row = "Vraag 1 Kent u het bericht over de dijken en de waterstand in het rivierengebied? " * 2
    for _ in range(pages):
        c.setFont("Helvetica", 4)
        for k in range(lines):
            c.drawString(20, 820 - k * 13, row)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_a_pdf_decompression_bomb_is_refused_before_pdfium_reads_it() -> None:
    data = pdf_bomb(64 * MB)
    assert len(data) < MB  # small on disk
    t = time.monotonic()
    with pytest.raises(ParseFailure) as e:
        parse_bytes(data, "bomb.pdf", limits=Limits(max_stream_bytes=32 * MB))
    assert e.value.code == "too_large" and "decompression bomb" in e.value.message
    assert time.monotonic() - t < 5


def test_a_docx_zip_bomb_is_refused_before_its_parts_are_read() -> None:
    data = docx_bomb(80 * MB)
    assert len(data) < MB
    with pytest.raises(ParseFailure) as e:
        parse_bytes(data, "bomb.docx")
    assert e.value.code == "too_large" and "word/document.xml" in e.value.message


def test_a_highly_compressed_docx_part_is_refused_by_its_ratio() -> None:
    data = docx_bomb(8 * MB)
    with pytest.raises(ParseFailure) as e:
        parse_bytes(data, "ratio.docx")
    assert e.value.code == "too_large" and ":1" in e.value.message


def test_an_ordinary_docx_passes_the_zip_checks() -> None:
    letter = parse_bytes(make_docx(["Vraag 1", "Kent u dit?", "Antwoord 1", "Ja."], {}), "ok.docx")
    assert [b.numbers for b in letter.answers] == [("1",)]


def test_a_2000_page_pdf_is_refused_in_under_5_seconds_with_one_line() -> None:
    data = dense_pdf(2000, lines=1)
    t = time.monotonic()
    with pytest.raises(ParseFailure) as e:
        parse_bytes(data, "long.pdf")
    assert time.monotonic() - t < 5
    assert e.value.code == "too_large" and "2,000 pages" in e.value.message and "\n" not in e.value.message


@pytest.mark.parametrize("engine", ["pypdfium2", "pdfplumber"])
def test_a_dense_pdf_is_refused_at_the_character_cap(engine: str) -> None:
    data = dense_pdf(12, lines=20)
    with pytest.raises(ParseFailure) as e:
        parse_bytes(data, "dense.pdf", pdf_engine=engine, limits=Limits(max_chars=10_000))
    assert e.value.code == "too_large" and "10,000 characters" in e.value.message


def test_a_50_mb_text_file_is_refused_in_under_5_seconds_with_one_line() -> None:
    data = b"Vraag 1\nKent u dit?\nAntwoord 1\nJa.\n" * (50 * MB // 34 + 1)
    t = time.monotonic()
    with pytest.raises(ParseFailure) as e:
        parse_bytes(data, "big.txt")
    assert time.monotonic() - t < 5
    assert e.value.code == "too_large" and "exceeds the parse cap" in e.value.message and "\n" not in e.value.message


def _letter_text(repeats: int) -> bytes:
    one = "".join(
        f"Vraag {n}\nKent u het bericht over de dijken en bent u bereid hierop te reageren?\n\n"
        f"Antwoord {n}\nJa. Zie ook het antwoord op vraag {max(1, n - 1)}; dit geldt voor-\nzover bekend.\n\n"
        for n in range(1, 9)
    )
    return ((one + "\f") * repeats).encode()


def _cpu(data: bytes) -> float:
    t = time.process_time()
    parse_bytes(data, "big.txt")
    return time.process_time() - t


def test_text_parsing_time_grows_linearly_with_size() -> None:
    """Four times the input may cost at most eight times as much (linear is four, plus a little
    for the garbage collector; quadratic would be sixteen); the best of three runs keeps other
    load on the machine out."""
    small = min(_cpu(_letter_text(150)) for _ in range(3))
    large = min(_cpu(_letter_text(600)) for _ in range(3))
    assert large < 8 * small, (small, large)


def test_a_long_paragraph_without_labels_parses_in_linear_time() -> None:
    line = "de minister heeft de kamer hierover geïnformeerd en zal dat blijven doen\n"
    small = min(_cpu((line * 2_500).encode()) for _ in range(3))
    large = min(_cpu((line * 10_000).encode()) for _ in range(3))
    assert large < 8 * small, (small, large)


def test_repeated_warnings_become_one_warning_with_a_count() -> None:
    letter = parse_bytes(_letter_text(50), "repeated.txt")
    dup = [w for w in letter.warnings if w.startswith("question number 1 occurs more than once")]
    assert dup == ["question number 1 occurs more than once (49 times)"]  # 50 prints: 49 repeats
    assert len(letter.warnings) < 40


# ---------------------------------------------------------------- workers


def _config(**kw: object) -> WorkerConfig:
    base = {"pdf_engine": "pypdfium2", "limits": Limits(), "memory_mb": 1536, "timeout_s": 60.0}
    base.update(kw)
    return WorkerConfig(**base)  # type: ignore[arg-type]


def test_workers_parse_every_file_and_quarantine_hostile_ones(tmp_path: Path) -> None:
    files = {
        "ok.pdf": make_ministry_pdf(),
        "bomb.pdf": pdf_bomb(64 * MB),
        "bomb.docx": docx_bomb(80 * MB),
        "dense.pdf": dense_pdf(400),
        "ok.txt": b"Vraag 1\nKent u dit?\nAntwoord 1\nJa.\n",
    }
    jobs = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        jobs.append(Job(name, str(tmp_path / name)))
    limits = Limits(max_stream_bytes=32 * MB, max_chars=300_000)
    t = time.monotonic()
    out = dict((job.key, payload) for job, payload in parse_in_workers(jobs, _config(limits=limits), 2))
    assert time.monotonic() - t < 120
    assert set(out) == set(files)
    assert "failure" not in out["ok.pdf"] and "failure" not in out["ok.txt"]
    for name in ("bomb.pdf", "bomb.docx", "dense.pdf"):
        assert out[name]["failure"]["code"] == "too_large", out[name]
        assert out[name]["failure"]["message"]


def test_a_file_over_the_time_limit_is_quarantined_and_the_run_goes_on(tmp_path: Path) -> None:
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(dense_pdf(120))
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"Vraag 1\nKent u dit?\nAntwoord 1\nJa.\n")
    # The first file warms the worker up (a new worker's start-up is not charged to a file).
    jobs = [Job("first", str(ok)), Job("slow", str(slow)), Job("ok", str(ok))]
    t = time.monotonic()
    out = {j.key: p for j, p in parse_in_workers(jobs, _config(pdf_engine="pdfplumber", timeout_s=1.0), 1)}
    assert time.monotonic() - t < 60
    assert out["slow"]["failure"]["code"] == "quarantined"
    assert "longer than its 1 s limit" in out["slow"]["failure"]["message"]
    assert "failure" not in out["first"] and "failure" not in out["ok"]


def test_a_file_over_the_memory_limit_is_quarantined(tmp_path: Path) -> None:
    """A worker limited to 300 MB of address space cannot even hold a big letter's pages."""
    big = tmp_path / "dense.pdf"
    big.write_bytes(dense_pdf(200))
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"Vraag 1\nKent u dit?\nAntwoord 1\nJa.\n")
    jobs = [Job("big", str(big)), Job("ok", str(ok))]
    out = {j.key: p for j, p in parse_in_workers(jobs, _config(pdf_engine="pdfplumber", memory_mb=300), 1)}
    assert out["big"]["failure"]["code"] == "quarantined", out["big"]
    assert "failure" not in out["ok"]


def test_a_worker_that_dies_is_replaced_and_its_file_quarantined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crash = tmp_path / "crash.txt"
    crash.write_bytes(b"x")
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"Vraag 1\nKent u dit?\nAntwoord 1\nJa.\n")
    jobs = [Job("crash", str(crash)), Job("ok", str(ok))]
    # The worker is killed from outside while it holds the file, as the OOM killer would.
    gen = parse_in_workers(jobs, _config(timeout_s=30.0), 1)
    import etl.parse.workers as w

    real_give = w._Worker.give

    def give(self, job):  # type: ignore[no-untyped-def]
        real_give(self, job)
        if job.key == "crash":
            self.proc.kill()

    monkeypatch.setattr(w._Worker, "give", give)
    out = {j.key: p for j, p in gen}
    assert out["crash"]["failure"]["code"] == "quarantined"
    assert "died" in out["crash"]["failure"]["message"] and "SIGKILL" in out["crash"]["failure"]["message"]
    assert "failure" not in out["ok"]


def test_jobs_queued_behind_a_file_that_kills_its_worker_are_parsed_once_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker holds the next path while it parses (so it never waits for this process):
    when it dies, only the file it was on is quarantined; the ones queued behind it go on."""
    import etl.parse.workers as w

    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"Vraag 1\nKent u dit?\nAntwoord 1\nJa.\n")
    jobs = [Job(key, str(ok)) for key in ("a", "crash", "b", "c", "d")]
    real_clock = w._Worker._start_clock

    def start_clock(self, job):  # type: ignore[no-untyped-def]
        real_clock(self, job)
        if job.key == "crash":  # killed as it begins this file, with the next one in its pipe
            self.proc.kill()

    monkeypatch.setattr(w._Worker, "_start_clock", start_clock)
    results = list(parse_in_workers(jobs, _config(timeout_s=30.0), 1))
    assert sorted(job.key for job, _ in results) == ["a", "b", "c", "crash", "d"]  # each once
    out = {j.key: p for j, p in results}
    assert out["crash"]["failure"]["code"] == "quarantined"
    assert all("failure" not in out[k] for k in "abcd")


def test_parse_limits_come_from_the_environment_through_settings() -> None:
    from etl.config import from_env
    from etl.parse.limits import limits_of

    settings = from_env({
        "KAMERSPOOR_PARSE_MAX_PAGES": "40",
        "KAMERSPOOR_PARSE_MAX_BYTES": "1000",
        "KAMERSPOOR_PARSE_MAX_CHARS": "5000",
        "KAMERSPOOR_PARSE_MEMORY_MB": "900",
        "KAMERSPOOR_PARSE_TIMEOUT": "12.5",
    })
    limits = limits_of(settings)
    assert (limits.max_pages, limits.max_bytes, limits.max_chars) == (40, 1000, 5000)
    assert (settings.parse_memory_mb, settings.parse_timeout_s) == (900, 12.5)
    with pytest.raises(ParseFailure) as e:
        parse_bytes(b"Vraag 1\nKent u dit?\n" * 100, "x.txt", limits=limits)
    assert e.value.code == "too_large"
