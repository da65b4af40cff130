with

source as (
    select * from {{ source('reference', 'gazetteer_places') }}
),

renamed as (
    select
        ---------- ids
        location_id,
        ---------- strings
        name,
        name_local,
        feature_type,
        katottg_category,
        admin1,
        admin2,
        country_code,
        source,
        ---------- numerics
        latitude,
        longitude,
        population,
        coordinates_source
    from source
)

select * from renamed
