with

source as (
    select * from {{ source('raw', 'rejected_files') }}
),

renamed as (
    select
        ---------- ids
        content_sha256,
        ---------- strings
        source_path,
        source_file,
        reason,
        ---------- numerics
        size_bytes,
        ---------- timestamps
        rejected_at
    from source
)

select * from renamed
