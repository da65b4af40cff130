"""One settings object for every path and tunable (env prefix ``FRONTLINE_``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
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
    max_file_bytes: int = Field(5 * 1024 * 1024, gt=0)
    #: Extensions of the files read as articles, comma-separated, matched without
    #: regard to case (``.txt,.md``); every other file is rejected as "not a .txt file".
    file_extensions: str = ".txt"
    #: Keep the facts of a path whose file was deleted, emptied or turned into
    #: something that is not an article (default: they leave the marts).
    keep_facts_of_removed_files: bool = False
    #: Skip files whose path, size and modification time match a version already
    #: ingested (set false to re-read and re-hash everything).
    skip_unchanged_files: bool = True
    #: Files read and loaded per slice of the input folder: bounds memory.
    ingest_batch_size: int = Field(10_000, gt=0)
    #: Documents parsed per batch: bounds memory on large inputs. Each batch also pays a
    #: fixed cost (polars keeps 32 compiled regexes per thread, the parse uses over 130):
    #: 5,000 parsed 10,000 articles in 3.1 s against 5.1 s for 2,000, for 100 MB more memory.
    parse_batch_size: int = Field(5000, gt=0)
    #: Parse batches in flight at once (on the task runner's workers) while
    #: earlier ones are validated and loaded.
    parse_window: int = Field(2, gt=0)
    #: How long a run waits for another run on the same warehouse to finish.
    lock_timeout_seconds: float = Field(60.0, ge=0)
    #: Prefect home of the local server that ``frontline serve`` starts.
    prefect_home: Path = REPO_ROOT / ".prefect"
    #: Generate dbt docs after each build.
    generate_docs: bool = True
    #: Write the HTML report (``frontline report``) beside the warehouse after each build.
    generate_report: bool = True

    @field_validator("file_extensions")
    @classmethod
    def _extension_list(cls, value: str) -> str:
        extensions = [part.strip() for part in value.split(",") if part.strip()]
        if not extensions:
            raise ValueError("list at least one extension, e.g. .txt")
        return ",".join(e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions)

    @property
    def allowed_extensions(self) -> tuple[str, ...]:
        """The article extensions, lower case, each with its dot."""
        return tuple(self.file_extensions.split(","))


class SettingsError(ValueError):
    """A ``FRONTLINE_*`` setting has a value it cannot take."""


def load_settings() -> Settings:
    """The settings, or one ``SettingsError`` line naming each bad variable and why."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"FRONTLINE_{'_'.join(map(str, problem['loc'])).upper()}={problem.get('input')!r}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise SettingsError("bad setting " + "; ".join(problems)) from None
