"""The Frontline flow: ingest -> parse -> validate -> load -> dbt build -> docs -> report.

The flow only composes stage tasks; each task is a thin wrapper around a
stage module. Tasks work on batches of documents, never one per document.
Retries are only on tasks that touch files or the database.
"""

from __future__ import annotations

import json
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import gazetteer, ingest, load, progress, snapshot, transform
from flows.config import Settings, load_settings, quiet_environment
from flows.locking import WarehouseBusy, warehouse_lock
from flows.parse.extract import STAGING_TABLES, extract, parser_version


def retry_unless_busy(task, task_run, state) -> bool:
    """Retry a failed task unless the warehouse was busy: that wait took the whole lock timeout already."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception:
        return True
    return not isinstance(error, WarehouseBusy)


#: Tasks that touch files or the database retry twice (a passing glitch), but not a busy warehouse.
FILE_RETRIES = {"retries": 2, "retry_delay_seconds": [1, 5], "retry_condition_fn": retry_unless_busy}
#: The parsed frames that hold facts (the others hold sentences and place mentions).
FACT_FRAMES = ("strike_reports", "casualty_reports", "territorial_claims")
MART_TABLES = ("fct_strike_reports", "fct_strikes", "fct_casualty_reports", "fct_casualties", "fct_territorial_claims")


@dataclass
class RunSummary:
    """What a run did, for the command line, the flow's return value and its Prefect artifacts."""

    files_read: int = 0
    files_unchanged: int = 0
    files_rejected: int = 0
    files_missing: int = 0
    #: Files read whose content was already stored (another file, or an earlier version).
    files_duplicate: int = 0
    new_documents: int = 0
    documents_parsed: int = 0
    quarantined_rows: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    docs_path: str | None = None
    #: The snapshot readers now see, when this run published one.
    published: str | None = None
    report_path: str | None = None
    task_runner: str = "threads"
    flow_run_id: str | None = None
    #: Wall seconds per stage: ingest, parse, validate_load, dbt_build, docs, report.
    #: ``parse`` is the time during which at least one parse batch was running
    #: on the task runner's workers; it overlaps ``validate_load`` of earlier batches.
    stage_seconds: dict[str, float] = field(default_factory=dict)
    #: Seconds inside the flow.
    elapsed_seconds: float = 0.0
    #: Seconds since the process started (set by ``frontline run``: start-up included).
    wall_seconds: float | None = None

    @contextmanager
    def timed(self, stage: str):
        """Add the wall time of the block to ``stage_seconds[stage]``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add_time(stage, time.perf_counter() - started)

    def add_time(self, stage: str, seconds: float) -> None:
        self.stage_seconds[stage] = round(self.stage_seconds.get(stage, 0.0) + seconds, 3)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines of the summary, in order."""
        stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in self.stage_seconds.items())
        wall = self.wall_seconds if self.wall_seconds is not None else self.elapsed_seconds
        lines = [
            ("files read", f"{self.files_read}"),
            ("  unchanged", f"{self.files_unchanged} (not read again)"),
            ("  duplicates", f"{self.files_duplicate} (content already stored)"),
            ("  rejected", f"{self.files_rejected}"),
            ("  gone", f"{self.files_missing} (since the last run)"),
            ("new documents", f"{self.new_documents}"),
            ("documents parsed", f"{self.documents_parsed} (task runner: {self.task_runner})"),
            ("quarantined rows", f"{self.quarantined_rows}"),
            *[(name, f"{count}") for name, count in self.facts.items()],
        ]
        if self.docs_path:
            lines.append(("docs", self.docs_path))
        if self.published:
            lines.append(("published", self.published))
        if self.report_path:
            lines.append(("report", self.report_path))
        lines.append(
            ("wall time", f"{wall:.1f} s" + (f" (flow {self.elapsed_seconds:.1f} s: {stages})" if stages else ""))
        )
        return lines

    def as_text(self) -> str:
        width = max(len(label) for label, _ in self.rows()) + 2
        return "\n".join(f"{label:<{width}}{value}" for label, value in self.rows())

    def as_markdown(self) -> str:
        lines = ["# Frontline run", "", "| | |", "| --- | --- |"]
        lines += [f"| {label.strip()} | {value} |" for label, value in self.rows()]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Discovery:
    """What a look at the input folder found, against what the warehouse saw there last."""

    files: list[Path]  # to read: new, or changed since their path's last sighting
    not_files: list[tuple[str, str]]  # entries turned away: (path relative to the folder, why)
    missing: list[str]  # paths seen before that are gone now
    unchanged: int  # files whose path, size and modification time equal their last sighting


@task(**FILE_RETRIES)
def discover_files(input_dir: Path, warehouse: Path, settings: Settings) -> Discovery:
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    files, not_files = ingest.discover(input_dir, settings.allowed_extensions)
    with load.connect(warehouse) as con:
        last_seen = load.last_sightings(con, ingest.input_root(input_dir))
    missing = ingest.missing_paths(files, not_files, input_dir, last_seen)
    if not settings.skip_unchanged_files:
        return Discovery([Path(name) for name in files], not_files, missing, 0)
    changed = ingest.changed_files(files, input_dir, last_seen)
    return Discovery(changed, not_files, missing, len(files) - len(changed))


@task(**FILE_RETRIES, cache_policy=NO_CACHE)
def ingest_slice(
    input_dir: Path,
    files: list[Path],
    not_files: list[tuple[str, str]],
    missing: list[str],
    max_bytes: int,
    warehouse: Path,
) -> load.RawCounts:
    """Read one slice of the input folder and append what is new to the raw tables."""
    result = ingest.ingest_files(input_dir, files, not_files, max_bytes, missing=missing)
    with load.connect(warehouse) as con:
        counts = load.write_raw(con, result)
    logger = get_run_logger()
    for row in result.rejected.iter_rows(named=True):  # one line per rejected file, for the log
        logger.warning("rejected %s: %s", row["source_path"], row["reason"])
    for path in missing:
        logger.info("gone since the last run: %s", path)
    return counts


@task(**FILE_RETRIES)
def load_gazetteer(settings: Settings, warehouse: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    reference = gazetteer.load_reference(settings.reference_dir, gazetteer.REGIONS_CSV)
    if reference.built_because:  # a damaged cache is worth a warning; a first build is not
        log = get_run_logger().info if reference.built_because == gazetteer.NO_CACHE else get_run_logger().warning
        log("gazetteer built: %s", reference.built_because)
    with load.connect(warehouse) as con:
        if load.write_reference(con, reference.places, reference.aliases, reference.fingerprint):
            get_run_logger().info("gazetteer %s loaded: every document is placed anew", reference.fingerprint[:12])
    return reference.places, reference.aliases


@task(**FILE_RETRIES)
def pending_documents(warehouse: Path, version: str) -> pl.DataFrame:
    with load.connect(warehouse) as con:
        return load.pending_rows(con, version)


@task(cache_policy=NO_CACHE)
def share_gazetteer(places: pl.DataFrame, aliases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Identity. As a task result on the runner, the gazetteer (about 13 MB) goes
    to each Dask worker once, instead of travelling with every batch."""
    return places, aliases


@task(cache_policy=NO_CACHE)
def parse_batch(
    documents: pl.DataFrame, gazetteer: tuple[pl.DataFrame, pl.DataFrame]
) -> tuple[dict[str, pl.DataFrame], tuple[float, float]]:
    """Documents -> staging frames, and when parsing started and ended (epoch seconds,
    comparable across worker processes). Pure, so it runs on any worker."""
    places, aliases = gazetteer
    started = time.time()
    plans = extract(documents.lazy(), places.lazy(), aliases.lazy())
    frames = dict(zip(plans, pl.collect_all(list(plans.values())), strict=True))
    return frames, (started, time.time())


@task(**FILE_RETRIES, cache_policy=NO_CACHE)
def store_batch(
    con: duckdb.DuckDBPyConnection, article_ids: pl.Series, frames: dict[str, pl.DataFrame], version: str
) -> int:
    """Validate a parsed batch; load it and its quarantined rows in one transaction."""
    from flows.validate import validate  # pandera takes seconds to import: only when there is work

    valid, quarantine = validate(frames, version)
    load.write_staging(con, article_ids, valid, quarantine, version)
    return quarantine.height


def parse_and_store(
    warehouse: Path,
    pending: pl.DataFrame,
    places: pl.DataFrame,
    aliases: pl.DataFrame,
    settings: Settings,
    summary: RunSummary,
) -> None:
    """Parse the pending documents batch by batch on the flow's task runner and
    store each batch, oldest first, as it comes back.

    The flow process reads each batch from DuckDB (workers never open the
    warehouse) and keeps at most ``parse_window`` batches in flight, so memory
    is bounded by the window, not by the input.
    """
    version = parser_version()
    in_flight: deque = deque()
    parse_spans: list[tuple[float, float]] = []
    gazetteer = share_gazetteer.submit(places, aliases) if pending.height else None
    done = {"articles": 0, "facts": 0}

    def store_oldest(con: duckdb.DuckDBPyConnection) -> None:
        article_ids, future = in_flight.popleft()
        frames, span = future.result()
        parse_spans.append(span)
        with summary.timed("validate_load"):
            store_batch(con, article_ids, frames, version)
        done["articles"] += article_ids.len()
        done["facts"] += sum(frames[table].height for table in FACT_FRAMES if table in frames)
        progress.report(articles=f"{done['articles']}/{pending.height}", facts=done["facts"])

    # One connection for the whole loop, checkpointed once when it closes: a
    # checkpoint per batch (DuckDB's default, at every close) cost more than
    # loading at 100k documents. Each batch still commits on its own.
    with load.connect(warehouse) as con, load.one_checkpoint(con):
        for batch in pending.iter_slices(settings.parse_batch_size):
            with summary.timed("validate_load"):
                documents = load.documents_in_rows(con, batch)
            in_flight.append((batch["article_id"], parse_batch.submit(documents, gazetteer)))
            if len(in_flight) >= settings.parse_window:
                store_oldest(con)
        while in_flight:
            store_oldest(con)
    if parse_spans:
        summary.add_time("parse", covered_seconds(parse_spans))


def covered_seconds(spans: list[tuple[float, float]]) -> float:
    """Wall time during which at least one span was running (batches in flight overlap)."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(spans):
        total += max(0.0, end - max(start, reached))
        reached = max(reached, end)
    return total


@task(**FILE_RETRIES)
def ensure_tables(warehouse: Path, places: pl.DataFrame, aliases: pl.DataFrame, version: str) -> None:
    """Staging tables exist even when nothing was ever parsed (dbt's sources need them)."""
    with load.connect(warehouse) as con:
        if not load.missing_tables(con, "staging", [*STAGING_TABLES, "quarantine", "parsed_articles"]):
            return
    from flows.validate import validate

    empty_docs = pl.DataFrame(schema={"article_id": pl.String, "published_date": pl.Date, "body": pl.String})
    frames, _ = parse_batch.fn(empty_docs, (places, aliases))
    valid, quarantine = validate(frames, version)
    with load.connect(warehouse) as con:
        parsed = load.parsed_log(pl.Series("article_id", [], pl.String), version)
        load.ensure_staging_tables(con, {**valid, "quarantine": quarantine, "parsed_articles": parsed})


@task(**FILE_RETRIES)
def marts_state(project_dir: Path, warehouse: Path, dbt_vars: dict) -> tuple[str, bool]:
    """(state of the inputs, whether the marts were last built from exactly that state)."""
    with load.connect(warehouse) as con:
        fingerprint = transform.project_fingerprint(project_dir) + json.dumps(dbt_vars, sort_keys=True)
        state = load.warehouse_state(con, fingerprint)
        return state, state == load.last_built_state(con)


@task
def dbt_build(project_dir: Path, warehouse: Path, state: str, dbt_vars: dict) -> dict[str, int]:
    counts = transform.build(project_dir, warehouse, dbt_vars)
    with load.connect(warehouse) as con:
        load.record_build(con, state)
    return counts


@task
def dbt_docs(project_dir: Path, warehouse: Path) -> Path:
    return transform.generate_docs(project_dir, warehouse)


@task(**FILE_RETRIES)
def write_report(warehouse: Path) -> Path:
    """The HTML report beside the warehouse (map, timeline, ledgers, run health)."""
    from flows import report

    return report.write_report(warehouse)


@task(**FILE_RETRIES)
def count_facts(warehouse: Path) -> tuple[dict[str, int], int]:
    with load.connect(warehouse, read_only=True) as con:
        facts = {t: load.scalar(con, f"select count(*) from main.{t}") for t in MART_TABLES}
        quarantined = load.scalar(con, "select count(*) from staging.quarantine")
    return facts, quarantined


@task(**FILE_RETRIES)
def publish_snapshot(build: Path, warehouse: Path) -> bool:
    """Swap the finished build in for readers (atomic rename); False when they have it already."""
    return snapshot.publish(build, warehouse)


def publish_artifacts(summary: RunSummary) -> None:
    """The run's summary (markdown) and fact counts (table) as Prefect artifacts, so the
    UI shows each run's report."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_markdown_artifact(
        key="frontline-run-summary", markdown=summary.as_markdown(), description="What this run did"
    )
    create_table_artifact(
        key="frontline-fact-counts",
        table=[{"table": name, "rows": count} for name, count in summary.facts.items()],
        description="Rows per mart after this run",
    )


@flow(name="frontline", log_prints=True)
def frontline_pipeline(
    input_dir: Path | None = None, warehouse: Path | None = None, task_runner: str = "threads"
) -> dict:
    """Ingest ``input_dir`` into ``warehouse``, parse what is new, rebuild the marts and docs.

    ``task_runner`` labels the summary; the runner itself is attached with
    ``with_options`` (``flows.runners.pipeline_with``).
    """
    settings = load_settings()
    input_dir = Path(input_dir or settings.input_dir)
    warehouse = Path(warehouse or settings.warehouse)
    started = time.perf_counter()
    summary = RunSummary(task_runner=task_runner)
    version = parser_version()
    with warehouse_lock(warehouse, settings.lock_timeout_seconds):
        build = snapshot.prepare(warehouse)  # the run writes its own copy; readers read the snapshot
        with summary.timed("ingest"):
            found = discover_files(input_dir, build, settings)
            summary.files_unchanged = summary.files_read = found.unchanged
            summary.files_missing = len(found.missing)
            progress.report("reading files", files=f"0/{len(found.files)}", unchanged=summary.files_unchanged)
            # Slices bound memory on big folders; the first one also records the non-files and the gone.
            step = settings.ingest_batch_size
            for first in range(0, max(len(found.files), 1), step):
                raw = ingest_slice(
                    input_dir,
                    found.files[first : first + step],
                    found.not_files if first == 0 else [],
                    found.missing if first == 0 else [],
                    settings.max_file_bytes,
                    build,
                )
                summary.files_read += raw.files_seen
                summary.files_rejected += raw.rejected
                summary.new_documents += raw.new_documents
                summary.files_duplicate += raw.files_seen - raw.rejected - raw.new_documents
                progress.report(files=f"{min(first + step, len(found.files))}/{len(found.files)}")
            progress.report("loading the gazetteer")
            places, aliases = load_gazetteer(settings, build)
            ensure_tables(build, places, aliases, version)
            pending = pending_documents(build, version)
        progress.report("parsing", articles=f"0/{pending.height}", facts=0)
        parse_and_store(build, pending, places, aliases, settings, summary)
        summary.documents_parsed = pending.height
        dbt_vars = {"keep_facts_of_removed_files": settings.keep_facts_of_removed_files}
        state, up_to_date = marts_state(settings.dbt_project_dir, build, dbt_vars)
        progress.report("dbt build" if not up_to_date else "checking the marts")
        if up_to_date:
            get_run_logger().info("nothing new since the last build: marts and docs are current")
        else:
            with summary.timed("dbt_build"):
                dbt_build(settings.dbt_project_dir, build, state, dbt_vars)
            if settings.generate_docs:
                progress.report("dbt docs generate")
                with summary.timed("docs"):
                    summary.docs_path = str(dbt_docs(settings.dbt_project_dir, build))
        summary.facts, summary.quarantined_rows = count_facts(build)
        if publish_snapshot(build, warehouse):
            summary.published = str(warehouse)
        if not up_to_date and settings.generate_report:
            progress.report("writing the report")
            with summary.timed("report"):  # from the published snapshot, as readers see it
                summary.report_path = str(write_report(warehouse))
    summary.elapsed_seconds = time.perf_counter() - started
    summary.flow_run_id = str(flow_run.id) if flow_run.id else None
    publish_artifacts(summary)
    get_run_logger().info("run summary\n%s", summary.as_text())
    return asdict(summary)


if __name__ == "__main__":
    quiet_environment()
    frontline_pipeline()
