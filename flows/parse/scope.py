"""Where a fact can be: the paragraphs the context stages and the fact extractors read.

Most of a news article reports no strike, casualty or claim (about four sentences in five
of the real corpus). Places, speakers and facts are looked for only in a paragraph with a
fact cue (a strike trigger or weapon, a casualty word, a claim verb) and in the paragraph
just before it, where the place or speaker a fact refers back to is named ("Russian
missiles hit Kherson. / Two civilians were killed."). Every rule that reads context reads
it within a paragraph or from the one before, so the facts come out as from the whole text.
The one exception is a source named only by what refers back to it ("the ministry said"):
it is found among the sources of these paragraphs, not of the whole article.

Dates are read there too, and in the two kinds of sentence that date a whole text: the
lead, and any sentence that may speak of "today" (see ``dates.date_mentions``).
"""

from __future__ import annotations

import polars as pl

from flows.parse.casualties import CASUALTY_CUE
from flows.parse.claims import CLAIM_VERB
from flows.parse.dates import RELATIVE_WORD
from flows.parse.strikes import EVENT_WORD, WEAPON
from flows.parse.text import run

#: Each extractor's entry test, in one place: a sentence without any of them holds no fact.
FACT_CUES = (EVENT_WORD, WEAPON, CASUALTY_CUE, CLAIM_VERB)


def fact_paragraphs(sentences: pl.DataFrame) -> pl.DataFrame:
    """The sentences of every paragraph with a fact cue and of the paragraph before it."""
    text = pl.col("sentence")
    cued = (
        sentences.lazy()
        .filter(pl.any_horizontal(text.str.contains(cue) for cue in FACT_CUES))
        .select("article_id", "paragraph_index")
        .unique()
    )
    wanted = pl.concat([cued, cued.with_columns(pl.col("paragraph_index") - 1)]).unique()
    return run(sentences.lazy().join(wanted, on=["article_id", "paragraph_index"], how="semi"))


def dated_sentences(sentences: pl.DataFrame, in_scope: pl.DataFrame) -> pl.DataFrame:
    """``in_scope`` and the sentences outside it that the article's own date reads: its lead,
    and those that may speak of "today"."""
    key = ["article_id", "sentence_index"]
    article_dating = (
        sentences.lazy()
        .filter((pl.col("sentence_index") == 0) | pl.col("sentence").str.contains(RELATIVE_WORD))
        .join(in_scope.lazy().select(key), on=key, how="anti")
    )
    return run(pl.concat([in_scope.lazy(), article_dating]))
