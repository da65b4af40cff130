with

source as (
    select * from {{ source('extractor', 'casualty_reports') }}
),

renamed as (
    select * from source
)

select * from renamed
