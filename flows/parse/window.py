"""Bounded joins: a row meets its nearest neighbours, never a whole sentence or paragraph.

Joining on ``(article_id, sentence_index)`` or ``(article_id, paragraph_index)``
pairs every row of a group with every row of the other frame's group: quadratic
in a dense group (one sentence listing 20,000 places, a paragraph of 20,000
sentences). Where the join looks for the nearest row in text order (the place
nearest to a count, the weapon nearest to a target, the last settlement named
before), ``neighbours`` pairs each row with at most ``before + after`` rows: the
ones nearest to it in that order. The result equals the full join whenever a
group has fewer rows than the window, which is every sentence and paragraph of
real text (at most 11 place mentions in a paragraph of the corpus and dev sets).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from flows.parse.text import materialise

#: Rows taken on each side of a row: far more than any real sentence or paragraph has.
WINDOW = 16


def neighbours(
    left: pl.LazyFrame,
    right: pl.LazyFrame,
    by: list[str],
    left_position: Sequence[str | pl.Expr],
    right_position: Sequence[str],
    before: int = WINDOW,
    after: int = WINDOW,
) -> pl.LazyFrame:
    """``left`` joined on ``by`` to at most ``before + after`` rows of ``right``.

    The rows of each ``right`` group are ranked by ``right_position`` (compared
    column by column, like a tuple); a ``left`` row sits where its
    ``left_position`` would go among them, after the rows strictly before it.
    It is paired with the ``before`` rows just before that point and the
    ``after`` rows from it on. Columns as in ``left.join(right, on=by)``.
    """
    positions = [f"_position_{i}" for i in range(len(right_position))]
    # Row ids are read twice below: computed once, so both readers see the same rows
    # (a plan with a join gives its rows in any order each time it runs).
    left = materialise(left.with_columns(_left_row=pl.int_range(pl.len(), dtype=pl.Int64)))
    right = materialise(right.with_columns(_right_row=pl.int_range(pl.len(), dtype=pl.Int64)))
    # Both sides in one order: at equal positions a left row comes first, so the
    # running count of right rows is, at a left row, the number strictly before it.
    order = (
        pl.concat(
            [
                left.select(
                    *by,
                    *(_expr(p).alias(name) for p, name in zip(left_position, positions, strict=True)),
                    "_left_row",
                    _is_right=pl.lit(False),
                ),
                right.select(
                    *by,
                    *(pl.col(p).alias(name) for p, name in zip(right_position, positions, strict=True)),
                    "_right_row",
                    _is_right=pl.lit(True),
                ),
            ],
            how="diagonal_relaxed",
        )
        .sort(*by, *positions, "_is_right")
        .with_columns(_seen=pl.col("_is_right").cast(pl.Int64).cum_sum().over(by))
    )
    ranks = order.filter("_is_right").select("_right_row", _rank=pl.col("_seen") - 1)
    targets = order.filter(~pl.col("_is_right")).select(
        "_left_row", _rank=pl.int_ranges(pl.col("_seen") - before, pl.col("_seen") + after)
    )
    return (
        left.join(targets.explode("_rank").filter(pl.col("_rank") >= 0), on="_left_row")
        .join(right.join(ranks, on="_right_row"), on=[*by, "_rank"])
        .drop("_left_row", "_right_row", "_rank")
    )


def _expr(position: str | pl.Expr) -> pl.Expr:
    return pl.col(position) if isinstance(position, str) else position
