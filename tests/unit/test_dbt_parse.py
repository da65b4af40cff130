"""dbt parse smoke test: the project compiles its manifest (Jinja, refs, sources, YAML) in
process, with no warehouse; artefacts go to a temporary folder, none into the project."""

from __future__ import annotations

import json

from flows.config import Settings


def test_dbt_parse_finds_every_model_and_writes_outside_the_project(tmp_path, monkeypatch):
    from dbt.cli.main import dbtRunner

    project = Settings().dbt_project_dir
    before = sorted(path.relative_to(project) for path in project.rglob("*"))
    warehouse = tmp_path / "never-opened.duckdb"
    monkeypatch.setenv("FRONTLINE_WAREHOUSE", str(warehouse))  # profiles.yml reads it; parse does not connect
    result = dbtRunner().invoke(
        [
            "parse",
            "--quiet",
            "--no-partial-parse",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ]
    )
    assert result.success, result.exception

    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    models = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    assert models == {path.stem for path in (project / "models").rglob("*.sql")}
    assert any(node["resource_type"] == "test" for node in manifest["nodes"].values())
    assert manifest["sources"]
    assert not warehouse.exists()
    assert sorted(path.relative_to(project) for path in project.rglob("*")) == before
