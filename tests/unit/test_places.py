import polars as pl
import pytest

from flows.parse.places import place_mentions
from flows.parse.text import sentences


@pytest.fixture(scope="module")
def mentions_of(small_gazetteer):
    places, aliases = small_gazetteer

    def _run(text: str) -> pl.DataFrame:
        s = sentences(pl.DataFrame({"article_id": ["a"], "body": [text]}))
        return place_mentions(s, places, aliases).sort("mention_start")

    return _run


@pytest.mark.parametrize(
    ("text", "place", "feature_type", "admin1"),
    [
        ("Drones hit Kharkiv.", "Kharkiv", "settlement", "Kharkiv"),
        ("Drones hit Kharkov.", "Kharkiv", "settlement", "Kharkiv"),
        ("Drones hit the Kharkiv region.", "Kharkiv", "oblast", "Kharkiv"),
        ("Shelling in Kharkiv Oblast continued.", "Kharkiv", "oblast", "Kharkiv"),
        ("Explosions in Mikołajów were heard.", "Mykolaiv", "settlement", "Mykolaiv"),
        ("A drone hit Kostyantynivka.", "Kostiantynivka", "settlement", "Donetsk"),
        ("Russia attacked the Nikopol district.", "Nikopol", "raion", "Dnipropetrovsk"),
        ("Missiles struck Kiev.", "Kyiv", "settlement", "Kyiv City"),
        ("Drones struck Belgorod.", "Belgorod", "settlement", "Belgorod"),
    ],
)
def test_names_resolve_to_one_place(mentions_of, text, place, feature_type, admin1):
    row = mentions_of(text).row(0, named=True)
    assert (row["place_name"], row["feature_type"], row["admin1"]) == (place, feature_type, admin1)
    assert row["location_id"] is not None


def test_namesake_villages_are_disambiguated_by_the_region_named_near_them(mentions_of):
    row = mentions_of("Russia captured Zelenyi Hai in the Zaporizhzhia region.").row(0, named=True)
    assert row["admin1"] == "Zaporizhzhia"
    assert row["settlement"] == "Zelenyi Hai"


def test_ambiguous_village_without_region_is_not_guessed(mentions_of):
    out = mentions_of("Fighting near the village of Zelenyi Hai went on.")
    row = out.row(0, named=True)
    assert row["location_id"] is None
    assert row["admin1"] is None


def test_unlisted_village_keeps_its_written_name_and_the_region(mentions_of):
    out = mentions_of("The governor of Russia's Kursk region said a drone hit the village of Obesta.")
    row = out.filter(pl.col("feature_type") == "settlement").row(0, named=True)
    assert (row["settlement"], row["admin1"], row["country_code"], row["location_id"]) == (
        "Obesta",
        "Kursk",
        "RU",
        None,
    )


def test_person_names_are_not_places(mentions_of):
    # Volodymyr is also a city in Volyn; here it is a first name.
    assert mentions_of("Volodymyr Zelenskyy spoke on television.").height == 0


def test_capital_standing_for_government_is_a_reference(mentions_of):
    out = mentions_of("The attacks were a response to Kyiv's proposal.")
    assert out["is_reference"].to_list() == [True]
    assert mentions_of("Missiles struck Kyiv overnight.")["is_reference"].to_list() == [False]


def test_place_inside_a_longer_capitalised_name_is_not_a_mention(mentions_of):
    # "Kryvyi Rih" followed by a word that is not a title ("Mayor", "Oblast"):
    # the phrase names an organisation, not the city.
    assert mentions_of("He studied at the Kryvyi Rih Institute.").height == 0
    assert mentions_of("Kryvyi Rih Mayor Oleksandr Vilkul said a missile hit the city.")["place_name"].to_list()[0] == (
        "Kryvyi Rih"
    )
