"""Pandera models of the raw tables written by ``flows/ingest.py``."""

from __future__ import annotations

import datetime

import pandera.polars as pa
from pandera.engines import polars_engine

UTC = {"time_unit": "us", "time_zone": "UTC"}


class Documents(pa.DataFrameModel):
    """One row per distinct article content (sha256)."""

    article_id: str = pa.Field(unique=True, str_length={"min_value": 16, "max_value": 16})
    content_sha256: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{64}$")
    source_file: str
    source_path: str
    size_bytes: int = pa.Field(ge=1)
    encoding: str = pa.Field(isin=["utf-8", "utf-8-sig", "utf-16", "cp1252"])
    published_date: datetime.date = pa.Field(nullable=True)
    date_source: str = pa.Field(isin=["header", "file_name", "none"])
    date_issue: str = pa.Field(nullable=True)
    title: str = pa.Field(nullable=True)
    body: str = pa.Field(str_length={"min_value": 1})
    ingested_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC)


class RejectedFiles(pa.DataFrameModel):
    """One row per input file that is not an article, with the reason."""

    source_path: str
    source_file: str
    size_bytes: int = pa.Field(nullable=True, ge=0)
    content_sha256: str = pa.Field(nullable=True)
    reason: str = pa.Field(str_length={"min_value": 1})
    rejected_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC)
