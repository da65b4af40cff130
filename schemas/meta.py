"""Pandera models of the bookkeeping tables that have no other home (DuckDB schema ``meta``).

The other two bookkeeping tables, ``meta.parsed_articles`` and ``meta.quarantine``,
are described beside the parser's tables they keep the books of
(``schemas.staging.ParsedArticles`` and ``Quarantine``); ``META_MODELS`` lists all four.
"""

from __future__ import annotations

import pandera.polars as pa
from pandera.engines import polars_engine

from schemas.staging import ParsedArticles, Quarantine

UTC = {"time_unit": "us", "time_zone": "UTC"}


class BuildLog(pa.DataFrameModel):
    """One row per successful dbt build: the state of the inputs it built the marts from."""

    state: str = pa.Field(description="Fingerprint of the dbt project, its vars and the raw and parsed tables")
    built_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC, description="When the build finished (UTC)")


class GazetteerBuilds(pa.DataFrameModel):
    """The gazetteer loaded into ``reference``: one row, its content fingerprint."""

    fingerprint: str = pa.Field(description="sha256 of the gazetteer's content")
    loaded_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC, description="When it was loaded (UTC)")


META_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "parsed_articles": ParsedArticles,
    "quarantine": Quarantine,
    "build_log": BuildLog,
    "gazetteer_builds": GazetteerBuilds,
}
