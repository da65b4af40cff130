{% macro group_into_events(reports, kind, date_column, side_column=none) -%}
{#-
    Which real-world event each report is of (docs/EXTRACTION_RULES.md, "Cross-article
    events"). Reads `reports` (report_id, article_id, date_precision, place_key,
    location_id, feature_type, admin1, admin2, the date and, for strikes, the side) and
    returns one row per report: report_id, event_key (the event's natural key as text),
    event_place_key, event_side, event_date_precision and event_rule (why it is in
    that event). The event id is md5(event_key).
-#}
{%- set side = side_column if side_column else "cast(null as varchar)" -%}
with

candidates as (
    select
        report_id,
        article_id,
        {{ date_column }} as event_date,
        date_precision,
        {{ side }} as side,
        place_key,
        feature_type,
        admin1,
        admin2,
        -- Two reports can only be the same event when both are dated to the day:
        -- an 'article' date is the publication day of a report that gives no date
        -- ('week', 'month' and 'unknown' are vaguer still), so two such dates
        -- coinciding says nothing about the event. And a place not in the
        -- gazetteer whose region is unknown is a bare name (many villages share
        -- one), so it cannot be matched either.
        case
            when date_precision is distinct from 'day' or {{ date_column }} is null then 'date_not_day'
            when place_key is null or (location_id is null and admin1 is null) then 'place_unknown'
        end as unmatched_because
    from {{ reports }}
),

{%- if side_column %}

-- A report that does not say who struck ('unknown') is of the event at the
-- same day and place whose reports name a side, when they all name the same
-- one; with reports of both sides there it could be either and stays 'unknown'.
-- Only at the same place: an 'unknown' report never climbs to a region's event.
known_sides as (
    select
        event_date,
        place_key,
        min(side) as known_side
    from candidates
    where unmatched_because is null and side != 'unknown'
    group by event_date, place_key
    having count(distinct side) = 1
),

sided as (
    select
        candidates.* replace (
            case
                when candidates.side = 'unknown' and candidates.unmatched_because is null
                    then coalesce(known_sides.known_side, 'unknown')
                else candidates.side
            end as side
        )
    from candidates
    left join known_sides
        on
            candidates.event_date = known_sides.event_date
            and candidates.place_key = known_sides.place_key
),
{%- else %}

sided as (
    select * from candidates
),
{%- endif %}

-- An anchor is one (day, place{{ ', side' if side_column }}): its reports are one event.
-- The anchor key is the natural key the event id hashes.
anchors as (
    select
        concat_ws('|', event_date, place_key{{ ', side' if side_column }}) as anchor_key,
        event_date,
        place_key,
        side,
        min(feature_type) as feature_type,
        min(admin1) as admin1,
        min(admin2) as admin2,
        list(distinct article_id) as articles
    from sided
    where unmatched_because is null
    group by event_date, place_key, side
),

-- A raion-level anchor is of the settlement event in that raion on that day
-- (with that side) when there is exactly one. With several we cannot tell
-- which, and a raion-wide report may well sum them up: it stays an event at
-- raion level. Not when an article reports both: an article that names the
-- raion apart from the settlement means something else by it (a total,
-- another strike).
raion_targets as (
    select
        raion.anchor_key,
        min(settlement.anchor_key) as target_key,
        count(*) as n_targets,
        bool_or(list_has_any(raion.articles, settlement.articles)) as shares_article
    from anchors as raion
    inner join anchors as settlement
        on
            settlement.event_date = raion.event_date
            and settlement.side is not distinct from raion.side
            and settlement.admin1 = raion.admin1
            and settlement.admin2 = raion.admin2
    where raion.feature_type = 'raion' and settlement.feature_type = 'settlement'
    group by raion.anchor_key
),

raions_resolved as (
    select
        anchors.*,
        case
            when raion_targets.n_targets = 1 and not raion_targets.shares_article
                then raion_targets.target_key
            else anchors.anchor_key
        end as event_anchor_key
    from anchors
    left join raion_targets
        on anchors.anchor_key = raion_targets.anchor_key
),

event_articles as (
    select
        event_anchor_key,
        list_distinct(flatten(list(articles))) as articles
    from raions_resolved
    group by event_anchor_key
),

-- The same for an oblast-level anchor and the events (settlement or raion
-- level, after the step above) in that oblast on that day: exactly one, and no
-- article reporting both, or it stays an event at oblast level.
oblast_targets as (
    select
        oblast.anchor_key,
        min(finer.event_anchor_key) as target_key,
        count(distinct finer.event_anchor_key) as n_targets
    from raions_resolved as oblast
    inner join raions_resolved as finer
        on
            finer.event_date = oblast.event_date
            and finer.side is not distinct from oblast.side
            and finer.admin1 = oblast.admin1
    where oblast.feature_type = 'oblast' and finer.feature_type in ('settlement', 'raion')
    group by oblast.anchor_key
),

anchors_resolved as (
    select
        raions_resolved.anchor_key,
        case
            when
                oblast_targets.n_targets = 1
                and not list_has_any(oblast.articles, target.articles)
                then oblast_targets.target_key
            else raions_resolved.event_anchor_key
        end as event_anchor_key
    from raions_resolved
    left join oblast_targets
        on raions_resolved.anchor_key = oblast_targets.anchor_key
    left join event_articles as oblast
        on raions_resolved.anchor_key = oblast.event_anchor_key
    left join event_articles as target
        on oblast_targets.target_key = target.event_anchor_key
),

-- Per report: a matched report is of its anchor's event; any other report is
-- an event of its own, keyed on the report itself (article included).
events as (
    select
        sided.report_id,
        case
            when sided.unmatched_because is null
                then concat_ws('|', '{{ kind }}', anchors_resolved.event_anchor_key)
            else concat_ws(
                '|',
                '{{ kind }}',
                sided.article_id,
                sided.event_date,
                coalesce(sided.place_key, '')
                {%- if side_column %},
                sided.side
                {%- endif %}
            )
        end as event_key,
        case
            when sided.unmatched_because is null then event_anchor.place_key
            else sided.place_key
        end as event_place_key,
        case
            when sided.unmatched_because is null then event_anchor.side
            else sided.side
        end as event_side,
        case
            when sided.unmatched_because is null then 'day'
            else sided.date_precision
        end as event_date_precision,
        case
            when sided.unmatched_because is not null then sided.unmatched_because
            when anchors_resolved.event_anchor_key = anchors_resolved.anchor_key then 'same_place'
            when sided.feature_type = 'raion' then 'within_raion'
            else 'within_oblast'
        end as event_rule
    from sided
    left join anchors
        on
            sided.unmatched_because is null
            and sided.event_date = anchors.event_date
            and sided.place_key = anchors.place_key
            and sided.side is not distinct from anchors.side
    left join anchors_resolved
        on anchors.anchor_key = anchors_resolved.anchor_key
    left join anchors as event_anchor
        on anchors_resolved.event_anchor_key = event_anchor.anchor_key
)

select * from events
{%- endmacro %}
