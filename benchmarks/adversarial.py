"""Parse time and memory on hostile texts: do they grow at most linearly with size?

    python -m benchmarks.adversarial [--sizes 250000 500000 1000000 2000000] [--out benchmarks/out]

Three kinds of text, each one article of N characters:

- ``list``: one sentence listing the 2,000 largest gazetteer settlements over and
  over ("... struck the villages of A, B, C, ..."), no full stop;
- ``unpunctuated``: the real articles of ``../shared/corpus`` run together without
  any sentence end (no ``.!?;:`` nor line break);
- ``paragraph``: one paragraph of short strike reports, each naming two places,
  a count and a speaker (thousands of sentences without a line break).

Each size is parsed in a fresh process, as a batch of the flow parses it
(``flows.parse.extract.parse``). Memory is the growth of the process's peak
resident set during the parse, over what it held after loading the gazetteer and
parsing a small warm-up text. Time is wall and CPU time (all threads; on a shared
machine CPU time is the steadier of the two). Ratios compare each size with the
one before: for linear growth they stay near the size ratio (2). Nothing is asserted here; the
unit tests check the bounds by structure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from flows import gazetteer
from flows.config import REPO_ROOT, load_settings

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "gdelt_hellaskella33" / "articles"
KINDS = ["list", "unpunctuated", "paragraph"]
SIZES = [250_000, 500_000, 1_000_000, 2_000_000]
REPORT = (
    "Russian drones hit {0} overnight, killing two people and injuring five in the {1} region, "
    "Governor Oleh Syniehubov said. "
)


def _gazetteer() -> tuple[pl.DataFrame, pl.DataFrame]:
    settings = load_settings()
    return gazetteer.load_or_build(settings.reference_dir, gazetteer.REGIONS_CSV)


def _repeat(pieces: list[str], size: int) -> str:
    """``pieces`` cycled until the text has ``size`` characters."""
    text = "".join(pieces)
    return (text * (size // max(len(text), 1) + 1))[:size]


def make_text(kind: str, size: int, places: pl.DataFrame) -> str:
    """One article body of ``size`` characters of the given kind."""
    # The 2,000 largest settlements, cycled: the same density of places at every size.
    settlements = (
        places.filter(pl.col("feature_type") == "settlement")
        .sort("population", "name", descending=[True, False], nulls_last=True)["name"]
        .unique(maintain_order=True)
        .head(2_000)
        .to_list()
    )
    oblasts = places.filter(pl.col("feature_type") == "oblast")["name"].unique().sort().to_list()
    if kind == "list":
        return "Russian drones and missiles struck the villages of " + _repeat([f"{n}, " for n in settlements], size)
    if kind == "unpunctuated":
        corpus = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
        return _repeat([re.sub(r"[.!?;:\n]+", " ", corpus)], size)
    if kind == "paragraph":
        return _repeat(
            [REPORT.format(settlements[i * 97 % len(settlements)], oblasts[i % len(oblasts)]) for i in range(500)],
            size,
        )
    raise ValueError(kind)


def _memory_mb(field: str) -> float | None:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak) of this process in MB; None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _cpu_seconds() -> float:
    """CPU time of this process (all threads): less disturbed by a busy machine than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Start counting the peak resident set afresh (Linux: write 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _parse(body: str, places: pl.DataFrame, aliases: pl.DataFrame) -> dict[str, int]:
    from flows.parse.extract import parse

    documents = pl.DataFrame({"article_id": ["a"], "published_date": [dt.date(2024, 7, 1)], "body": [body]})
    return {name: frame.height for name, frame in parse(documents, places, aliases).items()}


def measure_one(kind: str, size: int) -> dict:
    """Parse one hostile text in this process: seconds, extra peak memory, rows."""
    places, aliases = _gazetteer()
    body = make_text(kind, size, places)
    _parse(make_text(kind, 5_000, places), places, aliases)  # warm up: imports, regex compilation
    # The peak counts afresh from here (Linux); elsewhere the warm-up's peak is the baseline.
    baseline = _memory_mb("VmRSS") if _reset_peak() else _max_rss_mb()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    rows = _parse(body, places, aliases)
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    peak = _memory_mb("VmHWM") or _max_rss_mb()
    return {
        "kind": kind,
        "characters": size,
        "megabytes": round(len(body.encode()) / 1e6, 2),
        "parse_seconds": round(seconds, 2),
        "parse_cpu_seconds": round(cpu_seconds, 2),
        "extra_memory_mb": round(peak - baseline, 1),
        "rows": rows,
    }


def measure(kinds: list[str], sizes: list[int]) -> list[dict]:
    """Each kind and size in a fresh process (a peak resident set only grows)."""
    results = []
    for kind in kinds:
        for size in sizes:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.adversarial", "--one", kind, str(size)],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), flush=True)
    return results


def markdown(results: list[dict]) -> str:
    """A table with each size's time and memory and their ratios to the size before."""
    lines = [
        "| text | size | parse s | parse CPU s | extra memory MB | sentences | place mentions "
        "| CPU time ratio | memory ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    previous: dict | None = None
    for r in results:
        ratios = ["", ""]
        if previous is not None and previous["kind"] == r["kind"]:
            ratios = [f"{r[k] / max(previous[k], 1e-9):.2f}" for k in ("parse_cpu_seconds", "extra_memory_mb")]
        lines.append(
            f"| {r['kind']} | {r['megabytes']} MB | {r['parse_seconds']} | {r['parse_cpu_seconds']} | "
            f"{r['extra_memory_mb']} | "
            f"{r['rows']['sentences']} | {r['rows']['place_mentions']} | {ratios[0]} | {ratios[1]} |"
        )
        previous = r
    return "\n".join(lines) + "\n"


def run(kinds: list[str], sizes: list[int], out: Path) -> list[dict]:
    """Measure, write ``OUT/adversarial.json`` and ``.md``, print the table."""
    results = measure(kinds, sizes)
    out.mkdir(parents=True, exist_ok=True)
    (out / "adversarial.json").write_text(json.dumps(results, indent=1))
    table = markdown(results)
    (out / "adversarial.md").write_text(table)
    print(table)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=KINDS)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="characters per text")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "benchmarks" / "out")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    run(args.kinds, args.sizes, args.out)


if __name__ == "__main__":
    main()
