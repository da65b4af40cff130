"""The scorer: matching rules, and agreement with the shared scorer."""

import json
import subprocess
import sys

import duckdb
import pytest

from flows.config import REPO_ROOT
from flows.evaluate import greedy_match, name_key, score
from tests.conftest import SHARED, needs_shared

EXAMPLE_LABELS = REPO_ROOT / "tests" / "golden" / "example_labels"


def test_name_key_folds_spellings():
    assert name_key("Zelenyy Hay") == name_key("Zeleniy Hai") == name_key("Zelenyi Hai")
    assert name_key("Sumy region") == name_key("Sumy")


def test_greedy_match_prefers_required_records():
    gold = [
        {"admin1": "Sumy", "settlement": [None], "optional": True},
        {"admin1": "Sumy", "settlement": ["Sumy", None]},
    ]
    facts = [{"admin1": "Sumy", "settlement": None, "strike_date": None}]
    pairs, missed, extra = greedy_match("strikes", gold, facts)
    assert pairs == [(1, 0)]
    assert (missed, extra) == ([0], [])


@pytest.fixture
def tiny_warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table dim_articles as select 'a1' as article_id, '000_4758398464d2c4ba.txt' as source_file")
        con.execute(
            "create table fct_strike_reports as select * from (values "
            "('a1', date '2025-07-26', 'Kursk', null, 'Obesta', 'UA', 'RU', 'drone', 'e1'),"
            "('a1', date '2025-07-26', 'Kherson', null, null, 'RU', 'UA', 'missile', 'e2'),"
            "('a1', date '2025-07-26', 'Lviv', null, 'Lviv', 'RU', 'UA', 'missile', 'e3')"
            ") t(article_id, strike_date, admin1, admin2, settlement, perpetrator_side, target_country, weapon, evidence)"
        )
        con.execute(
            "create table fct_casualty_reports as select 'a1' as article_id, date '2025-07-26' as incident_date, "
            "'Kharkiv' as admin1, null as admin2, 'Kharkiv' as settlement, null::int as killed, 4 as injured, 'e' as evidence"
        )
        con.execute(
            "create table fct_territorial_claims as select 'a1' as article_id, date '2025-07-26' as claim_date, "
            "'Dnipropetrovsk' as admin1, 'Maliivka' as settlement, 'RU' as claimant_side, 'RU' as gaining_side, "
            "'capture' as claim_type, 'unverified' as verification, 'e' as evidence"
        )
    return path


def test_score_counts_and_field_accuracy(tiny_warehouse):
    scores = score(tiny_warehouse, EXAMPLE_LABELS)
    strikes = scores["strikes"]
    assert (strikes.tp, strikes.fn, strikes.fp) == (2, 1, 0)  # recall-only file: the Lviv extra is not counted
    assert strikes.accuracy()["weapon"] == 1.0
    casualties = scores["casualties"]
    assert (casualties.tp, casualties.fn) == (1, 1)
    assert casualties.accuracy()["injured"] == 0.0
    assert scores["territorial_claims"].tp == 1


@needs_shared
def test_same_numbers_as_the_shared_scorer(tiny_warehouse, tmp_path):
    out = tmp_path / "shared.json"
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "score.py"),
            str(tiny_warehouse),
            str(EXAMPLE_LABELS),
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    ours = {t: s.as_dict() for t, s in score(tiny_warehouse, EXAMPLE_LABELS).items()}
    assert ours == json.loads(out.read_text())
