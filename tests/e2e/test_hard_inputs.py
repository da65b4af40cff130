"""Issue 11, the input side, end to end: a file's story in the marts, a run with no
article, and an adversarial folder in which every entry is accounted for once."""

from __future__ import annotations

import codecs
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from flows.pipeline import frontline_pipeline
from tests.conftest import SHARED, needs_shared

REPORT_TABLES = ("fct_strike_reports", "fct_casualty_reports", "fct_territorial_claims")


def _article(place: str) -> str:
    return f"date 2025-07-26\n\nRussian drones attacked {place} overnight. Three people were injured in {place}."


def _places(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {r[0] for r in con.execute("select settlement from fct_strike_reports").fetchall()}


@pytest.mark.e2e
def test_a_files_story_reaches_the_marts(tmp_path, monkeypatch):
    """Revert, touch, delete, emptying and two input folders, run by run."""
    folder, other = tmp_path / "in", tmp_path / "other"
    folder.mkdir()
    other.mkdir()
    files = {"r.txt": "Sumy", "t.txt": "Odesa", "d.txt": "Dnipro", "e.txt": "Poltava"}
    for name, place in files.items():
        (folder / name).write_text(_article(place))
    warehouse = tmp_path / "w.duckdb"
    frontline_pipeline(input_dir=folder, warehouse=warehouse)
    assert _places(warehouse) == {"Sumy", "Odesa", "Dnipro", "Poltava"}

    # B replaces A; t.txt is touched; d.txt deleted; e.txt emptied.
    (folder / "r.txt").write_text(_article("Kharkiv"))
    os.utime(folder / "t.txt", (1_800_000_000, 1_800_000_000))
    (folder / "d.txt").unlink()
    (folder / "e.txt").write_text("")
    summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)
    assert summary["files_missing"] == 1
    assert _places(warehouse) == {"Kharkiv", "Odesa"}  # the deleted and the emptied path's facts retire

    # A comes back: its facts are current again, B's retire ("0 new documents" on main kept B's).
    (folder / "r.txt").write_text(_article("Sumy"))
    summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)
    assert summary["new_documents"] == 0
    assert _places(warehouse) == {"Sumy", "Odesa"}

    # The same name under another input folder is another file: both are current.
    (other / "r.txt").write_text(_article("Lviv"))
    frontline_pipeline(input_dir=other, warehouse=warehouse)
    assert _places(warehouse) == {"Sumy", "Odesa", "Lviv"}

    # Nothing changed: r.txt and the touched t.txt are not read again (e.txt, rejected as
    # empty, is: rejected files always are), and no row is added.
    summary = frontline_pipeline(input_dir=folder, warehouse=warehouse)
    assert (summary["files_unchanged"], summary["new_documents"], summary["files_missing"]) == (2, 0, 0)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sightings = dict(
            con.execute("select source_path, count(*) from raw.source_files group by 1 order by 1").fetchall()
        )
        kept = con.execute("select count(*) from raw.documents").fetchone()[0]
    assert sightings == {"d.txt": 1, "e.txt": 1, "r.txt": 4, "t.txt": 2}  # r.txt: A, B, A, and Lviv's r.txt
    assert kept == 6  # the retired articles stay in raw

    # A setting keeps the facts of deleted and emptied paths (and the marts are rebuilt for it).
    monkeypatch.setenv("FRONTLINE_KEEP_FACTS_OF_REMOVED_FILES", "true")
    frontline_pipeline(input_dir=folder, warehouse=warehouse)
    assert _places(warehouse) == {"Sumy", "Odesa", "Lviv", "Dnipro", "Poltava"}


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["empty folder", "only rejected files"])
def test_a_run_with_no_article_succeeds_and_builds_empty_marts(tmp_path, kind):
    folder = tmp_path / "in"
    folder.mkdir()
    if kind == "only rejected files":
        (folder / "empty.txt").write_text("")
        (folder / "notes.md").write_text("not an article")
    warehouse = tmp_path / "w.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(folder), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in (*REPORT_TABLES, "fct_strikes", "fct_casualties", "dim_articles"):
            assert con.execute(f"select count(*) from main.{table}").fetchone()[0] == 0


def _deep(folder: Path, depth: int) -> list[Path]:
    levels = [folder / "deep"]
    for _ in range(depth - 1):
        levels.append(levels[-1] / "d")
    for level in levels:  # os.makedirs recurses once per level and hits Python's limit
        level.mkdir()
    return levels


def _remove_deep(levels: list[Path]) -> None:
    """pytest's clean-up (shutil.rmtree) recurses too: remove the levels from the bottom."""
    for level in reversed(levels):
        for child in level.iterdir():
            if not child.is_dir():
                child.unlink()
        level.rmdir()


def _adversarial_folder(folder: Path, outside: Path, good: list[bytes]) -> tuple[set[str], list[Path]]:
    """40 entries: the good articles, copies of them in other encodings and forms (one document
    each after decoding), and entries that must be rejected. Returns every entry's relative path."""
    folder.mkdir()
    entries: dict[str, bytes] = {f"good_{i}.txt": text for i, text in enumerate(good)}
    text = [t.decode("utf-8") for t in good]
    entries |= {
        "crlf.txt": text[0].replace("\n", "\r\n").encode(),
        "cr.txt": text[1].replace("\n", "\r").encode(),
        "utf16.txt": text[2].encode("utf-16"),
        "utf32.txt": text[3].encode("utf-32"),
        "bom.txt": codecs.BOM_UTF8 + good[4],
        "zero-width.txt": text[5].replace(" ", " \u200b", 20).replace("e", "e\u200d", 5).encode(),
        "UPPER.TXT": good[6],
        "sub/nested.txt": good[7],
        "cyrillic.txt": "date 2025-07-26\nДрони атакували місто вночі, повідомили місцеві посадовці.".encode("cp1251"),
        "bad-date.txt": b"date 0000-01-01\nRussian drones struck Sumy yesterday, the governor said.",
        "iso-date.txt": b"date 2025-07-26T10:00Z\nNo event is reported in this text.",
        "future-date.txt": b"date 2099-01-01\nNo event is reported in this text either.",
        ".hidden": b"editor state",
        "notes.md": good[0],
        "archive.txt.gz": b"\x1f\x8b\x08\x00" + bytes(30),
        "README": b"no extension",
        "empty.txt": b"",
        "blank.txt": b" \r\n\t\r\n",
        "binary.txt": b"\x00\x01\x02\x03" * 10,
        "page.txt": b"<!doctype html><html><body>Sumy</body></html>",
        "noise.txt": bytes(random.Random(3).randrange(128, 256) for _ in range(3000)),
    }
    for name, data in entries.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "locked.txt").write_bytes(good[1])
    (folder / "locked.txt").chmod(0)  # read anyway when the tests run as root, rejected otherwise
    (folder / "folder.txt").mkdir()
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "ping.txt").symlink_to(folder / "pong.txt")
    (folder / "pong.txt").symlink_to(folder / "ping.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "outside.txt").symlink_to(outside)
    (folder / "dirlink.txt").symlink_to(folder / "sub")
    os.mkfifo(folder / "fifo.txt")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as handle:  # noqa: PTH123 (a name that is not UTF-8)
        handle.write(good[2])
    levels = _deep(folder, 1000)
    (levels[-1] / "deep.txt").write_bytes(good[3])
    deep = "/".join(["deep", *["d"] * 999, "deep.txt"])
    others = ["locked.txt", "folder.txt", "loop.txt", "ping.txt", "pong.txt", "dangling.txt", "outside.txt"]
    others += ["dirlink.txt", "fifo.txt", "caf\\xe9.txt", deep]
    return set(entries) | set(others), levels


def _reports_of(warehouse: Path, article_ids: set[str]) -> dict[str, list]:
    """The report rows of these articles, table by table, and which of them are current."""
    ids = sorted(article_ids)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reports = {
            table: con.execute(
                f"select * from main.{table} where list_contains(?, article_id) order by all", [ids]
            ).fetchall()
            for table in REPORT_TABLES
        }
        current = con.execute(
            "select article_id from main.dim_articles where is_current and list_contains(?, article_id) order by 1",
            [ids],
        ).fetchall()
    return reports | {"articles": [r[0] for r in current]}


@needs_shared
@pytest.mark.e2e
def test_adversarial_folder_every_entry_once_and_the_good_facts_unchanged(tmp_path, gold_warehouse):
    good_paths = sorted((SHARED / "gold" / "articles").glob("*.txt"))[:8]
    good = [path.read_bytes() for path in good_paths]
    assert len(good) == 8
    outside = tmp_path / "outside.txt"
    outside.write_bytes(good[0])
    mixed = tmp_path / "mixed"
    expected, levels = _adversarial_folder(mixed, outside, good)
    try:
        assert len(expected) == 40
        warehouse = tmp_path / "mixed.duckdb"
        run = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", "--input", str(mixed), "--warehouse", str(warehouse)],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
    finally:
        (mixed / "locked.txt").chmod(0o644)
        _remove_deep(levels)
    assert run.returncode == 0, run.stderr[-3000:]

    with duckdb.connect(str(warehouse), read_only=True) as con:
        seen = [r[0] for r in con.execute("select source_path from raw.source_files").fetchall()]
        seen += [r[0] for r in con.execute("select source_path from raw.rejected_files").fetchall()]
        strike_years = {r[0] for r in con.execute("select year(strike_date) from fct_strike_reports").fetchall()}
        bad_date = con.execute(
            "select published_date, date_issue from raw.documents where source_path = 'bad-date.txt'"
        ).fetchone()
    assert Counter(seen) == Counter(expected)  # every entry exactly once
    assert bad_date == (None, "header date 0000-01-01 is before 2014")
    assert all(year is None or year >= 2014 for year in strike_years)

    # The same articles alone, in a clean folder: the session's run on the gold articles.
    clean_warehouse = gold_warehouse
    with duckdb.connect(str(clean_warehouse), read_only=True) as con:
        good_ids = {
            r[0]
            for r in con.execute(
                "select article_id from raw.documents where list_contains(?, source_path)",
                [[path.name for path in good_paths]],
            ).fetchall()
        }
    assert len(good_ids) == len(good)
    mixed_reports = _reports_of(warehouse, good_ids)
    clean_reports = _reports_of(clean_warehouse, good_ids)
    assert mixed_reports["articles"] == clean_reports["articles"] == sorted(good_ids)
    for table in REPORT_TABLES:
        assert mixed_reports[table] == clean_reports[table], table


@pytest.mark.e2e
def test_a_full_disk_is_one_line_that_names_it(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(disk)]
    if subprocess.run(mount, capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(_article("Sumy"))
    try:
        run = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", "--input", str(folder), "--warehouse", str(disk / "w.duckdb")],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        subprocess.run(["umount", str(disk)], check=False)
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("frontline run: error:")]
    assert len(errors) == 1, run.stderr[-3000:]
    assert "no space left on device (writing " + str(disk) in errors[0]
    assert "Traceback" not in run.stdout + run.stderr  # on main: four of them, and "cannot rollback"
