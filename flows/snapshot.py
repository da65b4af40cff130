"""Readers read a published snapshot; a run writes its own copy and swaps it in when done.

DuckDB locks a file for one writer or many readers, never both. If analysts read
the file a run writes, a reader holding it makes the run fail, and a reader who
comes in between two of the run's connections sees half-built marts. So:

- ``frontline.duckdb`` is the **published snapshot**: what ``frontline query``,
  ``export``, ``report``, ``evaluate`` and any DuckDB client open. Nothing writes to
  it in place: a run replaces it whole, with an atomic rename;
- ``frontline.duckdb.build`` is the run's **build copy**: only a run holding the
  warehouse lock opens it (and ``frontline docs``, under the same lock).

A reader that has the old snapshot open keeps reading it (the rename leaves its open
file intact); the next reader opens the new one. A run that fails or is killed
publishes nothing: readers keep the last good snapshot, and the next run goes on
from the build copy. The copy costs one sequential read and write of the file
per run that changed something (see the README for measured figures).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from flows import load
from flows.locking import open_when_free


def build_path(warehouse: Path) -> Path:
    """The build copy of the published ``warehouse``."""
    return warehouse.with_name(warehouse.name + ".build")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def prepare(warehouse: Path) -> Path:
    """The build copy, made from the published snapshot when there is none yet (a new
    build folder, or a warehouse made before snapshots: its write-ahead log comes along)."""
    build = build_path(warehouse)
    if not build.exists() and warehouse.exists():
        for source, target in ((warehouse, build), (_wal(warehouse), _wal(build))):
            if source.exists():
                _copy_atomically(source, target)
    return build


def wait_for_build_copy(warehouse: Path, timeout_seconds: float) -> None:
    """Return once no other process has the build copy open (``FileHeld`` after the timeout)."""
    build = prepare(warehouse)
    if build.exists():
        open_when_free(lambda: duckdb.connect(str(build)).close(), build, timeout_seconds)


def is_current(build: Path, warehouse: Path) -> bool:
    """Whether the published snapshot holds the build copy's last dbt build."""
    if not warehouse.exists():
        return False
    from flows.readonly import open_reader

    try:
        with open_reader(warehouse) as con:
            published = _last_build(con)
    except Exception:  # unreadable, or held by a stray writer: publish anew
        return False
    with load.connect(build, read_only=True) as con:
        return published is not None and published == _last_build(con)


def _last_build(con) -> tuple | None:
    if load.missing_tables(con, "staging", ["build_log"]):
        return None
    rows = con.execute("select state, built_at from staging.build_log order by built_at desc limit 1").fetchall()
    return rows[0] if rows else None


def publish(build: Path, warehouse: Path) -> bool:
    """Swap the build copy in as the published snapshot, unless it is current already;
    return whether it was published."""
    if is_current(build, warehouse):
        return False
    with load.connect(build) as con:  # everything into the file: the snapshot has no log
        con.execute("checkpoint").fetchall()
    if _wal(build).exists() and _wal(build).stat().st_size:
        raise RuntimeError(f"cannot publish {build}: its write-ahead log was not checkpointed")
    # A log of the old snapshot (a warehouse of an older Frontline, killed) must not meet the new file.
    _wal(warehouse).unlink(missing_ok=True)
    _copy_atomically(build, warehouse)
    return True


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy to a temporary name beside ``target``, flush to disk, rename over ``target``."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, tmp)  # copy_file_range/sendfile on Linux: in the kernel
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
