"""Who says it: the speaker of each sentence, and sides named in text.

``reported_by`` is the named person or body whose statement a sentence
reports ("Aleksandr Khinshtein, governor of Russia's Kursk region, claimed",
"Kharkiv Mayor Ihor Terekhov said", "the Russian Defense Ministry said"). A
sentence with no speaker of its own takes the last one named earlier in its
paragraph.
"""

from __future__ import annotations

import polars as pl

from flows.parse import lexicons
from flows.parse.text import ascii_words, materialise, run
from flows.parse.window import neighbours

SPEECH_VERB = (
    r"(?:said|says|say|claimed|claims|wrote|writes|posted|reported|reports|announced|"
    r"told|informed|stated|added|noted|confirmed|denied|according|believes|assesses|assessed|recalled|"
    r"warned|explained|estimated|estimates|accused|accuses|commented|stressed|emphasi[sz]ed|"
    r"insisted|argued|admitted|acknowledged|alleged|declared|tweeted|boasted|revealed|asserted|reiterated|"
    r"specified|clarified|indicated)"
)
#: What a body that witnessed a fact did: "AFP discovered the bodies of 20 civilians".
WITNESS_VERB = r"(?:found|finds|discovered|discovers|saw|sees|witnessed|counted)"
NAME = r"\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+){0,2}"
#: Person: "Name, role, [on July 26] said" or "Name said"; body: lexicon claimants.
SPEAKER_PATTERN = ascii_words(
    rf"({NAME})(?:,[^,.;]{{2,120}},)?\s+(?:on \w+(?: \d+)?\s+|also\s+|later\s+|separately\s+)?{SPEECH_VERB}\b"
)
QUOTED_SPEAKER_PATTERN = ascii_words(rf"\b(?:said|says|according to|assures|explains|recalls|argues)\s+({NAME})")
#: A trailing speaker with a role first: "..., said the city's mayor, Ihor Terekhov".
ROLE_THEN_NAME = ascii_words(
    rf"(?i:\b(?:said|says|according to|told|wrote)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,4}}?"
    rf"(?:mayor|governor|head|chief|spokes(?:man|woman|person)|minister|commander|official|president|leader)"
    rf"(?:\s+of\s+[^,.;]{{1,60}})?,?\s+)({NAME})"
)
#: The outlet at the end of a sentence that relays a statement: "..., Ukrinform reports."
RELAYED_BY = ascii_words(rf",\s+({NAME})\s+(?:reports|reported|writes|wrote)\.?$")
#: Any word either speaker pattern needs.
SPEECH_WORD = ascii_words(rf"\b(?:{SPEECH_VERB}|{WITNESS_VERB}|assures|explains|recalls|argues)\b")
TITLES = (
    r"^(?:(?:Mayor|Governor|President|Minister|Spokesman|Spokeswoman|Spokesperson|Head|Chief|"
    r"General|Gen\.|Commander|Military|Regional|City|Deputy|Prime|Defense|Defence|Foreign|"
    r"Ukrainian|Russian|Ukraine's|Russia's|The|Kharkiv|Sumy|Kyiv|Police|"
    # sentence openers before a name: "But Volodymyr Zelensky said"
    r"But|And|Yet|Meanwhile|However|Still|Then|Now|So|Later|Earlier|Also)\s+)+"
)
#: Capitalised words that start a sentence but are not names.
NOT_NAMES = (
    r"^(?:He|She|It|They|We|I|This|That|These|Those|The|A|An|There|But|And|Officials?|Authorities|Ukraine|Russia|"
    r"Moscow|Kyiv|Kiev|Kremlin|Washington|Minsk|Russian|Ukrainian|Russians|Ukrainians)$"
)


CLAIMANT = lexicons.alternation(lexicons.table("claimants")["pattern"].to_list())
#: An office named for its holder: "the head of the Donetsk Regional Military Administration",
#: "the Kharkiv regional governor", "Sumy's military administration".
OFFICE = (
    r"(?:(?i:head|governor|chief|mayor) of (?:the )?\p{Lu}[\p{L}'’-]+(?: (?:\p{Lu}[\p{L}'’-]+|of|the)){0,5}"
    # "Authorities in Ukraine's Sumy oblast", "officials of the Kherson region"
    r"|(?i:authorities|officials) (?:in|of) (?:the )?\p{Lu}[\p{L}'’-]+(?: (?:\p{Lu}[\p{L}'’-]+|(?i:oblast|region)))?"
    r"(?: (?:\p{Lu}[\p{L}'’-]+|(?i:oblast|region)))?"
    r"|\p{Lu}[\p{L}'’-]+(?:['’]s)? (?i:(?:regional |oblast |city |district )?(?:military |state |civil[- ]military )?"
    r"(?:administration|governor|mayor)))"
)
BODY = rf"(?:{CLAIMANT}|{OFFICE})"
#: A body is the source only when the text makes it speak: "the Russian Defence Ministry said",
#: "according to the Air Force", "Interfax news agency reported" (not "Russian forces shelled").
#: The body and the words that complete its name before the verb ("Russia's Interfax news agency said").
#: (One pattern per kind of body: an alternation of both, or an appositive, is several
#: times slower to scan.)
#: Words after which a body is an object, not the speaker ("Sumy oblast bordering Russia reported").
BEFORE_AN_OBJECT = r"bordering|against|from|to|with|by|on|in|near|at|into|over|towards?|across|inside|within|of"
#: Group 1 is a word that makes the body an object; group 2 the body.
SPOKEN_CLAIMANT = ascii_words(
    rf"(?:\b((?i:{BEFORE_AN_OBJECT}))\s+)?({CLAIMANT}(?:\s+[\w'’()./-]+){{0,3}}?)\s+{SPEECH_VERB}\b"
)
#: A neutral body (an agency, a monitor) that witnessed a fact reports it: "AFP discovered the
#: bodies" (a side's forces that "found" something are actors, not sources).
NEUTRAL_CLAIMANT = lexicons.alternation(
    lexicons.table("claimants").filter(pl.col("side").is_null())["pattern"].to_list()
)
WITNESSING_BODY = ascii_words(rf"({NEUTRAL_CLAIMANT}(?:\s+[\w'’()./-]+){{0,2}}?)\s+{WITNESS_VERB}\b")
SPOKEN_OFFICE = ascii_words(rf"({OFFICE}(?:\s+[\w'’()./-]+){{0,3}}?)\s+{SPEECH_VERB}\b")
#: Words between a body and its verb that are not part of its name.
NOT_OF_THE_NAME = (
    r"(?i)(?:\s+(?:also|later|separately|earlier|previously|has|have|had|on|that|which|it|in|a|statement))+$"
)
#: "Authorities in Sumy oblast bordering Russia reported": a participle phrase after a name.
TRAILING_PARTICIPLE = r"\s+\p{Ll}+ing(?:\s+\S+)?$"
#: "..., said the command of Ukraine's Air Force": a body named after the verb.
BODY_AFTER_VERB = ascii_words(
    rf"(?i:\b(?:said|says|stated|reported|reports|announced|wrote)\s+(?:the\s+)?"
    rf"(?:(?:command|press service|spokes(?:man|woman|person)|head|office) of (?:the\s+)?)?)({BODY})"
)
BODY_CITED = ascii_words(
    rf"(?i:\b(?:according to|citing|cited|told|reported by|quoted by|(?:statements?|claims?|reports?) (?:by|from)|data from|data of)\s+"
    rf"(?:the\s+|a\s+)?)({BODY})"
)
#: A speaker who works for the occupation: their side is Russia's.
OCCUPATION_OFFICIAL = ascii_words(
    r"(?i)\b(?:russian-installed|moscow-installed|kremlin-installed|russia-installed|russian-appointed|"
    r"moscow-appointed|kremlin-backed|moscow-backed|pro-russian|russian-backed|occupation (?:authorities|administration|"
    r"officials?|governor|head|leader|chief)|separatist (?:authorities|officials?|leader))\b"
)
#: Cheap tests for the words the slower patterns need.
CITED_CUE = ascii_words(
    r"(?i)\b(?:according to|citing|cited|told|reported by|quoted by|statements?|claims?|reports?|data)\b"
)
ROLE_WORD = ascii_words(
    r"(?i)\b(?:said|says|according to|told|wrote)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?"
    r"(?:mayor|governor|head|chief|spokes(?:man|woman|person)|minister|commander|official|president|leader)\b"
)
OFFICE_WORD = ascii_words(r"(?i)\b(?:head|governor|chief|mayor|administration|authorities|officials)\b")
#: A captured "name" that is a body's name, not a person's ("Defense Ministry said").
BODY_WORDS = r"(?i)\b(?:ministry|staff|force|forces|service|office|administration|army|military|council|police|agency|institute|command|government|authorities|officials)\b"


def _spoken_claimant(sentence: pl.Expr) -> pl.Expr:
    """The body that speaks, unless a preposition makes it an object (one scan of the pattern)."""
    found = sentence.str.extract_groups(SPOKEN_CLAIMANT)
    return pl.when(found.struct.field("1").is_null()).then(found.struct.field("2"))


def side_of_claimant(expr: pl.Expr) -> pl.Expr:
    """Side of the first body from the claimants lexicon named in ``expr``."""
    return lexicons.classify(expr, "claimants", "side")


def sentence_speakers(sentences: pl.DataFrame) -> pl.DataFrame:
    """``article_id``, ``sentence_index``, ``reported_by`` (carried through the paragraph)."""
    sentences = sentences.lazy()
    # Every pattern needs a speech verb or a citing phrase: only those sentences are searched,
    # and the slower patterns only where their key words occur.
    speech = materialise(
        sentences.filter(pl.col("sentence").str.contains(SPEECH_WORD) | pl.col("sentence").str.contains(CITED_CUE))
        .select("article_id", "sentence_index", "sentence")
        .with_columns(
            _role=pl.col("sentence").str.contains(ROLE_WORD),
            _office=pl.col("sentence").str.contains(OFFICE_WORD),
            occupation=pl.col("sentence").str.contains(OCCUPATION_OFFICIAL),
            # "the ministry said", "he added": a source named by what refers back to it
            pronoun=pl.col("sentence").str.extract(SOURCE_ANAPHOR, 1),
            noun=pl.col("sentence").str.extract(SOURCE_ANAPHOR, 2).str.to_lowercase().str.replace(r"s$", ""),
        )
    )
    key = ["article_id", "sentence_index"]
    with_role = speech.filter("_role").select(*key, _role_person=pl.col("sentence").str.extract(ROLE_THEN_NAME, 1))
    with_office = speech.filter("_office").select(*key, _office_body=pl.col("sentence").str.extract(SPOKEN_OFFICE, 1))
    person = pl.coalesce(
        pl.col("sentence").str.extract(SPEAKER_PATTERN, 1),
        pl.col("sentence").str.extract(QUOTED_SPEAKER_PATTERN, 1),
        "_role_person",
    ).str.replace(TITLES, "")
    person = (
        pl.when(person.str.contains(NOT_NAMES) | (person.str.len_chars() < 3) | person.str.contains(BODY_WORDS))
        .then(None)
        .otherwise(person)
    )
    spoken = pl.coalesce(
        pl.col("sentence").str.extract(BODY_CITED, 1),
        _spoken_claimant(pl.col("sentence")),
        pl.col("sentence").str.extract(WITNESSING_BODY, 1),
        "_office_body",
        pl.col("sentence").str.extract(BODY_AFTER_VERB, 1),
    )
    found = (
        speech.join(with_role, on=key, how="left")
        .join(with_office, on=key, how="left")
        .select(
            *key,
            "occupation",
            "pronoun",
            "noun",
            person=person,
            spoken=spoken,
            relay=pl.col("sentence").str.extract(RELAYED_BY, 1),
        )
        # "The institute said this ..., Ukrinform reports": an outlet that relays a cited
        # source is the source only when the sentence cites no other
        .with_columns(
            person=pl.when(pl.col("spoken").is_not_null() & (pl.col("person") == pl.col("relay")))
            .then(None)
            .otherwise("person")
        )
        .drop("relay")
    )
    persons = found.select(*key, "person", "occupation", "pronoun", "noun")
    bodies = found.filter(pl.col("spoken").is_not_null()).select(
        *key,
        # the source as the text names it ("Ukraine's presidency", "Interfax news agency")
        body=pl.col("spoken")
        .str.replace(NOT_OF_THE_NAME, "")
        .str.replace(TRAILING_PARTICIPLE, "")
        .str.replace(r"^(?i:the )", ""),
        claimant_side=side_of_claimant(pl.col("spoken")),
    )
    speakers = (
        sentences.select("article_id", "sentence_index", "paragraph_index")
        .join(bodies, on=key, how="left")
        .join(persons, on=key, how="left")
        .sort("article_id", "sentence_index")
        .with_columns(
            own_speaker=pl.coalesce("person", "body"),
            claimant_side=pl.when(pl.col("occupation") & pl.col("person").is_not_null())
            .then(pl.lit("RU"))
            .otherwise("claimant_side"),
        )
        .with_columns(
            # An official of the place that was hit reports the other side's strike. Only an
            # occupation official says more than the target's country does (a defence
            # ministry reports its own strikes as well as the enemy's).
            reporter_side=pl.when(pl.col("own_speaker").is_not_null()).then(
                pl.when(pl.col("occupation")).then(pl.lit("RU")).otherwise(pl.lit(""))
            ),
        )
    )
    speakers = materialise(speakers)  # read twice
    return run(
        speakers.join(_referred_sources(speakers), on=["article_id", "sentence_index"], how="left")
        .sort("article_id", "sentence_index")  # a join does not keep row order; the fill below needs it
        .with_columns(
            # a sentence without a source of its own takes the one it refers back to ("the
            # ministry said", "the institute believes"), else its paragraph's
            own_speaker=pl.coalesce("own_speaker", "referred_source"),
        )
        .with_columns(
            **{
                c: pl.col(c).forward_fill().over("article_id", "paragraph_index")
                for c in ("own_speaker", "reporter_side")
            },
        )
        .select(
            "article_id",
            "sentence_index",
            reported_by="own_speaker",
            claimant_side="claimant_side",
            reporter_side=pl.col("reporter_side").replace("", None),
        )
    )


#: A source named by a noun or pronoun that refers back: "the ministry said", "the institute
#: believes", "he added", "officials said".
SOURCE_ANAPHOR = ascii_words(
    rf"(?i)\b(?:(he|she)|the (ministry|institute|agency|governor|mayor|military|army|office|administration|"
    rf"president|minister|command|staff|spokes(?:man|woman|person)|service|police|officials?|analysts?))\s+"
    rf"(?:also\s+|further\s+|later\s+)?{SPEECH_VERB}\b"
)
PERSON_LIKE = r"^\p{Lu}\p{Ll}+(?:\s\p{Lu}[\p{L}'’-]+){1,2}$"


def _referred_sources(speakers: pl.LazyFrame) -> pl.LazyFrame:
    """For sentences whose source is only a noun or pronoun ("the ministry said"), the last
    source named before them in the article that it can refer to: a name containing the
    noun ("Russia's Defence Ministry"), or a person for "he"/"she"."""
    anaphors = speakers.filter(
        pl.col("own_speaker").is_null() & (pl.col("pronoun").is_not_null() | pl.col("noun").is_not_null())
    ).select("article_id", "sentence_index", "pronoun", "noun")
    named = speakers.filter(pl.col("own_speaker").is_not_null()).select(
        "article_id", source_sentence="sentence_index", source="own_speaker"
    )
    # The last fitting source before each anaphor: a person for "he"/"she", a name
    # containing the noun for "the ministry". Nouns are a few words, so each named source
    # is listed once per noun it contains, and each anaphor meets only the last source
    # before it (``neighbours``), not every source of a long article.
    persons = named.filter(pl.col("source").str.contains(PERSON_LIKE))
    nouns = anaphors.select("noun").drop_nulls().unique()
    by_noun = named.join(nouns, how="cross").filter(
        pl.col("source").str.to_lowercase().str.contains(pl.col("noun"), literal=True)
    )
    by_pronoun = neighbours(
        anaphors.filter(pl.col("pronoun").is_not_null()),
        persons,
        ["article_id"],
        ["sentence_index"],
        ["source_sentence"],
        before=1,
        after=0,
    )
    by_name = neighbours(
        anaphors.filter(pl.col("pronoun").is_null()),
        by_noun,
        ["article_id", "noun"],
        ["sentence_index"],
        ["source_sentence"],
        before=1,
        after=0,
    )
    return (
        pl.concat([by_pronoun, by_name], how="diagonal_relaxed")
        .filter(pl.col("source_sentence") < pl.col("sentence_index"))
        .group_by("article_id", "sentence_index")
        .agg(referred_source=pl.col("source").first())
    )


#: Nouns that make a demonym the target's, not the attacker's.
TARGET_NOUNS = ascii_words(
    r"(?i)\b(?:capital|city|cities|towns?|villages?|regions?|oblast|territory|territories|border|positions?|soil|"
    r"infrastructure|civilians?|homes?|buildings?|ports?|airfields?|bases?|refiner(?:y|ies)|depots?|ships?|warships?)\b"
)


#: A passive verb: what comes before it was attacked, not the attacker.
PASSIVE = ascii_words(
    r"(?i)\b(?:was|were|is|are|been|being|got|gets)\s+(?:\w+\s+)?(?:struck|hit|attacked|shelled|targeted|bombed|fired)\b"
)
#: Nouns that name a side's forces on their own ("by the occupiers"), unlike a demonym
#: ("condemned by Ukraine" names who condemned, not who attacked).
SIDE_NOUNS = r"occupiers|invaders|aggressors?|rashists?|ruscists?|orcs"
#: "shelling by Ukraine's Armed Forces", "struck by Russian drones": the agent after "by".
AGENT_WORDS = (
    r"(?:armed forces|forces|troops|army|military|artillery|drones?|missiles?|rockets?|aviation|air force|"
    r"jets?|warplanes?|aircraft|strikes?|shelling|fire|units?|soldiers|occupiers|invaders)"
)


def side_of_agent(text: pl.Expr, attack_words: str) -> pl.Expr:
    """Side of the agent named after an attack word and "by" ("shelling by Ukraine's Armed Forces",
    "attacks on Kyiv by the aggressor")."""
    sides = lexicons.table("sides")
    demonym = lexicons.alternation(sides["pattern"].to_list(), case_insensitive=False)
    agent = text.str.extract(
        ascii_words(
            rf"(?i:\b(?:{attack_words}))\s+(?:[\w'’-]+\s+){{0,3}}?by\s+(?:the\s+)?"
            rf"((?:{demonym})\s+(?:[\w-]+\s+)?(?i:{AGENT_WORDS})|(?i:{SIDE_NOUNS}))\b"
        ),
        1,
    )
    return lexicons.classify(agent, "sides", "side")


def side_before(text: pl.Expr, anchor_words: str) -> pl.Expr:
    """Side of the demonym nearest before one of ``anchor_words`` ("Russian drone" -> RU)."""
    sides = lexicons.table("sides")
    demonym = lexicons.alternation(sides["pattern"].to_list(), case_insensitive=False)
    # The first demonym tied to an anchor, skipping "Ukraine says 14 missiles".
    found = (
        text.str.extract_all(ascii_words(rf"(?:{demonym})\s+(?:[\w-]+\s+){{0,3}}?(?i:{anchor_words})\b"))
        .list.eval(
            pl.element().filter(
                ~pl.element().str.contains(ascii_words(rf"(?i)\b{SPEECH_VERB}\b"))
                # "the Russian capital was hit", "Ukrainian positions were shelled": the target's side
                & ~pl.element().str.contains(TARGET_NOUNS)
                # "Kyiv has been struck by ...": the passive's subject is the target
                & ~pl.element().str.contains(PASSIVE)
            )
        )
        .list.first()
    )
    return lexicons.classify(found.str.extract(rf"^({demonym})", 1), "sides", "side")
