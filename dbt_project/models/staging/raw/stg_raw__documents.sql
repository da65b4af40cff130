with

source as (
    select * from {{ source('raw', 'documents') }}
),

renamed as (
    select
        ---------- ids
        article_id,
        content_sha256,
        ---------- strings
        source_file,
        source_path,
        encoding,
        date_source,
        date_issue,
        title,
        body,
        ---------- numerics
        size_bytes,
        ---------- dates
        published_date,
        ---------- timestamps
        ingested_at
    from source
)

select * from renamed
