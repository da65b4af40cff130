-- One row per casualty event: the reports of int_casualty_reports_identified
-- with one casualty_id (same day and place; see the macro group_into_events).
-- Like UCDP's estimates, low is the smallest count reported, high the largest,
-- and best the median report (the lower middle one for an even number of
-- reports, so best is always a count some report gave).
with

reports as (
    select * from {{ ref('int_casualty_reports_identified') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

-- The event is at its anchor's place (an oblast-level report that joined a
-- settlement's event must not widen it to the oblast).
event_place as (
    select distinct on (casualty_id)
        casualty_id,
        location_id,
        admin1,
        admin2,
        settlement,
        place_name,
        feature_type,
        country_code
    from reports
    where place_key = event_place_key
    order by casualty_id, report_id
),

events as (
    select
        reports.casualty_id,
        min(reports.strike_id) as strike_id,
        min(reports.incident_date) as incident_date,
        min(reports.event_date_precision) as date_precision,
        min(reports.killed) as killed_low,
        quantile_disc(reports.killed, 0.5) as killed_best,
        max(reports.killed) as killed_high,
        min(reports.injured) as injured_low,
        quantile_disc(reports.injured, 0.5) as injured_best,
        max(reports.injured) as injured_high,
        count(*) as n_reports,
        count(distinct reports.article_id) as n_articles,
        min(documents.published_date) as first_reported,
        max(documents.published_date) as last_reported
    from reports
    left join documents
        on reports.article_id = documents.article_id
    group by reports.casualty_id
),

final as (
    select
        events.casualty_id,
        event_place.location_id,
        events.strike_id,
        events.incident_date,
        events.date_precision,
        event_place.admin1,
        event_place.admin2,
        event_place.settlement,
        event_place.place_name,
        event_place.feature_type,
        event_place.country_code,
        events.killed_low,
        events.killed_best,
        events.killed_high,
        events.injured_low,
        events.injured_best,
        events.injured_high,
        events.n_reports,
        events.n_articles,
        events.first_reported,
        events.last_reported
    from events
    left join event_place
        on events.casualty_id = event_place.casualty_id
)

select * from final
