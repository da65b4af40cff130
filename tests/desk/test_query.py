"""``frontline query`` and ``frontline export``: tables that fit, formats that round-trip,
quiet pipes, and DuckDB's own error messages."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from flows.cli import main
from flows.query import export, marts, run_query
from flows.warehouse.readers import open_reader

LONG_TEXT_SQL = "select strike_id, evidence from fct_strike_reports order by report_id"


def read_back(warehouse, table: str, path, fmt: str) -> tuple[int, int]:
    """(rows in the table, rows that differ between the table and the file read back by DuckDB)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as wh (read_only)")
        columns = con.execute(f"describe wh.main.{table}").fetchall()
        types = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind, *_ in columns) + "}"
        source = {
            "parquet": f"read_parquet('{path}')",
            "csv": f"read_csv('{path}', header = true, columns = {types})",
            "json": f"read_json('{path}', columns = {types})",
        }[fmt]
        names = ", ".join(f'"{name}"' for name, *_ in columns)
        rows = con.execute(f"select count(*) from wh.main.{table}").fetchone()[0]
        differ = con.execute(
            f"""select count(*) from (
                  (select {names} from wh.main.{table} except all select {names} from {source})
                  union all
                  (select {names} from {source} except all select {names} from wh.main.{table}))"""
        ).fetchone()[0]
    return rows, differ


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_query_formats_round_trip(small_warehouse, tmp_path, fmt):
    for table in ("fct_strike_reports", "fct_casualties", "dim_articles", "fct_territorial_claims"):
        path = tmp_path / f"{table}.{fmt}"
        run_query(small_warehouse, f"select * from {table}", fmt, path)
        rows, differ = read_back(small_warehouse, table, path, fmt)
        assert rows > 0 and differ == 0, (table, fmt)


def test_query_markdown_keeps_every_value_whole(small_warehouse, tmp_path):
    path = tmp_path / "out.md"
    run_query(small_warehouse, LONG_TEXT_SQL, "markdown", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    with open_reader(small_warehouse) as con:
        expected = con.execute(LONG_TEXT_SQL).fetchall()
    assert lines[0] == "| strike_id | evidence |" and lines[1] == "| --- | --- |"
    assert [tuple(cell.strip() for cell in line.strip("|").split(" | ")) for line in lines[2:]] == expected


def test_table_fits_the_width_and_shows_long_text_whole_when_asked(small_warehouse, capsys):
    run_query(small_warehouse, LONG_TEXT_SQL, max_width=60)
    narrow = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in narrow) <= 60
    assert any(line.endswith("…") for line in narrow)
    run_query(small_warehouse, LONG_TEXT_SQL, max_width=0)
    whole = capsys.readouterr().out
    with open_reader(small_warehouse) as con:
        for (evidence,) in con.execute("select evidence from fct_strike_reports").fetchall():
            assert evidence in whole


def test_a_wide_result_is_shown_record_by_record(small_warehouse, capsys):
    run_query(small_warehouse, "select * from fct_strike_reports order by report_id limit 2", max_width=80)
    out = capsys.readouterr().out
    assert out.startswith("-[ row 1 ]") and "-[ row 2 ]" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "report_id" in out and "evidence" in out


def test_table_says_when_rows_were_left_out(small_warehouse, capsys):
    run_query(small_warehouse, "select * from range(10)", limit=3, max_width=0)
    out = capsys.readouterr().out.splitlines()
    assert out[2:5] == ["0", "1", "2"] and out[-1].startswith("(first 3 rows")


def test_failing_query_prints_duckdbs_message_with_hints(small_warehouse, capsys):
    assert main(["query", "select * from fct_strike", "--warehouse", str(small_warehouse)]) == 1
    err = capsys.readouterr().err
    assert "Did you mean" in err and "fct_strikes" in err
    assert "Traceback" not in err
    assert main(["query", "select strike_dat from fct_strikes", "--warehouse", str(small_warehouse)]) == 1
    assert "strike_date" in capsys.readouterr().err  # DuckDB's candidate bindings, not cut to one line


def test_closed_pipe_ends_quietly(small_warehouse):
    for fmt in ("table", "csv"):
        done = subprocess.run(
            [
                "bash",
                "-c",
                f'"{sys.executable}" -m flows.cli query "select * from range(2000000)" --format {fmt} '
                f'--limit 1000000 --warehouse "{small_warehouse}" | head -1; exit ${{PIPESTATUS[0]}}',
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert len(done.stdout.splitlines()) == 1


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_mart_and_round_trips(small_warehouse, tmp_path, fmt):
    written = export(small_warehouse, tmp_path, fmt)
    with open_reader(small_warehouse) as con:
        names = marts(con)
    assert [p.name for p in written] == [f"{name}.{fmt}" for name in names]
    assert "fct_strikes" in names and "dim_articles" in names
    for path, table in zip(written, names, strict=True):
        _, differ = read_back(small_warehouse, table, path, fmt)
        assert differ == 0, table


def test_export_geojson_has_a_point_per_located_row(small_warehouse, tmp_path):
    written = {p.name: p for p in export(small_warehouse, tmp_path, "geojson")}
    assert "fct_strikes.geojson" in written and "dim_articles.csv" in written  # no coordinates: csv
    with open_reader(small_warehouse) as con:
        for name in ("fct_strikes", "fct_strike_reports", "fct_territorial_claims", "dim_locations"):
            collection = json.loads(written[f"{name}.geojson"].read_text(encoding="utf-8"))
            expected = con.execute(
                f"select * exclude (latitude, longitude), longitude, latitude from {name}"
            ).fetchall()
            got = [
                (
                    *feature["properties"].values(),
                    *(feature["geometry"]["coordinates"] if feature["geometry"] else [None, None]),
                )
                for feature in collection["features"]
            ]
            assert [tuple(str(v) if v is not None else None for v in row) for row in expected] == [
                tuple(str(v) if v is not None else None for v in row) for row in got
            ], name


def test_cli_export_lists_the_files(small_warehouse, tmp_path, capsys):
    assert main(["export", "--to", str(tmp_path), "--warehouse", str(small_warehouse)]) == 0
    listed = capsys.readouterr().out.split()
    assert listed and all(path.endswith(".parquet") for path in listed)


def test_cookbook_has_ten_questions_that_run(small_warehouse):
    """Every query of docs/queries.md runs on a warehouse of the marts' shape; the e2e
    test (tests/e2e/test_queries_md.py) also wants rows from the seed warehouse."""
    from tests.desk.cookbook import cookbook_queries

    queries = cookbook_queries()
    assert len(queries) == 10
    with open_reader(small_warehouse) as con:
        for heading, sql in queries:
            assert con.execute(sql).description, heading
