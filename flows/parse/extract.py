"""The extractor end to end: documents -> staging frames."""

from __future__ import annotations

import polars as pl

from flows.parse.attribution import sentence_speakers
from flows.parse.casualties import casualty_reports
from flows.parse.claims import claim_reports
from flows.parse.dates import sentence_dates
from flows.parse.facts import Context
from flows.parse.places import place_mentions
from flows.parse.strikes import strike_reports
from flows.parse.text import sentences as split_sentences

#: Bump with any change to the extractor's code; lexicon changes are picked
#: up by their own fingerprint (see ``parser_version``).
EXTRACTOR_VERSION = "1"
#: The frames ``extract`` returns, one staging table each.
STAGING_TABLES = ["sentences", "place_mentions", "strike_reports", "casualty_reports", "territorial_claims"]


def parser_version() -> str:
    """Identifies the rules that produced a staging row: code version + lexicon hash."""
    from flows.parse import lexicons

    return f"{EXTRACTOR_VERSION}-{lexicons.fingerprint()}"


def extract(documents: pl.LazyFrame, places: pl.LazyFrame, aliases: pl.LazyFrame) -> dict[str, pl.LazyFrame]:
    """``documents`` (``article_id``, ``published_date``, ``body``) -> staging frames by table name."""
    # The shared context is used by every fact type: materialise it once, so the
    # three fact plans do not each recompute it (polars does not share subplans
    # across separate collects).
    sentences = split_sentences(documents).collect().lazy()
    mentions, dates, speakers = (
        frame.lazy()
        for frame in pl.collect_all(
            [
                place_mentions(sentences, places, aliases),
                sentence_dates(sentences, documents),
                sentence_speakers(sentences),
            ]
        )
    )
    context = Context(sentences, mentions, dates, speakers, documents)
    return {
        "sentences": sentences,
        "place_mentions": mentions,
        "strike_reports": strike_reports(context),
        "casualty_reports": casualty_reports(context),
        "territorial_claims": claim_reports(context),
    }
