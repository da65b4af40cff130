"""Classes of events, non-events, sides, attribution and dates (issue 9). Each test is a short
sentence written for it; none is taken from a labelled data set."""

import datetime as dt

import pytest

PUBLISHED = dt.date(2024, 5, 20)


def _rows(frames, table):
    return frames[table].sort("sentence_index", "mention_start").to_dicts()


# ---------- what is not a strike


@pytest.mark.parametrize(
    "sentence",
    [
        "Air defence shot down 14 Russian drones over the Vinnytsia region overnight.",
        "Ukrainian forces intercepted two cruise missiles near Uman on Sunday.",
        "On 19 May 2024, a tractor driver was injured when he stepped on a landmine near Izium, Kharkiv.",
        "On 19 May 2024, sappers defused an unexploded shell in Bucha.",
        "Shoigu said Kyiv was preparing a strike against Sevastopol.",
        "Some towns like Kupiansk, still under constant shelling, are nearly empty.",
        "He toured Irpin, seeing the scorched buildings left behind by Russian shelling of the city.",
        "Houses in Bucha still bear the scars of Russian shelling.",
    ],
)
def test_not_a_strike(run_extract, sentence):
    assert _rows(run_extract([sentence], PUBLISHED), "strike_reports") == []


def test_an_interception_with_damage_is_a_strike(run_extract):
    rows = _rows(
        run_extract(
            ["Air defence shot down most drones, but debris damaged a house in Bila Tserkva on Sunday."], PUBLISHED
        ),
        "strike_reports",
    )
    assert [r["place_name"] for r in rows] == ["Bila Tserkva"]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 19 May 2024, Russian forces carried out airstrikes near Vovchansk, Kharkiv.",
        "On 19 May 2024, Russian forces fired mortars at Vovchansk, Kharkiv.",
        "On 19 May 2024, a Ukrainian drone dropped explosives on a truck in Vovchansk, Kharkiv.",
    ],
)
def test_strike_words_of_event_notes(run_extract, sentence):
    rows = _rows(run_extract([sentence], PUBLISHED), "strike_reports")
    assert [(r["place_name"], r["strike_date"]) for r in rows] == [("Vovchansk", dt.date(2024, 5, 19))]


@pytest.mark.parametrize(
    "second",
    [
        "Later, a missile hit a residential area of the city.",
        "A drone struck the outskirts of the town at night.",
    ],
)
def test_a_strike_on_part_of_the_place_named_before(run_extract, second):
    text = f"Reporters saw burnt-out Russian tanks outside Kharkiv on 19 May 2024. {second}"
    rows = _rows(run_extract([text], PUBLISHED), "strike_reports")
    assert [r["place_name"] for r in rows] == ["Kharkiv"]


def test_the_place_a_capture_verb_governs_is_not_a_strike_target(run_extract):
    frames = run_extract(
        [
            "Russian troops captured the town of Ocheretyne, the ministry said, as Moscow launched missile attacks on Odesa."
        ],
        PUBLISHED,
    )
    assert [r["place_name"] for r in _rows(frames, "strike_reports")] == ["Odesa"]


# ---------- sides


@pytest.mark.parametrize(
    ("sentence", "side"),
    [
        ("Drones attacked Sevastopol overnight, the city's governor said.", "UA"),  # Crimea is attacked by Ukraine
        (
            "Russian-installed official Ivan Petrov said shelling hit Horlivka on Sunday.",
            "UA",
        ),  # an occupation official
        ("Shelling hit Kostiantynivka on Sunday.", "RU"),  # by the target's country
        ("A warehouse in the west of the Russian capital was hit on Sunday.", "UA"),  # "Russian" is the target's
        (
            "The Russian Defence Ministry said its missiles struck Ukrainian airfields in the Poltava region on Sunday.",
            "RU",
        ),
    ],
)
def test_perpetrator_side(run_extract, sentence, side):
    rows = _rows(run_extract([sentence], PUBLISHED), "strike_reports")
    assert rows
    assert {r["perpetrator_side"] for r in rows} == {side}


# ---------- attribution


def test_reported_by_is_the_cited_source_not_the_perpetrator(run_extract):
    rows = _rows(
        run_extract(["Russian forces shelled Nikopol on Sunday, the regional governor Serhiy Lysak said."], PUBLISHED),
        "strike_reports",
    )
    assert [r["reported_by"] for r in rows] == ["Serhiy Lysak"]
    rows = _rows(run_extract(["Russian forces shelled Nikopol on Sunday."], PUBLISHED), "strike_reports")
    assert [r["reported_by"] for r in rows] == [None]


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("According to the Ukrainian Air Force, Russian drones struck Kremenchuk on Sunday.", "Ukrainian Air Force"),
        ("Russian missiles hit Kremenchuk on Sunday, Ukrainian officials said.", "Ukrainian officials"),
        (
            "According to the head of the Poltava Regional Military Administration, Russian drones struck Kremenchuk on Sunday.",
            "head of the Poltava Regional Military Administration",
        ),
    ],
)
def test_bodies_and_offices_as_sources(run_extract, sentence, source):
    rows = _rows(run_extract([sentence], PUBLISHED), "strike_reports")
    assert [r["reported_by"] for r in rows] == [source]


def test_claimant_is_the_cited_source(run_extract):
    rows = _rows(
        run_extract(
            ["Russian troops captured the village of Ocheretyne on Sunday, the TASS news agency reported."], PUBLISHED
        ),
        "territorial_claims",
    )
    assert [(r["place_name"], r["claimant"], r["gaining_side"]) for r in rows] == [
        ("Ocheretyne", "TASS news agency", "RU")
    ]


def test_a_goal_is_not_a_claim(run_extract):
    frames = run_extract(["Syrskyi said Russia had tasked its troops with capturing Chasiv Yar by May 9."], PUBLISHED)
    assert _rows(frames, "territorial_claims") == []


# ---------- casualties


@pytest.mark.parametrize(
    "sentence",
    [
        "Over a million people perished in the battle for Volgograd.",
        "Thousands of civilians were killed in Mariupol.",
    ],
)
def test_a_count_in_thousands_or_millions_is_a_tally_not_an_incident(run_extract, sentence):
    assert _rows(run_extract([sentence], PUBLISHED), "casualty_reports") == []


def test_casualties_in_their_own_paragraph_take_the_strike_place_and_date(run_extract):
    text = "Russian missiles hit Chernihiv on Saturday.\n\nThree people were killed and 12 injured, the mayor said."
    rows = _rows(run_extract([text], PUBLISHED), "casualty_reports")
    assert [(r["place_name"], r["incident_date"], r["killed"], r["injured"]) for r in rows] == [
        ("Chernihiv", dt.date(2024, 5, 18), 3, 12)
    ]


def test_a_regional_office_count_goes_to_the_town_named_before(run_extract):
    text = "Russian artillery shelled Selydove on Sunday. According to the Donetsk regional military administration, two civilians were killed."
    rows = _rows(run_extract([text], PUBLISHED), "casualty_reports")
    assert [(r["place_name"], r["killed"]) for r in rows] == [("Selydove", 2)]


def test_dead_and_wounded_without_a_number(run_extract):
    rows = _rows(
        run_extract(["Russian drones hit Kherson on Sunday. There are dead and wounded."], PUBLISHED),
        "casualty_reports",
    )
    assert [(r["place_name"], r["killed"], r["injured"], r["count_qualifier"]) for r in rows] == [
        ("Kherson", None, None, "multiple")
    ]


# ---------- dates


def test_an_old_strike_dated_to_the_day_is_kept(run_extract):
    rows = _rows(
        run_extract(["On 1 March 2022, a Russian missile hit the TV tower in Kyiv."], PUBLISHED), "strike_reports"
    )
    assert [(r["place_name"], r["strike_date"]) for r in rows] == [("Kyiv", dt.date(2022, 3, 1))]


def test_an_old_strike_without_its_own_day_is_background(run_extract):
    rows = _rows(run_extract(["In 2022, Russian missiles hit Kyiv."], PUBLISHED), "strike_reports")
    assert rows == []


def test_ordinal_of_month_dates(run_extract):
    rows = _rows(run_extract(["On the 4th of May Russian forces shelled Kherson."], PUBLISHED), "strike_reports")
    assert [(r["strike_date"], r["date_precision"]) for r in rows] == [(dt.date(2024, 5, 4), "day")]


def test_bodies_are_counts_of_the_dead_and_a_suburb_is_the_scene(run_extract):
    text = "On March 30, police found the bodies of at least 15 civilians in the Kyiv suburb of Irpin."
    rows = _rows(run_extract([text], PUBLISHED), "casualty_reports")
    assert [(r["place_name"], r["killed"], r["count_qualifier"]) for r in rows] == [("Irpin", 15, "at_least")]


def test_shells_as_a_noun_are_not_a_strike(run_extract):
    assert (
        _rows(
            run_extract(["Its troops advance near Kupiansk using more artillery shells."], PUBLISHED), "strike_reports"
        )
        == []
    )
    rows = _rows(run_extract(["Russia shells Kupiansk again."], PUBLISHED), "strike_reports")
    assert [r["place_name"] for r in rows] == ["Kupiansk"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("On May 12, Russia claimed to have taken the village of Ocheretyne.", [("Ocheretyne", "capture", "RU")]),
        ("On May 12, Moscow announced the withdrawal of its troops from Kupiansk.", [("Kupiansk", "withdrawal", "UA")]),
        ("On May 12, Ukraine launched an offensive to retake Kupiansk.", []),
        # a country or capital as the subject is the side that gains
        ("On May 12, Ukraine said Russia captured the village of Ocheretyne.", [("Ocheretyne", "capture", "RU")]),
        (
            "Moscow has had the advantage since capturing the town of Ocheretyne on May 12, and its forces advance.",
            [("Ocheretyne", "capture", "RU")],
        ),
        ("It is hard to believe that Europe has taken leave of its senses, he said in Minsk on May 12.", []),
        ("Officials who have taken part in the talks in Kupiansk on May 12 said nothing.", []),
    ],
)
def test_claim_phrasings(run_extract, sentence, expected):
    rows = _rows(run_extract([sentence], PUBLISHED), "territorial_claims")
    assert [(r["place_name"], r["claim_type"], r["gaining_side"]) for r in rows] == expected


def test_a_place_named_twice_in_one_claim_is_one_claim(run_extract):
    # two rows with one key would fail validation and both end in quarantine
    text = "On May 12, Ukrainian troops recaptured Kherson and pushed Russian forces out of Kherson."
    rows = _rows(run_extract([text], PUBLISHED), "territorial_claims")
    assert [(r["place_name"], r["claim_type"]) for r in rows] == [("Kherson", "recapture")]


def test_a_source_referred_back_to(run_extract):
    text = (
        "Russia's Defense Ministry said Kyiv had launched drones at the city.\n\n"
        "A warehouse in the west of the Russian capital was hit on Sunday, the ministry said."
    )
    rows = _rows(run_extract([text], PUBLISHED), "strike_reports")
    assert [(r["place_name"], r["reported_by"], r["perpetrator_side"]) for r in rows] == [
        ("Moscow", "Russia's Defense Ministry", "UA")
    ]


def test_the_outlet_that_relays_a_source_is_not_the_source(run_extract):
    text = (
        "The Institute for the Study of War (ISW) said this in a new assessment, Ukrinform reports.\n\n"
        "The institute believes that the attack on a TV tower in Kharkiv on Monday was planned."
    )
    rows = _rows(run_extract([text], PUBLISHED), "strike_reports")
    assert [(r["place_name"], r["reported_by"]) for r in rows] == [("Kharkiv", "Institute for the Study of War (ISW)")]


def test_a_neutral_body_that_witnessed_a_fact_reports_it(run_extract):
    rows = _rows(
        run_extract(["On May 12, Reuters found the bodies of 12 civilians in a street of Vovchansk."], PUBLISHED),
        "casualty_reports",
    )
    assert [(r["killed"], r["reported_by"]) for r in rows] == [(12, "Reuters")]
    # a side's forces that find something are actors, not a source
    rows = _rows(
        run_extract(
            ["Russian troops found a depot in Vovchansk.\n\nShelling killed two people there on May 12."], PUBLISHED
        ),
        "casualty_reports",
    )
    assert [r["reported_by"] for r in rows] == [None]


def test_reporting_verbs_beyond_said_name_the_speaker(run_extract):
    text = (
        "An admiral said the war would be long. "
        "But Volodymyr Zelensky boasted on May 19 that drones had struck a depot in Dzhankoi."
    )
    rows = _rows(run_extract([text], PUBLISHED), "strike_reports")
    assert [(r["place_name"], r["reported_by"]) for r in rows] == [("Dzhankoi", "Volodymyr Zelensky")]


def test_a_country_named_as_an_object_is_not_the_speaker(run_extract):
    # "bordering Russia reported": Russia is the object of "bordering"; the authorities speak
    text = "Authorities in Ukraine's Sumy oblast bordering Russia reported 51 attacks by Russian forces on May 19."
    rows = _rows(run_extract([text], PUBLISHED), "strike_reports")
    assert [(r["admin1"], r["reported_by"]) for r in rows] == [("Sumy", "Authorities in Ukraine's Sumy oblast")]


def test_facts_do_not_depend_on_the_other_articles_of_a_batch(run_extract):
    texts = [
        "Russia's Defense Ministry said Kyiv had launched drones.\n\nA depot in Bryansk was hit on Sunday, the ministry said.",
        "Kharkiv Mayor Ihor Terekhov said the city was calm.\n\nTwo people were injured in Kharkiv on Sunday, he said.",
        "The governor said Russian shelling hit Nikopol on Sunday. Three people were killed.",
        "Ukrainian officials said missiles struck Odesa on Saturday.\n\nThe strike hit the port, they said.",
    ]
    for table, detail in (("strike_reports", "perpetrator_side"), ("casualty_reports", "killed")):
        columns = ["article_id", "sentence_index", "place_name", "reported_by", detail]
        together = run_extract(texts, PUBLISHED)[table].select(columns).sort(columns[:3]).to_dicts()
        alone = [row for text in texts for row in run_extract([text], PUBLISHED)[table].select(columns).to_dicts()]
        assert together == sorted(alone, key=lambda r: (r["article_id"], r["sentence_index"], r["place_name"]))


def test_in_a_long_article_an_undated_quoted_mention_is_background(run_extract):
    text = (
        "The talks resumed in Geneva. Delegates met for four hours. The mood was tense. "
        "Prices rose again in Europe. Analysts expect more sanctions. "
        # a long article: more than five sentences and 1,000 characters
        + "Grain exports through the Black Sea ports were discussed at length by the delegations. "
        * 12
        + "The archbishop said that Mariupol was barbarously bombarded. "
        "On Sunday, Russian missiles hit Odesa, the regional governor said."
    )
    rows = _rows(run_extract([text], PUBLISHED), "strike_reports")
    assert [r["place_name"] for r in rows] == ["Odesa"]


def test_more_injured_after_a_killed_count(run_extract):
    rows = _rows(
        run_extract(["Shelling hit Kherson on Sunday: one person was killed and five more injured."], PUBLISHED),
        "casualty_reports",
    )
    assert [(r["killed"], r["injured"]) for r in rows] == [(1, 5)]
