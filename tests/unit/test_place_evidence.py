"""Place phrases resolved with evidence (issue 9): region qualifiers, offices, names that are
also words, landmarks. Sentences are written for these tests, not taken from any data set."""

import datetime as dt

import pytest

PUBLISHED = dt.date(2024, 5, 20)


def _places(frames, table="strike_reports"):
    return [(r["place_name"], r["feature_type"], r["admin1"]) for r in frames[table].sort("mention_start").to_dicts()]


def _mentions(frames):
    return {
        (r["mention_text"], r["feature_type"], r["admin1"], r["is_reference"])
        for r in frames["place_mentions"].to_dicts()
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the oblast after a comma qualifies the place: one row, in that oblast
        (
            "On 19 May 2024, Russian forces shelled Kupiansk, Kharkiv, with artillery.",
            [("Kupiansk", "settlement", "Kharkiv")],
        ),
        (
            "On 19 May 2024, Russian drones struck near Huliaipole, Zaporizhia region.",
            [("Huliaipole", "settlement", "Zaporizhzhia")],
        ),
        ("On 19 May 2024, Russian artillery hit Bilozerka (Kherson).", [("Bilozerka", "settlement", "Kherson")]),
    ],
)
def test_region_qualifier_names_one_place(run_extract, sentence, expected):
    assert _places(run_extract([sentence], PUBLISHED)) == expected


def test_region_qualifier_picks_the_namesake_in_that_region(run_extract):
    # dozens of villages are called Pokrovske: the qualifier decides, no second row for the region
    rows = _places(run_extract(["On 19 May 2024, Russian forces fired mortars at Pokrovske, Chernihiv."], PUBLISHED))
    assert rows == [("Pokrovske", "settlement", "Chernihiv")]


def test_qualified_place_missing_from_the_gazetteer_keeps_its_name_and_region(run_extract):
    rows = _places(run_extract(["On 19 May 2024, Russian forces shelled near Zarichnobrodske, Sumy."], PUBLISHED))
    assert rows == [("Zarichnobrodske", "settlement", "Sumy")]


def test_a_list_of_cities_is_not_a_qualifier(run_extract):
    rows = _places(run_extract(["Russian missiles hit Sumy, Poltava and Odesa on Sunday."], PUBLISHED))
    assert rows == [
        ("Sumy", "settlement", "Sumy"),
        ("Poltava", "settlement", "Poltava"),
        ("Odesa", "settlement", "Odesa"),
    ]


def test_an_office_is_not_the_scene_when_the_sentence_names_one(run_extract):
    frames = run_extract(
        ["Oleh Syniehubov, the Kharkiv regional governor, said Russian shelling hit Balakliia."], PUBLISHED
    )
    assert [p for p, *_ in _places(frames)] == ["Balakliia"]
    assert frames["strike_reports"]["reported_by"].to_list() == ["Oleh Syniehubov"]


def test_an_office_alone_is_the_scene(run_extract):
    rows = run_extract(["Poltava Mayor Viktor Ivanov said four people were injured on Sunday."], PUBLISHED)[
        "casualty_reports"
    ].to_dicts()
    assert [(r["place_name"], r["injured"], r["reported_by"]) for r in rows] == [("Poltava", 4, "Viktor Ivanov")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Many people fled when the shelling began on Sunday.",  # an English word ("Many")
        "Sasha said the shelling began on Sunday.",  # a given name
        "Officials in Berlin said the strike on Sunday was a war crime.",  # a world city
    ],
)
def test_words_names_and_world_cities_are_not_villages(run_extract, sentence):
    frames = run_extract([sentence], PUBLISHED)
    assert frames["place_mentions"].height == 0
    assert frames["strike_reports"].height == 0


def test_a_word_named_village_with_strong_evidence_is_kept(run_extract):
    # a designator-like cue: "the village of"
    mentions = _mentions(
        run_extract(["Russian drones struck the village of Hai in the Chernihiv region on Sunday."], PUBLISHED)
    )
    assert ("Hai", "settlement", "Chernihiv", False) in mentions


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        (
            "Russian forces shelled the Zaporizhzhia nuclear power plant on Sunday.",
            ("Enerhodar", "settlement", "Zaporizhzhia"),
        ),
        (
            "Drones were shot down, but a warehouse in the east of the Russian capital was hit on Sunday.",
            ("Moscow", "settlement", "Moscow City"),
        ),
    ],
)
def test_landmarks_and_descriptions_name_their_place(run_extract, sentence, place):
    assert _places(run_extract([sentence], PUBLISHED)) == [place]


def test_a_hashtag_keeps_the_locative_cue(run_extract):
    rows = _places(run_extract(["Today russians shelled a school in #Zolochiv, Kharkiv region."], PUBLISHED))
    assert rows == [("Zolochiv", "settlement", "Kharkiv")]


def test_a_city_district_is_its_city(run_extract):
    rows = _places(run_extract(["A Russian missile hit the Shevchenkivskyi district of Kyiv on Sunday."], PUBLISHED))
    assert rows == [("Kyiv", "settlement", "Kyiv City")]


def test_a_city_quarter_is_its_city_not_a_village_of_that_name(run_extract):
    # GeoNames lists city quarters as towns; a village named like a quarter must not take its size
    rows = _places(run_extract(["On 19 May 2024, Russian missiles hit the Podil district."], PUBLISHED))
    assert rows == [("Kyiv", "settlement", "Kyiv City")]


def test_city_sections_are_found_by_distance_and_size():
    import polars as pl

    from flows.gazetteer import _city_sections

    matches = pl.DataFrame(
        {"category": ["M"], "geonameid": [1], "latitude": [50.0], "longitude": [30.0], "population": [300_000]}
    )
    geonames = pl.DataFrame(
        {
            "geonameid": [1, 2, 3, 4],
            "latitude": [50.0, 50.03, 50.2, 50.02],  # the city; a quarter 3 km off; a town 22 km off; ...
            "longitude": [30.0, 30.0, 30.0, 30.0],
            "population": [300_000, 30_000, 30_000, 200_000],  # ... and a big neighbour 2 km off
        }
    )
    assert _city_sections(matches, geonames)["geonameid"].to_list() == [2]


def test_a_landmark_is_one_mention_not_two(run_extract):
    # "the Kakhovka dam" names Nova Kakhovka; its "Kakhovka" is not a second mention at the same
    # offset (two mentions at one offset fail validation and both end in quarantine)
    frames = run_extract(["Ukrainian officials said shelling hit the Kakhovka dam on 19 May 2024."], PUBLISHED)
    assert [(r["mention_text"], r["place_name"]) for r in frames["place_mentions"].to_dicts()] == [
        ("Kakhovka dam", "Nova Kakhovka")
    ]
