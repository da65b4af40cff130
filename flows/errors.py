"""Errors for people: one line on the terminal that names the cause, the traceback in a log file.

A run's terminal output comes from Prefect's console handler, which prints
the traceback of every failed task and flow. ``log_to`` points Prefect at
``flows/logging.yml``, whose console keeps those lines short (the message only)
and whose log file beside the warehouse gets the full records.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import traceback
from pathlib import Path

#: What DuckDB, dbt and the OS say when a disk is full.
DISK_FULL = re.compile(r"No space left on device|Disk is full|disk full", re.IGNORECASE)
#: A quoted path in a DuckDB or dbt message (``Could not write file "/x/y.duckdb.wal": ...``).
QUOTED_PATH = re.compile(r"""["'](/[^"']+)["']""")


def log_path(warehouse: Path) -> Path:
    """Where a run on ``warehouse`` logs its tracebacks: ``frontline.duckdb`` -> ``frontline.log``."""
    return warehouse.with_suffix(".log")


def disk_full_message(text: str) -> str | None:
    """ "no space left on device (writing PATH)" when ``text`` reports a full disk, else None."""
    if not DISK_FULL.search(text):
        return None
    where = QUOTED_PATH.search(text)
    return "no space left on device" + (f" (writing {where.group(1)})" if where else "")


def one_line(error: BaseException) -> str:
    """The cause of ``error`` in one line: a full disk by name, otherwise the first line of its message."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return "no space left on device" + (f" (writing {error.filename})" if error.filename else "")
    text = str(error).strip()
    return disk_full_message(text) or (text.splitlines() or [type(error).__name__])[0]


#: Prefect's logging configuration with the two changes below (used by ``frontline run``/``serve``).
LOGGING_CONFIG = Path(__file__).with_name("logging.yml")


class WithoutTraceback(logging.Formatter):
    """Formats a record as ``inner`` does, leaving out its traceback and stack."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def console_formatter(**kwargs) -> logging.Formatter:
    """Prefect's console formatter (``kwargs`` from logging.yml), without tracebacks."""
    from prefect.logging.formatters import PrefectFormatter

    return WithoutTraceback(PrefectFormatter(**kwargs))


class QuietFileHandler(logging.FileHandler):
    """The log file: opened at the first record, and never printing its own write errors
    (a full disk must not put a traceback on the terminal)."""

    def __init__(self, filename: str, **kwargs) -> None:
        kwargs["delay"] = True
        super().__init__(filename, **kwargs)

    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def log_to(log_file: Path) -> None:
    """Before Prefect is imported: its console prints no tracebacks, and ``log_file`` gets
    every warning and error in full (Prefect re-reads the configuration whenever it sets
    logging up again, so the change lasts the whole run)."""
    os.environ["PREFECT_LOGGING_SETTINGS_PATH"] = str(LOGGING_CONFIG)
    os.environ["PREFECT_LOGGING_HANDLERS_LOGFILE_FILENAME"] = str(log_file.resolve())


def write_traceback(log_file: Path, error: BaseException) -> bool:
    """Append ``error``'s traceback to ``log_file``; False when that is not possible (a full disk)."""
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as log:
            log.write("".join(traceback.format_exception(error)))
    except OSError:
        return False
    return True
