-- One row per strike event: the reports of int_strike_reports_identified with
-- one strike_id (same day, place and side; see the macro group_into_events).
-- The weapon is the one most reports name.
with

reports as (
    select * from {{ ref('int_strike_reports_identified') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

-- The event is at its anchor's place: an oblast-level report that joined a
-- settlement's event must not widen the event to the oblast, so the place
-- columns come from a report at the event's own place.
event_place as (
    select distinct on (strike_id)
        strike_id,
        location_id,
        target_country,
        admin1,
        admin2,
        settlement,
        place_name,
        feature_type,
        latitude,
        longitude
    from reports
    where place_key = event_place_key
    order by strike_id, report_id
),

events as (
    select
        reports.strike_id,
        min(reports.strike_date) as strike_date,
        min(reports.event_date_precision) as date_precision,
        min(reports.event_perpetrator_side) as perpetrator_side,
        coalesce(mode(reports.weapon) filter (where reports.weapon != 'unknown'), 'unknown') as weapon,
        mode(reports.target_type) as target_type,
        count(*) as n_reports,
        count(distinct reports.article_id) as n_articles,
        min(documents.published_date) as first_reported,
        max(documents.published_date) as last_reported
    from reports
    left join documents
        on reports.article_id = documents.article_id
    group by reports.strike_id
),

final as (
    select
        events.strike_id,
        event_place.location_id,
        events.strike_date,
        events.date_precision,
        events.perpetrator_side,
        event_place.target_country,
        event_place.admin1,
        event_place.admin2,
        event_place.settlement,
        event_place.place_name,
        event_place.feature_type,
        event_place.latitude,
        event_place.longitude,
        events.weapon,
        events.target_type,
        events.n_reports,
        events.n_articles,
        events.first_reported,
        events.last_reported
    from events
    left join event_place
        on events.strike_id = event_place.strike_id
)

select * from final
