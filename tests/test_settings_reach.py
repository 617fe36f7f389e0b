"""Every setting reaches every command: ``KAMERSPOOR_*`` is read once and passed down.

The bug this guards against: `run`, `demo` and `parse` built their own settings, so
``KAMERSPOOR_PDF_ENGINE`` changed nothing. The spies below sit where the setting is finally
used (the parser call, the job runner, the Dagster resource), not at ``from_env``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import etl.parse
from assets.definitions import build_definitions
from assets.resources import KamerspoorResource
from etl import cli
from etl.config import Settings, env_name, from_env
from etl.window import Window


@pytest.fixture()
def engines(monkeypatch):
    """Records the pdf_engine of every parser call made in this process."""
    seen: list[str] = []
    real = etl.parse.parse_file

    def spy(path, *, pdf_engine=etl.parse.PDF_ENGINE):
        seen.append(pdf_engine)
        return real(path, pdf_engine=pdf_engine)

    monkeypatch.setattr(etl.parse, "parse_file", spy)
    return seen


@pytest.fixture()
def worker_engines(monkeypatch):
    """Records the pdf_engine handed to the parse workers for every file (they parse in
    processes of their own, where a spy in this process cannot see the parser call)."""
    import etl.parse.workers as workers

    seen: list[str] = []
    real = workers.parse_in_workers

    def spy(jobs, config, n):
        jobs = list(jobs)
        seen.extend(config.pdf_engine for _ in jobs)
        return real(jobs, config, n)

    monkeypatch.setattr(workers, "parse_in_workers", spy)
    return seen


def test_parse_command_uses_the_pdf_engine_from_the_environment(monkeypatch, engines, sample_pdf, capsys):
    monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", "pdfplumber")
    assert cli.main(["parse", str(sample_pdf)]) == 0
    assert engines == ["pdfplumber"]
    assert '"questions"' in capsys.readouterr().out


def test_a_bad_setting_in_the_environment_is_one_line_naming_the_variable(monkeypatch, capsys):
    monkeypatch.setenv("KAMERSPOOR_READ_TIMEOUT", "soon")
    assert cli.main(["parse", "whatever.pdf"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "KAMERSPOOR_READ_TIMEOUT" in err


def test_run_hands_every_setting_and_an_end_exclusive_window_to_the_job(monkeypatch, tmp_path):
    import assets.runner

    calls = []
    monkeypatch.setattr(assets.runner, "run_job", lambda settings, **kw: calls.append((settings, kw)) or (False, []))
    monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", "pdfplumber")
    monkeypatch.setenv("KAMERSPOOR_MAX_RETRIES", "2")
    monkeypatch.setenv("KAMERSPOOR_READ_TIMEOUT", "7.5")
    monkeypatch.setenv("KAMERSPOOR_DATA_DIR", str(tmp_path / "from-env"))
    assert cli.main(["run", "--since", "2026-01-01", "--until", "2026-02-01",
                     "--warehouse", str(tmp_path / "w.duckdb"), "--quiet"]) == 1
    [(settings, kw)] = calls
    assert (settings.pdf_engine, settings.max_retries, settings.read_timeout) == ("pdfplumber", 2, 7.5)
    assert settings.data_dir == tmp_path / "from-env"  # the environment...
    assert settings.warehouse_path == tmp_path / "w.duckdb"  # ... and the option on top of it
    assert kw["window"] == Window(date(2026, 1, 1), date(2026, 2, 1))


def test_until_before_since_is_refused_in_one_line(capsys):
    assert cli.main(["run", "--since", "2026-02-01", "--until", "2026-02-01"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "excluded" in err


def test_the_dagster_resource_defaults_to_the_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", "pdfplumber")
    monkeypatch.setenv("KAMERSPOOR_PARSE_WORKERS", "3")
    resource = build_definitions().resources["kamerspoor"]
    settings = resource.settings()
    assert (settings.pdf_engine, settings.parse_workers) == ("pdfplumber", 3)


def test_a_resource_field_overrides_only_its_own_setting(monkeypatch):
    monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", "pdfplumber")
    settings = KamerspoorResource(concurrency=1).settings()
    assert (settings.concurrency, settings.pdf_engine) == (1, "pdfplumber")


def test_a_resource_built_from_settings_gives_back_the_same_settings(monkeypatch):
    monkeypatch.setenv("KAMERSPOOR_BACKOFF_BASE", "9")  # not read: the settings were read already
    given = Settings(pdf_engine="pdfplumber", concurrency=2, read_timeout=3.0, data_dir=Path("/x"),
                     backoff_base=0.01, user_agent="probe/1")
    assert KamerspoorResource.from_settings(given).settings() == given


def test_every_settings_field_has_an_environment_variable():
    defaults = Settings()
    for name, value in vars(defaults).items():
        if value is None:  # optional (the watch file, the KOOP server): the variable sets it
            assert getattr(from_env({env_name(name): "elsewhere"}), name) in ("elsewhere", Path("elsewhere")), name
            continue
        text = str(value) if not isinstance(value, bool) else "true"
        assert getattr(from_env({env_name(name): text}), name) == value, name


def test_demo_parses_with_the_engine_from_the_environment(monkeypatch, worker_engines, tmp_path, capsys):
    """Through the CLI, the runner, the Dagster resource and the parse asset to the parser."""
    monkeypatch.setenv("KAMERSPOOR_PDF_ENGINE", "pdfplumber")
    monkeypatch.setenv("KAMERSPOOR_PARSE_WORKERS", "1")
    code = cli.main(["demo", "--quiet", "--data-dir", str(tmp_path / "data"),
                     "--warehouse", str(tmp_path / "demo.duckdb")])
    assert code == 0, capsys.readouterr().err
    assert len(worker_engines) >= 10 and set(worker_engines) == {"pdfplumber"}


def test_the_readme_names_every_settings_variable():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [env_name(name) for name in vars(Settings()) if env_name(name) not in readme]
    assert missing == [], f"add these to the README's Settings table: {missing}"
