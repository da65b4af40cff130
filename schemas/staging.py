"""Pandera models of the staging tables: the contract between polars and dbt.

Field names are the DuckDB ``staging.*`` column names and the dbt source
column names; the extractor's output columns (``flows/parse/*_COLUMNS``) are the
models' (``extracted_columns``), and codes come from ``schemas/vocabulary.py``.
``flows/load.py`` validates collected frames with ``lazy=True``;
a row that fails any check goes to ``meta.quarantine`` with the checks it
failed, the rest load.
"""

from __future__ import annotations

import datetime

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine

from schemas.columns import ARTICLE_TEXT, column_names
from schemas.vocabulary import (
    CLAIM_TYPE,
    COUNT_QUALIFIER,
    COUNTRY,
    DATE_PRECISION,
    FACT_FEATURE_TYPE,
    FEATURE_TYPE,
    SIDE,
    TARGET_TYPE,
    VERIFICATION,
    VICTIM_GROUP,
    WEAPON,
)

UTC = {"time_unit": "us", "time_zone": "UTC"}
#: Added by ``flows/validate.py`` to every row, not by the extractor.
LOADER_COLUMNS = ("parser_version",)


def extracted_columns(model: type[pa.DataFrameModel]) -> list[str]:
    """The columns the extractor (``flows/parse/``) outputs for a model's table."""
    return [name for name in column_names(model) if name not in LOADER_COLUMNS]


def _evidence_within_sentence(data: pa.PolarsData) -> pl.LazyFrame:
    return data.lazyframe.select(
        (pl.col("evidence_start") < pl.col("evidence_end"))
        & ((pl.col("evidence_end") - pl.col("evidence_start")) == pl.col("evidence").str.len_chars())
    )


class FactPlace(pa.DataFrameModel):
    """Where a fact is: the place columns every fact row carries (``flows/parse/facts.py``)."""

    place_key: str = pa.Field(description="Gazetteer id, else country|admin1|name as written")
    location_id: str = pa.Field(nullable=True, description="The place's gazetteer id; null when not in the gazetteer")
    place_name: str = pa.Field(description="The place's canonical English name (or the name as written)")
    feature_type: str = pa.Field(isin=list(FACT_FEATURE_TYPE), description="Level of the place")
    settlement: str = pa.Field(nullable=True, description="Canonical settlement name; null when the text names none")
    admin1: str = pa.Field(nullable=True, description="Oblast or region, canonical name (EVENT_GUIDE.md, Places)")
    admin2: str = pa.Field(nullable=True, description="Raion (district), canonical name")
    country_code: str = pa.Field(nullable=True, isin=list(COUNTRY), description="ISO country of the place")
    latitude: float = pa.Field(
        nullable=True, in_range={"min_value": -90, "max_value": 90}, description="Latitude (WGS84) of the place"
    )
    longitude: float = pa.Field(
        nullable=True, in_range={"min_value": -180, "max_value": 180}, description="Longitude (WGS84) of the place"
    )


class FactEvidence(pa.DataFrameModel):
    """Who says it and where: the provenance columns every fact row ends with."""

    reported_by: str = pa.Field(nullable=True, description="Who the text says reports it, as named; null if no one")
    evidence: str = pa.Field(
        str_length={"min_value": 1}, metadata=ARTICLE_TEXT, description="The exact sentence the fact is read from"
    )
    evidence_start: int = pa.Field(ge=0, description="Character offset of the sentence in the article body")
    evidence_end: int = pa.Field(ge=1, description="Character offset just past the sentence's end")
    mention_start: int = pa.Field(ge=0, description="Offset of the place name in the evidence sentence")

    @pa.dataframe_check(error="evidence offsets must span the evidence text")
    def evidence_offsets(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _evidence_within_sentence(data)


class FactSource(pa.DataFrameModel):
    """Which sentence of which article a fact is read from, and how exactly it is dated."""

    article_id: str = pa.Field(
        str_length={"min_value": 16, "max_value": 16}, description="The article the fact is read from (raw.documents)"
    )
    sentence_index: int = pa.Field(ge=0, description="Index of the evidence sentence in the article (parsed.sentences)")
    date_precision: str = pa.Field(isin=list(DATE_PRECISION), description="How exactly the text dates it")


class _Fact(FactEvidence, FactPlace, FactSource):
    """Columns every fact row carries, in this order: source, place, evidence (bases last to first)."""

    parser_version: str = pa.Field(description="Version of the extractor's code and lexicons that found it")


class StrikeReports(_Fact):
    """One row per (article, date, place, perpetrator) strike report."""

    strike_date: datetime.date = pa.Field(description="The day of the strike (see date_precision)")
    perpetrator_side: str = pa.Field(isin=list(SIDE), description="Side that struck")
    target_country: str = pa.Field(isin=list(SIDE), description="Country where the strike landed")
    weapon: str = pa.Field(isin=list(WEAPON), description="Weapon class of the strike")
    target_type: str = pa.Field(nullable=True, isin=list(TARGET_TYPE), description="What was hit, when stated")

    class Config:
        unique = ["article_id", "strike_date", "place_key", "perpetrator_side"]


class CasualtyReports(_Fact):
    """One row per (article, date, place) casualty count."""

    incident_date: datetime.date = pa.Field(description="The day people were killed or injured")
    killed: int = pa.Field(nullable=True, ge=0, le=100_000, description="People killed, as the text counts them")
    injured: int = pa.Field(nullable=True, ge=0, le=100_000, description="People injured, as the text counts them")
    count_qualifier: str = pa.Field(nullable=True, isin=list(COUNT_QUALIFIER), description="How exact the count is")
    victim_group: str = pa.Field(isin=list(VICTIM_GROUP), description="Who the people counted are")

    class Config:
        unique = ["article_id", "incident_date", "place_key"]

    @pa.dataframe_check(error="a casualty report needs a count or a qualifier")
    def has_count(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("killed").is_not_null() | pl.col("injured").is_not_null() | pl.col("count_qualifier").is_not_null()
        )


class TerritorialClaims(_Fact):
    """One row per settlement per claiming sentence."""

    claim_date: datetime.date = pa.Field(description="The day the claim is about")
    claimant: str = pa.Field(nullable=True, description="Who makes the claim, as named")
    claimant_side: str = pa.Field(isin=list(SIDE), description="The claimant's side")
    gaining_side: str = pa.Field(isin=list(SIDE), description="The side the claim says gained the place")
    claim_type: str = pa.Field(isin=list(CLAIM_TYPE), description="What the claim says happened")
    verification: str = pa.Field(
        isin=list(VERIFICATION), description="Whether the claim is confirmed, as the text says"
    )

    class Config:
        unique = ["article_id", "sentence_index", "place_key"]


class Sentences(pa.DataFrameModel):
    """One row per sentence of an article body, with character offsets."""

    article_id: str = pa.Field(str_length={"min_value": 16, "max_value": 16}, description="The article (raw.documents)")
    sentence_index: int = pa.Field(ge=0, description="Position of the sentence in the article, from 0")
    paragraph_index: int = pa.Field(ge=0, description="Position of its paragraph in the article, from 0")
    sentence_start: int = pa.Field(ge=0, description="Character offset of the sentence in the body")
    sentence_end: int = pa.Field(ge=1, description="Character offset just past its end")
    sentence: str = pa.Field(str_length={"min_value": 1}, metadata=ARTICLE_TEXT, description="The sentence's text")
    parser_version: str = pa.Field(description="Version of the extractor that split it")

    class Config:
        unique = ["article_id", "sentence_index"]


class PlaceMentions(pa.DataFrameModel):
    """One row per place named in a sentence of a fact paragraph (one with a strike, casualty or
    claim cue, or the paragraph before it), resolved to the gazetteer where possible."""

    article_id: str = pa.Field(str_length={"min_value": 16, "max_value": 16}, description="The article (raw.documents)")
    sentence_index: int = pa.Field(ge=0, description="The sentence it is in (parsed.sentences)")
    paragraph_index: int = pa.Field(ge=0, description="The paragraph that sentence is in")
    mention_start: int = pa.Field(ge=0, description="Offset of the name in the sentence")
    mention_end: int = pa.Field(ge=1, description="Offset just past the name")
    mention_text: str = pa.Field(description="The name as written")
    location_id: str = pa.Field(nullable=True, description="Gazetteer id it resolved to; null when unresolved")
    place_name: str = pa.Field(description="Canonical English name (or the name as written)")
    feature_type: str = pa.Field(isin=list(FEATURE_TYPE), description="Level of the place")
    settlement: str = pa.Field(nullable=True, description="Canonical settlement name, when the place is one")
    admin1: str = pa.Field(nullable=True, description="Oblast or region of the place, canonical name")
    admin2: str = pa.Field(nullable=True, description="Raion of the place, canonical name")
    country_code: str = pa.Field(nullable=True, description="ISO country of the place")
    latitude: float = pa.Field(nullable=True, description="Latitude (WGS84) of the place")
    longitude: float = pa.Field(nullable=True, description="Longitude (WGS84) of the place")
    is_reference: bool = pa.Field(description="True when the name only situates another place ('near X', 'X region')")
    parser_version: str = pa.Field(description="Version of the extractor that found it")

    class Config:
        unique = ["article_id", "sentence_index", "mention_start"]


class ParsedArticles(pa.DataFrameModel):
    """Which article was parsed by which version of the rules."""

    article_id: str = pa.Field(description="The article (raw.documents)")
    parser_version: str = pa.Field(description="The extractor version that parsed it")
    parsed_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC, description="When (UTC)")


class Quarantine(pa.DataFrameModel):
    """Rows that failed validation, with the checks they failed."""

    table_name: str = pa.Field(description="The staging table the row was meant for")
    article_id: str = pa.Field(nullable=True, description="The article it was read from")
    row_json: str = pa.Field(description="The whole row, as JSON")
    failed_checks: str = pa.Field(description="The pandera checks it failed")
    parser_version: str = pa.Field(description="The extractor version that produced it")
    quarantined_at: polars_engine.DateTime = pa.Field(dtype_kwargs=UTC, description="When (UTC)")


STAGING_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "sentences": Sentences,
    "place_mentions": PlaceMentions,
    "strike_reports": StrikeReports,
    "casualty_reports": CasualtyReports,
    "territorial_claims": TerritorialClaims,
}
