"""The one retry policy of the flow's tasks that touch files or the warehouse."""

from __future__ import annotations

from functools import partial

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.runtime.locking import WarehouseBusy


def retry_unless_busy(task, task_run, state) -> bool:
    """Retry a failed task unless the warehouse was busy: that wait took the whole lock timeout already."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception:
        return True
    return not isinstance(error, WarehouseBusy)


#: ``@io_task``: a task that touches files or the warehouse. It retries twice (a passing
#: glitch), but not a busy warehouse; it is never cached (it takes the run's ``Warehouse``).
io_task = partial(
    task, retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=retry_unless_busy, cache_policy=NO_CACHE
)
