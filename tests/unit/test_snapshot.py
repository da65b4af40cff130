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

from flows.runtime.locking import FileHeld
from flows.warehouse import Warehouse, open_reader, snapshot


def write_build(warehouse: Path, value: int) -> bool:
    """A run whose last dbt build is ``value``; returns whether it published."""
    with Warehouse.for_run(warehouse, 5) as house:
        house.con.execute("create or replace table main.facts as select ? as value", [value])
        house.record_build(f"state {value}")
        return house.publish()


def published_value(warehouse: Path) -> int:
    with open_reader(warehouse) as con:
        return con.execute("select value from facts").fetchone()[0]


def value_in_another_process(warehouse: Path) -> int:
    """What a new reader sees (in this process, DuckDB would hand back the open database)."""
    code = "import sys; from flows.warehouse import open_reader; print(open_reader(sys.argv[1]).sql('from facts').fetchone()[0])"
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
    assert write_build(warehouse, 1)
    assert published_value(warehouse) == 1

    with open_reader(warehouse) as reader:  # an analyst's open connection
        assert write_build(warehouse, 2)  # does not wait for the reader
        assert reader.execute("select value from facts").fetchone()[0] == 1  # the reader's snapshot is whole
        assert value_in_another_process(warehouse) == 2  # a new reader sees the new one
    assert not (tmp_path / "w.duckdb.wal").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_publish_skips_a_snapshot_that_is_current(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert write_build(warehouse, 1)
    inode = warehouse.stat().st_ino
    with Warehouse.for_run(warehouse, 5) as house:
        assert not house.publish()
    assert warehouse.stat().st_ino == inode
    warehouse.unlink()  # a snapshot deleted by hand is published again
    with Warehouse.for_run(warehouse, 5) as house:
        assert house.publish()


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
    holder = hold_open(path, 3)
    started = time.monotonic()
    with Warehouse(path, lock_timeout_seconds=60) as house:
        assert house.scalar("select 1") == 1
    assert time.monotonic() - started >= 1  # it waited for the holder, then went on
    holder.wait()


def test_run_names_who_holds_its_file_when_the_wait_is_over(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb.build"
    duckdb.connect(str(path)).close()
    holder = hold_open(path, 30)
    try:
        with pytest.raises(FileHeld, match=rf"{path} is open in pid {holder.pid} \(python[0-9.]*\); waited 1 s"):
            _ = Warehouse(path, lock_timeout_seconds=1).con
    finally:
        holder.kill()
        holder.wait()


def test_a_run_takes_the_lock_then_names_who_holds_its_build_copy(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(snapshot.build_path(warehouse))).close()
    holder = hold_open(snapshot.build_path(warehouse), 30)
    try:
        with pytest.raises(FileHeld) as raised, Warehouse.for_run(warehouse, lock_timeout_seconds=1):
            pass
    finally:
        holder.kill()
        holder.wait()
    held_by = rf"{re.escape(str(warehouse))}\.build is open in pid {holder.pid} \(python[0-9.]*\)"
    assert re.fullmatch(rf"{held_by}; waited 1 s for it to let go", str(raised.value))
    assert not (tmp_path / "w.duckdb.lock").read_text() or _lock_is_free(warehouse)  # let go on the way out


def _lock_is_free(warehouse: Path) -> bool:
    from flows.runtime.locking import warehouse_lock

    with warehouse_lock(warehouse, 0):
        return True


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

    from flows.runtime.retries import retry_unless_busy

    assert not retry_unless_busy(None, None, Failed(data=FileHeld("w.duckdb.build is open in pid 1 (python)")))
    assert retry_unless_busy(None, None, Failed(data=OSError("a passing glitch")))
