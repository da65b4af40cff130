"""``frontline serve``: the flow as a Prefect deployment on a schedule.

Schedules need a real Prefect server (the ephemeral one never fires them).
When ``PREFECT_API_URL`` is set, that server is used. Otherwise ``serve``
starts ``prefect server start`` on 127.0.0.1 with a project-local Prefect home
(``.prefect/``), waits until it is healthy, and stops it again when serving
ends (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.config import Settings

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
def prefect_server(port: int | None = None, home: Path | None = None) -> Iterator[str]:
    """A local Prefect server for as long as the block runs; yields its API URL."""
    port = port or _free_port()
    home = home or Settings().prefect_home
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


def instructions(api_url: str, deployment: str, schedule: dict) -> str:
    """Where the UI is, and a command that runs the deployment now from any other shell
    (it names the server: a second shell does not have this one's PREFECT_API_URL)."""
    prefect = Path(sys.executable).parent / "prefect"
    command = (
        f"PREFECT_API_URL={shlex.quote(api_url)} {shlex.quote(str(prefect))} deployment run {shlex.quote(deployment)}"
    )
    return "\n".join(
        [
            f"serving deployment '{deployment}' ({schedule}); Ctrl-C to stop",
            f"Prefect UI:   {api_url.removesuffix('/api')}",
            f"Prefect API:  {api_url}",
            "run it now, from another shell:",
            f"  {command}",
        ]
    )


def _serve_flow(args: argparse.Namespace) -> None:
    from flows.pipeline import frontline_pipeline

    schedule = {"cron": args.cron} if args.cron else {"interval": args.interval}
    print(instructions(os.environ["PREFECT_API_URL"], f"frontline/{args.name}", schedule), flush=True)
    frontline_pipeline.serve(
        print_starting_message=False,  # its command lacks the server address (ours has it)
        name=args.name,
        limit=1,  # one run at a time: a run that overruns its slot delays the next
        parameters={"input_dir": str(args.input), "warehouse": str(args.warehouse)},
        **schedule,
    )


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends serving like Ctrl-C does, so a server we started is stopped too."""
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    """Register the flow with its schedule and serve it until stopped."""
    signal.signal(signal.SIGTERM, _interrupt)
    if os.environ.get("PREFECT_API_URL"):
        print(f"using the Prefect server at {os.environ['PREFECT_API_URL']}", flush=True)
        _serve_flow(args)
        return 0
    with prefect_server(args.port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        print(f"started a local Prefect server (home {Settings().prefect_home})", flush=True)
        try:
            _serve_flow(args)
        except KeyboardInterrupt:
            print("stopping", flush=True)
    return 0
