"""Pandera models of the raw tables written by ``flows/ingest.py``."""

from __future__ import annotations

import codecs
import datetime

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine

UTC = {"time_unit": "us", "time_zone": "UTC"}


class Documents(pa.DataFrameModel):
    """One row per distinct article content (sha256)."""

    article_id: str = pa.Field(unique=True, str_length={"min_value": 16, "max_value": 16})
    content_sha256: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{64}$")
    source_file: str
    source_path: str
    size_bytes: int = pa.Field(ge=1)
    #: The codec the text was decoded with (a byte order mark, UTF-8, or charset-normalizer's finding).
    encoding: str
    published_date: datetime.date = pa.Field(nullable=True)
    date_source: str = pa.Field(isin=["header", "file_name", "none"])
    date_issue: str = pa.Field(nullable=True)
    title: str = pa.Field(nullable=True)
    body: str = pa.Field(str_length={"min_value": 1})
    ingested_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC)

    @pa.check("encoding", name="a Python codec name")
    @classmethod
    def _known_codec(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).map_elements(_is_codec, return_dtype=pl.Boolean))


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


class RejectedFiles(pa.DataFrameModel):
    """One row per sighting of an input entry that is not an article, with the reason."""

    input_root: str = pa.Field(nullable=True)
    source_path: str
    source_file: str
    size_bytes: int = pa.Field(nullable=True, ge=0)
    content_sha256: str = pa.Field(nullable=True)
    modified_at: polars_engine.DateTime = pa.Field(nullable=True, dtype_kwargs=UTC)
    reason: str = pa.Field(str_length={"min_value": 1})
    rejected_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC)
