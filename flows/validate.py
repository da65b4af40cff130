"""Validate parsed frames with the pandera models of ``schemas.staging``.

Rows that fail a check are not dropped: they go to ``meta.quarantine`` with
the checks they failed (as JSON of the row), so nothing is silently lost.
This module is imported only when something is parsed: pandera (and pandas
under it) take seconds to import, which a run with nothing new should not pay.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandera.polars as pa
import polars as pl

from schemas.staging import STAGING_MODELS

QUARANTINE_SCHEMA = {
    "table_name": pl.String,
    "article_id": pl.String,
    "row_json": pl.String,
    "failed_checks": pl.String,
    "parser_version": pl.String,
    "quarantined_at": pl.Datetime("us", "UTC"),
}


def validate(frames: dict[str, pl.DataFrame], parser_version: str) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Validate each staging frame; split into (valid frames, quarantined rows with their checks)."""
    now = datetime.now(UTC)
    valid, quarantined = {}, []
    for table, frame in frames.items():
        model = STAGING_MODELS[table]
        frame = frame.with_columns(parser_version=pl.lit(parser_version))
        try:
            valid[table] = model.validate(frame, lazy=True)
            continue
        except pa.errors.SchemaErrors as errors:
            failures = errors.failure_cases
        if failures["index"].null_count() == failures.height:
            # Schema-level failures (a missing column, a wrong dtype) are bugs, not bad rows.
            raise ValueError(f"staging.{table} does not match its schema:\n{failures}")
        per_row = (
            failures.filter(pl.col("index").is_not_null())
            .group_by("index")
            .agg(
                failed_checks=pl.concat_str(pl.col("column").fill_null("row"), pl.lit(": "), pl.col("check"))
                .unique()
                .sort()
                .str.join("; ")
            )
        )
        indexed = frame.with_row_index("index").with_columns(pl.col("index").cast(per_row["index"].dtype))
        bad = indexed.join(per_row, on="index", how="inner")
        valid[table] = indexed.join(per_row, on="index", how="anti").drop("index")
        quarantined.append(
            bad.select(
                table_name=pl.lit(table),
                article_id="article_id",
                row_json=pl.struct(pl.all().exclude("index", "failed_checks")).struct.json_encode(),
                failed_checks="failed_checks",
                parser_version=pl.lit(parser_version),
                quarantined_at=pl.lit(now, pl.Datetime("us", "UTC")),
            )
        )
    quarantine = pl.concat(quarantined) if quarantined else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return valid, quarantine.cast(QUARANTINE_SCHEMA)
