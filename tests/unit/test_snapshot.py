"""Readers never break a run: the run writes a build copy and swaps it in for readers;
a process that has the run's file open is waited for, then named."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows import load, snapshot
from flows.locking import FileHeld
from flows.readonly import open_reader


def write_build(build: Path, value: int) -> None:
    """A build copy whose last dbt build is ``value``."""
    with load.connect(build) as con:
        con.execute("create or replace table main.facts as select ? as value", [value])
        load.record_build(con, f"state {value}")


def published_value(warehouse: Path) -> int:
    with open_reader(warehouse) as con:
        return con.execute("select value from facts").fetchone()[0]


def value_in_another_process(warehouse: Path) -> int:
    """What a new reader sees (in this process, DuckDB would hand back the open database)."""
    code = "import sys; from flows.readonly import open_reader; print(open_reader(sys.argv[1]).sql('from facts').fetchone()[0])"
    return int(
        subprocess.run([sys.executable, "-c", code, str(warehouse)], check=True, capture_output=True, text=True).stdout
    )


def hold_open(path: Path, seconds: float, read_only: bool = True) -> subprocess.Popen:
    """Another process that has ``path`` open (as DuckDB: a reader or a writer), until it exits."""
    code = (
        "import duckdb, sys, time; "
        f"con = duckdb.connect(sys.argv[1], read_only={read_only}); print('open', flush=True); time.sleep({seconds})"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    return holder


def test_publish_swaps_in_while_a_reader_keeps_its_snapshot(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    build = snapshot.prepare(warehouse)
    assert build == tmp_path / "w.duckdb.build" and not build.exists()  # nothing to copy from yet
    write_build(build, 1)
    assert snapshot.publish(build, warehouse)
    assert published_value(warehouse) == 1

    with open_reader(warehouse) as reader:  # an analyst's open connection
        write_build(build, 2)
        assert snapshot.publish(build, warehouse)  # does not wait for the reader
        assert reader.execute("select value from facts").fetchone()[0] == 1  # the reader's snapshot is whole
        assert value_in_another_process(warehouse) == 2  # a new reader sees the new one
    assert not (tmp_path / "w.duckdb.wal").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_publish_skips_a_snapshot_that_is_current(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    build = snapshot.prepare(warehouse)
    write_build(build, 1)
    assert snapshot.publish(build, warehouse)
    inode = warehouse.stat().st_ino
    assert not snapshot.publish(build, warehouse)
    assert warehouse.stat().st_ino == inode
    warehouse.unlink()  # a snapshot deleted by hand is published again
    assert snapshot.publish(build, warehouse)


def test_a_warehouse_of_an_older_frontline_becomes_the_build_copy_with_its_log(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    # A writer killed before its checkpoint leaves committed rows in the write-ahead log only.
    code = (
        "import duckdb, os, sys; con = duckdb.connect(sys.argv[1]); con.execute('set checkpoint_threshold=\"1GB\"'); "
        "con.execute('create table main.facts as select 7 as value'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(warehouse)], check=True)
    assert (tmp_path / "w.duckdb.wal").exists()
    build = snapshot.prepare(warehouse)
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("select value from main.facts").fetchone()[0] == 7


def test_run_waits_for_a_process_holding_its_file(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb.build"
    duckdb.connect(str(path)).close()
    monkeypatch.setenv("FRONTLINE_LOCK_TIMEOUT_SECONDS", "60")
    holder = hold_open(path, 3)
    started = time.monotonic()
    with load.connect(path) as con:
        assert con.execute("select 1").fetchone() == (1,)
    assert time.monotonic() - started >= 1  # it waited for the holder, then went on
    holder.wait()


def test_run_names_who_holds_its_file_when_the_wait_is_over(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb.build"
    duckdb.connect(str(path)).close()
    monkeypatch.setenv("FRONTLINE_LOCK_TIMEOUT_SECONDS", "1")
    holder = hold_open(path, 30)
    try:
        with pytest.raises(FileHeld, match=rf"{path} is open in pid {holder.pid} \(python[0-9.]*\); waited 1 s"):
            load.connect(path)
    finally:
        holder.kill()
        holder.wait()


def test_run_blocked_by_a_holder_is_one_line_before_prefect_starts(tmp_path, monkeypatch, capsys):
    from flows import cli

    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(snapshot.build_path(warehouse))).close()
    (tmp_path / "in").mkdir()
    monkeypatch.setenv("FRONTLINE_LOCK_TIMEOUT_SECONDS", "1")
    holder = hold_open(snapshot.build_path(warehouse), 30)
    try:
        code = cli.main(["run", "--input", str(tmp_path / "in"), "--warehouse", str(warehouse)])
    finally:
        holder.kill()
        holder.wait()
    out, err = capsys.readouterr()
    err = "".join(line for line in err.splitlines(True) if not line.startswith("frontline: "))  # progress lines
    assert code == 1
    held_by = rf"{re.escape(str(warehouse))}\.build is open in pid {holder.pid} \(python[0-9.]*\)"
    assert re.fullmatch(rf"frontline run: error: {held_by}; waited 1 s for it to let go\n", err), err
    assert "Traceback" not in out + err


def test_tasks_do_not_retry_a_busy_warehouse():
    from prefect.states import Failed

    from flows.pipeline import retry_unless_busy

    assert not retry_unless_busy(None, None, Failed(data=FileHeld("w.duckdb.build is open in pid 1 (python)")))
    assert retry_unless_busy(None, None, Failed(data=OSError("a passing glitch")))
