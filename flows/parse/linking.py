"""Tie an event phrase (a count, a claim verb) to the place it is about."""

from __future__ import annotations

import polars as pl

from flows.parse.places import MENTION_COLUMNS
from flows.parse.window import neighbours

#: Levels at which a fact can be placed (a country alone is too coarse).
PLACE_LEVELS = ["settlement", "raion", "oblast"]
#: Mention columns that describe the place itself (replaced together when a finer place is found).
PLACE_FIELDS = [
    c for c in MENTION_COLUMNS if c not in ("article_id", "sentence_index", "paragraph_index", "is_reference")
]


def nearest_place(events: pl.LazyFrame, mentions: pl.LazyFrame, start: str, end: str, key: list[str]) -> pl.LazyFrame:
    """Each event row joined to its nearest place mention, with ``place_sentence_index``.

    The nearest mention in the same sentence wins (by characters between
    them); a sentence with none takes the last place named earlier in the same
    paragraph ("A Kyiv apartment block was destroyed. ... killing two"), and a
    paragraph's first sentence the last place of the paragraph just before it
    (news agencies write one sentence per paragraph). An oblast-level place
    gives way to the settlement of that oblast named last before it in the
    paragraph ("Russia shelled Toretsk. According to the Donetsk regional
    administration, seven were killed").
    """
    places = mentions.filter(pl.col("feature_type").is_in(PLACE_LEVELS))
    # Each join below pairs an event with the places nearest to it in text order
    # (``neighbours``), not with every place of its sentence or paragraph.
    same = neighbours(
        events, places.drop("paragraph_index"), ["article_id", "sentence_index"], [end], ["mention_start"]
    ).with_columns(
        _priority=pl.lit(0),
        _distance=pl.when(pl.col("mention_start") >= pl.col(end))
        .then(pl.col("mention_start") - pl.col(end))
        .otherwise(pl.col(start) - pl.col("mention_end"))
        .abs(),
        place_sentence_index=pl.col("sentence_index"),
    )
    placeless = events.join(
        places.select("article_id", "sentence_index").unique(), on=["article_id", "sentence_index"], how="anti"
    )
    earlier = (
        neighbours(
            placeless,
            places.rename({"sentence_index": "place_sentence_index"}),
            ["article_id", "paragraph_index"],
            ["sentence_index", pl.lit(-1)],
            ["place_sentence_index", "mention_start"],
            after=0,
        )
        .filter(pl.col("place_sentence_index") < pl.col("sentence_index"))
        .with_columns(
            _priority=pl.lit(1),
            _distance=(pl.col("sentence_index") - pl.col("place_sentence_index")) * 100_000 - pl.col("mention_start"),
        )
    )
    first_of_paragraph = pl.col("sentence_index") == pl.col("sentence_index").min().over(
        "article_id", "paragraph_index"
    )
    previous_paragraph = (
        neighbours(
            placeless.filter(first_of_paragraph),
            places.rename({"sentence_index": "place_sentence_index", "paragraph_index": "_previous"}),
            ["article_id"],
            ["paragraph_index", pl.lit(-1), pl.lit(-1)],
            ["_previous", "place_sentence_index", "mention_start"],
            after=0,
        )
        .filter(pl.col("_previous") == pl.col("paragraph_index") - 1)
        .with_columns(
            _priority=pl.lit(2),
            _distance=(pl.col("sentence_index") - pl.col("place_sentence_index")) * 100_000 - pl.col("mention_start"),
        )
        .drop("_previous")
    )
    both = pl.concat([same, earlier, previous_paragraph], how="diagonal_relaxed")
    nearest = (
        both.sort("_priority", "_distance", "mention_start")
        .group_by(key, maintain_order=True)
        .first()
        .drop("_priority", "_distance")
    )
    return _finer_place(nearest, places, key)


def _finer_place(events: pl.LazyFrame, places: pl.LazyFrame, key: list[str]) -> pl.LazyFrame:
    """Replace an oblast-level place by the settlement of that oblast named last before
    the event in its paragraph (same or earlier sentence)."""
    settlements = places.filter(pl.col("feature_type") == "settlement").select(
        "article_id",
        "paragraph_index",
        "admin1",
        _s_sentence="sentence_index",
        **{f"_s_{c}": c for c in PLACE_FIELDS},
    )
    finer = (
        events.filter(pl.col("feature_type") == "oblast")
        .select(*key, "article_id", "paragraph_index", "admin1", "sentence_index")
        .pipe(
            neighbours,
            settlements,
            ["article_id", "paragraph_index", "admin1"],
            [pl.col("sentence_index") + 1, pl.lit(-1)],
            ["_s_sentence", "_s_mention_start"],
            after=0,
        )
        .filter(pl.col("_s_sentence") <= pl.col("sentence_index"))
        .sort("_s_sentence", "_s_mention_start", descending=True)
        .group_by(key, maintain_order=True)
        .first()
        .select(*key, "_s_sentence", *(f"_s_{c}" for c in PLACE_FIELDS))
    )
    return (
        events.join(finer, on=key, how="left")
        .with_columns(
            [pl.coalesce(f"_s_{c}", c).alias(c) for c in PLACE_FIELDS]
            + [pl.coalesce("_s_sentence", "place_sentence_index").alias("place_sentence_index")]
        )
        .drop("_s_sentence", *(f"_s_{c}" for c in PLACE_FIELDS))
    )
