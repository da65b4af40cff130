"""Unattended operation: bad input, changed files, two runs at once, a run killed mid-way,
and a schedule served by a real Prefect server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import duckdb
import pytest

from flows.pipeline import frontline_pipeline
from tests.conftest import SHARED, needs_shared, table_rows

ARTICLE = (
    "date 2025-07-26\n\nRussian drones attacked Sumy overnight. Three people were injured in Sumy, the governor said."
)


def _frontline(*args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args],
        env=os.environ | (env or {}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a process group: kill -9 takes its Prefect server too
        **popen,
    )


@pytest.mark.e2e
def test_bad_inputs_end_in_raw_or_rejected(tmp_path, write_files):
    outside = tmp_path / "outside.txt"
    outside.write_text("date 2025-07-26 not ours")
    folder = write_files(
        {
            "good.txt": ARTICLE,
            "same content other name.txt": ARTICLE,
            "empty.txt": b"",
            "whitespace.txt": " \n\t\n",
            "binary.txt": b"\x00\x01\x02\x03",
            "invalid-utf8.txt": bytes(range(1, 32)) * 10 + b"\xff\xfe",
            "latin1.txt": "date 2025-07-26\nCafé in Kharkiv – shelled.".encode("cp1252"),
            "utf16.txt": "date 2025-07-26\nKyiv was hit.".encode("utf-16"),
            "big.txt": "date 2025-07-26\n" + "word " * 400,
            "no-header.txt": "Kharkiv was shelled on Friday.",
            "impossible-date.txt": "date 2025-13-45\nKharkiv was shelled.",
            "future-date.txt": "date 2099-01-01\nKharkiv was shelled.",
            "page.txt": "<html><body><p>Kharkiv</p></body></html>",
            "spaces and ünïcode.txt": "date 2025-07-26\nQuotes ' \" ; drop table raw.documents; -- <b>markup</b>",
        }
    )
    (folder / "folder.txt").mkdir()
    (folder / "link.txt").symlink_to(outside)
    warehouse = tmp_path / "w.duckdb"
    os.environ["FRONTLINE_MAX_FILE_BYTES"] = "1000"
    try:
        summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)
    finally:
        del os.environ["FRONTLINE_MAX_FILE_BYTES"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        stored = {r[0] for r in con.execute("select source_path from raw.source_files").fetchall()}
        rejected = dict(con.execute("select source_path, reason from raw.rejected_files").fetchall())
        bodies = {r[0] for r in con.execute("select body from raw.documents").fetchall()}
        issues = dict(con.execute("select source_file, date_issue from raw.documents").fetchall())
        n_documents = con.execute("select count(*) from raw.documents").fetchone()[0]
    every_file = {p.name for p in folder.iterdir()}
    assert stored | set(rejected) == every_file  # nothing lost
    assert not stored & set(rejected)  # nothing counted twice
    assert rejected == {
        "empty.txt": "empty file",
        "whitespace.txt": "whitespace only",
        "binary.txt": "binary content (NUL bytes)",
        "invalid-utf8.txt": "not UTF-8, and no other encoding detected with confidence",
        "big.txt": "file over the size limit (2016 > 1000 bytes)",
        "page.txt": "HTML, not plain text",
        "folder.txt": "a folder, not a file",
        "link.txt": "symbolic link pointing outside the input folder",
    }
    assert n_documents == len(stored) - 1  # the same content under two names is stored once
    assert "Café in Kharkiv – shelled." in bodies
    assert "Quotes ' \" ; drop table raw.documents; -- <b>markup</b>" in bodies
    assert issues["impossible-date.txt"] == "impossible header date 2025-13-45"
    assert issues["future-date.txt"] == "header date 2099-01-01 is in the future"
    assert issues["no-header.txt"] == "no date header"
    assert summary["files_rejected"] == len(rejected)


@pytest.mark.e2e
def test_changed_file_supersedes_its_older_version(tmp_path, write_files):
    folder = write_files({"report.txt": ARTICLE})
    warehouse = tmp_path / "w.duckdb"
    frontline_pipeline(input_dir=folder, warehouse=warehouse)
    (folder / "report.txt").write_text(ARTICLE.replace("Sumy", "Kharkiv"))
    summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)
    assert summary["new_documents"] == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        versions = con.execute("select is_current, count(*) from dim_articles group by 1 order by 1").fetchall()
        places = {r[0] for r in con.execute("select settlement from fct_strike_reports").fetchall()}
    assert versions == [(False, 1), (True, 1)]  # the old version stays, superseded
    assert places == {"Kharkiv"}  # only the current version's facts reach the marts


@pytest.mark.e2e
def test_second_run_waits_or_says_who_holds_the_warehouse(tmp_path, write_files):
    folder = write_files({"report.txt": ARTICLE})
    warehouse = tmp_path / "w.duckdb"
    first = _frontline("run", "--input", str(folder), "--warehouse", str(warehouse))
    lock = warehouse.with_name(warehouse.name + ".lock")
    deadline = time.monotonic() + 120
    while not (lock.exists() and "pid" in lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)
    second = _frontline(
        "run", "--input", str(folder), "--warehouse", str(warehouse), env={"FRONTLINE_LOCK_TIMEOUT_SECONDS": "0"}
    )
    second_out, _ = second.communicate(timeout=300)
    first_out, _ = first.communicate(timeout=300)
    assert first.returncode == 0, first_out[-2000:]
    assert second.returncode == 1
    assert f"is in use by another Frontline run (pid {first.pid}" in second_out
    # The first run's result is whole: a third run finds nothing new and changes nothing.
    before = table_rows(warehouse)
    summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)
    assert summary["new_documents"] == 0
    assert table_rows(warehouse) == before


@needs_shared
@pytest.mark.e2e
@pytest.mark.parametrize(
    ("after_task", "delay"),
    [("parse_batch", 0.0), ("marts_state", 3.0)],  # during validation and load; during dbt build
)
def test_run_killed_mid_way_then_rerun_equals_a_clean_run(tmp_path, after_task, delay, gold_warehouse):
    articles = SHARED / "gold" / "articles"
    clean = gold_warehouse  # one clean run on the gold articles, shared by the session

    crashed = tmp_path / "crashed.duckdb"
    # --verbose: Prefect's per-task lines are what tells where the run is
    run = _frontline("run", "--verbose", "--input", str(articles), "--warehouse", str(crashed))
    seen = []
    for line in run.stdout:
        seen.append(line)
        if f"Task run '{after_task}" in line:  # Prefect logs a task when it finishes
            time.sleep(delay)
            os.killpg(run.pid, signal.SIGKILL)  # kill -9, Prefect server and all
            break
    run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL, "".join(seen[-20:])

    frontline_pipeline(input_dir=articles, warehouse=crashed)
    clean_rows, crashed_rows = table_rows(clean, ("main",)), table_rows(crashed, ("main",))
    assert crashed_rows == clean_rows
    with duckdb.connect(str(crashed), read_only=True) as con:
        duplicates = con.execute("select count(*) - count(distinct content_sha256) from raw.documents").fetchone()[0]
    assert duplicates == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _completed_runs(api_url: str) -> int:
    body = json.dumps({"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}).encode()
    request = urllib.request.Request(
        f"{api_url}/flow_runs/count", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.read())
    except OSError:
        return 0


@pytest.mark.e2e
def test_serve_runs_on_schedule_and_stops_its_server(tmp_path, write_files):
    folder = write_files({"report.txt": ARTICLE})
    port = _free_port()
    env = {"FRONTLINE_PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    clean_env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | env
    serve = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--interval", "15", "--port", str(port),
         "--input", str(folder), "--warehouse", str(tmp_path / "w.duckdb")],
        env=clean_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    api_url = f"http://127.0.0.1:{port}/api"
    printed = []
    try:
        # serve prints a command that runs the deployment now from another shell: run it
        # in one without PREFECT_API_URL (as a user's second terminal is)
        while not (printed and printed[-1].startswith("  PREFECT_API_URL=")) and serve.poll() is None:
            printed.append(serve.stdout.readline().rstrip("\n"))
        assert f"Prefect UI:   http://127.0.0.1:{port}" in printed
        triggered = subprocess.run(
            ["bash", "-c", printed[-1]], env=clean_env, capture_output=True, text=True, timeout=120
        )
        assert triggered.returncode == 0, triggered.stdout + triggered.stderr
        deadline = time.monotonic() + 600
        while _completed_runs(api_url) < 2 and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(3)
        assert _completed_runs(api_url) >= 2
    finally:
        serve.send_signal(signal.SIGTERM)
        output, _ = serve.communicate(timeout=240)
    assert serve.returncode == 0, output[-3000:]
    with socket.socket() as sock:  # the server serve started is gone
        assert sock.connect_ex(("127.0.0.1", port)) != 0
