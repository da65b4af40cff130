with

source as (
    select * from {{ source('raw', 'missing_files') }}
),

renamed as (
    select
        ---------- strings
        input_root,
        source_path,
        source_file,
        ---------- timestamps
        missing_at
    from source
)

select * from renamed
