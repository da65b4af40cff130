"""One settings object for every path and tunable (env prefix ``FRONTLINE_``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Telemetry is off in every entry point; the ephemeral Prefect server needs
#: more than its default start-up time on 2-core machines.
QUIET_ENVIRONMENT = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def quiet_environment() -> None:
    """Switch telemetry off for this process and its children."""
    for key, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(key, value)


class Settings(BaseSettings):
    """Paths and tunables; every field can be set as ``FRONTLINE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="FRONTLINE_", env_file=".env", extra="ignore")

    input_dir: Path = REPO_ROOT / "seeds"
    warehouse: Path = REPO_ROOT / "warehouse" / "frontline.duckdb"
    dbt_project_dir: Path = REPO_ROOT / "dbt_project"
    #: Where the gazetteer reference table is cached between runs.
    reference_dir: Path = REPO_ROOT / "warehouse" / "reference"
    #: Files larger than this are rejected rather than read.
    max_file_bytes: int = 5 * 1024 * 1024
    #: Skip files whose path, size and modification time match a version already
    #: ingested (set false to re-read and re-hash everything).
    skip_unchanged_files: bool = True
    #: Files read and loaded per slice of the input folder: bounds memory.
    ingest_batch_size: int = 10_000
    #: Documents parsed per batch: bounds memory on large inputs.
    parse_batch_size: int = 2000
    #: Parse batches in flight at once (on the task runner's workers) while
    #: earlier ones are validated and loaded.
    parse_window: int = 2
    #: How long a run waits for another run on the same warehouse to finish.
    lock_timeout_seconds: float = 60.0
    #: Prefect home of the local server that ``frontline serve`` starts.
    prefect_home: Path = REPO_ROOT / ".prefect"
    #: Generate dbt docs after each build.
    generate_docs: bool = True
    #: Write the HTML report (``frontline report``) beside the warehouse after each build.
    generate_report: bool = True
