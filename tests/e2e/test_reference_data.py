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

from flows.config import REPO_ROOT
from flows.gazetteer import REGIONS_CSV as REGIONS

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


ARTICLE = (
    "date 2025-07-26\n\nRussian drones attacked Sumy overnight. Three people were injured in Sumy, the governor said."
)


@pytest.mark.e2e
def test_a_cache_with_other_content_replaces_every_fact(tmp_path, write_files, monkeypatch, gazetteer_frames):
    """A warehouse never mixes two gazetteers: when the cache's content changes (rebuilt on
    another machine, a source upgraded), the reference tables and every fact are redone."""
    import duckdb
    import polars as pl

    from flows import gazetteer
    from flows.pipeline import frontline_pipeline

    reference_dir = tmp_path / "reference"
    monkeypatch.setenv("FRONTLINE_REFERENCE_DIR", str(reference_dir))
    paths = gazetteer.cache_paths(reference_dir, gazetteer.source_fingerprint(REGIONS))
    places, aliases = gazetteer_frames
    gazetteer.write_cache(paths, places, aliases, gazetteer.content_fingerprint(places, aliases))
    folder = write_files({"sumy.txt": ARTICLE})
    warehouse = tmp_path / "w.duckdb"
    frontline_pipeline(input_dir=folder, warehouse=warehouse)

    moved = places.with_columns(latitude=pl.col("latitude") + 1)  # every place one degree north
    gazetteer.write_cache(paths, moved, aliases, gazetteer.content_fingerprint(moved, aliases))
    summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)

    assert summary["documents_parsed"] == 1  # the article was placed anew
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute(
            "select f.location_id, f.latitude, d.latitude from fct_strike_reports f join dim_locations d using (location_id)"
        ).fetchall()
        recorded = con.execute("select fingerprint from meta.gazetteer_builds").fetchall()
    expected = dict(moved.select("location_id", "latitude").iter_rows())
    assert facts
    assert all(fact == dimension == expected[location] for location, fact, dimension in facts)
    assert recorded == [(gazetteer.content_fingerprint(moved, aliases),)]
