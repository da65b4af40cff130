"""Pandera models of the raw tables written by ``flows/ingest.py``."""

from __future__ import annotations

import datetime

import pandera.polars as pa
from pandera.engines import polars_engine

UTC = {"time_unit": "us", "time_zone": "UTC"}


class Documents(pa.DataFrameModel):
    """One row per distinct article content (sha256)."""

    article_id: str = pa.Field(
        unique=True,
        str_length={"min_value": 16, "max_value": 16},
        description="The article's id: the first 16 hex digits of content_sha256",
    )
    content_sha256: str = pa.Field(
        unique=True, str_matches=r"^[0-9a-f]{64}$", description="sha256 of the file's bytes, in hex"
    )
    source_file: str = pa.Field(description="File name of the first file found with this content")
    source_path: str = pa.Field(description="That file's path relative to the input folder")
    size_bytes: int = pa.Field(ge=1, description="File size in bytes")
    encoding: str = pa.Field(
        isin=["utf-8", "utf-8-sig", "utf-16", "cp1252"], description="Text encoding the file was decoded with"
    )
    published_date: datetime.date = pa.Field(
        nullable=True, description="Publication date: the `date` header, else a date in the file name; null if neither"
    )
    date_source: str = pa.Field(
        isin=["header", "file_name", "none"], description="Where published_date came from: header, file_name or none"
    )
    date_issue: str = pa.Field(
        nullable=True, description="Why the date header could not be used (missing, malformed), when it could not"
    )
    title: str = pa.Field(nullable=True, description="The first line of the body when it reads as a headline")
    body: str = pa.Field(str_length={"min_value": 1}, description="The article's text after the header, as decoded")
    ingested_at: polars_engine.DateTime = pa.Field(
        dtype_kwargs=UTC, description="When this content was first stored (UTC)"
    )


class RejectedFiles(pa.DataFrameModel):
    """One row per input file that is not an article, with the reason."""

    source_path: str = pa.Field(description="Path of the rejected entry relative to the input folder")
    source_file: str = pa.Field(description="Its file name")
    size_bytes: int = pa.Field(nullable=True, ge=0, description="Its size in bytes; null when it is not a file")
    content_sha256: str = pa.Field(nullable=True, description="sha256 of its bytes when they could be read")
    reason: str = pa.Field(
        str_length={"min_value": 1}, description="Why it is not an article (empty, too large, not text, ...)"
    )
    rejected_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC, description="When it was rejected (UTC)")


class SourceFiles(pa.DataFrameModel):
    """One row per (file path, content) seen; a changed file adds a version."""

    source_path: str = pa.Field(description="Path relative to the input folder")
    source_file: str = pa.Field(description="File name")
    content_sha256: str = pa.Field(description="sha256 of this version's bytes")
    article_id: str = pa.Field(description="The article this version's content is (raw.documents)")
    size_bytes: int = pa.Field(ge=0, description="Size of this version in bytes")
    modified_at: polars_engine.DateTime = pa.Field(
        dtype_kwargs=UTC, description="The file's modification time when read (UTC)"
    )
    ingested_at: polars_engine.DateTime = pa.Field(
        dtype_kwargs=UTC, description="When this version was first read (UTC)"
    )
