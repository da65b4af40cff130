"""dbt build and docs, in-process (dbtRunner), against the warehouse file.

DuckDB allows one writing process per file, so dbt runs inside the process
that runs the flow, while the flow has let go of its own connection
(``Warehouse.released``). The warehouse path reaches ``profiles.yml`` as the
dbt variable ``warehouse_path`` (``--vars``), not through the environment.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from flows.errors import disk_full_message

if TYPE_CHECKING:
    from dbt.cli.main import dbtRunnerResult


class DbtError(RuntimeError):
    """A dbt command failed (a model error or a failing data test)."""


def dbt_dir(warehouse: Path) -> Path:
    """dbt's artefacts for one warehouse (``target/`` with the docs, ``logs/``), beside it:
    ``warehouse/frontline.dbt/`` for ``warehouse/frontline.duckdb``. Two warehouses never
    overwrite each other's docs."""
    warehouse = warehouse.resolve()
    # the run's build copy (frontline.duckdb.build) documents the warehouse it is published as
    name = Path(warehouse.name.removesuffix(".build")).stem
    return warehouse.parent / f"{name}.dbt"


def _invoke(project_dir: Path, warehouse: Path, args: list[str], dbt_vars: dict, timeout: float) -> dbtRunnerResult:
    """Run dbt ``args``; while another process has the file open, run it again, for up to ``timeout`` seconds."""
    cli_args = [
        *args,
        "--vars",
        json.dumps({**dbt_vars, "warehouse_path": str(warehouse.resolve())}),
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(dbt_dir(warehouse) / "target"),
        "--log-path",
        str(dbt_dir(warehouse) / "logs"),
    ]
    from dbt.cli.main import dbtRunner  # 5 s to import: only when dbt actually runs

    from flows.runtime.locking import FileHeld, holder_of

    _finished[0] = 0
    deadline = time.monotonic() + timeout
    while True:
        result = dbtRunner(callbacks=[_report_node]).invoke(cli_args)
        conflict = _lock_conflict(result)
        if not conflict or time.monotonic() >= deadline:
            break
        time.sleep(1)  # another process opened the file in between: dbt runs again once it lets go
    if conflict:
        raise FileHeld(f"{warehouse} is open in {holder_of(conflict)}; waited {timeout:.0f} s for it to let go")
    if not result.success:
        command = " ".join(arg for arg in args if arg.isalpha())  # "build", "docs generate"
        raise DbtError(f"dbt {command} failed: {_failures(result, warehouse)}")
    return result


def _lock_conflict(result: dbtRunnerResult) -> str | None:
    """DuckDB's message when dbt could not open the warehouse because another process holds it."""
    from flows.runtime.locking import is_lock_conflict

    messages = [str(result.exception or "")]
    messages += [str(getattr(r, "message", "") or "") for r in getattr(result.result, "results", []) or []]
    return next((m for m in messages if is_lock_conflict(m)), None)


def _report_node(event) -> None:
    """Count dbt's nodes (models, seeds, tests) as they finish, and name the one that
    started last, on the run's progress display."""
    from flows import progress

    if event.info.name == "NodeStart":
        node = event.data.node_info
        progress.report(dbt_node=f"{node.resource_type} {node.node_name}")
    elif event.info.name == "NodeFinished":
        _finished[0] += 1
        progress.report(dbt_nodes_done=_finished[0])


_finished = [0]


def _failures(result: dbtRunnerResult, warehouse: Path) -> str:
    """What failed, in one line. A full disk fails every model after it: say that, not their names."""
    messages = [str(result.exception or "")] + [
        str(getattr(r, "message", "") or "") for r in getattr(result.result, "results", []) or []
    ]
    for message in messages:
        if disk_full := disk_full_message(message):
            return disk_full
    if result.exception is not None:
        return str(result.exception).splitlines()[0]
    failed = [
        f"{r.node.name} ({r.status})"
        for r in getattr(result.result, "results", []) or []
        if str(r.status) in ("error", "fail", "runtime error")
    ]
    return ", ".join(failed) or f"see {dbt_dir(warehouse) / 'logs' / 'dbt.log'}"


def build(
    project_dir: Path, warehouse: Path, dbt_vars: dict | None = None, lock_timeout_seconds: float = 60.0
) -> dict[str, int]:
    """``dbt build`` (seeds, models, tests) with ``dbt_vars``; returns counts by status. Raises on any failure."""
    result = _invoke(project_dir, warehouse, ["build", "--quiet"], dbt_vars or {}, lock_timeout_seconds)
    counts: dict[str, int] = {}
    for node_result in result.result.results:
        status = str(node_result.status)
        counts[status] = counts.get(status, 0) + 1
    return counts


def generate_docs(project_dir: Path, warehouse: Path, lock_timeout_seconds: float = 60.0) -> Path:
    """``dbt docs generate --static``; returns the path of ``static_index.html``."""
    _invoke(project_dir, warehouse, ["docs", "generate", "--static", "--quiet"], {}, lock_timeout_seconds)
    return dbt_dir(warehouse) / "target" / "static_index.html"


def project_fingerprint(project_dir: Path) -> str:
    """Changes whenever a model, seed, macro or the project file changes."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(project_dir.glob("**/*")):
        if path.is_file() and path.suffix in {".sql", ".yml", ".csv", ".md"} and "target" not in path.parts:
            digest.update(str(path.relative_to(project_dir)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
