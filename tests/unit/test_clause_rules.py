"""Rules that look inside a sentence: a clause dated back from "N days after", a visit's
history, purposes, contrasts, denied places, explosions with no attack, agents and passives,
places that locate others, ongoing states, conditions and camera drones."""

import datetime as dt

PUBLISHED = dt.date(2025, 7, 26)  # a Saturday


def _strikes(run_extract, text):
    return run_extract([text], PUBLISHED)["strike_reports"].to_dicts()


def test_the_clause_after_n_days_after_is_dated_back_from_the_day_before_it(run_extract):
    frames = run_extract(
        ["The blasts on Thursday came one week after at least two people were killed in a drone attack on Kherson."],
        PUBLISHED,
    )
    casualty = frames["casualty_reports"].to_dicts()
    assert [(r["incident_date"], r["date_precision"], r["killed"]) for r in casualty] == [
        (dt.date(2025, 7, 17), "day", 2)
    ]
    strike = frames["strike_reports"].to_dicts()
    assert [(r["place_name"], r["strike_date"]) for r in strike] == [("Kherson", dt.date(2025, 7, 17))]


def test_a_fact_before_n_days_after_keeps_the_sentence_date(run_extract):
    rows = _strikes(run_extract, "Russian drones hit Odesa on Thursday, two days after a strike on Kherson.")
    dates = {r["place_name"]: (r["strike_date"], r["date_precision"]) for r in rows}
    assert dates == {"Odesa": (dt.date(2025, 7, 24), "day"), "Kherson": (dt.date(2025, 7, 22), "day")}


def test_n_days_after_with_no_day_named_dates_back_from_the_article_to_the_week(run_extract):
    rows = run_extract(["The fire came three days after five people were killed in shelling of Nikopol."], PUBLISHED)[
        "casualty_reports"
    ].to_dicts()
    assert [(r["incident_date"], r["date_precision"]) for r in rows] == [(dt.date(2025, 7, 23), "week")]


def test_a_week_after_as_the_only_date_goes_back_one_week_not_two(run_extract):
    rows = run_extract(
        ["The explosions come a week after at least one person was killed in blasts at an airbase in Crimea."],
        PUBLISHED,
    )["casualty_reports"].to_dicts()
    assert [(r["incident_date"], r["date_precision"]) for r in rows] == [(dt.date(2025, 7, 19), "week")]


def test_an_undated_attack_told_beside_a_visit_is_the_places_history(run_extract):
    assert _strikes(run_extract, "The minister visited a bridge in Irpin where Russian forces bombed civilians.") == []
    assert (
        _strikes(run_extract, "His tour took him to a school in Borodianka that was destroyed by Russian bombs.") == []
    )
    # a dated attack beside a visit is news
    rows = _strikes(run_extract, "During his visit, Russian missiles hit Kharkiv on Thursday.")
    assert [(r["place_name"], r["strike_date"]) for r in rows] == [("Kharkiv", dt.date(2025, 7, 24))]


def test_purposes_and_protection_from_attacks_are_not_strikes(run_extract):
    assert _strikes(run_extract, "Russian troops are creating conditions for hitting Kramatorsk on Thursday.") == []
    assert _strikes(run_extract, "The buffer zone would shield Belgorod from Ukrainian drone strikes.") == []


def test_an_explosion_with_no_attack_named_is_not_a_strike_in_crimea_either(run_extract):
    assert (
        _strikes(run_extract, "A powerful explosion was heard near the airfield in Dzhankoi on Thursday night.") == []
    )
    assert _strikes(run_extract, "A gas pipeline in Luhansk caught fire after explosions on Thursday.") == []
    assert _strikes(run_extract, "On Sunday a blast hit a pipeline in Kostiantynivka.") == []  # the blast's own verb
    # in a paragraph about drones, the blast takes their weapon
    rows = _strikes(run_extract, "Shahed drones flew towards Mykolaiv on Thursday. There were explosions in Mykolaiv.")
    assert {r["place_name"] for r in rows} == {"Mykolaiv"}
    rows = _strikes(run_extract, "Ukrainian drones struck the airfield in Dzhankoi on Thursday.")
    assert [r["perpetrator_side"] for r in rows] == ["UA"]
    rows = _strikes(run_extract, "Missiles hit the airfield in Dzhankoi on Thursday.")
    assert [r["perpetrator_side"] for r in rows] == ["UA"]


def test_a_first_name_after_city_of_is_not_an_unlisted_village(run_extract):
    rows = _strikes(run_extract, "Russian shelling hit the city of Mary on Thursday.")
    assert [r["place_name"] for r in rows] == []
    rows = _strikes(run_extract, "Russian shelling hit the village of Obesta on Thursday.")
    assert [(r["place_name"], r["location_id"]) for r in rows] == [("Obesta", None)]


def test_an_undated_contrast_is_rhetoric(run_extract):
    text = "For eight years we held the line. And Grad rockets hit Mariupol, not European cities."
    assert _strikes(run_extract, text) == []
    rows = _strikes(run_extract, "Grad rockets hit Mariupol on Thursday, not Berdiansk as first reported.")
    assert [r["place_name"] for r in rows] == ["Mariupol"]
    rows = _strikes(run_extract, "On Thursday not only Kharkiv but also Sumy was hit by Russian drones.")
    assert {r["place_name"] for r in rows} == {"Kharkiv", "Sumy"}


def test_the_agent_after_by_and_a_passive_subject_give_the_side(run_extract):
    rows = _strikes(run_extract, "The bridge in Kherson was damaged on Thursday by shelling by Ukraine's Armed Forces.")
    assert [r["perpetrator_side"] for r in rows] == ["UA"]
    rows = _strikes(run_extract, "Homes in Ukraine's capital Kyiv have been struck by Russian air strikes on Thursday.")
    assert [r["perpetrator_side"] for r in rows] == ["RU"]


def test_a_side_or_a_first_name_before_a_region_is_not_an_unlisted_village(run_extract):
    frames = run_extract(["Putin launched an attack on Ukraine, Kyiv still stands."], PUBLISHED)
    assert "Ukraine" not in frames["place_mentions"]["place_name"].to_list()


def test_a_place_near_another_place_locates_it(run_extract):
    rows = _strikes(
        run_extract, "Russian shelling hit the town of Irpin near the Ukrainian capital, Kyiv, on Thursday."
    )
    assert [r["place_name"] for r in rows] == ["Irpin"]
    rows = _strikes(run_extract, "Russian shelling was recorded near Avdiivka, north of occupied Donetsk, on Thursday.")
    assert [r["place_name"] for r in rows] == ["Avdiivka"]


def test_ongoing_states_conditions_and_camera_drones_are_not_strikes(run_extract):
    assert _strikes(run_extract, "Mariupol is surrounded and bombarded daily.") == []
    assert _strikes(run_extract, "People fled Irpin after it came under sustained Russian attack.") == []
    assert _strikes(run_extract, '"If somebody attacks our home in Kharkiv, we fight," the mayor said.') == []
    text = "Media published a video from the drone showing how soldiers shot dead a civilian near Bucha on Thursday."
    assert _strikes(run_extract, text) == []


def test_hundreds_multiply_and_n_died_is_a_count(run_extract):
    text = "A rocket hit a shopping centre in Kremenchuk on Thursday. About a hundred people were injured, at least 20 died."
    rows = run_extract([text], PUBLISHED)["casualty_reports"].to_dicts()
    assert [(r["killed"], r["injured"]) for r in rows] == [(20, 100)]
    rows = run_extract(["Two hundred people were injured in Kharkiv on Thursday."], PUBLISHED)["casualty_reports"]
    assert rows["injured"].to_list() == [200]


def test_rivers_routes_and_metaphors_are_not_scenes(run_extract):
    rows = _strikes(
        run_extract,
        "Russians bombed the bridge over the Desna river near Chernihiv on Thursday, and the route to Kyiv is cut.",
    )
    assert [r["place_name"] for r in rows] == ["Chernihiv"]
    rows = _strikes(run_extract, "Russian bombs hit Chernihiv on Thursday: Putin wants to turn it into a new Mariupol.")
    assert [r["place_name"] for r in rows] == ["Chernihiv"]
    assert _strikes(run_extract, "Kharkiv residents live in the metro to shelter from artillery and bombs.") == []
    rows = _strikes(run_extract, "Russia's shelling of the prison in Olenivka on Thursday is Ukraine's Katyn.")
    assert [r["place_name"] for r in rows] == ["Olenivka"]


def test_units_are_not_places_and_bodies_exchanged_are_not_an_incident(run_extract):
    text = (
        "On Thursday the exchange of bodies took place. 160 bodies received by Ukraine came from the plant in Mariupol."
    )
    assert run_extract([text], PUBLISHED)["casualty_reports"].height == 0
    frames = run_extract(["At least 52 dead were fighters of the Azov regiment."], PUBLISHED)
    assert "Azov" not in frames["casualty_reports"]["place_name"].to_list()
    rows = run_extract(
        ["Russian shelling hit Kharkiv on Thursday; 12 bodies were recovered from the rubble."], PUBLISHED
    )
    assert rows["casualty_reports"]["killed"].to_list() == [12]


def test_bodies_of_water_and_what_could_happen_are_not_casualties(run_extract):
    text = (
        "The terrain south of Kherson, cut by several bodies of water, channels movement into Russian artillery fire."
    )
    assert run_extract([text], PUBLISHED)["casualty_reports"].height == 0
    text = "A strike on the Kharkiv market on Thursday could have killed dozens of people."
    assert run_extract([text], PUBLISHED)["casualty_reports"].height == 0


def test_where_a_convoy_comes_from_and_goes_to_is_not_the_scene(run_extract):
    text = "On Thursday Russian artillery shelled a convoy in the Stepnohirsk area, moving along the highway towards Zaporizhzhia."
    assert [r["place_name"] for r in _strikes(run_extract, text)] == ["Stepnohirsk"]
    assert _strikes(run_extract, "On Thursday Russians fired at a convoy heading from Mariupol to Zaporizhzhia.") == []


def test_threats_and_every_day_attacks_are_not_events(run_extract):
    assert (
        _strikes(run_extract, "The visit eased the tension, as there was a threat of Russian missile strikes on Kyiv.")
        == []
    )
    assert _strikes(run_extract, "Kharkiv suffers every day from Russian air bombs.") == []


def test_a_district_in_kiev_is_one_row_in_kyiv_city(run_extract):
    text = "On Thursday shelling hit a residential building in the Sviatoshynskyi district in Kiev."
    assert [(r["place_name"], r["admin1"]) for r in _strikes(run_extract, text)] == [("Kyiv", "Kyiv City")]


def test_a_count_compared_with_in_a_conditional_sentence_is_a_fact(run_extract):
    text = "It would allow a response if Russia launched more attacks, like the one that killed seven people in Lviv on Thursday."
    rows = run_extract([text], PUBLISHED)["casualty_reports"].to_dicts()
    assert [(r["place_name"], r["killed"], r["incident_date"]) for r in rows] == [("Lviv", 7, dt.date(2025, 7, 24))]
    text = "If the missile had hit the school, it would have killed dozens of people in Kharkiv."
    assert run_extract([text], PUBLISHED)["casualty_reports"].height == 0


def test_a_place_named_as_a_cause_is_not_the_scene(run_extract):
    rows = _strikes(run_extract, "Russian missiles hit Odesa on Friday in revenge for the Crimea bridge.")
    assert [r["place_name"] for r in rows] == ["Odesa"]


def test_the_aggressor_or_occupiers_after_by_are_the_attacker(run_extract):
    text = "The minister reported on Ukraine's defence and the attacks on Kherson by the aggressor on Friday."
    assert [(r["place_name"], r["perpetrator_side"]) for r in _strikes(run_extract, text)] == [("Kherson", "RU")]
    # a demonym after "by" names who spoke of the attack, not who made it
    text = "The attack on Kherson on Friday was condemned by Ukraine's allies."
    assert [r["perpetrator_side"] for r in _strikes(run_extract, text)] == ["RU"]


def test_a_post_of_many_short_sentences_reports_the_news_it_is_about(run_extract):
    post = (
        "Horrific rocket strikes on Kherson. We will not forget. We will not forgive. Stop the war. "
        "Close the sky. Help us now."
    )
    assert [r["place_name"] for r in _strikes(run_extract, post)] == ["Kherson"]
    # the same words deep in a long article are background unless they read like a report
    article = post + " " + " ".join(["The talks on grain exports went on in Istanbul for another week."] * 16)
    assert _strikes(run_extract, article) == []


def test_the_place_that_opens_a_facilitys_name_is_the_scene(run_extract):
    rows = _strikes(run_extract, "The Kherson Regional Children's Hospital was struck by missiles on Friday.")
    assert [r["place_name"] for r in rows] == ["Kherson"]
    rows = _strikes(run_extract, "Shelling hit the Odesa Opera Theatre on Friday.")
    assert [r["place_name"] for r in rows] == ["Odesa"]


def test_drone_footage_of_a_strike_is_a_strike_and_of_ruins_is_not(run_extract):
    rows = _strikes(run_extract, "Drone footage shows a Russian strike on a school in Kherson on Friday.")
    assert [(r["place_name"], r["weapon"]) for r in rows] == [("Kherson", "unknown")]
    # the filming drone is no weapon
    assert _strikes(run_extract, "Drone footage shows the ruins of the school in Kherson on Friday.") == []


def test_an_alleged_strike_is_a_reported_strike(run_extract):
    rows = _strikes(run_extract, "Alleged Russian shelling hit a market in Kherson on Friday.")
    assert [(r["place_name"], r["perpetrator_side"]) for r in rows] == [("Kherson", "RU")]
    # a pretext or a staged provocation is still not an event
    assert _strikes(run_extract, "Moscow staged a provocation, claiming shelling of Kherson on Friday.") == []
