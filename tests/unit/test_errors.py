"""Errors name their cause: bad settings and a full disk give one line, no traceback."""

import errno
import logging
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from flows import cli, transform
from flows.config import SettingsError, load_settings
from flows.errors import LOGGING_CONFIG, QuietFileHandler, console_formatter, log_to, one_line


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("FRONTLINE_PARSE_BATCH_SIZE", "0", "FRONTLINE_PARSE_BATCH_SIZE='0': Input should be greater than 0"),
        ("FRONTLINE_INGEST_BATCH_SIZE", "-5", "FRONTLINE_INGEST_BATCH_SIZE='-5': Input should be greater than 0"),
        ("FRONTLINE_LOCK_TIMEOUT_SECONDS", "soon", "FRONTLINE_LOCK_TIMEOUT_SECONDS='soon': Input should be a valid"),
        ("FRONTLINE_MAX_FILE_BYTES", "0", "FRONTLINE_MAX_FILE_BYTES='0': Input should be greater than 0"),
        ("FRONTLINE_FILE_EXTENSIONS", " , ", "FRONTLINE_FILE_EXTENSIONS=' , ': Value error, list at least one"),
    ],
)
def test_bad_setting_is_one_line_naming_the_variable(monkeypatch, capsys, variable, value, said):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=r"^bad setting "):
        load_settings()
    assert cli.main(["query", "select 1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"frontline: error: bad setting {said}")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_extensions_setting_is_normalised(monkeypatch):
    monkeypatch.setenv("FRONTLINE_FILE_EXTENSIONS", "TXT, .Md")
    assert load_settings().allowed_extensions == (".txt", ".md")


def test_full_disk_is_named_with_the_file():
    error = OSError(errno.ENOSPC, "No space left on device", "/data/w.duckdb.wal")
    assert one_line(error) == "no space left on device (writing /data/w.duckdb.wal)"
    duckdb_error = RuntimeError('IO Error: Could not write file "/data/w.duckdb": No space left on device\nmore')
    assert one_line(duckdb_error) == "no space left on device (writing /data/w.duckdb)"


def test_dbt_failure_from_a_full_disk_says_so_not_the_model_names():
    message = 'IO Error: Could not write file "/data/w.duckdb.wal": No space left on device'
    results = [
        SimpleNamespace(status="error", message=message, node=SimpleNamespace(name=f"model_{i}")) for i in range(10)
    ]
    result = SimpleNamespace(exception=None, result=SimpleNamespace(results=results))
    assert transform._failures(result, Path("/data/w.duckdb")) == "no space left on device (writing /data/w.duckdb.wal)"
    results[0].message = "Binder Error: column x not found"
    for other in results[1:]:
        other.status, other.message = "skipped", "skipped: an upstream model failed"
    assert transform._failures(result, Path("/data/w.duckdb")) == "model_0 (error)"


def test_console_shows_no_traceback_and_the_log_file_has_it(tmp_path, capsys):
    console = logging.StreamHandler()
    console.setFormatter(console_formatter(format="%(levelname)s %(message)s"))
    log_file = QuietFileHandler(str(tmp_path / "logs" / "run.log"))
    log_file.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("test_errors.isolated")
    logger.propagate = False
    logger.handlers = [console, log_file]
    try:
        raise ValueError("deep inside")
    except ValueError:
        logger.exception("Task run failed")
    finally:
        logger.handlers = []
        log_file.close()
    printed = capsys.readouterr().err
    assert printed == "ERROR Task run failed\n"
    logged = (tmp_path / "logs" / "run.log").read_text()
    assert "Traceback" in logged and "ValueError: deep inside" in logged


def test_run_and_serve_use_the_logging_configuration_that_keeps_tracebacks_off_the_console(monkeypatch, tmp_path):
    for variable in ("PREFECT_LOGGING_SETTINGS_PATH", "PREFECT_LOGGING_HANDLERS_LOGFILE_FILENAME"):
        monkeypatch.setenv(variable, "")  # restored when the test ends: log_to changes os.environ
    log_to(tmp_path / "w.log")
    config = yaml.safe_load(LOGGING_CONFIG.read_text())
    assert os.environ["PREFECT_LOGGING_SETTINGS_PATH"] == str(LOGGING_CONFIG)
    assert os.environ["PREFECT_LOGGING_HANDLERS_LOGFILE_FILENAME"] == str((tmp_path / "w.log").resolve())
    assert config["formatters"]["standard"]["()"] == "flows.errors.console_formatter"
    assert config["root"]["handlers"] == ["console", "logfile"]
