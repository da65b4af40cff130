"""The Frontline flow: ingest -> parse -> validate -> load -> dbt build -> docs.

The flow only composes stage tasks; each task is a thin wrapper around a
stage module. Tasks work on batches of documents, never one per document.
Retries are only on tasks that touch files or the database.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task

from flows import gazetteer, ingest, load, transform
from flows.config import Settings, quiet_environment
from flows.locking import warehouse_lock
from flows.parse.extract import extract, parser_version

REGIONS_CSV = "seeds/regions.csv"
MART_TABLES = ("fct_strike_reports", "fct_strikes", "fct_casualty_reports", "fct_casualties", "fct_territorial_claims")


@dataclass
class RunSummary:
    """What a run did, for the command line and the flow's return value."""

    files_read: int = 0
    files_rejected: int = 0
    new_documents: int = 0
    documents_parsed: int = 0
    quarantined_rows: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    docs_path: str | None = None
    elapsed_seconds: float = 0.0

    def as_text(self) -> str:
        lines = [
            f"files read        {self.files_read} ({self.files_rejected} rejected, {self.new_documents} new documents)",
            f"documents parsed  {self.documents_parsed}",
            f"quarantined rows  {self.quarantined_rows}",
            *[f"{name:<17} {count}" for name, count in self.facts.items()],
        ]
        if self.docs_path:
            lines.append(f"docs              {self.docs_path}")
        lines.append(f"elapsed           {self.elapsed_seconds:.1f} s")
        return "\n".join(lines)


@task(retries=2, retry_delay_seconds=[1, 5])
def ingest_files(input_dir: Path, max_bytes: int) -> ingest.IngestResult:
    return ingest.ingest(input_dir, max_bytes)


@task(retries=2, retry_delay_seconds=[1, 5])
def load_raw(warehouse: Path, result: ingest.IngestResult) -> load.RawCounts:
    with load.connect(warehouse) as con:
        counts = load.write_raw(con, result)
    logger = get_run_logger()
    for row in result.rejected.iter_rows(named=True):  # one line per rejected file, for the log
        logger.warning("rejected %s: %s", row["source_path"], row["reason"])
    return counts


@task(retries=2, retry_delay_seconds=[1, 5])
def load_gazetteer(settings: Settings, warehouse: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    regions = settings.dbt_project_dir / REGIONS_CSV
    places, aliases = gazetteer.load_or_build(settings.reference_dir, regions)
    with load.connect(warehouse) as con:
        load.write_reference(con, places, aliases, gazetteer.source_fingerprint(regions))
    return places, aliases


@task(retries=2, retry_delay_seconds=[1, 5])
def pending_documents(warehouse: Path, version: str) -> pl.DataFrame:
    with load.connect(warehouse) as con:
        return load.documents_to_parse(con, version)


@task
def parse_batch(documents: pl.DataFrame, places: pl.DataFrame, aliases: pl.DataFrame) -> dict[str, pl.DataFrame]:
    plans = extract(documents.lazy(), places.lazy(), aliases.lazy())
    return dict(zip(plans, pl.collect_all(list(plans.values())), strict=True))


@task
def validate_batch(frames: dict[str, pl.DataFrame], version: str) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    return load.validate(frames, version)


@task(retries=2, retry_delay_seconds=[1, 5])
def load_batch(warehouse: Path, article_ids: pl.Series, valid: dict, quarantine: pl.DataFrame, version: str) -> None:
    with load.connect(warehouse) as con:
        load.write_staging(con, article_ids, valid, quarantine, version)


@task(retries=2, retry_delay_seconds=[1, 5])
def ensure_tables(warehouse: Path, places: pl.DataFrame, aliases: pl.DataFrame, version: str) -> None:
    """Staging tables exist even when nothing was ever parsed (dbt's sources need them)."""
    empty_docs = pl.DataFrame(schema={"article_id": pl.String, "published_date": pl.Date, "body": pl.String})
    frames = parse_batch.fn(empty_docs, places, aliases)
    valid, quarantine = load.validate(frames, version)
    with load.connect(warehouse) as con:
        load.ensure_staging_tables(con, {**valid, "quarantine": quarantine})


@task(retries=2, retry_delay_seconds=[1, 5])
def marts_state(project_dir: Path, warehouse: Path) -> tuple[str, bool]:
    """(state of the inputs, whether the marts were last built from exactly that state)."""
    with load.connect(warehouse) as con:
        state = load.warehouse_state(con, transform.project_fingerprint(project_dir))
        return state, state == load.last_built_state(con)


@task
def dbt_build(project_dir: Path, warehouse: Path, state: str) -> dict[str, int]:
    counts = transform.build(project_dir, warehouse)
    with load.connect(warehouse) as con:
        load.record_build(con, state)
    return counts


@task
def dbt_docs(project_dir: Path, warehouse: Path) -> Path:
    return transform.generate_docs(project_dir, warehouse)


@task(retries=2, retry_delay_seconds=[1, 5])
def count_facts(warehouse: Path) -> tuple[dict[str, int], int]:
    with load.connect(warehouse, read_only=True) as con:
        facts = {t: load.scalar(con, f"select count(*) from main.{t}") for t in MART_TABLES}
        quarantined = load.scalar(con, "select count(*) from staging.quarantine")
    return facts, quarantined


@flow(name="frontline", log_prints=True)
def frontline_pipeline(input_dir: Path | None = None, warehouse: Path | None = None) -> dict:
    """Ingest ``input_dir`` into ``warehouse``, parse what is new, rebuild the marts and docs."""
    settings = Settings()
    input_dir = Path(input_dir or settings.input_dir)
    warehouse = Path(warehouse or settings.warehouse)
    started = time.perf_counter()
    summary = RunSummary()
    version = parser_version()
    with warehouse_lock(warehouse, settings.lock_timeout_seconds):
        result = ingest_files(input_dir, settings.max_file_bytes)
        raw = load_raw(warehouse, result)
        summary.files_read, summary.files_rejected, summary.new_documents = (
            raw.files_seen,
            raw.rejected,
            raw.new_documents,
        )
        places, aliases = load_gazetteer(settings, warehouse)
        ensure_tables(warehouse, places, aliases, version)
        pending = pending_documents(warehouse, version)
        for batch in pending.iter_slices(settings.parse_batch_size):
            frames = parse_batch(batch, places, aliases)
            valid, quarantine = validate_batch(frames, version)
            load_batch(warehouse, batch["article_id"], valid, quarantine, version)
        summary.documents_parsed = pending.height
        state, up_to_date = marts_state(settings.dbt_project_dir, warehouse)
        if up_to_date:
            get_run_logger().info("nothing new since the last build: marts and docs are current")
        else:
            dbt_build(settings.dbt_project_dir, warehouse, state)
            if settings.generate_docs:
                summary.docs_path = str(dbt_docs(settings.dbt_project_dir, warehouse))
        summary.facts, summary.quarantined_rows = count_facts(warehouse)
    summary.elapsed_seconds = time.perf_counter() - started
    print(summary.as_text())
    return asdict(summary)


if __name__ == "__main__":
    quiet_environment()
    frontline_pipeline()
