with

source as (
    select * from {{ source('raw', 'rejected_files') }}
),

renamed as (
    select
        ---------- ids
        content_sha256,
        ---------- strings
        input_root,
        source_path,
        source_file,
        reason,
        ---------- numerics
        size_bytes,
        ---------- timestamps
        modified_at,
        rejected_at
    from source
)

select * from renamed
