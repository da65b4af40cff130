"""Territorial claims: a statement that a named settlement changed hands.

A claim needs a change-of-control verb ("captured", "took control of",
"liberated", "withdrew from") and a settlement it governs: after an active verb
("captured Zelenyi Hai"), before a passive one ("Lyman was liberated"). The
claimant is the body or person the sentence attributes it to; the gaining side
is the side named as the actor ("its forces" is the claimant's own side), and
for a withdrawal the other side. Verification comes from the claim's sentence
and the next two of its paragraph: "could not be verified" or "did not comment"
leave it unverified, a denial makes it denied, a confirmation confirmed. A claim
is a statement: it needs a claimant or a date of its own, and "occupied" as an
adjective ("the occupied town of X") is not one.
"""

from __future__ import annotations

import polars as pl

from flows.parse import lexicons
from flows.parse.attribution import side_before
from flows.parse.facts import Context, not_background, place_key, with_context
from flows.parse.text import ascii_words, find_all, run
from flows.parse.window import neighbours
from schemas.staging import TerritorialClaims, extracted_columns

_VERBS = lexicons.table("claim_verbs")
CLAIM_VERB = lexicons.alternation(_VERBS["pattern"].to_list())
#: Not a change of control: history, equipment and people.
NOT_A_CLAIM = ascii_words(
    r"(?i)\b(?:19[0-9]{2}|world war|nazi|soviet times|wwii|ww2)\b"
    r"|(?i)\b(?:captured|seized|took) (?:\w+ ){0,2}(?:equipment|tanks?|weapons?|soldiers?|prisoners?|"
    r"servicem[ae]n|troops|vehicles?|documents|drones?|ammunition|ships?|vessels?|people|citizens|hostages?|"
    r"pows?|mercenar\w+|fighters|control of (?:the )?(?:airspace|skies|sea))\b"
    r"|(?i)\b(?:attempt\w*|tr(?:y|ied|ying) to|fail\w* to|seeks? to|aim\w* to|plans? to|would|could|threat\w*|"
    r"task(?:ed|s)? (?:\w+ ){0,3}with|goal|objective|ordered (?:\w+ ){0,2}to|in order to|intend\w*|wants? to|push(?:ing)? to|"
    r"seeking to|hop(?:es|ing) to|bid to|effort to|efforts to|to (?:retake|recapture|capture|take|seize|liberate|encircle))\b"
    r"|(?i)\bcaptured on (?:video|camera|film|tape)\b"
    # idioms of "take": "has taken leave of its senses", "had taken part in", "has taken steps"
    r"|(?i)\b(?:taken|took) (?:leave|part|place|note|steps|measures|action|care|advantage|responsibility|"
    r"(?:a|the) (?:\w+ )?(?:decision|step|stance|position|view|lead))\b"
)
#: "the occupied town of Avdiivka", "Russian-occupied Crimea": an adjective, not a claim.
ADJECTIVAL = ascii_words(
    r"(?i)(?:\b(?:the|a|an|its|their|temporarily|partially|partly|still|recently|newly|now|illegally|russian|ukrainian)\s+|-)$"
)
#: "occupied parts of", "occupied territories": an adjective before a noun.
ADJECTIVE_BEFORE_NOUN = ascii_words(
    r"(?i)^\s+(?:parts?|territor\w+|areas?|regions?|lands?|cities|towns|villages|settlements)\b"
)
PASSIVE = ascii_words(r"(?i:\b(?:was|were|been|is|are|being)\s+(?:\w+\s+)?$)")
ACTOR_WORDS = r"forces|troops|army|military|units?|soldiers|fighters|servicemen|defenders|paratroopers|marines"
#: A country or its capital that starts the sentence and does not speak: the actor
#: ("Moscow has had the advantage since capturing Avdiivka"; not "Ukraine said ...").
SUBJECT = ascii_words(r"^(Russia|Moscow|Ukraine|Kyiv|Kiev)(?:['’]s)?\s+(\w+)")
SUBJECT_SIDES = {"Russia": "RU", "Moscow": "RU", "Ukraine": "UA", "Kyiv": "UA", "Kiev": "UA"}


#: A country or capital right before the claim verb: "Russia captured", "Kyiv has recaptured".
VERB_SUBJECT = ascii_words(
    rf"\b(Russia|Moscow|Ukraine|Kyiv|Kiev)\s+(?:(?:has|have|had|finally|reportedly|now|also)\s+)*(?:{CLAIM_VERB})"
)


def _subject_side() -> pl.Expr:
    verb = pl.col("evidence").str.extract(SUBJECT, 2)
    subject = pl.coalesce(
        pl.col("evidence").str.extract(VERB_SUBJECT, 1),
        pl.when(~verb.str.contains(CLAIMING)).then(pl.col("evidence").str.extract(SUBJECT, 1)),
    )
    return subject.replace_strict(SUBJECT_SIDES, default=None)


CLAIMING = ascii_words(r"(?i)\b(?:said|says|claimed|claims|announced|reported|stated|according to|confirmed|denied)\b")
OWN_SIDE = ascii_words(
    r"(?i)\b(?:its|our|their own) (?:forces|troops|army|units|soldiers|servicemen|fighters)\b|\bwe (?:have )?(?:captured|liberated|took)\b"
)
#: Settlements paired with a verb on each side: a verb governs one within 160 characters,
#: and no more than 32 mentions fit there.
CLAIM_WINDOW = 32
CLAIM_COLUMNS = extracted_columns(TerritorialClaims)


def claim_reports(ctx: Context) -> pl.DataFrame:
    """One row per settlement per claiming sentence."""
    sentences, mentions, dates, speakers, articles = ctx.plans()
    claim_sentences = sentences.filter(
        pl.col("sentence").str.contains(CLAIM_VERB) & ~pl.col("sentence").str.contains(NOT_A_CLAIM)
    )
    verbs = find_all(claim_sentences.select("article_id", "sentence_index", "sentence"), "sentence", CLAIM_VERB, "verb")
    before_verb = pl.col("sentence").str.slice(0, pl.col("verb_start"))
    verbs = verbs.with_columns(
        claim_type=lexicons.classify(pl.col("verb_text"), "claim_verbs", "claim_type"),
        is_passive=before_verb.str.contains(PASSIVE),
        is_noun=lexicons.classify(pl.col("verb_text"), "claim_verbs", "voice") == "noun",
    ).filter(
        # "the occupied town of X" is an adjective; "the capture of X" is a noun and a claim
        (~before_verb.str.contains(ADJECTIVAL) | pl.col("is_noun"))
        & ~pl.col("sentence").str.slice(pl.col("verb_end")).str.contains(ADJECTIVE_BEFORE_NOUN)
    )
    settlements = mentions.filter((pl.col("feature_type") == "settlement") & ~pl.col("is_reference")).drop(
        "paragraph_index"
    )
    # The settlement a verb governs: the nearest one after it (active) or before it (passive),
    # with no other claim verb in between.
    pairs = (
        # a verb is paired with the settlements nearest to it, not with every one of its sentence
        neighbours(
            verbs,
            settlements,
            ["article_id", "sentence_index"],
            ["verb_start"],
            ["mention_start"],
            CLAIM_WINDOW,
            CLAIM_WINDOW,
        )
        .with_columns(
            gap=pl.when(pl.col("is_passive"))
            .then(pl.col("verb_start") - pl.col("mention_end"))
            .otherwise(pl.col("mention_start") - pl.col("verb_end"))
        )
        .filter(pl.col("gap").is_between(0, 160))
        .with_columns(
            between=pl.when(pl.col("is_passive"))
            .then(pl.col("sentence").str.slice(pl.col("mention_end"), pl.col("gap")))
            .otherwise(pl.col("sentence").str.slice(pl.col("verb_end"), pl.col("gap")))
        )
        .filter(~pl.col("between").str.contains(CLAIM_VERB) & ~pl.col("between").str.contains(r"[.;]"))
        .sort("gap", "verb_start")  # ties broken by position: same rows every run
        .group_by("article_id", "sentence_index", "mention_start", maintain_order=True)
        .first()
    )
    verification = _verification(sentences)
    rows = (
        with_context(pairs.drop("sentence"), sentences, dates, speakers)
        .join(verification, on=["article_id", "sentence_index"], how="left")
        .join(articles.select("article_id", "published_date"), on="article_id")
        .with_columns(claim_date="sentence_date", date_precision="sentence_date_precision")
        .filter(not_background("claim_date", pl.col("published_date")))
        # A claim is a statement: it needs someone making it or a date of its own;
        # an undated, unattributed "after Russia captured X" is background.
        .filter(
            (pl.col("date_precision") != "article")
            | pl.col("claimant_side").is_not_null()
            | pl.col("evidence").str.contains(CLAIMING)
        )
        .with_columns(
            # the source the text cites, never the side said to act ("Russian troops took ...")
            claimant="reported_by",
            # "its forces": the side of the source that speaks, when the sentence names one
            actor_side=pl.when(pl.col("evidence").str.contains(OWN_SIDE) & pl.col("claimant_side").is_not_null())
            .then("claimant_side")
            .otherwise(pl.coalesce(side_before(pl.col("evidence"), ACTOR_WORDS), _subject_side())),
        )
        .with_columns(
            claimant_side=pl.coalesce("claimant_side", "actor_side", pl.lit("unknown")),
        )
        .with_columns(
            gaining_side=pl.when(pl.col("claim_type") == "withdrawal")
            .then(
                pl.coalesce("actor_side", "claimant_side").replace_strict({"RU": "UA", "UA": "RU"}, default="unknown")
            )
            .otherwise(pl.coalesce("actor_side", "claimant_side")),
            verification=pl.col("verification").fill_null("unverified"),
            place_key=place_key(),
        )
    )
    # one claim per place per sentence: "Kherson" named twice in a claim is one claim (EVENT_GUIDE)
    return run(
        rows.sort("article_id", "sentence_index", "mention_start")
        .unique(["article_id", "sentence_index", "place_key"], keep="first", maintain_order=True)
        .select(CLAIM_COLUMNS)
    )


def _verification(sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Verification status of each sentence's claims, from it and the next two of its paragraph."""
    status = lexicons.classify(pl.col("sentence"), "verification", "verification")
    window = (
        sentences.sort("article_id", "sentence_index")
        .with_columns(status=status)
        .with_columns(
            *[pl.col("status").shift(-k).over("article_id", "paragraph_index").alias(f"status_{k}") for k in (1, 2)]
        )
    )
    # A denial or confirmation anywhere in the window outranks "unverified".
    statuses = pl.concat_list("status", "status_1", "status_2").list.drop_nulls()
    return window.select(
        "article_id",
        "sentence_index",
        verification=pl.when(statuses.list.contains("denied"))
        .then(pl.lit("denied"))
        .when(statuses.list.contains("confirmed"))
        .then(pl.lit("confirmed"))
        .when(statuses.list.len() > 0)
        .then(pl.lit("unverified")),
    )
