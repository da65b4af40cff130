import codecs
import datetime as dt

import pytest

from flows.ingest import decode, ingest

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
    assert "invalid UTF-8" in reason


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
