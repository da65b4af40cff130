"""The ``frontline`` command: run, query, export, report, docs, evaluate, serve (thin wrappers)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from flows import progress
from flows.errors import log_path, log_to, one_line, write_traceback

# flows.config (pydantic, about 1 s) is imported after a run's first progress line.
if TYPE_CHECKING:
    from flows.config import Settings


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.verbose:  # Prefect's per-task lines stay in the UI, not on the console
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "WARNING")
    progress.report(f"starting (input {args.input}, warehouse {args.warehouse})")
    from flows.warehouse import Warehouse

    # The flow takes the warehouse lock; a busy warehouse is one line before Prefect starts.
    Warehouse.wait_until_free(args.warehouse, settings.lock_timeout_seconds)
    log_to(log_path(args.warehouse))  # before Prefect sets its logging up
    progress.report("starting Prefect")
    from flows.runtime.prefect_server import stop_ephemeral_server
    from flows.runtime.runners import pipeline_with
    from flows.summary import RunSummary

    kind = "dask" if args.dask_address else args.task_runner  # an address implies Dask
    run = pipeline_with(settings.prefect_home, kind, args.dask_address, args.workers)
    summary = run(input_dir=args.input, warehouse=args.warehouse, settings=settings)
    progress.report("stopping Prefect")
    stop_ephemeral_server()
    summary["wall_seconds"] = round(time.time() - progress.process_started(), 3)
    progress.stop()  # the status line goes before the summary is printed
    global _everything_closed
    _everything_closed = True
    if not args.quiet:
        print(RunSummary(**summary).as_text(), flush=True)
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary, indent=1, default=str))
    return 0


def _query(args: argparse.Namespace, settings: Settings) -> int:
    from flows.query import QueryError, run_query

    try:
        with _quiet_broken_pipe():
            run_query(args.warehouse, args.sql, args.format, args.output, args.max_width, args.limit)
    except QueryError as error:  # DuckDB's whole message: its "Did you mean" hints are the help
        print(f"frontline query: {error}", file=sys.stderr)
        return 1
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from flows.query import export

    with _quiet_broken_pipe():
        for path in export(args.warehouse, args.to, args.format):
            print(path)
    return 0


@contextlib.contextmanager
def _quiet_broken_pipe():
    """A reader that stops early (``| head -1``) ends the output, not in an error."""
    try:
        yield
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from flows.report import write_report
    from flows.report.data import Filters

    filters = Filters(date_from=args.date_from, date_to=args.date_to, admin1=args.admin1)
    print(write_report(args.warehouse, args.out, filters))
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _docs(args: argparse.Namespace, settings: Settings) -> int:
    from flows import transform
    from flows.warehouse import Warehouse

    # dbt opens the file to write: the build copy, under the run's lock, never the readers' snapshot.
    with Warehouse.for_run(args.warehouse, settings.lock_timeout_seconds) as warehouse, warehouse.released() as build:
        path = transform.generate_docs(settings.dbt_project_dir, build, settings.lock_timeout_seconds)
    print(path)
    if args.serve:
        _serve_docs(path.parent, args.port)
    return 0


def _serve_docs(directory: Path, port: int) -> None:
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving docs on http://127.0.0.1:{port}/static_index.html (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from flows import evaluate

    return evaluate.main(args, settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    log_to(log_path(args.warehouse))  # before Prefect sets its logging up
    from flows.runtime import schedule

    return schedule.serve(args, settings)


def parser(settings: Settings) -> argparse.ArgumentParser:
    """The command line; ``settings`` give the defaults."""
    root = argparse.ArgumentParser(prog="frontline", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest, parse, validate, load, dbt build and docs")
    run.add_argument("--input", type=Path, default=settings.input_dir, help="folder of *.txt articles")
    run.add_argument("--warehouse", type=Path, default=settings.warehouse, help="DuckDB file")
    run.add_argument(
        "--task-runner",
        choices=["threads", "dask"],
        default="threads",
        help="where parse batches run (default threads)",
    )
    run.add_argument("--dask-address", help="scheduler of a running Dask cluster (default: start a local one)")
    run.add_argument("--workers", type=int, default=2, help="threads, or local Dask worker processes (default 2)")
    run.add_argument("--summary-json", type=Path, help="also write the run summary (counts, stage timings) here")
    loudness = run.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", action="store_true", help="no progress and no summary: only errors")
    loudness.add_argument("--verbose", action="store_true", help="also Prefect's log lines for every task run")
    run.set_defaults(handler=_run)

    query = sub.add_parser("query", help="run read-only SQL against the warehouse (reads only: no file, no network)")
    query.add_argument("sql")
    query.add_argument("--warehouse", type=Path, default=settings.warehouse)
    query.add_argument(
        "--format",
        choices=["table", "csv", "json", "parquet", "markdown"],
        default="table",
        help="table (default, fits the terminal), or csv/json/parquet/markdown with every row and value whole",
    )
    query.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    query.add_argument(
        "--max-width",
        type=int,
        metavar="N",
        help="table width in characters (default: the terminal's; 0: every value whole)",
    )
    query.add_argument("--limit", type=int, default=50, help="rows in a table (default 50; other formats: all)")
    query.set_defaults(handler=_query)

    export = sub.add_parser("export", help="write every mart to a folder (parquet, csv or geojson)")
    export.add_argument("--to", type=Path, required=True, metavar="DIR")
    export.add_argument("--warehouse", type=Path, default=settings.warehouse)
    export.add_argument(
        "--format",
        choices=["parquet", "csv", "geojson"],
        default="parquet",
        help="parquet (default), csv, or geojson (marts with coordinates; the others as csv)",
    )
    export.set_defaults(handler=_export)

    report = sub.add_parser("report", help="write the HTML report (map, timeline, claims, latest events, health)")
    report.add_argument("--warehouse", type=Path, default=settings.warehouse)
    report.add_argument("--out", type=Path, help="folder to write it to (default: beside the warehouse)")
    report.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="first day (YYYY-MM-DD)")
    report.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="last day (YYYY-MM-DD)")
    report.add_argument("--admin1", metavar="NAME", help="one oblast/region (canonical name, e.g. Kharkiv)")
    report.set_defaults(handler=_report)

    docs = sub.add_parser("docs", help="generate the dbt docs (static_index.html)")
    docs.add_argument("--warehouse", type=Path, default=settings.warehouse)
    docs.add_argument("--serve", action="store_true", help="serve them on localhost")
    docs.add_argument("--port", type=int, default=8080)
    docs.set_defaults(handler=_docs)

    serve = sub.add_parser("serve", help="run the flow on a schedule (starts a local Prefect server if needed)")
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", help='cron schedule, e.g. "0 * * * *"')
    when.add_argument("--interval", type=int, default=3600, help="seconds between runs (default 3600)")
    serve.add_argument("--input", type=Path, default=settings.input_dir)
    serve.add_argument("--warehouse", type=Path, default=settings.warehouse)
    serve.add_argument("--name", default="scheduled", help="deployment name")
    serve.add_argument("--port", type=int, help="port of the local Prefect server (default: a free one)")
    serve.set_defaults(handler=_serve)

    evaluate = sub.add_parser("evaluate", help="score the warehouse against gold labels, folder by folder")
    evaluate.add_argument(
        "--gold",
        type=Path,
        nargs="+",
        required=True,
        metavar="DIR",
        help="gold folders: set folders (articles/ and labels/) or bare folders of label JSON files",
    )
    evaluate.add_argument("--build", action="store_true", help="first run the pipeline on every gold set's articles/")
    evaluate.add_argument("--input", type=Path, help="also run the pipeline on these articles first (implies --build)")
    evaluate.add_argument("--warehouse", type=Path, default=settings.warehouse)
    evaluate.add_argument(
        "--split",
        choices=["all", "tune", "holdout"],
        default="all",
        help="label files to score: all (default), the tuned part, or the held-out part",
    )
    evaluate.add_argument(
        "--holdout-every",
        type=int,
        default=5,
        metavar="N",
        help="hold out the last of every N label files of each folder, sorted by name (default 5)",
    )
    evaluate.add_argument("--attribution", action="store_true", help="also score who says so (reported_by, claimant)")
    evaluate.add_argument("--verbose", action="store_true", help="list every miss, extra and wrong field")
    evaluate.add_argument("--json", type=Path, help="also write every score as JSON")
    evaluate.set_defaults(handler=_evaluate)
    return root


#: Set once a run has closed all it opened (warehouse, lock, Prefect server, logs).
_everything_closed = False


def entry() -> None:
    """The ``frontline`` console script: the edge where settings are read (once) and passed
    down to every command and the flow. After a run, the interpreter's own teardown of
    what dbt, Prefect and Dask leave in memory took 4-6 s after the summary was printed;
    everything is closed and flushed by then, so the process ends at once."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    if _everything_closed:
        import atexit

        atexit._run_exitfuncs()  # the exit handlers (logging, multiprocessing's semaphores) are quick
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A run shows it has started before the slow imports (pydantic, Prefect, dbt).
    display = progress.Progress() if argv[:1] == ["run"] and "--quiet" not in argv else None
    if display:
        display.start()
    args = None
    try:
        from flows.config import SettingsError, load_settings, quiet_environment

        quiet_environment()
        try:
            settings = load_settings()
        except SettingsError as error:  # before anything runs: the message names the variable
            progress.stop()
            print(f"frontline: error: {error}", file=sys.stderr)
            return 2
        args = parser(settings).parse_args(argv)
        return args.handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one line for the user; the log has the rest
        progress.stop()
        _log_traceback(args, error)
        command = args.command if args is not None else (argv[0] if argv else "")
        print(f"frontline {command}: error: {one_line(error)}", file=sys.stderr)
        return 1
    finally:
        progress.stop()


def _log_traceback(args: argparse.Namespace, error: Exception) -> None:
    """Append the traceback of ``error`` to the warehouse's log file (``<warehouse>.log``), if it can."""
    warehouse = getattr(args, "warehouse", None)
    if warehouse is not None:
        write_traceback(log_path(warehouse), error)


if __name__ == "__main__":
    entry()
