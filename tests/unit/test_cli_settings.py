"""Settings are read once per process, at the edge (the CLI), and passed down to the flow."""

from __future__ import annotations

import pytest

from flows import cli, config


@pytest.fixture
def count_settings(monkeypatch):
    built = []
    original = config.Settings.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(config.Settings, "__init__", counting)
    return built


def test_run_builds_settings_once_and_hands_them_to_the_flow(tmp_path, monkeypatch, count_settings):
    from flows.runtime import prefect_server, runners

    for name in (
        "PREFECT_LOGGING_SETTINGS_PATH",
        "PREFECT_LOGGING_HANDLERS_LOGFILE_FILENAME",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL",
    ):
        monkeypatch.setenv(name, "")  # restored after: the CLI sets them for its process  # fmt: skip
    monkeypatch.setenv("FRONTLINE_PARSE_WINDOW", "3")
    received = {}

    def fake_pipeline_with(prefect_home, kind, dask_address, workers):
        def run(**kwargs):
            received.update(kwargs)
            return {"task_runner": kind}

        return run

    monkeypatch.setattr(runners, "pipeline_with", fake_pipeline_with)
    monkeypatch.setattr(prefect_server, "stop_ephemeral_server", lambda: None)
    code = cli.main(["run", "--quiet", "--input", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 0
    assert len(count_settings) == 1
    assert received["settings"].parse_window == 3
    assert received["warehouse"] == tmp_path / "w.duckdb"


def test_evaluate_build_hands_the_clis_settings_to_the_flow(tmp_path, monkeypatch, count_settings):
    import flows.pipeline as pipeline
    from flows import evaluate

    gold = tmp_path / "gold"
    (gold / "articles").mkdir(parents=True)
    (gold / "labels").mkdir()
    (gold / "articles" / "a.txt").write_text("date 2025-07-26\n\nNothing happened.\n")
    received = []
    monkeypatch.setattr(pipeline, "frontline_pipeline", lambda **kwargs: received.append(kwargs))
    monkeypatch.setattr(evaluate, "evaluate", lambda *args, **kwargs: None)
    monkeypatch.setattr(evaluate, "format_evaluation", lambda *args, **kwargs: "")
    code = cli.main(["evaluate", "--gold", str(gold), "--build", "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 0
    assert len(count_settings) == 1
    assert [kwargs["settings"] is not None for kwargs in received] == [True]
