"""The files derived from schemas/ (dbt sources, vocabulary docs, seeds) are current."""

from __future__ import annotations

import yaml

from schemas import dbt_sources, generate


def test_generated_files_are_current():
    stale = generate.stale()
    assert not stale, f"stale: {[str(path) for path in stale]}; run {generate.COMMAND}"


def test_every_source_column_has_a_description():
    assert dbt_sources.undescribed() == []
    for source in dbt_sources.SOURCES:
        (entry,) = yaml.safe_load(source.path(generate.DBT_PROJECT).read_text(encoding="utf-8"))["sources"]
        for table in entry["tables"]:
            assert table["description"], table["name"]
            assert table["columns"] and all(column["description"] for column in table["columns"]), table["name"]


def test_an_enum_column_gets_its_accepted_values():
    (entry,) = yaml.safe_load(dbt_sources.render(dbt_sources.SOURCES[1]))["sources"]
    strikes = next(table for table in entry["tables"] if table["name"] == "strike_reports")
    weapon = next(column for column in strikes["columns"] if column["name"] == "weapon")
    (test,) = weapon["data_tests"]
    assert "glide_bomb" in test["accepted_values"]["arguments"]["values"]
    assert "`glide_bomb`" in weapon["description"]


def test_check_names_a_stale_file_and_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(generate, "DBT_PROJECT", tmp_path)
    assert generate.main(["--check"]) == 1  # nothing written yet
    assert generate.COMMAND in capsys.readouterr().err
    assert generate.main([]) == 0 and generate.main(["--check"]) == 0
    seed = tmp_path / "seeds" / "sides.csv"
    seed.write_text(seed.read_text(encoding="utf-8").replace("RU,", "RUS,"), encoding="utf-8")
    assert generate.main(["--check"]) == 1
    assert str(seed) in capsys.readouterr().err
