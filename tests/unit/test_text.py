import polars as pl
import pytest
from polars.testing import assert_frame_equal

from flows.parse import casualties, claims, dates, strikes
from flows.parse.text import find_all, sentences


def _sentences(body: str) -> pl.DataFrame:
    return sentences(pl.DataFrame({"article_id": ["a"], "body": [body]}))


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


@pytest.mark.parametrize(
    "pattern",
    [
        strikes.EVENT_WORD,
        strikes.WEAPON,
        strikes.EXCLUSION,
        casualties.TALLY,
        claims.NOT_A_CLAIM,
        dates.DATE_PATTERN,
    ],
)
def test_ascii_word_boundaries_match_like_unicode_ones_on_english_text(pattern):
    """The speed-up must not change a match: curly quotes, dashes and accented
    names around English words are where the two kinds of boundary could differ."""
    unicode_pattern = pattern.replace(r"(?-u:\b)", r"\b")
    frame = pl.DataFrame({"s": ENGLISH_WITH_UNICODE})
    fast = frame.select(pl.col("s").str.extract_all(pattern)).to_series().to_list()
    slow = frame.select(pl.col("s").str.extract_all(unicode_pattern)).to_series().to_list()
    assert fast == slow


ENGLISH_WITH_UNICODE = [
    "“Drones attacked Kharkiv overnight,” said the governor — three people were killed.",
    "Russia’s missile strike on Mykolaïv’s port killed two; ‘shelling’ continued on 26 July.",
    "Ukraine’s forces shot down 40 Shahed drones… no casualties were reported in Zaporizhzhia.",
    "The Mikołajów and Charków attacks — since the start of the war — a total of 1,200 killed.",
    "Since 2014 Russian troops tried to capture Avdiivka; on Saturday they captured tanks.",
    "Şahed-type UAVs struck Odesa’s port ‘twice’ last week, wounding 5 civilians.",
]


def test_find_all_offsets_hold_with_groups_and_unicode():
    text = "Ataka: Kharkiv’s Zelenyi Hai, then Mikołajów and Kyiv"
    lf = pl.LazyFrame({"article_id": ["a"], "sentence_index": [0], "sentence": [text]})
    out = find_all(lf, "sentence", r"\p{Lu}\w+(?: (H)\w+)?", "w").collect()
    assert out["w_text"].to_list() == ["Ataka", "Kharkiv", "Zelenyi Hai", "Mikołajów", "Kyiv"]
    for row in out.iter_rows(named=True):
        assert text[row["w_start"] : row["w_end"]] == row["w_text"]
