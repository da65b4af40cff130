"""Reference data is reproducible: the real gazetteer build gives the same bytes in fresh
processes (other thread counts, other hash seeds), and a build killed with -9 then run
again gives what a clean build gives. Slow (each build takes about half a minute)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.config import REPO_ROOT, Settings

REGIONS = Settings().dbt_project_dir / "seeds" / "regions.csv"
BUILD = "import sys; from pathlib import Path; from flows import gazetteer; gazetteer.load_reference(Path(sys.argv[1]), Path(sys.argv[2]))"


def start_build(reference_dir: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(reference_dir), str(REGIONS)],
        cwd=REPO_ROOT,
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.e2e
def test_fresh_builds_are_byte_identical_and_a_killed_build_reruns_to_the_same(tmp_path):
    started = time.monotonic()
    clean = start_build(tmp_path / "clean", POLARS_MAX_THREADS="2", PYTHONHASHSEED="1")
    output, _ = clean.communicate(timeout=600)
    assert clean.returncode == 0, output[-2000:]
    build_seconds = time.monotonic() - started

    # Another process, other threads and hash seed: killed half-way through the build, then run again.
    other = tmp_path / "other"
    killed = start_build(other, POLARS_MAX_THREADS="1", PYTHONHASHSEED="2")
    time.sleep(build_seconds / 2)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    rerun = start_build(other, POLARS_MAX_THREADS="1", PYTHONHASHSEED="2")
    output, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, output[-2000:]

    built = files(tmp_path / "clean")
    assert sorted(built) == sorted(n for n in built if not n.endswith(".tmp"))  # no temporary file left
    assert len(built) == 3  # places, aliases, manifest
    assert files(other) == built
