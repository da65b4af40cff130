"""Tie an event phrase (a count, a claim verb) to the place it is about."""

from __future__ import annotations

import polars as pl

#: Levels at which a fact can be placed (a country alone is too coarse).
PLACE_LEVELS = ["settlement", "raion", "oblast"]


def nearest_place(events: pl.LazyFrame, mentions: pl.LazyFrame, start: str, end: str, key: list[str]) -> pl.LazyFrame:
    """Each event row joined to its nearest place mention.

    The nearest mention in the same sentence wins (by characters between
    them); a sentence with none takes the last place named earlier in the same
    paragraph ("A Kyiv apartment block was destroyed. ... killing two").
    """
    places = mentions.filter(pl.col("feature_type").is_in(PLACE_LEVELS))
    same = events.join(places.drop("paragraph_index"), on=["article_id", "sentence_index"]).with_columns(
        _priority=pl.lit(0),
        _distance=pl.when(pl.col("mention_start") >= pl.col(end))
        .then(pl.col("mention_start") - pl.col(end))
        .otherwise(pl.col(start) - pl.col("mention_end"))
        .abs(),
    )
    earlier = (
        events.join(
            places.select("article_id", "sentence_index").unique(), on=["article_id", "sentence_index"], how="anti"
        )
        .join(places.rename({"sentence_index": "_mention_sentence"}), on=["article_id", "paragraph_index"])
        .filter(pl.col("_mention_sentence") < pl.col("sentence_index"))
        .with_columns(
            _priority=pl.lit(1),
            _distance=(pl.col("sentence_index") - pl.col("_mention_sentence")) * 100_000 - pl.col("mention_start"),
        )
        .drop("_mention_sentence")
    )
    both = pl.concat([same, earlier], how="diagonal_relaxed")
    return (
        both.sort("_priority", "_distance", "mention_start")
        .group_by(key, maintain_order=True)
        .first()
        .drop("_priority", "_distance")
    )
