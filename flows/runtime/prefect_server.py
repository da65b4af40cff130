"""The Prefect server's lifecycle: a local ``prefect server`` for ``frontline serve`` and
Dask runs, and stopping the ephemeral one a plain ``frontline run`` starts.

Schedules need a real Prefect server (the ephemeral one never fires them), and so
do Dask workers (each would otherwise start an ephemeral server of its own).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_START_TIMEOUT_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def prefect_server(home: Path, port: int | None = None) -> Iterator[str]:
    """A local Prefect server (Prefect home ``home``) for as long as the block runs; yields its API URL."""
    port = port or _free_port()
    home.mkdir(parents=True, exist_ok=True)
    api_url = f"http://127.0.0.1:{port}/api"
    env = os.environ | {"PREFECT_HOME": str(home), "PREFECT_API_URL": api_url}
    log = (home / "server.log").open("ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so we can stop all of it
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_SECONDS
        while not _healthy(api_url):
            if server.poll() is not None:
                raise RuntimeError(f"prefect server exited with {server.returncode}; see {home / 'server.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not healthy after {SERVER_START_TIMEOUT_SECONDS} s")
            time.sleep(1)
        yield api_url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def drain_to_api() -> None:
    """Send the logs and events still queued before the server goes away
    (otherwise Prefect retries against the stopped server for a minute)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)


def stop_ephemeral_server() -> None:
    """Deliver Prefect's queued logs and events, then stop the ephemeral server: now,
    rather than at exit where it took seconds after the summary, so that the summary's
    wall time is the run's."""
    from prefect._internal.concurrency.services import QueueService
    from prefect.server.api.server import SubprocessASGIServer

    QueueService.drain_all(timeout=10, at_exit=False)
    for server in list(SubprocessASGIServer._instances.values()):
        server.stop()
