-- Strike reports of current articles, with their report and event ids.
with

reports as (
    select * from {{ ref('stg_extractor__strike_reports') }}
),

articles as (
    select * from {{ ref('int_articles_versioned') }}
),

identified as (
    select
        {{ place_key_md5(['reports.article_id', 'reports.strike_date', 'reports.place_key', 'reports.perpetrator_side']) }}
            as report_id,
        {{ place_key_md5(["'strike'", 'reports.strike_date', 'reports.place_key', 'reports.perpetrator_side']) }}
            as strike_id,
        reports.*
    from reports
    inner join articles
        on reports.article_id = articles.article_id
    where articles.is_current
)

select * from identified
