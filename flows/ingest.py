"""Input folder -> raw frames: discover, read bytes, decode, normalise, hash, parse the header.

Reading and decoding are I/O and run once per file; everything after decoding
(header, date, title) is one vectorised polars pass over all files.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from schemas import raw
from schemas.columns import polars_schema

#: The header's date, as written after ``date`` (``date:``, ``Date``): ISO, with or without a
#: time and zone (``2025-07-26T10:00Z``, ``2025-07-26 10:00 +03:00``), ``2025/07/26``,
#: ``26.07.2025``, ``26 July 2025``, ``July 26, 2025`` (each optionally after a weekday).
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?[ \t]+)?"
_TIME = r"(?:[T ][0-2]?\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[ \t]?(?:Z|UTC|GMT|[+-][0-2]\d:?[0-5]\d))?)?"
_HEADER_VALUE = (
    rf"(?i:{_WEEKDAY}(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}{_TIME}|\d{{4}}/\d{{1,2}}/\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}"
    rf"|\d{{1,2}}[ \t]+{_MONTH}[ \t]+\d{{4}}|{_MONTH}[ \t]+\d{{1,2}},?[ \t]+\d{{4}}))"
)
#: ``date <value>`` at the very start, alone on its line or running into the first
#: paragraph, possibly after leading spaces.
HEADER_PATTERN = rf"^\s*(?i:date)[ \t]*:?[ \t]+({_HEADER_VALUE})\b"
HEADER_STRIP_PATTERN = rf"^\s*(?i:date)[ \t]*:?[ \t]+{_HEADER_VALUE}\b\s*"
#: Dates a header or file name may give: earlier ones are taken for typos (the war
#: coverage starts in 2014); later than the day of ingest cannot be a publication date.
EARLIEST_DATE = date(2014, 1, 1)
#: A file name that starts ``YYYYMMDD`` (``20220531T210000Z_PL_en_….txt``).
FILENAME_DATE_PATTERN = r"^(\d{8})"
HTML_PATTERN = r"(?i)^\s*(?:<!doctype html|<html|<head|<body)"

#: Frames are typed by the pandera models of schemas/raw.py. Sightings (see ``flows/load.py``):
#: every input entry's path is relative to ``input_root``, the resolved input folder, so one
#: name under two folders is two files.
DOCUMENT_SCHEMA = polars_schema(raw.Documents)
SOURCE_FILE_SCHEMA = polars_schema(raw.SourceFiles)
REJECTED_SCHEMA = polars_schema(raw.RejectedFiles)
MISSING_SCHEMA = polars_schema(raw.MissingFiles)


@dataclass(frozen=True)
class IngestResult:
    """What one pass over the input folder found."""

    documents: pl.DataFrame  # one row per distinct content
    source_files: pl.DataFrame  # one row per readable file (names are kept)
    rejected: pl.DataFrame  # one row per file that is not an article, with why
    missing: pl.DataFrame  # one row per path seen before and gone now


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def article_id_expr(sha_column: str = "content_sha256") -> pl.Expr:
    """Article ids are the first 16 hex digits of the content hash: stable anywhere."""
    return pl.col(sha_column).str.slice(0, 16)


def discover(input_dir: Path, extensions: tuple[str, ...] = (".txt",)) -> tuple[list[str], list[tuple[str, str]]]:
    """Every entry under ``input_dir``: (paths of files to read, rejects as (relative path, why)).

    Never raises for one entry: loops, names that are not UTF-8, unreadable or too deep
    folders, FIFOs and files of other extensions each become a reject with the reason,
    so one bad entry cannot stop a run. Files are read when their name ends with one of
    ``extensions`` (lower case, with the dot), whatever its case. Symbolic links are
    followed only to files inside ``input_dir``. Folders are walked with a stack, not
    recursion, so any depth is fine; ``os.scandir`` gives each entry's type without a
    system call of its own, and paths stay plain strings: a large folder is listed in
    one quick pass.
    """
    top = str(input_dir).rstrip(os.sep) or os.sep
    root = os.path.realpath(top)
    prefix = len(top) + 1
    files: list[str] = []
    rejects: list[tuple[str, str]] = []
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            if folder == top:
                raise
            rejects.append((_shown(folder[prefix:]), f"cannot list folder: {_why(error)}"))
            continue
        for entry in entries:
            try:
                kind, reason = _classify(entry, root, extensions)
            except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop on some Pythons
                kind, reason = "reject", f"cannot read entry: {_why(error)}"
            if kind == "folder":
                folders.append(entry.path)
            elif kind == "file":
                files.append(entry.path)
            if reason:
                rejects.append((_shown(entry.path[prefix:]), reason))
    return sorted(files), sorted(rejects)


def _classify(entry: os.DirEntry, root: str, extensions: tuple[str, ...]) -> tuple[str, str | None]:
    """("file" | "folder" | "reject", reason to reject or None) for one directory entry."""
    if not _is_utf8(entry.name):
        return "reject", "file name is not valid UTF-8 (shown with \\x escapes)"
    if entry.is_dir(follow_symlinks=False):
        # A folder named like an article is recorded (someone expected a file there) and still walked.
        return "folder", ("a folder, not a file" if _has_extension(entry.name, extensions) else None)
    if entry.is_symlink():
        try:
            target = os.path.realpath(entry.path, strict=True)
        except OSError as error:
            loop = error.errno == errno.ELOOP
            return "reject", "symbolic link loop" if loop else "broken symbolic link"
        if os.path.commonpath([root, target]) != root:
            return "reject", "symbolic link pointing outside the input folder"
        if Path(target).is_dir():
            return "reject", "symbolic link to a folder (not followed)"
    if not entry.is_file():
        return "reject", f"not a regular file ({_file_kind(entry)})"
    if not _has_extension(entry.name, extensions):
        return "reject", f"not a {' or '.join(extensions)} file"
    return "file", None


def _has_extension(name: str, extensions: tuple[str, ...]) -> bool:
    return name.lower().endswith(extensions)


def _is_utf8(name: str) -> bool:
    """File names come from the OS with undecodable bytes as surrogates."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(relative: str) -> str:
    """A path that can be stored and printed: bytes that are not UTF-8 become ``\\xNN``."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _why(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _file_kind(entry: os.DirEntry) -> str:
    mode = entry.stat().st_mode
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device")):
        if test(mode):
            return kind
    return "a device" if stat.S_ISBLK(mode) else "special file"


def changed_files(files: list[str], input_dir: Path, last_seen: pl.DataFrame) -> list[Path]:
    """The files whose (path, size, modification time) differ from their path's last sighting
    as an article.

    ``files`` are ``discover``'s paths; ``last_seen`` has ``source_path``, ``outcome``,
    ``size_bytes`` and ``modified_us`` (microseconds since the epoch) of each path's last
    sighting under this input folder (``load.last_sightings``). This is make's and rsync's
    rule: a run with nothing new stats the folder instead of reading and hashing every
    file again, and a touched file is read once, not on every later run. Rejected files
    are read again (they are few, and a new size limit may admit them); only what
    differs from their last sighting is recorded.
    """
    last_seen = last_seen.filter(pl.col("outcome") == "article")
    if not files or last_seen.is_empty():
        return [Path(name) for name in files]
    prefix = len(str(input_dir).rstrip(os.sep)) + 1  # discover's paths all start with input_dir
    stats = [_stat(name) for name in files]
    current = pl.DataFrame(
        {
            "position": range(len(files)),
            "source_path": [name[prefix:] for name in files],
            "size_bytes": [info.st_size if info else None for info in stats],
            "modified_us": [info.st_mtime_ns // 1000 if info else None for info in stats],
        },
        schema={"position": pl.Int64, "source_path": pl.String, "size_bytes": pl.Int64, "modified_us": pl.Int64},
    )
    # A file that cannot be stat'ed (null) matches nothing: it is read, and its error recorded.
    changed = current.join(last_seen, on=["source_path", "size_bytes", "modified_us"], how="anti")
    return [Path(files[i]) for i in changed.sort("position")["position"]]


def _stat(name: str) -> os.stat_result | None:
    try:
        return os.stat(name)  # noqa: PTH116 (strings: a Path per file is slow)
    except OSError:
        return None


def missing_paths(
    files: list[str], not_files: list[tuple[str, str]], input_dir: Path, last_seen: pl.DataFrame
) -> list[str]:
    """Paths whose last sighting found something there and that are gone now (deleted or moved)."""
    if last_seen.is_empty():
        return []
    prefix = len(str(input_dir).rstrip(os.sep)) + 1
    present = {name[prefix:] for name in files} | {relative for relative, _ in not_files}
    held = last_seen.filter(pl.col("outcome") != "missing")["source_path"]
    return sorted(set(held) - present)


#: Byte order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: A detected encoding is trusted only below this share of "chaos" (charset-normalizer's
#: measure of implausible character sequences, 0-1) ...
MAX_CHAOS = 0.1
#: ... and, when no language fits the text, only if few of its characters are not ASCII:
#: a legacy-encoded English article is mostly ASCII; random bytes are not.
MAX_NON_ASCII_WITHOUT_LANGUAGE = 0.1
UNDECODABLE = "not UTF-8, and no other encoding detected with confidence"
#: Invisible characters removed before anything matches the text: zero-width space,
#: non-joiner and joiner, word joiner, BOM inside the text, soft hyphen, and the bidi
#: controls (marks, embeddings, overrides, isolates).
INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)


def decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Bytes -> (text, encoding, reason it is not text).

    A byte order mark decides; else UTF-8 when the bytes are valid UTF-8; else the
    encoding charset-normalizer finds, if it finds one with confidence. Western
    single-byte text is labelled ``cp1252`` whenever that decoding is as good as
    the one found (cp1250 and others give the same characters for most English text).
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _strict(data, codec)
    if b"\x00" in data:
        return None, None, "binary content (NUL bytes)"
    text, encoding, _ = _strict(data, "utf-8")
    if text is not None:
        return text, encoding, None
    return _detect(data)


def _strict(data: bytes, codec: str) -> tuple[str | None, str | None, str | None]:
    try:
        return data.decode(codec), codec, None
    except UnicodeDecodeError as error:
        return None, None, f"cannot decode as {codec}: {error.reason}"


def _detect(data: bytes) -> tuple[str | None, str | None, str | None]:
    from charset_normalizer import from_bytes  # only for the rare file that is not UTF-8

    best = from_bytes(data).best()
    if best is None:
        return None, None, UNDECODABLE
    text = str(best)
    non_ascii = sum(1 for ch in text if ord(ch) > 127) / max(len(text), 1)
    if (
        best.chaos > MAX_CHAOS
        or (best.coherence == 0 and non_ascii > MAX_NON_ASCII_WITHOUT_LANGUAGE)
        or _control_share(text) > 0.01
    ):
        return None, None, f"{UNDECODABLE} (best guess {best.encoding})"
    if "cp1252" in best.could_be_from_charset:
        return data.decode("cp1252"), "cp1252", None
    return text, best.encoding, None


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls / max(len(text), 1)


def normalise(text: str) -> str:
    """The text as stored and hashed: line ends as LF (CRLF and CR copies are one document)
    and no invisible characters (a zero-width space inside a place name hides it)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(INVISIBLE)


def content_hash(text: str) -> str:
    """sha256 of the normalised text in UTF-8: the same article in any encoding or line ends is one document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_files(files: list[Path] | list[str], input_dir: Path, max_bytes: int) -> tuple[list[dict], list[dict]]:
    """Read and decode each file: (decoded rows, rejected rows)."""
    decoded, rejected = [], []
    for path in map(Path, files):
        row = {"source_path": str(path.relative_to(input_dir)), "source_file": path.name}
        try:
            info = path.stat()
            row["size_bytes"] = info.st_size
            row["modified_at"] = EPOCH + timedelta(microseconds=info.st_mtime_ns // 1000)  # as changed_files
            if info.st_size > max_bytes:
                rejected.append(row | {"reason": f"file over the size limit ({info.st_size} > {max_bytes} bytes)"})
                continue
            data = path.read_bytes()
        except OSError as error:
            rejected.append(row | {"reason": f"cannot read file: {error.strerror or error}"})
            continue
        text, encoding, reason = decode(data)
        if text is None:  # what cannot be decoded is known by the hash of its bytes
            rejected.append(row | {"content_sha256": hashlib.sha256(data).hexdigest(), "reason": reason})
        else:
            text = normalise(text)
            decoded.append(row | {"content_sha256": content_hash(text), "text": text, "encoding": encoding})
    return decoded, rejected


def header_date_expr(value: pl.Expr) -> pl.Expr:
    """The calendar date of a header value (``HEADER_PATTERN``'s group), as written:
    a time and zone are dropped, not converted (the date the source printed)."""
    cleaned = (
        value.str.replace(r"(?i)^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+", "")
        .str.replace_all(r"[,.]?\s+|\.\s*", " ")
        .str.replace(r"(?i)^(\d+ [a-z]{3})[a-z]*", "$1")
        .str.replace(r"(?i)^([a-z]{3})[a-z]*", "$1")
    )
    return pl.coalesce(
        value.str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})", 1).str.to_date("%Y-%m-%d", strict=False),
        value.str.to_date("%Y/%m/%d", strict=False),
        value.str.to_date("%d.%m.%Y", strict=False),
        cleaned.str.to_date("%d %b %Y", strict=False),
        cleaned.str.to_date("%b %d %Y", strict=False),
    )


def _date_problem(when: pl.Expr, written: pl.Expr, what: str, today: date) -> pl.Expr:
    """Why a date cannot be a publication date (null when it can)."""
    return (
        pl.when(when.is_null())
        .then(pl.format(f"impossible {what} {{}}", written))
        .when(when < pl.lit(EARLIEST_DATE))
        .then(pl.format(f"{what} {{}} is before {EARLIEST_DATE.year}", written))
        .when(when > pl.lit(today))
        .then(pl.format(f"{what} {{}} is in the future", written))
    )


def parse_headers(decoded: pl.DataFrame, today: date) -> pl.DataFrame:
    """Vectorised: header date (else file-name date), body, title, and text checks.

    A date before ``EARLIEST_DATE`` or after ``today`` is flagged in ``date_issue`` and
    is never the published date (the extractor resolves "yesterday" against it)."""
    header_raw = pl.col("text").str.extract(HEADER_PATTERN, 1)
    file_raw = pl.col("source_file").str.extract(FILENAME_DATE_PATTERN, 1)
    return (
        decoded.with_columns(
            header_raw=header_raw,
            header_date=header_date_expr(header_raw),
            file_raw=file_raw,
            file_date=file_raw.str.to_date("%Y%m%d", strict=False),
            body=pl.col("text").str.replace(HEADER_STRIP_PATTERN, "").str.strip_chars(),
        )
        .with_columns(
            header_problem=_date_problem(pl.col("header_date"), pl.col("header_raw"), "header date", today),
            file_problem=_date_problem(pl.col("file_date"), pl.col("file_raw"), "file name date", today),
        )
        .with_columns(
            header_ok=pl.col("header_raw").is_not_null() & pl.col("header_problem").is_null(),
            file_ok=pl.col("file_raw").is_not_null() & pl.col("file_problem").is_null(),
        )
        .with_columns(
            published_date=pl.when("header_ok").then("header_date").when("file_ok").then("file_date"),
            date_source=pl.when("header_ok")
            .then(pl.lit("header"))
            .when("file_ok")
            .then(pl.lit("file_name"))
            .otherwise(pl.lit("none")),
            date_issue=pl.when(pl.col("header_raw").is_null())
            .then(
                pl.when(pl.col("file_raw").is_not_null() & ~pl.col("file_ok"))
                .then(pl.format("no date header; {}", "file_problem"))
                .otherwise(pl.lit("no date header"))
            )
            .otherwise("header_problem"),
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
        # Year 0 and other dates Python cannot hold must not leave this frame.
        .with_columns(
            header_date=pl.when("header_ok").then("header_date"), file_date=pl.when("file_ok").then("file_date")
        )
    )


def ingest(
    input_dir: Path, max_bytes: int, now: datetime | None = None, extensions: tuple[str, ...] = (".txt",)
) -> IngestResult:
    """One pass over ``input_dir``: every entry ends in documents or rejected."""
    files, not_files = discover(input_dir, extensions)
    return ingest_files(input_dir, files, not_files, max_bytes, now)


def ingest_files(
    input_dir: Path,
    files: list[Path] | list[str],
    not_files: list[tuple[str, str]],
    max_bytes: int,
    now: datetime | None = None,
    missing: list[str] | tuple[str, ...] = (),
) -> IngestResult:
    """Read ``files`` (found by ``discover`` under ``input_dir``) into raw frames.

    The flow calls this on slices of a large folder, so that memory holds one
    slice at a time; ``not_files`` are the entries ``discover`` turned away and
    ``missing`` the paths (relative to ``input_dir``) seen before and gone now.
    """
    now = now or datetime.now(UTC)
    stamp = pl.lit(now, pl.Datetime("us", "UTC"))
    root = input_root(input_dir)
    decoded_rows, rejected_rows = read_files(files, input_dir, max_bytes)
    for relative, reason in not_files:
        rejected_rows.append({"source_path": relative, "source_file": Path(relative).name, "reason": reason})
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
        "source_path", "source_file", "size_bytes", "modified_at", "content_sha256", reason="reject_reason"
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
    ).with_columns(rejected_at=stamp)
    gone = pl.DataFrame({"source_path": list(missing)}, schema={"source_path": pl.String}).with_columns(
        source_file=pl.col("source_path").str.extract(r"([^/]*)$", 1), missing_at=stamp
    )
    with_root = {"input_root": pl.lit(root)}
    return IngestResult(
        documents=documents.cast(DOCUMENT_SCHEMA),
        source_files=articles.with_columns(**with_root).select(SOURCE_FILE_SCHEMA.keys()).cast(SOURCE_FILE_SCHEMA),
        rejected=rejected.with_columns(**with_root).select(REJECTED_SCHEMA.keys()).cast(REJECTED_SCHEMA),
        missing=gone.with_columns(**with_root).select(MISSING_SCHEMA.keys()).cast(MISSING_SCHEMA),
    )


def input_root(input_dir: Path) -> str:
    """The input folder as recorded with every sighting: absolute, symbolic links resolved."""
    return str(Path(input_dir).resolve())
