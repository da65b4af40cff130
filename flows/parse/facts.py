"""What every fact row carries: its place, date, speaker and evidence sentence."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from flows.parse.text import materialise
from schemas.columns import column_names
from schemas.staging import FactEvidence, FactPlace

PLACE_COLUMNS = column_names(FactPlace)
#: Provenance every fact row ends with.
EVIDENCE_COLUMNS = column_names(FactEvidence)


@dataclass(frozen=True, kw_only=True)
class Context:
    """What every fact extractor reads: the frames the shared stages produced (read by
    name: a dataclass, so adding a frame cannot shift what an extractor unpacks)."""

    #: the sentences of fact paragraphs (``flows.parse.scope``)
    sentences: pl.DataFrame
    mentions: pl.DataFrame
    dates: pl.DataFrame
    speakers: pl.DataFrame
    #: per article: ``article_id``, ``published_date``, ``n_chars``, ``n_sentences`` (of the whole text)
    articles: pl.DataFrame

    def plans(self) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame, pl.LazyFrame, pl.LazyFrame]:
        """Sentences, mentions, dates, speakers and articles, to start an extractor's plan from."""
        return tuple(
            frame.lazy() for frame in (self.sentences, self.mentions, self.dates, self.speakers, self.articles)
        )


#: Facts dated this long before publication are background ("in 2014 ..."),
#: not news: a careful coder does not record them from this article.
BACKGROUND_DAYS = 92


def place_key() -> pl.Expr:
    """The place a fact is at: the gazetteer entry, else region and name as written."""
    return pl.coalesce(
        pl.col("location_id"),
        pl.concat_str(
            pl.col("country_code").fill_null("?"),
            pl.col("admin1").fill_null("?"),
            pl.col("place_name").str.to_lowercase(),
            separator="|",
        ),
    )


def with_context(
    facts: pl.LazyFrame, sentences: pl.LazyFrame, dates: pl.LazyFrame, speakers: pl.LazyFrame
) -> pl.LazyFrame:
    """Attach evidence sentence and offsets, the sentence's date, and its speaker."""
    return (
        facts.join(
            sentences.select(
                "article_id",
                "sentence_index",
                evidence="sentence",
                evidence_start="sentence_start",
                evidence_end="sentence_end",
            ),
            on=["article_id", "sentence_index"],
        )
        .join(dates, on=["article_id", "sentence_index"])
        .join(speakers, on=["article_id", "sentence_index"])
    )


def with_fact_date(facts: pl.LazyFrame, dates: pl.LazyFrame, position: str) -> pl.LazyFrame:
    """``fact_date`` and ``fact_date_precision``: the sentence's own date, else the date of the
    sentence that named the fact's place (``place_sentence_index``: "Russian missiles hit Kherson
    on Sunday. ... Two civilians were killed."), else the sentence's carried or article date.
    A fact whose ``position`` follows "N days after" in its sentence is that much older."""
    place_dates = dates.select(
        "article_id",
        place_sentence_index="sentence_index",
        _place_date="sentence_date",
        _place_precision="sentence_date_precision",
    )
    from_place = ~pl.col("sentence_date_own") & pl.col("_place_date").is_not_null()
    after_clause = (pl.col(position) >= pl.col("after_start")).fill_null(False)
    return (
        facts.join(place_dates, on=["article_id", "place_sentence_index"], how="left")
        .with_columns(
            fact_date=pl.when(after_clause)
            .then("after_date")
            .when(from_place)
            .then("_place_date")
            .otherwise("sentence_date"),
            fact_date_precision=pl.when(after_clause)
            .then("after_precision")
            .when(from_place)
            .then("_place_precision")
            .otherwise("sentence_date_precision"),
        )
        .drop("_place_date", "_place_precision")
    )


def not_background(date_column: str, published: pl.Expr) -> pl.Expr:
    """Recent facts, and older ones the sentence dates to the day ("on 1 March 2022, a
    missile hit Kyiv's TV tower"): only an undated or vaguely dated past is background."""
    recent = (published - pl.col(date_column)).dt.total_days() <= BACKGROUND_DAYS
    dated_to_the_day = pl.col("sentence_date_own") & (pl.col("sentence_date_precision") == "day")
    return recent | dated_to_the_day


def fold_regions(facts: pl.LazyFrame, group: list[str]) -> pl.LazyFrame:
    """Drop an oblast-level row when the same group has a finer row in that oblast,
    and a raion-level row when it has a settlement in that raion (EVENT_GUIDE.md)."""
    facts = materialise(facts)  # read five times below
    finer_admin1 = facts.filter(pl.col("feature_type").is_in(["settlement", "raion"])).select(*group, "admin1").unique()
    # a Kyiv City row also folds a Kyiv region row of its own sentence ("the Sviatoshynskyi
    # district in Kiev": "in Kiev" after a district reads as the region)
    city_in_sentence = (
        facts.filter(pl.col("admin1").str.ends_with(" City"))
        .select(*group, "sentence_index", admin1=pl.col("admin1").str.strip_suffix(" City"))
        .unique()
    )
    finer_admin2 = facts.filter(pl.col("feature_type") == "settlement").select(*group, "admin1", "admin2").unique()
    oblast_rows = (
        facts.filter(pl.col("feature_type") == "oblast")
        .join(finer_admin1, on=[*group, "admin1"], how="anti")
        .join(city_in_sentence, on=[*group, "sentence_index", "admin1"], how="anti")
    )
    raion_rows = facts.filter(pl.col("feature_type") == "raion").join(
        finer_admin2, on=[*group, "admin1", "admin2"], how="anti"
    )
    rest = facts.filter(~pl.col("feature_type").is_in(["oblast", "raion"]))
    return pl.concat([rest, raion_rows, oblast_rows], how="vertical")
