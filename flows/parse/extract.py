"""The extractor end to end: documents -> staging frames."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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


def parse(documents: pl.DataFrame, places: pl.DataFrame, aliases: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """``documents`` (``article_id``, ``published_date``, ``body``) -> staging frames by table name.

    Each stage runs to its end (``flows.parse``) before a stage that reads it starts: the
    shared context is read by every fact type, and polars would recompute it for each.
    """
    sentences = split_sentences(documents)
    # Places, dates, speakers and facts only where a fact can be (scope.py).
    in_scope = fact_paragraphs(sentences)
    articles = documents.select("article_id", "published_date", n_chars=pl.col("body").str.len_chars()).join(
        sentences.group_by("article_id").agg(n_sentences=pl.len()), on="article_id", how="left"
    )
    with ThreadPoolExecutor(max_workers=3) as side_by_side:
        # Independent stages run side by side: polars releases the GIL, and each stage's
        # small queries leave cores idle that another stage's can use.
        mentions = side_by_side.submit(place_mentions, in_scope, places, aliases)
        dates = side_by_side.submit(sentence_dates, dated_sentences(sentences, in_scope), articles)
        speakers = side_by_side.submit(sentence_speakers, in_scope)
        context = Context(
            sentences=in_scope,
            mentions=mentions.result(),
            dates=dates.result(),
            speakers=speakers.result(),
            articles=articles,
        )
        facts = {
            table: side_by_side.submit(extractor, context)
            for table, extractor in [
                ("strike_reports", strike_reports),
                ("casualty_reports", casualty_reports),
                ("territorial_claims", claim_reports),
            ]
        }
    return {"sentences": sentences, "place_mentions": context.mentions} | {
        table: future.result() for table, future in facts.items()
    }
