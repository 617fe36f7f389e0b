"""The `kamerspoor` command: parse, replay, demo, run, export, sql, themes check, report, alerts.

Each subcommand is a thin shell over library functions; errors become one line on stderr and a
non-zero exit, never a traceback. `demo` and `run` execute the Dagster job through
`assets.runner`, imported only by those two commands, so the library itself stays Dagster-free.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from etl.config import Settings, from_env
from etl.models import ParseFailure
from etl.window import Window


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def _settings(args: argparse.Namespace) -> Settings:
    """The settings read once in ``main`` with this command's options on top."""
    return args.settings.with_overrides(
        api_url=getattr(args, "api_url", None),
        data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None,
        warehouse_path=Path(args.warehouse) if getattr(args, "warehouse", None) else None,
    )


def cmd_parse(args: argparse.Namespace) -> int:
    from etl.parse import parse_file

    try:
        letter = parse_file(Path(args.path), pdf_engine=args.settings.pdf_engine)
    except ParseFailure as failure:
        print(f"kamerspoor parse: {args.path}: {failure.code}: {failure.message}", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump(letter.to_contract(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for block in (*letter.questions, *letter.answers):
            print(f"[{block.label}] {block.text}\n")
        for warning in letter.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from etl.replay import serve

    fixture_dir = Path(args.dir)
    if not fixture_dir.is_dir():
        print(f"kamerspoor replay: {fixture_dir}: not a directory", file=sys.stderr)
        return 2
    serve(fixture_dir, host=args.host, port=args.port, page_size=args.page_size)
    return 0


def _print_steps(summaries: list[str], quiet: bool) -> None:
    if not quiet:
        for summary in summaries:
            print(summary, file=sys.stderr)


def _print_summary(warehouse_path: Path) -> None:
    from etl.pipeline import warehouse_summary

    summary = warehouse_summary(warehouse_path)
    print(f"warehouse: {warehouse_path.resolve()}")
    print(
        f"  question sets: {summary['question_sets']}\n"
        f"  documents:     {summary['documents']} ({summary['letters']} answers and delay notices)\n"
        f"  Q&A pairs:     {summary['qa_pairs']}\n"
        f"  theme links:   {summary['theme_links']} ({summary['themes_linked']} themes)"
    )


#: Exit code of a run that finished but in which some request, chunk or document failed.
EXIT_PARTIAL = 3


def _run_job(command: str, args: argparse.Namespace, settings: Settings, **window: object) -> int:
    """Run the whole job in-process, print each step's summary and what the warehouse holds."""
    from assets.runner import run_job

    ok, summaries = run_job(
        settings,
        progress_bar=not args.quiet,
        log_level="DEBUG" if args.verbose else "CRITICAL",
        **window,
    )
    from assets.runner import PARTIAL

    _print_steps(summaries, args.quiet and ok)
    if not ok:
        hint = "" if args.verbose else " (--verbose shows Dagster's full log)"
        print(f"kamerspoor {command}: the job failed{hint}", file=sys.stderr)
        return 1
    partial = [s for s in summaries if s.startswith(PARTIAL)]
    if args.quiet:  # failures are never quiet
        for line in partial:
            print(line, file=sys.stderr)
    _print_summary(settings.warehouse_path)
    if partial:
        print(f"kamerspoor {command}: finished, but {len(partial)} requests or documents failed "
              f"(the cursor stays; the next run tries them again)", file=sys.stderr)
        return EXIT_PARTIAL
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from etl.replay import ReplayServer
    from etl.sample import SAMPLE_API_DIR

    with ReplayServer(SAMPLE_API_DIR) as replay:
        print(f"replaying the bundled sample at {replay.base_url}", file=sys.stderr)
        settings = _settings(args).with_overrides(api_url=replay.base_url)
        return _run_job("demo", args, settings)


def cmd_run(args: argparse.Namespace) -> int:
    try:
        window = Window(args.since, args.until)
    except ValueError as exc:
        print(f"kamerspoor run: {exc}", file=sys.stderr)
        return 2
    return _run_job("run", args, _settings(args), window=window, incremental=args.incremental)


def _reader_warehouse(command: str, args: argparse.Namespace) -> tuple[Path | None, str]:
    """The file `sql`/`export` read (the published snapshot, or the live file with ``--live``)
    and a note for stderr.

    Without ``--warehouse`` (or ``KAMERSPOOR_WAREHOUSE``) and with no warehouse built yet, the
    demo's snapshot is read when the Quick start made one, and the note says so (printed after
    the result, so an error stays one line). The path is None after printing one line when there
    is nothing to read.
    """
    settings = args.settings
    chosen = not args.warehouse_default
    live = Path(args.warehouse)

    def target(live_path: Path) -> Path:
        if args.live or live_path.name.endswith(".snapshot.duckdb"):
            return live_path
        return settings.with_overrides(warehouse_path=live_path).snapshot_path

    path = target(live)
    if path.is_file():
        return path, ""
    demo = target(settings.for_demo().warehouse_path)
    if not chosen and demo.is_file():
        return demo, f"kamerspoor {command}: read the demo's {demo} (there is no {path} yet)"
    if not args.live and live.is_file():
        problem = f"no published snapshot (a finished run publishes it; --live reads {live} itself)"
    else:
        problem = "no such warehouse (run `kamerspoor demo` or `run` first)"
    hint = f"; the demo's snapshot is {demo}" if demo.is_file() and demo != path else ""
    print(f"kamerspoor {command}: {path}: {problem}{hint}", file=sys.stderr)
    return None, ""


def cmd_export(args: argparse.Namespace) -> int:
    from etl.load.export import export_warehouse
    from etl.load.sandbox import WarehouseUnavailable

    warehouse_path, note = _reader_warehouse("export", args)
    if warehouse_path is None:
        return 1
    try:
        manifest = export_warehouse(warehouse_path, Path(args.dir), csv=args.csv)
    except WarehouseUnavailable as exc:
        print(f"kamerspoor export: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kamerspoor export: {exc.filename or args.dir}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a DuckDB or Arrow error on one relation: one line, no traceback
        print(f"kamerspoor export: {warehouse_path}: {_first_line(exc)}", file=sys.stderr)
        return 1
    for name, info in manifest["relations"].items():
        print(f"{name:<28} {info['rows']:>9} rows")
    print(f"manifest: {Path(args.dir) / 'manifest.json'}")
    if note:
        print(note, file=sys.stderr)
    return 0


def _first_line(exc: BaseException) -> str:
    from etl.load.sandbox import first_line

    return first_line(exc)


def cmd_sql(args: argparse.Namespace) -> int:
    """Run one query in the SQL sandbox and print it as a table, CSV or JSON."""
    import duckdb

    from etl.load.sandbox import WarehouseUnavailable, open_readonly
    from etl.load.query_params import ParamError, missing_params_message, parse_params

    try:
        params = parse_params(args.param)
    except ParamError as exc:
        print(f"kamerspoor sql: --param {exc}", file=sys.stderr)
        return 1
    if args.file:
        try:
            query = Path(args.query).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not a UTF-8 text file"
            print(f"kamerspoor sql: {args.query}: {reason}", file=sys.stderr)
            return 1
    else:
        query = args.query
    warehouse_path, note = _reader_warehouse("sql", args)
    if warehouse_path is None:
        return 1
    try:
        con = open_readonly(warehouse_path)
    except WarehouseUnavailable as exc:
        print(f"kamerspoor sql: {exc}", file=sys.stderr)
        return 1
    try:
        try:
            cur = con.execute(query, params)
            if cur.description:  # a statement without a result (CREATE TEMP TABLE ...) prints nothing
                _print_result(args, [d[0] for d in cur.description], cur)
        except duckdb.Error as exc:  # also raised while rows stream out (a failing cast, say)
            sys.stdout.flush()
            message = missing_params_message(_first_line(exc)) or _first_line(exc)
            print(f"kamerspoor sql: {message}", file=sys.stderr)
            return 1
    finally:
        con.close()
    if note:
        sys.stdout.flush()
        print(note, file=sys.stderr)
    return 0


_COUNT_AT_MOST = 1_000_000  # rows counted past the shown ones; a larger result says "at least"


def _fetch(cur, limit: int) -> tuple[list[tuple], int]:
    """The first ``limit`` rows and how many more the query returned (counted, not kept)."""
    shown = cur.fetchmany(max(limit, 0))
    more = 0
    while more < _COUNT_AT_MOST and (chunk := cur.fetchmany(10_000)):
        more += len(chunk)
    return shown, more


def _print_result(args: argparse.Namespace, columns: list[str], cur) -> None:
    from etl.load.safe_output import csv_lines, json_lines, render_table

    if args.format == "table":
        rows, more = _fetch(cur, args.max_rows)
        print(render_table(columns, rows, max_width=args.width, more_rows=more,
                           at_least=more >= _COUNT_AT_MOST))
        return

    def stream():
        while chunk := cur.fetchmany(10_000):
            yield from chunk

    lines = csv_lines(columns, stream()) if args.format == "csv" else json_lines(columns, stream())
    for text in lines:
        sys.stdout.write(text)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    import duckdb

    try:
        ours = version("kamerspoor")
    except PackageNotFoundError:
        ours = "unknown (not installed)"
    return f"kamerspoor {ours} (DuckDB {duckdb.__version__})"


def _reader_options(p: argparse.ArgumentParser) -> None:
    """Where `sql` and `export` read from: the published snapshot unless --live."""
    p.add_argument("--warehouse", default=None, metavar="FILE",
                   help="the live warehouse whose snapshot is read "
                        "(default: KAMERSPOOR_WAREHOUSE or warehouse/kamerspoor.duckdb, "
                        "else the demo's); a *.snapshot.duckdb file is read as given")
    p.add_argument("--live", action="store_true",
                   help="read the live warehouse file instead of its published snapshot "
                        "(fails while a job writes it)")



def _reader_settings(args: argparse.Namespace, command: str):
    """Settings for a command that reads the snapshot; after the Quick start that is the demo's."""
    settings = args.settings.with_overrides(warehouse_path=Path(args.warehouse))
    demo = args.settings.for_demo()
    if not settings.snapshot_path.exists() and args.warehouse_default and demo.snapshot_path.exists():
        print(f"kamerspoor {command}: no {settings.snapshot_path}; using the demo's {demo.snapshot_path}", file=sys.stderr)
        return demo
    return settings


def cmd_report(args: argparse.Namespace) -> int:
    """Write the offline HTML report built from the published snapshot."""
    from etl.load.sandbox import WarehouseUnavailable
    from etl.report import build_report, default_report_path

    settings = _reader_settings(args, "report")
    out = Path(args.out) if args.out else default_report_path(settings)
    try:
        path = build_report(settings, out)
    except (FileNotFoundError, WarehouseUnavailable) as exc:
        print(f"kamerspoor report: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kamerspoor report: {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"report: {path} ({path.stat().st_size / 1e6:.1f} MB, opens offline)")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """List alerts from the snapshot (or, with --deliver, send pending ones to the sinks first)."""
    import duckdb

    from etl.alerts import WatchFileError, deliver_pending, list_alerts, load_watch
    from etl.load.sandbox import WarehouseUnavailable
    from etl.report import open_snapshot

    settings = _reader_settings(args, "alerts")
    try:
        if args.deliver:
            from etl.load import warehouse

            watch = load_watch(settings.watch_path)
            con = warehouse.connect(settings.warehouse_path)
            try:
                warehouse.apply_schema(con)
                summary = deliver_pending(con, watch.sinks)
            finally:
                con.close()
            print(str(summary), file=sys.stderr)
            warehouse.publish_snapshot(settings.warehouse_path, settings.snapshot_path)
        con = open_snapshot(settings.snapshot_path)
        try:
            rows = list_alerts(con, args.since)
        finally:
            con.close()
    except (FileNotFoundError, WatchFileError, WarehouseUnavailable) as exc:
        print(f"kamerspoor alerts: {exc}", file=sys.stderr)
        return 2
    except duckdb.CatalogException:
        print(f"kamerspoor alerts: {settings.snapshot_path}: no alerts table (a snapshot from before alerts; run the job again)", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"kamerspoor alerts: {settings.warehouse_path}: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    for row in rows:
        sets = ", ".join(row["question_set_numbers"] or [])
        print(f"{row['first_seen'][:16]}  {row['kind']:<25} {row['theme_id'] or '-':<15} {sets:<24} {row['detail']}")
    print(f"{len(rows)} alert(s)", file=sys.stderr)
    return 0


def cmd_themes_check(args: argparse.Namespace) -> int:
    """Judge a theme file on the warehouse's letters: links per theme and rule, gained and lost."""
    import duckdb

    from etl.enrich.check import check_themes, format_report
    from etl.enrich.themes import ThemeFileError, load_themes
    from etl.load.sandbox import WarehouseUnavailable, first_line, open_readonly
    from etl.load.sql import read_sql
    from etl.load.warehouse import read_letter_contexts, read_text_units

    try:
        themes = load_themes(Path(args.file) if args.file else None)
    except ThemeFileError as exc:
        print(f"kamerspoor themes check: {exc}", file=sys.stderr)
        return 2
    warehouse_path = Path(args.warehouse)
    if not warehouse_path.is_file():
        print(f"kamerspoor themes check: {warehouse_path}: no such warehouse (run `kamerspoor demo` or `run` first)",
              file=sys.stderr)
        return 2
    try:  # it only reads: the SQL sandbox, like every other reader (a warehouse file may be hostile)
        con = open_readonly(warehouse_path)
    except WarehouseUnavailable as exc:
        print(f"kamerspoor themes check: {exc}", file=sys.stderr)
        return 2
    try:
        units = read_text_units(con)
        letters = read_letter_contexts(con)
        current = con.execute(read_sql("theme_check_current.sql")).fetchall()
        names = dict(con.execute(read_sql("letter_names.sql")).fetchall())
    except duckdb.Error as exc:
        print(f"kamerspoor themes check: {warehouse_path}: {first_line(exc)}", file=sys.stderr)
        return 2
    finally:
        con.close()
    reports = check_themes(units, themes, letters, current, names, examples=args.examples)
    dropped = sorted({t for _, t in current} - {t.id for t in themes})
    print(format_report(reports, source=args.file or "etl/enrich/themes.toml (packaged)", units=len(units),
                        letters=len({u.document_id for u in units}), examples=args.examples, dropped=dropped))
    return 0


def cmd_check_api(args: argparse.Namespace) -> int:
    """Check the live service's contract before a run (exit 0 holds, 1 broken, 2 unreachable)."""
    from etl.source.contract import check

    report = check(_settings(args))
    stream = sys.stderr if report.exit_code == 2 else sys.stdout
    print(report, file=stream)
    return report.exit_code


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    """The command line; option defaults show ``settings`` (the defaults when not given)."""
    settings = settings or Settings()
    demo = settings.for_demo()
    parser = argparse.ArgumentParser(prog="kamerspoor", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=_version(),
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse one letter (.pdf, .docx, .txt) and print its structure")
    p.add_argument("path", help="the letter file (.pdf, .docx, .xml or .txt)")
    p.add_argument("--format", choices=("json", "text"), default="json",
                   help="json: the parse contract (default); text: the blocks for reading")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("replay", help="serve a fixture directory in the shape of the TK OData v5 API")
    p.add_argument("dir", help="fixture directory (entity JSON files and resources/)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--page-size", type=int, default=250, help="entities per page before a nextLink (default 250)")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("demo", help="build the warehouse from the bundled sample through a local API replay")
    p.add_argument("--warehouse", default=str(demo.warehouse_path), help=f"warehouse file to write (default {demo.warehouse_path})")
    p.add_argument("--data-dir", default=str(demo.data_dir), help=f"raw store directory (default {demo.data_dir})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--verbose", action="store_true", help="show Dagster's full log")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="run the job in-process against the API (default: the live service)")
    p.add_argument("--api-url", default=settings.api_url, help="OData v5 base URL (default: KAMERSPOOR_API_URL or the live service)")
    p.add_argument("--since", type=_iso_date, help="first submission date (inclusive)")
    p.add_argument("--until", type=_iso_date, help="end submission date (excluded: sets submitted that day are not fetched)")
    p.add_argument("--incremental", action="store_true", help="only what changed since the last run")
    p.add_argument("--warehouse", default=str(settings.warehouse_path), help="warehouse file to write (default: KAMERSPOOR_WAREHOUSE)")
    p.add_argument("--data-dir", default=str(settings.data_dir), help="raw store directory (default: KAMERSPOOR_DATA_DIR)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--verbose", action="store_true", help="show Dagster's full log")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("export", help="write every analyst relation as Parquet (and CSV) with a manifest")
    p.add_argument("dir", help="output directory (files a previous export listed and this one does not write are removed)")
    _reader_options(p)
    p.add_argument("--csv", action="store_true", help="also write CSV files (cells neutralised for spreadsheets)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("sql", help="run a query in a read-only sandbox on the warehouse snapshot and print the result")
    p.add_argument("query", help="SQL text, or a file with --file (e.g. warehouse/queries/theme_answers.sql)")
    p.add_argument("--file", action="store_true", help="QUERY is a path to a .sql file")
    p.add_argument("--param", action="append", default=[], metavar="NAME[:TYPE]=VALUE",
                   help="bind $NAME (repeatable); TYPE is str (default), int, float, date or bool; "
                        "the value NULL binds SQL NULL")
    _reader_options(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (default, for reading), csv or json (every row)")
    p.add_argument("--width", type=int, default=140, help="table width in characters (default 140)")
    p.add_argument("--max-rows", type=int, default=40, help="table rows shown (default 40)")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("report", help="write the offline HTML report (plots and tables) from the snapshot")
    p.add_argument("--out", help="the HTML file to write (default: next to the warehouse, *.report.html)")
    p.add_argument("--warehouse", default=None,
                   help="the warehouse whose published snapshot is read (default: KAMERSPOOR_WAREHOUSE or the demo's)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("alerts", help="list the alerts on watched themes, sets, ministries and parties")
    p.add_argument("--since", type=_iso_date, help="only alerts first seen on or after this day")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--deliver", action="store_true",
                   help="first send pending alerts to the watch file's sinks (writes the live warehouse)")
    p.add_argument("--warehouse", default=None,
                   help="the warehouse whose published snapshot is read (default: KAMERSPOOR_WAREHOUSE or the demo's)")
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("themes", help="work on theme files")
    themes_sub = p.add_subparsers(dest="themes_command", required=True)
    p = themes_sub.add_parser("check", help="run a theme file over the warehouse: links per theme and rule, "
                                            "gained and lost against the current links")
    p.add_argument("--file", help="the theme file to judge (default: the packaged etl/enrich/themes.toml)")
    p.add_argument("--warehouse", default=str(settings.warehouse_path),
                   help="the warehouse whose letters are read (default: KAMERSPOOR_WAREHOUSE)")
    p.add_argument("--examples", type=int, default=2, help="evidence snippets per rule (default 2)")
    p.set_defaults(func=cmd_themes_check)

    p = sub.add_parser("check-api", help="check that the API still offers every field and query the sync relies on")
    p.add_argument("--api-url", default=settings.api_url, help="OData v5 base URL to check (default: KAMERSPOOR_API_URL or the live service)")
    p.set_defaults(func=cmd_check_api)
    return parser


def _quiet_stdout() -> None:
    """After the reader of our output went away: send what is left to /dev/null, silently."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = from_env()  # the one read of the environment; commands get it via args
    except ValueError as exc:
        print(f"kamerspoor: {exc}", file=sys.stderr)
        return 2
    args = build_parser(settings).parse_args(argv)
    args.settings = settings
    if getattr(args, "warehouse", "") is None:  # report / alerts: remember the default was taken
        args.warehouse, args.warehouse_default = str(settings.warehouse_path), True
    elif hasattr(args, "warehouse"):
        args.warehouse_default = False
    try:
        result = args.func(args)
        sys.stdout.flush()
        return result
    except BrokenPipeError:  # `kamerspoor sql ... | head -1`: the pipe closed, end quietly
        _quiet_stdout()
        return 141
    except KeyboardInterrupt:
        print("kamerspoor: interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    """The ``kamerspoor`` command: :func:`main`, then a quick exit.

    Exit handlers still run (temporary directories, log handlers); what is skipped is the
    interpreter freeing every object of every module one by one, which after a ``run`` (Dagster,
    SQLAlchemy, polars, DuckDB loaded) took ~0.8 s of a 6 s run that found nothing to do. By
    then every file the command wrote is closed and the warehouse connections are shut.
    """
    import atexit

    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        code = code or 141
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    entry()
