"""The extractor's facts on the golden articles (the seed article, and the gold articles when
``../shared`` is beside the checkout) match the reviewed golden files (``make golden``)."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.golden.regenerate import EXPECTED_DIR, MODELS, current_facts, golden_columns, seed_article_ids


@pytest.fixture(scope="module")
def facts(gazetteer_frames):
    return current_facts()


@pytest.mark.parametrize("table", list(MODELS))
def test_articles_match_golden(facts, table):
    expected = pl.read_csv(EXPECTED_DIR / f"{table}.csv", try_parse_dates=True, infer_schema_length=None)
    assert expected.columns == golden_columns(table), "the model's columns changed: run make golden"
    # Without ../shared only the seed article is read: compare the rows of the articles that were.
    read = facts[table]["article_id"].unique()
    expected = expected.filter(pl.col("article_id").is_in(read.implode()))
    assert_frame_equal(facts[table], expected, check_dtypes=False)


def test_golden_files_hold_no_article_text():
    for table in MODELS:
        columns = pl.read_csv(EXPECTED_DIR / f"{table}.csv", n_rows=0).columns
        assert "evidence" not in columns and "evidence_sha256" in columns


def test_seed_has_the_facts_a_coder_records(facts):
    seed_ids = list(seed_article_ids())
    seed = {name: frame.filter(pl.col("article_id").is_in(seed_ids)) for name, frame in facts.items()}
    strikes = set(seed["strike_reports"].select("place_name", "admin1").iter_rows())
    assert {("Sumy", "Sumy"), ("Dnipro", "Dnipropetrovsk"), ("Kharkiv", "Kharkiv"), ("Kherson", "Kherson"),
            ("Obesta", "Kursk"), ("Kostiantynivka", "Donetsk"), ("Nikopol", "Dnipropetrovsk"),
            ("Synelnykove", "Dnipropetrovsk")} <= strikes  # fmt: skip
    casualties = {(r["place_name"], r["killed"], r["injured"]) for r in seed["casualty_reports"].iter_rows(named=True)}
    assert {("Obesta", 1, None), ("Nikopol", 1, None), ("Synelnykove", None, 3), ("Kostiantynivka", 1, None),
            ("Kharkiv", None, 5), ("Sumy", None, 3)} <= casualties  # fmt: skip
    claims = seed["territorial_claims"].select("settlement", "admin1", "gaining_side", "claim_type").rows()
    assert sorted(claims) == [
        ("Maliivka", "Dnipropetrovsk", "RU", "capture"),
        ("Zeleniy Hai", "Donetsk", "RU", "capture"),
    ]
