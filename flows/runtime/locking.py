"""One writer per warehouse: an advisory lock file beside the DuckDB file.

``flock`` locks belong to the open file description, so the kernel releases
them when the holding process dies, even by ``kill -9``: no stale lock
survives a crashed run. The file's text names the holder for the message.

DuckDB's own lock on a database file is another matter: any process that has
the file open (a reader too) keeps a writer out. ``open_when_free`` waits for
such a holder instead of failing at once, and names it when the wait is over.
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


class FileHeld(WarehouseBusy):
    """Another process has the DuckDB file open."""


#: How DuckDB names the process that holds a file it cannot lock.
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def is_lock_conflict(error: BaseException | str) -> bool:
    return "Could not set lock on file" in str(error)


def holder_of(error: BaseException | str) -> str:
    """``pid N (program)`` from DuckDB's lock error, or ``another process``."""
    found = _HOLDER.search(str(error))
    return f"pid {found['pid']} ({Path(found['program']).name})" if found else "another process"


def open_when_free(open_file: Callable[[], T], path: Path, timeout_seconds: float) -> T:
    """``open_file()``, retried while another process holds ``path`` (DuckDB's lock),
    for up to ``timeout_seconds``; then ``FileHeld`` naming the holder."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            return open_file()
        except Exception as error:
            if not is_lock_conflict(error):
                raise
            if time.monotonic() >= deadline:
                raise FileHeld(
                    f"{path} is open in {holder_of(error)}; waited {timeout_seconds:.0f} s for it to let go"
                ) from None
            time.sleep(0.5)


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def _flocked(warehouse: Path, timeout_seconds: float) -> Iterator[TextIO]:
    """The lock file of ``warehouse``, locked for the block; ``WarehouseBusy`` after the timeout."""
    path = lock_path(warehouse).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    deadline = time.monotonic() + timeout_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise WarehouseBusy(
                        f"warehouse {warehouse} is in use by another Frontline run ({holder}); "
                        f"waited {timeout_seconds:.0f} s"
                    ) from None
                time.sleep(0.5)
        yield handle
    finally:
        handle.close()  # releases the lock


@contextmanager
def warehouse_lock(warehouse: Path, timeout_seconds: float) -> Iterator[None]:
    """Hold the warehouse's lock; wait up to ``timeout_seconds``, then raise ``WarehouseBusy``.
    The lock file names the holder for the message of a run that waits in vain."""
    with _flocked(warehouse, timeout_seconds) as handle:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        yield


def wait_until_unlocked(warehouse: Path, timeout_seconds: float) -> None:
    """Return once no run holds the warehouse's lock (``WarehouseBusy`` after the timeout).
    A check, not a hold: the lock is let go at once and the holder's name left as it was."""
    with _flocked(warehouse, timeout_seconds):
        pass
