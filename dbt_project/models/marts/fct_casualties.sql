-- One row per casualty event: the reports of all articles with the same date
-- and place. Like UCDP's estimates, low is the smallest count reported, high
-- the largest, and best the median report (the lower middle one for an even
-- number of reports, so best is always a count some report gave).
with

reports as (
    select * from {{ ref('int_casualty_reports_identified') }}
),

events as (
    select
        casualty_id,
        min(location_id) as location_id,
        min(strike_id) as strike_id,
        min(incident_date) as incident_date,
        min(admin1) as admin1,
        min(admin2) as admin2,
        min(settlement) as settlement,
        min(place_name) as place_name,
        min(country_code) as country_code,
        min(killed) as killed_low,
        quantile_disc(killed, 0.5) as killed_best,
        max(killed) as killed_high,
        min(injured) as injured_low,
        quantile_disc(injured, 0.5) as injured_best,
        max(injured) as injured_high,
        count(*) as n_reports,
        count(distinct article_id) as n_articles
    from reports
    group by casualty_id
)

select * from events
