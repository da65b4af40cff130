"""What the rest of the code reads off a pandera model: its column names and polars dtypes."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

#: Field metadata of a column that quotes the article's text.
ARTICLE_TEXT = {"article_text": True}


def column_names(model: type[pa.DataFrameModel]) -> list[str]:
    """The model's columns, in declaration order (base classes first)."""
    return list(model.to_schema().columns)


def article_text_columns(model: type[pa.DataFrameModel]) -> list[str]:
    """Columns that quote the article (``metadata=ARTICLE_TEXT``): never copied into the repository."""
    return [name for name, column in model.to_schema().columns.items() if (column.metadata or {}).get("article_text")]


def polars_schema(model: type[pa.DataFrameModel]) -> dict[str, pl.DataType]:
    """Column name -> polars dtype, to type or cast a frame before it is validated."""
    return {name: column.dtype.type for name, column in model.to_schema().columns.items()}
