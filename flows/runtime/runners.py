"""Task runners for the parse stage: threads in the flow's process (default) or a Dask cluster.

Only ``parse_batch`` is submitted to the runner: it is pure (documents and
gazetteer in, frames out), so any worker can run it. Reading the warehouse,
validation, loading and dbt stay in the flow's process, which holds DuckDB's
single writer lock.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from prefect.task_runners import ThreadPoolTaskRunner

TASK_RUNNERS = ("threads", "dask")


def make_task_runner(kind: str = "threads", dask_address: str | None = None, workers: int = 2):
    """A Prefect task runner.

    ``dask`` with no address starts a local cluster of ``workers`` processes
    (one thread each: polars already uses every core of its process) for the
    length of the run; with an address it connects to a running scheduler
    (``tcp://host:8786``) whose workers have Frontline installed.
    """
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=workers)
    if kind != "dask":
        raise ValueError(f"unknown task runner {kind!r}; choose one of {', '.join(TASK_RUNNERS)}")
    # Dask's own INFO lines (cluster start, every connection) would drown the run's log.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    # The gazetteer is sent to the cluster once, on purpose (see ``share_gazetteer``).
    warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": ":0"}
    )


@contextmanager
def shared_api(prefect_home: Path) -> Iterator[None]:
    """A Prefect API that Dask workers can reach.

    Each worker process runs its tasks through Prefect's engine, which needs an
    API; without ``PREFECT_API_URL`` every worker would start an ephemeral
    server of its own (about 30 s each on 2 cores). So for the length of the
    block we start one local server and point this process and the workers
    (which inherit the environment) at it.
    """
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.runtime.prefect_server import drain_to_api, prefect_server

    with prefect_server(prefect_home) as api_url, temporary_settings(updates={PREFECT_API_URL: api_url}):
        os.environ["PREFECT_API_URL"] = api_url
        try:
            yield
        finally:
            del os.environ["PREFECT_API_URL"]
            drain_to_api()


def pipeline_with(prefect_home: Path, kind: str = "threads", dask_address: str | None = None, workers: int = 2):
    """The Frontline flow bound to a task runner; call it like the flow. A Dask run
    starts a local Prefect server in ``prefect_home`` unless ``PREFECT_API_URL`` is set."""
    from flows.pipeline import frontline_pipeline

    runner = make_task_runner(kind, dask_address, workers)
    label = f"dask ({dask_address or f'local cluster, {workers} workers'})" if kind == "dask" else kind
    flow = frontline_pipeline.with_options(task_runner=runner)

    def run(**kwargs):
        with shared_api(prefect_home) if kind == "dask" else nullcontext():
            return flow(task_runner=label, **kwargs)

    return run
