"""What a run shows: its summary on stdout, progress on stderr, artifacts in Prefect's API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.config import REPO_ROOT


@pytest.mark.e2e
def test_every_flow_run_publishes_its_summary_and_fact_counts(seed_warehouse):
    _, summary = seed_warehouse
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(summary["flow_run_id"])]))
        )
    by_key = {artifact.key: artifact for artifact in artifacts}
    markdown = by_key["frontline-run-summary"]
    assert markdown.type == "markdown"
    assert f"| fct_strikes | {summary['facts']['fct_strikes']} |" in markdown.data
    table = by_key["frontline-fact-counts"]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert {row["table"]: row["rows"] for row in rows} == summary["facts"]


@pytest.mark.e2e
def test_cli_run_prints_progress_then_the_summary_on_stdout(tmp_path):
    warehouse = tmp_path / "frontline.duckdb"
    started = time.time()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "run",
            "--warehouse",
            str(warehouse),
            "--summary-json",
            str(tmp_path / "s.json"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO_ROOT,
        env=os.environ | {"FRONTLINE_GENERATE_DOCS": "false"},
    )
    wall = time.time() - started
    assert done.returncode == 0, done.stderr
    # stdout: the summary alone, aligned, no log prefix
    lines = done.stdout.splitlines()
    assert lines[0].startswith("files read") and lines[-1].startswith("wall time")
    assert "report" in done.stdout and "duplicates" in done.stdout
    summary = json.loads((tmp_path / "s.json").read_text())
    assert abs(summary["wall_seconds"] - wall) < 1.5  # from process start to the summary
    # stderr: progress lines from the start, no Prefect per-task lines
    progress = [line for line in done.stderr.splitlines() if line.startswith("frontline:")]
    assert progress[0].endswith("starting")
    assert any("parsing" in line for line in progress) and any("dbt build" in line for line in progress)
    assert "Finished in state" not in done.stderr
    assert (tmp_path / "report.html").exists()


@pytest.mark.e2e
def test_quiet_run_prints_nothing(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--quiet", "--warehouse", str(tmp_path / "q.duckdb")],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO_ROOT,
        env=os.environ | {"FRONTLINE_GENERATE_DOCS": "false", "FRONTLINE_GENERATE_REPORT": "false"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "frontline:" not in done.stderr
