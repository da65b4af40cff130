"""Issue 11, the input side: entries that must not stop a run, text decoded right or
rejected, and header dates that cannot be publication dates."""

import codecs
import datetime as dt
import os
import random

import pytest

from flows.ingest import decode, discover, ingest

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CYRILLIC = "date 2025-07-26\nРосійські дрони атакували Харків уночі. Троє людей поранені, повідомив голова області."


def _reasons(folder, **kwargs):
    return dict(ingest(folder, 1_000_000, NOW, **kwargs).rejected.select("source_path", "reason").iter_rows())


# --- discovery: every entry accounted for, none stops the others ---------------------------------


def test_symlink_loop_named_txt_is_rejected_and_the_rest_read(write_files):
    folder = write_files({"good.txt": "date 2025-07-26 Fine."})
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    result = ingest(folder, 1000, NOW)
    assert dict(result.rejected.select("source_path", "reason").iter_rows()) == {
        "loop.txt": "symbolic link loop",
        "a.txt": "symbolic link loop",
        "b.txt": "symbolic link loop",
        "dangling.txt": "broken symbolic link",
    }
    assert result.source_files["source_path"].to_list() == ["good.txt"]


def test_file_name_that_is_not_utf8_is_rejected_by_name(write_files):
    folder = write_files({"good.txt": "date 2025-07-26 Fine."})
    with open(os.fsencode(folder) + b"/caf\xe9 news.txt", "wb") as handle:  # noqa: PTH123 (a bytes path)
        handle.write(b"date 2025-07-26 Hidden.")
    reasons = _reasons(folder)
    assert reasons == {"caf\\xe9 news.txt": "file name is not valid UTF-8 (shown with \\x escapes)"}


def test_folders_nested_a_thousand_deep_do_not_stop_discovery(write_files):
    folder = write_files({"top.txt": "date 2025-07-26 Fine."})
    levels = [folder / "d"]
    for _ in range(999):
        levels.append(levels[-1] / "d")
    try:
        for level in levels:  # os.makedirs (and shutil.rmtree) recurse once per level: Python's limit
            level.mkdir()
        (levels[-1] / "bottom.txt").write_text("date 2025-07-26 Deep down.")
        files, rejects = discover(folder)
        assert [os.path.basename(f) for f in files] == ["bottom.txt", "top.txt"]  # noqa: PTH119
        assert rejects == []
    finally:  # pytest's clean-up of old temporary folders could not remove them
        (levels[-1] / "bottom.txt").unlink(missing_ok=True)
        for level in reversed(levels):
            if level.exists():
                level.rmdir()


def test_unlistable_folder_is_rejected_with_the_reason(write_files, monkeypatch):
    # Tests may run as root, which lists any folder: simulate the permission error.
    folder = write_files({"ok.txt": "date 2025-07-26 Fine.", "locked/inside.txt": "date 2025-07-26 Hidden."})
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, rejects = discover(folder)
    assert [os.path.basename(f) for f in files] == ["ok.txt"]  # noqa: PTH119
    assert rejects == [("locked", "cannot list folder: Permission denied")]


def test_fifo_is_rejected_without_being_opened(write_files):
    folder = write_files({"ok.txt": "date 2025-07-26 Fine."})
    os.mkfifo(folder / "pipe.txt")  # opening it would block the run for ever
    assert _reasons(folder) == {"pipe.txt": "not a regular file (a FIFO)"}


def test_other_extensions_are_recorded_or_read_when_allowed(write_files):
    article = "date 2025-07-26 Russian drones hit Sumy."
    folder = write_files(
        {"a.txt": article, "b.TXT": article + " B", "c.md": article + " C", "d.txt.gz": b"\x1f\x8b", "noext": article}
    )
    # Extensions match without regard to case: b.TXT is a .txt file and is read.
    assert _reasons(folder) == {"c.md": "not a .txt file", "d.txt.gz": "not a .txt file", "noext": "not a .txt file"}
    allowed = _reasons(folder, extensions=(".txt", ".md"))
    assert allowed == {"d.txt.gz": "not a .txt or .md file", "noext": "not a .txt or .md file"}


def test_every_kind_of_entry_is_recorded_exactly_once(write_files, tmp_path):
    (tmp_path / "outside.txt").write_text("date 2025-07-26 Not ours.")
    folder = write_files({"ok.txt": "date 2025-07-26 Fine.", "sub/more.txt": "date 2025-07-26 More.", "x.md": "no"})
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "out.txt").symlink_to(tmp_path / "outside.txt")
    (folder / "dirlink").symlink_to(folder / "sub")
    os.mkfifo(folder / "fifo")
    result = ingest(folder, 1000, NOW)
    paths = result.source_files["source_path"].to_list() + result.rejected["source_path"].to_list()
    assert sorted(paths) == sorted(["ok.txt", "sub/more.txt", "x.md", "loop.txt", "out.txt", "dirlink", "fifo"])
    assert dict(result.rejected.select("source_path", "reason").iter_rows())["dirlink"] == (
        "symbolic link to a folder (not followed)"
    )


# --- decoding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        (CYRILLIC, "cp1251", "cp1251"),  # was read as Windows-1252 mojibake
        ("date 2025-07-26\nKyiv was hit overnight, officials said.", "utf-32", "utf-32"),  # was "utf-16" with NULs
        ("date 2025-07-26\nKyiv was hit.", "utf-16", "utf-16"),
        ("date 2025-07-26\nCafé in Kharkiv – shelled, “officials” said.", "cp1252", "cp1252"),
    ],
)
def test_legacy_and_bom_encodings_decode_to_the_text(text, codec, label):
    assert decode(text.encode(codec)) == (text, label, None)


def test_utf32_big_endian_with_bom():
    data = codecs.BOM_UTF32_BE + "date 2025-07-26 Kyiv.".encode("utf-32-be")
    assert decode(data) == ("date 2025-07-26 Kyiv.", "utf-32", None)


def test_bytes_no_encoding_explains_are_rejected():
    rng = random.Random(11)
    noise = bytes(rng.randrange(128, 256) for _ in range(2000))
    text, encoding, reason = decode(noise)
    assert (text, encoding) == (None, None)
    assert reason.startswith("not UTF-8, and no other encoding detected with confidence")


def test_crlf_cr_and_lf_copies_are_one_document(write_files):
    lf = "date 2025-07-26\n\nRussian drones hit Sumy.\nThree people were injured."
    folder = write_files(
        {"lf.txt": lf, "crlf.txt": lf.replace("\n", "\r\n").encode(), "cr.txt": lf.replace("\n", "\r").encode()}
    )
    result = ingest(folder, 10_000, NOW)
    assert result.documents.height == 1
    assert result.documents["body"].item() == "Russian drones hit Sumy.\nThree people were injured."
    assert result.source_files["content_sha256"].n_unique() == 1


def test_invisible_characters_are_removed_from_the_stored_body(write_files):
    hidden = "date 2025-07-26\nRussian drones hit Kha\u200brkiv and \u202eSumy\u202c overnight.\u200f"
    folder = write_files({"a.txt": hidden, "b.txt": "date 2025-07-26\nRussian drones hit Kharkiv and Sumy overnight."})
    documents = ingest(folder, 10_000, NOW).documents
    assert documents["body"].to_list() == ["Russian drones hit Kharkiv and Sumy overnight."]  # one document


# --- header dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "published"),
    [
        ("date 2025-07-26T10:00Z", dt.date(2025, 7, 26)),
        ("date 2025-07-26T23:30:00+03:00", dt.date(2025, 7, 26)),  # the date as printed, not converted
        ("date 2025-07-26 10:00 UTC", dt.date(2025, 7, 26)),
        ("Date: 2025/07/26", dt.date(2025, 7, 26)),
        ("date 26.07.2025", dt.date(2025, 7, 26)),
        ("Date: 26 July 2025", dt.date(2025, 7, 26)),
        ("date: Saturday, 26 Jul 2025", dt.date(2025, 7, 26)),
        ("DATE July 26, 2025", dt.date(2025, 7, 26)),
        ("date Sept 3 2024", dt.date(2024, 9, 3)),
    ],
)
def test_common_header_forms_are_read_and_stripped(write_files, header, published):
    folder = write_files({"a.txt": f"{header}\n\nRussian drones hit Sumy. More."})
    row = ingest(folder, 10_000, NOW).documents.row(0, named=True)
    assert (row["published_date"], row["date_source"], row["date_issue"]) == (published, "header", None)
    assert row["body"] == "Russian drones hit Sumy. More."


@pytest.mark.parametrize(
    ("header", "issue"),
    [
        ("date 0000-01-01", "header date 0000-01-01 is before 2014"),
        ("date 1999-12-31", "header date 1999-12-31 is before 2014"),
        ("date 2026-01-02", "header date 2026-01-02 is in the future"),  # the day after NOW
        ("date 2025-02-30", "impossible header date 2025-02-30"),
    ],
)
def test_out_of_range_header_dates_are_flagged_and_never_published(write_files, header, issue):
    folder = write_files({"a.txt": f"{header}\nKharkiv was shelled yesterday.", "20250726_x.txt": f"{header}\nB."})
    rows = {r["source_file"]: r for r in ingest(folder, 10_000, NOW).documents.iter_rows(named=True)}
    assert rows["a.txt"]["date_issue"] == issue
    assert rows["a.txt"]["published_date"] is None
    assert rows["a.txt"]["date_source"] == "none"
    # A file-name date in range still dates the article; the header's problem stays recorded.
    assert rows["20250726_x.txt"]["published_date"] == dt.date(2025, 7, 26)
    assert rows["20250726_x.txt"]["date_source"] == "file_name"
    assert rows["20250726_x.txt"]["date_issue"] == issue


def test_file_name_date_out_of_range_is_flagged(write_files):
    folder = write_files({"19990101_x.txt": "Kharkiv was shelled."})
    row = ingest(folder, 10_000, NOW).documents.row(0, named=True)
    assert row["published_date"] is None
    assert row["date_issue"] == "no date header; file name date 19990101 is before 2014"
