with

source as (
    select * from {{ source('extractor', 'territorial_claims') }}
),

renamed as (
    select * from source
)

select * from renamed
