"""What a run is doing, while it does it: a live status line on a terminal, plain lines otherwise.

The flow reports through ``progress.report(...)``; the ``frontline run`` command
installs a ``Progress`` that draws it on stderr (stdout is kept for the summary).
Without one (a scheduled run, a test) reporting does nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

#: Seconds between plain "still working" lines when the output is not a terminal.
HEARTBEAT_SECONDS = 4.0


def process_started() -> float:
    """When this process started (epoch seconds): wall times count the interpreter's start too.

    On Linux from /proc: the process's start and the uptime are both in seconds since
    boot, to 10 ms (psutil's create_time adds the boot time, which /proc gives in whole
    seconds: up to 1 s off)."""
    try:
        import os
        from pathlib import Path

        # the fields after the command name, which may hold spaces: starttime is field 22
        start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        seconds_since_boot = float(Path("/proc/uptime").read_text().split()[0])

        return time.time() - (seconds_since_boot - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return _IMPORTED_AT


_IMPORTED_AT = time.time()


class Progress:
    """Shows the current stage and counts; on a terminal a rich status line that redraws
    itself, otherwise a line per change and a heartbeat line every few seconds."""

    def __init__(self, stream: TextIO | None = None, live: bool | None = None, started: float | None = None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.started = started or process_started()
        self.stage = "starting"
        self.counts: dict[str, str] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._last_line = 0.0
        self._status = None
        self._thread = threading.Thread(target=self._tick, name="frontline-progress", daemon=True)

    def __enter__(self) -> Progress:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> Progress:
        """Install this display (``report`` reaches it) and draw its first line."""
        global _current
        if self.live:
            from rich.console import Console

            self._status = Console(file=self.stream).status(self._text())
            self._status.start()
        _current = self
        self._print_line()
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop drawing (idempotent); on a terminal the status line is cleared."""
        global _current
        if _current is self:
            _current = None
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()
        if self._status is not None:
            self._status.stop()
            self._status = None

    def report(self, stage: str | None = None, **counts: object) -> None:
        with self._lock:
            changed = stage is not None and stage != self.stage
            if stage is not None:
                self.stage = stage
            self.counts.update({name.replace("_", " "): str(value) for name, value in counts.items()})
        if self._status is not None:
            self._status.update(self._text())
        elif changed:  # counts alone wait for the next heartbeat line: a log, not a flood
            self._print_line()

    def _text(self) -> str:
        counts = ", ".join(f"{name} {value}" for name, value in self.counts.items())
        elapsed = time.time() - self.started
        return f"{elapsed:5.1f} s  {self.stage}" + (f"  ({counts})" if counts else "")

    def _print_line(self) -> None:
        if self._status is not None:
            return
        with self._lock:
            # write, not print: inside a flow, Prefect's log_prints turns print() into log records
            self.stream.write(f"frontline: {self._text()}\n")
            self.stream.flush()
            self._last_line = time.monotonic()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            if self._status is not None:
                self._status.update(self._text())  # the elapsed time moves on a terminal
            elif time.monotonic() - self._last_line >= HEARTBEAT_SECONDS:
                self._print_line()


_current: Progress | None = None


def report(stage: str | None = None, **counts: object) -> None:
    """Tell the installed progress display (if any) what the run is doing."""
    if _current is not None:
        _current.report(stage, **counts)


def stop() -> None:
    """Close the installed progress display, if any."""
    if _current is not None:
        _current.close()
