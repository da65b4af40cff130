"""Pandera models of the gazetteer tables that ``flows/gazetteer.py`` writes (``reference.*``).

They document the columns (the dbt source docs are generated from them,
``schemas/dbt_sources.py``); the gazetteer is built from packaged data, not validated row by row.
"""

from __future__ import annotations

import pandera.polars as pa

from schemas.vocabulary import COUNTRY, FEATURE_TYPE


class GazetteerPlaces(pa.DataFrameModel):
    """One row per place (oblast, raion, settlement, country)."""

    location_id: str = pa.Field(description="Stable id: the KATOTTG code in Ukraine, GN<GeoNames id> elsewhere")
    name: str = pa.Field(description="Canonical English name")
    name_local: str = pa.Field(nullable=True, description="Name in the local language (Ukrainian for KATOTTG places)")
    feature_type: str = pa.Field(isin=list(FEATURE_TYPE), description="Level of the place")
    katottg_category: str = pa.Field(
        nullable=True, description="KATOTTG category letter (city, village, ...) in Ukraine"
    )
    admin1: str = pa.Field(nullable=True, description="Oblast or region, canonical name")
    admin2: str = pa.Field(nullable=True, description="Raion, canonical name")
    country_code: str = pa.Field(isin=list(COUNTRY), description="ISO country code")
    latitude: float = pa.Field(nullable=True, description="Latitude (WGS84)")
    longitude: float = pa.Field(nullable=True, description="Longitude (WGS84)")
    population: int = pa.Field(nullable=True, description="Population from GeoNames, when known")
    coordinates_source: str = pa.Field(
        nullable=True, description="geonames (a GeoNames match) or settlement_centroid; null without coordinates"
    )
    source: str = pa.Field(description="The packaged dataset the place comes from: katottg or geonames")


class GazetteerAliases(pa.DataFrameModel):
    """One row per accepted spelling key of a place."""

    alias_key: str = pa.Field(description="The normalised spelling the extractor looks names up by")
    location_id: str = pa.Field(description="The place it names (reference.gazetteer_places)")
    alias: str = pa.Field(description="The spelling as the source gives it")
    alias_source: str = pa.Field(description="translit:<scheme>, geonames, regions_seed, city_district or raion_centre")
    needs_evidence: bool = pa.Field(
        description="True when the spelling is ambiguous and needs context (an oblast word, ...)"
    )
