"""The parse's stages are eager at their edges (flows/parse/__init__.py): each takes and
returns DataFrames, so each boundary is one collect that its signature shows."""

from __future__ import annotations

import datetime as dt
import inspect

import polars as pl

from flows.parse import attribution, casualties, claims, dates, extract, places, scope, strikes, text
from flows.parse.facts import Context
from tests.conftest import documents_frame

STAGES = [
    text.sentences,
    scope.fact_paragraphs,
    scope.dated_sentences,
    places.place_mentions,
    dates.sentence_dates,
    attribution.sentence_speakers,
    strikes.strike_reports,
    casualties.casualty_reports,
    claims.claim_reports,
    extract.parse,
]


def test_every_stage_says_it_is_eager():
    for stage in STAGES:
        signature = inspect.signature(stage)
        returns = signature.return_annotation
        assert returns in ("pl.DataFrame", "dict[str, pl.DataFrame]"), stage.__qualname__
        for name, parameter in signature.parameters.items():
            assert parameter.annotation in ("pl.DataFrame", "Context"), f"{stage.__qualname__}({name})"


def test_each_stage_hands_the_next_a_dataframe(small_gazetteer):
    gazetteer_places, aliases = small_gazetteer
    documents = documents_frame(["Russian missiles hit Kherson on Sunday, killing two people, the governor said."])
    sentences = text.sentences(documents)
    in_scope = scope.fact_paragraphs(sentences)
    articles = documents.select("article_id", "published_date").with_columns(
        n_chars=pl.lit(80, pl.UInt32), n_sentences=pl.lit(1, pl.UInt32)
    )
    context = Context(
        sentences=in_scope,
        mentions=places.place_mentions(in_scope, gazetteer_places, aliases),
        dates=dates.sentence_dates(scope.dated_sentences(sentences, in_scope), articles),
        speakers=attribution.sentence_speakers(in_scope),
        articles=articles,
    )
    frames = [sentences, in_scope, context.mentions, context.dates, context.speakers]
    frames += [strikes.strike_reports(context), casualties.casualty_reports(context), claims.claim_reports(context)]
    assert all(isinstance(frame, pl.DataFrame) for frame in frames)
    assert context.dates["sentence_date"].to_list() == [dt.date(2025, 7, 20)]
    assert frames[-3]["place_name"].to_list() == ["Kherson"]
