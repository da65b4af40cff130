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


def is_current(last_build: tuple | None, warehouse: Path) -> bool:
    """Whether the published snapshot holds ``last_build`` (the build copy's last dbt build)."""
    if last_build is None or not warehouse.exists():
        return False
    from flows.warehouse.readers import open_reader
    from schemas.ddl import META

    try:
        with open_reader(warehouse) as con:
            rows = con.execute(f"select state, built_at from {META}.build_log order by built_at desc limit 1")
            published = rows.fetchall()
    except Exception:  # unreadable, held by a stray writer, or of an older layout: publish anew
        return False
    return bool(published) and published[0] == last_build


def publish(build: Path, warehouse: Path) -> None:
    """Swap the closed, checkpointed build copy in as the published snapshot."""
    if _wal(build).exists() and _wal(build).stat().st_size:
        raise RuntimeError(f"cannot publish {build}: its write-ahead log was not checkpointed")
    # A log of the old snapshot (a warehouse of an older Frontline, killed) must not meet the new file.
    _wal(warehouse).unlink(missing_ok=True)
    _copy_atomically(build, warehouse)


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
