"""``frontline report``: the page holds every fact it should, works offline, and draws in a browser."""

from __future__ import annotations

import datetime as dt
import json
import re
import struct

import duckdb
import pytest

from flows.cli import main
from flows.report import write_report
from flows.report.data import LATEST_EVENTS, Filters
from flows.report.render import BOUNDARIES, plotly_js
from tests.desk.browser import count_elements, render


def embedded_data(page: str) -> dict:
    found = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def scalar(warehouse, sql: str, params: list | None = None):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


def test_report_beside_the_warehouse_holds_every_fact(small_warehouse, tmp_path):
    path = write_report(small_warehouse, tmp_path)
    assert path == tmp_path / "report.html"
    data = embedded_data(path.read_text(encoding="utf-8"))
    assert len(data["strikes"]) == scalar(small_warehouse, "select count(*) from fct_strikes")
    assert len(data["casualties"]) == scalar(small_warehouse, "select count(*) from fct_casualties")
    assert len(data["claims"]) == scalar(small_warehouse, "select count(*) from fct_territorial_claims")
    assert data["health"]["facts"]["fct_strike_reports"] == scalar(
        small_warehouse, "select count(*) from fct_strike_reports"
    )
    assert data["health"]["rejected"] == [{"reason": "empty file", "files": 1}]
    assert data["health"]["quarantined"][0]["rows"] == 1
    # every listed event has its reports, with evidence, source file and who said so
    reports = {r["event_id"] for r in data["reports"]}
    assert {e["id"] for e in data["latest"]} <= reports
    assert any(r["reported_by"] == "Governor Oleh Syniehubov" and r["source_file"] for r in data["reports"])


def test_default_place_is_beside_the_warehouse_and_per_warehouse(small_warehouse, tmp_path):
    assert write_report(small_warehouse) == small_warehouse.parent / "report.html"
    other = tmp_path / "eval.duckdb"
    other.write_bytes(small_warehouse.read_bytes())
    assert write_report(other) == tmp_path / "eval.report.html"


def test_filters_by_dates_and_oblast(small_warehouse, tmp_path):
    day = dt.date(2025, 7, 25)
    path = write_report(small_warehouse, tmp_path, Filters(date_from=day, date_to=day, admin1="kharkiv"))
    data = embedded_data(path.read_text(encoding="utf-8"))
    expected = scalar(
        small_warehouse, "select count(*) from fct_strikes where strike_date = ? and admin1 = 'Kharkiv'", [day]
    )
    assert expected > 0 and len(data["strikes"]) == expected
    assert {(s["date"], s["admin1"]) for s in data["strikes"]} == {(day.isoformat(), "Kharkiv")}
    assert "2025-07-25 to 2025-07-25, oblast kharkiv" in path.read_text(encoding="utf-8")


def test_page_is_self_contained_and_evidence_cannot_break_it(small_warehouse, tmp_path):
    page = write_report(small_warehouse, tmp_path).read_text(encoding="utf-8")
    assert plotly_js() in page  # inlined whole, from the plotly package
    page = page.replace(plotly_js(), "")  # (its own strings name plotly's web site)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing loaded from elsewhere
    assert "<link" not in page and "@import" not in page
    assert "</script>." not in page  # evidence text cannot close the data's <script>
    assert len(page) < 1_000_000


def test_boundaries_are_vendored_with_their_licence():
    collection = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    names = {(f["properties"]["admin1"], f["properties"]["country_code"]) for f in collection["features"]}
    assert len([n for n in names if n[1] == "UA"]) == 27  # 24 oblasts, Crimea, Kyiv City, Sevastopol
    assert {("Kursk", "RU"), ("Belgorod", "RU"), ("Bryansk", "RU")} <= names
    assert (BOUNDARIES.parent / "LICENSE-boundaries.md").read_text().count("public domain") >= 1
    assert BOUNDARIES.stat().st_size < 200_000


def test_cli_report_command(small_warehouse, tmp_path, capsys):
    assert main(["report", "--warehouse", str(small_warehouse), "--out", str(tmp_path), "--admin1", "Sumy"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "report.html")
    with pytest.raises(SystemExit):
        main(["report", "--warehouse", str(small_warehouse), "--from", "yesterday"])


def assert_drawn(warehouse, page, out_dir):
    """Open ``page`` in headless Chromium offline; the map, timeline and tables are drawn
    with as many marks and rows as the warehouse has facts. Returns the screenshot."""
    dom, screenshot = render(page, out_dir)
    counts, attributes = count_elements(dom, {"map", "timeline", "latest", "claims", "health"})
    assert attributes["report-data"] is not None and 'data-drawn="yes"' in dom
    located = scalar(
        warehouse,
        """select (select count(*) from fct_strikes where latitude is not null)
                + (select count(*) from fct_casualties c join dim_locations l using (location_id)
                   where l.latitude is not null)
                + (select count(*) from fct_territorial_claims where latitude is not null)""",
    )
    assert counts["map"][("svg", "main-svg")] >= 1
    assert counts["map"][("path", "js-fill")] >= 1  # the oblast boundaries
    assert counts["map"][("path", "point")] == located  # one marker per located fact
    strike_days = scalar(warehouse, "select count(distinct strike_date) from fct_strikes")
    assert counts["timeline"][("svg", "main-svg")] >= 1
    assert counts["timeline"][("g", "point")] == strike_days  # one bar per day with strikes
    if scalar(warehouse, "select count(*) from fct_casualties"):
        assert counts["timeline"][("path", "js-line")] >= 2  # killed and injured
    events = scalar(warehouse, "select (select count(*) from fct_strikes) + (select count(*) from fct_casualties)")
    assert counts["latest"][("tr", "event")] == min(events, LATEST_EVENTS)
    assert counts["claims"][("tr", "claim")] == scalar(warehouse, "select count(*) from fct_territorial_claims")
    assert counts["health"][("tr", "")] >= 9
    png = screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1400, 2400)
    return screenshot


def test_report_draws_offline_in_chromium(small_warehouse, tmp_path):
    page = write_report(small_warehouse, tmp_path)
    screenshot = assert_drawn(small_warehouse, page, tmp_path)
    assert screenshot.parent == tmp_path
