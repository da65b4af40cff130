-- Strike reports of current articles, with their report id and the strike
-- event they are of. Reports of one event: dated to the same day, at the same
-- place (or a raion/oblast report with exactly one event in that area that
-- day) and by the same side; the rules are in the macro group_into_events and
-- in docs/EXTRACTION_RULES.md ("Cross-article events").
with

reports as (
    select * from {{ ref('stg_extractor__strike_reports') }}
),

articles as (
    select * from {{ ref('int_articles_versioned') }}
),

current_reports as (
    select
        {{ surrogate_key(['reports.article_id', 'reports.strike_date', 'reports.place_key', 'reports.perpetrator_side']) }}
            as report_id,
        reports.*
    from reports
    inner join articles
        on reports.article_id = articles.article_id
    where articles.is_current
),

events as (
    {{ group_into_events('current_reports', 'strike', 'strike_date', 'perpetrator_side') }}
),

identified as (
    select
        current_reports.report_id,
        md5(events.event_key) as strike_id,
        events.event_key,
        events.event_rule,
        events.event_place_key,
        events.event_side as event_perpetrator_side,
        events.event_date_precision,
        current_reports.* exclude (report_id)
    from current_reports
    inner join events
        on current_reports.report_id = events.report_id
)

select * from identified
