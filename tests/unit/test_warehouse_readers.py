"""`frontline query` reads, nothing else: every way out of DuckDB's read_only=True is closed."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from flows import cli
from flows.warehouse.readers import QueryRefused, open_reader, read_query, read_statements


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table facts as select range as n from range(3)")
    return path


@pytest.fixture
def other_db(tmp_path: Path) -> Path:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select 1 as a")
    return path


def query(warehouse: Path, sql: str, capsys) -> tuple[int, str, str]:
    code = cli.main(["query", sql, "--warehouse", str(warehouse)])
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path, sql: str) -> list:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_reads_still_work(warehouse, capsys):
    for sql in ("select sum(n) as total from facts", "show tables", "describe facts", "from facts; select 7 as seven"):
        code, out, err = query(warehouse, sql, capsys)
        assert code == 0, err
    assert "seven" in out  # the last statement's result is printed


def test_copy_cannot_overwrite_the_warehouse(warehouse, capsys):
    before = warehouse.read_bytes()
    code, _, err = query(warehouse, f"copy (select 42) to '{warehouse}' (format csv)", capsys)
    assert code != 0
    assert "not COPY" in err
    assert warehouse.read_bytes() == before
    assert rows(warehouse, "select count(*) from facts") == [(3,)]


def test_copy_and_export_write_no_file(warehouse, tmp_path, capsys):
    for sql in (f"copy facts to '{tmp_path / 'out.csv'}'", f"export database '{tmp_path / 'dump'}'"):
        code, _, _ = query(warehouse, sql, capsys)
        assert code != 0
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "dump").exists()


@pytest.mark.parametrize("link", [False, True], ids=["other file", "hard link to the warehouse"])
def test_attach_cannot_edit_another_database(warehouse, other_db, tmp_path, capsys, link):
    target = other_db
    if link:
        target = tmp_path / "alias.duckdb"
        os.link(warehouse, target)
    table = "t" if not link else "facts"
    before = rows(target, f"select count(*) from {table}")
    code, _, err = query(warehouse, f"attach '{target}' as o (read_write); delete from o.{table}", capsys)
    assert code != 0
    assert "ATTACH" in err
    assert rows(target, f"select count(*) from {table}") == before


def test_no_file_is_read_but_the_warehouse(warehouse, capsys):
    for sql in ("select * from read_text('/etc/passwd')", "select * from read_csv('/etc/passwd')", "from glob('/*')"):
        code, out, err = query(warehouse, sql, capsys)
        assert code != 0
        assert "root:" not in out
        assert "disabled by configuration" in err


def test_no_extension_is_installed_or_loaded(warehouse, capsys):
    for sql in ("install httpfs", "load httpfs", "force install spatial from core"):
        code, _, err = query(warehouse, sql, capsys)
        assert code != 0
        assert "only read statements" in err


def test_settings_cannot_be_changed(warehouse, capsys):
    code, _, err = query(warehouse, "set enable_external_access = true; from read_text('/etc/passwd')", capsys)
    assert code != 0
    assert "not SET" in err


def test_the_connection_itself_refuses_writes(warehouse, other_db, tmp_path):
    """Even a caller that skips the statement check cannot write (the second guard)."""
    with open_reader(warehouse) as con:
        for sql in (
            f"copy (select 42) to '{warehouse}' (format csv)",
            f"attach '{other_db}' as o (read_write)",
            f"export database '{tmp_path / 'dump'}'",
            "select * from read_text('/etc/passwd')",
            "install httpfs",
        ):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
        for sql in (
            "set enable_external_access = true",
            "reset enable_external_access",
            "set lock_configuration = false",
        ):
            with pytest.raises(duckdb.Error, match="locked"):
                con.execute(sql)
        assert con.sql("from facts").pl()["n"].to_list() == [0, 1, 2]  # export/report read into polars
    assert not (tmp_path / "dump").exists()


def test_read_statements_admits_reads_only(warehouse):
    with open_reader(warehouse) as con:
        assert len(read_statements(con, "with x as (select 1) select * from x; explain select 1; summarize facts")) == 3
        for sql in ("create temp table x as select 1", "checkpoint", "update facts set n = 0", "begin", ""):
            with pytest.raises(QueryRefused):
                read_query(con, sql)


def test_missing_warehouse_is_one_clear_line(tmp_path, capsys):
    code, _, err = query(tmp_path / "nothing.duckdb", "select 1", capsys)
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "no warehouse at" in err
    assert not (tmp_path / "nothing.duckdb").exists()
