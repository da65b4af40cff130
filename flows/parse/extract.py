"""The extractor end to end: documents -> staging frames."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flows.parse.attribution import sentence_speakers
from flows.parse.casualties import casualty_reports
from flows.parse.claims import claim_reports
from flows.parse.dates import sentence_dates
from flows.parse.facts import Context
from flows.parse.places import place_mentions
from flows.parse.scope import dated_sentences, fact_paragraphs
from flows.parse.strikes import strike_reports
from flows.parse.text import collect_all, materialise
from flows.parse.text import sentences as split_sentences

#: The frames ``extract`` returns, one staging table each.
STAGING_TABLES = ["sentences", "place_mentions", "strike_reports", "casualty_reports", "territorial_claims"]


def parser_version() -> str:
    """Identifies the rules that produced a staging row: a hash of the extractor's code and one
    of its lexicons. Any change to either makes every stored article pending again, so a
    warehouse never mixes rows of old and new rules (a hand-bumped number was forgotten)."""
    import hashlib

    from flows.parse import lexicons

    code = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        code.update(path.name.encode())
        code.update(path.read_bytes())
    return f"{code.hexdigest()[:8]}-{lexicons.fingerprint()}"


def extract(documents: pl.LazyFrame, places: pl.LazyFrame, aliases: pl.LazyFrame) -> dict[str, pl.LazyFrame]:
    """``documents`` (``article_id``, ``published_date``, ``body``) -> staging frames by table name."""
    # The shared context is used by every fact type: materialise it once, so the
    # three fact plans do not each recompute it (polars does not share subplans
    # across separate collects).
    sentences = materialise(split_sentences(documents))
    # Places, dates, speakers and facts only where a fact can be (scope.py).
    in_scope = materialise(fact_paragraphs(sentences))
    articles = documents.select("article_id", "published_date").join(
        sentences.group_by("article_id").agg(n_sentences=pl.len()), on="article_id", how="left"
    )
    mentions, dates, speakers, articles = (
        frame.lazy()
        for frame in collect_all(
            [
                place_mentions(in_scope, places, aliases),
                sentence_dates(dated_sentences(sentences, in_scope), articles),
                sentence_speakers(in_scope),
                articles,
            ]
        )
    )
    context = Context(sentences=in_scope, mentions=mentions, dates=dates, speakers=speakers, documents=articles)
    return {
        "sentences": sentences,
        "place_mentions": mentions,
        "strike_reports": strike_reports(context),
        "casualty_reports": casualty_reports(context),
        "territorial_claims": claim_reports(context),
    }


def parse(documents: pl.DataFrame, places: pl.DataFrame, aliases: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """``extract`` run now: staging frames by table name."""
    plans = extract(documents.lazy(), places.lazy(), aliases.lazy())
    return dict(zip(plans, collect_all(list(plans.values())), strict=True))
