with

source as (
    select * from {{ source('extractor', 'strike_reports') }}
),

renamed as (
    select * from source
)

select * from renamed
