"""Pandera models of the raw tables written by ``flows/ingest.py``.

Every input entry that a run sees is a *sighting*, keyed by its input root and its path
relative to that root: ``source_files`` (read as an article), ``rejected_files`` (not an
article, with the reason) or ``missing_files`` (seen before, gone now). A row is added only
when what a path holds differs from its last sighting.
"""

from __future__ import annotations

import codecs
import datetime

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine

from schemas.columns import ARTICLE_TEXT
from schemas.vocabulary import DATE_SOURCE

UTC = {"time_unit": "us", "time_zone": "UTC"}


class Documents(pa.DataFrameModel):
    """One row per distinct article content (sha256)."""

    article_id: str = pa.Field(
        unique=True,
        str_length={"min_value": 16, "max_value": 16},
        description="The article's id: the first 16 hex digits of content_sha256",
    )
    content_sha256: str = pa.Field(
        unique=True,
        str_matches=r"^[0-9a-f]{64}$",
        description="sha256 of the decoded text after line ends are normalised and invisible controls removed",
    )
    source_file: str = pa.Field(description="File name of the first file found with this content")
    source_path: str = pa.Field(description="That file's path relative to its input folder")
    size_bytes: int = pa.Field(ge=1, description="File size in bytes")
    encoding: str = pa.Field(
        description="The codec the text was decoded with (a byte order mark, UTF-8, or charset-normalizer's finding)"
    )
    published_date: datetime.date = pa.Field(
        nullable=True,
        description="Publication date: the `date` header, else a date in the file name; null if neither, "
        "or if it is before 2014 or after the ingest day",
    )
    date_source: str = pa.Field(isin=list(DATE_SOURCE), description="Where published_date came from")
    date_issue: str = pa.Field(
        nullable=True,
        description="Why the date header could not be used (missing, malformed, before 2014, in the future)",
    )
    title: str = pa.Field(
        nullable=True, metadata=ARTICLE_TEXT, description="The first line of the body when it reads as a headline"
    )
    body: str = pa.Field(
        str_length={"min_value": 1},
        metadata=ARTICLE_TEXT,
        description="The article's text after the header, decoded, with LF line ends and no zero-width or bidi "
        "control characters (evidence offsets point into it)",
    )
    ingested_at: polars_engine.DateTime = pa.Field(
        dtype_kwargs=UTC, description="When this content was first stored (UTC)"
    )

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

    input_root: str = pa.Field(
        nullable=True, description="The input folder it was found under (absolute); null in rows of older versions"
    )
    source_path: str = pa.Field(description="Path of the rejected entry relative to the input folder")
    source_file: str = pa.Field(description="Its file name")
    size_bytes: int = pa.Field(nullable=True, ge=0, description="Its size in bytes; null when it is not a file")
    content_sha256: str = pa.Field(nullable=True, description="sha256 of its bytes when they could be read")
    modified_at: polars_engine.DateTime = pa.Field(
        nullable=True, dtype_kwargs=UTC, description="Its modification time when seen (UTC), when it has one"
    )
    reason: str = pa.Field(
        str_length={"min_value": 1}, description="Why it is not an article (empty, too large, not text, ...)"
    )
    rejected_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC, description="When it was rejected (UTC)")


class SourceFiles(pa.DataFrameModel):
    """One row per sighting of a file read as an article: a new path, or new content at a path."""

    input_root: str = pa.Field(
        nullable=True, description="The input folder it was found under (absolute); null in rows of older versions"
    )
    source_path: str = pa.Field(description="Path relative to the input folder")
    source_file: str = pa.Field(description="File name")
    content_sha256: str = pa.Field(description="sha256 of this version's text (as in raw.documents)")
    article_id: str = pa.Field(description="The article this version's content is (raw.documents)")
    size_bytes: int = pa.Field(ge=0, description="Size of this version in bytes")
    modified_at: polars_engine.DateTime = pa.Field(
        dtype_kwargs=UTC, description="The file's modification time when read (UTC)"
    )
    ingested_at: polars_engine.DateTime = pa.Field(
        dtype_kwargs=UTC, description="When this sighting was recorded (UTC)"
    )


class MissingFiles(pa.DataFrameModel):
    """One row per sighting of a path that is gone: a file seen before and absent now."""

    input_root: str = pa.Field(nullable=True, description="The input folder it was under (absolute)")
    source_path: str = pa.Field(description="Path relative to the input folder")
    source_file: str = pa.Field(description="File name")
    missing_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC, description="When it was found missing (UTC)")
