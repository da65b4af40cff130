"""The dbt source YAML is generated from the pandera models: every column described once."""

from __future__ import annotations

import yaml

from schemas import dbt_sources


def test_source_yaml_is_current_with_the_models():
    for source in dbt_sources.SOURCES:
        assert source.path.read_text(encoding="utf-8") == dbt_sources.render(source), (
            f"{source.path} is stale: run python -m schemas.dbt_sources"
        )
    assert dbt_sources.main(["--check"]) == 0


def test_every_source_column_has_a_description():
    assert dbt_sources.undescribed() == []
    for source in dbt_sources.SOURCES:
        (entry,) = yaml.safe_load(source.path.read_text(encoding="utf-8"))["sources"]
        for table in entry["tables"]:
            assert table["description"], table["name"]
            assert table["columns"] and all(column["description"] for column in table["columns"]), table["name"]


def test_check_reports_a_stale_file(tmp_path, monkeypatch):
    stale = dbt_sources.Source("raw", "old", dbt_sources.SOURCES[0].tables)
    monkeypatch.setattr(dbt_sources, "MODELS_DIR", tmp_path)
    (tmp_path / "raw").mkdir()
    stale.path.write_text("version: 2\n", encoding="utf-8")
    monkeypatch.setattr(dbt_sources, "SOURCES", (stale,))
    assert dbt_sources.main(["--check"]) == 1
    assert dbt_sources.main([]) == 0 and dbt_sources.main(["--check"]) == 0
