"""The DuckDB side of the pandera models: schema names and ``CREATE TABLE`` statements.

Every table Python creates (raw, parsed, meta) is created from its pandera model,
so the model is the one place a column and its type are declared:

    >>> print(create_table("meta.build_log", BuildLog))   # doctest: +SKIP
    create table if not exists meta.build_log (state VARCHAR, built_at TIMESTAMPTZ)

No NOT NULL or CHECK constraints: the models' checks run in pandera
(``flows/validate.py``), which quarantines a failing row instead of failing the batch.

This module imports no pandera: the schema names are read by every run, and
pandera takes seconds to import (the models come in as arguments).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import pandera.polars as pa

#: DuckDB schemas. ``parsed`` holds the parser's validated output (one table per
#: model of ``schemas/staging.py``); it is not called "staging" because that is the
#: name of dbt's first layer (``stg_*`` models), which reads it as a source.
RAW = "raw"
PARSED = "parsed"
#: Bookkeeping of the runs: which article was parsed by which rules, rows that
#: failed validation, dbt builds, gazetteer loads.
META = "meta"
REFERENCE = "reference"

#: polars dtype -> DuckDB type, for the dtypes the models use.
DUCKDB_TYPES: dict[type[pl.DataType] | pl.DataType, str] = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Date: "DATE",
}


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB type a polars column of ``dtype`` is stored as."""
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMPTZ" if dtype.time_zone else "TIMESTAMP"
    for polars_type, sql in DUCKDB_TYPES.items():
        if dtype == polars_type:
            return sql
    raise TypeError(f"no DuckDB type for the polars dtype {dtype}")


def columns(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Column name -> DuckDB type, in the model's order."""
    return {name: duckdb_type(column.dtype.type) for name, column in model.to_schema().columns.items()}


def create_table(table: str, model: type[pa.DataFrameModel]) -> str:
    """``create table if not exists <table> (...)`` for the columns of ``model``."""
    body = ", ".join(f"{name} {sql}" for name, sql in columns(model).items())
    return f"create table if not exists {table} ({body})"
