"""One writer per warehouse: an advisory lock file beside the DuckDB file.

``flock`` locks belong to the open file description, so the kernel releases
them when the holding process dies, even by ``kill -9``: no stale lock
survives a crashed run. The file's text names the holder for the message.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

#: Locks this process holds (path -> depth), so that nested holders (the CLI, then
#: the flow it runs) do not wait for themselves.
_HELD: dict[Path, int] = {}


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def warehouse_lock(warehouse: Path, timeout_seconds: float) -> Iterator[None]:
    """Hold the warehouse's lock; wait up to ``timeout_seconds``, then raise ``WarehouseBusy``."""
    path = lock_path(warehouse).resolve()
    if _HELD.get(path):
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
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
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        _HELD[path] = 1
        try:
            yield
        finally:
            _HELD.pop(path, None)
    finally:
        handle.close()  # releases the lock
