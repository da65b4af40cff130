"""Each pandera model accepts a good row and rejects a bad one; bad rows go to quarantine."""

import datetime as dt

import pandera.polars as pa
import polars as pl
import pytest

from flows.validate import validate
from schemas.raw import Documents, RejectedFiles
from schemas.staging import STAGING_MODELS

PLACE = {
    "article_id": "0123456789abcdef",
    "sentence_index": 3,
    "date_precision": "day",
    "place_key": "UA63120270010096107",
    "location_id": "UA63120270010096107",
    "place_name": "Kharkiv",
    "feature_type": "settlement",
    "settlement": "Kharkiv",
    "admin1": "Kharkiv",
    "admin2": "Kharkiv",
    "country_code": "UA",
    "latitude": 49.98,
    "longitude": 36.25,
    "reported_by": "Ihor Terekhov",
    "evidence": "Drones hit Kharkiv.",
    "evidence_start": 10,
    "evidence_end": 29,
    "mention_start": 11,
    "parser_version": "test",
}
GOOD = {
    "strike_reports": PLACE
    | {
        "strike_date": dt.date(2025, 7, 26),
        "perpetrator_side": "RU",
        "target_country": "UA",
        "weapon": "drone",
        "target_type": None,
    },
    "casualty_reports": PLACE
    | {
        "incident_date": dt.date(2025, 7, 26),
        "killed": 1,
        "injured": None,
        "count_qualifier": None,
        "victim_group": "civilian",
    },
    "territorial_claims": PLACE
    | {
        "claim_date": dt.date(2025, 7, 26),
        "claimant": "Russian Defense Ministry",
        "claimant_side": "RU",
        "gaining_side": "RU",
        "claim_type": "capture",
        "verification": "unverified",
    },
    "sentences": {
        "article_id": "0123456789abcdef",
        "sentence_index": 0,
        "paragraph_index": 0,
        "sentence_start": 0,
        "sentence_end": 5,
        "sentence": "Text.",
        "parser_version": "test",
    },
    "place_mentions": {
        "article_id": "0123456789abcdef",
        "sentence_index": 0,
        "paragraph_index": 0,
        "mention_start": 0,
        "mention_end": 7,
        "mention_text": "Kharkiv",
        "location_id": None,
        "place_name": "Kharkiv",
        "feature_type": "settlement",
        "settlement": "Kharkiv",
        "admin2": "Kharkivskyi",
        "admin1": "Kharkiv",
        "country_code": "UA",
        "latitude": 49.98,
        "longitude": 36.25,
        "is_reference": False,
        "parser_version": "test",
    },
}
BAD = {
    "strike_reports": {"perpetrator_side": "Russia"},  # free text, not a side code
    "casualty_reports": {"killed": -1},
    "territorial_claims": {"claim_type": "advance"},
    "sentences": {"sentence": ""},
    "place_mentions": {"feature_type": "planet"},
}


NULLABLE_INTS = {"killed", "injured", "size_bytes"}


def _frame(row: dict) -> pl.DataFrame:
    """One-row frame; all-null columns get the dtype the model expects."""
    overrides = {k: pl.Int64 if k in NULLABLE_INTS else pl.String for k, v in row.items() if v is None}
    return pl.DataFrame([row], schema_overrides=overrides)


@pytest.mark.parametrize("table", list(STAGING_MODELS))
def test_good_row_passes(table):
    STAGING_MODELS[table].validate(_frame(GOOD[table]), lazy=True)


@pytest.mark.parametrize("table", list(STAGING_MODELS))
def test_bad_row_fails(table):
    with pytest.raises(pa.errors.SchemaErrors):
        STAGING_MODELS[table].validate(_frame(GOOD[table] | BAD[table]), lazy=True)


def test_evidence_offsets_must_span_the_evidence():
    with pytest.raises(pa.errors.SchemaErrors):
        STAGING_MODELS["strike_reports"].validate(_frame(GOOD["strike_reports"] | {"evidence_end": 99}), lazy=True)


def test_failing_rows_are_quarantined_with_their_checks():
    good, bad = GOOD["casualty_reports"], GOOD["casualty_reports"] | {"killed": -1, "place_key": "UA|Kharkiv|elsewhere"}
    frames = {"casualty_reports": pl.concat([_frame(good), _frame(bad)]).drop("parser_version")}
    valid, quarantine = validate(frames, "v1")
    assert valid["casualty_reports"].height == 1
    assert quarantine.height == 1
    row = quarantine.row(0, named=True)
    assert row["table_name"] == "casualty_reports"
    assert "killed: greater_than_or_equal_to(0)" in row["failed_checks"]
    assert '"killed":-1' in row["row_json"]


def test_raw_models():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    doc = {
        "article_id": "0123456789abcdef",
        "content_sha256": "0123456789abcdef" * 4,
        "source_file": "a.txt",
        "source_path": "a.txt",
        "size_bytes": 10,
        "encoding": "utf-8",
        "published_date": dt.date(2025, 7, 26),
        "date_source": "header",
        "date_issue": None,
        "title": "T",
        "body": "Body",
        "ingested_at": now,
    }
    Documents.validate(_frame(doc), lazy=True)
    Documents.validate(_frame(doc | {"encoding": "cp1251"}), lazy=True)  # any codec charset-normalizer finds
    with pytest.raises(pa.errors.SchemaErrors):
        Documents.validate(_frame(doc | {"encoding": "ebcdic"}), lazy=True)
    rejected = {
        "input_root": "/data/in",
        "source_path": "b.txt",
        "source_file": "b.txt",
        "size_bytes": 0,
        "content_sha256": None,
        "modified_at": now,
        "reason": "empty file",
        "rejected_at": now,
    }
    RejectedFiles.validate(_frame(rejected), lazy=True)
    with pytest.raises(pa.errors.SchemaErrors):
        RejectedFiles.validate(_frame(rejected | {"reason": ""}), lazy=True)
