"""``frontline serve`` tells where its UI is and how to trigger a run from another shell."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from flows.runtime.schedule import instructions


def test_serve_prints_the_ui_and_a_command_that_names_the_server():
    text = instructions("http://127.0.0.1:4242/api", "frontline/scheduled", {"interval": 3600})
    assert "Prefect UI:   http://127.0.0.1:4242" in text
    command = shlex.split(text.splitlines()[-1])
    assert command[0] == "PREFECT_API_URL=http://127.0.0.1:4242/api"  # a second shell has no such variable
    assert Path(command[1]) == Path(sys.executable).parent / "prefect"
    assert command[2:] == ["deployment", "run", "frontline/scheduled"]
