"""Write query results: terminal tables that fit, and streaming CSV, JSON, Parquet, markdown, GeoJSON.

Everything here takes a pyarrow ``RecordBatchReader`` (DuckDB streams one without
materialising the result) and writes it batch by batch from Python (polars/pyarrow).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

#: Rows per batch pulled from DuckDB while streaming.
BATCH_ROWS = 10_000
#: Narrowest a column gets when a table is shrunk to fit.
MIN_COLUMN = 6


def _frames(reader: pa.RecordBatchReader) -> Iterator[pl.DataFrame]:
    for batch in reader:
        yield pl.from_arrow(pa.Table.from_batches([batch], reader.schema))


def write_csv(reader: pa.RecordBatchReader, out: IO[bytes]) -> None:
    with pacsv.CSVWriter(out, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)


def write_parquet(reader: pa.RecordBatchReader, out: IO[bytes]) -> None:
    with pq.ParquetWriter(out, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)


def write_json(reader: pa.RecordBatchReader, out: IO[bytes]) -> None:
    """One JSON array of row objects, written batch by batch (dates as ISO text)."""
    out.write(b"[")
    first = True
    for frame in _frames(reader):
        if frame.height == 0:
            continue
        rows = frame.write_json().encode()[1:-1]  # the batch's objects without its brackets
        out.write(rows if first else b",\n" + rows)
        first = False
    out.write(b"]\n")


def write_markdown(reader: pa.RecordBatchReader, out: IO[bytes]) -> None:
    """A GitHub-flavoured markdown table, every value whole ('|' escaped, newlines as spaces)."""
    names = reader.schema.names
    out.write(("| " + " | ".join(names) + " |\n|" + " --- |" * len(names) + "\n").encode())
    for frame in _frames(reader):
        for row in frame.iter_rows():
            out.write(("| " + " | ".join(_markdown_cell(v) for v in row) + " |\n").encode())


def _markdown_cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def coordinate_columns(schema: pa.Schema) -> tuple[str, str] | None:
    names = set(schema.names)
    return ("longitude", "latitude") if {"longitude", "latitude"} <= names else None


def write_geojson(reader: pa.RecordBatchReader, out: IO[bytes]) -> None:
    """A FeatureCollection: one Point feature per row (null geometry when a row has no
    coordinates), every other column a property."""
    lon, lat = coordinate_columns(reader.schema) or ("longitude", "latitude")
    out.write(b'{"type":"FeatureCollection","features":[\n')
    first = True
    for frame in _frames(reader):
        for row in frame.iter_rows(named=True):
            x, y = row.pop(lon), row.pop(lat)
            geometry = None if x is None or y is None else {"type": "Point", "coordinates": [x, y]}
            feature = {"type": "Feature", "geometry": geometry, "properties": row}
            out.write((("" if first else ",\n") + json.dumps(feature, default=str, ensure_ascii=False)).encode())
            first = False
    out.write(b"\n]}\n")


WRITERS = {
    "csv": write_csv,
    "json": write_json,
    "parquet": write_parquet,
    "markdown": write_markdown,
    "geojson": write_geojson,
}


def _cell(value: object) -> str:
    if value is None:
        return "null"
    return str(value).replace("\n", " ")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def column_widths(natural: list[int], max_width: int) -> list[int] | None:
    """Widths that fit ``max_width`` (0: no limit) by narrowing the widest columns first;
    None when even the narrowest columns do not fit."""
    separators = 3 * (len(natural) - 1)
    if max_width <= 0 or sum(natural) + separators <= max_width:
        return natural
    budget = max_width - separators
    if budget < MIN_COLUMN * len(natural):
        return None
    widths = list(natural)
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=widths.__getitem__)
        widths[widest] -= max(1, (sum(widths) - budget) // len(widths))
        widths[widest] = max(widths[widest], MIN_COLUMN)
    return widths


def format_table(frame: pl.DataFrame, max_width: int) -> str:
    """A plain table at most ``max_width`` wide (0: every value whole). A result too wide
    for that even with narrow columns is shown one record at a time, column per line."""
    names = frame.columns
    cells = [[_cell(v) for v in row] for row in frame.iter_rows()]
    natural = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(names)]
    widths = column_widths(natural, max_width)
    if widths is None:
        return format_records(names, cells, max_width)
    lines = [
        " | ".join(_clip(n, w).ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "-+-".join("-" * w for w in widths),
    ]
    for row in cells:
        lines.append(" | ".join(_clip(v, w).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def format_records(names: list[str], cells: list[list[str]], max_width: int) -> str:
    """One block per row: ``column | value`` lines (psql's expanded display)."""
    label = max(len(n) for n in names)
    room = max(max_width - label - 3, 10) if max_width > 0 else 0
    blocks = []
    for number, row in enumerate(cells, start=1):
        lines = [f"-[ row {number} ]" + "-" * max(0, min(max_width or 40, 40) - 10)]
        lines += [f"{n.ljust(label)} | {_clip(v, room) if room else v}" for n, v in zip(names, row, strict=True)]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)
