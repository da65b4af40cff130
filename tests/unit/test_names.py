import pytest

from flows.parse.names import key_of


@pytest.mark.parametrize(
    "variants",
    [
        ["Kostiantynivka", "Kostyantynivka"],
        ["Zeleniy Hai", "Zelenyi Hai", "Zelenyy Hay"],
        ["Kharkov", "Charków"],
        ["Sievierodonetsk", "Severodonetsk"],
        ["Dzhankoi", "Dżankoj", "Dzhankoy"],
    ],
)
def test_spelling_variants_share_a_key(variants):
    assert len({key_of(v) for v in variants}) == 1


def test_different_places_keep_different_keys():
    assert key_of("Kharkiv") != key_of("Kherson")
