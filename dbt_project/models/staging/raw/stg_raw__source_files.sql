with

source as (
    select * from {{ source('raw', 'source_files') }}
),

renamed as (
    select
        ---------- ids
        article_id,
        content_sha256,
        ---------- strings
        input_root,
        source_path,
        source_file,
        ---------- numerics
        size_bytes,
        ---------- timestamps
        modified_at,
        ingested_at
    from source
)

select * from renamed
