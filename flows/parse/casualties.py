"""Casualty counts: people killed or injured, at a place and date.

A count is a number phrase tied to a person noun and a casualty word:
"three people were injured", "a 66-year-old man died", "killing at least one
and wounding six others". The first number of a clause is the total ("five
people -- including three emergency workers -- were injured" is 5); counts of
weapons ("34 rockets") have no person noun and never count; cumulative tallies
("since 2022", "so far") are dropped.
"""

from __future__ import annotations

import polars as pl

from flows.parse import lexicons
from flows.parse.facts import (
    PLACE_COLUMNS,
    Context,
    not_background,
    place_key,
    with_context,
    with_fact_date,
)
from flows.parse.linking import nearest_place
from flows.parse.text import ascii_words, find_all, materialise, run
from schemas.staging import CasualtyReports, extracted_columns

_WORDS = lexicons.table("number_words")
NUMBER_WORD = "|".join(sorted(_WORDS["word"].to_list(), key=len, reverse=True))
QUALIFIER = lexicons.alternation(lexicons.table("count_qualifiers")["pattern"].to_list())
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
NUMBER = rf"(?:{DIGITS}|(?i:(?:{NUMBER_WORD})(?:[- ](?:{NUMBER_WORD}))?))"
#: A number that can stand alone before "dead" ("three dead"; not "a dead letter").
BARE_NUMBER = rf"(?:{DIGITS}|(?i:(?:{'|'.join(w for w in NUMBER_WORD.split('|') if w not in ('a', 'an'))})(?:[- ](?:{NUMBER_WORD}))?))"
PERSON = (
    r"(?i:people|persons?|civilians?|men|women|man|woman|children|child|kids?|boys?|girls?|"
    r"residents?|soldiers?|servicem[ae]n|troops|others|rescuers?|workers?|journalists?|"
    r"reporters?|pensioners?|teenagers?|infants?|babies|baby|policem[ae]n|officers?|"
    r"firefighters?|medics?|paramedics?|volunteers?|individuals?|victims?|passengers?|"
    r"inhabitants|miners|employees|staff|family members|relatives|drivers?)"
)
COUNT_PHRASE = rf"(?:(?:{QUALIFIER})\s+)?{NUMBER}(?:\s+[\w-]+){{0,2}}?\s+{PERSON}\b"
KILLED = r"(?i:killed|killing|kills|died|dead|deaths?|lost (?:their|his|her) lives|perished)"
INJURED = r"(?i:injured|injuring|injuries|wounded|wounding|hurt|hospitali[sz]ed)"
CASUALTY_WORD = rf"(?:{KILLED}|{INJURED})"
#: Passive or intransitive: the count comes first ("three people were injured").
COUNT_THEN_WORD = ascii_words(rf"{COUNT_PHRASE}[^.;:!?]{{0,70}}?\b{CASUALTY_WORD}\b")
#: Active: the verb comes first ("killing at least one", "wounded six others").
WORD_THEN_COUNT = ascii_words(
    rf"\b(?i:killing|killed|wounding|wounded|injuring|injured)\s+(?:(?:{QUALIFIER})\s+)?{NUMBER}\b(?:(?:\s+[\w-]+){{0,2}}?\s+{PERSON}\b)?"
)
#: "leaving three dead and ten injured".
#: "three dead", and "... killed and five more injured", "two others were wounded".
COUNT_ADJECTIVE = ascii_words(
    rf"(?:(?:{QUALIFIER})\s+)?\b{BARE_NUMBER}\s+(?:(?i:more|others?)\s+(?:(?i:were|have been|had been)\s+)?)?"
    r"(?:(?i:dead|killed|injured|wounded|hurt|died))\b"
)
NO_CASUALTIES = ascii_words(
    r"(?i:\bno (?:casualties|one was (?:killed|injured|hurt)|injuries|deaths)\b|\bnobody was (?:killed|injured|hurt)\b|\bwithout casualties\b)"
)
#: "There are dead and wounded": casualties without a number.
UNCOUNTED = ascii_words(
    r"(?i:\bthere (?:are|were|is|was) (?:both )?(?:dead|killed|fatalities|casualties|victims)(?: and (?:wounded|injured))?\b|"
    r"\b(?:dead|killed) and (?:wounded|injured) (?:were|are) reported\b|\bcasualties (?:were|are|have been) reported\b)"
)
#: "the bodies of at least 20 civilians", "12 bodies were found": counts of the dead.
BODIES = ascii_words(
    rf"\b(?i:bod(?:y|ies)) of (?:(?:{QUALIFIER})\s+)?{NUMBER}(?:\s+[\w-]+){{0,2}}?\s+{PERSON}\b"
    rf"|(?:(?:{QUALIFIER})\s+)?\b{BARE_NUMBER}\s+(?:[\w-]+\s+)?(?i:bodies)\b"
)
#: "Captain Anton Sydorov died in the shelling", "Olena Kovalenko, a nurse, was killed": one person.
ROLE = (
    r"captain|lieutenant|sergeant|colonel|major|private|soldier|serviceman|servicewoman|officer|journalist|"
    r"photographer|volunteer|medic|doctor|nurse|paramedic|rescuer|firefighter|resident|civilian"
)
NAMED_VICTIM = (
    rf"(?:\b(?i:{ROLE})\s+)?\p{{Lu}}\p{{Ll}}+(?:\s\p{{Lu}}\p{{Ll}}+){{1,2}}(?:,[^,.;]{{2,80}},)?\s+"
    r"(?:(?i:was|has been|had been)\s+)?(?i:killed|died)\b"
)
#: A named person's death counts only in a war context ("died of old age" is not a casualty).
WAR_CONTEXT = ascii_words(
    r"(?i)\b(?:killed|shell\w*|strikes?|struck|attack\w*|fire|shot|explosions?|drones?|missiles?|artillery|"
    r"battle|combat|front|hostilities|defending|wounds|in action|bomb\w*|shrapnel|guards?|army|forces|military|"
    r"brigade|regiment|battalion|defenders?|soldiers?|servicem[ae]n|occupiers|invaders|war)\b"
)
COUNT_PATTERN = rf"{COUNT_THEN_WORD}|{WORD_THEN_COUNT}|{COUNT_ADJECTIVE}|{NO_CASUALTIES}"
#: Rarer forms, scanned apart in the sentences that have their key words (cheaper than one alternation).
RARE_COUNT_PATTERN = rf"{UNCOUNTED}|{BODIES}"
RARE_COUNT_WORD = ascii_words(r"(?i)\b(?:bod(?:y|ies)|there (?:are|were|is|was)|casualties|dead and|killed and)\b")
#: A count over a period, not an incident.
TALLY = ascii_words(
    r"(?i)\b(?:since (?:the (?:start|beginning|outbreak)|the full-scale|february|20\d\d|the war|the invasion)|"
    r"so far|in total|a total of|to date|throughout the war|over the (?:past|last) \w+|"
    r"as of (?:the (?:beginning|start|end) of|\w+ \d{4}|20\d\d)|since russia|during the war|of the war|in the (?:war|conflict)|this year|last year|per day|a day|every day|"
    r"losses|since jan\w*|during the (?:[\w-]+ )?(?:occupation|siege|war|invasion|conflict)|"
    # bodies handed over in an exchange are counted where they fell, not here
    r"exchanges?|exchanged|repatriat\w+|handed over|sent back|received by|transferred to)\b"
)
#: Deaths of other wars and times ("a million people perished at Stalingrad").
HISTORY = ascii_words(r"(?i)\b(?:world war|wwii|ww2|holodomor|stalingrad|nazis?|soviet times|famine|19[0-9]{2})\b")
#: Conditional and hypothetical sentences report no casualties.
HYPOTHETICAL = ascii_words(r"(?i)\b(?:would|might|if|could)\b")
#: Just before a count: "like the one that", "such as the attack which" (a real attack compared with).
COMPARED_WITH = ascii_words(
    r"(?i)\b(?:like|as|such as)\s+(?:that|those|the (?:one|ones|attacks?|strikes?|shelling))\s+(?:which|that)\s+$"
)
#: A single incident with more victims than this is a tally, not an event count.
MAX_INCIDENT_COUNT = 1000
#: A sentence that can report casualties has one of these.
CASUALTY_CUE = ascii_words(rf"\b{CASUALTY_WORD}\b|{NO_CASUALTIES}|{UNCOUNTED}|(?i:\bbod(?:y|ies)\b)")


def number_value(text: pl.Expr) -> pl.Expr:
    """Integer value of a number phrase: digits, words, "twenty-one"; null for "dozens"."""
    words = dict(_WORDS.filter(pl.col("value").is_not_null()).select("word", "value").iter_rows())
    lowered = text.str.to_lowercase().str.replace_all(",", "")
    # a word of its own ("a dozen") first; else two words: "twenty-one" adds, "a hundred" multiplies
    whole = lowered.replace_strict(words, default=None, return_dtype=pl.Int64)
    parts = lowered.str.replace_all(r"\s+", "-").str.split_exact("-", 1)
    first = parts.struct.field("field_0").str.strip_chars().replace_strict(words, default=None, return_dtype=pl.Int64)
    second_word = parts.struct.field("field_1").str.strip_chars()
    second = second_word.replace_strict(words, default=None, return_dtype=pl.Int64)
    as_word = pl.coalesce(
        whole,
        pl.when(second_word.is_in(["hundred", "thousand"])).then(first * second).otherwise(first + second.fill_null(0)),
    )
    digits = text.str.replace_all(",", "").str.extract(r"^(\d{1,9})$", 1).cast(pl.Int64, strict=False)
    return pl.coalesce(digits, as_word)


def casualty_counts(sentences: pl.LazyFrame) -> pl.LazyFrame:
    """One row per count: kind (killed/injured), value, qualifier, victim group, offsets."""
    candidates = materialise(sentences.filter(pl.col("sentence").str.contains(CASUALTY_CUE)))  # read twice
    numbered = pl.concat(
        [
            find_all(candidates, "sentence", COUNT_PATTERN, "count"),
            find_all(
                candidates.filter(
                    pl.col("sentence").str.contains(RARE_COUNT_WORD) & ~pl.col("sentence").str.contains(NO_CASUALTIES)
                ),
                "sentence",
                RARE_COUNT_PATTERN,
                "count",
            ),
        ]
    )
    # Named victims are looked for apart (in one alternation they slow the scan down 2x),
    # in sentences that give no count of their own.
    named = find_all(candidates, "sentence", NAMED_VICTIM, "count").join(
        numbered.select("article_id", "sentence_index").unique(), on=["article_id", "sentence_index"], how="anti"
    )
    # "if they launch more attacks, like the one that killed seven in Lviv on Thursday": a
    # count in a comparison with a real attack is a fact, even in a conditional sentence
    compared = (
        pl.col("sentence")
        .str.slice(pl.max_horizontal(pl.col("count_start") - 40, 0), pl.min_horizontal(pl.col("count_start"), 40))
        .str.contains(COMPARED_WITH)
    )
    counts = pl.concat([numbered, named]).filter(
        ~pl.col("sentence").str.contains(TALLY)
        & (~pl.col("sentence").str.contains(HYPOTHETICAL) | compared)
        & ~pl.col("sentence").str.contains(HISTORY)
        # "several bodies of water": lakes, not the dead
        & ~(
            pl.col("count_text").str.contains(r"(?i)bodies$")
            & pl.col("sentence").str.contains(r"(?i)\bbodies of water\b")
        )
    )
    lead = r"^(?:(?i:killing|killed|wounding|wounded|injuring|injured|bod(?:y|ies) of)\s+)?"
    number_text = pl.col("count_text").str.extract(rf"{lead}(?:(?:{QUALIFIER})\s+)?({NUMBER})", 1)
    qualifier_text = pl.col("count_text").str.extract(rf"{lead}((?:{QUALIFIER}))\s", 1)
    is_zero = pl.col("count_text").str.contains(NO_CASUALTIES)
    is_named = pl.col("count_text").str.contains(rf"^{NAMED_VICTIM}$") & ~pl.col("count_text").str.contains(
        ascii_words(rf"(?:{NUMBER})\s+(?:[\w-]+\s+){{0,2}}?{PERSON}")
    )
    return (
        counts.with_columns(
            kind=pl.when(is_zero)
            .then(pl.lit("none"))
            .when(
                pl.col("count_text").str.contains(
                    ascii_words(rf"^(?i:killing|killed)\b|\b{KILLED}\b|(?i:\bbod(?:y|ies)\b)")
                )
            )
            .then(pl.lit("killed"))
            .otherwise(pl.lit("injured")),
            count_value=pl.when(is_zero)
            .then(pl.lit(0, pl.Int64))
            .when(is_named)
            .then(pl.lit(1, pl.Int64))
            .otherwise(number_value(number_text)),
            count_qualifier=pl.coalesce(
                pl.when(pl.col("count_text").str.contains(UNCOUNTED)).then(pl.lit("multiple")),
                lexicons.classify(qualifier_text, "count_qualifiers", "qualifier"),
                pl.when(number_value(number_text).is_null()).then(
                    lexicons.classify(number_text, "count_qualifiers", "qualifier")
                ),
            ),
            victim_group=lexicons.classify(
                pl.when(is_named)
                .then(pl.col("sentence"))
                .otherwise(pl.col("count_text").str.extract(ascii_words(rf"({PERSON})\b"), 1)),
                "victim_groups",
                "victim_group",
                default="civilian",
            ),
            _named=is_named,
        )
        .filter(~pl.col("_named") | pl.col("sentence").str.contains(WAR_CONTEXT))
        .drop("_named")
        .filter(
            (pl.col("count_value").is_not_null() | pl.col("count_qualifier").is_not_null())
            & (pl.col("count_value").fill_null(0) <= MAX_INCIDENT_COUNT)
            # "over a million perished", "thousands were killed": a tally, not an incident
            & ~number_text.fill_null("").str.contains(r"(?i)\b(?:thousands?|millions?|billions?)\b")
        )
    )


CASUALTY_COLUMNS = extracted_columns(CasualtyReports)


def casualty_reports(ctx: Context) -> pl.DataFrame:
    """One row per (article, date, place): killed and injured, each the largest count given."""
    sentences, mentions, dates, speakers, articles = ctx.plans()
    counts = materialise(casualty_counts(sentences).with_columns(_count_id=pl.int_range(pl.len())))  # read twice
    placed = nearest_place(
        counts.drop("sentence"),
        mentions.filter(~pl.col("is_reference")),
        start="count_start",
        end="count_end",
        key=["_count_id"],
    )
    # A count in a sentence of its own ("Two civilians were killed.") happened where and
    # when the place it takes was reported: that sentence's date, unless it has its own.
    rows = (
        with_fact_date(with_context(placed, sentences, dates, speakers), dates, "count_start")
        .join(articles.select("article_id", "published_date"), on="article_id")
        .with_columns(incident_date="fact_date", date_precision="fact_date_precision")
        .filter(not_background("incident_date", pl.col("published_date")))
        .with_columns(place_key=place_key())
    )
    killed = pl.col("count_value").filter(pl.col("kind").is_in(["killed", "none"]))
    injured = pl.col("count_value").filter(pl.col("kind").is_in(["injured", "none"]))
    return run(
        rows.sort("article_id", "sentence_index", "count_start")
        .group_by("article_id", "incident_date", "place_key", maintain_order=True)
        .agg(
            pl.col(
                "sentence_index",
                "mention_start",
                "date_precision",
                *PLACE_COLUMNS[1:],
                "reported_by",
                "evidence",
                "evidence_start",
                "evidence_end",
            ).first(),
            killed=killed.max(),
            injured=injured.max(),
            count_qualifier=pl.col("count_qualifier").drop_nulls().first(),
            victim_group=pl.col("victim_group").first(),
        )
        .select(CASUALTY_COLUMNS)
    )
