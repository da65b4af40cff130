"""Ingest types its frames by the pandera models of schemas/raw.py, and they validate."""

from __future__ import annotations

from flows.ingest import ingest_files
from schemas import raw
from schemas.columns import polars_schema

MODELS = {
    "documents": raw.Documents,
    "source_files": raw.SourceFiles,
    "rejected": raw.RejectedFiles,
    "missing": raw.MissingFiles,
}


def test_ingest_frames_have_the_models_columns_and_types(write_files):
    folder = write_files({"a.txt": "date 2025-07-26\nDrones hit Kharkiv overnight.", "empty.txt": ""})
    result = ingest_files(folder, [folder / "a.txt", folder / "empty.txt"], [], 1024, missing=["gone.txt"])
    for name, model in MODELS.items():
        frame = getattr(result, name)
        assert frame.height == 1, name
        assert dict(frame.schema) == polars_schema(model), name
        model.validate(frame, lazy=True)
