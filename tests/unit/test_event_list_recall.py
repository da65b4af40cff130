"""scripts/event_list_recall.py picks events whose description names their town and an attack."""

import polars as pl

from scripts.event_list_recall import ATTACK_WORD, attack_events
from tests.conftest import needs_shared


@needs_shared
def test_the_sample_names_its_town_and_an_attack_and_is_fixed_by_its_seed():
    events = attack_events(20, seed=1)
    assert events.height == 20
    assert events["article_id"].n_unique() == 20
    assert (
        events.select(
            pl.col("body")
            .str.to_lowercase()
            .str.contains(pl.col("town").str.to_lowercase().str.slice(0, 5), literal=True)
        )
        .to_series()
        .all()
    )
    assert events["body"].str.contains(ATTACK_WORD).all()
    assert events["body"].to_list() == attack_events(20, seed=1)["body"].to_list()
