"""The flow's tasks, called as plain functions (``.fn``) on a small warehouse: no Prefect
engine, no gazetteer, no dbt."""

from __future__ import annotations

import logging

import polars as pl
import pytest

from flows import pipeline
from flows.config import Settings
from flows.parse.extract import parser_version
from flows.warehouse import Warehouse
from schemas.staging import STAGING_MODELS

ARTICLE = "date 2025-07-26\nRussian drones hit Sumy overnight."


@pytest.fixture(autouse=True)
def plain_logger(monkeypatch):
    """Outside a run, Prefect has no run logger: tasks log to a plain one."""
    monkeypatch.setattr(pipeline, "get_run_logger", lambda: logging.getLogger("frontline.test"))


@pytest.fixture
def house(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        yield warehouse


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(input_dir=tmp_path / "input", warehouse=tmp_path / "w.duckdb", _env_file=None)


def ingest(folder, house, settings) -> pipeline.Discovery:
    found = pipeline.discover_files.fn(folder, house, settings)
    pipeline.ingest_slice.fn(folder, found.files, found.not_files, found.missing, settings.max_file_bytes, house)
    return found


def test_ingest_tasks_append_what_is_new_and_skip_what_is_unchanged(house, settings, write_files):
    folder = write_files({"a.txt": ARTICLE, "notes.md": "not an article"})
    found = ingest(folder, house, settings)
    assert ([p.name for p in found.files], found.not_files, found.unchanged) == (
        ["a.txt"],
        [("notes.md", found.not_files[0][1])],
        0,
    )
    assert house.scalar("select count(*) from raw.documents") == 1
    assert house.scalar("select count(*) from raw.rejected_files") == 1

    again = pipeline.discover_files.fn(folder, house, settings)
    assert (again.files, again.unchanged) == ([], 1)


def test_discover_names_a_missing_input_folder(house, settings, tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        pipeline.discover_files.fn(tmp_path / "nowhere", house, settings)


def empty_frames() -> dict[str, pl.DataFrame]:
    """Parser output with no rows, typed as the models say (``parser_version`` is added by validation)."""
    return {
        table: pl.DataFrame(
            schema={n: c.dtype.type for n, c in model.to_schema().columns.items() if n != "parser_version"}
        )
        for table, model in STAGING_MODELS.items()
    }


def test_store_batch_loads_valid_rows_quarantines_bad_ones_and_marks_the_articles_parsed(house, settings, write_files):
    ingest(write_files({"a.txt": ARTICLE}), house, settings)
    version = parser_version()
    pending = pipeline.pending_documents.fn(house, version)
    assert pending.height == 1
    article = pending["article_id"][0]
    frames = empty_frames()
    sentence = {"article_id": article, "sentence_index": 0, "paragraph_index": 0, "sentence_start": 0}
    frames["sentences"] = pl.DataFrame(
        [
            {**sentence, "sentence_end": 10, "sentence": "Russian drones hit Sumy."},
            {**sentence, "sentence_index": 1, "sentence_end": 0, "sentence": "bad end"},  # fails sentence_end >= 1
        ],
        schema=frames["sentences"].schema,
    )
    quarantined = pipeline.store_batch.fn(house, pending["article_id"], frames, version)
    assert quarantined == 1
    assert house.scalar("select count(*) from parsed.sentences") == 1
    assert house.scalar("select failed_checks from meta.quarantine").startswith("sentence_end")
    assert pipeline.pending_documents.fn(house, version).is_empty()  # parsed by these rules: not again
    assert pipeline.pending_documents.fn(house, "other rules").height == 1


def test_marts_state_changes_with_the_inputs_and_is_current_after_a_build(house, settings, write_files):
    project = settings.dbt_project_dir
    state, current = pipeline.marts_state.fn(house, project, {})
    assert not current
    house.record_build(state)
    assert pipeline.marts_state.fn(house, project, {}) == (state, True)
    assert not pipeline.marts_state.fn(house, project, {"keep_facts_of_removed_files": True})[1]
    ingest(write_files({"a.txt": ARTICLE}), house, settings)
    assert not pipeline.marts_state.fn(house, project, {})[1]


def test_publish_snapshot_publishes_a_new_build_once(tmp_path):
    published = tmp_path / "w.duckdb"
    with Warehouse.for_run(published, 0) as house:
        house.record_build("state")
        assert pipeline.publish_snapshot.fn(house)
        assert not pipeline.publish_snapshot.fn(house)  # readers have it already
    assert published.exists()
