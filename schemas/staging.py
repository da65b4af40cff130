"""Pandera models of the staging tables: the contract between polars and dbt.

Field names are the DuckDB ``staging.*`` column names and the dbt source
column names. ``flows/load.py`` validates collected frames with ``lazy=True``;
a row that fails any check goes to ``staging.quarantine`` with the checks it
failed, the rest load.
"""

from __future__ import annotations

import datetime

import pandera.polars as pa
import polars as pl

SIDES = ["RU", "UA", "BY", "unknown"]
WEAPONS = ["drone", "missile", "artillery", "rocket", "glide_bomb", "air_strike", "unknown"]
FEATURE_TYPES = ["settlement", "raion", "oblast", "country"]
DATE_PRECISIONS = ["day", "article", "week", "month", "unknown"]
CLAIM_TYPES = ["capture", "recapture", "withdrawal"]
VERIFICATIONS = ["unverified", "confirmed", "denied"]
VICTIM_GROUPS = ["civilian", "military", "child", "emergency_worker", "journalist"]
COUNT_QUALIFIERS = [
    "at_least", "more_than", "up_to", "approximately", "dozens", "several", "multiple", "hundreds",
]  # fmt: skip
TARGET_TYPES = ["energy", "residential", "civilian", "military", "infrastructure", "industrial"]


def _evidence_within_sentence(data: pa.PolarsData) -> pl.LazyFrame:
    return data.lazyframe.select(
        (pl.col("evidence_start") < pl.col("evidence_end"))
        & ((pl.col("evidence_end") - pl.col("evidence_start")) == pl.col("evidence").str.len_chars())
    )


class _Fact(pa.DataFrameModel):
    """Columns every fact row carries: provenance, place and evidence."""

    article_id: str = pa.Field(str_length={"min_value": 16, "max_value": 16})
    sentence_index: int = pa.Field(ge=0)
    date_precision: str = pa.Field(isin=DATE_PRECISIONS)
    place_key: str = pa.Field(description="Gazetteer id, else country|admin1|name as written")
    location_id: str = pa.Field(nullable=True)
    place_name: str
    feature_type: str = pa.Field(isin=FEATURE_TYPES[:3])
    settlement: str = pa.Field(nullable=True)
    admin1: str = pa.Field(nullable=True)
    admin2: str = pa.Field(nullable=True)
    country_code: str = pa.Field(nullable=True, isin=["UA", "RU", "BY"])
    latitude: float = pa.Field(nullable=True, in_range={"min_value": -90, "max_value": 90})
    longitude: float = pa.Field(nullable=True, in_range={"min_value": -180, "max_value": 180})
    reported_by: str = pa.Field(nullable=True)
    evidence: str = pa.Field(str_length={"min_value": 1})
    evidence_start: int = pa.Field(ge=0)
    evidence_end: int = pa.Field(ge=1)
    mention_start: int = pa.Field(ge=0, description="Offset of the place name in the evidence sentence")
    parser_version: str

    @pa.dataframe_check(error="evidence offsets must span the evidence text")
    def evidence_offsets(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _evidence_within_sentence(data)


class StrikeReports(_Fact):
    """One row per (article, date, place, perpetrator) strike report."""

    strike_date: datetime.date
    perpetrator_side: str = pa.Field(isin=SIDES)
    target_country: str = pa.Field(isin=SIDES)
    weapon: str = pa.Field(isin=WEAPONS)
    target_type: str = pa.Field(nullable=True, isin=TARGET_TYPES)

    class Config:
        unique = ["article_id", "strike_date", "place_key", "perpetrator_side"]


class CasualtyReports(_Fact):
    """One row per (article, date, place) casualty count."""

    incident_date: datetime.date
    killed: int = pa.Field(nullable=True, ge=0, le=100_000)
    injured: int = pa.Field(nullable=True, ge=0, le=100_000)
    count_qualifier: str = pa.Field(nullable=True, isin=COUNT_QUALIFIERS)
    victim_group: str = pa.Field(isin=VICTIM_GROUPS)

    class Config:
        unique = ["article_id", "incident_date", "place_key"]

    @pa.dataframe_check(error="a casualty report needs a count or a qualifier")
    def has_count(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("killed").is_not_null() | pl.col("injured").is_not_null() | pl.col("count_qualifier").is_not_null()
        )


class TerritorialClaims(_Fact):
    """One row per settlement per claiming sentence."""

    claim_date: datetime.date
    claimant: str = pa.Field(nullable=True)
    claimant_side: str = pa.Field(isin=SIDES)
    gaining_side: str = pa.Field(isin=SIDES)
    claim_type: str = pa.Field(isin=CLAIM_TYPES)
    verification: str = pa.Field(isin=VERIFICATIONS)

    class Config:
        unique = ["article_id", "sentence_index", "place_key"]


class Sentences(pa.DataFrameModel):
    """One row per sentence of an article body, with character offsets."""

    article_id: str = pa.Field(str_length={"min_value": 16, "max_value": 16})
    sentence_index: int = pa.Field(ge=0)
    paragraph_index: int = pa.Field(ge=0)
    sentence_start: int = pa.Field(ge=0)
    sentence_end: int = pa.Field(ge=1)
    sentence: str = pa.Field(str_length={"min_value": 1})
    parser_version: str

    class Config:
        unique = ["article_id", "sentence_index"]


class PlaceMentions(pa.DataFrameModel):
    """One row per place named in a sentence, resolved to the gazetteer where possible."""

    article_id: str = pa.Field(str_length={"min_value": 16, "max_value": 16})
    sentence_index: int = pa.Field(ge=0)
    mention_start: int = pa.Field(ge=0)
    mention_end: int = pa.Field(ge=1)
    mention_text: str
    location_id: str = pa.Field(nullable=True)
    place_name: str
    feature_type: str = pa.Field(isin=FEATURE_TYPES)
    admin1: str = pa.Field(nullable=True)
    country_code: str = pa.Field(nullable=True)
    is_reference: bool
    parser_version: str

    class Config:
        unique = ["article_id", "sentence_index", "mention_start"]


STAGING_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "sentences": Sentences,
    "place_mentions": PlaceMentions,
    "strike_reports": StrikeReports,
    "casualty_reports": CasualtyReports,
    "territorial_claims": TerritorialClaims,
}
