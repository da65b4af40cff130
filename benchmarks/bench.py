"""Benchmark the pipeline on synthetic corpora built from the real articles.

    python -m benchmarks.bench --sizes 1000 10000 [--out benchmarks/out]

For each size N: N articles are made from ``../shared/corpus/gdelt_hellaskella33``
by re-dating them (a new ``date`` header) and re-placing them (each big-city name
swapped for another gazetteer city), so that content hashes differ and dedup does
not collapse them. Each stage then runs on a fresh warehouse, timed on its own:
ingest, parse, validate + load, dbt build, docs; then a no-op rerun. The floor is
reading every file plus one polars regex pass over all text: parse time is reported
as a multiple of it. Peak memory is the process's maximum resident set size.
Results go to ``OUT/bench.json`` and ``OUT/bench.md``. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import time
from pathlib import Path

import polars as pl

from flows import gazetteer, ingest, load, transform
from flows.config import REPO_ROOT, Settings
from flows.parse.extract import extract, parser_version

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "gdelt_hellaskella33" / "articles"
SWAPPED = ["Kharkiv", "Kyiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Mykolaiv", "Sumy", "Lviv", "Donetsk"]


def build_corpus(size: int, folder: Path, cities: list[str]) -> int:
    """Write ``size`` re-dated, re-placed articles into ``folder``; return total bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    total = 0
    for i in range(size):
        text = sources[i % len(sources)]
        for k, name in enumerate(SWAPPED):
            text = text.replace(name, cities[(i + k) % len(cities)])
        date = dt.date(2022, 3, 1) + dt.timedelta(days=i % 900)
        body = f"date {date:%Y-%m-%d}\n\n{text}\n\n(benchmark copy {i})\n"
        path = folder / f"bench_{i:06d}.txt"
        path.write_text(body, encoding="utf-8")
        total += len(body.encode())
    return total


def _timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def floor(folder: Path) -> float:
    """Read every file and run one regex pass over all text: the least any parser does."""
    started = time.perf_counter()
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    pl.DataFrame({"t": texts}).select(pl.col("t").str.count_matches(r"\p{Lu}\w+").sum())
    return time.perf_counter() - started


def run_size(size: int, work: Path, settings: Settings, places: pl.DataFrame, aliases: pl.DataFrame) -> dict:
    folder, warehouse = work / f"corpus_{size}", work / f"bench_{size}.duckdb"
    shutil.rmtree(folder, ignore_errors=True)
    warehouse.unlink(missing_ok=True)
    cities = places.filter((pl.col("feature_type") == "settlement") & (pl.col("population") > 50_000))["name"].to_list()
    total_bytes = build_corpus(size, folder, sorted(cities))
    stages: dict[str, float] = {}
    result, stages["ingest"] = _timed(ingest.ingest, folder, settings.max_file_bytes)
    with load.connect(warehouse) as con:
        _, stages["load_raw"] = _timed(load.write_raw, con, result)
        load.write_reference(con, places, aliases, "bench")
        pending = load.documents_to_parse(con, parser_version())
    stages["parse"] = stages["validate_load"] = 0.0
    for batch in pending.iter_slices(settings.parse_batch_size):
        plans = extract(batch.lazy(), places.lazy(), aliases.lazy())
        frames, seconds = _timed(lambda p: dict(zip(p, pl.collect_all(list(p.values())), strict=True)), plans)
        stages["parse"] += seconds
        started = time.perf_counter()
        valid, quarantine = load.validate(frames, parser_version())
        with load.connect(warehouse) as con:
            load.write_staging(con, batch["article_id"], valid, quarantine, parser_version())
        stages["validate_load"] += time.perf_counter() - started
    _, stages["dbt_build"] = _timed(transform.build, settings.dbt_project_dir, warehouse)
    _, stages["docs"] = _timed(transform.generate_docs, settings.dbt_project_dir, warehouse)
    floor_seconds = floor(folder)
    with load.connect(warehouse, read_only=True) as con:
        facts = {
            t: load.scalar(con, f"select count(*) from main.{t}")
            for t in ("fct_strike_reports", "fct_casualty_reports", "fct_territorial_claims")
        }
    return {
        "articles": size,
        "megabytes": round(total_bytes / 1e6, 2),
        "stages_seconds": {k: round(v, 2) for k, v in stages.items()},
        "total_seconds": round(sum(stages.values()), 2),
        "parse_mb_per_s": round(total_bytes / 1e6 / max(stages["parse"], 1e-9), 2),
        "parse_articles_per_s": round(size / max(stages["parse"], 1e-9), 1),
        "floor_seconds": round(floor_seconds, 2),
        "parse_over_floor": round(stages["parse"] / max(floor_seconds, 1e-9), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "warehouse_mb": round(warehouse.stat().st_size / 1e6, 1),
        "facts": facts,
    }


def markdown(results: list[dict]) -> str:
    head = "| articles | MB | ingest | parse | validate+load | dbt build | docs | total s | parse MB/s | parse art/s | parse / floor | peak RSS MB | warehouse MB |"
    lines = [head, "|" + "---|" * 13]
    for r in results:
        s = r["stages_seconds"]
        lines.append(
            f"| {r['articles']} | {r['megabytes']} | {s['ingest'] + s['load_raw']:.1f} | {s['parse']:.1f} | "
            f"{s['validate_load']:.1f} | {s['dbt_build']:.1f} | {s['docs']:.1f} | {r['total_seconds']:.1f} | "
            f"{r['parse_mb_per_s']} | {r['parse_articles_per_s']} | {r['parse_over_floor']}x | {r['peak_rss_mb']} | {r['warehouse_mb']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    settings = Settings()
    places, aliases = gazetteer.load_or_build(
        settings.reference_dir, settings.dbt_project_dir / "seeds" / "regions.csv"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        results.append(run_size(size, args.out, settings, places, aliases))
        print(json.dumps(results[-1]), flush=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=1))
    (args.out / "bench.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
