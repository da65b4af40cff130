"""Readers never break a run: an analyst holding the warehouse open while a run starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flows.pipeline import frontline_pipeline
from flows.warehouse.readers import open_reader

ARTICLE = "date 2025-07-26\n\nRussian drones attacked {place} overnight. Three people were injured, the governor said."
COUNT = "select count(*) from fct_strike_reports"


@pytest.mark.e2e
def test_a_reader_holding_the_warehouse_for_30_s_does_not_fail_a_run(tmp_path, write_files, monkeypatch):
    folder = write_files({"sumy.txt": ARTICLE.format(place="Sumy")})
    warehouse = tmp_path / "w.duckdb"
    frontline_pipeline(input_dir=folder, warehouse=warehouse)

    # An analyst's plain DuckDB session (not even Frontline's reader) reads, holds the file 30 s, reads again.
    code = (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); "
        f"print(con.sql('{COUNT}').fetchone()[0], flush=True); time.sleep(30); print(con.sql('{COUNT}').fetchone()[0])"
    )
    reader = subprocess.Popen([sys.executable, "-c", code, str(warehouse)], stdout=subprocess.PIPE, text=True)
    before = int(reader.stdout.readline())
    assert before == 1

    (folder / "kharkiv.txt").write_text(ARTICLE.format(place="Kharkiv"))
    monkeypatch.setenv("FRONTLINE_LOCK_TIMEOUT_SECONDS", "5")  # the run must not need to wait for the reader
    summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)

    assert summary["new_documents"] == 1
    assert summary["published"] == str(warehouse)
    with open_reader(warehouse) as con:  # new readers see the new snapshot
        assert con.execute(COUNT).fetchone()[0] == 2
    output, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0
    assert int(output) == before  # the reader's own snapshot stayed whole, never half-built


@pytest.mark.e2e
def test_dbt_build_waits_for_a_process_that_opened_the_build_copy(tmp_path, write_files, monkeypatch):
    """Nothing of Frontline opens the build copy but a run; should something else do it
    just before dbt build, dbt runs again once it lets go instead of failing the run."""
    import time

    from flows import transform
    from flows.config import load_settings
    from flows.warehouse import snapshot

    folder = write_files({"sumy.txt": ARTICLE.format(place="Sumy")})
    warehouse = tmp_path / "w.duckdb"
    frontline_pipeline(input_dir=folder, warehouse=warehouse)
    build = snapshot.build_path(warehouse)

    code = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); print('open', flush=True); time.sleep(15)"
    holder = subprocess.Popen([sys.executable, "-c", code, str(build)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    started = time.monotonic()
    counts = transform.build(load_settings().dbt_project_dir, build, lock_timeout_seconds=120)
    assert holder.wait(timeout=60) == 0
    assert time.monotonic() - started >= 10  # it could not start before the holder let go
    assert counts.get("error", 0) == 0 and counts.get("fail", 0) == 0
