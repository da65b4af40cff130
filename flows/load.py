"""DuckDB I/O: raw tables, validated staging tables, quarantine and the gazetteer.

Every write of a batch happens in one transaction (``flows.warehouse.transaction``):
a run killed half-way leaves the warehouse as it was before that batch. The
connection comes from ``flows.warehouse.Warehouse``, which has created every
table from its pandera model (``schemas/ddl.py``).

Layout:
- ``raw.documents`` (one row per distinct content);
- the sightings of input entries, each with its input folder (``input_root``) and
  path relative to it: ``raw.source_files`` (read as an article: content hash,
  size, modification time), ``raw.rejected_files`` (not an article, with the
  reason) and ``raw.missing_files`` (seen before, gone now). A sighting is
  appended when what a path holds differs from its last sighting, so a path's
  last sighting is what it holds now (the rules: README, "A file's story");
- ``parsed.<table>`` for each model in ``schemas.staging`` (the parser's validated
  output), with the bookkeeping ``meta.parsed_articles`` (which article was parsed
  by which rules) and ``meta.quarantine`` (rows that failed validation, with the checks);
- ``reference.gazetteer_places`` and ``reference.gazetteer_aliases``, with the
  bookkeeping ``meta.gazetteer_builds`` (which gazetteer is loaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import polars as pl

from flows.ingest import IngestResult
from flows.warehouse.owner import run_sql as _run
from flows.warehouse.owner import scalar, transaction
from schemas.ddl import META, PARSED


@dataclass(frozen=True)
class RawCounts:
    """What one ingest added to the raw tables."""

    files_seen: int
    new_documents: int
    new_source_files: int
    rejected: int
    new_rejected: int
    missing: int = 0


def _insert_new(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, key: list[str]) -> int:
    """Insert the rows of ``frame`` whose ``key`` is not in ``table`` yet; return how many."""
    con.register("_batch", frame)
    condition = " and ".join(f"t.{k} is not distinct from b.{k}" for k in key)
    before = scalar(con, f"select count(*) from {table}")
    _run(
        con,
        f"insert into {table} by name select b.* from _batch b "
        f"where not exists (select 1 from {table} t where {condition})",
    )
    con.unregister("_batch")
    return scalar(con, f"select count(*) from {table}") - before


#: Every sighting of every input path, whatever became of it.
SIGHTINGS_SQL = """
    select input_root, source_path, 'article' as outcome, content_sha256, size_bytes, modified_at,
        null::varchar as reason, ingested_at as seen_at
    from raw.source_files
    union all
    select input_root, source_path, 'rejected', content_sha256, size_bytes, modified_at, reason, rejected_at
    from raw.rejected_files
    union all
    select input_root, source_path, 'missing', null, null, null, null, missing_at
    from raw.missing_files
"""
SIGHTING_COLUMNS = {
    "input_root": pl.String,
    "source_path": pl.String,
    "outcome": pl.String,
    "content_sha256": pl.String,
    "size_bytes": pl.Int64,
    "modified_at": pl.Datetime("us", "UTC"),
    "reason": pl.String,
    "modified_us": pl.Int64,
}


def last_sightings(con: duckdb.DuckDBPyConnection, root: str | None = None) -> pl.DataFrame:
    """Each path's last sighting (under ``root`` only, when given): what the path holds now."""
    where = "where input_root = ?" if root is not None else ""
    frame = con.execute(
        f"select * exclude (seen_at), epoch_us(modified_at) as modified_us from ({SIGHTINGS_SQL}) {where} "
        "qualify row_number() over (partition by input_root, source_path order by seen_at desc) = 1",
        [root] if root is not None else [],
    ).pl()
    return frame.cast(SIGHTING_COLUMNS)


def write_raw(con: duckdb.DuckDBPyConnection, result: IngestResult) -> RawCounts:
    """Append new documents, and the sightings that differ from their path's last one,
    in one transaction (idempotent: the same folder seen twice adds nothing)."""
    with transaction(con):
        last = last_sightings(con)
        new_documents = _insert_new(con, "raw.documents", result.documents, ["content_sha256"])
        same = ["input_root", "source_path", "content_sha256", "size_bytes", "modified_at"]
        new_files = _append(con, "raw.source_files", _unlike(result.source_files, last, "article", same))
        new_rejected = _append(con, "raw.rejected_files", _unlike(result.rejected, last, "rejected", [*same, "reason"]))
        missing = _append(
            con, "raw.missing_files", _unlike(result.missing, last, "missing", ["input_root", "source_path"])
        )
    return RawCounts(
        files_seen=result.source_files.height + result.rejected.height,
        new_documents=new_documents,
        new_source_files=new_files,
        rejected=result.rejected.height,
        new_rejected=new_rejected,
        missing=missing,
    )


def _unlike(sightings: pl.DataFrame, last: pl.DataFrame, outcome: str, same: list[str]) -> pl.DataFrame:
    """The ``sightings`` that differ from their path's last sighting (nulls compare equal)."""
    previous = last.filter(pl.col("outcome") == outcome).select(same)
    return sightings.join(previous, on=same, how="anti", nulls_equal=True)


def _append(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    if frame.is_empty():
        return 0
    con.register("_batch", frame)
    _run(con, f"insert into {table} by name select * from _batch")
    con.unregister("_batch")
    return frame.height


def documents_to_parse(
    con: duckdb.DuckDBPyConnection, parser_version: str, columns: str = "article_id, published_date, body"
) -> pl.DataFrame:
    """Documents never parsed, or parsed by other rules than ``parser_version``."""
    done = f"where article_id not in (select article_id from {META}.parsed_articles where parser_version = ?)"
    return con.execute(f"select {columns} from raw.documents {done} order by article_id", [parser_version]).pl()


def pending_rows(con: duckdb.DuckDBPyConnection, parser_version: str) -> pl.DataFrame:
    """``article_id`` and ``row`` (DuckDB rowid) of the documents to parse, in row order.

    ``raw.documents`` is append-only, so rowids are stable; a batch of pending
    documents in row order is read back with a rowid range (``documents_in_rows``),
    which DuckDB answers from those rows' storage alone. A join on ids would scan
    every body in the table for each batch (3 s per batch at 100k documents).
    """
    return documents_to_parse(con, parser_version, columns="article_id, rowid as row").sort("row")


def documents_in_rows(con: duckdb.DuckDBPyConnection, batch: pl.DataFrame) -> pl.DataFrame:
    """The parser's input for one batch of ``pending_rows``, in id order."""
    in_range = con.execute(
        "select article_id, published_date, body from raw.documents where rowid between ? and ?",
        [batch["row"].min(), batch["row"].max()],
    ).pl()
    # The range may hold documents parsed already (an earlier version's rules matched): keep the batch's.
    return in_range.join(batch.select("article_id"), on="article_id", how="semi").sort("article_id")


def parsed_log(article_ids: pl.Series, parser_version: str) -> pl.DataFrame:
    """Rows of ``meta.parsed_articles``: which article was parsed by which rules, when."""
    return pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}).with_columns(
        parser_version=pl.lit(parser_version), parsed_at=pl.lit(datetime.now(UTC), pl.Datetime("us", "UTC"))
    )


def write_staging(
    con: duckdb.DuckDBPyConnection,
    article_ids: pl.Series,
    valid: dict[str, pl.DataFrame],
    quarantine: pl.DataFrame,
    parser_version: str,
) -> None:
    """Replace these articles' parsed rows (and their books) with the new ones, in one transaction."""
    parsed = parsed_log(article_ids, parser_version)
    tables = [
        *((f"{PARSED}.{table}", frame) for table, frame in valid.items()),
        (f"{META}.quarantine", quarantine),
        (f"{META}.parsed_articles", parsed),
    ]
    with transaction(con):
        con.register("_ids", parsed.select("article_id"))
        for table, frame in tables:
            _run(con, f"delete from {table} where article_id in (select article_id from _ids)")
            con.register("_batch", frame)
            _run(con, f"insert into {table} by name select * from _batch")
            con.unregister("_batch")
        con.unregister("_ids")


def write_reference(
    con: duckdb.DuckDBPyConnection, places: pl.DataFrame, aliases: pl.DataFrame, fingerprint: str
) -> bool:
    """Load the gazetteer when its content fingerprint changed; return whether it was (re)loaded.

    Facts carry the places of the gazetteer they were parsed with, so a new one
    sends every document back to the parser (``meta.parsed_articles`` is
    emptied in the same transaction): the marts never mix two gazetteers.
    """
    if scalar(con, f"select count(*) from {META}.gazetteer_builds where fingerprint = ?", [fingerprint]):
        return False
    with transaction(con):
        for table, frame in (("gazetteer_places", places), ("gazetteer_aliases", aliases)):
            con.register("_frame", frame)
            _run(con, f"create or replace table reference.{table} as select * from _frame")
            con.unregister("_frame")
        _run(con, f"delete from {META}.gazetteer_builds")
        _run(con, f"insert into {META}.gazetteer_builds values (?, now())", [fingerprint])
        _run(con, f"delete from {META}.parsed_articles")
    return True
