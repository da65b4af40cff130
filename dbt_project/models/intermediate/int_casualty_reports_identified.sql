-- Casualty reports of current articles, with their ids and the strike that
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
        {{ place_key_md5(['reports.article_id', 'reports.incident_date', 'reports.place_key']) }} as report_id,
        {{ place_key_md5(["'casualty'", 'reports.incident_date', 'reports.place_key']) }} as casualty_id,
        strike_of_place.strike_id,
        reports.*
    from reports
    inner join articles
        on reports.article_id = articles.article_id
    left join strike_of_place
        on
            reports.article_id = strike_of_place.article_id
            and reports.incident_date = strike_of_place.strike_date
            and reports.place_key = strike_of_place.place_key
    where articles.is_current
)

select * from identified
