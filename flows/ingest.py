"""Input folder -> raw frames: discover, read bytes, decode, hash, parse the header.

Reading and decoding are I/O and run once per file; everything after decoding
(header, date, title) is one vectorised polars pass over all files.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

#: ``date YYYY-MM-DD`` at the very start, alone on its line or running into
#: the first paragraph, possibly after leading spaces.
HEADER_PATTERN = r"^\s*(?i:date)[ \t]*:?[ \t]+(\d{4}-\d{1,2}-\d{1,2})\b"
HEADER_STRIP_PATTERN = r"^\s*(?i:date)[ \t]*:?[ \t]+\d{4}-\d{1,2}-\d{1,2}\b\s*"
#: A file name that starts ``YYYYMMDD`` (``20220531T210000Z_PL_en_….txt``).
FILENAME_DATE_PATTERN = r"^(\d{8})"
HTML_PATTERN = r"(?i)^\s*(?:<!doctype html|<html|<head|<body)"

DOCUMENT_SCHEMA = {
    "article_id": pl.String,
    "content_sha256": pl.String,
    "source_file": pl.String,
    "source_path": pl.String,
    "size_bytes": pl.Int64,
    "encoding": pl.String,
    "published_date": pl.Date,
    "date_source": pl.String,
    "date_issue": pl.String,
    "title": pl.String,
    "body": pl.String,
    "ingested_at": pl.Datetime("us", "UTC"),
}
SOURCE_FILE_SCHEMA = {
    "source_path": pl.String,
    "source_file": pl.String,
    "content_sha256": pl.String,
    "article_id": pl.String,
    "size_bytes": pl.Int64,
    "modified_at": pl.Datetime("us", "UTC"),
    "ingested_at": pl.Datetime("us", "UTC"),
}
REJECTED_SCHEMA = {
    "source_path": pl.String,
    "source_file": pl.String,
    "size_bytes": pl.Int64,
    "content_sha256": pl.String,
    "reason": pl.String,
    "rejected_at": pl.Datetime("us", "UTC"),
}


@dataclass(frozen=True)
class IngestResult:
    """What one pass over the input folder found."""

    documents: pl.DataFrame  # one row per distinct content
    source_files: pl.DataFrame  # one row per readable file (names are kept)
    rejected: pl.DataFrame  # one row per file that is not an article, with why


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def article_id_expr(sha_column: str = "content_sha256") -> pl.Expr:
    """Article ids are the first 16 hex digits of the content hash: stable anywhere."""
    return pl.col(sha_column).str.slice(0, 16)


def discover(input_dir: Path) -> tuple[list[str], list[tuple[Path, str]]]:
    """``*.txt`` entries under ``input_dir``: (paths of readable files, rejects with why).

    Symbolic links are followed only when they stay inside ``input_dir``;
    linked folders are not descended into. ``os.scandir`` gives each entry's
    type without a system call of its own, and file paths stay plain strings
    (a ``Path`` per file costs more than listing it): a large folder is listed
    in one quick pass.
    """
    root = input_dir.resolve()
    files, rejects = [], []
    for entry in sorted(_entries(input_dir), key=lambda e: e.path):
        if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
            rejects.append((Path(entry.path), "symbolic link pointing outside the input folder"))
        elif entry.is_dir():
            rejects.append((Path(entry.path), "a folder, not a file"))
        elif not entry.is_file():
            rejects.append((Path(entry.path), "not a regular file"))
        else:
            files.append(entry.path)
    return files, rejects


def _entries(folder: str | Path) -> Iterator[os.DirEntry]:
    """Every entry named ``*.txt`` under ``folder``, recursively (like ``rglob("*.txt")``)."""
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False):
                yield from _entries(entry.path)
            if entry.name.endswith(".txt"):
                yield entry


def changed_files(files: list[str], input_dir: Path, known: pl.DataFrame) -> list[Path]:
    """The files whose (path, size, modification time) match no version already ingested.

    ``files`` are ``discover``'s paths; ``known`` has ``source_path``, ``size_bytes``
    and ``modified_us`` (microseconds since the epoch) of the ingested versions.
    This is make's and rsync's rule: a run with nothing new stats the folder
    instead of reading and hashing every file again.
    """
    if not files or known.is_empty():
        return [Path(name) for name in files]
    stats = [os.stat(name) for name in files]  # noqa: PTH116 (strings: a Path per file is slow)
    prefix = len(str(input_dir).rstrip(os.sep)) + 1  # discover's paths all start with input_dir
    current = pl.DataFrame(
        {
            "position": range(len(files)),
            "source_path": [name[prefix:] for name in files],
            "size_bytes": [stat.st_size for stat in stats],
            "modified_us": [stat.st_mtime_ns // 1000 for stat in stats],
        },
        schema={"position": pl.Int64, "source_path": pl.String, "size_bytes": pl.Int64, "modified_us": pl.Int64},
    )
    changed = current.join(known, on=["source_path", "size_bytes", "modified_us"], how="anti")
    return [Path(files[i]) for i in changed.sort("position")["position"]]


def decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Bytes -> (text, encoding, reason it is not text)."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    if b"\x00" in data:
        return None, None, "binary content (NUL bytes)"
    text, encoding, _ = _strict(data, "utf-8", "utf-8")
    if text is not None:
        return text, encoding, None
    # Not UTF-8: legacy Western text reads as Windows-1252; anything that
    # then looks like control-character noise is not text at all.
    text, encoding, _ = _strict(data, "cp1252", "cp1252")
    if text is None or _control_share(text) > 0.01:
        return None, None, "invalid UTF-8 and not Windows-1252 text"
    return text, encoding, None


def _strict(data: bytes, codec: str, label: str) -> tuple[str | None, str | None, str | None]:
    try:
        return data.decode(codec), label, None
    except UnicodeDecodeError as error:
        return None, None, f"cannot decode as {label}: {error.reason}"


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls / max(len(text), 1)


def read_files(files: list[Path] | list[str], input_dir: Path, max_bytes: int) -> tuple[list[dict], list[dict]]:
    """Read and decode each file: (decoded rows, rejected rows)."""
    decoded, rejected = [], []
    for path in map(Path, files):
        row = {"source_path": str(path.relative_to(input_dir)), "source_file": path.name}
        try:
            stat = path.stat()
            row["size_bytes"] = stat.st_size
            row["modified_at"] = EPOCH + timedelta(microseconds=stat.st_mtime_ns // 1000)  # as changed_files
            if stat.st_size > max_bytes:
                rejected.append(row | {"reason": f"file over the size limit ({stat.st_size} > {max_bytes} bytes)"})
                continue
            data = path.read_bytes()
        except OSError as error:
            rejected.append(row | {"reason": f"cannot read file: {error.strerror or error}"})
            continue
        row["content_sha256"] = hashlib.sha256(data).hexdigest()
        text, encoding, reason = decode(data)
        if text is None:
            rejected.append(row | {"reason": reason})
        else:
            decoded.append(row | {"text": text.replace("\r\n", "\n"), "encoding": encoding})
    return decoded, rejected


def parse_headers(decoded: pl.DataFrame, today: date) -> pl.DataFrame:
    """Vectorised: header date (else file-name date), body, title, and text checks."""
    header_raw = pl.col("text").str.extract(HEADER_PATTERN, 1)
    header_date = header_raw.str.to_date("%Y-%m-%d", strict=False)
    file_date = pl.col("source_file").str.extract(FILENAME_DATE_PATTERN, 1).str.to_date("%Y%m%d", strict=False)
    header_ok = header_date.is_not_null() & (header_date <= pl.lit(today))
    return decoded.with_columns(
        header_raw=header_raw,
        header_date=header_date,
        file_date=file_date,
        body=pl.col("text").str.replace(HEADER_STRIP_PATTERN, "").str.strip_chars(),
    ).with_columns(
        published_date=pl.when(header_ok).then("header_date").otherwise("file_date"),
        date_source=pl.when(header_ok)
        .then(pl.lit("header"))
        .when(pl.col("file_date").is_not_null())
        .then(pl.lit("file_name"))
        .otherwise(pl.lit("none")),
        date_issue=pl.when(pl.col("header_raw").is_null())
        .then(pl.lit("no date header"))
        .when(pl.col("header_date").is_null())
        .then(pl.format("impossible header date {}", "header_raw"))
        .when(pl.col("header_date") > pl.lit(today))
        .then(pl.format("header date {} is in the future", "header_raw")),
        title=pl.coalesce(
            pl.col("body").str.extract(r"^([^\n]+?[.!?])(?:\s|$)", 1),
            pl.col("body").str.extract(r"^([^\n]+)", 1),
        ).str.slice(0, 200),
        reject_reason=pl.when(pl.col("text").str.len_chars() == 0)
        .then(pl.lit("empty file"))
        .when(pl.col("text").str.strip_chars().str.len_chars() == 0)
        .then(pl.lit("whitespace only"))
        .when(pl.col("text").str.contains(HTML_PATTERN))
        .then(pl.lit("HTML, not plain text"))
        .when(pl.col("body").str.len_chars() == 0)
        .then(pl.lit("date header but no article text")),
    )


def ingest(input_dir: Path, max_bytes: int, now: datetime | None = None) -> IngestResult:
    """One pass over ``input_dir``: every ``*.txt`` ends in documents or rejected."""
    files, not_files = discover(input_dir)
    return ingest_files(input_dir, files, not_files, max_bytes, now)


def ingest_files(
    input_dir: Path,
    files: list[Path] | list[str],
    not_files: list[tuple[Path, str]],
    max_bytes: int,
    now: datetime | None = None,
) -> IngestResult:
    """Read ``files`` (found by ``discover`` under ``input_dir``) into raw frames.

    The flow calls this on slices of a large folder, so that memory holds one
    slice at a time; ``not_files`` are the entries ``discover`` turned away.
    """
    now = now or datetime.now(UTC)
    decoded_rows, rejected_rows = read_files(files, input_dir, max_bytes)
    for path, reason in not_files:
        rejected_rows.append(
            {"source_path": str(path.relative_to(input_dir)), "source_file": path.name, "reason": reason}
        )
    decoded = pl.DataFrame(
        decoded_rows,
        schema={
            "source_path": pl.String,
            "source_file": pl.String,
            "size_bytes": pl.Int64,
            "modified_at": pl.Datetime("us", "UTC"),
            "content_sha256": pl.String,
            "text": pl.String,
            "encoding": pl.String,
        },
    )
    parsed = parse_headers(decoded, now.date()).with_columns(
        article_id=article_id_expr(), ingested_at=pl.lit(now, pl.Datetime("us", "UTC"))
    )
    not_articles = parsed.filter(pl.col("reject_reason").is_not_null()).select(
        "source_path", "source_file", "size_bytes", "content_sha256", reason="reject_reason"
    )
    articles = parsed.filter(pl.col("reject_reason").is_null())
    documents = (
        articles.sort("source_path")
        .unique("content_sha256", keep="first", maintain_order=True)
        .select(DOCUMENT_SCHEMA.keys())
    )
    rejected = pl.concat(
        [
            pl.DataFrame(rejected_rows, schema={k: v for k, v in REJECTED_SCHEMA.items() if k != "rejected_at"}),
            not_articles,
        ],
        how="diagonal_relaxed",
    ).with_columns(rejected_at=pl.lit(now, pl.Datetime("us", "UTC")))
    return IngestResult(
        documents=documents.cast(DOCUMENT_SCHEMA),
        source_files=articles.select(SOURCE_FILE_SCHEMA.keys()).cast(SOURCE_FILE_SCHEMA),
        rejected=rejected.select(REJECTED_SCHEMA.keys()).cast(REJECTED_SCHEMA),
    )
