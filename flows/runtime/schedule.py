"""``frontline serve``: the flow as a Prefect deployment on a schedule.

Schedules need a real Prefect server (the ephemeral one never fires them).
When ``PREFECT_API_URL`` is set, that server is used. Otherwise ``serve``
starts ``prefect server start`` on 127.0.0.1 with a project-local Prefect home
(``.prefect/``; ``flows.runtime.prefect_server``), and stops it again when
serving ends (Ctrl-C, SIGTERM). Each scheduled run gets the settings ``serve``
was started with, as a flow parameter.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from flows.runtime.prefect_server import prefect_server

if TYPE_CHECKING:
    from flows.config import Settings


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


def _serve_flow(args: argparse.Namespace, settings: Settings) -> None:
    from flows.pipeline import frontline_pipeline

    schedule = {"cron": args.cron} if args.cron else {"interval": args.interval}
    print(instructions(os.environ["PREFECT_API_URL"], f"frontline/{args.name}", schedule), flush=True)
    frontline_pipeline.serve(
        print_starting_message=False,  # its command lacks the server address (ours has it)
        name=args.name,
        limit=1,  # one run at a time: a run that overruns its slot delays the next
        parameters={
            "input_dir": str(args.input),
            "warehouse": str(args.warehouse),
            "settings": settings.model_dump(mode="json"),
        },
        **schedule,
    )


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends serving like Ctrl-C does, so a server we started is stopped too."""
    raise KeyboardInterrupt


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """Register the flow with its schedule and serve it until stopped."""
    signal.signal(signal.SIGTERM, _interrupt)
    if os.environ.get("PREFECT_API_URL"):
        print(f"using the Prefect server at {os.environ['PREFECT_API_URL']}", flush=True)
        _serve_flow(args, settings)
        return 0
    with prefect_server(settings.prefect_home, args.port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url  # this process is the edge: it serves against this server
        print(f"started a local Prefect server (home {settings.prefect_home})", flush=True)
        try:
            _serve_flow(args, settings)
        except KeyboardInterrupt:
            print("stopping", flush=True)
    return 0
