"""Date expressions in sentences, resolved against the publication date.

EVENT_GUIDE.md, Dates: "On July 26" is that day of the publication year (the
year before if that would fall after publication); "on Saturday" is the latest
such weekday on or before publication; "overnight", "today", "last night" are
the publication date; "yesterday" the day before. "The night of 25 to 26 July"
and "the night from Saturday to Sunday" are the later day. "Earlier this
month", "mid-April" have month precision, "last week" week precision.

A sentence takes its first date expression; a sentence without one takes the
last day-precise date of an earlier sentence in its paragraph; failing that the
article's date, with precision ``article``: the publication date, or the day the
lead gives the text when that is up to three days earlier and the text goes on
to speak of "today" ("In Zelensky's address on Thursday evening, July 21, ...
Today, the army shelled ..." published on July 22).
"""

from __future__ import annotations

import polars as pl

from flows.parse import lexicons
from flows.parse.text import ascii_words, find_all, materialise, run

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4,
    "friday": 5, "saturday": 6, "sunday": 7,
}  # fmt: skip
MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
    r"Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
#: Every form we resolve, most specific first (the regex tries them in order).
DATE_PATTERN = ascii_words(
    r"(?i:"
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\bnight (?:of|from) (?:the )?{DAY} (?:to|into|-|and) {DAY} {MONTH}"
    rf"|\b(?:night|overnight) (?:of|from) {WEEKDAY} (?:to|into|and) {WEEKDAY}"
    rf"|\bfrom {WEEKDAY} to {WEEKDAY}(?: night)?"
    rf"|\b{DAY}(?:\s*[-–]\s*{DAY})? (?:of )?{MONTH}(?:,? \d{{4}})?"
    rf"|\b{MONTH} {DAY}\b(?:\s*[-–]\s*{DAY}\b)?(?:,? \d{{4}})?"
    rf"|\b(?:early|mid|late|(?:the )?(?:beginning|start|middle|end) of)\s*-?\s*{MONTH}\b"
    # "in March", not "in March 5" nor "in March 2023" (no look-ahead in this regex engine:
    # the character after the month is part of the match)
    rf"|\bin {MONTH}(?:$|[^\w\s]|\s[^\d\s])"
    rf"|\b{MONTH},? \d{{4}}\b"
    r"|\b(?:a|one) week (?:ago|after|earlier|before)\b"
    rf"|\b(?:earlier|later) this month\b|\blast month\b|\bthis month\b"
    rf"|\blast week\b|\bearlier this week\b|\bthis week\b"
    rf"|\b{WEEKDAY}\b"
    r"|\byesterday\b|\btoday\b|\btonight\b|\bovernight\b|\blast night\b|\bthis morning\b"
    r"|\bearlier today\b"
    r"|\b(?:in|since|during) (?:19|20)\d{2}\b"
    r")"
)


def _month_number(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.slice(0, 3).replace_strict(MONTHS, default=None, return_dtype=pl.Int32)


def _weekday_number(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().replace_strict(WEEKDAYS, default=None, return_dtype=pl.Int32)


def _day_month(day: pl.Expr, month: pl.Expr, year: pl.Expr, published: pl.Expr) -> pl.Expr:
    """The date of day/month in ``year``, or the year before publication if later than it."""
    this_year = pl.coalesce(year, published.dt.year())
    candidate = pl.format("{}-{}-{}", this_year, month, day).str.to_date("%Y-%-m-%-d", strict=False)
    last_year = pl.format("{}-{}-{}", this_year - 1, month, day).str.to_date("%Y-%-m-%-d", strict=False)
    return pl.when(year.is_null() & (candidate > published)).then(last_year).otherwise(candidate)


def _latest_weekday(weekday: pl.Expr, published: pl.Expr) -> pl.Expr:
    """The latest such weekday on or before publication."""
    back = (published.dt.weekday().cast(pl.Int32) - weekday + 7) % 7
    return published - pl.duration(days=back)


def resolve_expression(text: pl.Expr, published: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(date, precision) of one matched date expression."""
    t = text.str.to_lowercase()
    iso = text.str.to_date("%Y-%m-%d", strict=False)
    night_days = text.str.extract_groups(
        rf"(?i){DAY} (?:to|into|-|and) (?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?P<month>{MONTH})"
    )
    later_weekday = _weekday_number(text.str.extract(rf"(?i)({WEEKDAY})(?:\s+night)?$", 1))
    dmy = text.str.extract_groups(
        rf"(?i)^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*{DAY})? (?:of )?(?P<month>{MONTH})(?:,? (?P<year>\d{{4}}))?"
    )
    mdy = text.str.extract_groups(
        # the day ends at a word boundary: "March 2022" is a month, not March 20
        rf"(?i)^(?P<month>{MONTH}) (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*[-–]\s*{DAY})?(?:,? (?P<year>\d{{4}}))?"
    )
    # "early/mid/late March", "in March": the month, dated on its 1st, 15th or 25th
    part_of_month = text.str.extract(
        r"(?i)^(?:(early|mid|late|(?:the )?(?:beginning|start|middle|end) of)\s*-?\s*|in )", 1
    )
    mid = _month_number(text.str.extract(rf"(?i)(?:early|mid|late|of|^in)\s*-?\s*({MONTH})\b", 1))
    mid_day = (
        pl.when(part_of_month.str.contains(r"(?i)mid|middle"))
        .then(15)
        .when(part_of_month.str.contains(r"(?i)late|end"))
        .then(25)
        .otherwise(1)
    )
    month_year = text.str.extract_groups(rf"(?i)^(?P<month>{MONTH}),? (?P<year>\d{{4}})$")
    first_of_month = published.dt.month_start()
    resolved = (
        pl.when(iso.is_not_null())
        .then(pl.struct(date=iso, precision=pl.lit("day")))
        .when(t.str.contains(r"^night (?:of|from) (?:the )?\d"))
        .then(
            pl.struct(
                date=_day_month(
                    night_days.struct.field("day"),
                    _month_number(night_days.struct.field("month")),
                    pl.lit(None, pl.Int32),
                    published,
                ),
                precision=pl.lit("day"),
            )
        )
        .when(t.str.contains(r"(?:night|overnight) (?:of|from) \w+day|^from \w+day to"))
        .then(pl.struct(date=_latest_weekday(later_weekday, published), precision=pl.lit("day")))
        .when(dmy.struct.field("day").is_not_null())
        .then(
            pl.struct(
                date=_day_month(
                    dmy.struct.field("day"),
                    _month_number(dmy.struct.field("month")),
                    dmy.struct.field("year").cast(pl.Int32),
                    published,
                ),
                precision=pl.lit("day"),
            )
        )
        .when(mdy.struct.field("day").is_not_null())
        .then(
            pl.struct(
                date=_day_month(
                    mdy.struct.field("day"),
                    _month_number(mdy.struct.field("month")),
                    mdy.struct.field("year").cast(pl.Int32),
                    published,
                ),
                precision=pl.lit("day"),
            )
        )
        .when(month_year.struct.field("year").is_not_null())
        .then(
            pl.struct(
                date=pl.format(
                    "{}-{}-01", month_year.struct.field("year"), _month_number(month_year.struct.field("month"))
                ).str.to_date("%Y-%-m-%d", strict=False),
                precision=pl.lit("month"),
            )
        )
        .when(mid.is_not_null())
        .then(pl.struct(date=_day_month(mid_day, mid, pl.lit(None, pl.Int32), published), precision=pl.lit("month")))
        .when(t.str.contains(r"^(?:in|since|during) \d{4}$"))
        .then(
            pl.struct(
                date=pl.format("{}-01-01", text.str.extract(r"(\d{4})$", 1)).str.to_date("%Y-%m-%d", strict=False),
                precision=pl.lit("unknown"),
            )
        )
        .when(t.str.contains("last month"))
        .then(pl.struct(date=first_of_month.dt.offset_by("-1mo"), precision=pl.lit("month")))
        .when(t.str.contains("month"))
        .then(pl.struct(date=first_of_month, precision=pl.lit("month")))
        .when(t.str.contains(r"last week|week (?:ago|after|earlier|before)"))
        .then(pl.struct(date=published - pl.duration(days=7), precision=pl.lit("week")))
        .when(t.str.contains("week"))
        .then(pl.struct(date=published, precision=pl.lit("week")))
        .when(_weekday_number(text).is_not_null())
        .then(pl.struct(date=_latest_weekday(_weekday_number(text), published), precision=pl.lit("day")))
        .when(t == "yesterday")
        .then(pl.struct(date=published - pl.duration(days=1), precision=pl.lit("day")))
        .otherwise(pl.struct(date=published, precision=pl.lit("day")))
    )
    return resolved.struct.field("date"), resolved.struct.field("precision")


#: "The blasts on Tuesday come one week after at least one person was killed": what
#: follows "N days/weeks after" happened that long before the date the sentence gives.
TIME_AFTER = ascii_words(r"(?i)\b(a|one|two|three|four|five|six|seven|ten|\d{1,2}) (days?|weeks?) after\b")

#: Expressions relative to the moment of writing.
RELATIVE = r"(?i)^(?:today|tonight|this morning|earlier today|overnight|last night|yesterday)$"
#: A sentence that may name one of them.
RELATIVE_WORD = ascii_words(r"(?i)\b(?:today|tonight|this morning|overnight|last night|yesterday)\b")
#: The lead may date the text it introduces ("In Zelensky's address on Thursday
#: evening, July 21, ..."): within this many days before publication, that date
#: is what the text's "today" means.
ANCHOR_MAX_DAYS = 3


def date_mentions(sentences: pl.LazyFrame, documents: pl.LazyFrame) -> pl.LazyFrame:
    """One row per date expression: ``date_text``, offsets, ``event_date``, ``date_precision``."""
    matches = find_all(
        sentences.select("article_id", "sentence_index", "sentence"), "sentence", DATE_PATTERN, "date"
    ).join(documents.select("article_id", "published_date"), on="article_id")
    event_date, precision = resolve_expression(pl.col("date_text"), pl.col("published_date"))
    resolved = materialise(matches.with_columns(event_date=event_date, date_precision=precision))  # read 3 times
    lead = sentences.group_by("article_id").agg(lead_index=pl.col("sentence_index").min())
    anchors = (
        resolved.join(lead, on="article_id")
        .filter(
            (pl.col("sentence_index") == pl.col("lead_index"))
            & (pl.col("date_precision") == "day")
            & ~pl.col("date_text").str.contains(RELATIVE)
            & (pl.col("published_date") - pl.col("event_date")).dt.total_days().is_between(0, ANCHOR_MAX_DAYS)
        )
        .group_by("article_id")
        .agg(anchor_date=pl.col("event_date").sort_by("date_start").first())
    )
    # Only a text that speaks of "today" after its lead is a dated transcript.
    speaks_of_today = (
        resolved.join(lead, on="article_id")
        .filter((pl.col("sentence_index") > pl.col("lead_index")) & pl.col("date_text").str.contains(RELATIVE))
        .select("article_id")
        .unique()
    )
    anchors = anchors.join(speaks_of_today, on="article_id", how="semi")
    relative_date, _ = resolve_expression(pl.col("date_text"), pl.col("anchor_date"))
    return (
        resolved.join(anchors, on="article_id", how="left")
        .with_columns(
            event_date=pl.when(pl.col("date_text").str.contains(RELATIVE) & pl.col("anchor_date").is_not_null())
            .then(relative_date)
            .otherwise("event_date")
        )
        .filter(pl.col("event_date").is_not_null())
        .select(
            "article_id",
            "sentence_index",
            "date_text",
            "date_start",
            "date_end",
            "event_date",
            "date_precision",
            "anchor_date",
        )
    )


def sentence_dates(sentences: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Each sentence's date and precision (own, else earlier in paragraph, else article)."""
    sentences, documents = sentences.lazy(), documents.lazy()
    mentions = materialise(date_mentions(sentences, documents))  # read twice
    own = mentions.group_by("article_id", "sentence_index").agg(
        pl.col("event_date", "date_precision").sort_by("date_start").first()
    )
    anchors = mentions.group_by("article_id").agg(pl.col("anchor_date").drop_nulls().first())
    return run(
        sentences.select("article_id", "sentence_index", "paragraph_index")
        .join(own, on=["article_id", "sentence_index"], how="left")
        .join(_time_after(sentences, mentions), on=["article_id", "sentence_index"], how="left")
        .join(documents.select("article_id", "published_date"), on="article_id")
        .join(anchors, on="article_id", how="left")
        .sort("article_id", "sentence_index")
        .with_columns(
            # a day carries to the paragraph's later sentences; so does a past year ("In 2016, ...
            # The team landed from the sea"), which makes them background
            carried=pl.when(
                (pl.col("date_precision") == "day")
                | (
                    (pl.col("date_precision") == "unknown")
                    & (pl.col("event_date").dt.year() < pl.col("published_date").dt.year())
                )
            )
            .then(pl.struct(date="event_date", precision="date_precision"))
            .forward_fill()
            .over("article_id", "paragraph_index"),
        )
        .select(
            "article_id",
            "sentence_index",
            sentence_date=pl.coalesce(
                "event_date", pl.col("carried").struct.field("date"), "anchor_date", "published_date"
            ),
            # the sentence names its own date (not carried from the paragraph or the article)
            sentence_date_own=pl.col("event_date").is_not_null(),
            sentence_date_precision=pl.when(pl.col("event_date").is_not_null())
            .then("date_precision")
            .when(pl.col("carried").struct.field("date").is_not_null())
            .then(pl.col("carried").struct.field("precision"))
            .otherwise(pl.lit("article")),
            # the clause after "N days after": dated back from the day named before it, else from
            # the paragraph's or the article's date (then only to the week; never from the
            # phrase itself, which "a week after" is when it is the sentence's only date)
            after_start="after_start",
            after_date=pl.coalesce(
                "_after_anchor", pl.col("carried").struct.field("date"), "anchor_date", "published_date"
            )
            - pl.duration(days="after_days"),
            after_precision=pl.when(pl.col("_after_anchor").is_not_null())
            .then(pl.lit("day"))
            .otherwise(pl.lit("week")),
        )
    )


def _time_after(sentences: pl.LazyFrame, mentions: pl.LazyFrame) -> pl.LazyFrame:
    """Per sentence with "N days/weeks after": where the phrase ends, how many days it
    goes back, and the day-precision date named before it in the sentence (if any)."""
    words = lexicons.table("number_words").drop_nulls("value")
    number_words = dict(zip(words["word"], words["value"], strict=True))
    phrases = (
        find_all(
            sentences.filter(pl.col("sentence").str.contains(TIME_AFTER)).select(
                "article_id", "sentence_index", "sentence"
            ),
            "sentence",
            TIME_AFTER,
            "after",
        )
        .group_by("article_id", "sentence_index")
        .agg(pl.col("after_text", "after_start", "after_end").sort_by("after_start").first())
        .with_columns(_count=pl.col("after_text").str.extract(TIME_AFTER, 1).str.to_lowercase())
        .with_columns(
            # "one", "a", "two" ... as the number-words lexicon reads them, else digits
            after_days=pl.coalesce(
                pl.col("_count").replace_strict(number_words, default=None, return_dtype=pl.Int64),
                pl.col("_count").cast(pl.Int64, strict=False),
            )
            * pl.when(pl.col("after_text").str.contains("(?i)week")).then(7).otherwise(1),
        )
    )
    before = (
        mentions.filter(pl.col("date_precision") == "day")
        .join(phrases.select("article_id", "sentence_index", "after_start"), on=["article_id", "sentence_index"])
        .filter(pl.col("date_end") <= pl.col("after_start"))
        .group_by("article_id", "sentence_index")
        .agg(_after_anchor=pl.col("event_date").sort_by("date_start").last())
    )
    return phrases.join(before, on=["article_id", "sentence_index"], how="left").select(
        "article_id", "sentence_index", after_start="after_end", after_days="after_days", _after_anchor="_after_anchor"
    )
