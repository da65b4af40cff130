"""The gazetteer cache: damaged or half-written caches are rebuilt; the warehouse records
the content fingerprint and a new gazetteer sends every document back to the parser.

The build itself is replaced by a small one here (the real one takes half a minute;
tests/e2e/test_reference_data.py builds it for real, twice)."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from flows import gazetteer, load
from flows.warehouse import Warehouse

REGIONS = gazetteer.REGIONS_CSV


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Replace the build by a tiny deterministic one; count the builds."""
    calls: list[int] = []

    def tiny_build(regions_csv: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
        calls.append(1)
        places = pl.DataFrame(
            {"location_id": ["UA1", "UA2"], "name": ["Sumy", "Kyiv"], "latitude": [50.9, 50.45]},
            schema={"location_id": pl.String, "name": pl.String, "latitude": pl.Float64},
        )
        aliases = pl.DataFrame({"alias_key": ["sumy", "kyiv"], "location_id": ["UA1", "UA2"]})
        return places, aliases

    monkeypatch.setattr(gazetteer, "build", tiny_build)
    return calls


def cache(tmp_path: Path) -> dict[str, Path]:
    return gazetteer.cache_paths(tmp_path, gazetteer.source_fingerprint(REGIONS))


def test_second_load_reads_the_cache(tmp_path, builds):
    first = gazetteer.load_reference(tmp_path, REGIONS)
    second = gazetteer.load_reference(tmp_path, REGIONS)
    assert len(builds) == 1
    assert first.built_because == gazetteer.NO_CACHE and second.built_because is None
    assert second.fingerprint == first.fingerprint == gazetteer.content_fingerprint(first.places, first.aliases)
    assert second.places.equals(first.places)
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("truncate places", "is damaged"),
        ("garbage aliases", "is damaged"),
        ("garbage manifest", "is damaged"),
        ("other content", "does not match its manifest"),
        ("no manifest", "did not finish"),
    ],
)
def test_damaged_cache_is_rebuilt(tmp_path, builds, damage, reason):
    clean = gazetteer.load_reference(tmp_path, REGIONS)
    paths = cache(tmp_path)
    bytes_before = {name: path.read_bytes() for name, path in paths.items()}
    if damage == "truncate places":
        paths["places"].write_bytes(bytes_before["places"][:100])
    elif damage == "garbage aliases":
        paths["aliases"].write_bytes(os.urandom(2000))
    elif damage == "garbage manifest":
        paths["manifest"].write_text("{not json")
    elif damage == "other content":  # readable, but not what was built
        clean.places.with_columns(latitude=pl.lit(0.0)).write_parquet(paths["places"])
    elif damage == "no manifest":  # a build killed between its files and its manifest
        paths["manifest"].unlink()

    rebuilt = gazetteer.load_reference(tmp_path, REGIONS)
    assert reason in rebuilt.built_because
    assert str(tmp_path) in rebuilt.built_because or damage == "no manifest"
    assert rebuilt.fingerprint == clean.fingerprint
    assert {name: path.read_bytes() for name, path in paths.items()} == bytes_before  # byte-identical again
    assert gazetteer.load_reference(tmp_path, REGIONS).built_because is None  # and whole from now on


def test_files_of_killed_builds_are_cleaned_up(tmp_path, builds):
    tmp_path.mkdir(exist_ok=True)
    orphan = tmp_path / f".{cache(tmp_path)['places'].name}.999999999.tmp"  # no such process
    ours = tmp_path / f".{cache(tmp_path)['places'].name}.{os.getppid()}.tmp"  # a live process: not touched
    orphan.write_bytes(b"half")
    ours.write_bytes(b"half")
    gazetteer.load_reference(tmp_path, REGIONS)
    assert not orphan.exists()
    assert ours.exists()


def test_unwritable_cache_is_one_clear_error(tmp_path, builds):
    blocker = tmp_path / "reference"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(OSError, match=f"cannot write the gazetteer cache in {blocker}"):
        gazetteer.load_reference(blocker, REGIONS)


def test_warehouse_records_the_content_and_a_new_gazetteer_reparses_everything(tmp_path, builds):
    reference = gazetteer.load_reference(tmp_path / "reference", REGIONS)
    with Warehouse(tmp_path / "w.duckdb") as house:
        con = house.con
        assert load.write_reference(con, reference.places, reference.aliases, reference.fingerprint)
        stored = house.scalar("select fingerprint from meta.gazetteer_builds")
        assert stored == reference.fingerprint
        con.execute("insert into raw.documents (article_id, body) values ('a1', 'x')")
        con.execute("insert into meta.parsed_articles (article_id, parser_version) values ('a1', 'v1')")
        assert load.documents_to_parse(con, "v1", "article_id").is_empty()

        # The same content: nothing reloaded, nothing to parse again.
        assert not load.write_reference(con, reference.places, reference.aliases, reference.fingerprint)
        assert load.documents_to_parse(con, "v1", "article_id").is_empty()

        # Other content (a rebuilt cache that differs): reloaded, and every document is placed anew.
        places = reference.places.with_columns(latitude=pl.col("latitude") + 1)
        other = gazetteer.content_fingerprint(places, reference.aliases)
        assert load.write_reference(con, places, reference.aliases, other)
        assert load.documents_to_parse(con, "v1", "article_id")["article_id"].to_list() == ["a1"]
        assert house.scalar("select max(latitude) from reference.gazetteer_places") == pytest.approx(51.9)
