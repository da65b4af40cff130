-- One row per strike event: the reports of all articles with the same date,
-- place and perpetrator. The weapon is the one most reports name.
with

reports as (
    select * from {{ ref('int_strike_reports_identified') }}
),

events as (
    select
        strike_id,
        min(location_id) as location_id,
        min(strike_date) as strike_date,
        min(perpetrator_side) as perpetrator_side,
        min(target_country) as target_country,
        min(admin1) as admin1,
        min(admin2) as admin2,
        min(settlement) as settlement,
        min(place_name) as place_name,
        min(feature_type) as feature_type,
        min(latitude) as latitude,
        min(longitude) as longitude,
        coalesce(mode(weapon) filter (where weapon != 'unknown'), 'unknown') as weapon,
        mode(target_type) as target_type,
        count(*) as n_reports,
        count(distinct article_id) as n_articles
    from reports
    group by strike_id
)

select * from events
