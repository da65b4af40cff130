"""Property-based tests: the extractor never raises on arbitrary or adversarial text,
and every row it emits passes the staging schemas (fixed seed, bounded examples)."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.validate import validate

PLACES = ["Kharkiv", "Sumy region", "Kostyantynivka", "the village of Obesta", "Kyiv's", "Zelenyi Hai", "Mikołajów"]
WORDS = [
    "Russian", "Ukrainian", "drone", "missile", "strike", "attacked", "killed", "injured", "captured", "liberated",
    "at least", "dozens", "three", "twenty-one", "on July 26", "yesterday", "said", "denied", "could not be verified",
    "99999999999", "1,000,000", ".", ",", "--", "\n\n", "“", "”", "Київ", "Харків", "😀", "\u200b", "\t",
]  # fmt: skip
adversarial = st.lists(st.sampled_from(WORDS + PLACES), min_size=0, max_size=300).map(" ".join)
arbitrary = st.text(min_size=1, max_size=2000)
long_sentence = st.integers(min_value=1, max_value=1000).map(lambda n: " ".join(["Kharkiv Sumy Odesa"] * n))
no_punctuation = st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=5000)
huge_numbers = st.integers(min_value=0, max_value=10**30).map(lambda n: f"{n} people were killed in Kharkiv.")
texts = st.one_of(adversarial, arbitrary, long_sentence, no_punctuation, huge_numbers)


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(bodies=st.lists(texts, min_size=1, max_size=3), published=st.dates(dt.date(2014, 1, 1), dt.date(2030, 1, 1)))
def test_extractor_never_raises_and_rows_pass_the_schemas(run_extract, bodies, published):
    # Ingest stores each distinct content once and never an empty body.
    bodies = list(dict.fromkeys(b for b in bodies if b.strip())) or ["x"]
    frames = run_extract(bodies, published)
    valid, quarantine = validate(frames, "property-test")
    assert quarantine.height == 0, quarantine.to_dicts()[:3]
    for table, frame in frames.items():
        assert valid[table].height == frame.height, table
