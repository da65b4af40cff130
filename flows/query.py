"""``frontline query`` and ``frontline export``: the warehouse out to the terminal and to files.

Every connection is ``flows.warehouse.open_reader``'s; files are written from Python
(flows/tabular.py), so nothing here needs write access to the warehouse.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path
from typing import IO

import duckdb

from flows import tabular
from flows.warehouse.readers import QueryRefused, open_reader, read_query

FORMATS = ("table", "csv", "json", "parquet", "markdown")
EXPORT_FORMATS = ("parquet", "csv", "geojson")
EXTENSIONS = {"csv": "csv", "json": "json", "parquet": "parquet", "markdown": "md", "geojson": "geojson"}


class QueryError(Exception):
    """DuckDB refused the query; the message is DuckDB's own, hints included."""


def terminal_width() -> int:
    """The terminal's width on a terminal; 0 (no limit) when the output goes elsewhere."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else 0


@contextlib.contextmanager
def _output(path: Path | None) -> IO[bytes]:
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")  # no half-written file under the real name
    with partial.open("wb") as handle:
        yield handle
    partial.replace(path)


def run_query(
    warehouse: Path,
    sql: str,
    fmt: str = "table",
    output: Path | None = None,
    max_width: int | None = None,
    limit: int = 50,
) -> None:
    """Run ``sql`` read-only and write its result in ``fmt`` to ``output`` (default stdout)."""
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise ValueError("parquet is binary: give --output FILE or redirect the output")
    with open_reader(warehouse) as con:
        try:
            relation = read_query(con, sql)  # read statements only
            if relation is None:  # a statement without a result
                return
            if fmt == "table":
                shown = relation.limit(limit + 1).pl()
                width = terminal_width() if max_width is None else max_width
                text = tabular.format_table(shown.head(limit), width)
                if shown.height > limit:
                    text += f"\n(first {limit} rows; --limit N for more, --format csv for all)"
                with _output(output) as out:
                    out.write((text + "\n").encode())
                return
            reader = relation.fetch_arrow_reader(tabular.BATCH_ROWS)
            with _output(output) as out:
                tabular.WRITERS[fmt](reader, out)
        except (duckdb.Error, QueryRefused) as error:
            raise QueryError(str(error)) from None


def marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse's marts: the dim_ and fct_ tables of schema main."""
    return [
        name
        for (name,) in con.execute(
            """select table_name from information_schema.tables
               where table_schema = 'main' and table_type = 'BASE TABLE'
                 and (table_name like 'dim\\_%' escape '\\' or table_name like 'fct\\_%' escape '\\')
               order by table_name"""
        ).fetchall()
    ]


def export(warehouse: Path, to_dir: Path, fmt: str = "parquet") -> list[Path]:
    """Write every mart to ``to_dir`` as ``<mart>.<ext>``, streaming; returns the files.

    ``geojson`` writes the marts with coordinates (``latitude``/``longitude``) as GeoJSON
    and every other mart as CSV, so the folder always holds the whole warehouse.
    """
    written = []
    with open_reader(warehouse) as con:
        for mart in marts(con):
            reader = con.sql(f"select * from main.{mart}").fetch_arrow_reader(tabular.BATCH_ROWS)
            kind = fmt
            if fmt == "geojson" and tabular.coordinate_columns(reader.schema) is None:
                kind = "csv"
            path = to_dir / f"{mart}.{EXTENSIONS[kind]}"
            with _output(path) as out:
                tabular.WRITERS[kind](reader, out)
            written.append(path)
    return written
