"""The whole flow (ingest -> parse -> validate -> load -> dbt build -> docs) on real files."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from flows.config import REPO_ROOT
from flows.evaluate import score
from flows.pipeline import frontline_pipeline
from tests.conftest import SHARED, needs_shared, table_rows


@pytest.mark.e2e
def test_seed_run_summary_and_docs(seed_warehouse):
    warehouse, summary = seed_warehouse
    assert summary["files_read"] == 1
    assert summary["documents_parsed"] == 1
    assert summary["facts"]["fct_strike_reports"] >= 8
    assert summary["facts"]["fct_territorial_claims"] == 2
    # the docs of this warehouse, beside it (another warehouse's docs stay where they are)
    docs = warehouse.parent / "frontline.dbt" / "target"
    assert summary["docs_path"] == str(docs / "static_index.html") and (docs / "static_index.html").exists()
    manifest = json.loads((docs / "manifest.json").read_text())
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"frontline_report", "public_contract"} <= set(exposures)
    # The public models' columns and types are dbt model contracts, enforced by the build itself.
    for node in exposures["public_contract"]["depends_on"]["nodes"]:
        assert manifest["nodes"][node]["contract"]["enforced"], node
    with duckdb.connect(str(warehouse), read_only=True) as con:
        evidence = con.execute(
            "select r.evidence, r.evidence_start, r.evidence_end, d.body from fct_strike_reports r "
            "join raw.documents d using (article_id)"
        ).fetchall()
    for sentence, start, end, body in evidence:
        assert body[start:end] == sentence  # every fact traceable to its sentence


@pytest.mark.e2e
def test_docs_describe_every_source_and_model_column(seed_warehouse):
    """catalog.json lists the columns the warehouse really has; manifest.json must
    describe each of them, for every source, seed and model."""
    warehouse, _ = seed_warehouse
    target = warehouse.parent / "frontline.dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    undescribed, checked = [], 0
    for kind in ("sources", "nodes"):
        for unique_id, table in catalog[kind].items():
            node = manifest[kind][unique_id]
            for column in table["columns"]:
                checked += 1
                if not node["columns"].get(column, {}).get("description"):
                    undescribed.append(f"{unique_id}.{column}")
    assert checked > 300 and not undescribed, undescribed[:20]
    assert len(catalog["sources"]) == 15  # raw 4, extractor 5, meta 4, reference 2


@pytest.mark.e2e
def test_seed_run_writes_a_report_that_draws(seed_warehouse, tmp_path):
    """A run that built the marts leaves report.html beside the warehouse; Chromium draws it."""
    from tests.desk.test_report import assert_drawn

    warehouse, summary = seed_warehouse
    assert summary["report_path"] == str(warehouse.parent / "report.html")
    assert_drawn(warehouse, warehouse.parent / "report.html", tmp_path)


@needs_shared
@pytest.mark.e2e
def test_seed_gold_records_are_all_found(seed_warehouse, tmp_path):
    warehouse, _ = seed_warehouse
    labels = tmp_path / "labels"
    labels.mkdir()
    # the labels of the articles that ship in seeds/ (found by name, whatever they are)
    for article in (REPO_ROOT / "seeds").glob("*.txt"):
        label = SHARED / "gold" / "labels" / f"{article.stem}.json"
        if label.exists():
            shutil.copy(label, labels)
    assert any(labels.iterdir()), "no gold label for the articles in seeds/"
    scores = score(warehouse, labels)
    for table, result in scores.items():
        assert result.fn == 0, table


@pytest.mark.e2e
def test_second_run_changes_nothing(seed_warehouse):
    warehouse, _ = seed_warehouse
    before = table_rows(warehouse)
    summary = frontline_pipeline(input_dir=REPO_ROOT / "seeds", warehouse=warehouse)
    assert summary["new_documents"] == 0
    assert summary["documents_parsed"] == 0
    assert summary["files_unchanged"] == summary["files_read"] == 1  # stat, not read again
    assert "dbt_build" not in summary["stage_seconds"]  # the marts were current
    assert summary["report_path"] is None  # nor is the report written again
    assert table_rows(warehouse) == before


@needs_shared
@pytest.mark.e2e
def test_gold_articles_score(gold_warehouse):
    """The extractor on the shared gold set: the bar of issue 3 (F1 >= 0.85 per table)."""
    warehouse = gold_warehouse
    scores = score(warehouse, SHARED / "gold" / "labels")
    for table, result in scores.items():
        assert result.f1 >= 0.85, (table, result.as_dict())
    casualties = scores["casualties"].accuracy()
    assert casualties["killed"] >= 0.9
    assert casualties["injured"] >= 0.9
    # articles whose labels record no fact at all must yield none
    factless = [
        label["source_file"]
        for label in (json.loads(path.read_text()) for path in (SHARED / "gold" / "labels").glob("*.json"))
        if not any(label.get(table) for table in ("strikes", "casualties", "territorial_claims"))
    ]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for source in factless:
            facts = con.execute(
                "select (select count(*) from fct_strike_reports r where r.article_id = a.article_id)"
                " + (select count(*) from fct_casualty_reports r where r.article_id = a.article_id)"
                " + (select count(*) from fct_territorial_claims r where r.article_id = a.article_id)"
                " from dim_articles a where source_file = ?",
                [source],
            ).fetchone()[0]
            assert facts == 0, source
