"""The seed article's facts match the reviewed golden files (``make golden`` regenerates them)."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.golden.regenerate import COLUMNS, EXPECTED_DIR, current_facts


@pytest.fixture(scope="module")
def facts(gazetteer_frames):
    return current_facts()


@pytest.mark.parametrize("table", list(COLUMNS))
def test_seed_matches_golden(facts, table):
    expected = pl.read_csv(EXPECTED_DIR / f"{table}.csv", try_parse_dates=True, infer_schema_length=None)
    assert_frame_equal(facts[table], expected, check_dtypes=False)


def test_seed_has_the_facts_a_coder_records(facts):
    strikes = set(facts["strike_reports"].select("place_name", "admin1").iter_rows())
    assert {("Sumy", "Sumy"), ("Dnipro", "Dnipropetrovsk"), ("Kharkiv", "Kharkiv"), ("Kherson", "Kherson"),
            ("Obesta", "Kursk"), ("Kostiantynivka", "Donetsk"), ("Nikopol", "Dnipropetrovsk"),
            ("Synelnykove", "Dnipropetrovsk")} <= strikes  # fmt: skip
    casualties = {(r["place_name"], r["killed"], r["injured"]) for r in facts["casualty_reports"].iter_rows(named=True)}
    assert {("Obesta", 1, None), ("Nikopol", 1, None), ("Synelnykove", None, 3), ("Kostiantynivka", 1, None),
            ("Kharkiv", None, 5), ("Sumy", None, 3)} <= casualties  # fmt: skip
    claims = facts["territorial_claims"].select("settlement", "admin1", "gaining_side", "claim_type").rows()
    assert sorted(claims) == [
        ("Maliivka", "Dnipropetrovsk", "RU", "capture"),
        ("Zeleniy Hai", "Donetsk", "RU", "capture"),
    ]
