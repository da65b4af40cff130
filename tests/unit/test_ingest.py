import codecs
import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from flows.ingest import changed_files, decode, discover, ingest, ingest_files

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("data", "text", "encoding", "reason"),
    [
        (b"date 2025-07-26\nHello", "date 2025-07-26\nHello", "utf-8", None),
        (codecs.BOM_UTF8 + b"date 2025-07-26 Hi", "date 2025-07-26 Hi", "utf-8-sig", None),
        ("date 2025-07-26 Kyiv".encode("utf-16"), "date 2025-07-26 Kyiv", "utf-16", None),
        ("date 2025-07-26 café – test".encode("cp1252"), "date 2025-07-26 café – test", "cp1252", None),
        (b"\x00\x01\x02binary", None, None, "binary content (NUL bytes)"),
    ],
)
def test_decode(data, text, encoding, reason):
    assert decode(data) == (text, encoding, reason)


def test_invalid_utf8_noise_is_rejected():
    text, _, reason = decode(bytes(range(1, 32)) * 20 + b"\xff\xfe\xfa")
    assert text is None
    assert reason.startswith("not UTF-8, and no other encoding detected with confidence")


def test_header_forms_and_fallbacks(write_files):
    folder = write_files(
        {
            "alone.txt": "date 2025-07-26\n\nFirst paragraph. Second sentence.",
            "inline.txt": " date 2025-07-25 Civilian deaths mounted. More.",
            "20220531T210000Z_PL_en_x.txt": "No header here. At all.",
            "impossible.txt": "date 2025-13-45\nText follows.",
            "future.txt": "date 2099-01-01\nText follows.",
            "none.txt": "Just text.",
        }
    )
    docs = ingest(folder, 1_000_000, NOW).documents.sort("source_file")
    rows = {r["source_file"]: r for r in docs.iter_rows(named=True)}
    assert rows["alone.txt"]["published_date"] == dt.date(2025, 7, 26)
    assert rows["alone.txt"]["body"] == "First paragraph. Second sentence."
    assert rows["alone.txt"]["title"] == "First paragraph."
    assert rows["inline.txt"]["published_date"] == dt.date(2025, 7, 25)
    assert rows["inline.txt"]["body"].startswith("Civilian deaths mounted.")
    assert rows["20220531T210000Z_PL_en_x.txt"]["published_date"] == dt.date(2022, 5, 31)
    assert rows["20220531T210000Z_PL_en_x.txt"]["date_source"] == "file_name"
    assert rows["impossible.txt"]["published_date"] is None
    assert rows["impossible.txt"]["date_issue"] == "impossible header date 2025-13-45"
    assert rows["future.txt"]["date_issue"] == "header date 2099-01-01 is in the future"
    assert rows["none.txt"]["date_source"] == "none"
    assert rows["none.txt"]["date_issue"] == "no date header"


def test_every_file_ends_in_documents_or_rejected(write_files, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("date 2025-01-01 secret")
    folder = write_files(
        {
            "ok.txt": "date 2025-07-26 Fine text.",
            "copy of ok.txt": "date 2025-07-26 Fine text.",
            "empty.txt": b"",
            "blank.txt": "  \n\t ",
            "binary.txt": b"\x00\x00\x00",
            "page.txt": "<!DOCTYPE html><html><body>hi</body></html>",
            "big.txt": "date 2025-07-26 " + "x" * 200,
            "ünïcödé name.txt": "date 2025-07-26 Quotes ' \" ; DROP TABLE x; <b>",
        }
    )
    (folder / "dir.txt").mkdir()
    (folder / "link.txt").symlink_to(outside)
    result = ingest(folder, 100, NOW)
    reasons = dict(result.rejected.select("source_file", "reason").iter_rows())
    assert reasons == {
        "empty.txt": "empty file",
        "blank.txt": "whitespace only",
        "binary.txt": "binary content (NUL bytes)",
        "page.txt": "HTML, not plain text",
        "big.txt": "file over the size limit (216 > 100 bytes)",
        "dir.txt": "a folder, not a file",
        "link.txt": "symbolic link pointing outside the input folder",
    }
    # The same content under two names is stored once; both names are kept.
    assert result.documents.height == 2
    assert sorted(result.source_files["source_file"]) == ["copy of ok.txt", "ok.txt", "ünïcödé name.txt"]
    assert result.documents.filter(source_file="ünïcödé name.txt")["body"].item() == "Quotes ' \" ; DROP TABLE x; <b>"


def test_unreadable_file_is_rejected_with_the_reason(write_files, monkeypatch):
    # Tests may run as root, which reads any file: simulate the permission error.
    folder = write_files({"secret.txt": "date 2025-07-26 x", "ok.txt": "date 2025-07-26 Fine."})
    real_read = type(folder).read_bytes

    def read_bytes(self):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(type(folder), "read_bytes", read_bytes)
    result = ingest(folder, 1_000, NOW)
    assert dict(result.rejected.select("source_file", "reason").iter_rows()) == {
        "secret.txt": "cannot read file: Permission denied"
    }
    assert result.documents["source_file"].to_list() == ["ok.txt"]


def test_changed_files_skips_only_versions_already_ingested(write_files):
    folder = write_files({"a.txt": "date 2025-07-26 A.", "b.txt": "date 2025-07-26 B.", "c.txt": "date 2025-07-26 C."})
    files, _ = discover(folder)
    ingested = ingest(folder, 1000, NOW).source_files
    known = ingested.select(
        "source_path", "size_bytes", modified_us=pl.col("modified_at").dt.epoch("us"), outcome=pl.lit("article")
    )
    assert changed_files(files, folder, known) == []
    # Rewritten (new size and time), touched (same size, new time) and new files are read again.
    (folder / "a.txt").write_text("date 2025-07-26 A, longer now.")
    os.utime(folder / "b.txt", (0, 1_000_000_000))
    (folder / "d.txt").write_text("date 2025-07-26 D.")
    files, _ = discover(folder)
    assert [p.name for p in changed_files(files, folder, known)] == ["a.txt", "b.txt", "d.txt"]
    # Nothing known: everything is read.
    assert changed_files(files, folder, known.clear()) == [Path(name) for name in files]


def test_ingesting_in_slices_gives_the_same_documents(write_files):
    folder = write_files({f"{i:02d}.txt": f"date 2025-07-{i % 28 + 1:02d} Text {i % 7}." for i in range(20)})
    files, not_files = discover(folder)
    whole = ingest_files(folder, files, not_files, 1000, NOW)
    slices = [ingest_files(folder, files[i : i + 6], [], 1000, NOW) for i in range(0, len(files), 6)]
    sliced_sources = pl.concat([s.source_files for s in slices])
    assert_frame_equal(sliced_sources, whole.source_files)
    # The same content in two slices is two candidate documents; raw.documents keeps one (by content hash).
    distinct = pl.concat([s.documents for s in slices]).unique("content_sha256", keep="first", maintain_order=True)
    assert_frame_equal(distinct.sort("article_id"), whole.documents.sort("article_id"))
