"""What the report shows, read from the warehouse's marts into plain JSON-ready rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

#: The marts the report counts (the public contract's fact tables).
FACT_TABLES = ("fct_strike_reports", "fct_strikes", "fct_casualty_reports", "fct_casualties", "fct_territorial_claims")
#: Events listed in the "latest events" table (newest first); the map and timeline show all.
LATEST_EVENTS = 300


@dataclass(frozen=True)
class Filters:
    """Which facts the report covers: a date window and/or one oblast."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    admin1: str | None = None

    def where(self, date_column: str, admin1_column: str = "admin1") -> tuple[str, list]:
        """A SQL condition (``true`` when unfiltered) and its parameters."""
        clauses, params = ["true"], []
        if self.date_from:
            clauses.append(f"{date_column} >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(f"{date_column} <= ?")
            params.append(self.date_to)
        if self.admin1:
            clauses.append(f"lower({admin1_column}) = lower(?)")
            params.append(self.admin1)
        return " and ".join(clauses), params

    def describe(self) -> str:
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        if self.admin1:
            parts.append(f"oblast {self.admin1}")
        return ", ".join(parts) or "all facts"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, _plain(row), strict=True)) for row in cursor.fetchall()]


def _plain(row: tuple) -> list:
    """Dates and timestamps as ISO text (JSON has neither)."""
    return [value.isoformat() if isinstance(value, dt.date | dt.datetime) else value for value in row]


def strikes(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict]:
    where, params = filters.where("strike_date")
    return _rows(
        con,
        f"""select strike_id as id, strike_date as date, perpetrator_side as side, admin1, settlement,
                   coalesce(settlement, place_name, admin1) as place, latitude, longitude,
                   weapon, target_type, n_reports
            from main.fct_strikes where {where} order by strike_date, strike_id""",
        params,
    )


def casualties(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict]:
    where, params = filters.where("c.incident_date", "c.admin1")
    return _rows(
        con,
        f"""select c.casualty_id as id, c.incident_date as date, coalesce(s.perpetrator_side, 'unknown') as side,
                   c.admin1, c.settlement, coalesce(c.settlement, c.place_name, c.admin1) as place,
                   l.latitude, l.longitude, c.killed_low, c.killed_best, c.killed_high,
                   c.injured_low, c.injured_best, c.injured_high, c.n_reports
            from main.fct_casualties c left join main.fct_strikes s using (strike_id)
                 left join main.dim_locations l on l.location_id = c.location_id
            where {where} order by c.incident_date, c.casualty_id""",
        params,
    )


def claims(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict]:
    where, params = filters.where("c.claim_date", "c.admin1")
    return _rows(
        con,
        f"""select c.claim_id as id, c.claim_date as date, coalesce(c.settlement, c.admin1) as place,
                   c.settlement, c.admin1, c.latitude, c.longitude, c.claimant, c.claimant_side,
                   c.gaining_side, c.claim_type, c.verification, c.reported_by, c.evidence,
                   a.source_file
            from main.fct_territorial_claims c left join main.dim_articles a using (article_id)
            where {where} order by place, c.claim_date nulls last, c.claim_id""",
        params,
    )


def reports(con: duckdb.DuckDBPyConnection, event_ids: list[str]) -> list[dict]:
    """The reports (evidence, source file, who said so) behind the listed events."""
    if not event_ids:
        return []
    return _rows(
        con,
        """select r.strike_id as event_id, r.evidence, r.reported_by, a.source_file, a.published_date
           from main.fct_strike_reports r left join main.dim_articles a using (article_id)
           where r.strike_id in (select unnest(?))
           union all
           select r.casualty_id, r.evidence, r.reported_by, a.source_file, a.published_date
           from main.fct_casualty_reports r left join main.dim_articles a using (article_id)
           where r.casualty_id in (select unnest(?))
           order by 1, 5, 4, 2""",
        [event_ids, event_ids],
    )


def latest_events(strike_rows: list[dict], casualty_rows: list[dict], limit: int = LATEST_EVENTS) -> list[dict]:
    """Strikes and casualty events, newest first (undated last), at most ``limit``."""
    events = [{**row, "kind": "strike"} for row in strike_rows] + [
        {**row, "kind": "casualties"} for row in casualty_rows
    ]
    events.sort(key=lambda e: (e["date"] or "", e["id"]), reverse=True)
    dated = [e for e in events if e["date"]] + [e for e in events if not e["date"]]
    return dated[:limit]


def health(con: duckdb.DuckDBPyConnection) -> dict:
    """The warehouse's own state: what was read, rejected, quarantined, built and when."""

    def scalar(sql: str):
        return con.execute(sql).fetchone()[0]

    return {
        "articles": scalar("select count(*) from main.dim_articles"),
        "files_read": scalar("select count(distinct source_path) from raw.source_files"),
        "rejected": _rows(
            con, "select reason, count(*) as files from raw.rejected_files group by reason order by files desc, reason"
        ),
        "quarantined": _rows(
            con,
            """select table_name, failed_checks, count(*) as rows from meta.quarantine
               group by all order by rows desc, table_name, failed_checks""",
        ),
        "facts": {table: scalar(f"select count(*) from main.{table}") for table in FACT_TABLES},
        "last_ingest": _plain((scalar("select max(ingested_at) from raw.source_files"),))[0],
        "last_build": _plain((scalar("select max(built_at) from meta.build_log"),))[0],
    }


def collect(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Everything the report's page needs, as one JSON-ready dict."""
    strike_rows, casualty_rows = strikes(con, filters), casualties(con, filters)
    latest = latest_events(strike_rows, casualty_rows)
    return {
        "filters": filters.describe(),
        "strikes": strike_rows,
        "casualties": casualty_rows,
        "claims": claims(con, filters),
        "latest": latest,
        "latest_total": len(strike_rows) + len(casualty_rows),
        "reports": reports(con, [event["id"] for event in latest]),
        "health": health(con),
    }
