"""Where facts are looked for (flows/parse/scope.py): fact paragraphs and the paragraph before
each; the lead and "today" sentences for the article's date. The facts are those of the
whole text."""

from __future__ import annotations

import datetime as dt

import polars as pl

from flows.parse.scope import dated_sentences, fact_paragraphs
from flows.parse.text import sentences as split_sentences
from tests.conftest import documents_frame


def _paragraphs_in_scope(text: str) -> list[int]:
    sentences = split_sentences(documents_frame([text]))
    return sorted(fact_paragraphs(sentences)["paragraph_index"].unique().to_list())


def test_a_fact_paragraph_and_the_one_before_it_are_read():
    text = (
        "The talks in Geneva went on.\n\n"
        "The mayor spoke to reporters.\n\n"
        "Two civilians were killed.\n\n"
        "The weather was mild.\n\n"
        "The parliament met on Monday."
    )
    assert _paragraphs_in_scope(text) == [1, 2]


def test_each_extractors_cue_opens_a_paragraph():
    for cue in ("Drones hit a depot.", "A missile fell.", "Three people were injured.", "The army captured a hill."):
        assert _paragraphs_in_scope(f"The talks went on.\n\nThe minister left.\n\n{cue}") == [1, 2], cue


def test_a_count_takes_the_place_named_in_the_paragraph_before(run_extract):
    # the paragraph naming the place has no cue of its own: it is read because a fact follows
    frames = run_extract(["Rescuers worked through the night in Kherson.\n\nTwo civilians were killed on Sunday."])
    assert frames["casualty_reports"].select("place_name", "killed").rows() == [("Kherson", 2)]


def test_paragraphs_without_facts_name_no_places(run_extract):
    frames = run_extract(
        [
            "Kharkiv hosted a concert.\n\nThe orchestra toured Lviv.\n\nThe audience went home.\n\n"
            "Russian missiles hit Kherson on Sunday."
        ]
    )
    assert frames["place_mentions"]["place_name"].to_list() == ["Kherson"]
    assert frames["strike_reports"]["place_name"].to_list() == ["Kherson"]


def test_the_lead_and_a_later_today_date_the_article_outside_fact_paragraphs(run_extract):
    # neither the lead nor the "today" paragraph has a fact cue, yet together they date the text
    frames = run_extract(
        [
            "In his address on Thursday evening, July 21, the president spoke about the harvest.\n\n"
            "Today, the grain ships sailed.\n\n"
            "Russian missiles hit Kherson."
        ],
        dt.date(2022, 7, 22),
    )
    assert frames["strike_reports"].select("place_name", "strike_date").rows() == [("Kherson", dt.date(2022, 7, 21))]


def test_dated_sentences_add_the_lead_and_today_sentences_once():
    text = "The talks went on.\n\nToday, ships sailed.\n\nThe minister left.\n\nA missile fell today."
    sentences = split_sentences(documents_frame([text]))
    dated = dated_sentences(sentences, fact_paragraphs(sentences))
    # all four: the lead, the "today" paragraph, and the fact paragraph with the one before it
    assert dated.height == sentences.height == 4
    assert dated.filter(pl.col("sentence_index").is_duplicated()).is_empty()
