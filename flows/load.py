"""DuckDB I/O: raw tables, validated staging tables, quarantine and the gazetteer.

Every write of a batch happens in one transaction: a run killed half-way
leaves the warehouse as it was before that batch. Tables are created from the
frames' own schemas the first time they are written, so polars, pandera,
DuckDB and dbt share one vocabulary of column names.

Layout:
- ``raw.documents`` (one row per distinct content);
- the sightings of input entries, each with its input folder (``input_root``) and
  path relative to it: ``raw.source_files`` (read as an article: content hash,
  size, modification time), ``raw.rejected_files`` (not an article, with the
  reason) and ``raw.missing_files`` (seen before, gone now). A sighting is
  appended when what a path holds differs from its last sighting, so a path's
  last sighting is what it holds now (the rules: README, "A file's story");
- ``staging.<table>`` for each model in ``schemas.staging``, plus
  ``staging.parsed_articles`` (which article was parsed by which rules) and
  ``staging.quarantine`` (rows that failed validation, with the checks);
- ``reference.gazetteer_places`` and ``reference.gazetteer_aliases``.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from flows.ingest import MISSING_SCHEMA, REJECTED_SCHEMA, SOURCE_FILE_SCHEMA, IngestResult


@dataclass(frozen=True)
class RawCounts:
    """What one ingest added to the raw tables."""

    files_seen: int
    new_documents: int
    new_source_files: int
    rejected: int
    new_rejected: int
    missing: int = 0


def connect(warehouse: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection of the run; waits up to the lock timeout for another process that has the file open."""
    from flows.config import Settings
    from flows.locking import open_when_free

    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = open_when_free(
        lambda: duckdb.connect(str(warehouse), read_only=read_only), warehouse, Settings().lock_timeout_seconds
    )
    if not read_only:
        for schema in ("raw", "staging", "reference"):
            _run(con, f"create schema if not exists {schema}")
    return con


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if DuckDB has not already ended it: a failed commit
    (a full disk) ends it, and the error of a second rollback would hide the first one."""
    with contextlib.suppress(duckdb.Error):
        con.rollback()


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> None:
    """Execute a statement and consume its result (DuckDB 2 refuses new work before that)."""
    con.execute(sql, params or []).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The single value a query returns (the result is consumed)."""
    return con.execute(sql, params or []).fetchall()[0][0]


def _ensure_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("_shape", frame.head(0))
    _run(con, f"create table if not exists {table} as select * from _shape")
    con.unregister("_shape")


def _insert_new(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, key: list[str]) -> int:
    """Insert the rows of ``frame`` whose ``key`` is not in ``table`` yet; return how many."""
    _ensure_table(con, table, frame)
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


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the sighting tables, and add the columns that warehouses of earlier versions lack
    (their rows keep a null ``input_root``: which folder they came from was not recorded)."""
    for table, schema in (
        ("raw.source_files", SOURCE_FILE_SCHEMA),
        ("raw.rejected_files", REJECTED_SCHEMA),
        ("raw.missing_files", MISSING_SCHEMA),
    ):
        _ensure_table(con, table, pl.DataFrame(schema=schema))
        _run(con, f"alter table {table} add column if not exists input_root varchar")
    _run(con, "alter table raw.rejected_files add column if not exists modified_at timestamptz")


def last_sightings(con: duckdb.DuckDBPyConnection, root: str | None = None) -> pl.DataFrame:
    """Each path's last sighting (under ``root`` only, when given): what the path holds now."""
    if missing_tables(con, "raw", ["source_files", "rejected_files", "missing_files"]):
        return pl.DataFrame(schema=SIGHTING_COLUMNS)
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
    ensure_raw_tables(con)
    con.begin()
    try:
        last = last_sightings(con)
        new_documents = _insert_new(con, "raw.documents", result.documents, ["content_sha256"])
        same = ["input_root", "source_path", "content_sha256", "size_bytes", "modified_at"]
        new_files = _append(con, "raw.source_files", _unlike(result.source_files, last, "article", same))
        new_rejected = _append(con, "raw.rejected_files", _unlike(result.rejected, last, "rejected", [*same, "reason"]))
        missing = _append(
            con, "raw.missing_files", _unlike(result.missing, last, "missing", ["input_root", "source_path"])
        )
        con.commit()
    except BaseException:
        _rollback(con)
        raise
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
    has_log = scalar(
        con,
        "select count(*) from information_schema.tables "
        "where table_schema = 'staging' and table_name = 'parsed_articles'",
    )
    done = (
        "where article_id not in (select article_id from staging.parsed_articles where parser_version = ?)"
        if has_log
        else ""
    )
    params = [parser_version] if has_log else []
    return con.execute(f"select {columns} from raw.documents {done} order by article_id", params).pl()


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


@contextmanager
def one_checkpoint(con: duckdb.DuckDBPyConnection, wal_limit: str = "2GB") -> Iterator[None]:
    """Let the write-ahead log grow to ``wal_limit`` while the block runs, so that
    DuckDB checkpoints once (when the connection closes) instead of after every
    batch. Committed batches are safe in the log: a crash replays it on next open."""
    _run(con, f"set checkpoint_threshold = '{wal_limit}'")
    try:
        yield
    finally:
        _run(con, "reset checkpoint_threshold")


def parsed_log(article_ids: pl.Series, parser_version: str) -> pl.DataFrame:
    """Rows of ``staging.parsed_articles``: which article was parsed by which rules, when."""
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
    """Replace these articles' staging rows with the new ones, in one transaction."""
    parsed = parsed_log(article_ids, parser_version)
    con.begin()
    try:
        con.register("_ids", parsed.select("article_id"))
        for table, frame in [*valid.items(), ("quarantine", quarantine), ("parsed_articles", parsed)]:
            _ensure_table(con, f"staging.{table}", frame)
            _run(con, f"delete from staging.{table} where article_id in (select article_id from _ids)")
            con.register("_batch", frame)
            _run(con, f"insert into staging.{table} by name select * from _batch")
            con.unregister("_batch")
        con.unregister("_ids")
        con.commit()
    except BaseException:
        _rollback(con)
        raise


def write_reference(
    con: duckdb.DuckDBPyConnection, places: pl.DataFrame, aliases: pl.DataFrame, fingerprint: str
) -> bool:
    """Load the gazetteer when its content fingerprint changed; return whether it was (re)loaded.

    Facts carry the places of the gazetteer they were parsed with, so a new one
    sends every document back to the parser (``staging.parsed_articles`` is
    emptied in the same transaction): the marts never mix two gazetteers.
    """
    _run(con, "create table if not exists reference.gazetteer_builds (fingerprint varchar, loaded_at timestamptz)")
    if scalar(con, "select count(*) from reference.gazetteer_builds where fingerprint = ?", [fingerprint]):
        return False
    con.begin()
    try:
        for table, frame in (("gazetteer_places", places), ("gazetteer_aliases", aliases)):
            con.register("_frame", frame)
            _run(con, f"create or replace table reference.{table} as select * from _frame")
            con.unregister("_frame")
        _run(con, "delete from reference.gazetteer_builds")
        _run(con, "insert into reference.gazetteer_builds values (?, now())", [fingerprint])
        if not missing_tables(con, "staging", ["parsed_articles"]):
            _run(con, "delete from staging.parsed_articles")
        con.commit()
    except BaseException:
        _rollback(con)
        raise
    return True


def missing_tables(con: duckdb.DuckDBPyConnection, schema: str, tables: list[str]) -> list[str]:
    """Which of ``tables`` do not exist in ``schema`` yet."""
    existing = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        ).fetchall()
    }
    return [t for t in tables if t not in existing]


def ensure_staging_tables(con: duckdb.DuckDBPyConnection, empty_frames: dict[str, pl.DataFrame]) -> None:
    """Create every staging table (dbt's sources must exist even before the first parse)."""
    for table, frame in empty_frames.items():
        _ensure_table(con, f"staging.{table}", frame)


def warehouse_state(con: duckdb.DuckDBPyConnection, project_fingerprint: str) -> str:
    """A fingerprint of everything the marts are built from: when it equals the one
    recorded after the last successful dbt build, the marts are current."""
    parts = [project_fingerprint]
    for table, stamp in (
        ("raw.documents", "ingested_at"),
        ("raw.source_files", "ingested_at"),
        ("raw.rejected_files", "rejected_at"),
        ("raw.missing_files", "missing_at"),
        ("staging.parsed_articles", "parsed_at"),
        ("staging.quarantine", "quarantined_at"),
    ):
        parts.append(str(con.execute(f"select count(*), max({stamp}) from {table}").fetchall()[0]))
    parts.append(
        str(
            con.execute(
                "select list(distinct parser_version order by parser_version) from staging.parsed_articles"
            ).fetchall()[0]
        )
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def last_built_state(con: duckdb.DuckDBPyConnection) -> str | None:
    _run(con, "create table if not exists staging.build_log (state varchar, built_at timestamptz)")
    rows = con.execute("select state from staging.build_log order by built_at desc limit 1").fetchall()
    return rows[0][0] if rows else None


def record_build(con: duckdb.DuckDBPyConnection, state: str) -> None:
    _run(con, "create table if not exists staging.build_log (state varchar, built_at timestamptz)")
    _run(con, "insert into staging.build_log values (?, now())", [state])
