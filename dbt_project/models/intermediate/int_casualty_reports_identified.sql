-- Casualty reports of current articles, with their ids, the casualty event
-- they are of (same day and place, or a raion/oblast report with exactly one
-- event in that area that day: macro group_into_events), and the strike that
-- caused them: a strike report of the same article, date and place.
with

reports as (
    select * from {{ ref('stg_extractor__casualty_reports') }}
),

articles as (
    select * from {{ ref('int_articles_versioned') }}
),

strikes as (
    select * from {{ ref('int_strike_reports_identified') }}
),

current_reports as (
    select
        {{ surrogate_key(['reports.article_id', 'reports.incident_date', 'reports.place_key']) }} as report_id,
        reports.*
    from reports
    inner join articles
        on reports.article_id = articles.article_id
    where articles.is_current
),

events as (
    {{ group_into_events('current_reports', 'casualty', 'incident_date') }}
),

strike_of_place as (
    select
        article_id,
        strike_date,
        place_key,
        min(strike_id) as strike_id
    from strikes
    group by article_id, strike_date, place_key
),

identified as (
    select
        current_reports.report_id,
        md5(events.event_key) as casualty_id,
        strike_of_place.strike_id,
        events.event_key,
        events.event_rule,
        events.event_place_key,
        events.event_date_precision,
        current_reports.* exclude (report_id)
    from current_reports
    inner join events
        on current_reports.report_id = events.report_id
    left join strike_of_place
        on
            current_reports.article_id = strike_of_place.article_id
            and current_reports.incident_date = strike_of_place.strike_date
            and current_reports.place_key = strike_of_place.place_key
)

select * from identified
