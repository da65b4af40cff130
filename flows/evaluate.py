"""Score a warehouse against gold labels: precision, recall, F1 and field accuracy.

The label format is documented in ``docs/GOLD_FORMAT.md`` (the same as
``../shared/gold/labels``); the matching rules are those of the shared scorer
(``tools/score.py``), so both report the same numbers for a labels folder:

- a gold record matches a fact of the same article when the date (if the label
  has one), ``admin1`` and the place agree; place names are compared case- and
  transliteration-insensitively, and a ``null`` in a label's list of spellings
  accepts a region-level fact;
- gold records are matched greedily, required ones first; ``optional`` records
  neither reward nor punish;
- a label file's ``score`` object can limit a table to ``recall`` or
  ``precision`` (or ``none``) for that file;
- the other fields are scored as accuracy over matched required records;
- attribution (who says so: ``reported_by``, ``claimant``) is the share of matched
  required records, among those whose label names a source, where the gold
  name's last word is a word of the extracted value.

Several gold folders can be scored at once: one table per folder, then their
sums. Each folder's label files, sorted by name, are split into a tuned part and
a held-out part (every Nth file), so a score can be reported on files nobody
tuned the extractor on.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flows.config import Settings
from flows.warehouse.readers import open_reader

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
#: The field that names who says so, per table (scored with ``--attribution``).
WHO = {"strikes": "reported_by", "casualties": "reported_by", "territorial_claims": "claimant"}
PARTS = ("tune", "holdout")
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


def _key_words(value: object) -> list[str]:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode().lower()
    text = text.replace("defence", "defense").replace("'s", "")
    return [word for word in re.split(r"[^a-z]+", text) if word]


def source_agrees(gold_name: object, extracted: object) -> bool:
    """Same source: the gold name's last word (a surname, 'ministry', 'staff') is a word of the extracted value."""
    gold_words = _key_words(gold_name)
    return bool(gold_words) and gold_words[-1] in _key_words(extracted)


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
    """Counts for one fact table; scores add up (``a + b``) over files and folders."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    field_ok: dict[str, int] = field(default_factory=dict)
    field_n: dict[str, int] = field(default_factory=dict)
    who_ok: int = 0
    who_n: int = 0

    def __add__(self, other: TableScore) -> TableScore:
        return TableScore(
            tp=self.tp + other.tp,
            fp=self.fp + other.fp,
            fn=self.fn + other.fn,
            field_ok=_add_counts(self.field_ok, other.field_ok),
            field_n=_add_counts(self.field_n, other.field_n),
            who_ok=self.who_ok + other.who_ok,
            who_n=self.who_n + other.who_n,
        )

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

    @property
    def attribution_share(self) -> float:
        """Share of matched records naming a source whose source was extracted right."""
        return self.who_ok / self.who_n if self.who_n else 0.0

    def accuracy(self) -> dict[str, float]:
        return {f: round(self.field_ok[f] / self.field_n[f], 3) for f in self.field_n}

    def count_field(self, name: str, ok: bool) -> None:
        self.field_n[name] = self.field_n.get(name, 0) + 1
        self.field_ok[name] = self.field_ok.get(name, 0) + ok

    def as_dict(self, attribution: bool = False) -> dict:
        """The shape of ``score.py --json`` (with ``--attribution`` when asked)."""
        out = {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "attr_accuracy": self.accuracy(),
        }
        if attribution:
            out["attribution"] = {"ok": self.who_ok, "n": self.who_n}
        return out


Scores = dict[str, TableScore]


def _add_counts(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {name: a.get(name, 0) + b.get(name, 0) for name in {**a, **b}}


def empty_scores() -> Scores:
    return {table: TableScore() for table in TABLES}


def summed(parts: Iterable[Scores]) -> Scores:
    """Per table, the sum of the counts of ``parts``."""
    total = empty_scores()
    for part in parts:
        total = {table: total[table] + part[table] for table in TABLES}
    return total


# --- Scoring one label file


FactsByFile = dict[tuple[str, str], list[dict]]


def facts_by_file(warehouse: Path) -> FactsByFile:
    """Every extracted fact, by (table, source file name); the warehouse is opened read-only."""
    found: FactsByFile = {}
    with open_reader(warehouse) as con:
        for table, model in TABLES.items():
            cursor = con.execute(f"select a.source_file, r.* from {model} r join dim_articles a using (article_id)")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                fact = dict(zip(columns, row, strict=True))
                found.setdefault((table, fact["source_file"]), []).append(fact)
    return found


def _scored_fields(table: str, gold: dict) -> list[str]:
    """The fields a matched gold record is scored on: those it gives (a killed-only count leaves out injured)."""
    return [
        name
        for name in SCORED_FIELDS[table]
        if name in gold
        and not (table == "casualties" and name == "injured" and gold.get("count_check") == "killed_only")
    ]


def _extra_line(table: str, source: str, fact: dict) -> str:
    return (
        f"  EXTRA {table} {source}: date={fact.get(DATE_FIELD[table])} admin1={fact.get('admin1')} "
        f"admin2={fact.get('admin2')} settlement={fact.get('settlement')} | {str(fact.get('evidence'))[:120]}"
    )


def score_table(
    table: str,
    mode: str,
    gold: list[dict],
    facts: list[dict],
    result: TableScore,
    report: list[str] | None = None,
    source: str = "",
    attribution: bool = False,
) -> None:
    """Add one label file's records for ``table`` to ``result``; misses, extras and wrong fields go to ``report``."""
    pairs, missed, extra = greedy_match(table, gold, facts)
    for g, f in pairs:
        record, fact = gold[g], facts[f]
        if record.get("optional"):
            continue
        result.tp += 1
        who = WHO[table]
        if record.get(who):
            ok = source_agrees(record[who], fact.get(who))
            result.who_n += 1
            result.who_ok += ok
            if report is not None and attribution and not ok:
                report.append(f"  who {table} {source} {who}: gold={record[who]} pred={fact.get(who)}")
        for name in _scored_fields(table, record):
            ok = field_equal(name, record, fact)
            result.count_field(name, ok)
            if report is not None and not ok:
                report.append(f"  attr {table} {source} {name}: gold={record[name]} pred={fact.get(name)}")
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
            report.extend(_extra_line(table, source, facts[f]) for f in extra)


def score_label(
    label: dict, facts: FactsByFile, scores: Scores, report: list[str] | None = None, attribution: bool = False
) -> None:
    """Add one label file to ``scores``, table by table, as its ``score`` object allows."""
    source = label["source_file"]
    modes = label.get("score", {})
    for table, result in scores.items():
        mode = modes.get(table, "pr")
        if mode != "none":
            found = facts.get((table, source), [])
            score_table(table, mode, label.get(table, []), found, result, report, source, attribution)


def _read_label(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def score(warehouse: Path, labels_dir: Path, report: list[str] | None = None, attribution: bool = False) -> Scores:
    """Score every ``*.json`` label file in ``labels_dir`` (what ``score.py`` does for one folder)."""
    facts = facts_by_file(warehouse)
    scores = empty_scores()
    for path in label_files(labels_dir):
        score_label(_read_label(path), facts, scores, report, attribution)
    return scores


# --- Gold folders and the held-out split


@dataclass(frozen=True)
class GoldFolder:
    """A set folder (``articles/`` and ``labels/``), or a bare labels folder (no articles)."""

    name: str  # as given on the command line
    labels: Path
    articles: Path | None


def gold_folder(path: Path) -> GoldFolder:
    if (path / "labels").is_dir():
        articles = path / "articles"
        return GoldFolder(str(path), path / "labels", articles if articles.is_dir() else None)
    if path.is_dir():
        return GoldFolder(str(path), path, None)
    raise FileNotFoundError(f"gold folder {path} does not exist")


def label_files(labels_dir: Path) -> list[Path]:
    return sorted(labels_dir.glob("*.json"), key=lambda p: p.name)


def is_held_out(index: int, every: int) -> bool:
    """The ``index``-th label file (0-based, sorted by name) is held out: every ``every``-th one."""
    return index % every == every - 1


def split_part(index: int, every: int) -> str:
    return "holdout" if is_held_out(index, every) else "tune"


@dataclass
class FolderScores:
    """One gold folder scored, its tuned and held-out parts apart."""

    folder: GoldFolder
    parts: dict[str, Scores]
    files: dict[str, int]

    def scores(self, split: str) -> Scores:
        return summed(self.parts[p] for p in _parts_of(split))

    def file_count(self, split: str) -> int:
        return sum(self.files[p] for p in _parts_of(split))


def _parts_of(split: str) -> tuple[str, ...]:
    return PARTS if split == "all" else (split,)


def score_folder(
    folder: GoldFolder,
    facts: FactsByFile,
    every: int,
    split: str = "all",
    report: list[str] | None = None,
    attribution: bool = False,
) -> FolderScores:
    """Score both parts of a folder; ``report`` gets the lines of the files in ``split`` only, in name order."""
    parts = {p: empty_scores() for p in PARTS}
    files = dict.fromkeys(PARTS, 0)
    for index, path in enumerate(label_files(folder.labels)):
        part = split_part(index, every)
        files[part] += 1
        reported = report if split in ("all", part) else None
        score_label(_read_label(path), facts, parts[part], reported, attribution)
    return FolderScores(folder, parts, files)


@dataclass
class Evaluation:
    """Every folder scored against one warehouse, and which split is reported."""

    folders: list[FolderScores]
    split: str = "all"
    every: int = 5

    def combined(self, split: str | None = None) -> Scores:
        return summed(f.scores(split or self.split) for f in self.folders)

    def file_count(self, split: str | None = None) -> int:
        return sum(f.file_count(split or self.split) for f in self.folders)


def evaluate(
    warehouse: Path,
    folders: list[GoldFolder],
    split: str = "all",
    every: int = 5,
    report: list[str] | None = None,
    attribution: bool = False,
) -> Evaluation:
    facts = facts_by_file(warehouse)
    scored = []
    for folder in folders:
        lines: list[str] | None = None if report is None else []
        scored.append(score_folder(folder, facts, every, split, lines, attribution))
        if lines:
            report.extend([f"{folder.name}:", *lines])
    return Evaluation(scored, split, every)


# --- Building the warehouse


def article_folders(folders: list[GoldFolder], extra: Path | None) -> list[Path]:
    """The folders to build from: every set's ``articles/``, then ``extra``; each once."""
    missing = [f.name for f in folders if f.articles is None]
    if missing and extra is None:
        raise ValueError(f"no articles/ beside the labels of {', '.join(missing)}: give set folders or --input")
    found = [f.articles for f in folders if f.articles is not None] + ([extra] if extra else [])
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _check_distinct_names(folders: list[Path]) -> None:
    # Labels find their facts by file name, and versions of an article are keyed by
    # its path inside the input folder: a name in two folders would mix up their facts
    # (or make the later folder's file replace the earlier one).
    seen: dict[str, Path] = {}
    for folder in folders:
        for path in folder.rglob("*.txt"):
            if path.name in seen:
                raise ValueError(f"{path.name} is in both {seen[path.name]} and {folder}: article names must differ")
            seen[path.name] = folder


def build_warehouse(folders: list[Path], warehouse: Path, settings: Settings | None = None) -> None:
    """Run the pipeline on each folder in turn, into one warehouse (ingest is incremental).
    ``settings`` are the caller's (the CLI's); without them the flow reads the environment's."""
    from flows.pipeline import frontline_pipeline

    _check_distinct_names(folders)
    for folder in folders:
        frontline_pipeline(input_dir=folder, warehouse=warehouse, settings=settings)


# --- Output


def format_table(scores: Scores, attribution: bool = False) -> str:
    head = f"{'table':<20} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
    lines = [head + (f"  {'attribution':<21}" if attribution else "") + "  field accuracy"]
    for table, s in scores.items():
        line = f"{table:<20} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}"
        if attribution:
            line += f"  {f'{WHO[table]} {s.who_ok}/{s.who_n}':<21}"
        accuracy = s.accuracy()
        shown = [f"{name}={accuracy[name]:.3f}" for name in SCORED_FIELDS[table] if name in accuracy]
        lines.append(f"{line}  {', '.join(shown)}".rstrip())
    return "\n".join(lines)


def _split_header(evaluation: Evaluation) -> str:
    every = evaluation.every
    return f"split: {evaluation.split} (held out: 1 in {every} label files of each folder, the last of every {every} by name)"


def format_evaluation(evaluation: Evaluation, attribution: bool = False) -> str:
    """Per folder, then combined; with split ``all`` also combined over the tuned and the held-out files."""
    split = evaluation.split
    blocks = [_split_header(evaluation)]
    for folder in evaluation.folders:
        files = _files_note(folder.file_count(split), folder.file_count("all"), split)
        blocks.append(f"{folder.folder.name}  ({files})\n{format_table(folder.scores(split), attribution)}")
    sections = [("combined", split)]
    if split == "all":
        sections += [("combined tune", "tune"), ("combined holdout", "holdout")]
    for title, part in sections:
        files = _files_note(evaluation.file_count(part), evaluation.file_count("all"), part)
        table = format_table(evaluation.combined(part), attribution)
        count = len(evaluation.folders)
        folders = "1 folder" if count == 1 else f"{count} folders"
        blocks.append(f"{title}  ({folders}, {files})\n{table}")
    return "\n\n".join(blocks)


def _files_note(count: int, total: int, split: str) -> str:
    return f"{count} label files" if split == "all" else f"{count} of {total} label files: {split}"


def _scores_json(scores: Scores, files: int, attribution: bool) -> dict:
    return {"label_files": files, "tables": {t: s.as_dict(attribution) for t, s in scores.items()}}


def evaluation_json(evaluation: Evaluation, attribution: bool = False) -> dict:
    """Everything printed, machine-readably; with split ``all`` also each folder's parts."""
    split = evaluation.split
    shown = PARTS if split == "all" else ()
    folders = {}
    for f in evaluation.folders:
        entry = _scores_json(f.scores(split), f.file_count(split), attribution)
        entry |= {part: _scores_json(f.scores(part), f.file_count(part), attribution) for part in shown}
        folders[f.folder.name] = entry
    out = {"split": split, "holdout_every": evaluation.every, "folders": folders}
    out["combined"] = _scores_json(evaluation.combined(), evaluation.file_count(), attribution)
    for part in shown:
        out[f"combined_{part}"] = _scores_json(evaluation.combined(part), evaluation.file_count(part), attribution)
    return out


def main(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """``frontline evaluate``: build if asked (``--build``, ``--input``), then score every ``--gold`` folder."""
    if args.holdout_every < 2:
        raise ValueError("--holdout-every must be at least 2")
    folders = [gold_folder(path) for path in args.gold]
    if args.build or args.input is not None:
        build_warehouse(article_folders(folders, args.input), args.warehouse, settings)
    report: list[str] | None = [] if args.verbose else None
    evaluation = evaluate(args.warehouse, folders, args.split, args.holdout_every, report, args.attribution)
    if report:
        print("\n".join(report), end="\n\n")
    print(format_evaluation(evaluation, args.attribution))
    if args.json:
        args.json.write_text(json.dumps(evaluation_json(evaluation, args.attribution), indent=1))
    return 0
