"""Regenerate tests/golden/expected/*.csv (``make golden``): the extractor's facts on the seed
article (``seeds/``) and, when ``../shared`` is beside the checkout, on the gold articles
(``../shared/gold/articles/``), read at test time and never copied here.

The columns are the staging models' (``schemas/staging.py``), less those that quote the
article (``article_text`` in the model: the evidence sentence), which are stored as a hash so
that no article text lands in the repository. Review the diff before committing: it is the
extractor's behaviour on these articles.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from flows import gazetteer
from flows.config import REPO_ROOT, load_settings
from flows.ingest import ingest
from flows.parse.extract import parse
from schemas.columns import article_text_columns
from schemas.staging import CasualtyReports, StrikeReports, TerritorialClaims, extracted_columns

EXPECTED_DIR = Path(__file__).with_name("expected")
SEED_ARTICLES = REPO_ROOT / "seeds"
GOLD_ARTICLES = REPO_ROOT.parent / "shared" / "gold" / "articles"
MODELS = {"strike_reports": StrikeReports, "casualty_reports": CasualtyReports, "territorial_claims": TerritorialClaims}


def input_dirs() -> list[Path]:
    return [SEED_ARTICLES, *([GOLD_ARTICLES] if GOLD_ARTICLES.is_dir() else [])]


def _hash(column: str) -> pl.Expr:
    return pl.col(column).map_elements(lambda text: hashlib.sha256(text.encode()).hexdigest()[:16], pl.String)


def golden_columns(table: str) -> list[str]:
    """The golden file's columns: the model's, article text as ``<column>_sha256``. Articles are
    named by their content hash (``article_id``), never by a labelled file's name."""
    model = MODELS[table]
    text = article_text_columns(model)
    return [f"{name}_sha256" if name in text else name for name in extracted_columns(model)]


def seed_article_ids() -> set[str]:
    """The content hashes of the project's own seed articles."""
    return set(ingest(SEED_ARTICLES, load_settings().max_file_bytes).documents["article_id"])


def current_facts() -> dict[str, pl.DataFrame]:
    """The extractor's facts on every golden article, as the golden files hold them."""
    settings = load_settings()
    places, aliases = gazetteer.load_or_build(settings.reference_dir, gazetteer.REGIONS_CSV)
    documents = pl.concat([ingest(folder, settings.max_file_bytes).documents for folder in input_dirs()]).unique(
        "article_id", keep="first", maintain_order=True
    )  # the seed article is a gold article too
    frames = parse(documents.select("article_id", "published_date", "body"), places, aliases)
    out = {}
    for table, model in MODELS.items():
        frame = frames[table]
        hashed = {f"{name}_sha256": _hash(name) for name in article_text_columns(model)}
        out[table] = frame.with_columns(**hashed).select(golden_columns(table)).sort(pl.all())
    return out


def main() -> None:
    EXPECTED_DIR.mkdir(exist_ok=True)
    for table, frame in current_facts().items():
        frame.write_csv(EXPECTED_DIR / f"{table}.csv")
        print(f"wrote {table}.csv ({frame.height} rows from {frame['article_id'].n_unique()} articles)")


if __name__ == "__main__":
    main()
