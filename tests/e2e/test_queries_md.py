"""docs/queries.md against the warehouse that ``make run`` builds from seeds/."""

from __future__ import annotations

import pytest

from flows.warehouse.readers import open_reader
from tests.desk.cookbook import cookbook_queries


@pytest.mark.e2e
@pytest.mark.parametrize(("heading", "sql"), cookbook_queries(), ids=[h for h, _ in cookbook_queries()])
def test_cookbook_query_answers_on_the_seed_warehouse(seed_warehouse, heading, sql):
    warehouse, _ = seed_warehouse
    with open_reader(warehouse) as con:
        rows = con.execute(sql).fetchall()
    assert rows, f"{heading}: no rows on the seed warehouse"


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["parquet", "csv", "geojson"])
def test_export_of_the_seed_warehouse_round_trips(seed_warehouse, tmp_path, fmt):
    from flows.query import export
    from tests.desk.test_query import read_back

    warehouse, _ = seed_warehouse
    for path in export(warehouse, tmp_path, fmt):
        kind = path.suffix.lstrip(".")
        if kind == "geojson":
            continue  # compared field by field in tests/desk/test_query.py
        _, differ = read_back(warehouse, path.stem, path, kind)
        assert differ == 0, path.name
    assert (tmp_path / f"fct_strikes.{fmt}").exists()
