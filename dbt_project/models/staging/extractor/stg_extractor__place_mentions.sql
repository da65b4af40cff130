with

source as (
    select * from {{ source('extractor', 'place_mentions') }}
),

renamed as (
    select * from source
)

select * from renamed
