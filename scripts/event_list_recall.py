"""Strike recall and place agreement on an event list nobody tuned on.

    python -m scripts.event_list_recall [--sample 300] [--seed 12]

The Bellingcat / Centre for Information Resilience civilian-harm monitor
(``../shared/corpus/bellingcat_cir_mauforonda/events.csv``) gives each event a short
description and, in columns of its own, the town and province. The events in Ukraine whose
description names the town and an attack word are parsed as one-line texts dated that day;
the script prints how many give a strike row (recall on text that reports a strike, more or
less: some rows are footage of weapons or ruins rather than attacks), and how many of those
rows are at the town the monitor records (by name key) or, failing that, in its province.
It reads the corpus in place and writes nothing.
"""

from __future__ import annotations

import argparse

import polars as pl

from flows import gazetteer
from flows.config import REPO_ROOT, load_settings
from flows.parse.extract import parse
from flows.parse.names import name_key

EVENTS = REPO_ROOT.parent / "shared" / "corpus" / "bellingcat_cir_mauforonda" / "events.csv"
ATTACK_WORD = r"(?i)\b(?:strike|struck|shell\w*|missile|rocket|bomb\w*|attack\w*|hit|drone|airstrike|artillery)\b"


def attack_events(sample: int, seed: int) -> pl.DataFrame:
    """Events in Ukraine whose description names their town (its first five letters) and an attack word."""
    events = pl.read_csv(EVENTS, infer_schema_length=0).rename({"brief description": "body", "town/city": "town"})
    town_named = (
        pl.col("body").str.to_lowercase().str.contains(pl.col("town").str.to_lowercase().str.slice(0, 5), literal=True)
    )
    chosen = events.filter(
        (pl.col("country") == "Ukraine") & pl.col("town").is_not_null() & pl.col("body").is_not_null()
    ).filter(town_named & pl.col("body").str.contains(ATTACK_WORD))
    return chosen.sample(min(sample, chosen.height), seed=seed).with_columns(
        article_id=pl.int_range(pl.len()).cast(pl.String).str.zfill(16),
        published_date=pl.col("date").str.to_date(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    settings = load_settings()
    places, aliases = gazetteer.load_or_build(settings.reference_dir, gazetteer.REGIONS_CSV)
    events = attack_events(args.sample, args.seed)
    strikes = parse(events.select("article_id", "published_date", "body"), places, aliases)["strike_reports"]
    rows = strikes.join(events.select("article_id", "town", "province"), on="article_id").with_columns(
        at_town=name_key(pl.col("place_name")) == name_key(pl.col("town")),
        in_province=pl.col("province")
        .str.to_lowercase()
        .str.contains(pl.col("admin1").str.to_lowercase().str.slice(0, 5), literal=True),
    )
    per_event = rows.group_by("article_id").agg(pl.col("at_town").any(), pl.col("in_province").fill_null(False).any())
    found = per_event.height
    print(f"events sampled (seed {args.seed}): {events.height}")
    print(f"with a strike row: {found} ({found / max(events.height, 1):.1%})")
    print(f"  at the monitor's town: {per_event['at_town'].sum()} ({per_event['at_town'].sum() / max(found, 1):.1%})")
    elsewhere = per_event.filter(~pl.col("at_town"))
    print(f"  else in its province: {elsewhere['in_province'].sum()} of {elsewhere.height}")


if __name__ == "__main__":
    main()
