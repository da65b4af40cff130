"""The ``frontline`` command: run, query, report, docs, evaluate, serve (thin wrappers)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from pathlib import Path

from flows.config import Settings, quiet_environment


def _run(args: argparse.Namespace) -> int:
    from flows import snapshot
    from flows.locking import warehouse_lock

    settings = Settings()
    # Take the warehouse (and wait for its build copy) before starting Prefect, so that
    # a second run, or a process that has the build copy open, is one line at once.
    with warehouse_lock(args.warehouse, settings.lock_timeout_seconds):
        snapshot.wait_for_build_copy(args.warehouse, settings.lock_timeout_seconds)
        from flows.runners import pipeline_with

        kind = "dask" if args.dask_address else args.task_runner  # an address implies Dask
        run = pipeline_with(kind, args.dask_address, args.workers)
        summary = run(input_dir=args.input, warehouse=args.warehouse)
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary, indent=1, default=str))
    return 0


def _query(args: argparse.Namespace) -> int:
    from flows.readonly import open_reader, read_query

    with open_reader(args.warehouse) as con:
        relation = read_query(con, args.sql)
        if relation is None:
            return 0
        frame = relation.pl()
    import polars as pl

    with pl.Config(tbl_rows=args.limit, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200):
        print(frame)
    return 0


def _report(args: argparse.Namespace) -> int:
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


def _docs(args: argparse.Namespace) -> int:
    from flows import snapshot, transform
    from flows.locking import warehouse_lock

    settings = Settings()
    # dbt opens the file to write: the build copy, under the run's lock, never the readers' snapshot.
    with warehouse_lock(args.warehouse, settings.lock_timeout_seconds):
        path = transform.generate_docs(settings.dbt_project_dir, snapshot.prepare(args.warehouse))
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


def _evaluate(args: argparse.Namespace) -> int:
    from flows import evaluate

    return evaluate.main(args)


def _serve(args: argparse.Namespace) -> int:
    from flows import schedule

    return schedule.serve(args)


def parser() -> argparse.ArgumentParser:
    settings = Settings()
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
    run.set_defaults(handler=_run)

    query = sub.add_parser("query", help="run read-only SQL against the warehouse (reads only: no file, no network)")
    query.add_argument("sql")
    query.add_argument("--warehouse", type=Path, default=settings.warehouse)
    query.add_argument("--limit", type=int, default=50, help="rows to print")
    query.set_defaults(handler=_query)

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


def main(argv: list[str] | None = None) -> int:
    quiet_environment()
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one line for the user; the log has the rest
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(f"frontline {args.command}: error: {first}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
