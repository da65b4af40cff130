"""A small warehouse with the marts' shape, written directly (no flow run), for fast tests
of what reads the marts: report, query, export. Its facts are varied on purpose: several
days, sides and oblasts, facts without coordinates, undated facts, and evidence with
HTML in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

UTC = dt.UTC
DAYS = [dt.date(2025, 7, 24), dt.date(2025, 7, 25), dt.date(2025, 7, 26)]
PLACES = [  # (settlement, admin1, latitude, longitude)
    ("Kharkiv", "Kharkiv", 49.98, 36.25),
    ("Sumy", "Sumy", 50.91, 34.80),
    ("Pokrovsk", "Donetsk", 48.28, 37.18),
    ("Obesta", "Kursk", None, None),
]


def _articles() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(4)],
            "source_file": [f"article_{i}.txt" for i in range(4)],
            "published_date": [DAYS[i % 3] for i in range(4)],
            "title": [f"Title {i}" for i in range(4)],
            "content_sha256": [f"{i:064d}" for i in range(4)],
            "ingested_at": [dt.datetime(2025, 7, 27, 8, i, tzinfo=UTC) for i in range(4)],
        }
    )


def _strikes() -> tuple[pl.DataFrame, pl.DataFrame]:
    events, reports = [], []
    for i in range(12):
        settlement, admin1, lat, lon = PLACES[i % 4]
        date = DAYS[i % 3] if i != 11 else None  # one undated strike
        side = "UA" if admin1 == "Kursk" else ("RU" if i % 5 else "unknown")
        sid = f"s{i:02d}"
        events.append(
            {
                "strike_id": sid,
                "strike_date": date,
                "date_precision": "day",
                "perpetrator_side": side,
                "target_country": "UA",
                "admin1": admin1,
                "admin2": None,
                "settlement": settlement,
                "place_name": settlement,
                "location_id": f"L{i % 4}",
                "latitude": lat,
                "longitude": lon,
                "weapon": "drone",
                "target_type": "civilian",
                "n_reports": 1 + i % 2,
                "n_articles": 1 + i % 2,
            }
        )
        for r in range(1 + i % 2):
            reports.append(
                {
                    "report_id": f"{sid}r{r}",
                    "article_id": f"a{(i + r) % 4}",
                    "strike_id": sid,
                    "strike_date": date,
                    "date_precision": "day",
                    "perpetrator_side": side,
                    "target_country": "UA",
                    "admin1": admin1,
                    "admin2": None,
                    "settlement": settlement,
                    "location_id": f"L{i % 4}",
                    "latitude": lat,
                    "longitude": lon,
                    "weapon": "drone",
                    "target_type": "civilian",
                    "reported_by": "Governor Oleh Syniehubov" if r == 0 else None,
                    "evidence": f"Drones hit {settlement} overnight, report {r} of strike {i} <b>not bold</b></script>.",
                }
            )
    return pl.DataFrame(events), pl.DataFrame(reports)


def _casualties() -> tuple[pl.DataFrame, pl.DataFrame]:
    events, reports = [], []
    for i in range(6):
        settlement, admin1, lat, lon = PLACES[i % 4]
        cid = f"c{i:02d}"
        events.append(
            {
                "casualty_id": cid,
                "strike_id": f"s{i:02d}" if i % 2 == 0 else None,
                "incident_date": DAYS[i % 3],
                "admin1": admin1,
                "admin2": None,
                "settlement": settlement,
                "place_name": settlement,
                "location_id": f"L{i % 4}",
                "country_code": "UA",
                "killed_low": i,
                "killed_best": i + 1,
                "killed_high": i + 3,
                "injured_low": 2 * i,
                "injured_best": 2 * i + 1,
                "injured_high": 2 * i + 4,
                "n_reports": 1,
            }
        )
        reports.append(
            {
                "report_id": f"{cid}r0",
                "article_id": f"a{i % 4}",
                "casualty_id": cid,
                "strike_id": events[-1]["strike_id"],
                "incident_date": DAYS[i % 3],
                "date_precision": "day",
                "admin1": admin1,
                "admin2": None,
                "settlement": settlement,
                "location_id": f"L{i % 4}",
                "country_code": "UA",
                "latitude": lat,
                "longitude": lon,
                "killed": i + 1,
                "injured": 2 * i + 1,
                "count_qualifier": "exact",
                "victim_group": "civilians",
                "reported_by": "the State Emergency Service",
                "evidence": f"{i + 1} people were killed in {settlement}.",
            }
        )
    return pl.DataFrame(events), pl.DataFrame(reports)


def _claims() -> pl.DataFrame:
    rows = []
    for i in range(5):
        settlement, admin1, lat, lon = PLACES[2] if i < 3 else ("Maliivka", "Dnipropetrovsk", 48.1, 36.6)
        rows.append(
            {
                "claim_id": f"k{i}",
                "article_id": f"a{i % 4}",
                "claim_date": DAYS[i % 3],
                "date_precision": "day",
                "settlement": settlement,
                "admin1": admin1,
                "country_code": "UA",
                "location_id": f"K{i}",
                "latitude": lat,
                "longitude": lon,
                "claimant": "Russian Defense Ministry" if i % 2 == 0 else "General Staff of Ukraine",
                "claimant_side": "RU" if i % 2 == 0 else "UA",
                "gaining_side": "RU" if i % 2 == 0 else "UA",
                "claim_type": "capture" if i % 2 == 0 else "repelled",
                "verification": "verified" if i == 4 else "unverified",
                "reported_by": "spokesman Viktor Trehubov" if i == 1 else None,
                "evidence": f"Claim {i}: the ministry said its forces took {settlement}.",
            }
        )
    return pl.DataFrame(rows)


def _locations() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "location_id": [f"L{i}" for i in range(4)],
            "name": [p[0] for p in PLACES],
            "feature_type": ["settlement"] * 4,
            "admin1": [p[1] for p in PLACES],
            "admin2": [None] * 4,
            "country_code": ["UA", "UA", "UA", "RU"],
            "latitude": [p[2] for p in PLACES],
            "longitude": [p[3] for p in PLACES],
        },
        schema_overrides={"admin2": pl.String},
    )


def build(path: Path) -> Path:
    """Write the small warehouse to ``path`` and return it."""
    strikes, strike_reports = _strikes()
    casualties, casualty_reports = _casualties()
    tables = {
        "main.dim_articles": _articles(),
        "main.dim_locations": _locations(),
        "main.fct_strikes": strikes,
        "main.fct_strike_reports": strike_reports,
        "main.fct_casualties": casualties,
        "main.fct_casualty_reports": casualty_reports,
        "main.fct_territorial_claims": _claims(),
        "raw.source_files": pl.DataFrame(
            {
                "source_path": [f"article_{i}.txt" for i in range(5)],
                "ingested_at": [dt.datetime(2025, 7, 27, 8, 0, tzinfo=UTC)] * 5,
            }
        ),
        "raw.rejected_files": pl.DataFrame({"source_path": ["empty.txt"], "reason": ["empty file"]}),
        "meta.quarantine": pl.DataFrame({"table_name": ["strike_reports"], "failed_checks": ["side_is_known"]}),
        "meta.build_log": pl.DataFrame({"state": ["x"], "built_at": [dt.datetime(2025, 7, 27, 8, 5, tzinfo=UTC)]}),
    }
    with duckdb.connect(str(path)) as con:
        for schema in ("raw", "meta"):
            con.execute(f"create schema {schema}")
        for name, frame in tables.items():
            con.register("_frame", frame)
            con.execute(f"create table {name} as select * from _frame")
            con.unregister("_frame")
    return path
