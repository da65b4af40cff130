"""Shared fixtures: the gazetteer (built once per machine, cached) and an extractor helper."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows import gazetteer
from flows.config import REPO_ROOT, Settings
from flows.parse.extract import extract

SHARED = REPO_ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the checkout")


@pytest.fixture(scope="session")
def gazetteer_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    settings = Settings()
    return gazetteer.load_or_build(settings.reference_dir, settings.dbt_project_dir / "seeds" / "regions.csv")


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
def run_extract(gazetteer_frames):
    """Run the whole extractor on inline texts: ``run_extract(["..."], date)`` -> frames by table."""
    places, aliases = gazetteer_frames

    def _run(texts: list[str], published: dt.date = dt.date(2025, 7, 26)) -> dict[str, pl.DataFrame]:
        plans = extract(documents_frame(texts, published).lazy(), places.lazy(), aliases.lazy())
        return dict(zip(plans, pl.collect_all(list(plans.values())), strict=True))

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
