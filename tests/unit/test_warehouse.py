"""The warehouse has one owner (``flows/warehouse``): it alone opens DuckDB, creates the
tables from the pandera models, takes the lock once and keeps the books in ``meta``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.config import REPO_ROOT
from flows.runtime.locking import WarehouseBusy
from flows.warehouse import Warehouse
from flows.warehouse.owner import META_TABLES, PARSED_TABLES, RAW_TABLES
from schemas import ddl, meta, raw
from schemas.staging import STAGING_MODELS

OWNER = REPO_ROOT / "flows" / "warehouse"
CONNECT = re.compile(r"\bduckdb\.connect\(")


def python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((REPO_ROOT / folder).rglob("*.py"))]


def test_only_the_warehouse_owner_opens_duckdb():
    openers = [
        str(path.relative_to(REPO_ROOT))
        for path in python_files("flows", "schemas", "benchmarks")
        if OWNER not in path.parents and CONNECT.search(path.read_text(encoding="utf-8"))
    ]
    assert openers == [], "open the warehouse through flows.warehouse (Warehouse or open_reader)"
    assert CONNECT.search((OWNER / "owner.py").read_text()) and CONNECT.search((OWNER / "readers.py").read_text())


def described(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return {name: dtype for name, dtype, *_ in con.execute(f"describe {table}").fetchall()}


def test_every_table_is_created_from_its_model(tmp_path):
    models = {
        ddl.RAW: {"documents": raw.Documents, "source_files": raw.SourceFiles,
                  "rejected_files": raw.RejectedFiles, "missing_files": raw.MissingFiles},
        ddl.PARSED: STAGING_MODELS,
        ddl.META: meta.META_MODELS,
    }  # fmt: skip
    assert (tuple(models[ddl.RAW]), set(models[ddl.PARSED]), tuple(models[ddl.META])) == (
        RAW_TABLES,
        set(PARSED_TABLES),
        META_TABLES,
    )
    with Warehouse(tmp_path / "w.duckdb") as house:
        for schema, tables in models.items():
            for table, model in tables.items():
                columns = described(house.con, f"{schema}.{table}")
                assert list(columns) == list(model.to_schema().columns), f"{schema}.{table}"
                assert columns == {name: sql.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")
                                   for name, sql in ddl.columns(model).items()}  # fmt: skip


def test_duckdb_types_match_what_polars_frames_of_the_model_would_make():
    frame = pl.DataFrame(
        schema={
            "s": pl.String, "i": pl.Int64, "f": pl.Float64, "b": pl.Boolean, "d": pl.Date,
            "t": pl.Datetime("us", "UTC"), "n": pl.Datetime("us"),
        }
    )  # fmt: skip
    with duckdb.connect() as con:
        con.register("frame", frame)
        from_frame = {name: dtype for name, dtype, *_ in con.execute("describe frame").fetchall()}
    ours = {name: ddl.duckdb_type(dtype) for name, dtype in frame.schema.items()}
    aliases = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}
    assert {name: aliases.get(sql, sql) for name, sql in ours.items()} == from_frame
    with pytest.raises(TypeError, match="no DuckDB type"):
        ddl.duckdb_type(pl.List(pl.String))


def test_a_failed_transaction_leaves_nothing(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as house:
        with pytest.raises(RuntimeError), house.transaction() as con:
            con.execute("insert into meta.build_log values ('half-way', now())")
            raise RuntimeError("killed")
        assert house.scalar("select count(*) from meta.build_log") == 0
        house.record_build("whole")
        assert house.last_built_state() == "whole"


def test_a_run_holds_the_lock_once_and_a_second_run_is_turned_away(tmp_path):
    published = tmp_path / "w.duckdb"
    with Warehouse.for_run(published, lock_timeout_seconds=0) as house:
        assert house.path == tmp_path / "w.duckdb.build" and house.published == published
        busy = pytest.raises(WarehouseBusy, match="in use by another Frontline run")
        with busy, Warehouse.for_run(published, lock_timeout_seconds=0):
            pass
    with Warehouse.for_run(published, lock_timeout_seconds=0):  # let go on the way out
        pass


def test_the_check_before_a_run_holds_nothing_and_names_the_holder(tmp_path):
    published = tmp_path / "w.duckdb"
    Warehouse.wait_until_free(published, 0)
    busy = pytest.raises(WarehouseBusy, match=rf"in use by another Frontline run \(pid {os.getpid()} ")
    with Warehouse.for_run(published, 0), busy:
        Warehouse.wait_until_free(published, 0)
    Warehouse.wait_until_free(published, 0)  # the check itself left the lock free


def test_released_lets_another_opener_write_the_file(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as house:
        house.record_build("first")
        with house.released() as path, duckdb.connect(str(path)) as other:  # as dbt does
            other.execute("insert into meta.build_log values ('by dbt', now() + interval 1 second)")
        assert house.last_built_state() == "by dbt"  # opened again on first use


def test_settings_are_built_in_one_place():
    builders = [
        str(path.relative_to(REPO_ROOT))
        for path in python_files("flows", "schemas")
        if re.search(r"\bSettings\(", path.read_text(encoding="utf-8"))
    ]
    assert builders == ["flows/config.py"]  # load_settings(), called at the edge


def test_the_pipeline_writes_no_environment():
    for module in ("pipeline.py", "load.py", "transform.py", "summary.py", "warehouse/owner.py"):
        text = (REPO_ROOT / "flows" / module).read_text(encoding="utf-8")
        assert not re.search(r"os\.environ\[|os\.environ\.(setdefault|update|pop)|putenv", text), module
