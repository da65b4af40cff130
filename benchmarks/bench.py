"""Benchmark the whole pipeline on synthetic corpora built from the real articles.

    python -m benchmarks.bench --sizes 1000 10000 [--large] [--task-runner dask] [--adversarial] [--out benchmarks/out]

For each size N, N articles are made from ``../shared/corpus/gdelt_hellaskella33``
by re-dating them (a new ``date`` header) and re-placing them (each big-city
name swapped for another gazetteer city), so content hashes differ and dedup
does not collapse them. Then, each as its own ``frontline run`` process against
a local Prefect server that the benchmark starts once (as a scheduled
deployment would run):

1. a full run into a fresh warehouse (stage timings from ``--summary-json``);
2. a run with nothing new;
3. a run after 1,000 new articles were added to the input folder.

The floor is reading every file plus one polars regex pass over all text; parse
time is reported as a multiple of it. Peak memory is the run process's maximum
resident set size (dbt runs inside it). Results go to ``OUT/bench.json`` and
``OUT/bench.md``. Nothing here asserts a time: this is measurement, not a test.

``--adversarial`` adds the hostile texts of ``benchmarks/adversarial.py`` (a list
sentence, an unpunctuated text and a dense paragraph at 250 KB to 2 MB): parse
time, extra memory and their growth from size to size, in ``OUT/adversarial.md``.
``--sizes`` with no size runs that section alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from flows import gazetteer
from flows.config import QUIET_ENVIRONMENT, REPO_ROOT, load_settings
from flows.runtime.prefect_server import prefect_server
from flows.warehouse import snapshot

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "gdelt_hellaskella33" / "articles"
SWAPPED = ["Kharkiv", "Kyiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Mykolaiv", "Sumy", "Lviv", "Donetsk"]
INCREMENT = 1000
LARGE = 100_000


def big_cities() -> list[str]:
    """Gazetteer settlements over 50,000 people: the names swapped into the copies."""
    settings = load_settings()
    places, _ = gazetteer.load_or_build(settings.reference_dir, gazetteer.REGIONS_CSV)
    big = places.filter((pl.col("feature_type") == "settlement") & (pl.col("population") > 50_000))
    return sorted(big["name"].to_list())


def build_corpus(first: int, count: int, folder: Path, cities: list[str]) -> int:
    """Write articles number ``first`` .. ``first + count - 1`` into ``folder``; return their bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    total = 0
    for i in range(first, first + count):
        text = sources[i % len(sources)]
        for k, name in enumerate(SWAPPED):
            text = text.replace(name, cities[(i + k) % len(cities)])
        date = dt.date(2022, 3, 1) + dt.timedelta(days=i % 900)
        body = f"date {date:%Y-%m-%d}\n\n{text}\n\n(benchmark copy {i})\n"
        (folder / f"bench_{i:06d}.txt").write_text(body, encoding="utf-8")
        total += len(body.encode())
    return total


def floor(folder: Path) -> float:
    """Read every file and run one regex pass over all text: the least any parser does."""
    started = time.perf_counter()
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    pl.DataFrame({"t": texts}).select(pl.col("t").str.count_matches(r"\p{Lu}\w+").sum())
    return time.perf_counter() - started


def run_frontline(folder: Path, warehouse: Path, env: dict, runner: list[str]) -> dict:
    """One ``frontline run`` process: its summary, wall time and peak memory."""
    summary_path = warehouse.with_suffix(".summary.json")
    # --quiet: stderr is a pipe read only on failure, so progress lines must not fill it
    command = [sys.executable, "-m", "flows.cli", "run", "--quiet", "--input", str(folder)]
    command += ["--warehouse", str(warehouse)]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, *runner, "--summary-json", str(summary_path)],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)  # rusage of this child alone
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"frontline run failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    summary = json.loads(summary_path.read_text())
    return {
        "wall_seconds": round(wall, 2),
        "flow_seconds": round(summary["elapsed_seconds"], 2),
        "stage_seconds": summary["stage_seconds"],
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "documents_parsed": summary["documents_parsed"],
        "facts": summary["facts"],
    }


def run_size(size: int, work: Path, cities: list[str], env: dict, runner: list[str]) -> dict:
    folder, extra, warehouse = work / f"corpus_{size}", work / f"extra_{size}", work / f"bench_{size}.duckdb"
    for path in (folder, extra):
        shutil.rmtree(path, ignore_errors=True)
    for path in (warehouse, snapshot.build_path(warehouse)):  # the published snapshot and the build copy
        for file in (path, path.with_name(path.name + ".wal")):
            file.unlink(missing_ok=True)
    total_bytes = build_corpus(0, size, folder, cities)
    build_corpus(size, INCREMENT, extra, cities)
    full = run_frontline(folder, warehouse, env, runner)
    noop = run_frontline(folder, warehouse, env, runner)
    for path in extra.iterdir():
        path.rename(folder / path.name)
    added = run_frontline(folder, warehouse, env, runner)
    shutil.rmtree(extra)
    floor_seconds = floor(folder)
    parse = full["stage_seconds"].get("parse", 0.0)
    return {
        "articles": size,
        "megabytes": round(total_bytes / 1e6, 2),
        "full": full,
        "nothing_new": noop,
        f"add_{INCREMENT}": added,
        "parse_mb_per_s": round(total_bytes / 1e6 / max(parse, 1e-9), 2),
        "parse_articles_per_s": round(size / max(parse, 1e-9), 1),
        "floor_seconds": round(floor_seconds, 2),
        "parse_over_floor": round(parse / max(floor_seconds, 1e-9), 1),
        "warehouse_mb": round(warehouse.stat().st_size / 1e6, 1),
    }


def markdown(results: list[dict], server_seconds: float, runner: str) -> str:
    lines = [
        f"Task runner: {runner}. Local Prefect server started once in {server_seconds:.1f} s (not in the times below).",
        "",
        "| articles | MB | ingest | parse | validate+load | dbt build | docs | flow s | wall s | parse MB/s "
        "| parse art/s | parse / floor | peak RSS MB | warehouse MB | nothing new: wall s (flow s) "
        f"| +{INCREMENT}: wall s (flow s) |",
        "|" + "---|" * 16,
    ]
    for r in results:
        full, s = r["full"], r["full"]["stage_seconds"]
        noop, added = r["nothing_new"], r[f"add_{INCREMENT}"]
        lines.append(
            f"| {r['articles']} | {r['megabytes']} | {s.get('ingest', 0):.1f} | {s.get('parse', 0):.1f} | "
            f"{s.get('validate_load', 0):.1f} | {s.get('dbt_build', 0):.1f} | {s.get('docs', 0):.1f} | "
            f"{full['flow_seconds']:.1f} | {full['wall_seconds']:.1f} | {r['parse_mb_per_s']} | "
            f"{r['parse_articles_per_s']} | {r['parse_over_floor']}x | {full['peak_rss_mb']} | {r['warehouse_mb']} | "
            f"{noop['wall_seconds']:.1f} ({noop['flow_seconds']:.1f}) | "
            f"{added['wall_seconds']:.1f} ({added['flow_seconds']:.1f}) |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--large", action="store_true", help=f"also run {LARGE:,} articles (long)")
    parser.add_argument("--task-runner", choices=["threads", "dask"], default="threads")
    parser.add_argument("--adversarial", action="store_true", help="also parse hostile texts of 250 KB to 2 MB")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "benchmarks" / "out")
    args = parser.parse_args()
    if args.adversarial:
        from benchmarks import adversarial

        adversarial.run(adversarial.KINDS, adversarial.SIZES, args.out)
    if not args.sizes and not args.large:
        return
    sizes = [*args.sizes, *([LARGE] if args.large and LARGE not in args.sizes else [])]
    args.out.mkdir(parents=True, exist_ok=True)
    cities = big_cities()
    runner = ["--task-runner", args.task_runner]
    started = time.perf_counter()
    with prefect_server(args.out / "prefect") as api_url:
        server_seconds = time.perf_counter() - started
        env = os.environ | QUIET_ENVIRONMENT | {"PREFECT_API_URL": api_url}
        results = []
        for size in sizes:
            results.append(run_size(size, args.out, cities, env, runner))
            print(json.dumps(results[-1]), flush=True)
    report = {
        "task_runner": args.task_runner,
        "prefect_server_start_seconds": round(server_seconds, 1),
        "runs": results,
    }
    (args.out / "bench.json").write_text(json.dumps(report, indent=1))
    (args.out / "bench.md").write_text(markdown(results, server_seconds, args.task_runner))
    print(markdown(results, server_seconds, args.task_runner))


if __name__ == "__main__":
    main()
