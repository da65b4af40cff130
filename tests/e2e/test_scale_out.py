"""Batching and scale-out change nothing: small slices and batches, and parse
batches on a Dask cluster, give the same warehouse as one default run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from flows.config import QUIET_ENVIRONMENT, REPO_ROOT
from flows.pipeline import frontline_pipeline
from tests.conftest import SHARED, needs_shared, table_rows

GOLD_ARTICLES = SHARED / "gold" / "articles"
#: Who parsed a row differs by design between runs; everything else must be equal.
SCHEMAS = ("main", "parsed", "meta")


@pytest.fixture(scope="module")
def default_run(gold_warehouse):
    """The rows of one default run on the gold articles (the session's shared build)."""
    return table_rows(gold_warehouse, SCHEMAS)


@needs_shared
@pytest.mark.e2e
def test_small_slices_and_batches_give_the_same_warehouse(default_run, tmp_path, monkeypatch):
    # Slices of 3 files; parse batches of 2 documents, 3 of them in flight at once.
    monkeypatch.setenv("FRONTLINE_INGEST_BATCH_SIZE", "3")
    monkeypatch.setenv("FRONTLINE_PARSE_BATCH_SIZE", "2")
    monkeypatch.setenv("FRONTLINE_PARSE_WINDOW", "3")
    warehouse = tmp_path / "batched.duckdb"
    summary = frontline_pipeline(input_dir=GOLD_ARTICLES, warehouse=warehouse)
    assert summary["documents_parsed"] > 2 * 3  # more batches than the window
    assert table_rows(warehouse, SCHEMAS) == default_run


@needs_shared
@pytest.mark.e2e
def test_dask_task_runner_gives_the_same_facts(default_run, tmp_path):
    """``frontline run --task-runner dask``: a local Dask cluster, its own Prefect server."""
    warehouse, summary_path = tmp_path / "dask.duckdb", tmp_path / "summary.json"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | QUIET_ENVIRONMENT
    env |= {"FRONTLINE_PARSE_BATCH_SIZE": "3", "FRONTLINE_PREFECT_HOME": str(tmp_path / "prefect")}
    run = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(GOLD_ARTICLES), "--warehouse", str(warehouse),
         "--task-runner", "dask", "--workers", "2", "--summary-json", str(summary_path)],
        env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(summary_path.read_text())
    assert summary["task_runner"] == "dask (local cluster, 2 workers)"
    assert summary["documents_parsed"] > 3  # several batches went to the workers
    assert {"ingest", "parse", "validate_load", "dbt_build"} <= set(summary["stage_seconds"])
    assert table_rows(warehouse, SCHEMAS) == default_run
