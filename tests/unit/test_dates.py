import datetime as dt

import polars as pl
import pytest

from flows.parse.dates import date_mentions, resolve_expression, sentence_dates

PUBLISHED = dt.date(2025, 7, 26)  # a Saturday


def _resolve(sentence: str, published: dt.date = PUBLISHED) -> tuple[dt.date, str]:
    s = pl.LazyFrame({"article_id": ["a"], "sentence_index": [0], "sentence": [sentence]})
    d = pl.LazyFrame({"article_id": ["a"], "published_date": [published]})
    row = date_mentions(s, d).collect().row(0, named=True)
    return row["event_date"], row["date_precision"]


@pytest.mark.parametrize(
    ("sentence", "expected", "precision"),
    [
        ("Its forces had on July 26 captured the village.", dt.date(2025, 7, 26), "day"),
        ("A strike on Aug. 3 killed two.", dt.date(2024, 8, 3), "day"),  # later than publication: last year
        ("On 12 February 2024, Russian forces shelled near X.", dt.date(2024, 2, 12), "day"),
        ("Drones hit Sumy on Saturday.", dt.date(2025, 7, 26), "day"),
        ("Drones hit Sumy on Friday.", dt.date(2025, 7, 25), "day"),
        ("Yesterday a missile struck.", dt.date(2025, 7, 25), "day"),
        ("Overnight, drones attacked.", dt.date(2025, 7, 26), "day"),
        ("On the night of 24 to 25 July drones attacked.", dt.date(2025, 7, 25), "day"),
        ("At night from Thursday to Friday, drones flew in.", dt.date(2025, 7, 25), "day"),
        ("The airport was attacked in mid-April.", dt.date(2025, 4, 15), "month"),
        ("The airport was attacked in mid -April.", dt.date(2025, 4, 15), "month"),  # machine translation
        ("Shelling of the town began in early March.", dt.date(2025, 3, 1), "month"),
        ("The bridge was hit in late June.", dt.date(2025, 6, 25), "month"),
        ("The bridge was hit at the end of June.", dt.date(2025, 6, 25), "month"),
        ("The port was attacked in March.", dt.date(2025, 3, 1), "month"),
        ("The port was attacked in December.", dt.date(2024, 12, 1), "month"),  # later than publication: last year
        ("The port was attacked in March 2023.", dt.date(2023, 3, 1), "month"),
        ("Earlier this month, blasts hit the port.", dt.date(2025, 7, 1), "month"),
        ("Last week, missiles struck Crimea.", dt.date(2025, 7, 19), "week"),
        ("Reported 2025-07-20 by officials.", dt.date(2025, 7, 20), "day"),
    ],
)
def test_date_expressions(sentence, expected, precision):
    assert _resolve(sentence) == (expected, precision)


def test_sentence_without_date_takes_paragraph_then_article_date():
    s = pl.LazyFrame(
        {
            "article_id": ["a"] * 3,
            "sentence_index": [0, 1, 2],
            "paragraph_index": [0, 0, 1],
            "sentence": ["On Thursday drones hit Sumy.", "Two people died.", "Kharkiv was shelled."],
        }
    )
    d = pl.LazyFrame({"article_id": ["a"], "published_date": [PUBLISHED]})
    out = sentence_dates(s.collect(), d.collect()).sort("sentence_index")
    assert out["sentence_date"].to_list() == [dt.date(2025, 7, 24), dt.date(2025, 7, 24), PUBLISHED]
    assert out["sentence_date_precision"].to_list() == ["day", "day", "article"]


def test_lead_date_anchors_today_in_a_transcript():
    s = pl.LazyFrame(
        {
            "article_id": ["a"] * 2,
            "sentence_index": [0, 1],
            "paragraph_index": [0, 1],
            "sentence": ["In the address on Thursday evening, July 21, he spoke.", "Today, the army shelled Kharkiv."],
        }
    )
    d = pl.LazyFrame({"article_id": ["a"], "published_date": [dt.date(2022, 7, 22)]})
    out = sentence_dates(s.collect(), d.collect()).sort("sentence_index")
    assert out["sentence_date"].to_list() == [dt.date(2022, 7, 21), dt.date(2022, 7, 21)]


def test_month_and_year_is_not_a_day():
    date, precision = resolve_expression(pl.lit("March 2022"), pl.lit(dt.date(2023, 5, 1)))
    assert pl.select(date, precision).row(0) == (dt.date(2022, 3, 1), "month")
