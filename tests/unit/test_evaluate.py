"""The scorer: matching rules, and agreement with the shared scorer."""

import importlib.util
import json
import subprocess
import sys

import duckdb
import pytest

from flows import cli
from flows.config import REPO_ROOT
from flows.evaluate import (
    GoldFolder,
    article_folders,
    build_warehouse,
    evaluate,
    evaluation_json,
    format_evaluation,
    gold_folder,
    greedy_match,
    is_held_out,
    name_key,
    score,
    source_agrees,
)
from tests.conftest import SHARED, needs_shared

EXAMPLE_LABELS = REPO_ROOT / "tests" / "golden" / "example_labels"


def test_name_key_folds_spellings():
    assert name_key("Zelenyy Hay") == name_key("Zeleniy Hai") == name_key("Zelenyi Hai")
    assert name_key("Sumy region") == name_key("Sumy")


def test_greedy_match_prefers_required_records():
    gold = [
        {"admin1": "Sumy", "settlement": [None], "optional": True},
        {"admin1": "Sumy", "settlement": ["Sumy", None]},
    ]
    facts = [{"admin1": "Sumy", "settlement": None, "strike_date": None}]
    pairs, missed, extra = greedy_match("strikes", gold, facts)
    assert pairs == [(1, 0)]
    assert (missed, extra) == ([0], [])


@pytest.fixture
def tiny_warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table dim_articles as select 'a1' as article_id, 'example_article.txt' as source_file")
        con.execute(
            "create table fct_strike_reports as select * from (values "
            "('a1', date '2025-07-26', 'Kursk', null, 'Obesta', 'UA', 'RU', 'drone', 'e1'),"
            "('a1', date '2025-07-26', 'Kherson', null, null, 'RU', 'UA', 'missile', 'e2'),"
            "('a1', date '2025-07-26', 'Lviv', null, 'Lviv', 'RU', 'UA', 'missile', 'e3')"
            ") t(article_id, strike_date, admin1, admin2, settlement, perpetrator_side, target_country, weapon, evidence)"
        )
        con.execute(
            "create table fct_casualty_reports as select 'a1' as article_id, date '2025-07-26' as incident_date, "
            "'Kharkiv' as admin1, null as admin2, 'Kharkiv' as settlement, null::int as killed, 4 as injured, 'e' as evidence"
        )
        con.execute(
            "create table fct_territorial_claims as select 'a1' as article_id, date '2025-07-26' as claim_date, "
            "'Dnipropetrovsk' as admin1, 'Maliivka' as settlement, 'RU' as claimant_side, 'RU' as gaining_side, "
            "'capture' as claim_type, 'unverified' as verification, 'e' as evidence"
        )
    return path


def test_score_counts_and_field_accuracy(tiny_warehouse):
    scores = score(tiny_warehouse, EXAMPLE_LABELS)
    strikes = scores["strikes"]
    assert (strikes.tp, strikes.fn, strikes.fp) == (2, 1, 0)  # recall-only file: the Lviv extra is not counted
    assert strikes.accuracy()["weapon"] == 1.0
    casualties = scores["casualties"]
    assert (casualties.tp, casualties.fn) == (1, 1)
    assert casualties.accuracy()["injured"] == 0.0
    assert scores["territorial_claims"].tp == 1


@needs_shared
def test_same_numbers_as_the_shared_scorer(tiny_warehouse, tmp_path):
    out = tmp_path / "shared.json"
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "score.py"),
            str(tiny_warehouse),
            str(EXAMPLE_LABELS),
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    ours = {t: s.as_dict() for t, s in score(tiny_warehouse, EXAMPLE_LABELS).items()}
    assert ours == json.loads(out.read_text())


# --- Several gold folders, the held-out split and attribution (synthetic warehouses and labels)

FACT_COLUMNS = {
    "fct_strike_reports": "strike_date date, admin1 varchar, admin2 varchar, settlement varchar, "
    "perpetrator_side varchar, target_country varchar, weapon varchar, reported_by varchar, evidence varchar",
    "fct_casualty_reports": "incident_date date, admin1 varchar, admin2 varchar, settlement varchar, "
    "killed integer, injured integer, reported_by varchar, evidence varchar",
    "fct_territorial_claims": "claim_date date, admin1 varchar, settlement varchar, claimant varchar, "
    "claimant_side varchar, gaining_side varchar, claim_type varchar, verification varchar, evidence varchar",
}


def make_warehouse(path, facts: dict[str, list[dict]]):
    """A warehouse holding just what scoring reads; ``facts`` rows name their ``source_file``."""
    sources = sorted({row["source_file"] for rows in facts.values() for row in rows})
    with duckdb.connect(str(path)) as con:
        con.execute("create table dim_articles (article_id varchar, source_file varchar)")
        con.executemany("insert into dim_articles values (?, ?)", [[f"id-{s}", s] for s in sources])
        for model, columns in FACT_COLUMNS.items():
            con.execute(f"create table {model} (article_id varchar, {columns})")
            names = [c.split()[0] for c in columns.split(", ")]
            rows = [[f"id-{r['source_file']}", *(r.get(n) for n in names)] for r in facts.get(model, [])]
            if rows:
                con.executemany(f"insert into {model} values ({', '.join('?' * (len(names) + 1))})", rows)
    return path


def make_gold_set(folder, labels: dict[str, dict]):
    """A set folder: ``labels/<name>.json`` for each label, and an (empty) ``articles/``."""
    (folder / "labels").mkdir(parents=True)
    (folder / "articles").mkdir()
    for name, label in labels.items():
        (folder / "labels" / f"{name}.json").write_text(json.dumps({"source_file": f"{name}.txt", **label}))
    return folder


def strike(**fields):
    return {"strike_date": "2025-07-01", "admin1": "Kharkiv", "settlement": ["Kharkiv"], **fields}


def strike_fact(source, **fields):
    return {"source_file": source, "strike_date": "2025-07-01", "admin1": "Kharkiv", "settlement": "Kharkiv", **fields}


@pytest.fixture
def two_sets(tmp_path):
    """Two gold sets and one warehouse; the expected counts are noted beside each label."""
    alpha = make_gold_set(
        tmp_path / "alpha",
        {
            # tp, weapon right, source right
            "a1": {"strikes": [strike(weapon="drone", reported_by="Oleh Syniehubov")]},
            # fn, and an fp in Odesa
            "a2": {"strikes": [strike(admin1="Sumy", settlement=["Sumy"])]},
            # casualties tp: killed right, injured wrong, source right
            "a3": {"casualties": [{"incident_date": "2025-07-02", "admin1": "Kherson", "settlement": [None],
                                   "killed": 2, "injured": 3, "reported_by": "Ministry of Defence"}]},
        },
    )  # fmt: skip
    beta = make_gold_set(
        tmp_path / "beta",
        {
            # claim tp, claimant wrong; a strike extra not counted (recall only)
            "b1": {"territorial_claims": [{"claim_date": "2025-07-03", "admin1": "Zaporizhzhia",
                                           "settlement": ["Robotyne"], "claimant_side": "UA",
                                           "claimant": "General Staff"}],
                   "score": {"strikes": "recall"}},
            # two fp strikes (an empty list is a label too)
            "b2": {"strikes": []},
        },
    )  # fmt: skip
    warehouse = make_warehouse(
        tmp_path / "w.duckdb",
        {
            "fct_strike_reports": [
                strike_fact("a1.txt", weapon="drone", reported_by="Kharkiv governor Oleh Syniehubov"),
                strike_fact("a2.txt", admin1="Odesa", settlement="Odesa"),
                strike_fact("b1.txt"),
                strike_fact("b2.txt"),
                strike_fact("b2.txt", settlement=None),
            ],
            "fct_casualty_reports": [
                {"source_file": "a3.txt", "incident_date": "2025-07-02", "admin1": "Kherson", "killed": 2,
                 "injured": 1, "reported_by": "Russian Defense Ministry"},
            ],
            "fct_territorial_claims": [
                {"source_file": "b1.txt", "claim_date": "2025-07-03", "admin1": "Zaporizhzhia",
                 "settlement": "Robotyne", "claimant_side": "UA", "claimant": "Russian defence ministry"},
            ],
        },
    )  # fmt: skip
    return warehouse, gold_folder(alpha), gold_folder(beta)


def counts(scores):
    return {table: (s.tp, s.fp, s.fn) for table, s in scores.items()}


def test_each_folder_scored_on_its_own_and_combined_as_sums(two_sets):
    warehouse, alpha, beta = two_sets
    result = evaluate(warehouse, [alpha, beta], every=10)  # nothing held out in folders this small
    by_folder = [counts(f.scores("all")) for f in result.folders]
    assert by_folder == [
        {"strikes": (1, 1, 1), "casualties": (1, 0, 0), "territorial_claims": (0, 0, 0)},
        {"strikes": (0, 2, 0), "casualties": (0, 0, 0), "territorial_claims": (1, 0, 0)},
    ]
    combined = result.combined()
    assert counts(combined) == {"strikes": (1, 3, 1), "casualties": (1, 0, 0), "territorial_claims": (1, 0, 0)}
    assert combined["strikes"].precision == 0.25
    assert combined["strikes"].recall == 0.5
    assert combined["casualties"].accuracy() == {"killed": 1.0, "injured": 0.0}
    assert [(s.who_ok, s.who_n) for s in combined.values()] == [(1, 1), (1, 1), (0, 1)]
    assert combined["casualties"].attribution_share == 1.0


def test_output_has_a_table_per_folder_then_the_combined_ones(two_sets):
    warehouse, alpha, beta = two_sets
    text = format_evaluation(evaluate(warehouse, [alpha, beta], every=2), attribution=True)
    titles = [line.split("  (")[0] for line in text.splitlines() if "  (" in line and "label files" in line]
    assert titles == [alpha.name, beta.name, "combined", "combined tune", "combined holdout"]
    assert text.splitlines()[0].startswith("split: all")
    assert "reported_by 1/1" in text
    assert "claimant 0/1" in text
    header = next(line for line in text.splitlines() if line.startswith("table"))
    rows = [line for line in text.splitlines() if line.startswith("strikes")]
    assert len(rows) == 5
    assert {row.index("reported_by") for row in rows} == {header.index("attribution")}  # columns line up


def test_json_has_folders_combined_and_both_parts(two_sets, tmp_path):
    warehouse, alpha, beta = two_sets
    data = evaluation_json(evaluate(warehouse, [alpha, beta], every=2), attribution=True)
    assert set(data) == {"split", "holdout_every", "folders", "combined", "combined_tune", "combined_holdout"}
    assert data["folders"][alpha.name]["label_files"] == 3
    assert data["folders"][alpha.name]["holdout"]["label_files"] == 1  # a2
    assert data["combined"]["tables"]["strikes"]["fp"] == 3
    assert data["combined"]["tables"]["territorial_claims"]["attribution"] == {"ok": 0, "n": 1}
    for table in ("strikes", "casualties", "territorial_claims"):
        parts = [data[f"combined_{p}"]["tables"][table] for p in ("tune", "holdout")]
        assert [sum(p[k] for p in parts) for k in ("tp", "fp", "fn")] == [
            data["combined"]["tables"][table][k] for k in ("tp", "fp", "fn")
        ]


@pytest.fixture
def five_files(tmp_path):
    """Label files s0..s4 (one strike each); the warehouse finds the strikes of s1 and s4 only."""
    folder = make_gold_set(tmp_path / "five", {f"s{i}": {"strikes": [strike()]} for i in (4, 2, 0, 3, 1)})
    warehouse = make_warehouse(
        tmp_path / "w.duckdb", {"fct_strike_reports": [strike_fact("s1.txt"), strike_fact("s4.txt")]}
    )
    return warehouse, gold_folder(folder)


def test_held_out_files_are_the_last_of_every_n_by_name(five_files):
    warehouse, folder = five_files
    assert [is_held_out(i, 5) for i in range(10)] == [False] * 4 + [True] + [False] * 4 + [True]
    every_fifth = evaluate(warehouse, [folder], every=5).folders[0]
    assert every_fifth.files == {"tune": 4, "holdout": 1}
    assert counts(every_fifth.scores("holdout"))["strikes"] == (1, 0, 0)  # s4
    assert counts(every_fifth.scores("tune"))["strikes"] == (1, 0, 3)  # s0..s3
    every_second = evaluate(warehouse, [folder], every=2).folders[0]
    assert counts(every_second.scores("holdout"))["strikes"] == (1, 0, 1)  # s1, s3
    assert counts(every_second.scores("tune"))["strikes"] == (1, 0, 2)  # s0, s2, s4
    assert counts(every_second.scores("all"))["strikes"] == (2, 0, 3)


def test_a_split_scores_and_reports_only_its_files(five_files):
    warehouse, folder = five_files
    report: list[str] = []
    result = evaluate(warehouse, [folder], split="holdout", every=2, report=report)
    assert counts(result.combined())["strikes"] == (1, 0, 1)
    assert result.file_count() == 2
    assert [line.split(":")[0] for line in report[1:]] == ["  MISS strikes s3.txt"]
    assert "combined tune" not in format_evaluation(result)


ATTRIBUTION_CASES = [
    ("Oleh Syniehubov", "Kharkiv governor Oleh Syniehubov", True),
    ("Oleh Syniehubov", "Syniehubov's office", True),
    ("Ministry of Defence", "Russian Defense Ministry", True),  # the last word, defence = defense
    ("Ministry of Defence", "Ministry", False),
    ("General Staff", "Ukraine's General Staff", True),
    ("Volodymyr Zelenskyy", "Zelensky", False),  # one word must be equal, not similar
    ("Ihor Terekhov", "Terekhov", True),
    ("Ihor Terekhov", None, False),
    ("", "anyone", False),
    ("Vitaliy Kim", "Vitalii Kim", True),
    ("Serhiy Lysak", "Serhiy Lysak, head of the regional administration", True),
]


@pytest.mark.parametrize(("gold", "extracted", "expected"), ATTRIBUTION_CASES)
def test_attribution_rule(gold, extracted, expected):
    assert source_agrees(gold, extracted) is expected


@needs_shared
def test_attribution_rule_is_the_shared_scorers():
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "tools" / "score.py")
    shared_score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared_score)
    for gold, extracted, expected in ATTRIBUTION_CASES:
        assert shared_score.who_ok(gold, extracted) is expected, (gold, extracted)


@needs_shared
def test_each_folder_same_numbers_as_the_shared_scorer_with_attribution(two_sets, tmp_path):
    warehouse, alpha, beta = two_sets
    ours = evaluation_json(evaluate(warehouse, [alpha, beta]), attribution=True)
    for folder in (alpha, beta):
        out = tmp_path / f"{folder.labels.parent.name}.json"
        command = [sys.executable, str(SHARED / "tools" / "score.py"), str(warehouse), str(folder.labels)]
        subprocess.run([*command, "--attribution", "--json", str(out)], check=True, capture_output=True)
        assert ours["folders"][folder.name]["tables"] == json.loads(out.read_text())


def test_set_folder_or_bare_labels_folder(tmp_path):
    gold_set = make_gold_set(tmp_path / "set", {"x": {}})
    assert gold_folder(gold_set) == GoldFolder(str(gold_set), gold_set / "labels", gold_set / "articles")
    assert gold_folder(gold_set / "labels") == GoldFolder(str(gold_set / "labels"), gold_set / "labels", None)
    with pytest.raises(FileNotFoundError):
        gold_folder(tmp_path / "nowhere")


def test_build_needs_articles_for_every_folder(tmp_path):
    gold_set = gold_folder(make_gold_set(tmp_path / "set", {"x": {}}))
    bare = gold_folder(gold_set.labels)
    assert article_folders([gold_set], None) == [gold_set.articles]
    assert article_folders([gold_set, bare], gold_set.articles) == [gold_set.articles]  # each folder once
    with pytest.raises(ValueError, match="--input"):
        article_folders([bare], None)


def test_build_refuses_an_article_name_in_two_folders(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "same.txt").write_text("date 2025-07-01\ntext")
    with pytest.raises(ValueError, match=r"same\.txt"):
        build_warehouse([first, second], tmp_path / "w.duckdb")


def test_command_line_scores_several_folders(two_sets, tmp_path, capsys):
    warehouse, alpha, beta = two_sets
    out = tmp_path / "scores.json"
    argv = ["evaluate", "--gold", alpha.name, beta.name, "--warehouse", str(warehouse), "--split", "tune"]
    assert cli.main([*argv, "--holdout-every", "3", "--attribution", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("split: tune")
    assert "combined  (2 folders, 4 of 5 label files: tune)" in printed  # a1, a2, b1, b2: a3 is held out
    assert json.loads(out.read_text())["split"] == "tune"


def test_command_line_refuses_a_holdout_of_every_file(two_sets, capsys):
    warehouse, alpha, _ = two_sets
    argv = ["evaluate", "--gold", alpha.name, "--warehouse", str(warehouse), "--holdout-every", "1"]
    assert cli.main(argv) == 1
    assert "--holdout-every" in capsys.readouterr().err
