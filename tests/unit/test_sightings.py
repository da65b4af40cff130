"""A file's story: every sighting of an input path is recorded, and a path's last sighting
is what it holds now (revert, touch, delete, emptying, two input folders)."""

import datetime as dt
import os

import duckdb
import pytest

from flows import load
from flows.ingest import changed_files, discover, ingest_files, input_root, missing_paths
from flows.warehouse import Warehouse

A = "date 2025-07-26\nRussian drones hit Sumy."
B = "date 2025-07-26\nRussian drones hit Kharkiv."


@pytest.fixture
def warehouse(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as house:
        yield house.con


def run(con, folder, day: int, skip_unchanged: bool = True) -> load.RawCounts:
    """What the flow's ingest does: discover, compare with the last sightings, read, append."""
    files, not_files = discover(folder)
    last_seen = load.last_sightings(con, input_root(folder))
    missing = missing_paths(files, not_files, folder, last_seen)
    to_read = changed_files(files, folder, last_seen) if skip_unchanged else files
    now = dt.datetime(2026, 1, day, tzinfo=dt.UTC)
    return load.write_raw(con, ingest_files(folder, to_read, not_files, 10_000, now, missing=missing))


def holds(con, folder) -> dict[str, str | None]:
    """What each path of ``folder`` holds now: an article's first words, a rejection's reason, or None."""
    rows = load.last_sightings(con, input_root(folder))
    bodies = dict(con.execute("select content_sha256, body from raw.documents").fetchall())
    out = {}
    for row in rows.iter_rows(named=True):
        if row["outcome"] == "article":
            out[row["source_path"]] = bodies[row["content_sha256"]]
        else:
            out[row["source_path"]] = row["reason"]
    return out


def test_revert_a_b_a_ends_with_a(warehouse, write_files):
    folder = write_files({"r.txt": A})
    run(warehouse, folder, 1)
    (folder / "r.txt").write_text(B)
    run(warehouse, folder, 2)
    (folder / "r.txt").write_text(A)
    counts = run(warehouse, folder, 3)
    assert counts.new_source_files == 1 and counts.new_documents == 0  # A is known; its return is recorded
    assert holds(warehouse, folder) == {"r.txt": "Russian drones hit Sumy."}
    assert load.scalar(warehouse, "select count(*) from raw.source_files") == 3


def test_revert_that_restores_the_old_modification_time_is_seen(warehouse, write_files):
    folder = write_files({"r.txt": A})
    path = folder / "r.txt"
    os.utime(path, (1_700_000_000, 1_700_000_000))
    run(warehouse, folder, 1)
    path.write_text(B)
    run(warehouse, folder, 2)
    path.write_text(A)
    os.utime(path, (1_700_000_000, 1_700_000_000))  # rsync -t / cp -p of the old copy
    run(warehouse, folder, 3)
    assert holds(warehouse, folder) == {"r.txt": "Russian drones hit Sumy."}


def test_touched_file_is_read_once_not_on_every_run(warehouse, write_files):
    folder = write_files({"t.txt": A})
    run(warehouse, folder, 1)
    os.utime(folder / "t.txt", (1_800_000_000, 1_800_000_000))
    assert [p.name for p in changed_files(discover(folder)[0], folder, load.last_sightings(warehouse))] == ["t.txt"]
    assert run(warehouse, folder, 2).new_source_files == 1  # the new modification time is recorded
    assert changed_files(discover(folder)[0], folder, load.last_sightings(warehouse)) == []
    assert run(warehouse, folder, 3).new_source_files == 0


def test_deleted_and_emptied_paths_hold_nothing_and_history_stays(warehouse, write_files):
    folder = write_files({"d.txt": A, "e.txt": B})
    run(warehouse, folder, 1)
    (folder / "d.txt").unlink()
    (folder / "e.txt").write_text("")
    counts = run(warehouse, folder, 2)
    assert counts.missing == 1
    assert holds(warehouse, folder) == {"d.txt": None, "e.txt": "empty file"}
    assert load.scalar(warehouse, "select count(*) from raw.documents") == 2  # kept in raw
    # Nothing changed since: no new sightings, the path is not "gone" twice.
    counts = run(warehouse, folder, 3)
    assert (counts.missing, counts.new_rejected, counts.new_source_files) == (0, 0, 0)
    # A file that comes back is read again.
    (folder / "d.txt").write_text(A)
    assert run(warehouse, folder, 4).new_source_files == 1
    assert holds(warehouse, folder)["d.txt"] == "Russian drones hit Sumy."


def test_same_name_under_two_input_folders_is_two_files(warehouse, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for folder, text in ((first, A), (second, B)):
        folder.mkdir()
        (folder / "r.txt").write_text(text)
        run(warehouse, folder, 1)
    assert holds(warehouse, first) == {"r.txt": "Russian drones hit Sumy."}
    assert holds(warehouse, second) == {"r.txt": "Russian drones hit Kharkiv."}
    # A run on one folder does not take the other's files for deleted.
    assert run(warehouse, first, 2).missing == 0


def test_rejected_files_are_read_again_and_a_new_size_limit_admits_them(warehouse, write_files):
    folder = write_files({"big.txt": B, "ok.txt": A})  # 43 and 40 bytes
    files, not_files = discover(folder)
    assert load.write_raw(warehouse, ingest_files(folder, files, not_files, 41)).new_rejected == 1
    to_read = changed_files(discover(folder)[0], folder, load.last_sightings(warehouse))
    assert [p.name for p in to_read] == ["big.txt"]
    counts = load.write_raw(warehouse, ingest_files(folder, to_read, [], 10_000))
    assert (counts.new_source_files, counts.new_rejected) == (1, 0)


def test_rereading_everything_records_nothing_new(warehouse, write_files):
    folder = write_files({"a.txt": A, "empty.txt": "", "x.md": "notes"})
    run(warehouse, folder, 1)
    counts = run(warehouse, folder, 2, skip_unchanged=False)
    assert (counts.new_documents, counts.new_source_files, counts.new_rejected, counts.missing) == (0, 0, 0, 0)


def test_older_warehouses_gain_the_new_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.source_files (source_path varchar, source_file varchar, content_sha256 varchar, "
            "article_id varchar, size_bytes bigint, modified_at timestamptz, ingested_at timestamptz)"
        )
        con.execute(
            "create table raw.rejected_files (source_path varchar, source_file varchar, size_bytes bigint, "
            "content_sha256 varchar, reason varchar, rejected_at timestamptz)"
        )
        con.execute("insert into raw.rejected_files values ('x.txt', 'x.txt', 0, null, 'empty file', now())")
    with Warehouse(path) as house:
        assert load.last_sightings(house.con).select("source_path", "outcome", "input_root").rows() == [
            ("x.txt", "rejected", None)
        ]
