"""The Frontline flow: ingest -> parse -> validate -> load -> transform (dbt) -> report.

The flow body only names the stages; each stage is a few task calls, and each
task is a thin wrapper around a stage module. Tasks work on batches of
documents, never one per document, and receive the run's ``Warehouse`` (one
lock, one connection), never a connection of their own. Settings come in as a
parameter (the CLI, or the deployment, builds them once).
"""

# No ``from __future__ import annotations``: Prefect validates the flow's parameters
# (a ``Settings`` among them) from its annotations, which must be real classes when a
# served deployment loads this module from its file.
import json
import time
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import gazetteer, ingest, load, progress, transform
from flows.config import Settings, load_settings
from flows.parse.extract import parse, parser_version
from flows.runtime.retries import io_task
from flows.summary import RunSummary, covered_seconds, publish_artifacts
from flows.warehouse import Warehouse
from schemas.ddl import META

#: The parsed frames that hold facts (the others hold sentences and place mentions).
FACT_FRAMES = ("strike_reports", "casualty_reports", "territorial_claims")
MART_TABLES = ("fct_strike_reports", "fct_strikes", "fct_casualty_reports", "fct_casualties", "fct_territorial_claims")


@flow(name="frontline", log_prints=True)
def frontline_pipeline(
    input_dir: Path | None = None,
    warehouse: Path | None = None,
    settings: Settings | None = None,
    task_runner: str = "threads",
) -> dict:
    """Ingest ``input_dir`` into ``warehouse``, parse what is new, rebuild the marts, docs and report.

    ``settings`` default to the environment's (for direct calls: tests, scripts).
    ``task_runner`` labels the summary; the runner itself is attached with
    ``with_options`` (``flows.runtime.runners.pipeline_with``).
    """
    settings = settings or load_settings()
    summary = RunSummary(task_runner=task_runner)
    published = Path(warehouse or settings.warehouse)
    with summary.timed("total"), Warehouse.for_run(published, settings.lock_timeout_seconds) as house:
        ingest_folder(Path(input_dir or settings.input_dir), house, settings, summary)
        places, aliases = load_reference_data(house, settings, summary)
        parse_validate_load(house, places, aliases, settings, summary)
        built = transform_marts(house, settings, summary)
        publish_and_report(house, built, settings, summary)
    return finish(summary)


# Ingest: what is new in the input folder goes to the raw tables.


@dataclass(frozen=True)
class Discovery:
    """What a look at the input folder found, against what the warehouse saw there last."""

    files: list[Path]  # to read: new, or changed since their path's last sighting
    not_files: list[tuple[str, str]]  # entries turned away: (path relative to the folder, why)
    missing: list[str]  # paths seen before that are gone now
    unchanged: int  # files whose path, size and modification time equal their last sighting


@io_task
def discover_files(input_dir: Path, warehouse: Warehouse, settings: Settings) -> Discovery:
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    files, not_files = ingest.discover(input_dir, settings.allowed_extensions)
    last_seen = load.last_sightings(warehouse.con, ingest.input_root(input_dir))
    missing = ingest.missing_paths(files, not_files, input_dir, last_seen)
    if not settings.skip_unchanged_files:
        return Discovery([Path(name) for name in files], not_files, missing, 0)
    changed = ingest.changed_files(files, input_dir, last_seen)
    return Discovery(changed, not_files, missing, len(files) - len(changed))


@io_task
def ingest_slice(
    input_dir: Path,
    files: list[Path],
    not_files: list[tuple[str, str]],
    missing: list[str],
    max_bytes: int,
    warehouse: Warehouse,
) -> load.RawCounts:
    """Read one slice of the input folder and append what is new to the raw tables."""
    result = ingest.ingest_files(input_dir, files, not_files, max_bytes, missing=missing)
    counts = load.write_raw(warehouse.con, result)
    logger = get_run_logger()
    for row in result.rejected.iter_rows(named=True):  # one line per rejected file, for the log
        logger.warning("rejected %s: %s", row["source_path"], row["reason"])
    for path in missing:
        logger.info("gone since the last run: %s", path)
    return counts


def ingest_folder(input_dir: Path, warehouse: Warehouse, settings: Settings, summary: RunSummary) -> None:
    """Read the new and changed files of ``input_dir`` slice by slice (slices bound memory
    on big folders); the first slice also records the non-files and the gone."""
    with summary.timed("ingest"):
        found = discover_files(input_dir, warehouse, settings)
        summary.files_unchanged = summary.files_read = found.unchanged
        summary.files_missing = len(found.missing)
        progress.report("reading files", files=f"0/{len(found.files)}", unchanged=summary.files_unchanged)
        step = settings.ingest_batch_size
        for first in range(0, max(len(found.files), 1), step):
            whole_folder = (found.not_files, found.missing) if first == 0 else ([], [])
            files = found.files[first : first + step]
            summary.add_raw(ingest_slice(input_dir, files, *whole_folder, settings.max_file_bytes, warehouse))
            progress.report(files=f"{min(first + step, len(found.files))}/{len(found.files)}")


@io_task
def load_gazetteer(settings: Settings, warehouse: Warehouse) -> tuple[pl.DataFrame, pl.DataFrame]:
    progress.report("loading the gazetteer")
    reference = gazetteer.load_reference(settings.reference_dir, gazetteer.REGIONS_CSV)
    if reference.built_because:  # a damaged cache is worth a warning; a first build is not
        log = get_run_logger().info if reference.built_because == gazetteer.NO_CACHE else get_run_logger().warning
        log("gazetteer built: %s", reference.built_because)
    if load.write_reference(warehouse.con, reference.places, reference.aliases, reference.fingerprint):
        get_run_logger().info("gazetteer %s loaded: every document is placed anew", reference.fingerprint[:12])
    return reference.places, reference.aliases


def load_reference_data(
    warehouse: Warehouse, settings: Settings, summary: RunSummary
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The gazetteer, loaded into the warehouse when it changed (counted as ingest time)."""
    with summary.timed("ingest"):
        return load_gazetteer(settings, warehouse)


# Parse, validate, load: batches of pending documents, parsed on the task runner.


@io_task
def pending_documents(warehouse: Warehouse, version: str) -> pl.DataFrame:
    return load.pending_rows(warehouse.con, version)


@task(cache_policy=NO_CACHE)
def share_gazetteer(places: pl.DataFrame, aliases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Identity. As a task result on the runner, the gazetteer (about 13 MB) goes
    to each Dask worker once, instead of travelling with every batch."""
    return places, aliases


@task(cache_policy=NO_CACHE)
def parse_batch(
    documents: pl.DataFrame, gazetteer: tuple[pl.DataFrame, pl.DataFrame]
) -> tuple[dict[str, pl.DataFrame], tuple[float, float]]:
    """Documents -> parsed frames, and when parsing started and ended (epoch seconds,
    comparable across worker processes). Pure, so it runs on any worker."""
    places, aliases = gazetteer
    started = time.time()
    frames = parse(documents, places, aliases)
    return frames, (started, time.time())


@io_task
def store_batch(warehouse: Warehouse, article_ids: pl.Series, frames: dict[str, pl.DataFrame], version: str) -> int:
    """Validate a parsed batch; load it and its quarantined rows in one transaction."""
    from flows.validate import validate  # pandera takes seconds to import: only when there is work

    valid, quarantine = validate(frames, version)
    load.write_staging(warehouse.con, article_ids, valid, quarantine, version)
    return quarantine.height


def parse_validate_load(
    warehouse: Warehouse, places: pl.DataFrame, aliases: pl.DataFrame, settings: Settings, summary: RunSummary
) -> None:
    """Parse the pending documents batch by batch on the flow's task runner and
    store each batch, oldest first, as it comes back.

    The flow process reads each batch from DuckDB (workers never open the
    warehouse) and keeps at most ``parse_window`` batches in flight, so memory
    is bounded by the window, not by the input.
    """
    version = parser_version()
    with summary.timed("ingest"):
        pending = pending_documents(warehouse, version)
    progress.report("parsing", articles=f"0/{pending.height}", facts=0)
    in_flight: deque = deque()
    parse_spans: list[tuple[float, float]] = []
    gazetteer = share_gazetteer.submit(places, aliases) if pending.height else None
    done = {"articles": 0, "facts": 0}

    def store_oldest() -> None:
        article_ids, future = in_flight.popleft()
        frames, span = future.result()
        parse_spans.append(span)
        with summary.timed("validate_load"):
            store_batch(warehouse, article_ids, frames, version)
        done["articles"] += article_ids.len()
        done["facts"] += sum(frames[table].height for table in FACT_FRAMES if table in frames)
        progress.report(articles=f"{done['articles']}/{pending.height}", facts=done["facts"])

    with warehouse.one_checkpoint():  # each batch still commits on its own
        for batch in pending.iter_slices(settings.parse_batch_size):
            with summary.timed("validate_load"):
                documents = load.documents_in_rows(warehouse.con, batch)
            in_flight.append((batch["article_id"], parse_batch.submit(documents, gazetteer)))
            if len(in_flight) >= settings.parse_window:
                store_oldest()
        while in_flight:
            store_oldest()
    if parse_spans:
        summary.add_time("parse", covered_seconds(parse_spans))
    summary.documents_parsed = pending.height


# Transform: dbt build and docs, unless the marts are current.


@io_task
def marts_state(warehouse: Warehouse, project_dir: Path, dbt_vars: dict) -> tuple[str, bool]:
    """(state of the inputs, whether the marts were last built from exactly that state)."""
    state = warehouse.state(transform.project_fingerprint(project_dir) + json.dumps(dbt_vars, sort_keys=True))
    return state, state == warehouse.last_built_state()


@task(cache_policy=NO_CACHE)
def dbt_build(warehouse: Warehouse, project_dir: Path, state: str, dbt_vars: dict) -> dict[str, int]:
    with warehouse.released() as path:  # dbt opens the file itself
        counts = transform.build(project_dir, path, dbt_vars, warehouse.lock_timeout_seconds)
    warehouse.record_build(state)
    return counts


@task(cache_policy=NO_CACHE)
def dbt_docs(warehouse: Warehouse, project_dir: Path) -> Path:
    with warehouse.released() as path:
        return transform.generate_docs(project_dir, path, warehouse.lock_timeout_seconds)


def transform_marts(warehouse: Warehouse, settings: Settings, summary: RunSummary) -> bool:
    """Build the marts (and docs) when their inputs changed; return whether they were built."""
    dbt_vars = {"keep_facts_of_removed_files": settings.keep_facts_of_removed_files}
    state, up_to_date = marts_state(warehouse, settings.dbt_project_dir, dbt_vars)
    if up_to_date:
        progress.report("checking the marts")
        get_run_logger().info("nothing new since the last build: marts and docs are current")
        return False
    progress.report("dbt build")
    with summary.timed("dbt_build"):
        dbt_build(warehouse, settings.dbt_project_dir, state, dbt_vars)
    if settings.generate_docs:
        progress.report("dbt docs generate")
        with summary.timed("docs"):
            summary.docs_path = str(dbt_docs(warehouse, settings.dbt_project_dir))
    return True


# Publish and report.


@io_task
def count_facts(warehouse: Warehouse) -> tuple[dict[str, int], int]:
    facts = {t: warehouse.scalar(f"select count(*) from main.{t}") for t in MART_TABLES}
    return facts, warehouse.scalar(f"select count(*) from {META}.quarantine")


@io_task
def publish_snapshot(warehouse: Warehouse) -> bool:
    """Swap the finished build in for readers (atomic rename); False when they have it already."""
    return warehouse.publish()


@io_task
def write_report(published: Path) -> Path:
    """The HTML report beside the warehouse (map, timeline, ledgers, run health)."""
    from flows import report

    return report.write_report(published)


def publish_and_report(warehouse: Warehouse, built: bool, settings: Settings, summary: RunSummary) -> None:
    summary.facts, summary.quarantined_rows = count_facts(warehouse)
    if publish_snapshot(warehouse):
        summary.published = str(warehouse.published)
    if built and settings.generate_report:
        progress.report("writing the report")
        with summary.timed("report"):  # from the published snapshot, as readers see it
            summary.report_path = str(write_report(warehouse.published))


def finish(summary: RunSummary) -> dict:
    """Log and publish the summary as Prefect artifacts; the flow's return value."""
    summary.elapsed_seconds = summary.stage_seconds.pop("total")
    summary.flow_run_id = str(flow_run.id) if flow_run.id else None
    publish_artifacts(summary)
    get_run_logger().info("run summary\n%s", summary.as_text())
    return asdict(summary)


if __name__ == "__main__":
    from flows.config import quiet_environment

    quiet_environment()
    frontline_pipeline()
