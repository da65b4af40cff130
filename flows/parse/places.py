"""Place mentions: capitalised phrases in sentences, joined to the gazetteer's aliases.

Steps, all as joins over whole frames:

1. candidate phrases (runs of capitalised words, with a following designator
   such as "region" or "district") and their word n-grams;
2. n-grams joined on the spelling-insensitive key to ``aliases``;
3. a mention is kept when it is a place and not part of a person's or an
   organisation's name (the rules in ``_accepted``);
4. one place per mention: the designator decides the level ("Kharkiv region"
   is the oblast), the oblasts named in the same paragraph decide between
   namesakes (dozens of villages are called Zelenyi Hai), and cities outrank
   villages. A name still ambiguous keeps ``location_id`` and, when the
   candidates span regions, ``admin1`` null: never guessed.
5. "the village of X" with X not in the gazetteer is still a mention, named as
   written, in the region the paragraph gives.
"""

from __future__ import annotations

import polars as pl

from flows.parse import lexicons
from flows.parse.names import name_key
from flows.parse.text import ascii_words, find_all, materialise, run
from flows.parse.window import neighbours
from schemas.staging import PlaceMentions, extracted_columns

WORD = r"\p{Lu}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*"
DESIGNATORS = lexicons.table("place_designators")
DESIGNATOR = lexicons.alternation(DESIGNATORS["pattern"].to_list())
#: A run of capitalised words. A designator after it ("Kharkiv region") is read
#: from the text that follows: inside this pattern it slows the scan down 3-5x.
PHRASE = rf"{WORD}(?: {WORD}){{0,5}}"
DESIGNATOR_AFTER = ascii_words(rf"^\s+({DESIGNATOR})\b")
#: Words that may follow a place inside a capitalised phrase ("Kharkiv Mayor").
TITLE_WORDS = (
    r"(?i:^(?:mayor|governor|military|regional|city|oblast|region|district|raion|province|"
    r"administration|council|authorities|police|prosecutor|prosecutors|governor's|head|chief|"
    r"metropolitan|state|power|thermal|nuclear|airport|airfield|port|railway|station|front|"
    r"direction|axis|sector|offensive|counteroffensive|circuit|voivodeship)$)"
)
#: A named facility: the place that opens its name is where it is ("Mykolaiv Oncology Hospital",
#: "Mariupol Drama Theatre", "Kharkiv National University").
FACILITY_WORDS = (
    r"(?i:^(?:hospitals?|clinic|theat(?:er|re)|school|university|college|academy|lyceum|plant|factory|works|"
    r"market|museum|church|cathedral|monastery|stadium|hotel|mall|library|bridge|refinery|depot|airbase|base|"
    r"airport|airfield|port|station)$)"
)
#: Words that may stand before a place inside a phrase ("Russia's Kursk").
MODIFIER_WORDS = (
    r"(?i:^(?:the|a|an|russia's|russia’s|ukraine's|ukraine’s|russian-occupied|occupied|eastern|western|"
    r"northern|southern|central|north-eastern|north-western|south-eastern|south-western|"
    r"northeastern|northwestern|southeastern|southwestern|greater|in|on|at|near|outside|"
    r"annexed|liberated|frontline|front-line|embattled|besieged|city|town|village|region|"
    r"regions|oblast|district|from|to|and|of)$)"
)
#: A locative word just before a mention: small places need one.
LOCATIVE_CUE = ascii_words(
    r"(?i)\b(?:in|of|near|at|on|to|from|into|outside|around|towards?|across|over|"
    r"village|villages|town|towns|city|settlement|hamlet|and|or|including)"
    r"(?:\s+the)?[\s,]*$"
)
#: "the village of X" names a settlement even when the gazetteer lacks it.
SETTLEMENT_CUE = ascii_words(r"(?i)\b(?:village|town|city|settlement|hamlet) of\s*$")
#: Between a place and the oblast that qualifies it: "Orikhiv, Zaporizhia", "Korsunka (Kherson)",
#: "the Tokmatska hromada, Zaporizhia".
QUALIFIER_BETWEEN = (
    r"^(?:\s+(?i:districts?|raions?|hromadas?|(?:territorial )?communit(?:y|ies)|villages?|towns?|cit(?:y|ies)|"
    r"settlements?))?\s*(?:,|\()\s*$"
)
#: After an oblast name: the list goes on ("Sumy, Dnipro, Kharkiv"), so it is an item, not a qualifier.
QUALIFIER_LIST_GOES_ON = r"^(?:\s+(?i:regions?|oblasts?|provinces?))?\s*(?:,\s*(?:and\s+)?\p{Lu}|(?:and|or|&)\s+\p{Lu})"
#: After an oblast name: an office ("Kharkiv regional governor"), not a qualifier.
QUALIFIER_IS_OFFICE = (
    r"^['’]?s?\s+(?i:regional|oblast|city|governor|mayor|head|military|administration|authorities|officials?|police)\b"
)
#: Before a phrase the gazetteer does not know: the words that make it a place.
QUALIFIED_PLACE_CUE = (
    r"(?i)(?:\b(?:in|of|near|at|on|outside|around|towards?|over|village|town|city|settlement|shelled|struck|hit|"
    r"attacked|targeted|bombed|shelling|strikes?|attacks?)\s+(?:the\s+)?)$"
)
CATEGORY_RANK = {"K": 0, "M": 1, "T": 2, "X": 3, "C": 4}
#: Settlements this large are named without a locative cue.
CITY_POPULATION = 20_000
LARGE_CITY = 100_000

MENTION_COLUMNS = extracted_columns(PlaceMentions)
#: A place named as a reference point, not as the scene.
REFERENCE_POINT = ascii_words(
    r"(?i)(?:\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west)(?:ern)?\s+of|\bkm\b[^.]{0,20}\b(?:from|of)|\bmiles\b[^.]{0,20}\b(?:from|of)|"
    r"\bborder with|\bdirection of|\bway to|\broad to|\broutes? to|\bflights? to|\bvisit(?:ed|ing)? to|\bvisit(?:ed|ing)?|"
    # a cause, not the scene: "strikes in revenge for the Crimea bridge"
    r"\b(?:revenge|retaliation|reprisals?|retribution)\s+for|"
    # a metaphor: "turn the city into a new Mariupol", "another Bucha", "is Ukraine's Katyn"
    r"\ba new|\banother|\ba second|\b(?:is|was|became|becomes)\s+(?:ukraine|russia|europe)['’]s)\s*(?:the\s+)?"
    # "north of occupied Donetsk"
    r"(?:(?:russian-|ukrainian-)?(?:occupied|held|controlled)\s+)?$"
)
#: Where someone or something comes from is not the scene: "three girls from Kyiv", "fled from
#: Mariupol", "missiles launched from Belgorod".
ORIGIN = ascii_words(
    r"(?i)\b(?:people|residents?|girls?|boys?|men|women|children|family|families|refugees|evacuees|volunteers?|"
    r"journalists?|natives?|originally|hails?|came|coming|comes|fled|flee(?:ing)?|evacuated|"
    r"launched|fired|returned|moved|relocated|displaced|deported|heading|travell?ing|driving|going|"
    r"en route) from\s*(?:the\s+)?$"
    # and where they were going: "a convoy heading from Mariupol to Zaporizhzhia"
    r"|\b(?:heading|travell?ing|driving|going|moving|en route|bound|on (?:its|their|the) way)(?:\s+[\w'’-]+){0,4}?"
    r"\s+(?:to|towards?|for)\s*(?:the\s+)?$"
)
#: "in the west of Moscow", "the northern part of Kharkiv": a part of the place, not a reference point.
PART_OF_PLACE = ascii_words(
    r"(?i)\bthe\s+(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west|centre|center|outskirts)(?:ern)?(?:\s+(?:part|parts|side|edge|outskirts))?\s+of\s*(?:the\s+)?$"
)
#: A list that follows a designator names regions: "the regions of Chernihiv,
#: Zhytomyr and Lviv", "circuits, including Mikołajowski, Chmielnicki and Poltawski".
LIST_ITEM = r"[\p{L}'’-]+(?:\s+[\p{L}'’-]+){0,3}"
DESIGNATED_LIST = ascii_words(
    rf"(?i)\b(?:regions|oblasts|provinces|circuits|districts|raions|region|oblast)\s*(?:,\s*)?(?:of|including|such as|like|:)\s*"
    rf"(?:{LIST_ITEM}(?:\s*,\s*(?:and\s+)?|\s+and\s+))*$"
)
CONTAINER_CUE = r"\p{Lu}[\p{L}'’-]+\s+(?i:district|raion|village|town|settlement|hromada|community),?\s+in\s*$"
#: A capital city is the scene of an event only when the text places something
#: in it ("in Kyiv", "struck Kyiv", "the capital Kyiv", "a Kyiv apartment block");
#: otherwise "Kyiv" and "Moscow" name governments ("efforts to censure Moscow").
CAPITAL_AS_PLACE_BEFORE = ascii_words(
    r"(?i)(?:\b(?:in|on|at|over|near|across|around|outside|toward|towards|into|of|to|from|capital|city|including|"
    r"hit|struck|strikes?|attacked|attacks?|attacking|striking|shelling|targeting|bombing|hitting|shelled|targeted|"
    r"bombed|a|an|the)\s+)$"
)
CAPITAL_AS_PLACE_AFTER = ascii_words(
    r"^['’]?s?\s+(?:apartment|residential|suburbs?|region|oblast|district|city|centre|center|outskirts|"
    r"building|metro|airport|station|mall|market|homes?|house|area|streets?|neighbou?rhoods?|skyline|"
    r"residents|mayor|authorities|military administration|power|thermal|railway|was (?:hit|struck|attacked|shelled|targeted))\b"
)
#: A place name that names a document, meeting or body ("the Minsk agreements",
#: "Crimea Platform", "Donetsk People's Republic").
NAMED_THING = ascii_words(
    r"^['’]?s?\s+(?i:agreements?|accords?|format|talks|protocols?|process|summit|platform|declaration|"
    r"memorandum|group|people's republic|republic|football|club|university|airlines|nuclear|npp|power plant|"
    r"hydroelectric|dam|river|regiment|battalion|brigade|fighters|defenders|unit)\b"
)
#: A capital standing for its government: "Kyiv's proposal", "Moscow said".
CAPITAL_REGIONS = ["Kyiv City", "Moscow City", "Minsk City"]
ACTOR_VERB = ascii_words(
    r"^['’]?s?\s+(?:said|says|wants|accused|claimed|claims|denied|denies|insists|demanded|"
    r"demands|refused|agreed|announced|responded|warned|hopes|reports|reported|stated|states|writes|wrote|"
    r"informs|informed|confirmed|confirms|noted|notes|added|adds|tweeted|posted)\b"
)


#: "the Kyiv suburb of Bucha": the first place contains the second, which is the scene.
CONTAINER_OF_NEXT = ascii_words(
    r"^['’]?s?\s+(?i:suburbs?|satellite town|outskirts|district|neighbou?rhood)\s+of\s+\p{Lu}"
)
#: A place followed by an office names who speaks, not where it happened:
#: "the Donetsk regional governor", "Kharkiv's mayor", "Sumy Regional Military Administration".
OFFICE_AFTER = ascii_words(
    r"^['’]?s?\s+(?i:(?:regional|oblast|region's|city|district|military|state)\s+)*(?i:governor|mayor|head|"
    r"administration|council|authorities|officials?|police|prosecutor'?s?|chief|spokes(?:man|woman|person))\b"
)


#: "Kharkiv's mayor said two missiles hit the city": the office's place is the scene after all.
ANAPHORA = ascii_words(r"(?i)\bthe (?:city|town|village|region|oblast|regional (?:centre|center)|capital)\b")


def _ngrams(phrases: pl.LazyFrame) -> pl.LazyFrame:
    """Every 1-4 word n-gram of each phrase, with offsets into the sentence.

    Words come out of ``find_all`` in phrase order, so a neighbour is a plain
    shift, valid while ``phrase_id`` stays the same (cheaper than a window).
    """
    words = find_all(phrases, "phrase_text", WORD, "word").with_columns(
        word_index=pl.int_range(pl.len()).over("phrase_id"),
        n_words=pl.len().over("phrase_id"),
    )

    def shifted(column: str, by: int) -> pl.Expr:
        same_phrase = pl.col("phrase_id").shift(-by) == pl.col("phrase_id")
        return pl.when(same_phrase).then(pl.col(column).shift(-by))

    grams = []
    for n in range(1, 5):
        grams.append(
            words.with_columns(n=pl.lit(n), gram_end=shifted("word_end", n - 1))
            .with_columns(
                gram_text=pl.col("phrase_text").str.slice(
                    pl.col("word_start"), pl.col("gram_end") - pl.col("word_start")
                ),
                next_word=shifted("word_text", n),
                prev_word=shifted("word_text", -1),
            )
            .filter(pl.col("gram_end").is_not_null())
        )
    return pl.concat(grams, how="vertical")


def place_mentions(sentences: pl.DataFrame, places: pl.DataFrame, aliases: pl.DataFrame) -> pl.DataFrame:
    """Sentences -> one row per place mention (``MENTION_COLUMNS``)."""
    sentences, places, aliases = sentences.lazy(), places.lazy(), aliases.lazy()
    phrases = (
        find_all(sentences, "sentence", PHRASE, "phrase")
        .with_columns(
            phrase_id=pl.int_range(pl.len(), dtype=pl.Int64),
            last_word=pl.col("phrase_text").str.extract(r"(\S+)$", 1),
            designator=pl.coalesce(
                pl.col("phrase_text").str.extract(rf"\s({DESIGNATOR})$", 1),
                pl.col("sentence").str.slice(pl.col("phrase_end"), 20).str.extract(DESIGNATOR_AFTER, 1),
            ),
            # a hashtag or handle sign is not a word: "in #Kharkiv" has the cue "in"
            before=pl.col("sentence")
            .str.slice(
                pl.max_horizontal(pl.col("phrase_start") - 40, 0),
                pl.min_horizontal(pl.col("phrase_start"), 40),
            )
            .str.replace(r"[#@]+$", ""),
            list_before=pl.col("sentence").str.slice(
                pl.max_horizontal(pl.col("phrase_start") - 120, 0), pl.min_horizontal(pl.col("phrase_start"), 120)
            ),
        )
        .with_columns(phrase_text=pl.col("phrase_text").str.replace(rf"\s+{DESIGNATOR}$", ""))
        # Each phrase keeps the bits of its sentence the rules read, not the sentence:
        # a copy per phrase and per candidate place costs memory in proportion to the
        # sentence's length times its phrases.
        .drop("sentence")
    )
    # Phrases repeat ("Russia", "The", "Kyiv"): n-grams, keys and alias matches
    # depend on the text alone, so they are worked out once per distinct text,
    # and the wide phrase columns are joined back only where an alias matched.
    phrases = materialise(phrases)
    texts = materialise(  # once: the ids must be the same for both readers
        phrases.select("phrase_text").unique().with_columns(text_id=pl.int_range(pl.len(), dtype=pl.Int64))
    )
    phrases = materialise(phrases.join(texts, on="phrase_text"))  # also read by _unlisted_settlements
    ngrams = materialise(_ngrams(texts.select(phrase_id="text_id", phrase_text="phrase_text")))
    matched = (
        ngrams.select("gram_text")
        .unique()
        .with_columns(gram_key=name_key(pl.col("gram_text").str.replace(r"['’]s$", "")))
        .join(aliases.select("alias_key", "location_id", "needs_evidence"), left_on="gram_key", right_on="alias_key")
    )
    grams = materialise(
        ngrams.join(matched, on="gram_text")
        .rename({"phrase_id": "text_id"})
        .join(phrases.drop("phrase_text"), on="text_id")
        .with_columns(level_hint=_phrase_level_hint())  # on matched phrases only: a few regexes fewer
        .with_columns(
            # A designator inside the phrase ("Kharkiv Oblast") sets the level.
            level_hint=pl.coalesce(_designator_level(pl.col("next_word")), "level_hint"),
            ends_phrase=pl.col("word_index") + pl.col("n") == pl.col("n_words"),
        )
        # Read once above; gazetteer columns no rule reads stay out: a row per candidate place
        # of every phrase is the widest frame of the parse.
        .drop("list_before", "gram_key", "sentence_start", "sentence_end")
        .join(places.drop("name_local", "coordinates_source", "source", strict=False), on="location_id")
        .filter(_accepted())
    )
    # The longest matching n-gram wins inside a phrase ("Zelenyi Hai" over "Hai").
    grams = grams.with_columns(
        mention_start=pl.col("phrase_start") + pl.col("word_start"),
        mention_end=pl.col("phrase_start") + pl.col("gram_end"),
    )
    longest = (
        grams.select("phrase_id", "mention_start", "mention_end")
        .unique()
        .join(
            grams.select("phrase_id", o_start="mention_start", o_end="mention_end").unique(),
            on="phrase_id",
        )
        .filter(
            (pl.col("o_start") <= pl.col("mention_start"))
            & (pl.col("o_end") >= pl.col("mention_end"))
            & ((pl.col("o_end") - pl.col("o_start")) > (pl.col("mention_end") - pl.col("mention_start")))
        )
        .select("phrase_id", "mention_start", "mention_end")
        .unique()
    )
    candidates = materialise(grams.join(longest, on=["phrase_id", "mention_start", "mention_end"], how="anti"))
    del grams, longest  # the frame behind them can go: candidates is what is read from here on
    qualifiers = materialise(_region_qualifiers(candidates, phrases, sentences))
    # "Orikhiv, Zaporizhia": the qualified place is looked for in that region only,
    # and the qualifier is not a place of its own.
    candidates = candidates.join(
        qualifiers.select("article_id", "sentence_index", phrase_start="a_start", q_admin1="q_admin1"),
        on=["article_id", "sentence_index", "phrase_start"],
        how="left",
    ).filter(pl.col("q_admin1").is_null() | (pl.col("admin1") == pl.col("q_admin1")))
    resolved = materialise(
        _resolve(candidates.with_columns(qualified=pl.col("q_admin1").is_not_null()).drop("q_admin1")).join(
            qualifiers.select("article_id", "sentence_index", mention_start="q_start"),
            on=["article_id", "sentence_index", "mention_start"],
            how="anti",
        )
    )
    unresolved = pl.concat(
        [_unlisted_settlements(phrases, resolved), _unlisted_qualified(qualifiers, resolved)], how="diagonal_relaxed"
    )
    landmarks = materialise(_landmarks(sentences, places))
    named = _not_inside(pl.concat([resolved, unresolved], how="diagonal_relaxed"), landmarks)
    mentions = materialise(pl.concat([named, landmarks], how="diagonal_relaxed"))
    return run(_mark_references(_fill_region_from_context(mentions), sentences).select(MENTION_COLUMNS))


def _not_inside(mentions: pl.LazyFrame, landmarks: pl.LazyFrame) -> pl.LazyFrame:
    """Mentions that overlap no landmark: "the Kakhovka dam" names Nova Kakhovka, and its
    "Kakhovka" is not a second place (nor a second mention at the same offset)."""
    key = ["article_id", "sentence_index"]
    inside = (
        mentions.select(*key, "mention_start", "mention_end")
        .join(landmarks.select(*key, l_start="mention_start", l_end="mention_end"), on=key)
        .filter((pl.col("mention_start") < pl.col("l_end")) & (pl.col("l_start") < pl.col("mention_end")))
        .select(*key, "mention_start")
        .unique()
    )
    return mentions.join(inside, on=[*key, "mention_start"], how="anti")


def _phrase_level_hint() -> pl.Expr:
    """The level a phrase's context gives it: its own designator ("Kharkiv region"),
    a container cue ("Starychi district in Lviv": the place after a place is its
    region) or a designated list ("the regions of Chernihiv, Zhytomyr and Lviv")."""
    list_before = pl.col("list_before")
    return pl.coalesce(
        _designator_level(pl.col("designator")),
        pl.when(pl.col("before").str.contains(CONTAINER_CUE)).then(pl.lit("oblast")),
        pl.when(list_before.str.contains(DESIGNATED_LIST)).then(
            _designator_level(
                list_before.str.extract(
                    r"(?i)\b(regions?|oblasts?|provinces|circuits|districts|raions)\b[^\p{Lu}]*(?:\p{Lu}|$)", 1
                )
            )
        ),
    )


def _designator_level(expr: pl.Expr) -> pl.Expr:
    out = pl.lit(None, pl.String)
    for pattern, level in reversed(DESIGNATORS.rows()):
        out = pl.when(expr.str.contains(f"(?i)^(?:{pattern})$")).then(pl.lit(level)).otherwise(out)
    return out


def _accepted() -> pl.Expr:
    """Keep an n-gram that is a place, not a fragment of a name ("Volodymyr Zelenskyy")."""
    whole = pl.col("n") == pl.col("n_words")
    opens_a_facility = (pl.col("word_index") == 0) & pl.col("last_word").str.contains(FACILITY_WORDS)
    before_ok = pl.col("prev_word").is_null() | pl.col("prev_word").str.contains(MODIFIER_WORDS)
    after_ok = pl.col("next_word").is_null() | pl.col("next_word").str.contains(TITLE_WORDS)
    return whole | (before_ok & after_ok) | opens_a_facility


def _needs_support() -> pl.Expr:
    """A village (not a city) is a place only with a cue, a designator or its region nearby."""
    return (
        (pl.col("feature_type") == "settlement")
        & (pl.col("population").fill_null(0) < CITY_POPULATION)
        & ~pl.col("katottg_category").fill_null("").is_in(["K", "M"])
        & ~(pl.col("before").str.contains(LOCATIVE_CUE) & (pl.col("word_index") == 0))
        & pl.col("level_hint").is_null()
    )


def _resolve(candidates: pl.LazyFrame) -> pl.LazyFrame:
    """One place per mention, by level hint, regional context and rank."""
    key = ["article_id", "sentence_index", "mention_start"]
    # Context: an oblast named right after the place ("X in the Y region") binds
    # tightest, then one in the same sentence, then one in the same paragraph.
    scored = (
        _with_oblast_context(candidates)
        .group_by([*key, "location_id"])
        .agg(
            pl.all().exclude("context").first(),
            context=pl.col("context").max(),
        )
        .filter((pl.col("context") > 0) | ~_needs_support())
        # "Many", "Oleh", "Berlin": a name that is also a word, a given name or a world city
        # is the village only with strong evidence: a designator, "the village of", its
        # region in the same sentence or right after it.
        .filter(
            ~pl.col("needs_evidence").fill_null(False)
            | pl.col("level_hint").is_not_null()
            | (pl.col("context") >= 2)
            | pl.col("qualified")
            | pl.col("before").str.contains(SETTLEMENT_CUE)
        )
        .with_columns(
            level_ok=pl.when(pl.col("level_hint") == "oblast")
            .then(pl.col("feature_type").replace_strict({"oblast": 0, "raion": 1, "settlement": 2}, default=3))
            .when(pl.col("level_hint") == "raion")
            .then(pl.col("feature_type").replace_strict({"raion": 0, "settlement": 1, "oblast": 2}, default=3))
            .otherwise(pl.col("feature_type").replace_strict({"settlement": 0, "oblast": 1, "raion": 2}, default=3)),
            rank=pl.col("katottg_category").replace_strict(CATEGORY_RANK, default=5),
            big=pl.col("population").fill_null(0) >= CITY_POPULATION,
        )
    )
    best_level = scored.with_columns(keep=pl.col("level_ok") == pl.col("level_ok").min().over(key)).filter("keep")
    # Regional context, then size: a city over a village, a known population over none.
    # A large city outranks its namesake villages whatever region is named nearby.
    best = best_level.filter(
        (pl.col("population").fill_null(0) >= LARGE_CITY)
        | ~(pl.col("population").fill_null(0) >= LARGE_CITY).any().over(key)
    )
    best = best.filter(pl.col("context") == pl.col("context").max().over(key))
    best = best.with_columns(
        n_cand=pl.len().over(key),
        n_big=pl.col("big").sum().over(key),
    ).filter((pl.col("n_big") == 0) | pl.col("big") | (pl.col("n_cand") == 1))
    best = best.with_columns(n_cand=pl.len().over(key), n_big=pl.col("big").sum().over(key))
    best = best.with_columns(top=pl.col("population").fill_null(0).max().over(key)).filter(
        (pl.col("n_big") == 0) | (pl.col("population").fill_null(0) == pl.col("top"))
    )
    best = best.with_columns(
        n_cand=pl.len().over(key),
        n_admin1=pl.col("admin1").n_unique().over(key),
    )
    return (
        best.sort("location_id")  # deterministic "first" among equal candidates
        .group_by(key)
        .agg(
            pl.col("paragraph_index", "mention_end", "gram_text").first(),
            location_id=pl.when(pl.col("n_cand").first() == 1).then(pl.col("location_id").first()),
            name=pl.col("name").first(),
            feature_type=pl.col("feature_type").first(),
            admin1=pl.when(pl.col("n_admin1").first() == 1).then(pl.col("admin1").first()),
            admin2=pl.when(pl.col("n_cand").first() == 1).then(pl.col("admin2").first()),
            country_code=pl.when(pl.col("country_code").n_unique() == 1).then(pl.col("country_code").first()),
            latitude=pl.when(pl.col("n_cand").first() == 1).then(pl.col("latitude").first()),
            longitude=pl.when(pl.col("n_cand").first() == 1).then(pl.col("longitude").first()),
        )
        .with_columns(
            mention_text="gram_text",
            place_name=pl.when(pl.col("location_id").is_not_null()).then("name").otherwise("gram_text"),
            settlement=pl.when(pl.col("feature_type") == "settlement").then(
                pl.when(pl.col("location_id").is_not_null()).then("name").otherwise("gram_text")
            ),
            admin2=pl.when(pl.col("feature_type") == "oblast").then(None).otherwise("admin2"),
        )
        .drop("gram_text", "name")
    )


#: Stands for "any region" where a place has none (a country): every oblast is its context.
_ANY_REGION = "*"


def _with_oblast_context(candidates: pl.LazyFrame) -> pl.LazyFrame:
    """``context`` of each candidate: 3 for an oblast of its region named within 40 characters
    after it, 2 for one in its sentence, 1 in its paragraph (or a paragraph naming no oblast at
    all), 0 when the paragraph names only other oblasts.

    Worked out from what each paragraph and sentence names, and the one oblast mention right
    after the candidate, rather than by pairing the candidate with every oblast mention of its
    paragraph (quadratic in a paragraph that lists thousands).
    """
    oblasts = candidates.filter(pl.col("feature_type") == "oblast").select(
        "article_id", "paragraph_index", "sentence_index", "mention_start", _region="admin1"
    )
    # Oblasts always have a region; a candidate without one matches any of them.
    oblasts = materialise(pl.concat([oblasts, oblasts.with_columns(_region=pl.lit(_ANY_REGION))]))
    in_paragraph = oblasts.select("article_id", "paragraph_index", "_region").unique()
    in_sentence = oblasts.select("article_id", "sentence_index", "_region").unique()
    # Worked out once per place of a mention and region, on narrow rows, then joined once
    # to the wide candidate rows.
    position = ["article_id", "paragraph_index", "sentence_index", "mention_end", "_region"]
    candidates = candidates.with_columns(_region=pl.coalesce("admin1", pl.lit(_ANY_REGION)))
    ends = materialise(candidates.select(position).unique())
    close = (
        neighbours(
            ends,
            oblasts.select("article_id", "sentence_index", "_region", _next_start="mention_start"),
            ["article_id", "sentence_index", "_region"],
            ["mention_end"],
            ["_next_start"],
            before=0,
            after=1,
        )
        .filter((pl.col("_next_start") - pl.col("mention_end")) <= 40)
        .select(position, _close=pl.lit(True))
    )
    context = (
        ends.join(
            oblasts.select("article_id", "paragraph_index", _any=pl.lit(True)).unique(),
            on=["article_id", "paragraph_index"],
            how="left",
        )
        .join(
            in_paragraph.with_columns(_para=pl.lit(True)), on=["article_id", "paragraph_index", "_region"], how="left"
        )
        .join(in_sentence.with_columns(_sent=pl.lit(True)), on=["article_id", "sentence_index", "_region"], how="left")
        .join(close, on=position, how="left")
        .select(
            position,
            context=pl.when(pl.col("_any").is_null())
            .then(1)
            .when(pl.col("_close"))
            .then(3)
            .when(pl.col("_sent"))
            .then(2)
            .when(pl.col("_para"))
            .then(1)
            .otherwise(0),
        )
    )
    return candidates.join(context, on=position, how="left").drop("_region")


def _region_qualifiers(candidates: pl.LazyFrame, phrases: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Oblast names that qualify the place before them: "Orikhiv, Zaporizhia",
    "near Vovchansk, Kharkiv region", "Korsunka (Kherson)".

    An oblast name right after a place and a comma (or an opening bracket) is
    that place's region when the place has a namesake in that oblast, or when
    the text gives no sign of a list ("Sumy, Dnipro, Kharkiv") and the place is
    not a large city elsewhere. Not when it names an office ("Kharkiv regional
    governor"). One row per qualifier: its span, region, and the qualified phrase.
    """
    oblasts = (
        candidates.filter((pl.col("feature_type") == "oblast") & (pl.col("word_index") == 0))
        .group_by("article_id", "sentence_index", "mention_start")
        .agg(
            pl.col("mention_end").first(),
            q_admin1=pl.col("admin1").first(),
            q_country=pl.col("country_code").first(),
            n_regions=pl.col("admin1").n_unique(),
        )
        .filter(pl.col("n_regions") == 1)
        .join(sentences.select("article_id", "sentence_index", "sentence"), on=["article_id", "sentence_index"])
        .with_columns(q_after=pl.col("sentence").str.slice(pl.col("mention_end"), 40))
        .filter(~pl.col("q_after").str.contains(QUALIFIER_IS_OFFICE))
        .select(
            "article_id",
            "sentence_index",
            "sentence",
            "q_after",
            "q_admin1",
            "q_country",
            q_start="mention_start",
            q_end="mention_end",
        )
    )
    # The phrases that end up to 40 characters before the oblast: at most 20 fit there.
    pairs = neighbours(
        oblasts,
        phrases.select(
            "article_id",
            "sentence_index",
            "paragraph_index",
            "before",
            a_start="phrase_start",
            a_end="phrase_end",
            a_text="phrase_text",
        ),
        ["article_id", "sentence_index"],
        ["q_start"],
        ["a_end"],
        before=21,
        after=0,
    ).filter(
        (pl.col("q_start") - pl.col("a_end")).is_between(1, 40)
        & pl.col("sentence")
        .str.slice(pl.col("a_end"), pl.max_horizontal(pl.col("q_start") - pl.col("a_end"), 0))
        .str.contains(QUALIFIER_BETWEEN)
    )
    namesakes = (
        candidates.filter(pl.col("feature_type") != "oblast")
        .select(
            "article_id",
            "sentence_index",
            a_start="phrase_start",
            in_region="admin1",
            big=pl.col("population").fill_null(0) >= CITY_POPULATION,
        )
        .join(
            pairs.select("article_id", "sentence_index", "a_start", "q_admin1"),
            on=["article_id", "sentence_index", "a_start"],
        )
        .group_by("article_id", "sentence_index", "a_start", "q_admin1")
        .agg(
            contained=(pl.col("in_region") == pl.col("q_admin1")).any(),
            big_elsewhere=(pl.col("big") & (pl.col("in_region") != pl.col("q_admin1"))).any(),
        )
    )
    return (
        pairs.join(namesakes, on=["article_id", "sentence_index", "a_start", "q_admin1"], how="left")
        .with_columns(pl.col("contained", "big_elsewhere").fill_null(False))
        .filter(
            pl.col("contained")
            | (
                ~pl.col("q_after").str.contains(QUALIFIER_LIST_GOES_ON)
                & ~pl.col("big_elsewhere")
                & pl.col("before").str.contains(QUALIFIED_PLACE_CUE)
            )
        )
        .select(
            "article_id",
            "sentence_index",
            "paragraph_index",
            "q_start",
            "q_end",
            "q_admin1",
            "q_country",
            "a_start",
            "a_end",
            "a_text",
        )
    )


def _unlisted_qualified(qualifiers: pl.LazyFrame, resolved: pl.LazyFrame) -> pl.LazyFrame:
    """ "shelled near Nevske, Luhansk" with no Nevske in Luhansk in the gazetteer: a
    settlement named as written, in the region the qualifier gives."""
    found = (
        # the phrase a mention is in starts at or before it: one of the last few such
        neighbours(
            resolved.select("article_id", "sentence_index", "mention_start"),
            qualifiers.select("article_id", "sentence_index", "a_start", "a_end"),
            ["article_id", "sentence_index"],
            [pl.col("mention_start") + 1],
            ["a_start"],
            before=4,
            after=0,
        ).filter(pl.col("mention_start").is_between(pl.col("a_start"), pl.col("a_end") - 1))
    )
    return (
        qualifiers.join(
            found.select("article_id", "sentence_index", "a_start"),
            on=["article_id", "sentence_index", "a_start"],
            how="anti",
        )
        .filter(pl.col("a_text").str.count_matches(r"\s") < 3)
        # "an attack on Ukraine, Kyiv still stands": a side's name or a first name is not a village
        .filter(
            ~pl.col("a_text").str.contains(
                lexicons.alternation(lexicons.table("sides")["pattern"].to_list(), case_insensitive=False)
            )
            & ~pl.col("a_text").is_in(lexicons.table("given_names")["name"].to_list())
        )
        .select(
            "article_id",
            "sentence_index",
            "paragraph_index",
            mention_start="a_start",
            mention_end=pl.col("a_start") + pl.col("a_text").str.len_chars(),
            mention_text="a_text",
            place_name="a_text",
            settlement="a_text",
            feature_type=pl.lit("settlement"),
            admin1="q_admin1",
            country_code="q_country",
        )
    )


def _landmarks(sentences: pl.LazyFrame, places: pl.LazyFrame) -> pl.LazyFrame:
    """Places named by a landmark or a description: "the Russian capital", "the Zaporizhzhia
    nuclear plant" (at Enerhodar), "Azovstal" (in Mariupol); ``lexicons/landmarks.csv``."""
    landmarks = lexicons.table("landmarks")
    phrase = lexicons.alternation(landmarks["pattern"].to_list())
    entries = (
        places.filter(pl.col("feature_type") == "settlement")
        .join(pl.LazyFrame(landmarks.select("name", "admin1").unique()), on=["name", "admin1"])
        .sort("population", descending=True, nulls_last=True)
        .unique(["name", "admin1"], keep="first")
    )
    return (
        find_all(
            sentences.filter(pl.col("sentence").str.contains(phrase)).select(
                "article_id", "sentence_index", "paragraph_index", "sentence"
            ),
            "sentence",
            phrase,
            "mention",
        )
        .with_columns(
            name=lexicons.classify(pl.col("mention_text"), "landmarks", "name"),
            admin1=lexicons.classify(pl.col("mention_text"), "landmarks", "admin1"),
        )
        .join(entries, on=["name", "admin1"])
        .select(
            "article_id",
            "sentence_index",
            "paragraph_index",
            "mention_start",
            "mention_end",
            "mention_text",
            "location_id",
            place_name="name",
            feature_type=pl.lit("settlement"),
            settlement="name",
            admin1="admin1",
            admin2="admin2",
            country_code="country_code",
            latitude="latitude",
            longitude="longitude",
        )
    )


def _unlisted_settlements(phrases: pl.LazyFrame, resolved: pl.LazyFrame) -> pl.LazyFrame:
    """'the village of Obesta': a settlement the gazetteer lacks, named as written. A first
    name is not one ("the city of Mary": a saint's city, not a village the gazetteer lacks)."""
    given_names = lexicons.table("given_names")["name"]
    return (
        phrases.filter(pl.col("before").str.contains(SETTLEMENT_CUE))
        .with_columns(
            mention_text=pl.col("phrase_text").str.extract(rf"^({WORD}(?: {WORD})?)", 1),
            mention_start=pl.col("phrase_start"),
        )
        .filter(~pl.col("mention_text").is_in(given_names.to_list()))
        .with_columns(mention_end=pl.col("mention_start") + pl.col("mention_text").str.len_chars())
        .join(
            resolved.select("article_id", "sentence_index", "mention_start"),
            on=["article_id", "sentence_index", "mention_start"],
            how="anti",
        )
        .select(
            "article_id",
            "sentence_index",
            "paragraph_index",
            "mention_start",
            "mention_end",
            "mention_text",
            place_name="mention_text",
            settlement="mention_text",
            feature_type=pl.lit("settlement"),
        )
    )


#: Between two places: the second locates the first ("Irpin near the Ukrainian capital").
NEAR_PREVIOUS = ascii_words(r"(?i)^,?\s+(?:near|outside|close to|not far from)\s+(?:the\s+)?$")


def _previous_mention_end(mentions: pl.LazyFrame) -> pl.LazyFrame:
    """Per mention span: where the place named before it in its sentence ends."""
    key = ["article_id", "sentence_index"]
    return (
        mentions.select(*key, "mention_start", "mention_end")
        .unique()
        .sort(*key, "mention_start", "mention_end")
        .with_columns(_previous_end=pl.col("mention_end").cum_max().shift(1).over(key))
    )


def _mark_references(mentions: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Flag mentions that are not where something happened: a government ("Kyiv's
    proposal", "Moscow said") or a reference point ("north of Kyiv", "30km from Lviv")."""
    return (
        mentions.join(sentences.select("article_id", "sentence_index", "sentence"), on=["article_id", "sentence_index"])
        .join(_previous_mention_end(mentions), on=["article_id", "sentence_index", "mention_start", "mention_end"])
        .with_columns(
            after=pl.col("sentence").str.slice(pl.col("mention_end"), 30),
            before=pl.col("sentence")
            .str.slice(
                pl.max_horizontal(pl.col("mention_start") - 40, 0), pl.min_horizontal(pl.col("mention_start"), 40)
            )
            .str.replace(r"[#@]+$", ""),
        )
        .with_columns(
            # "Kharkiv Mayor Ihor Terekhov said Russian drones hit Zolochiv": the office
            # is not the scene when the sentence names another place; alone, it is.
            _office=pl.col("after").str.contains(OFFICE_AFTER) & ~pl.col("sentence").str.contains(ANAPHORA),
        )
        .with_columns(
            _other_scene=(~pl.col("_office")).sum().over("article_id", "sentence_index") > 0,
            # "the town of Irpin near the Ukrainian capital": the second place locates the first
            _near_previous=pl.col("sentence")
            .str.slice(pl.col("_previous_end"), pl.max_horizontal(pl.col("mention_start") - pl.col("_previous_end"), 0))
            .str.contains(NEAR_PREVIOUS)
            .fill_null(False),
        )
        .with_columns(
            is_reference=(
                pl.col("before").str.contains(REFERENCE_POINT) & ~pl.col("before").str.contains(PART_OF_PLACE)
            )
            | pl.col("before").str.contains(ORIGIN)
            | (
                pl.col("admin1").is_in(CAPITAL_REGIONS)
                & (pl.col("feature_type") == "settlement")
                & ~pl.col("before").str.contains(CAPITAL_AS_PLACE_BEFORE)
                & ~pl.col("after").str.contains(CAPITAL_AS_PLACE_AFTER)
            )
            | (
                pl.col("admin1").is_in(CAPITAL_REGIONS)
                & (pl.col("mention_text").str.contains(r"['’]s$") | pl.col("after").str.contains(r"^['’]s\b"))
            )
            | pl.col("after").str.contains(ACTOR_VERB)
            | pl.col("after").str.contains(CONTAINER_OF_NEXT)
            | (pl.col("_office") & pl.col("_other_scene"))
            | pl.col("after").str.contains(NAMED_THING)
            | pl.col("_near_previous")
        )
        .with_columns(pl.col("is_reference").fill_null(False))
        .drop("sentence", "after", "before", "_office", "_other_scene", "_near_previous", "_previous_end")
    )


def _fill_region_from_context(mentions: pl.LazyFrame) -> pl.LazyFrame:
    """A settlement with no region takes the only oblast named in its sentence."""
    sentence_oblast = (
        mentions.filter(pl.col("feature_type") == "oblast")
        .group_by("article_id", "sentence_index")
        .agg(
            ctx_admin1=pl.col("admin1").first(),
            ctx_country=pl.col("country_code").first(),
            n=pl.col("admin1").n_unique(),
        )
        .filter(pl.col("n") == 1)
        .drop("n")
    )
    return (
        mentions.join(sentence_oblast, on=["article_id", "sentence_index"], how="left")
        .with_columns(
            admin1=pl.when(pl.col("location_id").is_null() & pl.col("admin1").is_null())
            .then("ctx_admin1")
            .otherwise("admin1"),
            country_code=pl.coalesce("country_code", "ctx_country"),
        )
        .drop("ctx_admin1", "ctx_country")
    )
