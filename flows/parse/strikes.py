"""Strike reports: an attack by remote means on a place (EVENT_GUIDE.md, Strikes).

A sentence reports a strike when it has an attack word (or a weapon and a
casualty word: "a drone killed one person") and none of the exclusions (supplies, defence systems, pledges, history). Every place it
names at settlement, raion or oblast level is a row ("strikes on Sumy, Dnipro,
Kharkiv and Kherson region" is four); rows of one article with the same date,
place and perpetrator are one report, and an oblast folds into a settlement of
it reported the same day.
"""

from __future__ import annotations

import polars as pl

from flows.parse import lexicons
from flows.parse.attribution import side_before, side_of_agent
from flows.parse.facts import (
    Context,
    fold_regions,
    not_background,
    place_key,
    with_context,
    with_fact_date,
)
from flows.parse.linking import PLACE_LEVELS, nearest_place
from flows.parse.text import ascii_words, find_all, materialise, run
from flows.parse.window import neighbours
from schemas.staging import StrikeReports, extracted_columns

EVENT_WORD = lexicons.alternation(lexicons.table("strike_triggers")["pattern"].to_list())
#: "a Ukrainian drone had killed one person": a weapon with a casualty word is an event too.
CASUALTY_WORD = ascii_words(r"(?i)\b(?:killed|killing|died|dead|injured|injuring|wounded|wounding|hurt)\b")
INSTRUMENTAL = ascii_words(r"(?i)\b(?:with|using|by)\s+(?:[\w-]+\s+){0,2}[\"“']?$")
WEAPON = lexicons.alternation(lexicons.table("weapons")["pattern"].to_list())
EXCLUSION = lexicons.alternation(lexicons.table("strike_exclusions")["pattern"].to_list())
_INTERCEPTIONS = lexicons.table("interceptions")
#: "Air defence shot down 12 drones over the Kyiv region": an interception is not a
#: strike (ACLED's "disrupted weapons use") unless the sentence says something hit.
INTERCEPTION = lexicons.alternation(_INTERCEPTIONS.filter(pl.col("kind") == "interception")["pattern"].to_list())
IMPACT = lexicons.alternation(_INTERCEPTIONS.filter(pl.col("kind") == "impact")["pattern"].to_list())
ATTACK_WORDS = (
    r"drones?|missiles?|rockets?|strikes?|attacks?|attacked|attacking|shell\w*|artillery|bombers?|aviation|"
    r"aircraft|warplanes?|shahed\w*|uavs?|struck|hit|fired|launched|bombed|bombard\w*"
)
#: "Russian troops captured the city of Melitopol, as Moscow launched missile attacks on
#: Kyiv": the place a capture verb governs is the claim's, not a strike target.
CAPTURED_BEFORE = ascii_words(
    r"(?i)\b(?:captur(?:ed|ing|e)|seiz(?:ed|ing|e)|(?:took|tak(?:en|ing)|take) (?:full )?control (?:of|over)|"
    r"liberat(?:ed|ing|e)|recaptur(?:ed|ing|e)|withdr(?:ew|awn|awing) from|pushed out of|entered)\b[^.;,]{0,50}$"
)
#: "hit Mariupol on Thursday, not Berdiansk": a place the sentence denies is not a target.
DENIED_BEFORE = r"(?i)\bnot\s+(?:in\s+|on\s+|at\s+)?(?:the\s+)?$"  # not "not only Kyiv"
OWN_FORCES = ascii_words(
    r"(?i)\b(?:its|our|their own) (?:forces|troops|army|units|military|aviation|air force|drones?)\b|\bwe (?:have )?(?:struck|hit|attacked|destroyed)\b"
)
#: Regions held by Russia throughout the war, whose attackers are Ukraine's forces.
UA_STRIKE_TARGETS = ["Crimea", "Sevastopol"]
#: What makes an undated strike sentence a report rather than background ("despite relentless
#: Russian attacks", "a city bombed out of existence"): a source, victims, damage, a time word,
#: or an attack told in the simple past ("An Iskander missile hit Kramatorsk").
REPORT_ANCHOR = ascii_words(
    r"(?i)\b(?:killed|killing|injured|injuring|wounded|wounding|dead|died|damaged|damaging|destroyed|"
    r"destroying|ablaze|fire broke out|caught fire|casualties|victims|just now|this morning|tonight|"
    r"overnight|earlier today|again|there were|there was|there have been|recent|latest)\b"
)
#: "He visited a bridge in Irpin where Russian forces bombed civilians": an undated attack
#: told beside a visit is the history of the place visited, not news.
VISIT = ascii_words(
    r"(?i)\b(?:visit(?:ed|ing|s)?|toured|tour (?:of|took)|(?:was|were) (?:taken|shown) (?:to|through|around)|"
    r"laid (?:flowers|a wreath|wreaths)|paid (?:tribute|(?:his|her|their) respects))\b"
)
#: "The Grad rockets hit Mariupol, not European cities": an undated contrast is rhetoric
#: about the war, not a report of one attack.
CONTRAST = r"(?i),\s+not\s+(?:in\s+|on\s+|at\s+)?(?:the\s+)?(?:\p{Lu}|european|western|our|your)"
PAST_ATTACK = ascii_words(
    r"(?i)\b(?:hit|struck|attacked|shelled|launched|fired|dropped|targeted|bombed|pounded|rocked|shook|"
    r"exploded|came under)\b"
)
#: "has been bombed out of existence": a state, not an event.
PERFECT_ATTACK = ascii_words(
    r"(?i)\b(?:has|have|had)\s+(?:\w+\s+)?been\s+(?:\w+\s+)?(?:hit|struck|attacked|shelled|targeted|bombed|pounded)\b"
)
EXPLOSION = ascii_words(r"(?i)\b(?:explosions?|blasts?|exploded|detonat\w+)\b")
#: "a second blast hit the city": the explosion's own verb, not a word of an attack.
BLAST_VERB = ascii_words(r"(?i)\b((?:explosions?|blasts?)\s+)(?:hit|struck)\b")
#: Event words besides an explosion: without any, "an explosion wrecked a car" has no known author.
ATTACK_EVENT = ascii_words(
    r"(?i)\b(?:strikes?|struck|attack\w*|shell\w*|bomb\w*|hit|fired|launched|drones?|missiles?|rockets?|artillery)\b"
)
#: A definite noun that refers back to a place named before, as the target: "hit the city",
#: "attacks on the town", "the convoy was shelled" (not "a quiet weekend in the capital").
_BACK = (
    r"the (?:city|town|village|building|convoy|settlement|district|port|(?:power |nuclear )?plant|(?:power )?station|"
    r"facility|base|airfield|depot|region|oblast|capital|suburb|neighbou?rhood)"
)
REFERS_BACK = ascii_words(
    rf"(?i)\b(?:hit|hitting|struck|striking|attacked|attacking|shelled|shelling|targeted|targeting|bombed|bombing|"
    rf"pounded|rocked|on|at|against|(?:shelling|bombing|bombardment|strikes?|attacks?) of) {_BACK}\b"
    rf"|\b{_BACK} (?:was|were|came|has been|had been) (?:\w+ )?(?:hit|struck|attacked|shelled|targeted|bombed|under)\b"
    # "hit a residential area of the city", "struck the outskirts of the town"
    rf"|\b(?:areas?|districts?|outskirts|cent(?:re|er)|parts?|neighbou?rhoods?|suburbs?|edge|streets?|heart) of {_BACK}\b"
)
STRIKE_COLUMNS = extracted_columns(StrikeReports)


def _nearest_weapon(targets: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Each target takes the weapon named nearest to it in its sentence
    ("fired at Sloviansk with Uragans and hit Kramatorsk with Iskanders")."""
    hits = find_all(
        sentences.join(targets.select("article_id", "sentence_index").unique(), on=["article_id", "sentence_index"]),
        "sentence",
        WEAPON,
        "weapon",
    ).select(
        "article_id",
        "sentence_index",
        "weapon_start",
        "weapon_end",
        near_weapon=lexicons.classify(pl.col("weapon_text"), "weapons", "weapon"),
        # "hit Kramatorsk with Iskanders": an instrumental weapon belongs to the place before it.
        instrumental=pl.col("sentence")
        .str.slice(pl.max_horizontal(pl.col("weapon_start") - 25, 0), pl.min_horizontal(pl.col("weapon_start"), 25))
        .str.contains(INSTRUMENTAL),
    )
    key = ["article_id", "sentence_index", "mention_start"]
    after = pl.col("weapon_start") - pl.col("mention_end")
    before = pl.col("mention_start") - pl.col("weapon_end")
    nearest = (
        # the weapons nearest in the text, not every weapon of a sentence listing hundreds
        neighbours(
            targets.select(*key, "mention_end"),
            hits,
            ["article_id", "sentence_index"],
            ["mention_start"],
            ["weapon_start"],
        )
        .with_columns(
            _distance=pl.when(pl.col("instrumental") & (after >= 0))
            .then(after)
            .when(~pl.col("instrumental") & (before >= 0))
            .then(before)
            .otherwise(1000 + pl.max_horizontal(after, before).abs())
        )
        .sort("_distance", "weapon_start")
        .group_by(key)
        .agg(pl.col("near_weapon").first())
    )
    return (
        targets.join(nearest, on=key, how="left")
        .with_columns(weapon=pl.coalesce("near_weapon", "weapon"))
        .drop("near_weapon")
    )


#: A text of at most this many sentences, or characters, is a dispatch (a post, an event note,
#: a headline and its summary): background is rare in it. Posts run to many short sentences,
#: news articles to a thousand characters and more.
SHORT_TEXT_SENTENCES = 5
SHORT_TEXT_CHARS = 1000


def _referred_back(strike_sentences: pl.LazyFrame, sentences: pl.LazyFrame, scenes: pl.LazyFrame) -> pl.LazyFrame:
    """ "A second blast hit the city": a strike sentence that names no place but refers back
    to one ("the city", "the convoy") is at the place named last before it."""
    placeless = (
        strike_sentences.join(
            scenes.select("article_id", "sentence_index").unique(), on=["article_id", "sentence_index"], how="anti"
        )
        .join(
            sentences.select("article_id", "sentence_index", "paragraph_index", "sentence"),
            on=["article_id", "sentence_index"],
        )
        .filter(pl.col("sentence").str.contains(REFERS_BACK))
        .with_columns(_event_start=pl.lit(0, pl.Int64), _event_end=pl.lit(0, pl.Int64), _ref_id=pl.int_range(pl.len()))
        .drop("sentence")
    )
    return nearest_place(placeless, scenes, start="_event_start", end="_event_end", key=["_ref_id"]).drop(
        "_event_start", "_event_end", "_ref_id"
    )


def _sentence_reading(strike_sentences: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Per strike sentence: the target type and the side its words state."""
    return (
        strike_sentences.select("article_id", "sentence_index")
        .unique()
        .join(sentences.select("article_id", "sentence_index", "sentence"), on=["article_id", "sentence_index"])
        .select(
            "article_id",
            "sentence_index",
            target_type=lexicons.classify(pl.col("sentence"), "targets", "target_type"),
            stated_side=pl.coalesce(
                side_of_agent(pl.col("sentence"), ATTACK_WORDS), side_before(pl.col("sentence"), ATTACK_WORDS)
            ),
        )
    )


#: A drone that films ("drone footage", "a video taken by a drone") is a camera, not a weapon:
#: its "drone" is read as "video" (same length, so offsets hold); the strike the footage shows,
#: if the sentence names one ("drone footage of a Russian strike in X"), is still a strike.
CAMERA_DRONE_AFTER = ascii_words(
    r"(?i)\b((?:video|footage|images?|photos?|pictures?) (?:from|taken by|shot by|filmed by|recorded by) (?:a |the )?)drone"
)
CAMERA_DRONE_BEFORE = ascii_words(r"(?i)\bdrone( footage| videos?)\b")


def _without_camera_drones(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .str.replace_all(CAMERA_DRONE_AFTER, "${1}video")
        .str.replace_all(CAMERA_DRONE_BEFORE, "video${1}")
    )


def strike_reports(ctx: Context) -> pl.DataFrame:
    """One row per (article, date, place, perpetrator) strike report."""
    blast_only = (
        pl.col("evidence").str.contains(EXPLOSION)
        & ~pl.col("evidence").str.replace_all(BLAST_VERB, "${1}").str.contains(ATTACK_EVENT)
        & (pl.col("weapon") == "unknown")
    )
    sentences, mentions, dates, speakers, articles = ctx.plans()
    # The rules below read the sentences with filming drones read as cameras; the evidence
    # keeps the text as written (same offsets).
    evidence_sentences = sentences
    sentences = sentences.with_columns(sentence=_without_camera_drones("sentence"))
    # A sentence that names no weapon takes the one named earlier in its
    # paragraph ("Shahed drones attacked ... There were explosions in Mykolaiv").
    # (Classified only where a weapon is named at all: 34 patterns over every sentence cost.)
    named_weapons = sentences.filter(pl.col("sentence").str.contains(WEAPON)).select(
        "article_id", "sentence_index", weapon=lexicons.classify(pl.col("sentence"), "weapons", "weapon")
    )
    strike_sentences = materialise(  # read by the named and the referred-back targets
        sentences.join(named_weapons, on=["article_id", "sentence_index"], how="left")
        .sort("article_id", "sentence_index")
        .with_columns(weapon=pl.col("weapon").forward_fill().over("article_id", "paragraph_index").fill_null("unknown"))
        .filter(
            (
                pl.col("sentence").str.contains(EVENT_WORD)
                | (pl.col("sentence").str.contains(WEAPON) & pl.col("sentence").str.contains(CASUALTY_WORD))
            )
            & ~pl.col("sentence").str.contains(EXCLUSION)
            & ~(pl.col("sentence").str.contains(INTERCEPTION) & ~pl.col("sentence").str.contains(IMPACT))
        )
        .select("article_id", "sentence_index", "weapon")
    )
    scenes = mentions.filter(pl.col("feature_type").is_in(PLACE_LEVELS) & ~pl.col("is_reference"))
    named = (
        scenes.join(strike_sentences, on=["article_id", "sentence_index"])
        .join(sentences.select("article_id", "sentence_index", "sentence"), on=["article_id", "sentence_index"])
        .filter(
            ~pl.col("sentence")
            .str.slice(
                pl.max_horizontal(pl.col("mention_start") - 60, 0), pl.min_horizontal(pl.col("mention_start"), 60)
            )
            .str.contains(CAPTURED_BEFORE)
        )
        .filter(
            ~pl.col("sentence")
            .str.slice(
                pl.max_horizontal(pl.col("mention_start") - 20, 0), pl.min_horizontal(pl.col("mention_start"), 20)
            )
            .str.contains(DENIED_BEFORE)
        )
        .drop("sentence")
    )
    targets = _nearest_weapon(
        materialise(pl.concat([named, _referred_back(strike_sentences, sentences, scenes)], how="diagonal_relaxed")),
        sentences,
    )
    rows = (
        # a strike that refers back to a place happened when that place's sentence says
        with_fact_date(with_context(targets, evidence_sentences, dates, speakers), dates, "mention_start")
        .join(articles.select("article_id", "published_date"), on="article_id")
        .with_columns(
            strike_date="fact_date",
            date_precision="fact_date_precision",
            target_country=pl.col("country_code").fill_null("unknown"),
        )
        # read per sentence, not per place: a sentence names many places
        .join(_sentence_reading(strike_sentences, sentences), on=["article_id", "sentence_index"], how="left")
        .filter(not_background("strike_date", pl.col("published_date")))
        # Undated (only the article's date): news only when it reads like a report of an event,
        # or when the text is a short dispatch (a post, an event note, a headline), which
        # reports the news it is about.
        .join(articles.select("article_id", "n_sentences", "n_chars"), on="article_id", how="left")
        .filter(
            (pl.col("date_precision") != "article")
            | (
                (
                    (pl.col("n_sentences") <= SHORT_TEXT_SENTENCES)
                    | (pl.col("n_chars") <= SHORT_TEXT_CHARS)
                    | pl.col("evidence").str.contains(REPORT_ANCHOR)
                    | (pl.col("evidence").str.contains(PAST_ATTACK) & ~pl.col("evidence").str.contains(PERFECT_ATTACK))
                )
                & ~pl.col("evidence").str.contains(VISIT)
                & ~pl.col("evidence").str.contains(CONTRAST)
            )
        )
        .with_columns(
            perpetrator_side=pl.coalesce(
                "stated_side",
                # "its forces struck": the side of the body that says so
                pl.when(pl.col("evidence").str.contains(OWN_FORCES)).then("claimant_side"),
                # a side reports the other side's strikes ("the Belgorod governor said shelling ...",
                # Russian-installed officials in an occupied town)
                pl.col("reporter_side").replace_strict({"UA": "RU", "RU": "UA"}, default=None),
                # Crimea has been held by Russia since 2014: strikes on it are Ukraine's
                pl.when(pl.col("admin1").is_in(UA_STRIKE_TARGETS)).then(pl.lit("UA")),
                pl.col("target_country").replace_strict({"UA": "RU", "RU": "UA"}, default="unknown"),
            )
        )
    )
    # An explosion with no weapon and no attack word named ("a powerful explosion was heard near
    # the airfield", "a pipeline caught fire after explosions") tells of no attack: no author,
    # no cause, so not a strike (a blast in a paragraph about drones takes their weapon).
    rows = rows.filter(~blast_only)
    group = ["article_id", "strike_date", "perpetrator_side"]
    reports = (
        rows.with_columns(
            place_key=place_key(),
            _known_weapon=pl.col("weapon") != "unknown",
            _dated=pl.col("date_precision") == "day",
        )
        # the row kept names the weapon and dates the strike to the day where any sentence does
        .sort(
            "article_id",
            "_dated",
            "_known_weapon",
            "sentence_index",
            "mention_start",
            descending=[False, True, True, False, False],
        )
        .group_by([*group, "place_key"], maintain_order=True)
        .first()
        .drop("_known_weapon", "_dated")
    )
    return run(fold_regions(reports, group).select(STRIKE_COLUMNS))
