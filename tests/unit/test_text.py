import polars as pl
from polars.testing import assert_frame_equal

from flows.parse.text import find_all, sentences


def _sentences(body: str) -> pl.DataFrame:
    return sentences(pl.LazyFrame({"article_id": ["a"], "body": [body]})).collect()


def test_sentence_offsets_point_into_the_body():
    body = "Russian drones hit Sumy. Three people were hurt!\n\nU.S. officials said Mr. Smith left. Next one"
    out = _sentences(body)
    assert out["sentence"].to_list() == [
        "Russian drones hit Sumy.",
        "Three people were hurt!",
        "U.S. officials said Mr. Smith left.",
        "Next one",
    ]
    assert out["paragraph_index"].to_list() == [0, 0, 1, 1]
    for row in out.iter_rows(named=True):
        assert body[row["sentence_start"] : row["sentence_end"]] == row["sentence"]


def test_machine_translation_without_space_after_full_stop():
    out = _sentences("Journalists are a target.The convoy was shelled by artillery.")
    assert out["sentence"].to_list() == ["Journalists are a target.", "The convoy was shelled by artillery."]


def test_find_all_gives_offsets():
    lf = pl.LazyFrame({"article_id": ["a", "b"], "sentence_index": [0, 0], "sentence": ["x drone y drones", "none"]})
    out = find_all(lf, "sentence", r"drones?", "w").collect().select("article_id", "w_text", "w_start", "w_end")
    expected = pl.DataFrame(
        {"article_id": ["a", "a"], "w_text": ["drone", "drones"], "w_start": [2, 10], "w_end": [7, 16]}
    )
    assert_frame_equal(out, expected, check_dtypes=False)


def test_lower_case_first_sentence_starts_at_zero():
    out = _sentences("x")
    assert out.select("sentence_index", "sentence").rows() == [(0, "x")]
