"""Regenerate tests/golden/expected/*.csv from the articles in seeds/ (``make golden``).

Review the diff before committing: it is the extractor's behaviour on the seed.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flows import gazetteer
from flows.config import REPO_ROOT, Settings
from flows.ingest import ingest
from flows.parse.extract import extract

EXPECTED_DIR = Path(__file__).with_name("expected")
COLUMNS = {
    "strike_reports": [
        "strike_date",
        "place_name",
        "feature_type",
        "admin1",
        "perpetrator_side",
        "target_country",
        "weapon",
    ],
    "casualty_reports": [
        "incident_date",
        "place_name",
        "feature_type",
        "admin1",
        "killed",
        "injured",
        "count_qualifier",
        "victim_group",
    ],
    "territorial_claims": [
        "claim_date",
        "settlement",
        "admin1",
        "claimant",
        "claimant_side",
        "gaining_side",
        "claim_type",
        "verification",
    ],
}


def current_facts() -> dict[str, pl.DataFrame]:
    """The extractor's facts on seeds/, as the golden files hold them."""
    settings = Settings()
    places, aliases = gazetteer.load_or_build(
        settings.reference_dir, settings.dbt_project_dir / "seeds" / "regions.csv"
    )
    documents = ingest(REPO_ROOT / "seeds", settings.max_file_bytes).documents
    plans = extract(documents.lazy(), places.lazy(), aliases.lazy())
    out = {}
    for table, columns in COLUMNS.items():
        frame = plans[table].collect().join(documents.select("article_id", "source_file"), on="article_id")
        out[table] = frame.select("source_file", *columns).sort(pl.all())
    return out


def main() -> None:
    EXPECTED_DIR.mkdir(exist_ok=True)
    for table, frame in current_facts().items():
        frame.write_csv(EXPECTED_DIR / f"{table}.csv")
        print(f"wrote {table}.csv ({frame.height} rows)")


if __name__ == "__main__":
    main()
