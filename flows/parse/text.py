"""Sentences with character offsets, and regex matches with offsets, over whole frames.

Polars' ``str.extract_all`` returns matched text but not positions. Both
functions here use the same idea: a pattern whose matches tile the text
(``gap + match``) so that a running sum of match lengths gives each offset.
"""

from __future__ import annotations

import polars as pl

#: A sentence: the shortest run of text that ends in terminal punctuation
#: followed by space (or a capital, for machine-translated text that drops
#: the space: "target.The"), a line break, or the end of the text.
SENTENCE_PATTERN = r"(?s).+?(?:[.!?]+[\"'”’)\]]*(?:\s+|$)|\p{Ll}{2}[.!?]+[\"”’]?|\n+|$)"
#: Sentences ending in these are not finished ("Mr. Smith", "U.S. forces").
ABBREVIATION_END = (
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|Sen|Rep|Gov|Prof|No|Nos|vs|approx|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|E\.U)\.|\b\p{Lu}\.)$"
)


def ascii_words(pattern: str) -> str:
    r"""``pattern`` with ASCII word boundaries: ``\b`` becomes ``(?-u:\b)``.

    A Unicode ``\b`` stops the regex engine's fast DFA at the first non-ASCII
    character (a curly quote is enough) and falls back to a matcher 10-20x
    slower. Our word lists are English, so an ASCII boundary means the same.
    Not for boundaries next to ``\p{..}`` classes, where letters may be non-ASCII.
    """
    return pattern.replace("\\b", "(?-u:\\b)")


def find_all(lf: pl.LazyFrame, column: str, pattern: str, prefix: str) -> pl.LazyFrame:
    """One row per match of ``pattern`` in ``column``: ``{prefix}_text``, ``_start``, ``_end``.

    Offsets are character offsets into ``column``; the other columns are kept.
    ``pattern`` may use groups; it must not match the empty string.
    """
    # The n-th tile (gap + match) ends where the n-th match ends: the same
    # leftmost-first scan finds both, so the two lists line up one to one.
    tiles = f"(?s).*?(?:{pattern})"
    text, end = f"{prefix}_text", f"{prefix}_end"
    return (
        lf.with_columns(
            _row=pl.int_range(pl.len()),  # an integer key per input row: cheaper to window over than ids
            _tile=pl.col(column).str.extract_all(tiles),
            **{text: pl.col(column).str.extract_all(pattern)},
        )
        .explode("_tile", text)
        .filter(pl.col("_tile").is_not_null())
        .with_columns(**{end: pl.col("_tile").str.len_chars().cum_sum().over("_row").cast(pl.Int64)})
        .with_columns(**{f"{prefix}_start": pl.col(end) - pl.col(text).str.len_chars().cast(pl.Int64)})
        .drop("_tile", "_row")
    )


#: The polars engine of every collect in the parse. A batch is about 55 small queries, and
#: the in-memory engine runs each with far less fixed cost than polars' default streaming
#: engine: 2,000 articles parse in 1.1 s instead of 1.55 s (1.6 s of CPU instead of 2.5).
ENGINE = "in-memory"


def run(plan: pl.LazyFrame) -> pl.DataFrame:
    """A stage's end: its plan run now (each stage is eager at its edges, see ``flows.parse``)."""
    return plan.collect(engine=ENGINE)


def materialise(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Run ``lf`` now and continue lazily from its result.

    Used where several later plans read the same subplan: polars does not
    reliably share such subplans, and recomputing a join at every fan-out
    multiplies the work (place mentions took 20x longer without this).
    """
    return run(lf).lazy()


def sentences(documents: pl.DataFrame) -> pl.DataFrame:
    """Documents (``article_id``, ``body``) -> one row per sentence with offsets.

    Columns: ``article_id``, ``sentence_index``, ``paragraph_index``,
    ``sentence_start``, ``sentence_end`` (offsets into ``body``), ``sentence``.
    """
    pieces = (
        documents.lazy()
        .select("article_id", "body")
        .with_columns(_piece=pl.col("body").str.extract_all(SENTENCE_PATTERN))
        .drop("body")
        .explode("_piece")
        .filter(pl.col("_piece").is_not_null() & (pl.col("_piece").str.len_chars() > 0))
        .with_columns(_len=pl.col("_piece").str.len_chars())
        .with_columns(_start=(pl.col("_len").cum_sum() - pl.col("_len")).over("article_id"))
        .with_columns(
            _new_paragraph=pl.col("_piece").str.contains(r"\n\s*$").shift(1, fill_value=True).over("article_id"),
            # A piece continues the previous sentence after an abbreviation or when it
            # starts in lower case, never across a line break or at the very start.
            _continues=(
                pl.col("_piece").str.strip_chars_end().str.contains(ABBREVIATION_END).shift(1).over("article_id")
                | pl.col("_piece").str.contains(r"^\s*\p{Ll}")
            ).fill_null(False)
            & pl.col("_piece").str.contains(r"\n\s*$").shift(1).over("article_id").not_()
            & (pl.int_range(pl.len()).over("article_id") > 0),
        )
        .with_columns(
            sentence_index=(~pl.col("_continues")).cast(pl.Int64).cum_sum().over("article_id") - 1,
            paragraph_index=pl.col("_new_paragraph").cast(pl.Int64).cum_sum().over("article_id") - 1,
        )
    )
    whole = (
        pieces.group_by("article_id", "sentence_index", maintain_order=True)
        .agg(
            paragraph_index=pl.col("paragraph_index").first(),
            sentence_start=pl.col("_start").first(),
            _raw=pl.col("_piece").str.join(""),
        )
        .with_columns(
            _lead=pl.col("_raw").str.len_chars() - pl.col("_raw").str.strip_chars_start().str.len_chars(),
            sentence=pl.col("_raw").str.strip_chars(),
        )
        .filter(pl.col("sentence").str.len_chars() > 0)
        .select(
            "article_id",
            "sentence_index",
            "paragraph_index",
            sentence_start=(pl.col("sentence_start") + pl.col("_lead")).cast(pl.Int64),
            sentence_end=(pl.col("sentence_start") + pl.col("_lead") + pl.col("sentence").str.len_chars()).cast(
                pl.Int64
            ),
            sentence="sentence",
        )
    )
    return run(split_runaway(whole))


#: A longer sentence (a list of thousands of places, a text without punctuation) is cut
#: into pieces of about this many characters: the work on a sentence grows with its length
#: times the mentions in it. The longest sentence in the corpus and dev sets has 733.
MAX_SENTENCE_CHARS = 1000
#: What a runaway sentence is cut between: a word and the space after it, each of bounded
#: length, so the cut falls after a word (or inside one longer than 50 characters).
_CHUNK_TOKEN = r"(?s)\S{1,50}\s{0,50}|\s{1,50}"


def split_runaway(sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Sentences longer than ``MAX_SENTENCE_CHARS`` cut into shorter sentences at word ends.

    The pieces keep their paragraph and exact offsets; later sentences of the article
    move up by the number of pieces added before them, so an article without a runaway
    sentence keeps its indexes.
    """
    sentences = sentences.with_columns(_row=pl.int_range(pl.len()), _piece=pl.lit(0, pl.Int64))
    is_long = pl.col("sentence").str.len_chars() > MAX_SENTENCE_CHARS
    pieces = (
        sentences.filter(is_long)
        .with_columns(_token=pl.col("sentence").str.extract_all(_CHUNK_TOKEN))
        .drop("sentence")
        .explode("_token")
        .with_columns(_length=pl.col("_token").str.len_chars().cast(pl.Int64))
        .with_columns(_offset=pl.col("_length").cum_sum().over("_row") - pl.col("_length"))
        .group_by("_row", _piece=pl.col("_offset") // MAX_SENTENCE_CHARS, maintain_order=True)
        .agg(
            pl.col("article_id", "sentence_index", "paragraph_index").first(),
            _start=pl.col("sentence_start").first() + pl.col("_offset").first(),
            _text=pl.col("_token").str.join(""),
        )
        .with_columns(
            _lead=pl.col("_text").str.len_chars() - pl.col("_text").str.strip_chars_start().str.len_chars(),
            sentence=pl.col("_text").str.strip_chars(),
        )
        .filter(pl.col("sentence").str.len_chars() > 0)
        .select(
            "article_id",
            "sentence_index",
            "paragraph_index",
            sentence_start=pl.col("_start") + pl.col("_lead"),
            sentence_end=pl.col("_start") + pl.col("_lead") + pl.col("sentence").str.len_chars(),
            sentence="sentence",
            _row="_row",
            _piece=pl.int_range(pl.len(), dtype=pl.Int64).over("_row"),
        )
    )
    return (
        pl.concat([sentences.filter(~is_long), pieces], how="vertical_relaxed")
        .sort("_row", "_piece")
        # every piece after a sentence's first moves it and all later sentences up by one
        .with_columns(
            sentence_index=pl.col("sentence_index") + (pl.col("_piece") > 0).cast(pl.Int64).cum_sum().over("article_id")
        )
        .drop("_row", "_piece")
    )
