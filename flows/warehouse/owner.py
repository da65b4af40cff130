"""``Warehouse``: the lock, the connection, transactions and bookkeeping of one DuckDB file.

A run opens it once (``Warehouse.for_run``): that takes the warehouse lock, makes
the build copy (see ``snapshot``) and opens one connection to it, which every
task of the run uses (tasks run in the flow's process; only parsing goes to
other workers, and it never touches the warehouse). dbt opens the file itself,
so the connection is let go while dbt runs (``released``).

Tables are created from the pandera models (``schemas.ddl``) the first time
the file is opened; pandera is imported only then.

Bookkeeping (schema ``meta``): ``parsed_articles`` (which article was parsed by
which rules), ``quarantine`` (rows that failed validation), ``build_log`` (the
state each dbt build was made from) and ``gazetteer_builds`` (the gazetteer loaded).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from flows.runtime.locking import open_when_free, wait_until_unlocked, warehouse_lock
from flows.warehouse import snapshot
from schemas.ddl import META, PARSED, RAW, REFERENCE

#: Tables the run creates, by schema: the ``schemas`` models they come from are looked up in ``_models``.
RAW_TABLES = ("documents", "source_files", "rejected_files", "missing_files")
PARSED_TABLES = ("sentences", "place_mentions", "strike_reports", "casualty_reports", "territorial_claims")
META_TABLES = ("parsed_articles", "quarantine", "build_log", "gazetteer_builds")


def _models() -> dict[str, dict[str, type]]:
    """Schema -> table -> pandera model (imports pandera: only when a table is missing)."""
    from schemas import raw
    from schemas.meta import META_MODELS
    from schemas.staging import STAGING_MODELS

    raw_models = {
        "documents": raw.Documents,
        "source_files": raw.SourceFiles,
        "rejected_files": raw.RejectedFiles,
        "missing_files": raw.MissingFiles,
    }
    return {RAW: raw_models, PARSED: STAGING_MODELS, META: META_MODELS}


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> None:
    """Execute a statement and consume its result (DuckDB 2 refuses new work before that)."""
    con.execute(sql, params or []).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The single value a query returns (the result is consumed)."""
    return con.execute(sql, params or []).fetchall()[0][0]


def missing_tables(con: duckdb.DuckDBPyConnection, schema: str, tables: list[str] | tuple[str, ...]) -> list[str]:
    """Which of ``tables`` do not exist in ``schema`` yet."""
    rows = con.execute("select table_name from information_schema.tables where table_schema = ?", [schema])
    existing = {row[0] for row in rows.fetchall()}
    return [t for t in tables if t not in existing]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Commit the block's writes together, or none of them."""
    con.begin()
    try:
        yield con
        con.commit()
    except BaseException:
        # A failed commit (a full disk) ends the transaction itself, and the error of
        # a second rollback would hide the first one.
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas, and every raw, parsed and meta table from its pandera model
    (dbt's sources must exist even before anything was parsed)."""
    for schema in (RAW, PARSED, META, REFERENCE):
        run_sql(con, f"create schema if not exists {schema}")
    wanted = {RAW: RAW_TABLES, PARSED: PARSED_TABLES, META: META_TABLES}
    missing = {schema: missing_tables(con, schema, tables) for schema, tables in wanted.items()}
    if any(missing.values()):
        from schemas.ddl import create_table

        models = _models()
        for schema, tables in missing.items():
            for table in tables:
                run_sql(con, create_table(f"{schema}.{table}", models[schema][table]))
    # Warehouses of earlier versions lack these columns; their rows keep nulls
    # (which input folder they came from was not recorded).
    for table in ("source_files", "rejected_files", "missing_files"):
        run_sql(con, f"alter table raw.{table} add column if not exists input_root varchar")
    run_sql(con, "alter table raw.rejected_files add column if not exists modified_at timestamptz")


class Warehouse:
    """One DuckDB file, written through one connection at a time.

    ``Warehouse(path)`` writes ``path`` itself (tests, tools); a run uses
    ``Warehouse.for_run(published)``, which writes the build copy and publishes it.
    """

    def __init__(self, path: Path, lock_timeout_seconds: float = 60.0, published: Path | None = None) -> None:
        self.path = Path(path)
        self.lock_timeout_seconds = lock_timeout_seconds
        #: The snapshot readers open, when ``path`` is its build copy.
        self.published = published
        self._con: duckdb.DuckDBPyConnection | None = None

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r})"

    @classmethod
    @contextmanager
    def for_run(cls, published: Path, lock_timeout_seconds: float) -> Iterator[Warehouse]:
        """Take the warehouse lock (waiting up to the timeout), then open its build copy;
        on leaving, close it and let the lock go. A second run meets the lock at once."""
        published = Path(published)
        with warehouse_lock(published, lock_timeout_seconds):
            warehouse = cls(snapshot.prepare(published), lock_timeout_seconds, published)
            try:
                _ = warehouse.con  # opened now: waits for, or names, a process that has the file open
                yield warehouse
            finally:
                warehouse.close()

    @staticmethod
    def wait_until_free(published: Path, lock_timeout_seconds: float) -> None:
        """Return once no run holds the warehouse and no process has its build copy open
        (``WarehouseBusy`` or ``FileHeld`` after the timeout). A check before a run starts
        Prefect, so that a busy warehouse is one line at once; it holds nothing after."""
        published = Path(published)
        wait_until_unlocked(published, lock_timeout_seconds)
        build = snapshot.build_path(published)
        if build.exists():
            open_when_free(lambda: duckdb.connect(str(build)).close(), build, lock_timeout_seconds)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection, opened (and the tables created) on first use; waits up to the lock
        timeout for another process that has the file open."""
        if self._con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = open_when_free(lambda: duckdb.connect(str(self.path)), self.path, self.lock_timeout_seconds)
            try:
                ensure_tables(con)
            except BaseException:
                con.close()
                raise
            self._con = con
        return self._con

    def close(self) -> None:
        """Close the connection (DuckDB checkpoints the log into the file)."""
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with transaction(self.con) as con:
            yield con

    @contextmanager
    def released(self) -> Iterator[Path]:
        """Close the connection for the block, for another opener of the file (dbt);
        yields the file's path. The next use opens it again."""
        self.close()
        yield self.path

    @contextmanager
    def one_checkpoint(self, wal_limit: str = "2GB") -> Iterator[None]:
        """Let the write-ahead log grow to ``wal_limit`` while the block runs, so that DuckDB
        checkpoints once instead of after every batch (a checkpoint per batch cost more than
        loading at 100k documents). Committed batches are safe in the log: a crash replays it."""
        run_sql(self.con, f"set checkpoint_threshold = '{wal_limit}'")
        try:
            yield
        finally:
            run_sql(self.con, "reset checkpoint_threshold")

    def scalar(self, sql: str, params: list | None = None):
        return scalar(self.con, sql, params)

    # Bookkeeping: the dbt builds.

    def state(self, project_fingerprint: str) -> str:
        """A fingerprint of everything the marts are built from: when it equals the one
        recorded after the last successful dbt build, the marts are current."""
        parts = [project_fingerprint]
        for table, stamp in (
            ("raw.documents", "ingested_at"),
            ("raw.source_files", "ingested_at"),
            ("raw.rejected_files", "rejected_at"),
            ("raw.missing_files", "missing_at"),
            (f"{META}.parsed_articles", "parsed_at"),
            (f"{META}.quarantine", "quarantined_at"),
        ):
            parts.append(str(self.con.execute(f"select count(*), max({stamp}) from {table}").fetchall()[0]))
        versions = f"select list(distinct parser_version order by parser_version) from {META}.parsed_articles"
        parts.append(str(self.con.execute(versions).fetchall()[0]))
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def last_build(self) -> tuple | None:
        """(state, built_at) of the last successful dbt build, if any."""
        rows = self.con.execute(f"select state, built_at from {META}.build_log order by built_at desc limit 1")
        found = rows.fetchall()
        return found[0] if found else None

    def last_built_state(self) -> str | None:
        last = self.last_build()
        return last[0] if last else None

    def record_build(self, state: str) -> None:
        run_sql(self.con, f"insert into {META}.build_log values (?, now())", [state])

    def publish(self) -> bool:
        """Swap the build copy in for readers (atomic rename), unless they have its last
        build already; return whether it was published."""
        if self.published is None:
            raise ValueError(f"{self.path} is not a build copy: nothing to publish")
        last = self.last_build()
        if snapshot.is_current(last, self.published):
            return False
        run_sql(self.con, "checkpoint")  # everything into the file: the snapshot has no log
        self.close()
        snapshot.publish(self.path, self.published)
        return True
