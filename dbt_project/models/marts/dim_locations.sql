-- Gazetteer places that at least one fact is placed at.
with

places as (
    select * from {{ ref('stg_reference__gazetteer_places') }}
),

used as (
    select location_id from {{ ref('int_strike_reports_identified') }}
    union
    select location_id from {{ ref('int_casualty_reports_identified') }}
    union
    select location_id from {{ ref('int_territorial_claims_identified') }}
),

final as (
    select
        places.location_id,
        places.name,
        places.name_local,
        places.feature_type,
        places.katottg_category,
        places.admin1,
        places.admin2,
        places.country_code,
        places.latitude,
        places.longitude,
        places.population,
        places.coordinates_source,
        places.source
    from places
    inner join used
        on places.location_id = used.location_id
)

select * from final
