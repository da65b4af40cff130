"""The one owner of the DuckDB warehouse: every connection to it is opened here.

- ``owner.Warehouse``: what a run (or ``frontline docs``) writes through: the
  warehouse lock, one connection to the build copy, transactions, the tables
  created from the pandera models, and the bookkeeping tables of schema ``meta``;
- ``readers.open_reader``: the guarded read-only connection of ``frontline query``,
  ``export``, ``report`` and ``evaluate`` (to the published snapshot);
- ``snapshot``: the published snapshot and the run's build copy.

``tests/unit/test_warehouse.py`` fails when a module outside this package calls
``duckdb.connect``.
"""

from flows.warehouse.owner import Warehouse, transaction
from flows.warehouse.readers import QueryRefused, WarehouseMissing, open_reader, read_query, read_statements

__all__ = [
    "QueryRefused",
    "Warehouse",
    "WarehouseMissing",
    "open_reader",
    "read_query",
    "read_statements",
    "transaction",
]
