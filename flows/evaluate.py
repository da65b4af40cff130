"""Score a warehouse against gold labels: precision, recall, F1 and field accuracy.

The label format is documented in ``docs/GOLD_FORMAT.md`` (the same as
``../shared/gold/labels``); the matching rules are those of the shared scorer
(``tools/score.py``), so both report the same numbers:

- a gold record matches a fact of the same article when the date (if the label
  has one), ``admin1`` and the place agree; place names are compared case- and
  transliteration-insensitively, and a ``null`` in a label's list of spellings
  accepts a region-level fact;
- gold records are matched greedily, required ones first; ``optional`` records
  neither reward nor punish;
- a label file's ``score`` object can limit a table to ``recall`` or
  ``precision`` (or ``none``) for that file;
- the other fields are scored as accuracy over matched required records.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

TABLES = {
    "strikes": "fct_strike_reports",
    "casualties": "fct_casualty_reports",
    "territorial_claims": "fct_territorial_claims",
}
DATE_FIELD = {"strikes": "strike_date", "casualties": "incident_date", "territorial_claims": "claim_date"}
SCORED_FIELDS = {
    "strikes": ["perpetrator_side", "target_country", "weapon"],
    "casualties": ["killed", "injured"],
    "territorial_claims": ["claim_date", "gaining_side", "claimant_side", "claim_type", "verification"],
}
_DESIGNATOR = re.compile(r"\b(city|town|village|settlement|district|raion|region|oblast|hromada|community)\b")
_FOLDS = (("iy", "i"), ("yi", "i"), ("yy", "i"), ("ii", "i"), ("y", "i"), ("kh", "h"), ("j", "i"),
          ("skii", "sk"), ("ske", "sk"), ("ska", "sk"))  # fmt: skip


def name_key(value: object) -> str | None:
    """Case-, accent- and transliteration-insensitive form of a place name."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z]", "", _DESIGNATOR.sub("", text))
    for source, target in _FOLDS:
        text = text.replace(source, target)
    return text


def _spelling_matches(accepted: object, value: object) -> bool:
    if accepted is None:
        return True
    options = accepted if isinstance(accepted, list) else [accepted]
    key = name_key(value)
    return any((o is None and key in (None, "")) or (o is not None and name_key(o) == key) for o in options)


def _place_matches(gold: dict, fact: dict) -> bool:
    if name_key(gold.get("admin1")) != name_key(fact.get("admin1")):
        return False
    if _spelling_matches(gold.get("settlement", [None]), fact.get("settlement")):
        return True
    # a district-level label may be matched by its raion name
    return (
        bool(gold.get("admin2"))
        and fact.get("settlement") in (None, "")
        and _spelling_matches(gold["admin2"], fact.get("admin2"))
    )


def _date_matches(gold_date: str | None, fact_date: object) -> bool:
    return gold_date is None or (fact_date is not None and str(fact_date)[:10] == gold_date)


def matches(table: str, gold: dict, fact: dict) -> bool:
    """Does ``fact`` (a warehouse row) match the gold record ``gold``?"""
    if table == "territorial_claims":
        return name_key(gold.get("admin1")) in (name_key(fact.get("admin1")), None) and _spelling_matches(
            gold.get("settlement"), fact.get("settlement")
        )
    date_field = DATE_FIELD[table]
    return _date_matches(gold.get(date_field), fact.get(date_field)) and _place_matches(gold, fact)


def field_equal(name: str, gold: dict, fact: dict) -> bool:
    expected, actual = gold[name], fact.get(name)
    if name.endswith("_date"):
        return str(actual)[:10] == expected
    if expected is None or isinstance(expected, int | float):
        return expected == (int(actual) if isinstance(actual, int | float) else actual)
    return name_key(expected) == name_key(actual)


def greedy_match(table: str, gold: list[dict], facts: list[dict]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (gold index, fact index), unmatched gold, unmatched facts; required gold first."""
    order = sorted(range(len(gold)), key=lambda i: bool(gold[i].get("optional")))
    used: set[int] = set()
    pairs = []
    for g in order:
        for f, fact in enumerate(facts):
            if f not in used and matches(table, gold[g], fact):
                used.add(f)
                pairs.append((g, f))
                break
    matched = {g for g, _ in pairs}
    return pairs, [g for g in range(len(gold)) if g not in matched], [f for f in range(len(facts)) if f not in used]


@dataclass
class TableScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    field_ok: dict[str, int] = field(default_factory=dict)
    field_n: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self) -> dict[str, float]:
        return {f: round(self.field_ok[f] / self.field_n[f], 3) for f in self.field_n}

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "attr_accuracy": self.accuracy(),
        }


def _facts_by_file(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[dict]]:
    found: dict[tuple[str, str], list[dict]] = {}
    for table, model in TABLES.items():
        cursor = con.execute(f"select a.source_file, r.* from {model} r join dim_articles a using (article_id)")
        columns = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            fact = dict(zip(columns, row, strict=True))
            found.setdefault((table, fact["source_file"]), []).append(fact)
    return found


def score(warehouse: Path, labels_dir: Path, report: list[str] | None = None) -> dict[str, TableScore]:
    """Score every ``*.json`` label file in ``labels_dir``; misses and extras go to ``report``."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts_by_file = _facts_by_file(con)
    scores = {table: TableScore() for table in TABLES}
    for path in sorted(labels_dir.glob("*.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        source = label["source_file"]
        modes = label.get("score", {})
        for table, result in scores.items():
            mode = modes.get(table, "pr")
            if mode == "none":
                continue
            gold = label.get(table, [])
            facts = facts_by_file.get((table, source), [])
            pairs, missed, extra = greedy_match(table, gold, facts)
            for g, f in pairs:
                if gold[g].get("optional"):
                    continue
                result.tp += 1
                for name in SCORED_FIELDS[table]:
                    if name not in gold[g] or (
                        table == "casualties" and gold[g].get("count_check") == "killed_only" and name == "injured"
                    ):
                        continue
                    ok = field_equal(name, gold[g], facts[f])
                    result.field_n[name] = result.field_n.get(name, 0) + 1
                    result.field_ok[name] = result.field_ok.get(name, 0) + ok
                    if report is not None and not ok:
                        report.append(f"  attr {table} {source} {name}: gold={gold[g][name]} pred={facts[f].get(name)}")
            required_missed = [g for g in missed if not gold[g].get("optional")]
            if mode in ("pr", "recall"):
                result.fn += len(required_missed)
            if mode in ("pr", "precision"):
                result.fp += len(extra)
            if report is not None:
                for g in required_missed:
                    shown = {k: v for k, v in gold[g].items() if k != "note"}
                    report.append(f"  MISS {table} {source}: {json.dumps(shown, ensure_ascii=False)}")
                if mode in ("pr", "precision"):
                    for f in extra:
                        fact = facts[f]
                        report.append(
                            f"  EXTRA {table} {source}: date={fact.get(DATE_FIELD[table])} admin1={fact.get('admin1')} "
                            f"admin2={fact.get('admin2')} settlement={fact.get('settlement')} | {str(fact.get('evidence'))[:120]}"
                        )
    return scores


def format_table(scores: dict[str, TableScore]) -> str:
    lines = [f"{'table':<20} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}  field accuracy"]
    for table, s in scores.items():
        accuracy = ", ".join(f"{k}={v:.3f}" for k, v in s.accuracy().items())
        lines.append(
            f"{table:<20} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}  {accuracy}"
        )
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    """``frontline evaluate``: build from ``--input`` if given, then score ``--gold``."""
    if args.input is not None:
        from flows.pipeline import frontline_pipeline

        frontline_pipeline(input_dir=args.input, warehouse=args.warehouse)
    report: list[str] | None = [] if args.verbose else None
    scores = score(args.warehouse, args.gold, report)
    if report:
        print("\n".join(report))
    print(format_table(scores))
    if args.json:
        args.json.write_text(json.dumps({t: s.as_dict() for t, s in scores.items()}, indent=1))
    return 0
