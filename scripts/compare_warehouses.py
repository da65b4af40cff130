"""Compare two Frontline warehouses row for row (a refactor must not change what users see).

    python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb

Compares every table whose name appears in both warehouses: the public marts and
dimensions, the parser's validated output and quarantine, the raw tables, found by
table name in whatever schema each warehouse keeps them (a refactor may move a table
to another schema). Columns that record when or in which run something happened
(timestamps, run ids, durations) differ between any two builds and are left out, as
are columns present on one side only (reported, not compared). Exits 1 on any
difference, printing the table and a few differing rows.
"""

from __future__ import annotations

import sys

import duckdb

# Columns that legitimately differ between two builds of the same input (the parser version
# is a hash of the extractor's code, which a refactor changes without changing its output).
VOLATILE_TYPES = ("TIMESTAMP", "DATE_TIME", "INTERVAL")
VOLATILE_NAMES = ("run_id", "build_id", "duration", "elapsed", "_at", "seconds", "path", "parser_version")
# Bookkeeping tables: per-run logs, not data.
SKIPPED_TABLES = {"build_log", "gazetteer_builds"}


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Table name -> qualified name, over base tables of every schema."""
    rows = con.sql(
        "select table_schema, table_name from information_schema.tables"
        " where table_type = 'BASE TABLE' order by table_schema = 'main' desc"
    ).fetchall()
    found: dict[str, str] = {}
    for schema, name in rows:
        found.setdefault(name, f'"{schema}"."{name}"')
    return found


def stable_columns(con: duckdb.DuckDBPyConnection, qualified: str) -> dict[str, str]:
    cols = con.sql(f"describe {qualified}").fetchall()
    return {
        name: dtype
        for name, dtype, *_ in cols
        if not dtype.upper().startswith(VOLATILE_TYPES) and not any(part in name.lower() for part in VOLATILE_NAMES)
    }


def main(before_path: str, after_path: str) -> int:
    con = duckdb.connect()
    con.execute(f"attach '{before_path}' as b (read_only)")
    con.execute(f"attach '{after_path}' as a (read_only)")
    b = duckdb.connect(before_path, read_only=True)
    a = duckdb.connect(after_path, read_only=True)
    tb, ta = tables(b), tables(a)
    only = sorted(set(tb) ^ set(ta))
    if only:
        print(f"tables on one side only (not compared): {', '.join(only)}")
    differences = 0
    for name in sorted((set(tb) & set(ta)) - SKIPPED_TABLES):
        cb, ca = stable_columns(b, tb[name]), stable_columns(a, ta[name])
        one_sided = sorted(set(cb) ^ set(ca))
        common = [c for c in cb if c in ca]
        if one_sided:
            print(f"{name}: columns on one side only (not compared): {', '.join(one_sided)}")
        cols = ", ".join(f'"{c}"::varchar' for c in common)
        left = f"select {cols} from b.{tb[name]}"
        right = f"select {cols} from a.{ta[name]}"
        # EXCEPT ALL keeps multiplicity, so a duplicated row is a difference too.
        missing = con.sql(f"({left}) except all ({right})").fetchall()
        extra = con.sql(f"({right}) except all ({left})").fetchall()
        n = con.sql(f"select count(*) from ({left})").fetchone()[0]
        if missing or extra:
            differences += 1
            print(f"{name}: {len(missing)} rows only before, {len(extra)} only after (of {n})")
            for row in missing[:3]:
                print(f"  - {row}")
            for row in extra[:3]:
                print(f"  + {row}")
        else:
            print(f"{name}: identical ({n} rows, {len(common)} columns)")
    print("IDENTICAL" if not differences else f"{differences} tables differ")
    return 1 if differences else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
