"""Connections for readers (``frontline query``, ``export``, ``report``): they read, nothing else.

DuckDB's ``read_only=True`` protects only the main database: ``COPY ... TO``,
``EXPORT DATABASE``, ``ATTACH ... (READ_WRITE)``, ``read_text('/etc/passwd')`` and
``INSTALL`` still reach the file system or the network. Two guards, each enough
on its own for the attacks we know of:

1. the connection is opened with external access off (no file but the warehouse,
   no network), extensions neither installed nor loaded, and its configuration
   locked, so no ``SET`` can turn any of that back on;
2. ``read_query`` admits only statements that DuckDB's own parser classes as
   reads (``SELECT`` in all its forms: ``WITH``, ``FROM``, ``SHOW``, ``DESCRIBE``,
   ``SUMMARIZE``, reading ``PRAGMA``s; and ``EXPLAIN``).

Commands that write files (``export``, ``report``) read through this connection
into polars or Arrow and write their own output from Python.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

#: Settings of every reader connection. ``lock_configuration`` comes last in
#: spirit: once the connection is open nothing can be changed.
READER_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "lock_configuration": True,
}

#: Statement types that only read (DuckDB parses SHOW, DESCRIBE, SUMMARIZE,
#: PRAGMA show_tables and VALUES as SELECT).
READ_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


class QueryRefused(ValueError):
    """The SQL holds a statement that is not a read."""


class WarehouseMissing(FileNotFoundError):
    """No warehouse file to read yet."""


def open_reader(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``warehouse`` that cannot write any file or reach the network."""
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise WarehouseMissing(f"no warehouse at {warehouse} (run `frontline run` first)")
    try:
        return duckdb.connect(str(warehouse), read_only=True, config=READER_CONFIG)
    except duckdb.IOException as error:
        raise OSError(f"cannot open the warehouse {warehouse} to read: {_first_line(error)}") from None


def read_statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[duckdb.Statement]:
    """The statements of ``sql``, parsed by DuckDB; raise ``QueryRefused`` unless every one only reads."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.ParserException as error:
        raise QueryRefused(_first_line(error)) from None
    if not statements:
        raise QueryRefused("no SQL statement given")
    for statement in statements:
        if statement.type not in READ_STATEMENTS:
            kind = statement.type.name
            raise QueryRefused(
                f"only read statements (SELECT, WITH, FROM, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN) are allowed, "
                f"not {kind}: {' '.join(statement.query.split())[:80]}"
            )
    return statements


def read_query(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation | None:
    """Run ``sql`` after ``read_statements`` admitted it; the result of its last statement."""
    read_statements(con, sql)
    return con.sql(sql)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
