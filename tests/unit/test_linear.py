"""The parser's work grows linearly with the density of a sentence or a paragraph.

Checked by structure, not by time: every join of the parser is counted (its output
rows), on a text and on one twice as dense. Pairing each place with every other
place of its sentence or paragraph makes the count grow four-fold; bounded joins
(``flows.parse.window``) and the split of runaway sentences keep it near two-fold.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from flows.parse import window
from flows.parse.extract import parse
from flows.parse.text import MAX_SENTENCE_CHARS, sentences

#: Short strike, casualty, claim and speaker sentences: each pairs places, counts,
#: weapons, claim verbs and sources, and all of them stay in one paragraph.
REPORT = (
    "Russian drones and Iskander missiles hit {0} in the {1} region, killing two people and injuring five. "
    "The governor said Russian troops captured {2}. He added that shelling hit the city. "
)


def _dense_paragraph(places: list[str], oblasts: list[str], count: int) -> str:
    return "".join(
        REPORT.format(places[i % len(places)], oblasts[i % len(oblasts)], places[(i + 7) % len(places)])
        for i in range(count)
    )


def _dense_sentence(places: list[str], count: int) -> str:
    names = ", ".join(places[i % len(places)] for i in range(count))
    return f"Russian troops captured and Iskander missiles hit {names}, killing two people"


def _join_rows(monkeypatch, body: str, small_gazetteer) -> int:
    """Rows produced by all the joins of one parse of ``body``."""
    produced = []
    join = pl.LazyFrame.join

    def counting_join(self, *args, **kwargs):
        out = join(self, *args, **kwargs).collect()
        produced.append(out.height)
        return out.lazy()

    monkeypatch.setattr(pl.LazyFrame, "join", counting_join)
    places, aliases = small_gazetteer
    documents = pl.DataFrame({"article_id": ["a"], "published_date": [dt.date(2024, 7, 1)], "body": [body]})
    parse(documents, places, aliases)
    monkeypatch.undo()
    return sum(produced)


@pytest.fixture(scope="module")
def names(small_gazetteer):
    places, _ = small_gazetteer
    cities = places.filter((pl.col("feature_type") == "settlement") & (pl.col("population") > 50_000))
    oblasts = places.filter(pl.col("feature_type") == "oblast")
    return sorted(cities["name"].unique().to_list()), sorted(oblasts["name"].unique().to_list())


def test_joins_grow_linearly_with_a_dense_paragraph(monkeypatch, small_gazetteer, names):
    cities, oblasts = names
    small = _join_rows(monkeypatch, _dense_paragraph(cities, oblasts, 60), small_gazetteer)
    large = _join_rows(monkeypatch, _dense_paragraph(cities, oblasts, 120), small_gazetteer)
    assert large / small < 2.4, (small, large)


def test_joins_grow_linearly_with_a_dense_sentence(monkeypatch, small_gazetteer, names):
    cities, _ = names
    small_text, large_text = _dense_sentence(cities, 40), _dense_sentence(cities, 80)
    assert len(large_text) < MAX_SENTENCE_CHARS  # one sentence, not cut: the joins inside it are bounded
    small = _join_rows(monkeypatch, small_text, small_gazetteer)
    large = _join_rows(monkeypatch, large_text, small_gazetteer)
    assert large / small < 2.4, (small, large)


def test_a_runaway_sentence_is_cut_at_word_ends_with_exact_offsets():
    body = "Drones struck " + "Kharkiv, Sumy and Dnipro " * 4000 + "overnight. Two were hurt."
    out = sentences(pl.DataFrame({"article_id": ["a"], "body": [body]}))
    assert out.height > len(body) // (MAX_SENTENCE_CHARS + 100)
    assert out["sentence"].str.len_chars().max() <= MAX_SENTENCE_CHARS + 100
    assert out["sentence_index"].to_list() == list(range(out.height))
    assert out["paragraph_index"].unique().to_list() == [0]
    for row in out.iter_rows(named=True):
        assert body[row["sentence_start"] : row["sentence_end"]] == row["sentence"]
    # cut between words: every piece ends with a whole word
    assert set(out["sentence"].str.extract(r"(\w+)\W*$", 1)) <= {
        "Kharkiv",
        "Sumy",
        "and",
        "Dnipro",
        "overnight",
        "hurt",
    }
    assert out["sentence"][-1] == "Two were hurt."


def test_a_sentence_under_the_limit_keeps_its_index():
    body = "First. " + "x" * 10 + " " + "Second one. Third."
    out = sentences(pl.DataFrame({"article_id": ["a"], "body": [body]}))
    assert out["sentence_index"].to_list() == list(range(out.height))


def test_neighbours_pair_a_row_with_at_most_the_window():
    right = pl.LazyFrame({"g": [1] * 10_000, "y": list(range(10_000))})
    left = pl.LazyFrame({"g": [1, 1, 2], "x": [5_000, 0, 3]})
    out = window.neighbours(left, right, ["g"], ["x"], ["y"], before=3, after=2).collect()
    pairs = sorted(out.select("x", "y").rows())
    assert pairs == [(0, 0), (0, 1), (5_000, 4_997), (5_000, 4_998), (5_000, 4_999), (5_000, 5_000), (5_000, 5_001)]


def test_neighbours_equal_the_full_join_when_groups_are_small():
    left = pl.LazyFrame({"g": [1, 1, 2, 3, None], "x": [5, 15, 0, 7, 1]})
    right = pl.LazyFrame({"g": [1, 1, 1, 1, 2, 2, None], "y": [1, 5, 10, 20, 50, 60, 1]})
    full = left.join(right, on="g").collect().sort("g", "x", "y")
    assert (
        window.neighbours(left, right, ["g"], ["x"], ["y"], before=4, after=5)
        .collect()
        .sort("g", "x", "y")
        .equals(full)
    )
