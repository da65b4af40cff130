"""Shared fixtures: the gazetteers (the unit tests' small one, and the real one built once per
machine and cached) and an extractor helper."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows import gazetteer
from flows.config import REPO_ROOT, Settings
from flows.parse.extract import parse
from tests.fixtures import gazetteer as fixture_gazetteer

SHARED = REPO_ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the checkout")


@pytest.fixture(scope="session")
def small_gazetteer() -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(places, aliases)``: the rows of the real gazetteer the unit tests' sentences reach
    (``tests/fixtures/gazetteer``): the extractor gives the same output on them, in a fraction of the time."""
    return fixture_gazetteer.load()


@pytest.fixture(scope="session")
def gazetteer_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(places, aliases)`` of the real gazetteer: for the golden and end-to-end tests."""
    settings = Settings()
    return gazetteer.load_or_build(settings.reference_dir, gazetteer.REGIONS_CSV)


def documents_frame(texts: list[str], published: dt.date = dt.date(2025, 7, 26)) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [hashlib.sha256(t.encode()).hexdigest()[:16] for t in texts],
            "published_date": [published] * len(texts),
            "body": texts,
        },
        schema={"article_id": pl.String, "published_date": pl.Date, "body": pl.String},
    )


@pytest.fixture(scope="session")
def run_extract(small_gazetteer):
    """Run the whole extractor on inline texts: ``run_extract(["..."], date)`` -> frames by table."""
    places, aliases = small_gazetteer

    def _run(texts: list[str], published: dt.date = dt.date(2025, 7, 26)) -> dict[str, pl.DataFrame]:
        return parse(documents_frame(texts, published), places, aliases)

    return _run


@pytest.fixture
def write_files(tmp_path: Path):
    """Write ``{name: bytes|str}`` into a fresh input folder and return it."""

    def _write(files: dict[str, bytes | str]) -> Path:
        folder = tmp_path / "input"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                path.write_bytes(content)
        return folder

    return _write


#: Columns that record when a run happened: they may differ between equivalent runs.
RUN_STAMPS = {"ingested_at", "rejected_at", "parsed_at", "quarantined_at", "built_at", "loaded_at", "modified_at"}


def table_rows(warehouse: Path, schemas: tuple[str, ...] = ("main", "raw", "parsed", "meta")) -> dict[str, list[str]]:
    """Every row of every base table in ``schemas`` (run stamps and the build log left out), sorted."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' "
            f"and table_schema in ({', '.join(repr(s) for s in schemas)}) and table_name != 'build_log'"
        ).fetchall()
        out = {}
        for schema, table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                    "order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if c not in RUN_STAMPS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            out[f"{schema}.{table}"] = sorted(
                map(repr, con.execute(f"select {select} from {schema}.{table}").fetchall())
            )
    return out


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory) -> Path:
    """A small warehouse with the marts' shape (tests/desk/small_warehouse.py), built once."""
    from tests.desk import small_warehouse

    return small_warehouse.build(tmp_path_factory.mktemp("small") / "frontline.duckdb")


#: The test files that read a warehouse one session fixture builds with the whole flow
#: (``seed_warehouse``, ``gold_warehouse``): under ``pytest -n 2`` (``make test``) they run
#: in one worker, so that each warehouse is built once. A file missing here still passes,
#: it only builds its warehouse again in the other worker.
SHARED_BUILD_READERS = {
    "tests/e2e/test_pipeline.py",
    "tests/e2e/test_queries_md.py",
    "tests/e2e/test_run_output.py",
    "tests/e2e/test_scale_out.py",
}


def pytest_xdist_make_scheduler(config, log):
    """xdist's ``loadfile`` scheduling (a file's tests in one worker: module fixtures such as
    the dev-set warehouse are built once), with the readers of the shared builds as one unit.
    (``--dist loadgroup`` would do it with marks, but it does not group under pytest 9.)"""
    from xdist.scheduler import LoadScopeScheduling

    class SharedBuildScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "shared-builds" if path in SHARED_BUILD_READERS else path

    return SharedBuildScheduling(config, log)
