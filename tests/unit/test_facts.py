"""Each rule family of the extractor on short inline texts, including what must not count
(on the small gazetteer fixture, ``tests/fixtures/gazetteer``)."""

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

PUBLISHED = dt.date(2025, 7, 26)


def _rows(frames, table):
    return frames[table].sort("sentence_index", "mention_start").to_dicts()


CLAIM_COLUMNS = ("claimant", "claimant_side", "gaining_side", "claim_type", "verification", "claim_date")


def _frame(frames, table, *columns):
    """``columns`` of ``table``'s rows in text order."""
    return frames[table].sort("sentence_index", "mention_start").select(columns)


# ---------- strikes


def test_list_of_places_gives_one_strike_row_each(run_extract):
    frames = run_extract(
        ["There were numerous Russian strikes on our cities: Sumy, as well as Dnipro, Kharkiv, Kherson region."]
    )
    assert_frame_equal(
        _frame(frames, "strike_reports", "place_name", "feature_type", "perpetrator_side", "target_country"),
        pl.DataFrame(
            {
                "place_name": ["Sumy", "Dnipro", "Kharkiv", "Kherson"],
                "feature_type": ["settlement", "settlement", "settlement", "oblast"],
                "perpetrator_side": ["RU"] * 4,
                "target_country": ["UA"] * 4,
            }
        ),
    )


def test_perpetrator_weapon_and_target_country_from_text(run_extract):
    rows = _rows(
        run_extract(["A Ukrainian drone killed one person in the Russian city of Belgorod on Friday."]),
        "strike_reports",
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["perpetrator_side"], row["target_country"], row["weapon"]) == ("UA", "RU", "drone")
    assert row["strike_date"] == dt.date(2025, 7, 25)


@pytest.mark.parametrize(
    ("sentence", "weapon"),
    [
        ("Russia launched Shahed drones at Odesa.", "drone"),
        ("An Iskander missile hit Kramatorsk.", "missile"),
        ("Russian forces shelled Nikopol with artillery.", "artillery"),
        ("Grad rockets struck Kherson.", "rocket"),
        ("Russian aircraft dropped guided aerial bombs on Zaporizhzhia.", "glide_bomb"),
        ("A strike hit Mykolaiv.", "unknown"),
    ],
)
def test_weapon_classes(run_extract, sentence, weapon):
    rows = _rows(run_extract([sentence]), "strike_reports")
    assert [r["weapon"] for r in rows] == [weapon]


def test_weapon_nearest_to_each_place(run_extract):
    frames = run_extract(["The occupiers fired at Sloviansk with Uragans and hit Kramatorsk with Iskanders."])
    assert_frame_equal(
        _frame(frames, "strike_reports", "place_name", "weapon"),
        pl.DataFrame({"place_name": ["Sloviansk", "Kramatorsk"], "weapon": ["rocket", "missile"]}),
    )


def test_region_folds_into_its_settlement(run_extract):
    rows = _rows(
        run_extract(["Russian drones attacked Pavlohrad in the Dnipropetrovsk region overnight."]), "strike_reports"
    )
    assert [(r["place_name"], r["admin1"]) for r in rows] == [("Pavlohrad", "Dnipropetrovsk")]


@pytest.mark.parametrize(
    "text",
    [
        "Russia uses drones against Ukraine.",  # no place, no date of its own
        "Zelenskyy secured funding for Patriot missile defense systems for Kyiv.",  # supplies
        "Zelenskyy vowed to retaliate with further attacks on Belgorod.",  # a pledge
        "Kyiv's counter-attack in Kherson is underway.",  # ground counteroffensive
        "The attacks were a response to Kyiv's proposal of a ceasefire.",  # capital as government
        "In 2014 Russian artillery shelled Donetsk.",  # history
    ],
)
def test_not_strikes(run_extract, text):
    assert run_extract([text])["strike_reports"].height == 0


# ---------- casualties


@pytest.mark.parametrize(
    ("sentence", "killed", "injured", "qualifier"),
    [
        ("Lysak said a 66-year-old man died in Nikopol.", 1, None, None),
        ("A civilian was killed in Kostiantynivka.", 1, None, None),
        ("Three people were injured in Sumy.", None, 3, None),
        ("Five people -- including three emergency workers -- were injured in Kharkiv.", None, 5, None),
        ("A missile hit Dnipro, killing at least one and wounding six others.", 1, 6, "at_least"),
        ("Twenty-one people were wounded in Odesa.", None, 21, None),
        ("At least 12 civilians were killed in Kherson.", 12, None, "at_least"),
        ("Dozens of people were injured in Zaporizhzhia.", None, None, "dozens"),
        ("Shelling hit Nikopol; no casualties were reported.", 0, 0, None),
    ],
)
def test_counts(run_extract, sentence, killed, injured, qualifier):
    rows = _rows(run_extract([sentence]), "casualty_reports")
    assert len(rows) == 1
    assert (rows[0]["killed"], rows[0]["injured"], rows[0]["count_qualifier"]) == (killed, injured, qualifier)


def test_each_count_goes_to_its_own_place(run_extract):
    frames = run_extract(
        ["Lysak said a man died in the Nikopol district, while three people were injured in the Synelnykove district."]
    )
    assert_frame_equal(
        _frame(frames, "casualty_reports", "place_name", "killed", "injured"),
        pl.DataFrame({"place_name": ["Nikopol", "Synelnykove"], "killed": [1, None], "injured": [None, 3]}),
    )


@pytest.mark.parametrize(
    "text",
    [
        "In Ukraine, 91 rescuers have been killed since 2022.",  # cumulative tally
        "Russia fired 34 rockets at Kharkiv.",  # weapons are not people
        "Russia has lost 500,000 soldiers in the war, Kyiv says.",  # front-wide estimate
    ],
)
def test_not_casualty_counts(run_extract, text):
    assert run_extract([text])["casualty_reports"].height == 0


def test_victim_group(run_extract):
    rows = _rows(run_extract(["Two soldiers were killed in Pokrovsk."]), "casualty_reports")
    assert rows[0]["victim_group"] == "military"


# ---------- territorial claims


def test_capture_claim_with_claimant_and_verification(run_extract):
    text = (
        "Ukraine did not immediately comment on claims by the Russian Defense Ministry that its forces had "
        "on July 25 captured Zelenyi Hai in the Donetsk region and the village of Malyivka in the Dnipropetrovsk region."
    )
    assert_frame_equal(
        _frame(run_extract([text]), "territorial_claims", "settlement", "admin1", *CLAIM_COLUMNS),
        pl.DataFrame(
            {
                "settlement": ["Zelenyi Hai", "Maliivka"],
                "admin1": ["Donetsk", "Dnipropetrovsk"],
                "claimant": ["Russian Defense Ministry"] * 2,
                "claimant_side": ["RU"] * 2,
                "gaining_side": ["RU"] * 2,
                "claim_type": ["capture"] * 2,
                "verification": ["unverified"] * 2,
                "claim_date": [dt.date(2025, 7, 25)] * 2,
            }
        ),
    )


def test_recapture_and_denial(run_extract):
    text = "Ukrainian forces liberated Lyman, the General Staff of Ukraine said. Moscow denied it."
    rows = _rows(run_extract([text]), "territorial_claims")
    assert len(rows) == 1
    assert (rows[0]["claim_type"], rows[0]["gaining_side"], rows[0]["claimant_side"]) == ("recapture", "UA", "UA")
    assert rows[0]["verification"] == "denied"


@pytest.mark.parametrize(
    "text",
    [
        "Soviet troops liberated Kharkiv from the Nazis in 1943.",  # history
        "Ukrainian forces captured Russian equipment near Kupiansk.",  # not a place changing hands
        "Zelenskyy spoke of successful actions by our units in the Sumy region.",  # no change of control
        "The focal point of Russian assaults remained near Pokrovsk.",
        "Russian troops are advancing towards Kostiantynivka.",
    ],
)
def test_not_claims(run_extract, text):
    assert run_extract([text])["territorial_claims"].height == 0


def test_politics_article_has_no_facts(run_extract):
    text = (
        "US President Donald Trump threatened new sanctions on Moscow. Talks in Istanbul made progress on "
        "prisoner swaps. Russia uses drones against Ukraine, officials in Kyiv said, and Russian forces "
        "continue their offensive in the east."
    )
    frames = run_extract([text])
    assert (
        frames["strike_reports"].height,
        frames["casualty_reports"].height,
        frames["territorial_claims"].height,
    ) == (0, 0, 0)
